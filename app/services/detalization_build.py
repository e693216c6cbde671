"""Building the detalization (R6) from the stored records and the operator's balances.

Every sum is exact (integer kopecks, then Decimal), and the operator's own numbers must add up:
opening − charges + payments = closing, to the kopeck. If they do not, the report is refused
(a SalonError, logged) rather than printed wrong.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
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
from models.usage import DaySpan, UsageRow

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


def build(header: Header, subscriber: Subscriber, period: Period, spans: Sequence[DaySpan],
          start: datetime, end: datetime, records: Sequence[UsageRow], opening: Balances,
          closing: Balances, current: Balances, tariffs: tuple[TariffEstimate, ...],
          options: Options) -> Detalization:
    zone = ZoneInfo(subscriber.region.timezone)
    charges = dict.fromkeys(Category, 0)
    payments = promised = covered = switches = 0
    by_day = [0] * len(spans)
    day_index, day_end = 0, spans[0].end_at if spans else 0
    for row in records:
        kind, amount = row[1], row[6]
        if kind == "topup":
            payments += amount
            if row[3] == PROMISED_PAYMENT:
                promised += amount
            continue
        charges[_CATEGORY.get(kind, Category.OTHER)] += amount
        if kind == "fee" and switch_fee(row[3]):
            switches += amount
        while row[0] >= day_end and day_index + 1 < len(spans):
            day_index += 1
            day_end = spans[day_index].end_at
        by_day[day_index] += amount
        if row[7] is not None:
            covered += 1
    total = sum(charges.values())
    open_kop, close_kop = _kop(opening.main.amount), _kop(closing.main.amount)
    if open_kop - total + payments != close_kop:
        # Amounts only: the log never names the subscriber or their contacts.
        log.error("balance identity broken for a detalization of %s..%s: opening %s − charges "
                  "%s + payments %s ≠ closing %s (%d records)", period.first, period.last,
                  rub(open_kop), rub(total), rub(payments), rub(close_kop), len(records))
        raise BalanceMismatch(_(
            "The operator's balances do not add up with the records for this period "
            "(opening {opening} − charges {charges} + payments {payments} ≠ closing "
            "{closing}); the detalization was not made. Try again later or report it to the "
            "operator."
        ).format(opening=rub(open_kop), charges=rub(total), payments=rub(payments),
                 closing=rub(close_kop)))
    rows = itemize(records, zone, options) if options.itemized else []
    return Detalization(
        document_id=header.document_id, created_at=header.created_at,
        operator_name=header.operator_name, salon_name=header.salon_name,
        salon_id=header.salon_id, subscriber_name=subscriber.name, msisdn=subscriber.msisdn,
        region_name=subscriber.region.name, timezone=subscriber.region.timezone,
        tariff_name=subscriber.tariff.name, period=period, start=start, end=end,
        opening=opening.main.amount, closing=closing.main.amount,
        charges={c: rub(kop) for c, kop in charges.items()}, payments=rub(payments),
        promised_credits=rub(promised), record_count=len(records), covered_count=covered,
        by_day=tuple((s.day, rub(kop)) for s, kop in zip(spans, by_day, strict=True)),
        rows=rows, bonus=current.bonus.amount, promised_debt=current.promised_payment_debt.amount,
        promised_due=current.promised_payment_due, packages=current.packages,
        balances_at=header.created_at, tariffs=tariffs, options=options,
        tariff_spans=tariff_spans(records, start, end), switch_fees=rub(switches),
    )


def itemize(records: Sequence[UsageRow], zone: ZoneInfo, options: Options
            ) -> list[DetalizationRow]:
    """The rows as shown: local times, numbers formatted (or masked), covered ones kept or
    left out as asked. Hot path for a heavy year: lookups instead of constructors."""
    mask = options.mask_numbers
    amounts: dict[int, Decimal] = {}
    rows: list[DetalizationRow] = []
    append = rows.append
    from_ts = datetime.fromtimestamp
    for started, kind, direction, counterpart, duration, volume, kop, covered, _id in records:
        if covered is not None and not options.show_covered:
            continue
        amount = amounts.get(kop)
        if amount is None:
            amount = amounts[kop] = rub(kop)
        append(DetalizationRow(
            from_ts(started, zone), _KIND[kind], direction, counterpart_text(counterpart, mask),
            duration, volume, amount, None if covered is None else _COVERED[covered]))
    return rows


def _kop(amount: Decimal) -> int:
    return int(amount.scaleb(2))
