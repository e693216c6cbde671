"""TMF622 Product Ordering at /tmf-api/productOrderingManagement/v4/: `productOrder`.

Two kinds of order share the resource:

- **An order that changes a line** (its item names a line, a line's service or a catalog
  offering: `changes.py`) is applied at once through the sandbox's own order logic
  (`placing.place`, the path `/v1/orders` takes: the same quote, refusals, fee, version bump,
  order row and stored answer). It needs `Idempotency-Key` and `If-Match: "<version>"`, carries
  exactly one item, and names its clerk (`relatedParty [{role: clerk, id}]`) and its salon and
  counter (`channel [{id: salon, name: counter}]`). → 201 `state: completed`, or 422 with the
  rule as `Error.code`, 412 `version_mismatch` with `currentVersion`, 404 for an unknown line,
  409 `idempotency_conflict` for a key used for another request. A retry with the key gets the
  stored answer again (`Idempotent-Replayed: true`).
- **A paper detalization for pick-up at a salon** (R11: an item of the offering
  `paper-detalization`) is placed as the operator's web shop does (`pickup_writes.py`) and
  listed after the applied orders (`pickup_orders.py`, ids `PU-000001`); a salon reports its
  state by PATCH.
- **Any other order** (what TM Forum's kit posts: an item with only `id` and `action`) is kept
  in the generic store as `state: acknowledged` and never applied to anything.

Every applied order — placed here or through `/v1/orders` — is listed (oldest first, after the
kept ones) as the order it was, rendered from its row in `orders` and what the TMF client said
when placing it (`tmf_order_requests`): id `ORD-000001`, `orderDate` = `completionDate` = the
instant it took effect, `orderTotalPrice` and the item's `itemPrice` = [oneTime fee, recurring
monthly cost after], the services a tariff change dropped as extra `delete` items of the
operator's, and the line's version before and after it (`lineVersionBefore`,
`lineVersionAfter`: TMF622 has no attribute for them, so an applied order is the documented
subtype `SalonProductOrder`). `productOrderItem.product.id=L-…` lists every order of the line
(its service items name the line's services' products, `S-…`).
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from fastapi import Request, Response
from pydantic import BaseModel, ConfigDict, Field, ValidationError

from sandbox import orders, placing
from sandbox import schemas_orders as wire
from sandbox.deps import Context, if_match_version, send
from sandbox.errors import ApiError, bad_request, dumps
from sandbox.idempotency import Answer, Write, check_key, fingerprint
from sandbox.orders import Target
from sandbox.store import Store
from sandbox.tmf import changes, ids, pickup_writes
from sandbox.tmf.errors import error_body
from sandbox.tmf.links import Links
from sandbox.tmf.matching import holds
from sandbox.tmf.models import TmfError
from sandbox.tmf.pickup_orders import PickupOrders
from sandbox.tmf.query import EQ, Filter, Query
from sandbox.tmf.resource import Api, CreateDoc, Resource
from sandbox.tmf.sources import Chain, Selection, select_from
from sandbox.wire import utc_iso

Json = dict[str, Any]
ORDERING_API = "productOrderingManagement"
API = Api(ORDERING_API, "TMF622", "Product Ordering")
ITEMS = "productOrderItem"
ITEM_PRODUCT = (ITEMS, "product", "id")
# What the server sets on an order (ProductOrder_Create's "skipped properties"): never taken
# from a client's body.
SERVER_SET = frozenset({"id", "href", "@type", "@baseType", "state", "orderDate", "completionDate",
                        "expectedCompletionDate", "cancellationDate", "cancellationReason",
                        ITEMS, "orderTotalPrice"})
# An applied order: a ProductOrder with the line's version before and after it (the subtype
# documents the two attributes TMF622 does not have).
WORLD_TYPE = "SalonProductOrder"
MISMATCH_TYPE = "SalonVersionMismatch"
_V1_ACTIONS = {orders.CHANGE_TARIFF: "modify", orders.ADD_SERVICE: "add",
               orders.CONNECT_ASSISTANT: "add", orders.REMOVE_SERVICE: "delete"}


class TmfStateConflict(BaseModel):
    """TMF's Error for a 409: a pick-up order's state does not allow the one reported
    (`SalonStateConflict`, with `currentState`), or an Idempotency-Key in conflict (a plain
    Error)."""

    model_config = ConfigDict(populate_by_name=True, extra="forbid")
    code: str = Field(description="R11, idempotency_conflict or request_in_progress")
    reason: str
    message: str
    status: str = Field(examples=["409"])
    type_: str = Field(alias="@type", description=f"{pickup_writes.CONFLICT_TYPE} or Error")
    base_type: str | None = Field(None, alias="@baseType", description="Error")
    current_state: str | None = Field(None, alias="currentState",
                                      description="The pick-up order's state now")


class TmfVersionMismatch(BaseModel):
    """TMF's Error for a stale If-Match, with the line's version now."""

    model_config = ConfigDict(populate_by_name=True, extra="forbid")
    code: str = Field(description="version_mismatch")
    reason: str
    message: str
    status: str = Field(examples=["412"])
    type_: str = Field(alias="@type", description=MISMATCH_TYPE)
    base_type: str = Field(alias="@baseType", description="Error")
    current_version: int = Field(alias="currentVersion",
                                 description="The line's version now (its ETag): reload it")


# -- the order as TMF622 shows it ----------------------------------------------------------------

def order_json(order: Json, said: Json | None, links: Links) -> Json:
    """An applied order (`orders.body`, the /v1 shape) as a ProductOrder; `said`: what the TMF
    client sent with it (None for an order placed through /v1)."""
    said = said or {}
    msisdn, at = order["msisdn"], order["completed_at"]
    item_id = str(said.get("itemId", "1"))
    figures = changes.prices(Decimal(order["fee"]["value"]),
                             Decimal(order["monthly_cost_after"]["value"]))
    main = {"id": item_id, "action": _V1_ACTIONS[order["action"]], "state": "completed",
            **_item_subject(order, links), "itemPrice": figures}
    dropped = [{**item, "state": "completed"} for item in changes.dropped_items(
        item_id, msisdn, [s["code"] for s in order["dropped_services"]], links,
        "productOrderItemRelationship")]
    kept = {k: v for k, v in said.get("order", {}).items() if k not in SERVER_SET}
    return {
        "id": order["order_id"],
        "href": links.href(ORDERING_API, "productOrder", order["order_id"]),
        "@type": WORLD_TYPE, "@baseType": "ProductOrder",
        **kept,
        "channel": kept.get("channel") or [{"id": order["salon"], "name": order["counter"]}],
        "relatedParty": kept.get("relatedParty") or [
            {"id": order["clerk"], "role": "clerk", "@referredType": "Individual"}],
        "state": "completed", "orderDate": at, "completionDate": at,
        "orderTotalPrice": figures,
        ITEMS: [main, *dropped],
        # Each applied order moves the line's version by one (orders.apply).
        "lineVersionBefore": order["subscriber_version"] - 1,
        "lineVersionAfter": order["subscriber_version"],
    }


def _item_subject(order: Json, links: Links) -> Json:
    msisdn = order["msisdn"]
    if order["action"] == orders.CHANGE_TARIFF:
        return {"product": changes.product_ref(ids.line_id(msisdn), links),
                "productOffering": changes.offering_ref("tariff", order["tariff_code"], links)}
    code = order["service_code"]
    return {"product": changes.service_product(msisdn, code, links),
            "productOffering": changes.offering_ref("service", code, links)}


# -- the world's orders --------------------------------------------------------------------------

@dataclass(frozen=True)
class WorldOrders:
    """Every applied order, oldest first. `id`, `externalId` and `productOrderItem.product.id`
    (a line: all its orders) are looked up in the database before orders are made."""

    store: Store

    def select(self, query: Query, links: Links, offset: int, limit: int) -> Selection:
        where: list[str] = []
        args: list[str] = []
        by_line: list[Filter] = []
        for f in query.filters:
            if f.op != EQ:
                continue
            if f.path == (ITEMS, "productOffering", "id") and not any(
                    changes.is_catalog_offering(v) for v in f.values):
                return Selection([], 0)  # a pick-up queue: no applied order is one
            marks = ", ".join("?" * len(f.values))
            if f.path == ("id",):
                where.append(f"o.order_id IN ({marks})")
                args += f.values
            elif f.path == ("externalId",):
                where.append(f"r.external_id IN ({marks})")
                args += f.values
            elif f.path == ITEM_PRODUCT:
                by_line.append(f)
                named = [ids.resolve_product(v) for v in f.values]
                msisdns = [n[0] for n in named if n is not None]
                if len(msisdns) == len(named):  # only the world's products: only their lines
                    where.append(f"o.msisdn IN ({', '.join('?' * len(msisdns))})")
                    args += msisdns
        pushed = [f for f in query.filters
                  if f.op == EQ and f.path in (("id",), ("externalId",), ITEM_PRODUCT)]
        made = (entity for msisdn, entity in self._rows(where, args, links)
                if all(_names_line(entity, msisdn, f) for f in by_line))
        return select_from(made, query.without(*pushed), offset, limit)

    def get(self, entity_id: str, links: Links) -> Json | None:
        return next((entity for _m, entity in self._rows(["o.order_id = ?"], [entity_id],
                                                         links)), None)

    def _rows(self, where: list[str], args: list[str], links: Links) -> Iterator[tuple[str,
                                                                                     Json]]:
        sql = ("SELECT o.msisdn, o.body, r.body FROM orders o "
               "LEFT JOIN tmf_order_requests r ON r.order_id = o.order_id"
               + (" WHERE " + " AND ".join(where) if where else "") + " ORDER BY o.seq")
        for msisdn, body, said in self.store.conn().execute(sql, args).fetchall():
            yield msisdn, order_json(json.loads(body), None if said is None else json.loads(said),
                                     links)


def _names_line(entity: Json, msisdn: str, f: Filter) -> bool:
    """`productOrderItem.product.id=L-…`: an order of the line (whatever product its items
    name); any other value: an item names that product."""
    return ids.line_id(msisdn) in f.values or holds(entity, f)


def _world(ctx: Context) -> Chain:
    return Chain((WorldOrders(ctx.store), PickupOrders(ctx.store)))


# -- creating ------------------------------------------------------------------------------------

def _acknowledged(entity: Json, now: int) -> Json:
    """An order that names no line: kept as the client sent it, acknowledged, never applied."""
    items = [{**item, "state": "acknowledged"} for item in entity[ITEMS]]
    return {**entity, "state": "acknowledged", "orderDate": utc_iso(now), ITEMS: items}


def _create(request: Request, ctx: Context, body: Json) -> Response | None:
    items = changes.items_of(body, ITEMS)
    if not items:
        raise bad_request("A ProductOrder needs at least one productOrderItem.")
    if pickup_writes.is_pickup(items):
        return pickup_writes.create(request, ctx, body, items)
    if not changes.names_the_world(items):
        return None
    item, change = changes.only_change(items, ITEMS)
    what = change.target()
    order = _v1_order(body, change)
    if not isinstance(body.get("externalId", ""), str):
        raise bad_request("externalId must be a string.")
    key = check_key(request.headers.get("Idempotency-Key"))
    version = if_match_version(request.headers.get("If-Match"))
    said = {"itemId": item["id"], "order": {k: v for k, v in body.items()
                                            if k not in SERVER_SET}}
    links = Links.of(request)
    fp = fingerprint("POST", request.url.path, body, if_match=version)
    try:
        outcome = ctx.idempotency.run(key, fp, lambda w: _apply(ctx, w, order, what, version,
                                                                key, change, said, links))
    except ApiError as error:
        if error.code == "idempotency_key_reused":
            raise ApiError(409, "idempotency_conflict", error.message,
                           reason="Idempotency-Key already used") from None
        raise
    headers = {"Location": json.loads(outcome.text)["href"]} if outcome.status == 201 else {}
    return send(outcome, headers)


def _apply(ctx: Context, w: Write, order: wire.OrderRequest, what: Target, version: int,
           key: str, change: changes.Change, said: Json, links: Links) -> Answer:
    try:
        placed = placing.place(ctx, w, order, what, version, key)
    except ApiError as error:
        if not error.stored:
            raise
        return Answer(error.status, _decision(error, change))  # stored in TMF's shape
    external = said["order"].get("externalId")
    w.conn.execute("INSERT INTO tmf_order_requests (order_id, external_id, body) "
                   "VALUES (?, ?, ?)", (placed["order_id"], external, dumps(said)))
    return Answer(201, order_json(placed, said, links))


def _decision(error: ApiError, change: changes.Change) -> Json:
    """A decision of the order logic as TMF's Error (the body stored for the key)."""
    if error.code == "subscriber_not_found":
        return error_body(404, "not_found", f"No line {change.line}: the order names a "
                                            "product that is not in the inventory.")
    if error.code == "version_mismatch":
        return {**error_body(412, "version_mismatch", error.message), "@type": MISMATCH_TYPE,
                "@baseType": "Error", "currentVersion": error.extra["current_version"]}
    rule = str(error.extra.get("rule", error.code))
    return error_body(error.status, rule, error.message, changes.RULE_REASONS.get(rule))


