"""Building the detalization (R6) from the stored records and the operator's balances.

Every sum is exact (integer kopecks, then Decimal), and the operator's own numbers must add up:
opening − charges + payments = closing, to the kopeck. If they do not, the report is refused
(a SalonError, logged) rather than printed wrong.
"""

from __future__ import annotations

import logging
from bisect import bisect_right
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

from app.errors import SalonError
from app.i18n import _
from models.detalization import (
    PROMISED_PAYMENT,
    Category,
    Detalization,
    DetalizationRow,
    Options,
    Period,
    TariffEstimate,
    counterpart_text,
)
from models.domain import Balances, PackageKind, Subscriber, UsageKind
from models.pricing import switch_fee, tariff_spans
from models.usage import DaySpan, StoredRecords, UsageRow

log = logging.getLogger(__name__)

_CATEGORY = {"call": Category.CALLS, "sms": Category.SMS, "data": Category.DATA,
             "fee": Category.FEES}
_KIND = {kind.value: kind for kind in UsageKind}
_COVERED = {kind.value: kind for kind in PackageKind}


class BalanceMismatch(SalonError):
    """The operator's balances and records do not add up: no report is made."""


@dataclass(frozen=True)
class Header:
    """Who and where: what the document's header names."""

    document_id: str
    created_at: datetime
    operator_name: str
    salon_name: str
    salon_id: str


def rub(kop: int) -> Decimal:
    return Decimal(kop).scaleb(-2)


@dataclass
class Totals:
    """What the report sums up: from SQL for stored records (StoredRecords.groups and
    charges_by_bucket), or from the rows themselves for a list (tests, benchmarks)."""

    charges: dict[Category, int]
    payments: int
    promised: int
    covered: int  # charged records (not topups) a package paid for
    hidden: int  # records left out when covered ones are not shown
    switches: int
    records: int
    by_day: list[int]


def totals_of(records: Iterable[UsageRow], spans: Sequence[DaySpan]) -> Totals:
    """The totals, by SQL when the records are the store's, else by one pass over them."""
    if isinstance(records, StoredRecords):
        return _stored_totals(records, spans)
    found = Totals(dict.fromkeys(Category, 0), 0, 0, 0, 0, 0, 0, [0] * len(spans))
    by_day = found.by_day
    day_index, day_end = 0, spans[0].end_at if spans else 0
    for row in records:
        found.records += 1
        kind, amount = row[1], row[6]
        if row[7] is not None:
            found.hidden += 1
        if kind == "topup":
            found.payments += amount
            if row[3] == PROMISED_PAYMENT:
                found.promised += amount
            continue
        found.charges[_CATEGORY.get(kind, Category.OTHER)] += amount
        if kind == "fee" and switch_fee(row[3]):
            found.switches += amount
        while row[0] >= day_end and day_index + 1 < len(spans):
            day_index += 1
            day_end = spans[day_index].end_at
        by_day[day_index] += amount
        if row[7] is not None:
            found.covered += 1
    return found


def _stored_totals(records: StoredRecords, spans: Sequence[DaySpan]) -> Totals:
    found = Totals(dict.fromkeys(Category, 0), 0, 0, 0, 0, 0, 0, [0] * len(spans))
    for group in records.groups():
        found.records += group.count
        if group.covered:
            found.hidden += group.count
        if group.kind == "topup":
            found.payments += group.amount_kop
            if group.counterpart == PROMISED_PAYMENT:
                found.promised += group.amount_kop
            continue
        found.charges[_CATEGORY.get(group.kind, Category.OTHER)] += group.amount_kop
        if group.kind == "fee" and group.counterpart is not None and switch_fee(
                group.counterpart):
            found.switches += group.amount_kop
        if group.covered:
            found.covered += group.count
    ends = [s.end_at for s in spans]
    for bucket, amount in records.charges_by_bucket():
        if spans:
            found.by_day[min(bisect_right(ends, bucket), len(spans) - 1)] += amount
    return found


