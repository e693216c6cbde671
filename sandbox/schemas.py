"""Pydantic models of the wire format (resources/operator-api.md), for validation of the small
responses and for a meaningful OpenAPI document. Field names are the contract's exactly."""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field

UtcInstant = Annotated[str, Field(
    description="UTC instant, ISO 8601 with Z", examples=["2026-11-23T10:15:00Z"],
    json_schema_extra={"format": "date-time"})]
IsoDate = Annotated[str, Field(description="YYYY-MM-DD", examples=["2026-11-11"],
                               json_schema_extra={"format": "date"})]
TariffClass = Literal["mass", "corporate", "vip"]


class Model(BaseModel):
    model_config = ConfigDict(populate_by_name=True, extra="forbid")


class Money(Model):
    value: str = Field(pattern=r"^-?\d+\.\d{2}$", examples=["123.45"],
                       description="Decimal string, two places")
    currency: Literal["RUB"] = "RUB"


class ErrorBody(Model):
    # Never rule_refused or version_mismatch: those bodies carry more (RefusalError's `rule`,
    # VersionError's `current_version`), and the document must not let them go without.
    code: str = Field(examples=["subscriber_not_found"],
                      json_schema_extra={"not": {"enum": ["rule_refused",
                                                          "version_mismatch"]}},
                      description="unauthorized | subscriber_not_found | not_found | "
                                  "method_not_allowed | bad_request | internal | unavailable "
                                  "| ... (each endpoint lists its own)")
    message: str


class Error(Model):
    error: ErrorBody


class Health(Model):
    status: Literal["ok"]
    now: UtcInstant
    seed: int


class Region(Model):
    code: str = Field(description="ISO 3166-2", examples=["RU-MOW"])
    name: str
    name_en: str
    timezone: str = Field(description="IANA time zone", examples=["Europe/Moscow"])


class TariffRef(Model):
    code: str
    name: str
    tariff_class: TariffClass = Field(alias="class")
    monthly_fee: Money


class ServiceRef(Model):
    code: str
    name: str
    connected_at: UtcInstant


class AssistantState(Model):
    connected: bool


class Subscriber(Model):
    msisdn: str = Field(description="E.164", examples=["+79161234567"])
    name: str
    status: Literal["active", "blocked"]
    activated_at: UtcInstant = Field(description="When the number was activated (its "
                                     "contract began): no usage, balance or detalization "
                                     "before it")
    home_region: Region
    tariff: TariffRef
    services: list[ServiceRef] = Field(description="Connected services, the Assistant aside")
    assistant: AssistantState
    version: int = Field(description="Also sent as the ETag; send it back as If-Match")


class MoneyBucket(Model):
    kind: Literal["main", "bonus"]
    amount: Money


class DebtBucket(Model):
    kind: Literal["promised_payment_debt"]
    amount: Money
    due_at: UtcInstant


class PackageBucket(Model):
    kind: Literal["package"]
    package: Literal["minutes", "sms", "data"]
    remaining: str = Field(examples=["250"])
    total: str = Field(examples=["500"])
    unit: Literal["min", "sms", "MB"]
    expires_at: UtcInstant


class Balance(Model):
    msisdn: str
    as_of: UtcInstant
    buckets: list[Annotated[MoneyBucket | DebtBucket | PackageBucket,
                            Field(discriminator="kind")]]


class FeeRules(Model):
    tariff_switch_percent: int = Field(
        ge=0, le=100, description="A switch away from this tariff costs the target tariff's "
                                  "one_off_fee × this / 100, rounded down to whole kopecks")
    service_connection_percent: int = Field(
        ge=0, le=100, description="Connecting a service on this tariff costs the service's "
                                  "one_off_fee × this / 100, rounded down to whole kopecks")


class UnitPrices(Model):
    minute: Money = Field(description="An outgoing minute beyond the package; a call is "
                                      "rounded up to whole minutes; incoming calls are free")
    sms: Money = Field(description="An outgoing SMS beyond the package; incoming SMS are free")
    mb: Money = Field(description="A megabyte (1024 KB) beyond the package; a data session "
                                  "costs volume_kb × mb / 1024, rounded up to a kopeck")


class PackageSizes(Model):
    minutes: int = Field(ge=0, description="Per calendar month of the home region; 0 = none")
    sms: int = Field(ge=0)
    mb: int = Field(ge=0)


class CatalogTariff(Model):
    code: str
    name: str
    tariff_class: TariffClass = Field(alias="class")
    one_off_fee: Money = Field(description="List price of switching to this tariff; what a "
                                           "subscriber pays depends on their current tariff's "
                                           "fee_rules (ask /v1/orders/preview)")
    monthly_fee: Money
    available: bool
    description: str
    fee_rules: FeeRules = Field(description="R4: what this tariff charges of one-off fees")
    prices: UnitPrices = Field(description="What usage beyond the packages costs")
    packages: PackageSizes = Field(description="Monthly packages, shared out over the days")


class Trial(Model):
    start: IsoDate
    end: IsoDate


class CatalogService(Model):
    code: str
    name: str
    one_off_fee: Money
    monthly_fee: Money
    allowed_classes: list[TariffClass]
    trial: Trial | None = Field(description="Trial operation, both dates inclusive (R5)")
    available: bool
    description: str


class TariffList(Model):
    items: list[CatalogTariff]


class ServiceList(Model):
    items: list[CatalogService]


class UsageRecord(Model):
    id: str = Field(examples=["+79161234567-20261101-0007"])
    started_at: UtcInstant
    type: Literal["call", "sms", "data", "fee", "topup"]
    direction: Literal["out", "in"] | None
    counterpart: str = Field(description='A number, "internet", a service or tariff name, '
                                         '"payment" or "promised_payment"')
    duration_s: int | None = Field(description="Calls only")
    volume_kb: int | None = Field(description="Data only")
    amount: Money = Field(description=">= 0; a topup credits it, every other type debits it")
    covered_by_package: Literal["minutes", "sms", "data"] | None


class UsagePage(Model):
    items: list[UsageRecord]
    next_cursor: str | None


class DemoSubscriber(Model):
    msisdn: str
    name: str
    tariff_code: str
    tariff_class: TariffClass
    home_region: str = Field(description="ISO 3166-2 code")
    status: Literal["active", "blocked"]
    assistant_connected: bool
    promised_payment_debt: bool
    heavy: bool
    document_type: Literal["passportRF", "foreignPassport", "residencePermit"] = Field(
        description="The made-up identity document on the operator's file (TMF632 "
                    "individualIdentification), for practising the identity check (R10)")
    document_number: str = Field(examples=["4509 785656"])
    unverified: bool = Field(description="303-FZ: the operator has not confirmed the "
                                         "subscriber's data (TMF632 status initialized)")
    representative: DemoRepresentative | None = Field(
        description="Someone the subscriber authorised (TMF632 relatedParty "
                    "authorisedRepresentative), if any")
    email: str | None = Field(description="The address the operator holds (TMF629 "
                                          "contactMedium), if any; at .example")


class DemoRepresentative(Model):
    name: str
    document_type: Literal["passportRF", "foreignPassport", "residencePermit"]
    document_number: str


class DemoSubscriberList(Model):
    items: list[DemoSubscriber]
