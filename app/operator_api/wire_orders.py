"""The TM Forum answers the order calls read (app/operator_api/orders.py), as pydantic models:
TMF663 `ShoppingCart` (the fee preview), TMF622 `ProductOrder` (a change applied; the
documented subtype `SalonProductOrder` adds the line's versions), and the few parts of a
TMF637 line, a TMF654 bucket, the x-salon main balance at an instant and a TMF635 usage
record that a preview or an order's "balance after" needs. Only what the console reads is
declared; attributes it does not read are ignored (TmfWire).

Prices are TMF's `ProductPrice`/`CartPrice`: `{priceType, price: {taxIncludedAmount: Money}}`;
a change carries exactly one `oneTime` (the fee, R4) and one `recurring` (what the line costs
a month after it).
"""

from __future__ import annotations

from decimal import Decimal
from typing import Literal, TypeVar

from pydantic import Field, model_validator

from app.operator_api.tmf_wire import TmfList, TmfMoney, TmfQuantity, TmfRef, TmfWire
from app.operator_api.wire_values import Instant, Version
from models.domain import Money, ServiceRef, TrialPeriod

CENT = Decimal("0.01")
SERVICE_PREFIX = "service-"
TARIFF_PREFIX = "tariff-"


class TmfPriceAmount(TmfWire):
    taxIncludedAmount: TmfMoney


class TmfPrice(TmfWire):
    """A `ProductPrice` / `CartPrice` / `OrderPrice`: the console reads its type and amount."""

    priceType: str = Field(max_length=40)
    price: TmfPriceAmount


def kopecks(money: TmfMoney) -> Money:
    """TMF Money as the console's, written to the kopeck (the wire may say 25.0 for 25.00;
    TmfMoney already refused more than two decimals)."""
    return Money(money.value.quantize(CENT), money.unit)


def price_of(prices: list[TmfPrice], price_type: str) -> Money:
    """The one price of `price_type` (ValueError when there is none or several: a change has
    exactly one fee and one monthly figure)."""
    found = [p for p in prices if p.priceType == price_type]
    if len(found) != 1:
        raise ValueError(f"{len(found)} prices of type {price_type}, expected one")
    return kopecks(found[0].price.taxIncludedAmount)


class TmfRelatedProduct(TmfWire):
    """A `ProductRelationship`: the line a service's product belongs to. TMF's document puts
    the line in `product`; the mapping's shorthand puts its id beside the type."""

    relationshipType: str = Field(max_length=40)
    product: TmfRef | None = None
    id: str | None = None

    @property
    def product_id(self) -> str | None:
        return self.product.id if self.product is not None else self.id


class TmfItemProduct(TmfWire):
    id: str | None = Field(default=None, min_length=1, max_length=200)
    productRelationship: list[TmfRelatedProduct] = Field(default_factory=list)

    def names_line(self, line_id: str) -> bool:
        """Whether this product is the line or relates to it (a service on the line)."""
        return self.id == line_id or any(r.product_id == line_id
                                         for r in self.productRelationship)

    def line_ids(self) -> set[str]:
        return {r.product_id for r in self.productRelationship if r.product_id}


def _code(offering: TmfRef | None, prefix: str) -> str:
    if offering is None or not offering.id.startswith(prefix) or len(offering.id) == len(prefix):
        raise ValueError(f"an item's productOffering must be {prefix}<CODE>")
    return offering.id.removeprefix(prefix)


class TmfChangeItem(TmfWire):
    """A `CartItem` or `ProductOrderItem`: the client's change, or one of the operator's own
    `delete` items for a service the change drops."""

    id: str = Field(min_length=1, max_length=40)
    action: str = Field(max_length=40)
    product: TmfItemProduct | None = None
    productOffering: TmfRef | None = None

    def dropped_service(self) -> ServiceRef:
        offering = self.productOffering
        return ServiceRef(_code(offering, SERVICE_PREFIX), (offering and offering.name) or "")


