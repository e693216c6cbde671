"""The TMF answers a card is made of, as pydantic models, and their conversion to the domain:

- TMF637 `Product` (a line): number, status, activation, tariff and its monthly fee, the
  services (each a product of its own, nested), the person using it, the home region;
- TMF620 `ProductOffering` read for the tariff's class alone (`prodSpecCharValueUse`
  `tariffClass`: the line names its tariff, the catalog says its class);
- TMF632 `Individual` (the person's name, when the line's reference to them has none);
- TMF654 `Bucket`s of a line: main, bonus, the promised payment owed, the month's packages;
- the x-salon extension's main balance at an instant.

Everything the console reads is checked against the ranges it can show
(app/operator_api/wire_values.py); a value out of them is a ValueError, which the client turns
into OperatorProtocolError before anything of the answer is used or kept. Attributes the
console does not read are ignored.
"""

from __future__ import annotations

import logging
from datetime import datetime
from decimal import Decimal

from pydantic import Field, JsonValue, TypeAdapter

from app.operator_api.offering_codes import ASSISTANT, offering_code
from app.operator_api.tmf_wire import DEFERRED, TmfList, TmfMoney, TmfQuantity, TmfRef, TmfWire
from app.operator_api.wire_values import Instant, Quantity, Version, ZoneName
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

log = logging.getLogger(__name__)

# TMF637 ProductStatusType → the card's status; any other status of a line is not one a
# subscriber's card can show (line_ids.py never picks such a line).
LINE_STATUS = {"active": SubscriberStatus.ACTIVE, "suspended": SubscriberStatus.BLOCKED}
# A service on the line counts as connected in these states (pendingTerminate: still on).
CONNECTED = frozenset({"active", "suspended", "pendingTerminate"})
HOME_REGION = "homeRegion"
TARIFF_CLASS = "tariffClass"
USER_ROLE = "user"
# TMF654 bucket names → what the card holds; the packages' units as the domain writes them.
MAIN, BONUS, DEBT = "main", "bonus", "promisedPaymentDebt"
PACKAGES = {"minutes": PackageKind.MINUTES, "sms": PackageKind.SMS, "data": PackageKind.DATA}
UNITS = {"min": "min", "sms": "sms", "mb": "MB", "gb": "GB"}
CENT = Decimal("0.01")


# -- common parts -------------------------------------------------------------------------------

class TmfPeriod(TmfWire):
    start: Instant | None = Field(None, alias="startDateTime")
    end: Instant | None = Field(None, alias="endDateTime")


class TmfParty(TmfWire):
    """RelatedParty: `{id, name, role, @referredType}`."""

    id: str = Field(min_length=1, max_length=200)
    name: str | None = Field(None, max_length=500)
    role: str | None = None


class TmfCharacteristic(TmfWire):
    name: str
    value: JsonValue = None


def money_of(amount: Decimal, currency: str) -> Money:
    """A money amount as the console keeps it: at most two decimals (kopecks), written with
    exactly two (the operator's JSON number 2233.0 is 2233.00 RUB)."""
    if amount != amount.quantize(CENT):
        raise ValueError(f"money with more than two decimals: {amount}")
    return Money(amount.quantize(CENT), currency)


# -- TMF637: the line ---------------------------------------------------------------------------

class TmfHomeRegion(TmfWire):
    code: str = Field(min_length=1, max_length=20)
    name: str = Field(min_length=1, max_length=200)
    name_en: str = Field(alias="nameEn", min_length=1, max_length=200)
    time_zone: ZoneName = Field(alias="timeZone")


def home_region(characteristics: list[TmfCharacteristic]) -> Region:
    """A line's home region: its one `homeRegion` characteristic."""
    found = [c for c in characteristics if c.name == HOME_REGION]
    if len(found) != 1:
        raise ValueError(f"a line has exactly one {HOME_REGION}, not {len(found)}")
    region = TmfHomeRegion.model_validate(found[0].value)
    return Region(region.code, region.name, region.name_en, region.time_zone)


def one_party(parties: list[TmfParty], role: str) -> TmfParty:
    """The one related party of `role` (case as TMF writes it or not)."""
    found = [p for p in parties if (p.role or "").lower() == role]
    if len(found) != 1:
        raise ValueError(f"a line names exactly one {role}, not {len(found)}")
    return found[0]


class TmfPriceAmount(TmfWire):
    tax_included: TmfMoney = Field(alias="taxIncludedAmount")


