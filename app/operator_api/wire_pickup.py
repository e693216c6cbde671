"""The TMF answers the pick-up calls read (app/operator_api/pickup.py), as pydantic models: a
TMF622 `ProductOrder` of the offering `paper-detalization` (resources/operator-api.md, "TMF622
pick-up orders"), and the few parts of a TMF637 line that say whose number it is and its home
region (R7). Only what the console reads is declared; the rest is ignored (TmfWire).
"""

from __future__ import annotations

from datetime import date

from pydantic import Field, TypeAdapter

from app.operator_api.tmf_wire import DEFERRED, TmfList, TmfRef, TmfWire
from app.operator_api.wire_lines import TmfCharacteristic, TmfParty, home_region
from app.operator_api.wire_values import Instant
from models.domain import Region
from models.pickup import OperatorState

PAPER_DETALIZATION = "paper-detalization"
PICKUP_SALON = "pickupSalon"
PERIOD_START, PERIOD_END = "periodStart", "periodEnd"
LINE_RELATIONSHIPS = ("bundled", "reliesOn")
CUSTOMER_ROLE = "customer"


class TmfPlaceRef(TmfWire):
    id: str = Field(min_length=1, max_length=200)
    role: str | None = None


class TmfLineRelation(TmfWire):
    relationshipType: str = Field(max_length=40)
    product: TmfRef | None = None


class TmfPickupProduct(TmfWire):
    characteristics: list[TmfCharacteristic] = Field(default_factory=list,
                                                     alias="productCharacteristic")
    places: list[TmfPlaceRef] = Field(default_factory=list, alias="place")
    relations: list[TmfLineRelation] = Field(default_factory=list, alias="productRelationship")


class TmfPickupItem(TmfWire):
    id: str
    offering: TmfRef = Field(alias="productOffering")
    product: TmfPickupProduct


class TmfPickupOrder(TmfWire):
    id: str = Field(min_length=1, max_length=200)
    state: OperatorState
    order_date: Instant = Field(alias="orderDate")
    completion_date: Instant | None = Field(None, alias="completionDate")
    cancellation_date: Instant | None = Field(None, alias="cancellationDate")
    parties: list[TmfParty] = Field(default_factory=list, alias="relatedParty")
    items: list[TmfPickupItem] = Field(alias="productOrderItem", min_length=1, max_length=1)

    @property
    def item(self) -> TmfPickupItem:
        return self.items[0]

    def is_pickup(self) -> bool:
        return self.item.offering.id == PAPER_DETALIZATION

    def salon(self) -> str:
        """The pick-up salon's id (ValueError unless exactly one place of role pickupSalon)."""
        salons = [p.id for p in self.item.product.places if p.role == PICKUP_SALON]
        if len(salons) != 1:
            raise ValueError(f"a pick-up order names one salon, not {len(salons)}")
        return salons[0]

    def line_id(self) -> str:
        lines = [r.product.id for r in self.item.product.relations
                 if r.relationshipType in LINE_RELATIONSHIPS and r.product is not None]
        if len(lines) != 1:
            raise ValueError(f"a pick-up order names one line, not {len(lines)}")
        return lines[0]

    def period(self) -> tuple[date, date]:
        said = {c.name: c.value for c in self.item.product.characteristics}
        days = []
        for name in (PERIOD_START, PERIOD_END):
            text = said.get(name)
            if not isinstance(text, str):
                raise ValueError(f"a pick-up order's {name} is a date, not {text!r}")
            days.append(date.fromisoformat(text))
        if days[0] > days[1]:
            raise ValueError("a pick-up order's period ends before it starts")
        return days[0], days[1]

    def customer_name(self) -> str:
        named = [p.name for p in self.parties if p.role == CUSTOMER_ROLE and p.name]
        return named[0] if named else ""

    def closed_at(self) -> Instant | None:
        return self.completion_date or self.cancellation_date


PICKUP_ORDERS: TypeAdapter[list[TmfPickupOrder]] = TypeAdapter(list[TmfPickupOrder],
                                                               config=DEFERRED)


class TmfLineHome(TmfWire):
    """A TMF637 line read for whose number it is and its home region (`?fields=`)."""

    id: str = Field(min_length=1, max_length=200)
    serial_number: str = Field(alias="productSerialNumber")
    characteristics: list[TmfCharacteristic] = Field(default_factory=list,
                                                     alias="productCharacteristic")

    def region(self) -> Region:
        return home_region(self.characteristics)


class TmfLineHomes(TmfList[list[TmfLineHome]]):
    pass


LINE_HOMES: TypeAdapter[list[TmfLineHome]] = TypeAdapter(list[TmfLineHome], config=DEFERRED)
