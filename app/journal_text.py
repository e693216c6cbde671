"""The journal's details as the manager reads them, in the console's language.

The journal keeps what each entry is about in a terse, fixed form in English ("change_tariff,
SMART_PLUS, fee 100.00 RUB, outbox #3, ORD-000001", "sms sent", "api"): it is hash-chained,
so it is never rewritten. The daily log on screen and in its Russian files says the same in
words, with tariffs and services by name (`names`: code → name, from the catalog; a code it
does not know stays a code). A detail of a form this module does not know is shown as it is.

No tkinter and no heavy imports: the window's daily log and the export use it alike. Every
function takes the translation as `_` (default: the console's current language), so the
export can speak the language asked for without switching the window's.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from datetime import date
from decimal import Decimal, InvalidOperation

from app import formatting
from app.document_names import document_name
from app.i18n import _ as current
from app.i18n import ngettext as current_ngettext
from models.audit_codes import AuditAction
from models.domain import Money

Translate = Callable[[str], str]
Plural = Callable[[str, str, int], str]
ORDER_ACTIONS = {AuditAction.TARIFF_CHANGE, AuditAction.SERVICE_ADD, AuditAction.SERVICE_REMOVE,
                 AuditAction.ASSISTANT_CONNECT, AuditAction.ORDER_QUEUE,
                 AuditAction.ORDER_CANCEL}
OPERATIONS = ("change_tariff", "add_service", "remove_service", "connect_assistant")


def describe_detail(action: str, detail: str, names: Mapping[str, str] | None = None,
                    _: Translate = current, language: str | None = None) -> str:
    """An entry's detail in words; unknown forms as they are. `language` (with its `_`): the
    one amounts are written in, when not the console's."""
    names = names or {}
    if not detail:
        return ""
    if action in ORDER_ACTIONS or detail.split(", ", 1)[0] in OPERATIONS:
        # also a slip's entry, which names its order
        return _order_detail(detail, names, _, language)
    fixed = _fixed_details(_).get((action, detail))
    if fixed is not None:
        return fixed
    for pattern, render in _DETAIL_FORMS.get(action, ()):
        match = re.fullmatch(pattern, detail)
        if match:
            return render(match, names, _)
    return detail


def describe_reason(action: str, reason: str, _: Translate = current,
                    ngettext: Plural = current_ngettext) -> str:
    """An entry's reason: the journal's own short forms in words; a sentence the clerk was
    shown (already in a language) as it is."""
    fixed = {
        "malformed number": _("not a phone number"),
        "malformed entry: not sent, not counted": _("not six digits: not sent, not counted"),
        "no code issued": _("no code has been issued"),
        "mismatch": _("the document does not match the operator's record"),
        "locked": _("too many mismatches within an hour: refused until a manager signs in"),
        "unverified": _("the operator has not confirmed the subscriber's data (303-FZ)"),
    }
    if reason in fixed:
        return fixed[reason]
    wrong = re.fullmatch(r"wrong, (\d+) attempts? left", reason)
    if wrong:
        left = int(wrong.group(1))
        return ngettext("wrong code, {count} attempt left", "wrong code, {count} attempts left",
                        left).format(count=left)
    locked = re.fullmatch(r"locked until (\S+)", reason)
    if locked:
        return _("locked until {when}").format(when=_utc_time(locked.group(1)))
    return reason


def _fixed_details(_: Translate) -> dict[tuple[str, str], str]:
    return {
        (AuditAction.LOOKUP, "api"): _("from the operator's system"),
        (AuditAction.LOOKUP, "cache"): _("saved data: no connection"),
        (AuditAction.SIGN_IN_FAILED, "unknown login"): _("unknown login"),
        (AuditAction.SIGN_OUT, "takeover"): _("another clerk signed in at the lock screen"),
        (AuditAction.SCREEN_LOCK, "shortcut"): _("locked with Ctrl+Shift+L"),
        (AuditAction.SCREEN_LOCK, "idle"): _("locked after the idle minutes"),
        (AuditAction.CODE_ISSUE, "sms sent"): _("sent by SMS"),
        (AuditAction.CODE_VERIFY, "correct"): _("the code is right"),
        (AuditAction.IDENTITY_END, "clerk"): _("ended by the clerk"),
        (AuditAction.IDENTITY_END, "another subscriber"): _("another subscriber was looked up"),
        (AuditAction.IDENTITY_END, "lock"): _("the screen was locked"),
        (AuditAction.IDENTITY_END, "sign_out"): _("the clerk signed out"),
    }


def _order_detail(detail: str, names: Mapping[str, str], _: Translate,
                  language: str | None) -> str:
    """"change_tariff, SMART_PLUS, fee 100.00 RUB, outbox #3, ORD-000001, <note>"."""
    return ", ".join(_order_part(part, names, _, language) for part in detail.split(", "))