class TmfProductPrice(TmfWire):
    price_type: str | None = Field(None, alias="priceType")
    period: str | None = Field(None, alias="recurringChargePeriod")
    price: TmfPriceAmount | None = None

    def monthly(self) -> bool:
        return self.price_type == "recurring" and (self.period or "month") == "month"


class TmfServiceProduct(TmfWire):
    """A service on the line: a product nested in the line's `product[]`."""

    id: str | None = None
    name: str | None = Field(None, max_length=500)
    status: str | None = None
    offering: TmfRef = Field(alias="productOffering")

    def connected(self) -> bool:
        return self.status is None or self.status in CONNECTED

    def code(self) -> str:
        return offering_code(self.offering.id)

    def domain(self) -> ServiceRef:
        name = self.name or self.offering.name
        if not name:
            raise ValueError(f"the service {self.offering.id} has no name")
        return ServiceRef(self.code(), name)


class TmfLine(TmfWire):
    """TMF637 `GET /product/{id}` of a line (its `ETag` is read beside it)."""

    id: str = Field(min_length=1, max_length=200)
    serial_number: str = Field(alias="productSerialNumber")
    status: str
    start: Instant | None = Field(None, alias="startDate")
    name: str | None = Field(None, max_length=500)
    offering: TmfRef = Field(alias="productOffering")
    prices: list[TmfProductPrice] = Field(default_factory=list, alias="productPrice")
    services: list[TmfServiceProduct] = Field(default_factory=list, alias="product")
    parties: list[TmfParty] = Field(default_factory=list, alias="relatedParty")
    characteristics: list[TmfCharacteristic] = Field(default_factory=list,
                                                     alias="productCharacteristic")

    def user(self) -> TmfParty:
        """The person using the line (`relatedParty` role `user`)."""
        return one_party(self.parties, USER_ROLE)

    def region(self) -> Region:
        return home_region(self.characteristics)

    def monthly_fee(self) -> Money:
        """The tariff's monthly fee: the line's own recurring monthly price(s); none is a
        tariff without one."""
        amounts = [p.price.tax_included for p in self.prices if p.monthly() and p.price]
        currencies = {a.unit for a in amounts}
        if len(currencies) > 1:
            raise ValueError(f"a tariff's monthly fee in several currencies: {currencies}")
        total = sum((a.value for a in amounts), Decimal(0))
        return money_of(total, currencies.pop() if currencies else "RUB")

    def domain(self, *, version: int, tariff_class: TariffClass, person: str) -> Subscriber:
        status = LINE_STATUS.get(self.status)
        if status is None:
            raise ValueError(f"a line in status {self.status!r} is not a subscriber's")
        tariff_name = self.offering.name or self.name
        if not tariff_name:
            raise ValueError("the line's tariff has no name")
        connected = [s for s in self.services if s.connected()]
        return Subscriber(
            msisdn=self.serial_number,
            name=person,
            status=status,
            region=self.region(),
            tariff=TariffRef(offering_code(self.offering.id), tariff_name, tariff_class,
                             self.monthly_fee()),
            services=tuple(s.domain() for s in connected if s.code() != ASSISTANT),
            assistant_connected=any(s.code() == ASSISTANT for s in connected),
            version=version,
            activated_at=self.start,
        )


_VERSION: TypeAdapter[int] = TypeAdapter(Version, config=DEFERRED)


def version_of(etag: str | None) -> int:
    """The subscriber's version from the line's `ETag: "<version>"` (a strong tag: it goes
    back as If-Match, which compares strongly)."""
    text = (etag or "").strip()
    if len(text) < 3 or text[0] != '"' or text[-1] != '"' or not text[1:-1].isdigit() \
            or len(text) > 20:
        raise ValueError(f"the line's ETag {etag!r} is not a quoted version number")
    return _VERSION.validate_python(int(text[1:-1]))


# -- TMF620: the tariff's class -----------------------------------------------------------------

class TmfCharValue(TmfWire):
    value: JsonValue = None


class TmfCharValueUse(TmfWire):
    name: str
    values: list[TmfCharValue] = Field(default_factory=list,
                                       alias="productSpecCharacteristicValue")


class TmfOfferingClass(TmfWire):
    """`GET /productOffering/{id}?fields=prodSpecCharValueUse` of a tariff."""

    id: str
    uses: list[TmfCharValueUse] = Field(default_factory=list, alias="prodSpecCharValueUse")

    def tariff_class(self) -> TariffClass:
        found = [u for u in self.uses if u.name == TARIFF_CLASS]
        if len(found) != 1 or len(found[0].values) != 1:
            raise ValueError(f"the tariff {self.id} has no single {TARIFF_CLASS}")
        return TariffClass(str(found[0].values[0].value))


