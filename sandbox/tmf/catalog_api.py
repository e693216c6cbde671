"""TMF620 Product Catalog Management at /tmf-api/productCatalogManagement/v4/: the operator's
tariffs and services (`sandbox.catalog`) as `productOffering`, their prices as
`productOfferingPrice`, and the `productSpecification`, `category` and `catalog` they refer to
(world_catalog.py says how), read-only; after them, what clients created (kept beside the
world, never changing the catalog the world's subscribers are on)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from sandbox.deps import Context
from sandbox.tmf.links import Links
from sandbox.tmf.resource import Api, Resource
from sandbox.tmf.sources import IterableSource, Source
from sandbox.tmf.world_catalog import CATALOG_API, MAKERS, WorldCatalog
from sandbox.wire import utc_iso

Json = dict[str, Any]
API = Api(CATALOG_API, "TMF620", "Product Catalog Management")
# What a created entity is until a client says otherwise: TMF620's first lifecycle state.
CREATED_STATUS = "In study"


def _world(resource: str) -> Callable[[Context], Source]:
    make = MAKERS[resource]

    def source(ctx: Context) -> Source:
        def everything(links: Links) -> list[Json]:
            return list(make(WorldCatalog(ctx.store.reference, links)))

        def lookup(entity_id: str, links: Links) -> Json | None:
            return next((e for e in everything(links) if e["id"] == entity_id), None)

        return IterableSource(everything, lookup)

    return source


def _stamped(entity: Json, now: int) -> Json:
    """The server's part of a created entity: when it was last updated, and its lifecycle
    status if the client gave none."""
    return {**entity, "lastUpdate": utc_iso(now),
            "lifecycleStatus": entity.get("lifecycleStatus") or CREATED_STATUS}


def _resource(name: str, type_name: str, world_doc: str) -> Resource:
    return Resource(API, name, type_name, required=("name",), world=_world(name),
                    complete=_stamped, world_doc=world_doc)


PRODUCT_OFFERING = _resource(
    "productOffering", "ProductOffering",
    "The world's offerings: every tariff (`tariff-{CODE}`) and service (`service-{CODE}`), "
    "`lifecycleStatus` Launched (available) or Retired (archived); `?category.id=tariff` or "
    "`service` gives one kind; and `paper-detalization` (category `document`: a paper "
    "detalization ordered for pick-up at a salon, R11). Read-only.")
PRODUCT_OFFERING_PRICE = _resource(
    "productOfferingPrice", "ProductOfferingPrice",
    "The world's prices (`pop-{offering}-{kind}`): oneTime (list price), recurring (monthly), "
    "usage per min / SMS / MB, and a tariff's fee shares `switchFeeShare` / "
    "`connectionFeeShare` (oneTime with a percentage, R4); `pop-paper-detalization-oneTime` "
    "is 0 (free, R8). Read-only.")
PRODUCT_SPECIFICATION = _resource(
    "productSpecification", "ProductSpecification",
    "The world's specifications: `spec-tariff`, `spec-service` and `spec-document` "
    "(read-only).")
CATEGORY = _resource("category", "Category",
                     "The world's categories: `tariff`, `service` and `document` (read-only).")
CATALOG = _resource("catalog", "Catalog", "The world's catalog: `mobile` (read-only).")
RESOURCES = (PRODUCT_OFFERING, PRODUCT_OFFERING_PRICE, PRODUCT_SPECIFICATION, CATEGORY,
             CATALOG)
