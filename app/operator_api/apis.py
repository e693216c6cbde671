"""The operator APIs the console needs, and where each lives.

Each is found at `[operator] url` + its standard path (TM Forum's `/tmf-api/{apiName}/v4`)
unless salon.ini gives it a base URL of its own (`[operator] api.<name> = https://…`, for a
BSS that serves its APIs from several hosts). `salon operator check` walks this table.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass


@dataclass(frozen=True)
class Api:
    name: str  # productInventory: the apiName of TMF's basePath, the key in salon.ini
    standard: str  # TMF637, or "x-salon" for the console's documented extension
    path: str  # /tmf-api/productInventory/v4, relative to [operator] url
    need: str  # what the console uses it for (English; the check translates it)


APIS: tuple[Api, ...] = (
    Api("productInventory", "TMF637", "/tmf-api/productInventory/v4",
        "the subscriber's line, tariff and services"),
    Api("party", "TMF632", "/tmf-api/party/v4", "the person using the line"),
    Api("customerManagement", "TMF629", "/tmf-api/customerManagement/v4",
        "the customer holding the line"),
    Api("prepayBalanceManagement", "TMF654", "/tmf-api/prepayBalanceManagement/v4",
        "balances and packages"),
    Api("productCatalogManagement", "TMF620", "/tmf-api/productCatalogManagement/v4",
        "tariffs, services and their prices"),
    Api("usageManagement", "TMF635", "/tmf-api/usageManagement/v4",
        "usage records for detalizations"),
    Api("shoppingCart", "TMF663", "/tmf-api/shoppingCart/v4", "the fee preview of a change"),
    Api("productOrderingManagement", "TMF622", "/tmf-api/productOrderingManagement/v4",
        "tariff, service and Assistant changes"),
    Api("document", "TMF667", "/tmf-api/document/v4", "the personal archive"),
    Api("communicationManagement", "TMF681", "/tmf-api/communicationManagement/v4",
        "the training phone's SMS"),
    Api("x-salon", "x-salon", "/tmf-api/x-salon/v1",
        "access codes and the main balance at an instant"),
)
BY_NAME: Mapping[str, Api] = {api.name: api for api in APIS}


def api_bases(overrides: Mapping[str, str]) -> dict[str, str]:
    """Each API's base: its own URL from salon.ini (without a trailing slash), else its
    standard path under the root. An unknown name is a ValueError naming the known ones."""
    unknown = sorted(set(overrides) - set(BY_NAME))
    if unknown:
        raise ValueError(f"unknown operator API {', '.join(unknown)}; "
                         f"known: {', '.join(BY_NAME)}")
    return {api.name: overrides.get(api.name, api.path).rstrip("/") for api in APIS}
