"""The value types of the operator's JSON, with the ranges the console can show.

A value that parses is not yet a value the console can use: `1E+999999` is a valid decimal
that no formatter can print, `Mars/Olympus` a valid string that no time-zone database knows,
and 9999-12-31T23:59:59Z a valid instant that overflows the moment it is shown in Moscow. Such
an answer, once cached, would break every later display of the card. So every number, zone
and instant of an answer is checked against these ranges at the edge, and an answer with one
out of range is refused whole (OperatorProtocolError) before anything of it is used or kept.
"""

from __future__ import annotations

from datetime import UTC, date, datetime
from decimal import Decimal
from functools import lru_cache
from typing import Annotated
from zoneinfo import available_timezones

from pydantic import AfterValidator, AwareDatetime, Field

# The instants an operator's records can carry: none before the Unix epoch (no mobile number
# is older), none after 2100 (a package, a trial or a debt's due date decades ahead is an
# error). Both far enough from datetime's own ends for any zone's offset.
EARLIEST = datetime(1970, 1, 1, tzinfo=UTC)
LATEST = datetime(2100, 1, 1, tzinfo=UTC)


def _sane_instant(moment: datetime) -> datetime:
    if not EARLIEST <= moment < LATEST:
        raise ValueError(f"an instant between {EARLIEST.year} and {LATEST.year - 1}")
    return moment


def _sane_day(day: date) -> date:
    if not EARLIEST.date() <= day < LATEST.date():
        raise ValueError(f"a date between {EARLIEST.year} and {LATEST.year - 1}")
    return day


@lru_cache(maxsize=1)
def known_zones() -> frozenset[str]:
    return frozenset(available_timezones())


def _known_zone(name: str) -> str:
    if name not in known_zones():
        raise ValueError("a time zone the IANA database knows, e.g. Europe/Moscow")
    return name


# A UTC instant on the wire ("…Z"): with its zone, within the range above.
Instant = Annotated[AwareDatetime, AfterValidator(_sane_instant)]
# A calendar date (trial operation), within the same range.
Day = Annotated[date, AfterValidator(_sane_day)]
# An IANA zone name the console can show times in.
ZoneName = Annotated[str, AfterValidator(_known_zone)]
# A package's remainder or size (minutes, SMS, MB): finite, not negative, printable.
Quantity = Annotated[Decimal, Field(ge=0, le=10**12, max_digits=19, decimal_places=6,
                                    allow_inf_nan=False)]
# Seconds, kilobytes, bytes, package sizes: whole, not negative, at most a trillion.
Count = Annotated[int, Field(ge=0, le=10**12)]
# A subscriber's version (the ETag sent back as If-Match).
Version = Annotated[int, Field(ge=0, le=2**53)]
