"""TMF637 Product Inventory at /tmf-api/productInventory/v4/: `product` — each subscriber's line
(`L-{msisdn digits}`) with its tariff, price, connected services, people and home region, as
world_lines.py makes it; `GET /product/{id}` answers `ETag: "<version>"`. The list holds the
lines; a line's services are nested in it and each is also served at its own href
(`S-{msisdn digits}-{CODE}`). After the world's, the products clients created (kept beside the
world: a created product may not claim a world number)."""

from __future__ import annotations

from typing import Any

from sandbox.deps import Context
from sandbox.errors import ApiError
from sandbox.tmf import ids
from sandbox.tmf.links import Links
from sandbox.tmf.matching import values_at
from sandbox.tmf.resource import Api, Resource
from sandbox.tmf.sources import Source
from sandbox.tmf.world_catalog import WorldCatalog
from sandbox.tmf.world_lines import PRODUCT_API, STORED_STATUS, connected, line_json, service_json
from sandbox.tmf.world_subscribers import Narrowing, Row, SubscriberSource

Json = dict[str, Any]
API = Api(PRODUCT_API, "TMF637", "Product Inventory")


def _world_lines(ctx: Context) -> Source:
    def line(msisdn: str, links: Links) -> Json | None:
        state = ctx.ledger.state(msisdn)
        if state is None:
            return None
        return line_json(state, ctx.clock.now(), WorldCatalog(ctx.store.reference, links))

    def make(row: Row, links: Links) -> Json | None:
        return line(row[0], links)

    def lookup(entity_id: str, links: Links) -> Json | None:
        msisdn = ids.msisdn_of_line(entity_id)
        if msisdn is not None:
            return line(msisdn, links)
        key = ids.service_product_key(entity_id)
        if key is None:
            return None
        state = ctx.ledger.state(key[0])
        now = ctx.clock.now()
        if state is None or not connected(state, now, key[1]):
            return None
        return service_json(state, key[1], now, WorldCatalog(ctx.store.reference, links))

    def by_party(value: str) -> str | None:
        return ids.msisdn_of_individual(value) or ids.msisdn_of_customer(value)

    return SubscriberSource(ctx.store, make, lookup, {
        ("id",): Narrowing(number=ids.msisdn_of_line),
        ("productSerialNumber",): Narrowing(number=lambda v: v),
        ("status",): Narrowing(status=STORED_STATUS.get),
        ("relatedParty", "id"): Narrowing(number=by_party),
    })


def _refuse_world_numbers(ctx: Context, body: Json) -> None:
    """A created product stays beside the world: it may not be a line of one of the world's
    numbers, or a lookup by number would find two."""
    for number in values_at(body, ("productSerialNumber",)):
        if isinstance(number, str) and ctx.store.version(number) is not None:
            raise ApiError(422, "world_line",
                           f"{number} is a number of the sandbox's world, whose line is "
                           f"{ids.line_id(number)}: a created product may not claim it.",
                           reason="Refers to a world line")


PRODUCT = Resource(
    API, "product", "Product", required=("status",),
    world=_world_lines, check_create=_refuse_world_numbers,
    refusal_doc="world_line: productSerialNumber is a number of the sandbox's world",
    etag_doc="The subscriber's version, quoted (\"7\"), on a world line or a line's service: "
             "send it back as If-Match on a change",
    world_doc="The world's lines (`L-{msisdn digits}`), one per subscriber, in the world's "
              "order, as of the sandbox clock (read-only); a line's services are in its "
              "`product[]` and at their own hrefs (`S-{msisdn digits}-{CODE}`). Find a number's "
              "line with `productSerialNumber=%2B79161234567` (the `+` percent-encoded); that "
              "filter, `id`, `status` and `relatedParty.id` are applied before lines are made.")
RESOURCES = (PRODUCT,)
