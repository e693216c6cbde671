"""Every TMF API the sandbox serves, each with its resources. A new API is a module that
describes its resources (see usage_api.py) and one line here."""

from __future__ import annotations

from fastapi import APIRouter

from sandbox.tmf import cart_api, communication_api, ordering_api, usage_api
from sandbox.tmf.resource import Api, Resource
from sandbox.tmf.routes import api_router

ALL: tuple[tuple[Api, tuple[Resource, ...]], ...] = (
    (usage_api.API, usage_api.RESOURCES),
    (communication_api.API, communication_api.RESOURCES),
    (ordering_api.API, ordering_api.RESOURCES),
    (cart_api.API, cart_api.RESOURCES),
)


def routers() -> list[APIRouter]:
    return [api_router(api, resources) for api, resources in ALL]
