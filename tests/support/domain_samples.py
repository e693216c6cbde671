"""The showcase subscriber's card as domain objects: what tests/support/tmf_samples.py's
answers make (the services without the Assistant, which the card shows apart)."""

from __future__ import annotations

from datetime import UTC, datetime
from decimal import Decimal

from models.domain import (
    Balances,
    Money,
    PackageKind,
    PackageRemainder,
    Region,
    ServiceRef,
    Subscriber,
    SubscriberStatus,
    TariffClass,
    TariffRef,
)

MSISDN = "+79161234567"
MOSCOW = Region("RU-MOW", "Москва", "Moscow", "Europe/Moscow")


def rub(value: str) -> Money:
    return Money(Decimal(value), "RUB")


def sample_subscriber(msisdn: str = MSISDN, *, name: str = "Иванова Мария Петровна",
                      version: int = 3) -> Subscriber:
    return Subscriber(
        msisdn=msisdn, name=name, status=SubscriberStatus.ACTIVE, region=MOSCOW,
        tariff=TariffRef("SMART", "Смарт", TariffClass.MASS, rub("450.00")),
        services=(ServiceRef("GUARD", "Антивирус"),), assistant_connected=True,
        version=version, activated_at=datetime(2024, 3, 14, 9, 12, tzinfo=UTC))


def sample_balances(*, debt: bool = True) -> Balances:
    end = datetime(2026, 11, 30, 21, tzinfo=UTC)
    packages = (
        PackageRemainder(PackageKind.MINUTES, Decimal(250), Decimal(500), "min", end),
        PackageRemainder(PackageKind.DATA, Decimal(10240), Decimal(20480), "MB", end))
    if not debt:
        return Balances(rub("123.45"), rub("50.00"), rub("0.00"), None, packages)
    return Balances(rub("123.45"), rub("50.00"), rub("100.00"),
                    datetime(2026, 11, 26, 21, tzinfo=UTC), packages)
