"""The tariff comparison: what a period's actual usage would have cost on other tariffs.

An ESTIMATE, and the console's only pricing code. It re-prices the subscriber's own records
by a catalog tariff's per-unit prices and packages, by the rules the operator API documents
for its catalog (resources/operator-api.md, "GET /v1/catalog/tariffs"):
- outgoing call: ceil(duration / 60) minutes × the minute price; outgoing SMS: the SMS price;
  data: ceil(volume_kb × MB price in kopecks / 1024) kopecks; incoming calls and SMS: free;
- packages are shared out over the days of the month; within a day, in time order, a call is
  covered while its whole minutes fit in the day's minutes, an SMS while the day's SMS last, a
  data session while its whole volume fits; otherwise it is charged in full;
- the tariff's monthly fee prorated to the period: for each month the period touches, the fee
  × the period's days in that month / the month's days (a whole calendar month is one fee, a
  week about a quarter), so a short period compares tariffs fairly;
- service fees and one-off fees stay as they were (they do not depend on the tariff); a fee
  for switching tariffs (`Смена тарифа: «…»`, R4) is never counted: it is the price of a
  change, not of the usage.
What it leaves out: services a tariff's class may not have, and activation-day fees. A period
that spans a tariff change is priced whole by each tariff; the document says which tariff
billed which days (models/detalization.TariffSpan). For the tariff the subscriber is on, over
a period without a tariff change, the usage part equals what was actually charged.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

from models.detalization import Period, TariffEstimate, TariffSpan
from models.domain import CatalogTariff, PackageSizes, TariffClass, UnitPrices
from models.usage import UsageRow

TARIFF_FEE_PREFIX = "Тариф «"  # counterpart of a tariff's monthly fee record (the contract)
SWITCH_FEE_PREFIX = "Смена тарифа: «"  # counterpart of a tariff switch's fee (the contract)
CENT = Decimal("0.01")


def daily_allotment(total: int, day: date) -> int:
    """A day's share of a monthly package (integer parts summing to the month's total)."""
    days_in_month = (_next_first(day) - day.replace(day=1)).days
    return total * day.day // days_in_month - total * (day.day - 1) // days_in_month


def comparable(tariffs: Iterable[CatalogTariff], tariff_class: TariffClass,
               current_code: str) -> list[CatalogTariff]:
    """The tariffs open to the subscriber: available ones of their own class, and their own
    (even archived); only those whose catalog entry gives prices and packages."""
    return [t for t in tariffs
            if t.prices is not None and t.packages is not None
            and (t.code == current_code or (t.available and t.tariff_class == tariff_class))]


def _terms(tariff: CatalogTariff) -> tuple[UnitPrices, PackageSizes]:
    """A compared tariff's prices and packages (comparable() keeps only tariffs that have them)."""
    if tariff.prices is None or tariff.packages is None:
        raise ValueError(f"tariff {tariff.code} gives no prices or packages to compare")
    return tariff.prices, tariff.packages


def usage_kopecks(rows: Iterable[UsageRow], tariffs: Sequence[CatalogTariff],
                  zone: ZoneInfo) -> list[int]:
    """Each tariff's charge in kopecks for the calls, SMS and data of `rows` (time order)."""
    n = len(tariffs)
    terms = [_terms(t) for t in tariffs]
    minute = [_kop(prices.minute.amount) for prices, _packages in terms]
    sms = [_kop(prices.sms.amount) for prices, _packages in terms]
    mb = [_kop(prices.mb.amount) for prices, _packages in terms]
    totals = [0] * n
    day_end = -1
    allot_min = allot_sms = allot_kb = cov_min = cov_sms = cov_kb = [0] * n
    for row in rows:
        started, kind, direction = row[0], row[1], row[2]
        if started >= day_end:
            local = datetime.fromtimestamp(started, zone)
            day = local.date()
            day_end = int(datetime.combine(day + timedelta(days=1), datetime.min.time(),
                                           zone).timestamp())
            allot_min = [daily_allotment(packages.minutes, day) for _prices, packages in terms]
            allot_sms = [daily_allotment(packages.sms, day) for _prices, packages in terms]
            allot_kb = [daily_allotment(packages.mb * 1024, day) for _prices, packages in terms]
            cov_min, cov_sms, cov_kb = [0] * n, [0] * n, [0] * n
        if kind == "call":
            if direction != "out":
                continue
            minutes = ((row[4] or 0) + 59) // 60
            for i in range(n):
                if cov_min[i] + minutes <= allot_min[i]:
                    cov_min[i] += minutes
                else:
                    totals[i] += minutes * minute[i]
        elif kind == "sms":
            if direction != "out":
                continue
            for i in range(n):
                if cov_sms[i] < allot_sms[i]:
                    cov_sms[i] += 1
                else:
                    totals[i] += sms[i]
        elif kind == "data":
            volume = row[5] or 0
            for i in range(n):
                if cov_kb[i] + volume <= allot_kb[i]:
                    cov_kb[i] += volume
                else:
                    totals[i] += (volume * mb[i] + 1023) // 1024
    return totals