def _v1_order(body: Json, change: changes.Change) -> wire.OrderRequest:
    """The order in /v1's terms, with the clerk, salon and counter the TMF body names."""
    clerks = [p.get("id") for p in _objects(body.get("relatedParty"))
              if p.get("role") == "clerk"]
    channels = _objects(body.get("channel"))
    if len(clerks) != 1 or len(channels) != 1:
        raise bad_request("An order that changes a line names its clerk and its counter: "
                          "relatedParty [{role: clerk, id: <login>, @referredType: "
                          "Individual}] and channel [{id: <salon>, name: <counter>}].")
    try:
        return wire.OrderRequest.model_validate({
            "msisdn": change.msisdn, "action": change.action, "tariff_code": change.tariff_code,
            "service_code": change.service_code, "clerk": clerks[0],
            "salon": channels[0].get("id"), "counter": channels[0].get("name")})
    except ValidationError as error:
        names = {"clerk": "relatedParty (clerk).id", "salon": "channel.id",
                 "counter": "channel.name"}
        problems = [f"{names.get(str(e['loc'][0]), e['loc'][0])}: {e['msg']}"
                    for e in error.errors()]
        raise bad_request("; ".join(problems)) from None


def _objects(value: Any) -> list[Json]:
    return [v for v in value if isinstance(v, dict)] if isinstance(value, list) else []


