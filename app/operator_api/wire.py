"""The operator API's JSON as pydantic models, and their conversion to domain objects.

Validation happens here, at the edge: whatever the API sends that the contract does not allow
becomes OperatorProtocolError in the client, never a half-built card on screen. Numbers, zones
and instants are held to the ranges the console can show (app/operator_api/wire_values.py).
The access-code and training-sandbox answers are in wire_codes.py.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator

from app.operator_api.wire_values import Count, Day, Instant, Version
from models.domain import (
    CatalogService,
    CatalogTariff,
    DemoSubscriber,
    Money,
    PackageKind,
    PackageSizes,
    ServiceRef,
    SubscriberStatus,
    TariffClass,
    TrialPeriod,
    UnitPrices,
    UsageKind,
    UsageRecord,
)


class Wire(BaseModel):
    model_config = ConfigDict(extra="ignore", frozen=True)


class WireHealth(Wire):
    status: Literal["ok"]


class WireMoney(Wire):
    value: Decimal = Field(max_digits=14, decimal_places=2, allow_inf_nan=False)
    currency: str = Field(pattern=r"^[A-Z]{3}$")

    def domain(self) -> Money:
        return Money(self.value, self.currency)


class WireServiceRef(Wire):
    code: str
    name: str


class WireTrial(Wire):
    start: Day
    end: Day

    @model_validator(mode="after")
    def _ordered(self) -> WireTrial:
        if self.end < self.start:
            raise ValueError("a trial ends on or after its start")
        return self


class WireUnitPrices(Wire):
    minute: WireMoney
    sms: WireMoney
    mb: WireMoney

    def domain(self) -> UnitPrices:
        return UnitPrices(self.minute.domain(), self.sms.domain(), self.mb.domain())


class WirePackageSizes(Wire):
    minutes: Count
    sms: Count
    mb: Count

    def domain(self) -> PackageSizes:
        return PackageSizes(self.minutes, self.sms, self.mb)


class WireCatalogTariff(Wire):
    code: str
    name: str
    class_: TariffClass = Field(alias="class")
    one_off_fee: WireMoney
    monthly_fee: WireMoney
    available: bool
    prices: WireUnitPrices | None = None  # optional: an operator may not publish them
    packages: WirePackageSizes | None = None

    def domain(self) -> CatalogTariff:
        return CatalogTariff(self.code, self.name, self.class_, self.one_off_fee.domain(),
                             self.monthly_fee.domain(), self.available,
                             self.prices.domain() if self.prices else None,
                             self.packages.domain() if self.packages else None)


class WireCatalogService(Wire):
    code: str
    name: str
    one_off_fee: WireMoney
    monthly_fee: WireMoney
    allowed_classes: list[TariffClass]
    trial: WireTrial | None
    available: bool

    def domain(self) -> CatalogService:
        trial = TrialPeriod(self.trial.start, self.trial.end) if self.trial else None
        return CatalogService(self.code, self.name, self.one_off_fee.domain(),
                              self.monthly_fee.domain(), tuple(self.allowed_classes), trial,
                              self.available)


class WireTariffList(Wire):
    items: list[WireCatalogTariff]


class WireServiceList(Wire):
    items: list[WireCatalogService]


class WireUsage(Wire):
    id: str
    started_at: Instant
    type: UsageKind
    direction: Literal["out", "in"] | None = None
    counterpart: str
    duration_s: Count | None = None
    volume_kb: Count | None = None
    amount: WireMoney
    covered_by_package: PackageKind | None = None

    def domain(self) -> UsageRecord:
        return UsageRecord(self.id, self.started_at, self.type, self.direction, self.counterpart,
                           self.duration_s, self.volume_kb, self.amount.value,
                           self.covered_by_package)


class WireUsagePage(Wire):
    items: list[WireUsage]
    next_cursor: str | None = None


class WireDemoSubscriber(Wire):
    msisdn: str
    name: str
    tariff_code: str
    tariff_class: TariffClass
    home_region: str
    status: SubscriberStatus
    assistant_connected: bool
    promised_payment_debt: bool
    heavy: bool

    def domain(self) -> DemoSubscriber:
        return DemoSubscriber(self.msisdn, self.name, self.tariff_code, self.tariff_class,
                              self.home_region, self.status, self.assistant_connected,
                              self.promised_payment_debt, self.heavy)


class WireDemoList(Wire):
    items: list[WireDemoSubscriber]
