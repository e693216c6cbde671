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

from app.operator_api.wire_values import Count, Day, Instant, Quantity, Version, ZoneName
from models.domain import (
    Balances,
    CatalogService,
    CatalogTariff,
    DemoSubscriber,
    Money,
    PackageKind,
    PackageRemainder,
    PackageSizes,
    Region,
    ServiceRef,
    Subscriber,
    SubscriberStatus,
    TariffClass,
    TariffRef,
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


class WireRegion(Wire):
    code: str
    name: str
    name_en: str
    timezone: ZoneName


class WireTariffRef(Wire):
    code: str
    name: str
    class_: TariffClass = Field(alias="class")
    monthly_fee: WireMoney


class WireServiceRef(Wire):
    code: str
    name: str


class WireAssistant(Wire):
    connected: bool


class WireSubscriber(Wire):
    msisdn: str = Field(pattern=r"^\+\d{11,15}$")
    name: str
    status: SubscriberStatus
    home_region: WireRegion
    tariff: WireTariffRef
    services: list[WireServiceRef]
    assistant: WireAssistant
    version: Version
    activated_at: Instant | None = None

    def domain(self) -> Subscriber:
        r, t = self.home_region, self.tariff
        return Subscriber(
            msisdn=self.msisdn,
            name=self.name,
            status=self.status,
            region=Region(r.code, r.name, r.name_en, r.timezone),
            tariff=TariffRef(t.code, t.name, t.class_, t.monthly_fee.domain()),
            services=tuple(ServiceRef(s.code, s.name) for s in self.services),
            assistant_connected=self.assistant.connected,
            version=self.version,
            activated_at=self.activated_at,
        )


class WireBucket(Wire):
    kind: Literal["main", "bonus", "promised_payment_debt", "package"]
    amount: WireMoney | None = None
    due_at: Instant | None = None
    package: PackageKind | None = None
    remaining: Quantity | None = None
    total: Quantity | None = None
    unit: str | None = None
    expires_at: Instant | None = None


class WireBalance(Wire):
    msisdn: str
    as_of: Instant
    buckets: list[WireBucket]

    def domain(self) -> Balances:
        by_kind: dict[str, list[WireBucket]] = {}
        for bucket in self.buckets:
            by_kind.setdefault(bucket.kind, []).append(bucket)
        main, bonus = _single_money(by_kind, "main"), _single_money(by_kind, "bonus")
        debt_buckets = by_kind.get("promised_payment_debt", [])
        debt = Money(Decimal("0.00"), main.currency)
        due = None
        if debt_buckets:
            debt = _single_money(by_kind, "promised_payment_debt")
            due = debt_buckets[0].due_at
            if due is None:
                raise ValueError("a promised-payment debt needs its due date")
        packages = tuple(_package(b) for b in by_kind.get("package", []))
        return Balances(main, bonus, debt, due, packages)


def _single_money(by_kind: dict[str, list[WireBucket]], kind: str) -> Money:
    found = by_kind.get(kind, [])
    if len(found) != 1 or found[0].amount is None:
        raise ValueError(f"expected exactly one {kind!r} bucket with an amount")
    return found[0].amount.domain()


def _package(bucket: WireBucket) -> PackageRemainder:
    if bucket.package is None or bucket.remaining is None or bucket.unit is None:
        raise ValueError("a package bucket needs package, remaining and unit")
    total = bucket.total if bucket.total is not None else bucket.remaining
    return PackageRemainder(bucket.package, bucket.remaining, total, bucket.unit, bucket.expires_at)


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