# -- the resource --------------------------------------------------------------------------------

def _error(description: str) -> Json:
    return {"model": TmfError, "description": description}


def _header(name: str, description: str, schema: Json) -> Json:
    return {"name": name, "in": "header", "required": False, "description": description,
            "schema": schema}


PRODUCT_ORDER = Resource(
    API, "productOrder", "ProductOrder", required=(ITEMS,),
    world=_world, complete=_acknowledged, create=_create, patch=pickup_writes.patch,
    refusal_doc="A rule refuses the change (nothing applied; the answer is stored for the "
                "key): Error.code is the rule — subscriber_blocked, same_tariff, "
                "not_available, already_connected, not_connected, R1, insufficient_balance; "
                "a pick-up order: unknown_salon (the operator has no such salon), R7 (the "
                "number's home region is not the salon's)",
    world_doc="The world's orders: every order applied to a line (through this API or "
              "/v1/orders), oldest first, read-only, ids ORD-000001…; "
              "`productOrderItem.product.id=L-…` gives a line's, `externalId=…` the one a "
              "client placed with that key. Then the paper detalizations ordered for pick-up "
              "at a salon (R11, ids PU-000001…, offering paper-detalization): a salon's queue "
              "is `productOrderItem.productOffering.id=paper-detalization&productOrderItem."
              "product.place.id={salon}&state=acknowledged,inProgress`.",
    create_doc=CreateDoc(
        description="An order whose item names a line, a line's service or a catalog offering "
                    "is applied at once by the sandbox's order logic (state completed; needs "
                    "Idempotency-Key and If-Match; one item; relatedParty role clerk and a "
                    "channel). An order of the offering paper-detalization is placed for "
                    "pick-up at a salon (state acknowledged; needs Idempotency-Key; the "
                    "period, the salon and the line in its one item). Any other order is kept "
                    "beside the world as acknowledged and never applied.",
        answers={
            404: _error("not_found: the order names a line the world does not have (stored "
                        "for the key)"),
            409: _error("idempotency_conflict: the Idempotency-Key was used for another "
                        "request; request_in_progress: one with it is being processed (retry "
                        "in a moment)"),
            412: {"model": TmfVersionMismatch,
                  "description": "version_mismatch: If-Match is not the line's version "
                                 "(currentVersion); stored for the key"},
            428: _error("precondition_required: an order that changes a line needs If-Match"),
        },
        created_headers={"Idempotent-Replayed": {
            "description": "true: the stored answer to an earlier request with this "
                           "Idempotency-Key", "required": False,
            "schema": {"type": "string", "enum": ["true"]}}},
        parameters=(
            _header("Idempotency-Key", "Needed by an order that changes a line: 16–128 of "
                                       "[A-Za-z0-9_-], one per change; a retry sends the same",
                    {"type": "string", "pattern": "^[A-Za-z0-9_-]{16,128}$"}),
            _header("If-Match", 'Needed by an order that changes a line: the line\'s version '
                                'as last seen (its ETag), e.g. "7"',
                    {"type": "string", "examples": ['"7"']}),
        )),
    patch_doc=CreateDoc(
        description="A created order changes by JSON Merge Patch; an applied order is "
                    "read-only (405). A pick-up order (PU-…) changes only its state, reported "
                    "by the salon under an Idempotency-Key: {\"state\": \"inProgress\" "
                    "(printed) | \"completed\" (handed over) | \"cancelled\" (destroyed)}, "
                    "with the order's productOrderItem unchanged if sent.",
        answers={409: {"model": TmfStateConflict,
                       "description": "R11: the pick-up order's state does not allow the one "
                                      "reported (currentState; stored for the key: of two "
                                      "counters handing over one order, one wins); "
                                      "idempotency_conflict: the key was used for another "
                                      "request"}},
        created_headers={"Idempotent-Replayed": {
            "description": "true: the stored answer to an earlier request with this "
                           "Idempotency-Key", "required": False,
            "schema": {"type": "string", "enum": ["true"]}}},
        parameters=(
            _header("Idempotency-Key", "Needed by a pick-up order's state: 16–128 of "
                                       "[A-Za-z0-9_-], one per report; a retry sends the same",
                    {"type": "string", "pattern": "^[A-Za-z0-9_-]{16,128}$"}),
        )))
RESOURCES = (PRODUCT_ORDER,)