def month_shares(period: Period, end: datetime, zone: ZoneInfo) -> Decimal:
    """How many months' worth the period is: for each month it touches, its days in the period
    (up to the day `end` falls in) over the month's days. A whole calendar month is 1."""
    last = min(period.last, end.astimezone(zone).date())
    share = Decimal(0)
    day = period.first
    while day <= last:
        month_end = _next_first(day) - timedelta(days=1)
        stop = min(month_end, last)
        share += Decimal((stop - day).days + 1) / Decimal(month_end.day)
        day = stop + timedelta(days=1)
    return share


def switch_fee(counterpart: str) -> bool:
    return counterpart.startswith(SWITCH_FEE_PREFIX)


def tariff_spans(rows: Iterable[UsageRow], start: datetime, end: datetime
                 ) -> tuple[TariffSpan, ...]:
    """Which tariff billed which part of [start, end), as far as the records say: a switch fee
    starts a span on the tariff it names; a monthly fee names the tariff in force from its
    instant (a change without a fee shows only there). A span the records do not name has
    name None. One span: no change is seen in the period."""
    marks: list[tuple[int, str, bool]] = []  # (instant, tariff, is a switch)
    for row in rows:
        if row[1] != "fee":
            continue
        if row[3].startswith(SWITCH_FEE_PREFIX):
            marks.append((row[0], _named(row[3], SWITCH_FEE_PREFIX), True))
        elif row[3].startswith(TARIFF_FEE_PREFIX):
            marks.append((row[0], _named(row[3], TARIFF_FEE_PREFIX), False))
    starts: list[int] = [int(start.timestamp())]
    names: list[str | None] = [None]
    for at, name, is_switch in sorted(marks, key=lambda m: (m[0], not m[2])):
        if names[-1] is None and not is_switch:
            names[-1] = name  # the tariff billed since the span began
        elif names[-1] != name:
            starts.append(at)
            names.append(name)
    stops = [*starts[1:], int(end.timestamp())]
    return tuple(TariffSpan(datetime.fromtimestamp(a, UTC), datetime.fromtimestamp(b, UTC), n)
                 for a, b, n in zip(starts, stops, names, strict=True))


def _named(counterpart: str, prefix: str) -> str:
    return counterpart[len(prefix):].removesuffix("»")


def _next_first(day: date) -> date:
    return date(day.year + day.month // 12, day.month % 12 + 1, 1)


def estimate(rows: Iterable[UsageRow], tariffs: Sequence[CatalogTariff], current_code: str,
             period: Period, end: datetime, zone: ZoneInfo) -> tuple[TariffEstimate, ...]:
    """Every tariff's estimate for the period, cheapest first (one pass over `rows`, which
    may be a stream from the store)."""
    if not tariffs:
        return ()
    fees = [0]

    def passing() -> Iterator[UsageRow]:
        for row in rows:
            if row[1] == "fee" and not row[3].startswith(TARIFF_FEE_PREFIX) and not \
                    switch_fee(row[3]):
                fees[0] += row[6]
            yield row

    usage = usage_kopecks(passing(), tariffs, zone)
    other_fees = fees[0]
    share = month_shares(period, end, zone)
    estimates = [
        TariffEstimate(
            code=t.code, name=t.name, monthly_fee=t.monthly_fee.amount,
            usage=_rub(kop), monthly_fees=(t.monthly_fee.amount * share).quantize(CENT),
            other_fees=_rub(other_fees), current=t.code == current_code)
        for t, kop in zip(tariffs, usage, strict=True)
    ]
    return tuple(sorted(estimates, key=lambda e: (e.total, not e.current, e.name)))


def _kop(value: Decimal) -> int:
    return int(value.scaleb(2))


def _rub(kop: int) -> Decimal:
    return Decimal(kop).scaleb(-2).quantize(Decimal("0.01"))