def _order_part(part: str, names: Mapping[str, str], _: Translate,
                language: str | None) -> str:
    operations = {
        "change_tariff": _("Tariff change"),
        "add_service": _("Service connection"),
        "remove_service": _("Service disconnection"),
        "connect_assistant": _("Electronic Assistant connection"),
    }
    notes = {
        "waits its turn": _("waits its turn in the queue"),
        "maybe delivered": _("may have reached the operator"),
        "not delivered": _("did not reach the operator"),
        "never reached the operator": _("never reached the operator"),
        "refused before the cancel": _("refused before it was cancelled"),
        "not applied by the operator": _("not applied by the operator"),
        "applied before the cancel": _("applied before it was cancelled"),
        "confirmation slip": _("the confirmation slip"),
        "confirmation slip saved": _("the confirmation slip is saved"),
    }
    if part in operations:
        return operations[part]
    if part in notes:
        return notes[part]
    slip = re.fullmatch(r"confirmation slip (\S+\.pdf)", part)
    if slip:  # saved as this file (a slip is journaled as printed only when CUPS printed it)
        return _("the confirmation slip is saved as {file}").format(file=slip.group(1))
    fee = re.fullmatch(r"fee (-?\d+(?:\.\d+)?) ([A-Z]{3})", part)
    if fee:
        try:
            amount = Money(Decimal(fee.group(1)), fee.group(2))
        except InvalidOperation:
            return part
        return _("fee {amount}").format(amount=formatting.money(amount, language))
    outbox = re.fullmatch(r"outbox #(\d+)", part)
    if outbox:
        return _("queue No. {id}").format(id=outbox.group(1))
    if re.fullmatch(r"ORD-[\w-]+", part):
        return _("order {id}").format(id=part)
    if part in names:
        return f"«{names[part]}»"
    return part


def _day(text: str) -> str:
    """2026-11-23 → 23.11.2026, as the screen shows dates."""
    try:
        return date.fromisoformat(text).strftime("%d.%m.%Y")
    except ValueError:
        return text


def _utc_time(text: str) -> str:
    """2026-11-24T09:25:00Z → 24.11.2026 09:25 UTC."""
    match = re.fullmatch(r"(\d{4}-\d{2}-\d{2})T(\d{2}:\d{2})(?::\d{2}(?:\.\d+)?)?Z", text)
    return f"{_day(match.group(1))} {match.group(2)} UTC" if match else text


def _kind(value: str, _: Translate) -> str:
    kinds = {"detalization": _("Detalization"), "slip": _("Confirmation slip"),
             "leaflet": _("Leaflet about the Assistant"), "daily_log": _("Daily log"),
             "file": _("Document")}
    return kinds.get(value, value)


Render = Callable[[re.Match[str], Mapping[str, str], Translate], str]


def _period(m: re.Match[str], _names: Mapping[str, str], _: Translate) -> str:
    text = _("{first}–{last}, {format}").format(first=_day(m["first"]), last=_day(m["last"]),
                                                 format=m["format"].upper())
    return f"{text}, {m['id']}" if m["id"] else text


def _print(m: re.Match[str], _names: Mapping[str, str], _: Translate) -> str:
    text = _("{kind} {file} to the printer «{printer}»").format(
        kind=_kind(m["kind"], _), file=m["file"], printer=m["printer"])
    if m["cups"]:
        text += ", " + _("CUPS job {id}").format(id=m["cups"])
    if m["attempt"]:
        text += ", " + _("attempt {count}").format(count=m["attempt"])
    return text


def _identity(match: re.Match[str], _names: Mapping[str, str], _: Translate) -> str:
    """"holder passportRF *0291" / "representative … *0291 poa 77 АБ 1234567 2026-10-01"."""
    document = document_name(match["document"], _)
    text = (_("holder, {document} ending in {last4}") if match["who"] == "holder"
            else _("representative, {document} ending in {last4}")).format(
        document=document, last4=match["last4"])
    if match["poa"]:
        text += ", " + _("power of attorney {number} of {date}").format(
            number=match["poa"], date=_day(match["date"]))
    return text


def _address(match: re.Match[str], _: Translate) -> str:
    """"i***@mail.ru (operator)": the masked address (the journal never holds more) and
    where it came from (app/services/recipients.py AddressKind)."""
    kinds = {"operator": _("the address the operator holds"),
             "counter": _("given by the holder at the counter"),
             "unchecked": _("not checked")}
    kind = match["kind"]
    return f"{match['to']} ({kinds.get(kind, kind)})" if kind else match["to"]


