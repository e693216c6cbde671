"""The operator API's JSON as pydantic models, and their conversion to domain objects.

Validation happens here, at the edge: whatever the API sends that the contract does not allow
becomes OperatorProtocolError in the client, never a half-built card on screen.
"""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, JsonValue

from models.access_codes import (
    MAX_ENTRIES,
    CodeState,
    CodeStatus,
    SandboxTime,
    SmsMessage,
    VerifyOutcome,
    VerifyResult,
)
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
from models.orders import OrderPreview, OrderRequest, OrderResult


class _Wire(BaseModel):
    model_config = ConfigDict(extra="ignore", frozen=True)


class WireHealth(_Wire):
    status: Literal["ok"]


class WireMoney(_Wire):
    value: Decimal = Field(max_digits=14, decimal_places=2)
    currency: str = Field(pattern=r"^[A-Z]{3}$")

    def domain(self) -> Money:
        return Money(self.value, self.currency)


class WireRegion(_Wire):
    code: str
    name: str
    name_en: str
    timezone: str


class WireTariffRef(_Wire):
    code: str
    name: str
    class_: TariffClass = Field(alias="class")
    monthly_fee: WireMoney


class WireServiceRef(_Wire):
    code: str
    name: str


class WireAssistant(_Wire):
    connected: bool


class WireSubscriber(_Wire):
    msisdn: str = Field(pattern=r"^\+\d{11,15}$")
    name: str
    status: SubscriberStatus
    home_region: WireRegion
    tariff: WireTariffRef
    services: list[WireServiceRef]
    assistant: WireAssistant
    version: int
    activated_at: datetime | None = None

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


class WireBucket(_Wire):
    kind: Literal["main", "bonus", "promised_payment_debt", "package"]
    amount: WireMoney | None = None
    due_at: datetime | None = None
    package: PackageKind | None = None
    remaining: Decimal | None = None
    total: Decimal | None = None
    unit: str | None = None
    expires_at: datetime | None = None


class WireBalance(_Wire):
    msisdn: str
    as_of: datetime
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


class WireTrial(_Wire):
    start: date
    end: date


class WireUnitPrices(_Wire):
    minute: WireMoney
    sms: WireMoney
    mb: WireMoney

    def domain(self) -> UnitPrices:
        return UnitPrices(self.minute.domain(), self.sms.domain(), self.mb.domain())


class WirePackageSizes(_Wire):
    minutes: int = Field(ge=0)
    sms: int = Field(ge=0)
    mb: int = Field(ge=0)

    def domain(self) -> PackageSizes:
        return PackageSizes(self.minutes, self.sms, self.mb)


class WireCatalogTariff(_Wire):
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


class WireCatalogService(_Wire):
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


class WireTariffList(_Wire):
    items: list[WireCatalogTariff]


class WireServiceList(_Wire):
    items: list[WireCatalogService]


class WireUsage(_Wire):
    id: str
    started_at: datetime
    type: UsageKind
    direction: Literal["out", "in"] | None = None
    counterpart: str
    duration_s: int | None = None
    volume_kb: int | None = None
    amount: WireMoney
    covered_by_package: PackageKind | None = None

    def domain(self) -> UsageRecord:
        return UsageRecord(self.id, self.started_at, self.type, self.direction, self.counterpart,
                           self.duration_s, self.volume_kb, self.amount.value,
                           self.covered_by_package)


class WireUsagePage(_Wire):
    items: list[WireUsage]
    next_cursor: str | None = None


class WireDemoSubscriber(_Wire):
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


class WireDemoList(_Wire):
    items: list[WireDemoSubscriber]


class WireRefusal(_Wire):
    rule: str
    message: str


class WirePreview(_Wire):
    allowed: bool
    refusal: WireRefusal | None = None
    fee: WireMoney
    monthly_cost_before: WireMoney
    monthly_cost_after: WireMoney
    balance_before: WireMoney
    balance_after: WireMoney
    trial: WireTrial | None = None
    dropped_services: list[WireServiceRef]
    subscriber_version: int

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


class WireOrder(_Wire):
    order_id: str = Field(min_length=1)
    state: Literal["completed"]
    msisdn: str
    action: str
    tariff_code: str | None = None
    service_code: str | None = None
    fee: WireMoney
    monthly_cost_after: WireMoney
    balance_after: WireMoney
    completed_at: datetime
    subscriber_version: int
    dropped_services: list[WireServiceRef]

    def domain(self) -> OrderResult:
        if self.completed_at.tzinfo is None:
            raise ValueError("completed_at must carry a time zone")
        return OrderResult(
            order_id=self.order_id,
            fee=self.fee.domain(),
            monthly_cost_after=self.monthly_cost_after.domain(),
            balance_after=self.balance_after.domain(),
            completed_at=self.completed_at,
            subscriber_version=self.subscriber_version,
            dropped_services=tuple(ServiceRef(s.code, s.name) for s in self.dropped_services),
        )


class WireStoredAnswer(_Wire):
    """GET /v1/orders/by-key/{key}: the answer the operator stored for a write's key."""

    key: str
    status: int
    body: dict[str, JsonValue]


# -- access codes (R1, R2, R3) and the training sandbox's phone and clock ---------------------

class WireCodeState(_Wire):
    """GET/POST .../access-code: the state, never the code (R2)."""

    state: Literal["none", "active", "locked"]
    issued_at: datetime | None
    attempts_left: int = Field(ge=0, le=MAX_ENTRIES)
    locked_until: datetime | None

    def domain(self, msisdn: str, as_of: datetime) -> CodeState:
        status = CodeStatus(self.state)
        if (status is CodeStatus.LOCKED) != (self.locked_until is not None):
            raise ValueError("locked_until is given exactly while the code is locked")
        for moment in (self.issued_at, self.locked_until):
            if moment is not None and moment.tzinfo is None:
                raise ValueError("access-code times must carry a time zone")
        return CodeState(msisdn, status, self.issued_at, self.attempts_left, self.locked_until,
                         as_of)


class WireVerify(_Wire):
    """POST .../access-code/verify: ok | wrong (attempts_left) | locked (locked_until) |
    no_code."""

    result: Literal["ok", "wrong", "locked", "no_code"]
    attempts_left: int | None = Field(None, ge=1, le=MAX_ENTRIES - 1)
    locked_until: datetime | None = None

    def domain(self) -> VerifyResult:
        outcome = VerifyOutcome(self.result)
        if outcome is VerifyOutcome.WRONG and self.attempts_left is None:
            raise ValueError("a wrong entry's answer says how many attempts are left")
        if outcome is VerifyOutcome.LOCKED and (self.locked_until is None
                                                or self.locked_until.tzinfo is None):
            raise ValueError("a locked answer says until when, with a time zone")
        return VerifyResult(
            outcome,
            self.attempts_left if outcome is VerifyOutcome.WRONG else None,
            self.locked_until if outcome is VerifyOutcome.LOCKED else None,
        )


class WireSms(_Wire):
    id: int
    from_: str = Field(alias="from")
    to: str
    text: str
    sent_at: datetime

    def domain(self) -> SmsMessage:
        return SmsMessage(self.id, self.from_, self.to, self.text, self.sent_at)


class WireSmsList(_Wire):
    items: list[WireSms]


class WireClock(_Wire):
    now: datetime
    offset_seconds: int

    def domain(self) -> SandboxTime:
        if self.now.tzinfo is None:
            raise ValueError("the sandbox clock's time must carry a time zone")
        return SandboxTime(self.now, self.offset_seconds)
