"""Local calendar days of a home region, as UTC instants.

Usage is generated per local day of the subscriber's home region (R7): people call in their own
daytime, monthly fees fall at local midnight of the 1st, packages renew with the local month. A
day is named by its proleptic Gregorian ordinal (`date.toordinal()`).
"""

from __future__ import annotations

from datetime import date, datetime, timedelta
from functools import lru_cache
from zoneinfo import ZoneInfo


@lru_cache(maxsize=64)
def _zone(timezone: str) -> ZoneInfo:
    return ZoneInfo(timezone)


@lru_cache(maxsize=65536)
def day_start(timezone: str, day: int) -> int:
    """The UTC instant of local midnight that starts `day`."""
    local = datetime.combine(date.fromordinal(day), datetime.min.time(), tzinfo=_zone(timezone))
    return int(local.timestamp())


def day_of(timezone: str, instant: int) -> int:
    """The local day that contains `instant`."""
    return datetime.fromtimestamp(instant, _zone(timezone)).date().toordinal()


def month_start_day(day: int) -> int:
    return date.fromordinal(day).replace(day=1).toordinal()


def next_month_start_day(day: int) -> int:
    first = date.fromordinal(day).replace(day=1)
    return (first + timedelta(days=32)).replace(day=1).toordinal()