def build(header: Header, subscriber: Subscriber, period: Period, spans: Sequence[DaySpan],
          start: datetime, end: datetime, records: Iterable[UsageRow], opening: Balances,
          closing: Balances, current: Balances, tariffs: tuple[TariffEstimate, ...],
          options: Options) -> Detalization:
    """The report. `records` is iterated again for the rows each time a writer reads them:
    the store's (StoredRecords) stream from SQL and are summed there; a list is summed
    here."""
    zone = ZoneInfo(subscriber.region.timezone)
    totals = totals_of(records, spans)
    charges = totals.charges
    payments = totals.payments
    total = sum(charges.values())
    open_kop, close_kop = _kop(opening.main.amount), _kop(closing.main.amount)
    if open_kop - total + payments != close_kop:
        # Amounts only: the log never names the subscriber or their contacts.
        log.error("balance identity broken for a detalization of %s..%s: opening %s − charges "
                  "%s + payments %s ≠ closing %s (%d records)", period.first, period.last,
                  rub(open_kop), rub(total), rub(payments), rub(close_kop), totals.records)
        raise BalanceMismatch(_(
            "The operator's balances do not add up with the records for this period "
            "(opening {opening} − charges {charges} + payments {payments} ≠ closing "
            "{closing}); the detalization was not made. Try again later or report it to the "
            "operator."
        ).format(opening=rub(open_kop), charges=rub(total), payments=rub(payments),
                 closing=rub(close_kop)))
    shown = totals.records - (0 if options.show_covered else totals.hidden)
    rows = ItemizedRows(records, zone, options, shown) if options.itemized else ItemizedRows(
        (), zone, options, 0)
    fees = records.fees() if isinstance(records, StoredRecords) else records
    return Detalization(
        document_id=header.document_id, created_at=header.created_at,
        operator_name=header.operator_name, salon_name=header.salon_name,
        salon_id=header.salon_id, subscriber_name=subscriber.name, msisdn=subscriber.msisdn,
        region_name=subscriber.region.name, timezone=subscriber.region.timezone,
        tariff_name=subscriber.tariff.name, period=period, start=start, end=end,
        opening=opening.main.amount, closing=closing.main.amount,
        charges={c: rub(kop) for c, kop in charges.items()}, payments=rub(payments),
        promised_credits=rub(totals.promised), record_count=totals.records,
        covered_count=totals.covered,
        by_day=tuple((s.day, rub(kop)) for s, kop in zip(spans, totals.by_day, strict=True)),
        rows=rows, bonus=current.bonus.amount, promised_debt=current.promised_payment_debt.amount,
        promised_due=current.promised_payment_due, packages=current.packages,
        balances_at=header.created_at, tariffs=tariffs, options=options,
        tariff_spans=tariff_spans(fees, start, end), switch_fees=rub(totals.switches),
        row_count=shown,
    )


class ItemizedRows:
    """The rows as shown, made afresh from the records each time they are iterated (a writer
    reads them once, as they come: never all in memory); `len` is the count SQL gave."""

    def __init__(self, records: Iterable[UsageRow], zone: ZoneInfo, options: Options,
                 count: int) -> None:
        self._records = records
        self._zone = zone
        self._options = options
        self._count = count

    def __iter__(self) -> Iterator[DetalizationRow]:
        return itemize(self._records, self._zone, self._options)

    def __len__(self) -> int:
        return self._count

    def __bool__(self) -> bool:
        return self._count > 0


def itemize(records: Iterable[UsageRow], zone: ZoneInfo, options: Options
            ) -> Iterator[DetalizationRow]:
    """The rows as shown, one at a time: local times, numbers formatted (or masked), covered
    ones kept or left out as asked. Hot path for a heavy year: lookups, not constructors."""
    mask = options.mask_numbers
    amounts: dict[int, Decimal] = {}
    from_ts = datetime.fromtimestamp
    for started, kind, direction, counterpart, duration, volume, kop, covered, _id in records:
        if covered is not None and not options.show_covered:
            continue
        amount = amounts.get(kop)
        if amount is None:
            amount = amounts[kop] = rub(kop)
        yield DetalizationRow(
            from_ts(started, zone), _KIND[kind], direction, counterpart_text(counterpart, mask),
            duration, volume, amount, None if covered is None else _COVERED[covered])


def _kop(amount: Decimal) -> int:
    return int(amount.scaleb(2))
