"""A detalization with every part a reader can see: the header, an overdue promised payment,
masked numbers, bonus and packages dated as of the moment it is made, a tariff change inside
the period (a switch fee, monthly fees naming both tariffs), the comparison, charts and rows.
Dates come from the instant it is made (a pinned clock), never written down."""

from __future__ import annotations

from datetime import UTC, datetime, time, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

from app.services.detalization_build import Header, build
from app.services.usage_sync import day_spans
from models.detalization import Detalization, Options, Period
from models.documents import new_document_id
from models.domain import (
    Balances,
    Money,
    PackageKind,
    PackageRemainder,
    Region,
    Subscriber,
    SubscriberStatus,
    TariffClass,
    TariffRef,
)
from models.pricing import estimate
from models.printing import DocumentKind
from tests.unit.test_pricing import catalog

ZONE = ZoneInfo("Europe/Moscow")
NAME = "Иванова Мария Петровна"
SUBSCRIBER = Subscriber("+79161234567", NAME, SubscriberStatus.ACTIVE,
                        Region("RU-MOW", "Москва", "Moscow", "Europe/Moscow"),
                        TariffRef("SMART", "Смарт", TariffClass.MASS, Money(Decimal("450.00"))),
                        (), True, 1)
BONUS = Decimal("77.70")
DEBT = Decimal("300.00")


def rub(value: str) -> Money:
    return Money(Decimal(value))


def rich_report(now: datetime, *, days: int = 4, options: Options | None = None
                ) -> Detalization:
    """The `days` local days ending the day before `now`; the tariff changes on the second."""
    from sandbox.catalog import TARIFFS

    local = now.astimezone(ZONE)
    last = local.date() - timedelta(days=1)
    period = Period(last - timedelta(days=days - 1), last)
    spans = day_spans(period, ZONE)
    start = datetime.combine(period.first, time(0), ZONE).astimezone(UTC)
    end = datetime.combine(period.last + timedelta(days=1), time(0), ZONE).astimezone(UTC)
    t0 = int(start.timestamp())
    switch = t0 + 86400 + 12 * 3600 + 30 * 60  # the second day, 12:30
    records = [
        (t0, "fee", None, "Тариф «Базовый»", None, None, 30000, None, "r0"),
        (t0 + 3600, "call", "out", "+79035550101", 125, None, 0, "minutes", "r1"),
        (t0 + 7200, "call", "out", "+79261112233", 65, None, 400, None, "r2"),
        (t0 + 9000, "sms", "out", "+79261112233", None, None, 300, None, "r3"),
        (t0 + 10800, "data", None, "internet", None, 2048, 315, None, "r4"),
        (switch, "fee", None, "Смена тарифа: «Смарт»", None, None, 15000, None, "r5"),
        (switch + 600, "topup", None, "promised_payment", None, None, 30000, None, "r6"),
        (switch + 3600, "call", "in", "+79035550101", 300, None, 0, None, "r7"),
        (switch + 86400, "topup", None, "payment", None, None, 50000, None, "r8"),
    ]
    net = sum(r[6] if r[1] == "topup" else -r[6] for r in records)
    opening = 120000
    packages = (PackageRemainder(PackageKind.MINUTES, Decimal(250), Decimal(500), "min",
                                 end + timedelta(days=20)),
                PackageRemainder(PackageKind.DATA, Decimal(1024), Decimal(10240), "MB", None))
    current = Balances(rub(str(Decimal(opening + net).scaleb(-2))), Money(BONUS), Money(DEBT),
                       now - timedelta(days=2), packages)
    tariffs = [catalog(t) for t in TARIFFS if t.code in ("SMART", "BASIC", "SMART_PLUS")]
    comparison = estimate(records, tariffs, "SMART", period, end, ZONE)
    header = Header(new_document_id(DocumentKind.DETALIZATION, now, ZONE), now,
                    "ПАО «Мобильная связь»", "Салон «Тверская, 12»", "MSK-TVERSKAYA-12")

    def main(kop: int) -> Balances:
        return Balances(rub(str(Decimal(kop).scaleb(-2))), Money(BONUS), Money(DEBT), None)

    return build(header, SUBSCRIBER, period, spans, start, end, records, main(opening),
                 main(opening + net), current, comparison,
                 options or Options(mask_numbers=True))
