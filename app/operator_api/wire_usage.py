"""TMF635 `Usage` as the console reads a page of them, and its conversion to UsageRecord.

A heavy month is 100,000+ records, each a nested TMF entity (its characteristics a list of
name/value pairs, its price inside `ratedProductUsage`), so a page is validated in one pass by a
TypeAdapter over TypedDicts (pydantic-core builds plain dicts, no model per record and per
characteristic) and then turned into domain objects in one loop. Every range still holds at
the edge: instants 1970–2099 (checked natively, see wire_values.py), money to the kopeck and
at most 10¹², counts whole and not negative, the line each record is about, the period asked
for and the order the records come in. An answer with one record out of range is refused
whole.

The record kinds (`usageType`) and characteristics are those of the integrator's guide
(resources/operator-api.md, TMF635): voice / sms / data / charge / payment; `direction`,
`counterpart`, `duration` (s), `volume` (KB), `coveredBy`. The amount is
`ratedProductUsage[0].taxIncludedRatingAmount`, or `taxIncludedAmount` (the published
sample's spelling).
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from decimal import Decimal
from typing import Annotated, Any, NotRequired

from pydantic import AwareDatetime, Field, TypeAdapter
from typing_extensions import TypedDict  # pydantic reads TypedDicts from here before 3.12

from app.operator_api.tmf_wire import DEFERRED
from app.operator_api.wire_values import EARLIEST, LATEST
from models.domain import PackageKind, UsageKind, UsageRecord

# The largest count (seconds, kilobytes) the console shows: as wire_values.Count.
MAX_COUNT = 10**12
# A counterpart is a number, "internet", a fee's name or "payment"; never a page of text.
MAX_COUNTERPART = 500
KOPECK = Decimal("0.01")

KINDS = {"voice": UsageKind.CALL, "sms": UsageKind.SMS, "data": UsageKind.DATA,
         "charge": UsageKind.FEE, "payment": UsageKind.TOPUP}
DIRECTIONS = frozenset({"in", "out"})
PACKAGES = {kind.value: kind for kind in PackageKind}


class TmfMoneyDict(TypedDict):
    unit: Annotated[str, Field(pattern=r"^[A-Z]{3}$")]
    value: Annotated[Decimal, Field(max_digits=14, decimal_places=2, allow_inf_nan=False,
                                    ge=-10**12, le=10**12)]


class ProductRefDict(TypedDict):
    id: Annotated[str, Field(min_length=1, max_length=200)]


class RatedProductUsageDict(TypedDict):
    productRef: ProductRefDict
    taxIncludedRatingAmount: NotRequired[TmfMoneyDict]
    taxIncludedAmount: NotRequired[TmfMoneyDict]


class CharacteristicDict(TypedDict):
    name: str
    value: Any  # checked below for the names the console reads; others are ignored


class UsageDict(TypedDict):
    # The local store keeps ids of at most 40 characters (models/migrations.py).
    id: Annotated[str, Field(min_length=1, max_length=40)]
    usageDate: Annotated[AwareDatetime, Field(ge=EARLIEST, lt=LATEST)]
    usageType: str
    usageCharacteristic: NotRequired[list[CharacteristicDict]]
    ratedProductUsage: Annotated[list[RatedProductUsageDict], Field(min_length=1)]


USAGE_PAGE: TypeAdapter[list[UsageDict]] = TypeAdapter(list[UsageDict], config=DEFERRED)


def usage_records(page: Sequence[UsageDict], line: str, start: datetime, end: datetime,
                  after: datetime | None) -> list[UsageRecord]:
    """The page's records as domain objects. ValueError when a record is of another line than
    `line`, outside [start, end), or earlier than the one before it (`after`: the last record
    of the previous page, oldest first)."""
    records = []
    previous = after
    for usage in page:
        record = _record(usage, line)
        moment = record.started_at
        if not start <= moment < end:
            raise ValueError(f"usage {record.id} at {moment} is outside [{start}, {end})")
        if previous is not None and moment < previous:
            raise ValueError(f"usage {record.id} comes after a later one")
        previous = moment
        records.append(record)
    return records


def _record(usage: UsageDict, line: str) -> UsageRecord:
    kind = KINDS.get(usage["usageType"])
    if kind is None:
        raise ValueError(f"usage {usage['id']}: unknown usageType {usage['usageType']!r}")
    rated = usage["ratedProductUsage"]
    if len(rated) != 1:
        raise ValueError(f"usage {usage['id']}: {len(rated)} ratedProductUsage, expected one")
    if rated[0]["productRef"]["id"] != line:
        raise AnotherLine(f"usage {usage['id']} is of another line than {line}")
    money = rated[0].get("taxIncludedRatingAmount") or rated[0].get("taxIncludedAmount")
    if money is None:
        raise ValueError(f"usage {usage['id']}: no taxIncludedRatingAmount")
    direction = counterpart = duration = volume = covered = None
    for characteristic in usage.get("usageCharacteristic", ()):
        name, value = characteristic["name"], characteristic["value"]
        if name == "direction":
            if value not in DIRECTIONS:
                raise ValueError(f"usage {usage['id']}: direction {value!r}")
            direction = value
        elif name == "counterpart":
            if type(value) is not str or len(value) > MAX_COUNTERPART:
                raise ValueError(f"usage {usage['id']}: counterpart is not a short text")
            counterpart = value
        elif name == "duration":
            duration = _count(value, usage["id"], name)
        elif name == "volume":
            volume = _count(value, usage["id"], name)
        elif name == "coveredBy":
            covered = PACKAGES.get(value) if type(value) is str else None
            if covered is None:
                raise ValueError(f"usage {usage['id']}: coveredBy {value!r}")
    if counterpart is None:
        raise ValueError(f"usage {usage['id']}: no counterpart")
    return UsageRecord(usage["id"], usage["usageDate"], kind, direction, counterpart, duration,
                       volume, money["value"].quantize(KOPECK), covered)


def _count(value: Any, usage_id: str, name: str) -> int:
    # `type(...) is int`: a JSON true is not a count, nor 1.5 or "60".
    if type(value) is not int or not 0 <= value <= MAX_COUNT:
        raise ValueError(f"usage {usage_id}: {name} {value!r} is not a whole count")
    return value


class AnotherLine(ValueError):
    """A record about another line than the one asked for (the answer is refused whole)."""
