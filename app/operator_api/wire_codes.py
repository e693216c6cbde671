"""The operator's access-code answers (R1, R2, R3) and the training sandbox's phone and clock,
as pydantic models (the rest of the wire is in wire.py; the value ranges in wire_values.py)."""

from __future__ import annotations

from datetime import datetime
from typing import Literal

from pydantic import Field

from app.operator_api.wire import Wire
from app.operator_api.wire_values import Count, Instant
from models.access_codes import (
    MAX_ENTRIES,
    CodeState,
    CodeStatus,
    SandboxTime,
    SmsMessage,
    VerifyOutcome,
    VerifyResult,
)


class WireCodeState(Wire):
    """GET/POST .../access-code: the state, never the code (R2)."""

    state: Literal["none", "active", "locked"]
    issued_at: Instant | None
    attempts_left: int = Field(ge=0, le=MAX_ENTRIES)
    locked_until: Instant | None
    # The operator's clock at this answer (an extension the sandbox sends): a lock's countdown
    # counts from it, so a world clock moved ahead of the console's is counted right.
    now: Instant | None = None

    def domain(self, msisdn: str, as_of: datetime) -> CodeState:
        status = CodeStatus(self.state)
        if (status is CodeStatus.LOCKED) != (self.locked_until is not None):
            raise ValueError("locked_until is given exactly while the code is locked")
        return CodeState(msisdn, status, self.issued_at, self.attempts_left, self.locked_until,
                         as_of)


class WireVerify(Wire):
    """POST .../access-code/verify: ok | wrong (attempts_left) | locked (locked_until) |
    no_code."""

    result: Literal["ok", "wrong", "locked", "no_code"]
    attempts_left: int | None = Field(None, ge=1, le=MAX_ENTRIES - 1)
    locked_until: Instant | None = None

    def domain(self) -> VerifyResult:
        outcome = VerifyOutcome(self.result)
        if outcome is VerifyOutcome.WRONG and self.attempts_left is None:
            raise ValueError("a wrong entry's answer says how many attempts are left")
        if outcome is VerifyOutcome.LOCKED and self.locked_until is None:
            raise ValueError("a locked answer says until when")
        return VerifyResult(
            outcome,
            self.attempts_left if outcome is VerifyOutcome.WRONG else None,
            self.locked_until if outcome is VerifyOutcome.LOCKED else None,
        )


class WireSms(Wire):
    id: Count
    from_: str = Field(alias="from")
    to: str
    text: str
    sent_at: Instant

    def domain(self) -> SmsMessage:
        return SmsMessage(self.id, self.from_, self.to, self.text, self.sent_at)


class WireSmsList(Wire):
    items: list[WireSms]


class WireClock(Wire):
    now: Instant
    offset_seconds: Count

    def domain(self) -> SandboxTime:
        return SandboxTime(self.now, self.offset_seconds)