class TmfOfferingClasses(TmfList[list[TmfOfferingClass]]):
    """`GET /productOffering?category.id=tariff&fields=id,prodSpecCharValueUse`."""


# -- TMF632: the person -------------------------------------------------------------------------

class TmfIndividual(TmfWire):
    full_name: str | None = Field(None, alias="fullName", max_length=500)
    family_name: str | None = Field(None, alias="familyName", max_length=200)
    given_name: str | None = Field(None, alias="givenName", max_length=200)
    middle_name: str | None = Field(None, alias="middleName", max_length=200)

    def name(self) -> str:
        """«Фамилия Имя Отчество», as the contract names the person."""
        if self.full_name:
            return self.full_name
        parts = [p for p in (self.family_name, self.given_name, self.middle_name) if p]
        if not parts:
            raise ValueError("the person has no name")
        return " ".join(parts)


# -- TMF654: the balances -----------------------------------------------------------------------

class TmfBucket(TmfWire):
    id: str | None = None
    name: str
    products: list[TmfRef] = Field(default_factory=list, alias="product")
    remaining: TmfQuantity = Field(alias="remainingValue")
    total: TmfQuantity | None = Field(None, alias="totalValue")  # SalonPackageBucket's
    valid_for: TmfPeriod | None = Field(None, alias="validFor")

    def money(self) -> Money:
        currency = self.remaining.units
        if len(currency) != 3 or not currency.isalpha() or not currency.isupper():
            raise ValueError(f"the {self.name} bucket is not money: {currency!r}")
        return money_of(self.remaining.amount, currency)

    def ends(self) -> datetime | None:
        return self.valid_for.end if self.valid_for else None

    def package(self, kind: PackageKind) -> PackageRemainder:
        remaining = _QUANTITY.validate_python(self.remaining.amount)
        total = remaining if self.total is None else _QUANTITY.validate_python(self.total.amount)
        unit = UNITS.get(self.remaining.units.lower(), self.remaining.units)
        return PackageRemainder(kind, remaining, total, unit, self.ends())


_QUANTITY: TypeAdapter[Decimal] = TypeAdapter(Quantity, config=DEFERRED)


class TmfBuckets(TmfList[list[TmfBucket]]):
    """`GET /bucket?product.id={line}`."""

    def domain(self) -> Balances:
        by_name: dict[str, list[TmfBucket]] = {}
        for bucket in self.root:
            by_name.setdefault(bucket.name, []).append(bucket)
        unknown = sorted(set(by_name) - {MAIN, BONUS, DEBT, *PACKAGES})
        if unknown:  # a BSS may keep more buckets than the card shows
            log.info("buckets the card does not show: %s", ", ".join(unknown))
        main, bonus = _single(by_name, MAIN).money(), _single(by_name, BONUS).money()
        debt, due = Money(Decimal("0.00"), main.currency), None
        if by_name.get(DEBT):
            owed = _single(by_name, DEBT)
            debt, due = owed.money(), owed.ends()
            if due is None:
                raise ValueError("a promised-payment debt needs its due date (validFor)")
        packages = tuple(bucket.package(kind) for name, kind in PACKAGES.items()
                         for bucket in by_name.get(name, []))
        return Balances(main, bonus, debt, due, packages)


def _single(by_name: dict[str, list[TmfBucket]], name: str) -> TmfBucket:
    found = by_name.get(name, [])
    if len(found) != 1:
        raise ValueError(f"expected exactly one {name!r} bucket, not {len(found)}")
    return found[0]


# -- x-salon: the main balance at an instant ----------------------------------------------------

class TmfMainBalance(TmfWire):
    """`GET /tmf-api/x-salon/v1/mainBalance?product.id=…&at=…`."""

    at: Instant = Field(alias="atDateTime")
    remaining: TmfMoney = Field(alias="remainingValue")
    product: TmfRef

    def domain(self) -> Balances:
        """Only the main balance is known at an instant (what a detalization's opening and
        closing need): the rest of the Balances is zero and empty."""
        main = money_of(self.remaining.value, self.remaining.unit)
        zero = Money(Decimal("0.00"), main.currency)
        return Balances(main, zero, zero, None, ())
