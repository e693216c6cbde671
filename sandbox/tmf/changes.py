"""A TMF622 order item or a TMF663 cart item, read as the change the sandbox's order logic
knows (`orders.target`), and the parts of an answer both APIs share: prices, the line's
services that a tariff change drops, the refusal.

An item that changes the world takes one of three forms (the README's integrator's guide):

- a tariff change: `{"action": "modify", "product": {"id": "L-79161234567"},
  "productOffering": {"id": "tariff-SMART_PLUS"}}`;
- a service connected: `{"action": "add", "productOffering": {"id": "service-GUARD"},
  "product": {"productRelationship": [{"relationshipType": "bundled",
  "product": {"id": "L-79161234567"}}]}}` — the Electronic Assistant is `service-ASSISTANT`;
- a service disconnected: `{"action": "delete", "product": {"id": "S-79161234567-GUARD"}}`.

An item names the world when a product id it carries is a line's or a line's service's
(`ids.resolve_product`) or its offering is one of the catalog's (`tariff-…`, `service-…`).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from sandbox import orders
from sandbox.catalog import ASSISTANT, SERVICES_BY_CODE, TARIFFS_BY_CODE
from sandbox.errors import bad_request
from sandbox.orders import BadOrder, Target
from sandbox.tmf import ids
from sandbox.tmf.links import Links

Json = dict[str, Any]
CATALOG_API = "productCatalogManagement"
INVENTORY_API = "productInventory"
ITEM_ACTIONS = ("add", "modify", "delete", "noChange")  # OrderItemActionType, CartItemActionType
# How a connected service's product names its line. The mapping says `bundled`; the published
# ProductRelationship's own text gives `reliesOn` for "an option on an already owned mobile
# access product": both are read, `bundled` is answered.
LINE_RELATIONSHIPS = ("bundled", "reliesOn")
_OFFERING = re.compile(r"^(tariff|service)-([A-Z][A-Z0-9_]{0,63})$")

# Error.reason of each refusal: a short English phrase (the message is the rule's sentence).
RULE_REASONS = {
    "subscriber_blocked": "The number is blocked",
    "same_tariff": "Already on this tariff",
    "not_available": "Not available",
    "already_connected": "Already connected",
    "not_connected": "Not connected",
    "R1": "The Assistant is for mass-market tariffs only",
    "insufficient_balance": "The main balance is less than the fee",
}


@dataclass(frozen=True)
class Change:
    """One change to one line, in the terms of `/v1/orders` (`orders.ACTIONS`)."""

    msisdn: str
    action: str
    tariff_code: str | None
    service_code: str | None

    @property
    def line(self) -> str:
        return ids.line_id(self.msisdn)

    def target(self) -> Target:
        """The order logic's target; 400 for a code the catalog does not have."""
        try:
            return orders.target(self.action, self.tariff_code, self.service_code)
        except BadOrder as error:
            raise bad_request(str(error)) from None


def items_of(body: Json, name: str, identified: bool = True) -> list[Json]:
    """The body's items (`productOrderItem`, `cartItem`): an array of objects, each (when
    `identified`, as TMF622's ProductOrderItem requires) with a string `id` and an `action` of
    the published enumeration; 400 otherwise. No items: an empty list."""
    items = body.get(name, [])
    if not isinstance(items, list) or not all(isinstance(i, dict) for i in items):
        raise bad_request(f"{name} must be an array of objects.")
    if identified:
        for item in items:
            if not isinstance(item.get("id"), str) or item.get("action") not in ITEM_ACTIONS:
                raise bad_request(f"Each {name} needs an id (a string) and an action: "
                                  f"{', '.join(ITEM_ACTIONS)}.")
    return items


def is_catalog_offering(entity_id: str) -> bool:
    """Whether an offering id is a tariff's or a service's (what an applied order names)."""
    return _OFFERING.match(entity_id) is not None


def names_the_world(items: list[Json]) -> bool:
    return any(_products(item) or _offering_id(item) is not None for item in items)


def change_of(item: Json, name: str) -> Change:
    """The one change an item asks for; 400 with what is wrong when it fits none of the three
    forms."""
    action = item["action"]
    product = item.get("product")
    product = product if isinstance(product, dict) else {}
    offering = _offering(item)
    if action == "modify":
        resolved = _resolved(product.get("id"))
        if resolved is None or resolved[1] is not None or offering is None \
                or offering[0] != "tariff":
            raise bad_request(f"A {name} with action modify changes a line's tariff: product "
                              "{id: L-<number>} and productOffering {id: tariff-<CODE>}.")
        return Change(resolved[0], orders.CHANGE_TARIFF, offering[1], None)
    if action == "add":
        if offering is None or offering[0] != "service":
            raise bad_request(f"A {name} with action add connects a service: productOffering "
                              "{id: service-<CODE>}.")
        msisdn = _line_of_new_service(product, name)
        if offering[1] == ASSISTANT:
            return Change(msisdn, orders.CONNECT_ASSISTANT, None, None)
        return Change(msisdn, orders.ADD_SERVICE, None, offering[1])
    if action == "delete":
        resolved = _resolved(product.get("id"))
        if resolved is None or resolved[1] is None:
            raise bad_request(f"A {name} with action delete disconnects a service: product "
                              "{id: S-<number>-<CODE>}, the service's product on the line.")
        if offering is not None and offering != ("service", resolved[1]):
            raise bad_request(f"The {name}'s productOffering is not the offering of "
                              f"{product['id']}: leave it out or send service-{resolved[1]}.")
        return Change(resolved[0], orders.REMOVE_SERVICE, None, resolved[1])
    raise bad_request(f"A {name} that changes a line is add, modify or delete, not {action}.")


