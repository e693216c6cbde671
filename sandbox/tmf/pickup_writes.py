"""R11 writes on TMF622: placing a pick-up order (what the operator's web shop does; in training
`salon sandbox order-paper`) and a salon reporting its state.

`POST /productOrder` with one item of the offering `paper-detalization` (header
`Idempotency-Key`): the period in the item's `product.productCharacteristic` (`periodStart`,
`periodEnd`, YYYY-MM-DD, the first not after the second, the second not after the number's
today), the salon in `product.place[]` (`role: pickupSalon`, `id` a salon the operator has:
sandbox/salons.py), the line in `product.productRelationship[]` (`bundled` or `reliesOn`, the
product `L-…`); optional `channel` (default `online`) and `externalId`. → 201 acknowledged.
Refusals: 400 (a malformed item), 404 (no such line), 422 `unknown_salon`, 422 `R7` (the
number's home region is not the salon's).

`PATCH /productOrder/{id}` of a pick-up order (header `Idempotency-Key`):
`{"state": "inProgress" | "completed" | "cancelled"}` — and `productOrderItem`, which the
published `ProductOrder_Update` requires, as the order's own items (`id`, `action`), changing
nothing. → 200 the order; the same state again on an open order (a reprint) changes nothing;
a state the order's does not allow → 409 `R11` with `currentState` (`SalonStateConflict`),
stored for the key like a success, so that of two counters handing over one order exactly one
wins and a retry of either gets its own answer again.
"""

from __future__ import annotations

import json
import re
from datetime import date
from typing import Any

from fastapi import Request, Response

from sandbox import pickup
from sandbox.deps import Context, send
from sandbox.errors import ApiError, bad_request
from sandbox.idempotency import Answer, Write, check_key, fingerprint
from sandbox.localtime import day_of
from sandbox.pickup import PickupOrder, StateConflict
from sandbox.regions import REGIONS_BY_CODE
from sandbox.salons import SALONS_BY_ID
from sandbox.tmf import ids
from sandbox.tmf.errors import error_body
from sandbox.tmf.links import Links
from sandbox.tmf.pickup_orders import (
    ITEMS,
    PERIOD_END,
    PERIOD_START,
    PICKUP_ROLE,
    pickup_json,
)

Json = dict[str, Any]
CONFLICT_TYPE = "SalonStateConflict"
LINE_RELATIONSHIPS = ("bundled", "reliesOn")
_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_STATE_NAMES = {pickup.ACKNOWLEDGED: "new", pickup.IN_PROGRESS: "printed",
                pickup.COMPLETED: "handed over", pickup.CANCELLED: "destroyed"}


def is_pickup(items: list[Json]) -> bool:
    """Whether an order's items order a paper detalization (then it is one, or refused)."""
    return any(isinstance(i.get("productOffering"), dict)
               and i["productOffering"].get("id") == ids.PAPER_DETALIZATION for i in items)


# -- placing -------------------------------------------------------------------------------------

def create(request: Request, ctx: Context, body: Json, items: list[Json]) -> Response:
    if len(items) != 1 or items[0].get("action") != "add":
        raise bad_request("A pick-up order has exactly one item, action add, of the offering "
                          "paper-detalization.")
    product = items[0].get("product")
    if not isinstance(product, dict):
        raise bad_request("The item's product carries the period, the salon and the line.")
    msisdn = _line(product)
    salon_id = _salon(product)
    start, end = _period(product)
    channel = _channel(body)
    external = body.get("externalId")
    if external is not None and not isinstance(external, str):
        raise bad_request("externalId must be a string.")
    key = check_key(request.headers.get("Idempotency-Key"))
    region = ctx.store.region_codes().get(msisdn)
    if region is None:
        raise ApiError(404, "not_found", f"No line {ids.line_id(msisdn)}: the order names a "
                                         "product that is not in the inventory.")
    salon = SALONS_BY_ID.get(salon_id)
    if salon is None:
        known = ", ".join(SALONS_BY_ID)
        raise ApiError(422, "unknown_salon", f"The operator has no salon {salon_id!r}; its "
                                             f"salons: {known}.", reason="Unknown salon")
    if salon.region_code != region:
        raise ApiError(422, "R7", f"{msisdn} belongs to the home region {region}; the salon "
                                  f"{salon.id} is in {salon.region_code}. A detalization is "
                                  "picked up in the number's home region (R7).",
                       reason="Another home region")
    today = day_of(REGIONS_BY_CODE[region].timezone, ctx.clock.now())
    if end.toordinal() > today:
        raise bad_request(f"The period ends {end.isoformat()}, after today in the number's "
                          f"home region ({date.fromordinal(today).isoformat()}).")
    links = Links.of(request)
    fp = fingerprint("POST", request.url.path, body)

    def place(w: Write) -> Answer:
        made = pickup.insert(w.conn, PickupOrder(0, "", msisdn, salon_id, start, end,
                                                 w.stamp(), pickup.ACKNOWLEDGED,
                                                 channel=channel, external_id=external))
        return Answer(201, _shown(ctx, made, links))

    outcome = _run(ctx, key, fp, place)
    headers = {"Location": json.loads(outcome.text)["href"]} if outcome.status == 201 else {}
    return send(outcome, headers)


