"""The operator's order rules as the clerk reads them: one sentence per rule code, naming it.

The operator answers a refusal with a rule code and an English sentence (for the log). The
clerk sees these in the console's language: a domain rule is named in brackets (R1 in
DESIGN.md); the operator's own codes (`already_connected`…) are named in brackets in English
only — in Russian the sentence says what the rule is in words, and `--json` carries the
code. No I/O, no heavy imports: the client, the services and the CLI all use it.
"""

from __future__ import annotations

from app.i18n import _

R1 = "R1"
VERSION_MISMATCH = "version_mismatch"


def refusal_sentence(rule: str, operator_message: str | None = None) -> str:
    """The clerk's sentence for a refusal; an unknown rule falls back to the operator's own
    words, still naming the rule."""
    sentences = _sentences()
    if rule in sentences:
        return sentences[rule]
    return _("The operator refused the change: {message} ({rule}).").format(
        message=(operator_message or "").rstrip(".") or rule, rule=rule)


def is_known(rule: str | None) -> bool:
    """A rule the console has its own sentence for (in the console's language); any other is
    the operator's, said in the operator's words."""
    return bool(rule) and rule in _sentences()


def _sentences() -> dict[str, str]:
    return {
        "R1": _("The Electronic Assistant is not available on corporate and VIP tariff "
                "plans (R1)."),
        "subscriber_blocked": _("The number is blocked: nothing can be changed until it is "
                                "unblocked (subscriber_blocked)."),
        "insufficient_balance": _("The main balance is less than the fee: the subscriber "
                                  "tops it up first (insufficient_balance)."),
        "not_available": _("This is not available on the subscriber's tariff plan, or it is "
                           "archived (not_available)."),
        "already_connected": _("This service is already connected (already_connected)."),
        "not_connected": _("This service is not connected (not_connected)."),
        "same_tariff": _("The subscriber is already on this tariff (same_tariff)."),
        "assistant_not_connected": _("The Electronic Assistant is not connected to this "
                                     "number: connect it first, it is free "
                                     "(assistant_not_connected)."),
        "subscriber_not_found": _("The operator does not serve this number "
                                  "(subscriber_not_found)."),
        VERSION_MISMATCH: _("The subscriber's data changed since the preview: reload the card, "
                            "look at it again and confirm anew (version_mismatch)."),
    }
