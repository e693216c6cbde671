"""Use case: the Electronic Assistant's access code — issue, check, state (R1, R2, R3).

- `availability(card)`: whether a code can be issued or checked for the subscriber on the card,
  or the rule that says no (blocked, R1 corporate/VIP, the Assistant not connected, offline) —
  the window shows it up front, the CLI refuses with it (exit 3).
- `issue`: the operator sends a new code by SMS to the subscriber's own phone (R2); it replaces
  the old one and keeps any lock (R3). Retried under one Idempotency-Key: never two SMS.
- `verify`: the subscriber's entry, checked first here (exactly 6 digits; anything else is not
  sent and not counted), then by the operator: ok, wrong (attempts left), locked (until when)
  or no code.
- All of it only live: offline it is refused with a sentence saying so, never queued and never
  written to the outbox (DESIGN §5: writes that must be confirmed live).

R2: the code is an argument of `verify` and of the operator call it makes, and nothing else —
not in the journal (which records "wrong, 2 attempts left", "locked until …"), not in an error
message, not in a log line.
"""

from __future__ import annotations

import re
import secrets
from dataclasses import dataclass
from datetime import datetime
from typing import Protocol

from app.errors import InputError, OperatorUnavailable, RuleRefused, SalonError
from app.i18n import _
from app.order_rules import refusal_sentence
from app.services.clerks import require_clerk
from app.services.connection import ConnectionState
from app.services.identity import IdentityGate
from app.services.journaling import Journal, journaled
from models.access_codes import CODE_DIGITS, CodeState, VerifyOutcome, VerifyResult, utc_text
from models.audit_codes import AuditAction, AuditResult
from models.domain import Session, SubscriberCard, SubscriberStatus, TariffClass
from models.identity import Need

ENTRY = re.compile(rf"[0-9]{{{CODE_DIGITS}}}")
OFFLINE = "offline"
ASSISTANT_NOT_CONNECTED = "assistant_not_connected"


class CodeApi(Protocol):
    """The operator API's access-code calls (app/operator_api/access_codes.py)."""

    def code_state(self, msisdn: str) -> CodeState: ...

    def issue_code(self, msisdn: str, key: str) -> CodeState: ...

    def verify_code(self, msisdn: str, code: str) -> VerifyResult: ...


@dataclass(frozen=True)
class Availability:
    """Whether an access code can be issued and checked for this subscriber; if not, the rule
    (`subscriber_blocked`, `R1`, `assistant_not_connected`, `offline`) and the sentence."""

    available: bool
    reason: str = ""
    rule: str = ""


def checked_entry(text: str) -> str:
    """The subscriber's entry as the operator takes it: exactly 6 digits (surrounding spaces
    aside). InputError otherwise — the sentence never repeats what was typed."""
    entry = text.strip()
    if not ENTRY.fullmatch(entry):
        raise InputError(_("An access code is exactly 6 digits. This entry was not sent to "
                           "the operator and does not count as an attempt."))
    return entry