def only_change(items: list[Json], name: str) -> tuple[Json, Change]:
    if len(items) != 1:
        raise bad_request(f"A change to a line is one {name}: one change per request (the "
                          "services a tariff change drops are added by the operator).")
    items_of({name: items}, name)  # its id and action
    return items[0], change_of(items[0], name)


# -- answers -----------------------------------------------------------------------------------

def offering_id(kind: str, code: str) -> str:
    return f"{kind}-{code}"


def offering_ref(kind: str, code: str, links: Links) -> Json:
    name = (TARIFFS_BY_CODE[code] if kind == "tariff" else SERVICES_BY_CODE[code]).name
    entity_id = offering_id(kind, code)
    return {"id": entity_id, "href": links.href(CATALOG_API, "productOffering", entity_id),
            "name": name, "@referredType": "ProductOffering"}


def service_product_id(msisdn: str, code: str) -> str:
    """The product id of a service on a line (`ids.resolve_product` reads it back)."""
    return f"S-{msisdn.removeprefix('+')}-{code}"


def product_ref(entity_id: str, links: Links) -> Json:
    return {"id": entity_id, "href": links.href(INVENTORY_API, "product", entity_id),
            "@referredType": "Product"}


def service_product(msisdn: str, code: str, links: Links) -> Json:
    """A service's product on the line, with its relationship to the line."""
    line = ids.line_id(msisdn)
    return {**product_ref(service_product_id(msisdn, code), links),
            "productRelationship": [{"relationshipType": "bundled",
                                     "product": product_ref(line, links)}]}


def money(value: Decimal) -> Json:
    """TMF's Money: a JSON number whose text is the exact decimal (25.5, 450.0)."""
    return {"unit": "RUB", "value": float(value)}


def prices(fee: Decimal, monthly_after: Decimal) -> list[Json]:
    """The two figures of a change: what it costs once, and what the line costs a month
    after it (the tariff's and every connected service's monthly fees)."""
    return [
        {"name": "Fee", "priceType": "oneTime",
         "description": "What this change costs once, by the subscriber's own tariff plan "
                        "(R4); paid from the main balance",
         "price": {"taxIncludedAmount": money(fee)}},
        {"name": "Monthly cost after", "priceType": "recurring", "recurringChargePeriod": "month",
         "description": "What the line costs a month after the change: the tariff's and "
                        "every connected service's monthly fees",
         "price": {"taxIncludedAmount": money(monthly_after)}},
    ]


def dropped_items(after: str, msisdn: str, codes: list[str], links: Links,
                  relationship: str) -> list[Json]:
    """The operator's own delete items, one per service the change drops (a class the new
    tariff does not allow), each relying on the item `after` (`relationship`:
    productOrderItemRelationship or cartItemRelationship)."""
    return [{
        "id": f"{after}.{n}", "action": "delete",
        "product": service_product(msisdn, code, links),
        "productOffering": offering_ref("service", code, links),
        relationship: [{"id": after, "relationshipType": "reliesOn"}],
    } for n, code in enumerate(codes, start=1)]


# -- reading -----------------------------------------------------------------------------------

def _resolved(entity_id: Any) -> tuple[str, str | None] | None:
    return ids.resolve_product(entity_id) if isinstance(entity_id, str) else None


def _offering_id(item: Json) -> str | None:
    offering = item.get("productOffering")
    entity_id = offering.get("id") if isinstance(offering, dict) else None
    return entity_id if isinstance(entity_id, str) and _OFFERING.match(entity_id) else None


def _offering(item: Json) -> tuple[str, str] | None:
    entity_id = _offering_id(item)
    if entity_id is None:
        return None
    kind, _dash, code = entity_id.partition("-")
    return kind, code


def _relationships(product: Json) -> list[Json]:
    found = product.get("productRelationship")
    return [r for r in found if isinstance(r, dict)] if isinstance(found, list) else []


def _related_id(relationship: Json) -> Any:
    """The related product's id: `product.id` as the published ProductRelationship has it, or
    `id` on the relationship itself (the mapping's shorthand)."""
    related = relationship.get("product")
    return related.get("id") if isinstance(related, dict) else relationship.get("id")


def _products(item: Json) -> list[tuple[str, str | None]]:
    product = item.get("product")
    if not isinstance(product, dict):
        return []
    named = [product.get("id"), *(_related_id(r) for r in _relationships(product))]
    return [r for r in map(_resolved, named) if r is not None]


def _line_of_new_service(product: Json, name: str) -> str:
    lines = {resolved[0] for r in _relationships(product)
             if r.get("relationshipType") in LINE_RELATIONSHIPS
             and (resolved := _resolved(_related_id(r))) is not None and resolved[1] is None}
    if len(lines) != 1:
        raise bad_request(f"A {name} with action add names the line the service goes on: "
                          "product {productRelationship: [{relationshipType: bundled, "
                          "product: {id: L-<number>}}]}.")
    return lines.pop()
