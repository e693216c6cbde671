"""TMF620 `productOffering` and `productOfferingPrice` as the console reads them, and the
catalog's domain objects made of them (the integrator's guide, resources/operator-api.md):

- an offering is a tariff or a service by its `category` (`tariff` / `service`); its console
  code is its id after that prefix (`tariff-SMART` → `SMART`, app/operator_api/offering_codes.py);
- `lifecycleStatus` `Launched` (or `Active`) is on sale, `Retired` (or `Obsolete`) archived;
  an offering in any other state (`In study`, `In design`, `In test`, `Rejected`) is not yet
  or never was the operator's to sell, and is left out of the catalog;
- `prodSpecCharValueUse` `tariffClass`: a tariff's class (one), the classes a service may be
  connected on (one or more); a tariff's `packageMinutes` / `packageSms` / `packageMb`;
- `productOfferingTerm` `trial` (R5): its `validFor` as calendar days — the UTC date of
  `startDateTime`, and the UTC date of the last instant before `endDateTime` (the sandbox's
  `{last}T23:59:59Z`; an end at `{day after}T00:00:00Z` names the same last day);
- the prices its `productOfferingPrice` refs name (one list of all prices, joined by id):
  `oneTime` with a `price` (the list price of switching to / connecting it), `recurring`
  monthly, `usage` per one `min` / `SMS` / `MB`, and a tariff's fee shares (R4: `oneTime`
  with a `percentage`, 0–100, named `switchFeeShare` / `connectionFeeShare`). The console
  never computes a fee (the operator's preview does), so the shares are checked, not kept.

Nothing the old `/v1` catalog gave the console is without a TMF source: `description` and
`fee_rules` (which no domain object holds) are an offering's `description` and the fee shares.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from typing import Annotated, Any

from pydantic import Field, TypeAdapter

from app.operator_api.offering_codes import SERVICE_PREFIX, TARIFF_PREFIX, offering_code
from app.operator_api.tmf_wire import DEFERRED, TmfMoney, TmfRef, TmfWire
from app.operator_api.wire_values import Count, Instant
from models.domain import (
    CatalogService,
    CatalogTariff,
    Money,
    PackageSizes,
    TariffClass,
    TrialPeriod,
    UnitPrices,
)

ON_SALE = frozenset({"Launched", "Active"})
ARCHIVED = frozenset({"Retired", "Obsolete"})
TARIFF_CATEGORY, SERVICE_CATEGORY = "tariff", "service"
PACKAGE_SIZES = ("packageMinutes", "packageSms", "packageMb")
USAGE_UNITS = ("min", "SMS", "MB")
FEE_SHARES = frozenset({"switchFeeShare", "connectionFeeShare"})
MONTH = frozenset({"month", "monthly"})
KOPECK = Decimal("0.01")


class TmfCharValue(TmfWire):
    value: Any = None  # TMF's Any: checked where the console reads it (a class, a size)
    unitOfMeasure: str | None = None


class TmfCharValueUse(TmfWire):
    name: str
    productSpecCharacteristicValue: list[TmfCharValue] = Field(default_factory=list)


class TmfPeriod(TmfWire):
    startDateTime: Instant | None = None
    endDateTime: Instant | None = None


class TmfTerm(TmfWire):
    name: str | None = None
    validFor: TmfPeriod | None = None


class TmfOffering(TmfWire):
    id: str = Field(min_length=1, max_length=200)
    name: str = Field(min_length=1, max_length=200)
    description: str | None = None
    lifecycleStatus: str | None = None
    category: list[TmfRef] = Field(default_factory=list)
    prodSpecCharValueUse: list[TmfCharValueUse] = Field(default_factory=list)
    productOfferingTerm: list[TmfTerm] = Field(default_factory=list)
    productOfferingPrice: list[TmfRef] = Field(default_factory=list)


class TmfUnit(TmfWire):
    amount: Decimal = Field(max_digits=19, decimal_places=6, allow_inf_nan=False)
    units: str


class TmfPrice(TmfWire):
    id: str = Field(min_length=1, max_length=200)
    name: str | None = None
    priceType: str | None = None
    price: TmfMoney | None = None
    percentage: Decimal | None = Field(default=None, ge=0, le=100, allow_inf_nan=False)
    recurringChargePeriodType: str | None = None
    recurringChargePeriodLength: int | None = None
    unitOfMeasure: TmfUnit | None = None


class _OtherEntity(TmfWire):
    """A price the console cannot read, kept by its id only: one no offering of the catalog
    refers to (another system's, or made by a test kit) is none of the console's business; one
    that is referred to refuses the catalog."""

    id: str = Field(min_length=1, max_length=200)


# Each price read as a TmfPrice from the JSON text (money never through a float), or else as
# an entity with an id.
PriceEntity = Annotated[TmfPrice | _OtherEntity, Field(union_mode="left_to_right")]
OFFERINGS: TypeAdapter[list[TmfOffering]] = TypeAdapter(list[TmfOffering], config=DEFERRED)
PRICE_ENTITIES: TypeAdapter[list[PriceEntity]] = TypeAdapter(list[PriceEntity], config=DEFERRED)
_CLASSES = {c.value: c for c in TariffClass}
_COUNT: TypeAdapter[int] = TypeAdapter(Count, config=DEFERRED)


def prices_by_id(entities: Iterable[TmfPrice | _OtherEntity]
                 ) -> dict[str, TmfPrice | _OtherEntity]:
    """The price list by id. Two prices with one id: ValueError."""
    found: dict[str, TmfPrice | _OtherEntity] = {}
    for entity in entities:
        if entity.id in found:
            raise ValueError(f"two productOfferingPrice entities have the id {entity.id}")
        found[entity.id] = entity
    return found


def in_catalog(offering: TmfOffering, category: str) -> bool:
    """Whether the offering is one of the clerk's catalog in this category: of it, and on
    sale or archived (not a draft)."""
    if not any(c.id == category for c in offering.category):
        return False
    return offering.lifecycleStatus is None or offering.lifecycleStatus in ON_SALE | ARCHIVED


def catalog_tariff(offering: TmfOffering,
                   prices: Mapping[str, TmfPrice | _OtherEntity]) -> CatalogTariff:
    own = _own_prices(offering, prices)
    classes = _classes(offering)
    if len(classes) != 1:
        raise ValueError(f"{offering.id}: a tariff has one tariffClass, not {len(classes)}")
    return CatalogTariff(_code(offering, TARIFF_PREFIX), offering.name, classes[0],
                         _one_off(offering, own), _monthly(offering, own),
                         _available(offering), _unit_prices(offering, own),
                         _packages(offering))


def catalog_service(offering: TmfOffering,
                    prices: Mapping[str, TmfPrice | _OtherEntity]) -> CatalogService:
    own = _own_prices(offering, prices)
    classes = _classes(offering)
    if not classes:
        raise ValueError(f"{offering.id}: a service names the classes it is for")
    return CatalogService(_code(offering, SERVICE_PREFIX), offering.name, _one_off(offering, own),
                          _monthly(offering, own), tuple(classes), _trial(offering),
                          _available(offering))


def _money(money: TmfMoney) -> Money:
    """To the kopeck, as the console has always shown and written amounts (`450.0` on the
    wire is 450.00, not 450)."""
    return Money(money.value.quantize(KOPECK), money.unit)


def _code(offering: TmfOffering, prefix: str) -> str:
    if not offering.id.startswith(prefix):
        raise ValueError(f"{offering.id}: the id of an offering of its category starts with "
                         f"{prefix}")
    return offering_code(offering.id)


def _available(offering: TmfOffering) -> bool:
    return offering.lifecycleStatus not in ARCHIVED


def _own_prices(offering: TmfOffering,
                prices: Mapping[str, TmfPrice | _OtherEntity]) -> list[TmfPrice]:
    own = []
    for ref in offering.productOfferingPrice:
        price = prices.get(ref.id)
        if price is None:
            raise ValueError(f"{offering.id}: its price {ref.id} is not in the price list")
        if not isinstance(price, TmfPrice):
            raise ValueError(f"{offering.id}: its price {ref.id} is out of range or garbled")
        own.append(price)
    return own


def _classes(offering: TmfOffering) -> list[TariffClass]:
    classes: list[TariffClass] = []
    for use in offering.prodSpecCharValueUse:
        if use.name != "tariffClass":
            continue
        for value in use.productSpecCharacteristicValue:
            found = _CLASSES.get(value.value) if isinstance(value.value, str) else None
            if found is None:
                raise ValueError(f"{offering.id}: tariffClass {value.value!r}")
            if found not in classes:
                classes.append(found)
    return classes


def _single(offering: TmfOffering, prices: list[TmfPrice], what: str) -> Money:
    if len(prices) != 1 or prices[0].price is None:
        raise ValueError(f"{offering.id}: {len(prices)} {what} prices with an amount, "
                         "expected one")
    return _money(prices[0].price)


def _one_off(offering: TmfOffering, own: list[TmfPrice]) -> Money:
    list_prices = []
    for price in own:
        if price.priceType != "oneTime":
            continue
        if price.percentage is not None:  # a fee share (R4): checked by its model, not kept
            if price.price is not None or price.name not in FEE_SHARES:
                raise ValueError(f"{offering.id}: a oneTime price {price.id} with a "
                                 "percentage is a fee share with no amount")
            continue
        list_prices.append(price)
    return _single(offering, list_prices, "oneTime")


def _monthly(offering: TmfOffering, own: list[TmfPrice]) -> Money:
    recurring = [p for p in own if p.priceType == "recurring"]
    for price in recurring:
        if price.recurringChargePeriodType not in MONTH or price.recurringChargePeriodLength \
                not in (None, 1):
            raise ValueError(f"{offering.id}: a recurring price {price.id} that is not "
                             "monthly")
    return _single(offering, recurring, "recurring")


def _unit_prices(offering: TmfOffering, own: list[TmfPrice]) -> UnitPrices | None:
    """A tariff's per-unit prices, or None when it publishes none (then the detalization has
    no tariff comparison). Some but not all of the three: ValueError."""
    found: dict[str, Money] = {}
    for price in own:
        if price.priceType != "usage":
            continue
        unit = price.unitOfMeasure
        if unit is None or unit.units not in USAGE_UNITS or unit.amount != 1 \
                or price.price is None or unit.units in found:
            raise ValueError(f"{offering.id}: usage price {price.id} is not one price per "
                             f"one {'/'.join(USAGE_UNITS)}")
        found[unit.units] = _money(price.price)
    if not found:
        return None
    if len(found) != len(USAGE_UNITS):
        raise ValueError(f"{offering.id}: usage prices for {sorted(found)} only")
    return UnitPrices(found["min"], found["SMS"], found["MB"])


def _whole(value: object) -> bool:
    """A float or Decimal that is a whole number within the counts' range."""
    if type(value) is float:
        return value.is_integer() and abs(value) <= 10**12
    return type(value) is Decimal and value.is_finite() and abs(value) <= 10**12 \
        and value == value.to_integral_value()