_DETAIL_FORMS: dict[str, tuple[tuple[str, Render], ...]] = {
    AuditAction.IDENTITY_CHECK: (
        (r"(?P<who>holder|representative) (?P<document>\w+) \*(?P<last4>\w{4})"
         r"(?: poa (?P<poa>.+) (?P<date>\d{4}-\d{2}-\d{2}))?", _identity),
    ),
    # R11: "PU-000007 holder passportRF *3456 SLP-…" (the order, who presented, the receipt)
    AuditAction.PICKUP_HAND_OVER: (
        (r"(?P<order>\S+) (?P<who>holder|representative) (?P<document>\w+) \*(?P<last4>\w{4})"
         r"(?: poa (?P<poa>.+) (?P<date>\d{4}-\d{2}-\d{2}))?(?: (?P<receipt>\S+))?",
         lambda m, n, _: ", ".join(filter(None, (m["order"], _identity(m, n, _),
                                                 m["receipt"])))),
    ),
    AuditAction.CODE_ISSUE: (
        (r"sms sent; still locked until (?P<when>\S+)",
         lambda m, _n, _: _("sent by SMS; access stays locked until {when}").format(
             when=_utc_time(m["when"]))),
    ),
    AuditAction.CLERK_ADD: (
        (r"(?P<login>\S+) (?P<role>clerk|manager)",
         lambda m, _n, _: "{login}, {role}".format(
             login=m["login"], role=_("clerk") if m["role"] == "clerk" else _("manager"))),
    ),
    AuditAction.DETALIZATION: (
        (r"(?P<first>\d{4}-\d{2}-\d{2})\.\.(?P<last>\d{4}-\d{2}-\d{2}) (?P<format>\w+)"
         r"(?: (?P<id>\S+))?", _period),
    ),
    AuditAction.PURGE: (
        (r"usage (?P<records>\d+) records, (?P<days>\d+) days",
         lambda m, _n, _: _("usage records: {records}, days: {days}")
         .format(records=m["records"], days=m["days"])),
        (r"(?P<when>at start|on request): removed (?P<total>\d+) \(usage records "
         r"(?P<usage>\d+), local documents (?P<files>\d+), print jobs (?P<jobs>\d+), "
         r"archive notes (?P<notes>\d+)\)",
         lambda m, _n, _: (_("at the console's start") if m["when"] == "at start"
                           else _("on request")) + ": " + _(
             "removed {total} (usage records: {usage}, local documents: {files}, print jobs: "
             "{jobs}, archive notes: {notes})").format(
             total=m["total"], usage=m["usage"], files=m["files"], jobs=m["jobs"],
             notes=m["notes"])),
    ),
    AuditAction.PRINT: (
        (r"(?P<kind>\w+) (?P<file>.+?) → (?P<printer>.+?)(?:, CUPS job (?P<cups>\d+))?"
         r"(?:, attempt (?P<attempt>\d+))?", _print),
    ),
    AuditAction.ARCHIVE: (
        (r"upload (?P<file>.+?) → (?P<id>\S+), until (?P<until>\S+)",
         lambda m, _n, _: _("{file} put into the archive as {id}, kept until {until}").format(
             file=m["file"], id=m["id"], until=_utc_time(m["until"]))),
        (r"upload (?P<file>.+)",
         lambda m, _n, _: _("{file} into the archive").format(file=m["file"])),
        (r"fetch (?P<id>\S+)",
         lambda m, _n, _: _("{id} taken from the archive").format(id=m["id"])),
    ),
    AuditAction.EMAIL: (
        (r"subscription #(?P<id>\d+): monthly detalization \((?P<format>\w+)\) → "
         r"(?P<to>\S+)(?: \((?P<kind>\w+)\))?, from (?P<first>\S+)",
         lambda m, _n, _: _("monthly detalization No. {id} ({format}) to {to}, from {first}")
         .format(id=m["id"], format=m["format"].upper(), to=_address(m, _),
                 first=m["first"])),
        (r"(?P<file>.+?) → (?P<to>\S+@\S+)(?: \((?P<kind>\w+)\))?",
         lambda m, _n, _: _("{file} to {to}").format(file=m["file"], to=_address(m, _))),
        (r"subscription #(?P<id>\d+) removed",
         lambda m, _n, _: _("monthly detalization No. {id} stopped").format(id=m["id"])),
    ),
    AuditAction.EXPORT: (
        (r"(?P<day>\d{4}-\d{2}-\d{2}) (?P<format>xlsx|csv|pdf)(?: (?P<file>.+))?",
         lambda m, _n, _: ", ".join(p for p in (_day(m["day"]), m["format"].upper(),
                                                 m["file"] or "") if p)),
    ),
}
