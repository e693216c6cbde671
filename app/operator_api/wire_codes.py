"""The operator's access-code answers (R1, R2, R3: the x-salon extension's `accessCode`, whose
bodies keep the older contract's snake_case), the training phone's SMS (TMF681
`communicationMessage`) and the sandbox's clock, as pydantic models (the value ranges are
wire_values.py's)."""

from __future__ import annotations

from datetime import datetime
from typing import Literal

from pydantic import Field

from app.operator_api.tmf_wire import TmfList, TmfWire
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


class TmfPhone(TmfWire):
    """A TMF681 `Sender` or `Receiver`, read for its number."""

    phoneNumber: str = Field(min_length=1, max_length=32)


class TmfMessage(TmfWire):
    """TMF681 `CommunicationMessage`: an SMS the phone received. Its `content` may carry a
    code: it is read here and shown only as the training phone (never logged)."""

    id: str = Field(min_length=1, max_length=200)
    content: str = Field(max_length=2000)
    sendTime: Instant
    sender: TmfPhone
    receiver: list[TmfPhone] = Field(min_length=1)

    def domain(self, msisdn: str) -> SmsMessage:
        return SmsMessage(self.id, self.sender.phoneNumber, msisdn, self.content, self.sendTime)


class TmfMessages(TmfList[list[TmfMessage]]):
    """`GET communicationMessage?receiver.phoneNumber=…`: a JSON array."""


class WireClock(Wire):
    now: Instant
    offset_seconds: Count

    def domain(self) -> SandboxTime:
        return SandboxTime(self.now, self.offset_seconds)
