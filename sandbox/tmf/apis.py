"""Every TMF API the sandbox serves, each with its resources. A new API is a module that
describes its resources (see usage_api.py) and one line here."""

from __future__ import annotations

from fastapi import APIRouter

from sandbox.tmf import (
    balance_api,
    cart_api,
    catalog_api,
    communication_api,
    customer_api,
    document_api,
    extension_api,
    inventory_api,
    ordering_api,
    party_api,
    usage_api,
)
from sandbox.tmf.resource import Api, Resource
from sandbox.tmf.routes import api_router

ALL: tuple[tuple[Api, tuple[Resource, ...]], ...] = (
    (usage_api.API, usage_api.RESOURCES),
    (communication_api.API, communication_api.RESOURCES),
    (catalog_api.API, catalog_api.RESOURCES),
    (inventory_api.API, inventory_api.RESOURCES),
    (party_api.API, party_api.RESOURCES),
    (customer_api.API, customer_api.RESOURCES),
    (balance_api.API, balance_api.RESOURCES),
    (ordering_api.API, ordering_api.RESOURCES),
    (cart_api.API, cart_api.RESOURCES),
)


def routers() -> list[APIRouter]:
    # TMF667 and the x-salon extension have routes of their own (the archive, access codes).
    return [*(api_router(api, resources) for api, resources in ALL), document_api.router,
            extension_api.router]