class TmfPeriod(TmfWire):
    startDateTime: Instant
    endDateTime: Instant


class TmfCartTerm(TmfWire):
    """The documented subtype `SalonCartTerm` of TMF663's `CartTerm`: a trial (R5) with its
    first and last days as the UTC dates of `validFor`."""

    name: str = Field(max_length=80)
    validFor: TmfPeriod | None = None


class TmfCartItem(TmfChangeItem):
    itemPrice: list[TmfPrice] = Field(default_factory=list)
    itemTerm: list[TmfCartTerm] = Field(default_factory=list)

    def trial(self) -> TrialPeriod | None:
        terms = [t for t in self.itemTerm if t.name == "trial"]
        if not terms:
            return None
        period = terms[0].validFor
        if len(terms) > 1 or period is None:
            raise ValueError("a trial term needs one validFor")
        first, last = period.startDateTime.date(), period.endDateTime.date()
        if last < first:
            raise ValueError("a trial that ends before it starts")
        return TrialPeriod(first, last)


class TmfCart(TmfWire):
    """TMF663 `ShoppingCart` as priced by the operator."""

    id: str = Field(min_length=1, max_length=200)
    cartItem: list[TmfCartItem] = Field(min_length=1)

    def item(self, item_id: str) -> TmfCartItem:
        return _the_item(self.cartItem, item_id)

    def dropped(self, item_id: str) -> tuple[ServiceRef, ...]:
        return _dropped(self.cartItem, item_id)


class TmfOrderItem(TmfChangeItem):
    state: str | None = None
    itemPrice: list[TmfPrice] = Field(default_factory=list)


class TmfProductOrder(TmfWire):
    """TMF622 `ProductOrder`, applied: the subtype `SalonProductOrder` with the line's version
    before and after it (each applied order moves it by one)."""

    id: str = Field(min_length=1, max_length=200)
    externalId: str | None = None
    state: Literal["completed"]
    completionDate: Instant
    orderTotalPrice: list[TmfPrice]
    productOrderItem: list[TmfOrderItem] = Field(min_length=1)
    lineVersionBefore: Version
    lineVersionAfter: Version

    @model_validator(mode="after")
    def _one_step(self) -> TmfProductOrder:
        if self.lineVersionAfter != self.lineVersionBefore + 1:
            raise ValueError("an applied order moves the line's version by one")
        return self

    def item(self, item_id: str) -> TmfOrderItem:
        return _the_item(self.productOrderItem, item_id)

    def dropped(self, item_id: str) -> tuple[ServiceRef, ...]:
        return _dropped(self.productOrderItem, item_id)

    def line_id(self, item_id: str) -> str:
        """The line the order changed: the product of a tariff change, else the line its
        service's product is bundled with."""
        item = self.item(item_id)
        product = item.product
        if product is None:
            raise ValueError("an applied order's item names no product")
        lines = product.line_ids()
        if len(lines) == 1:
            return lines.pop()
        if not lines and product.id and item.action == "modify":
            return product.id
        raise ValueError("an applied order's item names no one line")


Item = TypeVar("Item", bound=TmfChangeItem)


def _the_item(items: list[Item], item_id: str) -> Item:
    found = [i for i in items if i.id == item_id]
    if len(found) != 1:
        raise ValueError(f"{len(found)} items with id {item_id!r}, expected one")
    return found[0]


def _dropped(items: list[TmfCartItem] | list[TmfOrderItem],
             item_id: str) -> tuple[ServiceRef, ...]:
    """The operator's own delete items (the services the change drops): every item but the
    client's, each a `delete` of a service."""
    others = [i for i in items if i.id != item_id]
    if any(i.action != "delete" for i in others):
        raise ValueError("the operator's own items of a change can only drop services")
    return tuple(i.dropped_service() for i in others)


# -- what a preview and an order's balance need beside them --------------------------------------

