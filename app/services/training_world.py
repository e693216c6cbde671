"""Training mode's view into the sandbox world: what the subscriber's phone received (the SMS
with the access code, R2 — the only place a code is ever on screen, and only in training), the
world's clock, which a clerk moves forward to watch a 24-hour lock end (R3), and paper
detalizations ordered online for pick-up at a salon (R11), placed as the web shop would.

A real operator has none of this: every call then refuses with `not_sandbox` (exit 3).
"""

from __future__ import annotations

import re
from datetime import date, timedelta
from typing import Protocol

from app.clock import Clock, MovableClock
from app.errors import InputError
from app.i18n import _
from app.inputs import shown
from models.access_codes import PlacedPaperOrder, SandboxTime, SmsMessage

MAX_ADVANCE_S = 366 * 86400  # the sandbox moves at most a year per call
_UNITS = {"s": 1, "m": 60, "h": 3600, "d": 86400}
# ASCII digits only: `\d` and str.isdigit() also take '²' or '٣' (and int('²') raises).
_PART = re.compile(r"([0-9]+)([smhd])")
MAX_LENGTH = 32  # "1d2h3m4s" is 8; a longer text is not read (int() of 5,000 digits raises)


class SandboxApi(Protocol):
    def sandbox_sms(self, msisdn: str) -> list[SmsMessage]: ...

    def sandbox_clock(self) -> SandboxTime: ...

    def advance_clock(self, seconds: int) -> SandboxTime: ...

    def sandbox_order_paper(self, msisdn: str, start: date, end: date,
                            salon: str) -> PlacedPaperOrder: ...


def parse_duration(text: str) -> int:
    """'90s', '15m', '24h', '1d', '1h30m' (or bare seconds) → seconds; 1 s to a year."""
    cleaned = text.strip(" \t").lower().replace(" ", "")
    if cleaned.isascii() and cleaned.isdigit():  # bare seconds; a huge number is too far
        seconds = int(cleaned) if len(cleaned) <= MAX_LENGTH else MAX_ADVANCE_S + 1
    elif 0 < len(cleaned) <= MAX_LENGTH and _PART.sub("", cleaned) == "":
        seconds = sum(int(n) * _UNITS[unit] for n, unit in _PART.findall(cleaned))
    else:
        raise InputError(_("“{text}” is not a duration: write it like 90s, 15m, 24h or 1d.")
                         .format(text=shown(text.strip())))
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
        """What the phone of `msisdn` received, newest first (kept with the training world,
        beside its database, so a code one command ordered is there for the next)."""
        return self._api.sandbox_sms(msisdn)

    def clock(self) -> SandboxTime:
        return self._followed(self._api.sandbox_clock())

    def advance(self, seconds: int) -> SandboxTime:
        if not 1 <= seconds <= MAX_ADVANCE_S:
            raise InputError(_("The sandbox clock moves forward by 1 second to 366 days at a "
                               "time."))
        return self._followed(self._api.advance_clock(seconds))

    def order_paper(self, msisdn: str, start: date, end: date, salon: str,
                    today: date) -> PlacedPaperOrder:
        """A paper detalization of `msisdn` for [start, end] to pick up at `salon` (R11), as
        the subscriber would order it online; `today`: the salon's date now. The operator
        refuses a number of another home region than the salon's (R7, RuleRefused)."""
        if start > end:
            raise InputError(_("The period starts after it ends: {start} > {end}.")
                             .format(start=start.isoformat(), end=end.isoformat()))
        if end > today:
            raise InputError(_("The period ends {end}, after today ({today}): a detalization "
                               "covers days that have passed.")
                             .format(end=end.isoformat(), today=today.isoformat()))
        if not salon.strip() or len(salon) > 64:
            raise InputError(_("The salon's id is 1 to 64 characters, as in salon.ini."))
        return self._api.sandbox_order_paper(msisdn, start, end, salon.strip())

    def _followed(self, world: SandboxTime) -> SandboxTime:
        if isinstance(self._clock, MovableClock):
            self._clock.follow(timedelta(seconds=world.offset_seconds))
        return world