class AccessCodeService:
    def __init__(
        self,
        api: CodeApi,
        *,
        journal: Journal | None = None,
        connection: ConnectionState | None = None,
        identity: IdentityGate,
    ) -> None:
        """A state's `as_of` is the operator's clock at its answer (the API adapter reads it
        from the answer), so a lock's countdown never mixes the operator's "locked until" with
        the console's clock — the training sandbox's world clock may run days ahead."""
        self._api = api
        self._journal = journal
        self._connection = connection
        self._identity = identity  # R10: the code's state, issue and check need the visit's

    # -- what the card already tells -----------------------------------------------------------

    def availability(self, card: SubscriberCard) -> Availability:
        """The operator's order of checks (blocked, R1, not connected), then the connection:
        a saved card means the operator did not answer, and codes are live only."""
        subscriber = card.subscriber
        if card.waits_for_identity(Need.CODE.value):
            return Availability(False, _(
                "R10: the access code waits for this visit's identity check (F2)."), "R10")
        if subscriber.status is SubscriberStatus.BLOCKED:
            return Availability(False, refusal_sentence("subscriber_blocked"),
                                "subscriber_blocked")
        if subscriber.tariff.tariff_class is not TariffClass.MASS:
            return Availability(False, refusal_sentence("R1"), "R1")
        if not subscriber.assistant_connected:
            return Availability(False, refusal_sentence(ASSISTANT_NOT_CONNECTED),
                                ASSISTANT_NOT_CONNECTED)
        if card.source == "cache":
            return Availability(False, _(
                "No connection to the operator's system: access codes are issued and checked "
                "only live, never queued."), OFFLINE)
        return Availability(True)

    # -- live --------------------------------------------------------------------------------

    def state(self, clerk: Session, msisdn: str) -> CodeState:
        """When the code was issued, the attempts left, until when it is locked (R3)."""
        require_clerk(clerk)
        self._identity.require(clerk, msisdn, Need.CODE)
        try:
            state = self._api.code_state(msisdn)
        except OperatorUnavailable as error:
            self._offline(error)
            raise OperatorUnavailable(_(
                "{reason} The access code's state is known only while the operator answers."
            ).format(reason=error)) from error
        self._online()
        return state

    def issue(self, clerk: Session, msisdn: str,
              card: SubscriberCard | None = None) -> CodeState:
        """A new code by SMS to the subscriber's phone (R2). With the card, its rules refuse
        first (RuleRefused, nothing sent). OperatorUnavailable offline: nothing queued."""
        require_clerk(clerk)
        with journaled(self._journal, clerk.login, AuditAction.CODE_ISSUE,
                       subscriber=msisdn) as outcome:
            self._identity.require(clerk, msisdn, Need.CODE)
            self._check(card)
            key = f"code-{secrets.token_hex(16)}"
            try:
                state = self._api.issue_code(msisdn, key)
            except OperatorUnavailable as error:
                self._offline(error)
                raise _issue_unreachable(error) from error
            self._online()
            outcome.detail = "sms sent" if not state.locked else \
                f"sms sent; still locked until {_utc(state.locked_until)}"
        return state

    def verify(self, clerk: Session, msisdn: str, code: str,
               card: SubscriberCard | None = None) -> VerifyResult:
        """One entry (R3). Raises RuleRefused (the card's rules, or the operator's), InputError
        (not 6 digits: not sent, not counted), OperatorUnavailable (`maybe_delivered`: the
        entry may have been counted). Every way it ends goes into the journal — never the
        code."""
        require_clerk(clerk)
        try:
            self._identity.require(clerk, msisdn, Need.CODE)
            self._check(card)
            entry = checked_entry(code)
            try:
                result = self._api.verify_code(msisdn, entry)
            except OperatorUnavailable as error:
                self._offline(error)
                raise _verify_unreachable(error) from error
        except BaseException as error:
            refused = isinstance(error, InputError | RuleRefused)
            self._record_verify(
                clerk, msisdn, AuditResult.REFUSED if refused else AuditResult.FAILED,
                reason=_verify_reason(error))
            raise
        self._online()
        self._record_verify(clerk, msisdn, *_verify_outcome(result))
        return result

    # -- helpers ------------------------------------------------------------------------------

    def _check(self, card: SubscriberCard | None) -> None:
        if card is None:
            return
        availability = self.availability(card)
        if availability.available:
            return
        if availability.rule == OFFLINE:
            raise OperatorUnavailable(availability.reason)
        raise RuleRefused(availability.reason, rule=availability.rule)

    def _record_verify(self, clerk: Session, msisdn: str, result: AuditResult,
                       reason: str = "", detail: str = "") -> None:
        if self._journal is not None:
            self._journal.record(clerk.login, AuditAction.CODE_VERIFY, result,
                                 subscriber=msisdn, detail=detail, reason=reason)

    def _online(self) -> None:
        if self._connection is not None:
            self._connection.mark_online()

    def _offline(self, error: OperatorUnavailable) -> None:
        if self._connection is not None:
            self._connection.mark_offline(str(error))


def _issue_unreachable(error: OperatorUnavailable) -> OperatorUnavailable:
    if error.maybe_delivered:
        return OperatorUnavailable(_(
            "{reason} The code may have been sent all the same: ask the subscriber whether an "
            "SMS from 6262 arrived before issuing another. Nothing was queued."
        ).format(reason=error), maybe_delivered=True)
    return OperatorUnavailable(_(
        "{reason} An access code is issued only while the operator answers: nothing was sent "
        "and nothing was queued. Try again when the connection is back."
    ).format(reason=error))


def _verify_unreachable(error: OperatorUnavailable) -> OperatorUnavailable:
    if error.maybe_delivered:
        return OperatorUnavailable(_(
            "{reason} The entry may have reached the operator and been counted: look at the "
            "attempts left before the subscriber tries again. Nothing was queued."
        ).format(reason=error), maybe_delivered=True)
    return OperatorUnavailable(_(
        "{reason} A code is checked only while the operator answers: the entry was not sent, "
        "not counted and not queued. Try again when the connection is back."
    ).format(reason=error))


def _verify_reason(error: BaseException) -> str:
    if isinstance(error, InputError):
        return "malformed entry: not sent, not counted"
    if isinstance(error, SalonError):
        return str(error)
    return type(error).__name__  # a bug: the details are in the log


def _verify_outcome(result: VerifyResult) -> tuple[AuditResult, str, str]:
    """(journal result, reason, detail) for an operator's answer."""
    if result.outcome is VerifyOutcome.OK:
        return AuditResult.DONE, "", "correct"
    if result.outcome is VerifyOutcome.WRONG:
        left = result.attempts_left
        return AuditResult.REFUSED, f"wrong, {left} attempt{'s' if left != 1 else ''} left", ""
    if result.outcome is VerifyOutcome.LOCKED:
        return AuditResult.REFUSED, f"locked until {_utc(result.locked_until)}", ""
    return AuditResult.REFUSED, "no code issued", ""


def _utc(moment: datetime | None) -> str:
    return utc_text(moment) or "?"
