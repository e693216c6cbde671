"""Training mode's «Телефон абонента»: the SMS the subscriber's phone received (the sandbox's
outbox), newest first, and the training world's clock. No tkinter.

R2: this is the one place an access code is ever on the console's screen, and only against the
training sandbox — so it is labelled as the subscriber's phone, never as the console's.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from app import formatting
from app.i18n import _
from models.access_codes import SmsMessage

STEPS = (3600, 24 * 3600)  # the clock buttons: +1 h, +24 h


@dataclass(frozen=True)
class SmsLine:
    header: str  # "от 6262 · 23.11.2026, 12:25 (UTC+3)"
    text: str


@dataclass(frozen=True)
class PhoneView:
    title: str
    note: str
    lines: tuple[SmsLine, ...]
    empty: str  # shown when there are no lines
    clock: str  # "Время учебного мира: …", or "" when unknown


def step_label(seconds: int) -> str:
    return _("+{hours} h").format(hours=seconds // 3600)


def present_phone(phone: str | None, messages: Sequence[SmsMessage],
                  world_now: datetime | None, timezone: str) -> PhoneView:
    """`phone`: the number on the card as printed (None: no card on screen)."""
    title = _("Subscriber's phone") if phone is None else \
        _("Subscriber's phone {phone}").format(phone=phone)
    lines = tuple(SmsLine(
        _("from {sender} · {when}").format(
            sender=message.sender,
            when=formatting.local_datetime(message.sent_at, timezone, with_zone=True)),
        message.text) for message in messages)
    if phone is None:
        empty = _("Open a subscriber's card to see the SMS their phone received.")
    else:
        empty = _("No SMS yet. Issue an access code (F10): it arrives here, as on the "
                  "subscriber's phone.")
    clock = "" if world_now is None else _("Training world time: {when}").format(
        when=formatting.local_datetime(world_now, timezone, with_zone=True))
    return PhoneView(title, _("Training mode: what the subscriber's phone received. At a real "
                              "counter only the subscriber sees the code."), lines, empty, clock)


def moved_message(seconds: int, world_now: datetime, timezone: str) -> str:
    return _("The training world's clock moved forward by {hours} h: it is now {when}.").format(
        hours=seconds // 3600,
        when=formatting.local_datetime(world_now, timezone, with_zone=True))
