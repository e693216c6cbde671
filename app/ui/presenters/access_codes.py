"""The access code as the clerk reads it (R1, R2, R3), for the card, the check dialog and the
`salon code` commands: strings and flags only, no tkinter.

Times are the subscriber's: shown in the home region's zone with its UTC offset. A lock's
countdown counts from the operator's clock (`operator_now`), which in training may run ahead
of the wall clock. Nothing here ever sees a code (R2).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from app import formatting
from app.i18n import _, ngettext
from app.ui.presenters.card import FieldView
from app.ui.presenters.errors import MessageView
from models.access_codes import CodeState, CodeStatus, VerifyOutcome, VerifyResult

ISSUE_KEY = "F10"
CHECK_KEY = "F11"
LEAFLET_KEY = "F12"
ASSISTANT_NOT_CONNECTED = "assistant_not_connected"


def lock_parts(until: datetime, operator_now: datetime, timezone: str) -> tuple[str, str]:
    """(«Заблокировано до 24.11.2026, 13:05 (UTC+3)», «осталось 23 ч 59 мин»): the lock's end
    in the home region's time, and what is left of it counted from the operator's clock
    (minutes rounded up, so it never says 0 while a lock lasts)."""
    locked = _("Locked until {when}").format(
        when=formatting.local_datetime(until, timezone, with_zone=True))
    seconds = int((until - operator_now).total_seconds())
    if seconds < 60:
        return locked, _("less than a minute of the lock left")
    hours, minutes = divmod((seconds + 59) // 60, 60)
    if hours == 0:
        return locked, _("{minutes} min of the lock left").format(minutes=minutes)
    return locked, _("{hours} h {minutes} min of the lock left").format(hours=hours,
                                                                        minutes=minutes)


def locked_text(until: datetime, operator_now: datetime, timezone: str) -> str:
    """«Заблокировано до 24.11.2026, 13:05 (UTC+3) — осталось 23 ч 59 мин»."""
    return " — ".join(lock_parts(until, operator_now, timezone))


def attempts_text(count: int) -> str:
    return ngettext("{count} attempt left", "{count} attempts left", count).format(count=count)


def state_fields(state: CodeState, operator_now: datetime,
                 timezone: str) -> tuple[FieldView, ...]:
    """The code's rows in the card's Electronic Assistant section."""
    label = _("Access code")
    if state.status is CodeStatus.NONE:
        return (FieldView(label, _("not issued"),
                          note=_("The code goes by SMS to the subscriber's phone only.")),)
    issued = _("issued {when}").format(
        when=formatting.local_datetime(state.issued_at, timezone, with_zone=True)) \
        if state.issued_at is not None else ""
    if state.locked and state.locked_until is not None:
        locked, left = lock_parts(state.locked_until, operator_now, timezone)
        return (  # two lines: the narrow card column wraps the end, not the countdown
            FieldView(label, f"{locked}\n{left}", attention=True, note=issued),
            FieldView(_("Code entries"), _("none until the lock ends (R3)"), attention=True),
        )
    return (
        FieldView(label, issued or _("issued, time unknown")),
        FieldView(_("Code entries"), attempts_text(state.attempts_left),
                  attention=state.attempts_left <= 1),
    )


def pending_fields(text: str) -> tuple[FieldView, ...]:
    """While the state is asked for, or why it cannot be known."""
    return (FieldView(_("Access code"), text),)


def lock_over(state: CodeState | None, operator_now: datetime) -> bool:
    """The lock on screen has ended: time to ask for the state again (a fresh count)."""
    return bool(state is not None and state.locked and state.locked_until is not None
                and state.locked_until <= operator_now)


def dialog_state(state: CodeState | None, operator_now: datetime,
                 timezone: str) -> tuple[str, bool, bool]:
    """The check dialog's state line: (text, attention, whether an entry can be checked)."""
    if state is None:
        return _("The code's state is being checked…"), False, True
    if state.locked and state.locked_until is not None:
        return locked_text(state.locked_until, operator_now, timezone), True, False
    if state.status is CodeStatus.NONE:
        return _("No access code has been issued to this number."), True, False
    return attempts_text(state.attempts_left).capitalize(), state.attempts_left <= 1, True


# -- the actions ------------------------------------------------------------------------------

@dataclass(frozen=True)
class CodeActionsView:
    issue_text: str
    check_text: str
    leaflet_text: str
    issue_enabled: bool
    check_enabled: bool
    reason: str  # why issue/check are disabled, shown under the buttons; "" when enabled


def unavailable_reason(rule: str, reason: str) -> str:
    """The card's sentence, with where to connect the Assistant when that is all it takes."""
    if rule == ASSISTANT_NOT_CONNECTED:
        return _("The Electronic Assistant is not connected: connect it first ({key}, free), "
                 "then issue the code.").format(key="F8")
    return reason


def present_actions(available: bool | None, reason: str = "", rule: str = "",
                    state: CodeState | None = None, busy: bool = False) -> CodeActionsView:
    """`available` None: still being worked out. While locked a code can still be issued (it
    replaces the old one and the lock stays, R3) but checking is pointless."""
    issue_ok = bool(available) and not busy
    check_ok = issue_ok and state is not None and state.status is CodeStatus.ACTIVE
    why = ""
    if available is False:
        why = unavailable_reason(rule, reason)
    elif available and state is not None and state.status is CodeStatus.NONE:
        why = _("Nothing to check yet: issue a code first.")
    return CodeActionsView(
        issue_text=f"{_('Issue access code')}  {ISSUE_KEY}",
        check_text=f"{_('Check the code')}  {CHECK_KEY}",
        leaflet_text=f"{_('Assistant leaflet')}  {LEAFLET_KEY}",
        issue_enabled=issue_ok, check_enabled=check_ok, reason=why)


# -- answers ----------------------------------------------------------------------------------

def issued_message(state: CodeState, phone: str, timezone: str) -> MessageView:
    text = _("A new access code went by SMS to {phone}: only the subscriber sees it. It "
             "replaces the previous code.").format(phone=phone)
    if state.locked and state.locked_until is not None:
        text += " " + _("Access stays locked until {when}; the new code works after that "
                        "(R3).").format(when=formatting.local_datetime(
                            state.locked_until, timezone, with_zone=True))
    return MessageView(text, "done")


def verify_message(result: VerifyResult, operator_now: datetime, timezone: str) -> MessageView:
    """The answer for the clerk and the subscriber: right, wrong with the attempts left,
    locked until when, or no code."""
    if result.outcome is VerifyOutcome.OK:
        return MessageView(_("Correct: the access code is right."), "done")
    if result.outcome is VerifyOutcome.WRONG:
        left = result.attempts_left or 0
        return MessageView(ngettext(
            "Wrong code: {count} attempt left before access is locked for 24 hours.",
            "Wrong code: {count} attempts left before access is locked for 24 hours.",
            left).format(count=left), "input")
    if result.outcome is VerifyOutcome.LOCKED and result.locked_until is not None:
        return MessageView(_("Access is locked after more than 3 wrong entries (R3). {locked}. "
                             "Then the same code works again, or the subscriber orders a new "
                             "one.").format(locked=locked_text(result.locked_until,
                                                               operator_now, timezone)),
                           "failure")
    return MessageView(_("No access code has been issued to this number: issue one first."),
                       "input")
