"""Dates a test expects, computed from the clock the console runs on (never written down):
"today" in a region, last month, this month so far, and how the Russian screen writes them."""

from __future__ import annotations

from datetime import date, timedelta
from zoneinfo import ZoneInfo

from app.clock import Clock

MOSCOW = "Europe/Moscow"


def today_in(clock: Clock, zone: str = MOSCOW) -> date:
    return clock.now().astimezone(ZoneInfo(zone)).date()


def last_month(today: date) -> tuple[date, date]:
    last = today.replace(day=1) - timedelta(days=1)
    return last.replace(day=1), last


def this_month_so_far(today: date) -> tuple[date, date]:
    return today.replace(day=1), today


def ru(day: date) -> str:
    """As the Russian screen writes a date: 01.10.2026."""
    return day.strftime("%d.%m.%Y")


def ru_days(n: int) -> str:
    """'31 день', '30 дней', '22 дня'."""
    if n % 10 == 1 and n % 100 != 11:
        word = "день"
    elif 2 <= n % 10 <= 4 and not 12 <= n % 100 <= 14:
        word = "дня"
    else:
        word = "дней"
    return f"{n} {word}"


def ru_period(first: date, last: date) -> str:
    """'01.10.2026 — 31.10.2026 (31 день)'."""
    return f"{ru(first)} — {ru(last)} ({ru_days((last - first).days + 1)})"
