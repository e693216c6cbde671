"""Access codes of the Electronic Assistant as the console knows them: plain frozen dataclasses.

R2: none of these ever holds a code. The console knows a code only while it is an argument of
the verify call (and the HTTP body that call sends): the state, a verify's answer and the
journal say whether it was right, never what it was. The one exception is `SmsMessage`: the
training sandbox's copy of what the subscriber's phone received, shown only in training mode
as the subscriber's phone — its text is left out of `repr` so that no log line can carry it.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from enum import StrEnum
from typing import Any

MAX_ENTRIES = 4  # R3: "more than 3 wrong entries" lock: the 4th consecutive wrong one
LOCK_HOURS = 24
CODE_DIGITS = 6


class CodeStatus(StrEnum):
    NONE = "none"  # no code ordered (or it went with the Assistant)
    ACTIVE = "active"
    LOCKED = "locked"  # R3: after more than 3 wrong entries, for 24 hours


@dataclass(frozen=True)
class CodeState:
    """The operator's access-code resource for one number, as of `as_of` (the operator's own
    clock: the training sandbox's may run ahead of the wall clock, and a countdown to the
    lock's end must count from it)."""

    msisdn: str
    status: CodeStatus
    issued_at: datetime | None  # UTC; when the current code was ordered
    attempts_left: int  # entries left before the lock: 4 with a fresh count, 0 while locked
    locked_until: datetime | None  # UTC; set only while locked
    as_of: datetime

    @property
    def locked(self) -> bool:
        return self.status is CodeStatus.LOCKED


class VerifyOutcome(StrEnum):
    OK = "ok"
    WRONG = "wrong"  # attempts_left 3, 2, 1
    LOCKED = "locked"  # this entry locked it, or it was locked already (then not counted)
    NO_CODE = "no_code"  # nothing to compare with; not counted


@dataclass(frozen=True)
class VerifyResult:
    """One entry's answer. Never the entry itself."""

    outcome: VerifyOutcome
    attempts_left: int | None = None  # with WRONG
    locked_until: datetime | None = None  # with LOCKED (UTC)


@dataclass(frozen=True)
class SmsMessage:
    """Training only: an SMS the subscriber's phone received (the sandbox's outbox, read as
    TMF681 communicationMessage)."""

    id: str  # the operator's id of the message (opaque)
    sender: str
    to: str
    text: str = field(repr=False)  # may carry a code: never in a repr, a log or the store
    sent_at: datetime


@dataclass(frozen=True)
class SandboxTime:
    """The training sandbox's clock: real time plus an offset that only grows."""

    now: datetime
    offset_seconds: int


@dataclass(frozen=True)
class PlacedPaperOrder:
    """A paper detalization ordered for pick-up at a salon (R11), as training places one for
    a number (`salon sandbox order-paper`), the way the operator's web shop does."""

    order_id: str
    msisdn: str
    salon: str
    period_start: date
    period_end: date
    ordered_at: datetime
    state: str  # TMF622's: acknowledged = new


def utc_text(moment: datetime | None) -> str | None:
    if moment is None:
        return None
    return moment.astimezone(UTC).isoformat().replace("+00:00", "Z")


def state_to_dict(state: CodeState) -> dict[str, Any]:
    """`salon code status --json` (README): times UTC."""
    return {"msisdn": state.msisdn, "state": state.status.value,
            "issued_at": utc_text(state.issued_at), "attempts_left": state.attempts_left,
            "locked_until": utc_text(state.locked_until)}
