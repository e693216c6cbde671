"""Training mode's view into the sandbox world: what the subscriber's phone received (the SMS
with the access code, R2 — the only place a code is ever on screen, and only in training) and
the world's clock, which a clerk moves forward to watch a 24-hour lock end (R3).

A real operator has none of this: every call then refuses with `not_sandbox` (exit 3).
"""

from __future__ import annotations

import re
from datetime import timedelta
from typing import Protocol

from app.clock import Clock, MovableClock
from app.errors import InputError
from app.i18n import _
from models.access_codes import SandboxTime, SmsMessage

MAX_ADVANCE_S = 366 * 86400  # the sandbox moves at most a year per call
_UNITS = {"s": 1, "m": 60, "h": 3600, "d": 86400}
_PART = re.compile(r"(\d+)([smhd])")


class SandboxApi(Protocol):
    def sandbox_sms(self, msisdn: str) -> list[SmsMessage]: ...

    def sandbox_clock(self) -> SandboxTime: ...

    def advance_clock(self, seconds: int) -> SandboxTime: ...


def parse_duration(text: str) -> int:
    """'90s', '15m', '24h', '1d', '1h30m' (or bare seconds) → seconds; 1 s to a year."""
    cleaned = text.strip().lower().replace(" ", "")
    if cleaned.isdigit():
        seconds = int(cleaned)
    elif cleaned and _PART.sub("", cleaned) == "":
        seconds = sum(int(n) * _UNITS[unit] for n, unit in _PART.findall(cleaned))
    else:
        raise InputError(_("“{text}” is not a duration: write it like 90s, 15m, 24h or 1d.")
                         .format(text=text[:20]))
    if not 1 <= seconds <= MAX_ADVANCE_S:
        raise InputError(_("The sandbox clock moves forward by 1 second to 366 days at a "
                           "time."))
    return seconds


class TrainingWorld:
    def __init__(self, api: SandboxApi, clock: Clock) -> None:
        """`clock`: the console's; in training a MovableClock that follows the world's, so
        "+24 h" moves the detalization's "today", archive expiry, retention and periodic
        delivery with it."""
        self._api = api
        self._clock = clock

    def sms(self, msisdn: str) -> list[SmsMessage]:
        """What the phone of `msisdn` received, newest first (the sandbox keeps it in memory
        only: a restarted sandbox has none)."""
        return self._api.sandbox_sms(msisdn)

    def clock(self) -> SandboxTime:
        return self._followed(self._api.sandbox_clock())

    def advance(self, seconds: int) -> SandboxTime:
        if not 1 <= seconds <= MAX_ADVANCE_S:
            raise InputError(_("The sandbox clock moves forward by 1 second to 366 days at a "
                               "time."))
        return self._followed(self._api.advance_clock(seconds))

    def _followed(self, world: SandboxTime) -> SandboxTime:
        if isinstance(self._clock, MovableClock):
            self._clock.follow(timedelta(seconds=world.offset_seconds))
        return world