def _line(product: Json) -> str:
    lines = [r["product"].get("id") for r in _objects(product.get("productRelationship"))
             if r.get("relationshipType") in LINE_RELATIONSHIPS
             and isinstance(r.get("product"), dict)]
    msisdn = ids.msisdn_of_line(lines[0]) if len(lines) == 1 and isinstance(lines[0], str) \
        else None
    if msisdn is None:
        raise bad_request("The item names its line once: product.productRelationship "
                          "[{relationshipType: bundled, product: {id: L-…}}].")
    return msisdn


def _salon(product: Json) -> str:
    places = [p.get("id") for p in _objects(product.get("place"))
              if p.get("role") == PICKUP_ROLE]
    if len(places) != 1 or not isinstance(places[0], str) or not places[0]:
        raise bad_request("The item names the salon once: product.place [{role: pickupSalon, "
                          "id: <the salon's id>}].")
    return places[0]


def _period(product: Json) -> tuple[date, date]:
    said = {c.get("name"): c.get("value") for c in _objects(
        product.get("productCharacteristic"))}
    days: list[date] = []
    for name in (PERIOD_START, PERIOD_END):
        text = said.get(name)
        try:
            if not isinstance(text, str) or not _DATE.match(text):
                raise ValueError(text)
            days.append(date.fromisoformat(text))
        except ValueError:
            raise bad_request(f"product.productCharacteristic {name} is a date YYYY-MM-DD, not "
                              f"{text!r}.") from None
    if days[0] > days[1]:
        raise bad_request(f"The period starts {days[0].isoformat()}, after it ends "
                          f"({days[1].isoformat()}).")
    return days[0], days[1]


def _channel(body: Json) -> str:
    channels = _objects(body.get("channel"))
    if not channels:
        return pickup.ONLINE
    chosen = channels[0].get("id")
    if len(channels) != 1 or not isinstance(chosen, str) or not 1 <= len(chosen) <= 64:
        raise bad_request("channel is one [{id: <1–64 characters>}] (default online).")
    return chosen


# -- a salon reports a state ---------------------------------------------------------------------

def patch(request: Request, ctx: Context, entity_id: str, body: Json) -> Response | None:
    """The PATCH of a pick-up order; None when `entity_id` is not one."""
    order = pickup.get(ctx.store.conn(), entity_id)
    if order is None:
        return None
    unknown = sorted(set(body) - {"state", ITEMS, "@type"})
    wanted = body.get("state")
    if unknown or wanted not in pickup.STATES or body.get("@type", "ProductOrder") != \
            "ProductOrder":
        raise bad_request("A salon reports a pick-up order's state only: {\"state\": "
                          "\"inProgress\" | \"completed\" | \"cancelled\"} (and the order's "
                          "productOrderItem unchanged)"
                          + (f"; not {', '.join(unknown)}." if unknown else "."))
    sent_items = body.get(ITEMS, [{"id": "1", "action": "add"}])
    if not isinstance(sent_items, list) or [(i.get("id"), i.get("action"))
                                            for i in _objects(sent_items)] != [("1", "add")] \
            or len(sent_items) != 1:
        raise bad_request("productOrderItem, when sent, is the order's own: [{id: \"1\", "
                          "action: \"add\"}]; a pick-up order's items do not change.")
    key = check_key(request.headers.get("Idempotency-Key"))
    links = Links.of(request)
    fp = fingerprint("PATCH", request.url.path, body)

    def report(w: Write) -> Answer:
        try:
            changed = pickup.transition(w.conn, entity_id, str(wanted), w.stamp())
        except StateConflict as conflict:
            return Answer(409, _conflict(conflict))
        return Answer(200, _shown(ctx, changed, links))

    return send(_run(ctx, key, fp, report))


def _conflict(conflict: StateConflict) -> Json:
    order, wanted = conflict.order, conflict.wanted
    message = (f"Order {order.order_id} is {_STATE_NAMES[order.state]} ({order.state}): it "
               f"cannot become {wanted}.")
    if order.state == pickup.COMPLETED and wanted == pickup.COMPLETED:
        message = f"Order {order.order_id} has already been handed over."
    return {**error_body(409, "R11", message, "Not allowed in the order's state"),
            "@type": CONFLICT_TYPE, "@baseType": "Error", "currentState": order.state}


# -- shared --------------------------------------------------------------------------------------

def _shown(ctx: Context, order: PickupOrder, links: Links) -> Json:
    names = dict(ctx.store.subscriber_names([order.msisdn]))
    return pickup_json(order, names.get(order.msisdn, ""), links)


def _run(ctx: Context, key: str, fp: str, process: Any) -> Any:
    try:
        return ctx.idempotency.run(key, fp, process)
    except ApiError as error:
        if error.code == "idempotency_key_reused":
            raise ApiError(409, "idempotency_conflict", error.message,
                           reason="Idempotency-Key already used") from None
        raise


def _objects(value: Any) -> list[Json]:
    return [v for v in value if isinstance(v, dict)] if isinstance(value, list) else []
