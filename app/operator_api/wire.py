"""The operator API's JSON as pydantic models, and their conversion to domain objects.

Validation happens here, at the edge: whatever the API sends that the contract does not allow
becomes OperatorProtocolError in the client, never a half-built card on screen. Numbers, zones
and instants are held to the ranges the console can show (app/operator_api/wire_values.py).
The access-code and training-sandbox answers are in wire_codes.py.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, JsonValue, model_validator

from app.operator_api.wire_values import Day, Instant, Quantity, Version, ZoneName
from models.domain import (
    Balances,
    DemoSubscriber,
    Money,
    PackageKind,
    PackageRemainder,
    Region,
    ServiceRef,
    Subscriber,
    SubscriberStatus,
    TariffClass,
    TariffRef,
    TrialPeriod,
)
from models.orders import OrderPreview, OrderRequest, OrderResult


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


class WireRefusal(Wire):
    rule: str
    message: str


class WirePreview(Wire):
    allowed: bool
    refusal: WireRefusal | None = None
    fee: WireMoney
    monthly_cost_before: WireMoney
    monthly_cost_after: WireMoney
    balance_before: WireMoney
    balance_after: WireMoney
    trial: WireTrial | None = None
    dropped_services: list[WireServiceRef]
    subscriber_version: Version

    def domain(self, request: OrderRequest, refusal_message: str | None) -> OrderPreview:
        """`refusal_message`: the clerk's sentence for the refusal (the operator's is
        English and for the log)."""
        if self.allowed != (self.refusal is None):
            raise ValueError("a preview is allowed exactly when it has no refusal")
        return OrderPreview(
            request=request,
            allowed=self.allowed,
            refusal_rule=None if self.refusal is None else self.refusal.rule,
            refusal_message=None if self.refusal is None else refusal_message,
            fee=self.fee.domain(),
            monthly_cost_before=self.monthly_cost_before.domain(),
            monthly_cost_after=self.monthly_cost_after.domain(),
            balance_before=self.balance_before.domain(),
            balance_after=self.balance_after.domain(),
            trial=TrialPeriod(self.trial.start, self.trial.end) if self.trial else None,
            dropped_services=tuple(ServiceRef(s.code, s.name) for s in self.dropped_services),
            subscriber_version=self.subscriber_version,
        )


class WireOrder(Wire):
    order_id: str = Field(min_length=1)
    state: Literal["completed"]
    msisdn: str
    action: str
    tariff_code: str | None = None
    service_code: str | None = None
    fee: WireMoney
    monthly_cost_after: WireMoney
    balance_after: WireMoney
    completed_at: Instant
    subscriber_version: Version
    dropped_services: list[WireServiceRef]

    def domain(self) -> OrderResult:
        return OrderResult(
            order_id=self.order_id,
            fee=self.fee.domain(),
            monthly_cost_after=self.monthly_cost_after.domain(),
            balance_after=self.balance_after.domain(),
            completed_at=self.completed_at,
            subscriber_version=self.subscriber_version,
            dropped_services=tuple(ServiceRef(s.code, s.name) for s in self.dropped_services),
        )


class WireStoredAnswer(Wire):
    """GET /v1/orders/by-key/{key}: the answer the operator stored for a write's key."""

    key: str
    status: int = Field(ge=100, le=599)
    body: dict[str, JsonValue]
