"""The items a client sends to TMF622 productOrder and TMF663 shoppingCart for each change the
console makes (the integrator's guide's forms), and reading the prices of an answer."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

Json = dict[str, Any]


def line(msisdn: str) -> str:
    return f"L-{msisdn.removeprefix('+')}"


def tariff_item(msisdn: str, code: str, item_id: str = "1") -> Json:
    return {"id": item_id, "action": "modify", "product": {"id": line(msisdn)},
            "productOffering": {"id": f"tariff-{code}"}}


def add_item(msisdn: str, code: str, item_id: str = "1") -> Json:
    """A service connected (the Electronic Assistant is code ASSISTANT)."""
    return {"id": item_id, "action": "add", "productOffering": {"id": f"service-{code}"},
            "product": {"productRelationship": [{"relationshipType": "bundled",
                                                 "product": {"id": line(msisdn)}}]}}


def remove_item(msisdn: str, code: str, item_id: str = "1") -> Json:
    return {"id": item_id, "action": "delete",
            "product": {"id": f"S-{msisdn.removeprefix('+')}-{code}"}}


def item_for(msisdn: str, action: str, tariff_code: str | None = None,
             service_code: str | None = None) -> Json:
    """The item for a /v1 order's action and codes."""
    if action == "change_tariff":
        assert tariff_code is not None
        return tariff_item(msisdn, tariff_code)
    if action == "connect_assistant":
        return add_item(msisdn, "ASSISTANT")
    assert service_code is not None
    return (add_item if action == "add_service" else remove_item)(msisdn, service_code)


def order_body(item: Json, external_id: str | None = None) -> Json:
    body: Json = {"productOrderItem": [item], "channel": [{"id": "MSK-001", "name": "2"}],
                  "relatedParty": [{"id": "petrova", "role": "clerk",
                                    "@referredType": "Individual"}]}
    if external_id is not None:
        body["externalId"] = external_id
    return body


def price(prices: list[Json], price_type: str) -> Decimal:
    """The amount of the price of that type, read from the JSON number's text."""
    found = [p for p in prices if p["priceType"] == price_type]
    assert len(found) == 1, prices
    return Decimal(str(found[0]["price"]["taxIncludedAmount"]["value"]))