def _packages(offering: TmfOffering) -> PackageSizes | None:
    sizes: dict[str, int] = {}
    for use in offering.prodSpecCharValueUse:
        if use.name not in PACKAGE_SIZES:
            continue
        values = use.productSpecCharacteristicValue
        if len(values) != 1 or use.name in sizes:
            raise ValueError(f"{offering.id}: {use.name} has one value")
        value = values[0].value
        # 500.0: a whole number written with a fraction (a float or, read exactly, a Decimal).
        if _whole(value):
            value = int(value)
        if type(value) is not int:
            raise ValueError(f"{offering.id}: {use.name} is not a whole number")
        sizes[use.name] = _COUNT.validate_python(value)
    if not sizes:
        return None
    if len(sizes) != len(PACKAGE_SIZES):
        raise ValueError(f"{offering.id}: package sizes {sorted(sizes)} only")
    return PackageSizes(*(sizes[name] for name in PACKAGE_SIZES))


def _trial(offering: TmfOffering) -> TrialPeriod | None:
    trials = [t for t in offering.productOfferingTerm if t.name == "trial"]
    if not trials:
        return None
    period = trials[0].validFor
    if len(trials) > 1 or period is None or period.startDateTime is None \
            or period.endDateTime is None:
        raise ValueError(f"{offering.id}: one trial term with its start and end")
    first = _utc_date(period.startDateTime)
    last = _utc_date(period.endDateTime - timedelta(microseconds=1))
    if period.endDateTime <= period.startDateTime or last < first:
        raise ValueError(f"{offering.id}: a trial ends after it starts")
    return TrialPeriod(first, last)


def _utc_date(moment: datetime) -> date:
    return moment.astimezone(UTC).date()
