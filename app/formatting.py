"""Money, dates and quantities as the clerk reads them, in the chosen language (Babel)."""

from __future__ import annotations

import re
from datetime import datetime, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

from babel.dates import format_datetime as _babel_datetime
from babel.dates import format_timedelta
from babel.numbers import format_decimal, get_currency_symbol

from app.i18n import language
from models.domain import Money

LOCALES = {"ru": "ru_RU", "en": "en_GB"}  # Babel's, for the console's languages


def _locale(in_language: str | None = None) -> str:
    return LOCALES.get(in_language or language(), "ru_RU")


def money(value: Money, in_language: str | None = None) -> str:
    """Decimal roubles with the sign after the number in both languages: '1 234,50 ₽'
    (`in_language`: another than the console's, for a file made in it)."""
    number = format_decimal(value.amount, format="#,##0.00", locale=_locale(in_language))
    return f"{number}\u00a0{get_currency_symbol(value.currency, locale='ru_RU')}"


def quantity(value: Decimal) -> str:
    return format_decimal(value, locale=_locale())


def local_datetime(moment: datetime, timezone: str, *, with_zone: bool = False) -> str:
    """A UTC instant shown in a region's zone: '23.11.2026, 13:15' (+ ' MSK' when asked)."""
    local = moment.astimezone(ZoneInfo(timezone))
    pattern = "dd.MM.yyyy, HH:mm" if _locale().startswith("ru") else "dd MMM yyyy, HH:mm"
    text = _babel_datetime(local, pattern, locale=_locale())
    return f"{text} ({utc_offset(local)})" if with_zone else text


def local_time(moment: datetime, timezone: str) -> str:
    """'13:15 (UTC+3)': the clock on the subscriber's home-region wall."""
    local = moment.astimezone(ZoneInfo(timezone))
    return f"{_babel_datetime(local, 'HH:mm', locale=_locale())} ({utc_offset(local)})"


def utc_offset(local: datetime) -> str:
    minutes = int((local.utcoffset() or timedelta()).total_seconds() // 60)
    sign = "+" if minutes >= 0 else "−"
    hours, rest = divmod(abs(minutes), 60)
    return f"UTC{sign}{hours}" + (f":{rest:02d}" if rest else "")


def age(delta: timedelta) -> str:
    """How old cached data is: '3 minutes', '2 hours'."""
    if delta < timedelta(seconds=60):
        delta = timedelta(seconds=max(1, int(delta.total_seconds())))
    return format_timedelta(delta, locale=_locale(), threshold=1.5)


def local_date(moment: datetime, timezone: str) -> str:
    """A UTC instant as the calendar date in a region's zone: '30.11.2026' / '30 Nov 2026'."""
    local = moment.astimezone(ZoneInfo(timezone))
    pattern = "dd.MM.yyyy" if _locale().startswith("ru") else "dd MMM yyyy"
    return _babel_datetime(local, pattern, locale=_locale())


def ago(delta: timedelta) -> str:
    """How long ago, with the language's own grammar: '15 минут назад', '1 минуту назад'."""
    if delta < timedelta(seconds=60):
        delta = timedelta(seconds=max(1, int(delta.total_seconds())))
    return format_timedelta(-delta, add_direction=True, locale=_locale())


_ADDRESS_IN_TEXT = re.compile(r"[^\s<>()\[\],;:\"@]+@[^\s<>()\[\],;:\"@]+")


def mask_addresses(text: str) -> str:
    """Every e-mail address in `text` (a relay's answer, say) masked as mask_email does: what
    goes into the journal or the log names no mailbox in full."""
    return _ADDRESS_IN_TEXT.sub(lambda found: mask_email(found.group(0)), text)


def mask_email(address: str) -> str:
    """i***@example.ru: enough for a clerk to recognise it, not enough to write to."""
    local, _sep, domain = address.rpartition("@")
    if not local:
        return "***"
    return f"{local[0]}***@{domain}"