class TmfLineService(TmfWire):
    id: str = Field(min_length=1, max_length=200)
    productOffering: TmfRef | None = None
    productPrice: list[TmfPrice] = Field(default_factory=list)


class TmfLine(TmfWire):
    """A TMF637 line as the order calls read it: its monthly cost (its own recurring price plus
    its services') and its services' product ids (a service is disconnected by its id)."""

    id: str = Field(min_length=1, max_length=200)
    productSerialNumber: str
    productPrice: list[TmfPrice] = Field(default_factory=list)
    product: list[TmfLineService] = Field(default_factory=list)

    def monthly_cost(self) -> Money:
        prices = [p for p in self.productPrice if p.priceType == "recurring"]
        prices += [p for s in self.product for p in s.productPrice if p.priceType == "recurring"]
        if not prices:
            raise ValueError("a line without a recurring price")
        amounts = [kopecks(p.price.taxIncludedAmount) for p in prices]
        if len({m.currency for m in amounts}) != 1:
            raise ValueError("a line's monthly prices in several currencies")
        return Money(sum((m.amount for m in amounts), Decimal(0)), amounts[0].currency)

    def service_product(self, code: str) -> str | None:
        """The id of the connected service with catalog code `code`, None when not connected."""
        wanted = SERVICE_PREFIX + code
        found = [s.id for s in self.product
                 if s.productOffering is not None and s.productOffering.id == wanted]
        if len(found) > 1:
            raise ValueError(f"the service {code} is on the line twice")
        return found[0] if found else None


class TmfBucket(TmfWire):
    name: str | None = None
    usageType: str | None = None
    remainingValue: TmfQuantity | None = None


def main_balance(buckets: list[TmfBucket]) -> Money:
    """The one `main` monetary bucket of a line's TMF654 buckets."""
    found = [b for b in buckets if b.name == "main"]
    if len(found) != 1 or found[0].remainingValue is None:
        raise ValueError(f"{len(found)} main buckets, expected one with a remaining value")
    value = found[0].remainingValue
    if len(value.units) != 3 or not value.units.isupper():
        raise ValueError("the main balance's units are not a currency")
    if value.amount != value.amount.quantize(CENT):
        raise ValueError("a main balance finer than a kopeck")
    return Money(value.amount.quantize(CENT), value.units)


class TmfMainBalance(TmfWire):
    """x-salon `mainBalance`: the main balance at an instant (records before it)."""

    atDateTime: Instant
    remainingValue: TmfMoney
    product: TmfRef


class TmfRatedUsage(TmfWire):
    productRef: TmfRef
    taxIncludedRatingAmount: TmfMoney | None = None
    taxIncludedAmount: TmfMoney | None = None  # the published sample's spelling

    def amount(self) -> TmfMoney:
        amount = self.taxIncludedRatingAmount or self.taxIncludedAmount
        if amount is None:
            raise ValueError("a usage record without its amount")
        return amount


class TmfUsage(TmfWire):
    """A TMF635 usage record, for its effect on the main balance: a payment adds, anything
    else (usage, a fee) is charged."""

    usageDate: Instant
    usageType: str = Field(max_length=40)
    ratedProductUsage: list[TmfRatedUsage] = Field(min_length=1, max_length=1)

    def effect(self, line_id: str) -> Money:
        rated = self.ratedProductUsage[0]
        if rated.productRef.id != line_id:
            raise ValueError("a usage record of another line")
        money = kopecks(rated.amount())
        return money if self.usageType == "payment" else Money(-money.amount, money.currency)


class TmfBuckets(TmfList[list[TmfBucket]]):
    """TMF654 `GET /bucket`: a line's buckets."""


class TmfUsages(TmfList[list[TmfUsage]]):
    """TMF635 `GET /usage`: a page of usage records."""


class TmfProductOrders(TmfList[list[TmfProductOrder]]):
    """TMF622 `GET /productOrder`: orders (by externalId: the one placed with the key)."""
