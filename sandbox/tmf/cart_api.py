"""TMF663 Shopping Cart at /tmf-api/shoppingCart/v4/: `shoppingCart` — the fee preview (R1, R4,
R5) of one change to a line, priced by the same quote as `/v1/orders/preview` (`placing.quote`).

`POST /shoppingCart` with one `cartItem` of the forms `changes.py` reads (a tariff change, a
service connected or disconnected) → 201, the cart kept beside the world, priced as of now:
- the item's `itemPrice` and the cart's `cartTotalPrice`: [`oneTime` — the exact fee by the
  subscriber's own tariff plan (R4), `recurring` — what the line costs a month after];
- `itemTerm [{name: trial, validFor}]` when the service is in trial operation (R5): the first
  and last days of the trial (both inclusive) are the UTC dates of `validFor.startDateTime` and
  `validFor.endDateTime`;
- an extra `delete` item (the operator's, `cartItemRelationship` reliesOn the client's item)
  for every connected service the change would drop;
- header `ETag: "<version>"`: the line's version the prices are for — send it as `If-Match`
  with the productOrder.
A rule that refuses → 422, TMF's Error with the rule as `code` and its sentence as `message`
(nothing kept); an unknown line → 404. A cart that names no line is kept as posted, unpriced.
A kept cart is a record of that preview: PATCH changes the record, never its prices.
"""

from __future__ import annotations

import uuid
from datetime import date
from decimal import Decimal
from typing import Any

from fastapi import Request, Response

from sandbox.deps import Context
from sandbox.errors import ApiError, dumps
from sandbox.orders import Quote
from sandbox.placing import quote
from sandbox.tmf import changes
from sandbox.tmf.entity_store import with_href
from sandbox.tmf.links import Links
from sandbox.tmf.models import TmfError
from sandbox.tmf.resource import Api, CreateDoc, Resource

Json = dict[str, Any]
CART_API = "shoppingCart"
API = Api(CART_API, "TMF663", "Shopping Cart")
ITEMS = "cartItem"
SERVER_SET = frozenset({"id", "href", ITEMS, "cartTotalPrice"})


def _create(request: Request, ctx: Context, body: Json) -> Response | None:
    items = changes.items_of(body, ITEMS, identified=False)  # TMF663 requires neither
    if not changes.names_the_world(items):
        return None
    item, change = changes.only_change(items, ITEMS)
    what = change.target()
    state = ctx.ledger.state(change.msisdn)
    if state is None:
        raise ApiError(404, "not_found", f"No line {change.line}: the cart names a product "
                                         "that is not in the inventory.")
    now = ctx.clock.now()
    q = quote(ctx, state, what, now)
    if q.refusal is not None:
        raise ApiError(422, q.refusal.rule, q.refusal.message,
                       reason=changes.RULE_REASONS.get(q.refusal.rule))
    links = Links.of(request)
    cart = priced_cart(body, item, change, q, links)
    ctx.entities.create(CART_API, "shoppingCart", cart, now)
    href = links.href(CART_API, "shoppingCart", cart["id"])
    return Response(dumps(with_href(cart, href)), 201,
                    {"Location": href, "ETag": f'"{state.version}"'},
                    media_type="application/json")


def priced_cart(body: Json, item: Json, change: changes.Change, q: Quote, links: Links) -> Json:
    figures = changes.prices(Decimal(q.fee_kop) / 100, Decimal(q.monthly_after_kop) / 100)
    kind, code = (("tariff", change.tariff_code) if change.tariff_code is not None
                  else ("service", _service_code(q)))
    priced = {**item, "status": "active",
              "productOffering": {**(item.get("productOffering") or {}),
                                  **changes.offering_ref(kind, code, links)},
              "itemPrice": figures}
    if q.trial is not None:
        priced["itemTerm"] = [_trial_term(*q.trial)]
    dropped = [{**extra, "status": "active"} for extra in changes.dropped_items(
        item["id"], change.msisdn, [s.code for s in q.dropped], links, "cartItemRelationship")]
    kept = {k: v for k, v in body.items() if k not in SERVER_SET}
    return {"id": str(uuid.uuid4()), **kept, "@type": body.get("@type") or "ShoppingCart",
            ITEMS: [priced, *dropped], "cartTotalPrice": figures}


def _service_code(q: Quote) -> str:
    assert q.target.service is not None
    return q.target.service.code


def _trial_term(first: date, last: date) -> Json:
    return {"name": "trial", "@type": "SalonCartTerm", "@baseType": "CartTerm",
            "description": f"Trial operation (R5) from {first.isoformat()} to "
                           f"{last.isoformat()}, both days inclusive",
            "duration": {"amount": (last - first).days + 1, "units": "day"},
            "validFor": {"startDateTime": f"{first.isoformat()}T00:00:00Z",
                         "endDateTime": f"{last.isoformat()}T23:59:59Z"}}


SHOPPING_CART = Resource(
    API, "shoppingCart", "ShoppingCart", create=_create,
    refusal_doc="A rule refuses the change (nothing kept): Error.code is the rule — "
                "subscriber_blocked, same_tariff, not_available, already_connected, "
                "not_connected, R1, insufficient_balance — and Error.message its sentence",
    create_doc=CreateDoc(
        description="A cart whose one cartItem names a line, a line's service or a catalog "
                    "offering is priced as of now by the operator's rules (the fee preview: "
                    "itemPrice and cartTotalPrice [oneTime fee, recurring monthly cost after], "
                    "the services the change drops as extra delete items, the trial as "
                    "itemTerm; ETag: the line's version) and kept. Any other cart is kept as "
                    "posted, unpriced.",
        answers={404: {"model": TmfError,
                       "description": "not_found: the cart names a line the world does not "
                                      "have"}},
        created_headers={"ETag": {
            "description": "A priced cart: the line's version its prices are for (send it as "
                           "If-Match with the productOrder)", "required": False,
            "schema": {"type": "string"}}}))
RESOURCES = (SHOPPING_CART,)
