"""Reading a TMF622 order item or a TMF663 cart item as the change the order logic knows: the
three forms of the integrator's guide, what makes an item name the world, and a sentence for
every item that fits no form."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest

from sandbox import orders
from sandbox.errors import ApiError
from sandbox.tmf import changes, ids

LINE = "L-79161234567"
MARIA = "+79161234567"


def add(offering: str, relationship: dict[str, Any]) -> dict[str, Any]:
    return {"id": "1", "action": "add", "productOffering": {"id": offering},
            "product": {"productRelationship": [relationship]}}


@pytest.mark.parametrize(("item", "expected"), [
    ({"id": "1", "action": "modify", "product": {"id": LINE},
      "productOffering": {"id": "tariff-SMART_PLUS"}},
     changes.Change(MARIA, orders.CHANGE_TARIFF, "SMART_PLUS", None)),
    (add("service-GUARD", {"relationshipType": "bundled", "product": {"id": LINE}}),
     changes.Change(MARIA, orders.ADD_SERVICE, None, "GUARD")),
    # The mapping's shorthand (id on the relationship) and the document's reliesOn are read too.
    (add("service-WHO_CALLED", {"relationshipType": "reliesOn", "id": LINE}),
     changes.Change(MARIA, orders.ADD_SERVICE, None, "WHO_CALLED")),
    (add("service-ASSISTANT", {"relationshipType": "bundled", "product": {"id": LINE}}),
     changes.Change(MARIA, orders.CONNECT_ASSISTANT, None, None)),
    ({"id": "1", "action": "delete", "product": {"id": "S-79161234567-GUARD"}},
     changes.Change(MARIA, orders.REMOVE_SERVICE, None, "GUARD")),
    ({"id": "1", "action": "delete", "product": {"id": "S-79161234567-ASSISTANT"},
      "productOffering": {"id": "service-ASSISTANT"}},
     changes.Change(MARIA, orders.REMOVE_SERVICE, None, "ASSISTANT")),
])
def test_the_three_forms(item: dict[str, Any], expected: changes.Change) -> None:
    assert changes.names_the_world([item])
    change = changes.change_of(item, "productOrderItem")
    assert change == expected and change.line == LINE
    assert change.target().action == expected.action


@pytest.mark.parametrize(("item", "fragment"), [
    ({"id": "1", "action": "modify", "product": {"id": LINE},
      "productOffering": {"id": "service-GUARD"}}, "tariff-<CODE>"),
    ({"id": "1", "action": "modify", "product": {"id": "S-79161234567-GUARD"},
      "productOffering": {"id": "tariff-SMART"}}, "L-<number>"),
    ({"id": "1", "action": "add", "productOffering": {"id": "service-GUARD"}}, "bundled"),
    (add("service-GUARD", {"relationshipType": "owns", "product": {"id": LINE}}), "bundled"),
    (add("tariff-SMART", {"relationshipType": "bundled", "product": {"id": LINE}}),
     "service-<CODE>"),
    ({"id": "1", "action": "delete", "product": {"id": LINE}}, "S-<number>-<CODE>"),
    ({"id": "1", "action": "delete", "product": {"id": "S-79161234567-GUARD"},
      "productOffering": {"id": "service-BEEP"}}, "service-GUARD"),
    ({"id": "1", "action": "noChange", "product": {"id": LINE}}, "noChange"),
])
def test_an_item_that_fits_no_form_is_a_bad_request(item: dict[str, Any],
                                                     fragment: str) -> None:
    with pytest.raises(ApiError) as caught:
        changes.change_of(item, "cartItem")
    assert caught.value.status == 400 and fragment in caught.value.message


def test_an_unknown_catalog_code_is_a_bad_request() -> None:
    item = {"id": "1", "action": "modify", "product": {"id": LINE},
            "productOffering": {"id": "tariff-NOPE"}}
    change = changes.change_of(item, "productOrderItem")
    with pytest.raises(ApiError) as caught:
        change.target()
    assert caught.value.status == 400 and "NOPE" in caught.value.message


def test_what_names_the_world() -> None:
    assert not changes.names_the_world([{"id": "123", "action": "add"}])  # TM Forum's kit
    assert not changes.names_the_world([{"id": "1", "action": "add", "product": {"id": "x"},
                                         "productOffering": {"id": "14277"}}])
    assert changes.names_the_world([{"id": "1", "action": "add",
                                     "productOffering": {"id": "tariff-NOPE"}}])
    assert changes.names_the_world([{"id": "1", "action": "noChange",
                                     "product": {"id": "S-79161234567-GUARD"}}])


@pytest.mark.parametrize("body", [
    {"productOrderItem": {"id": "1"}}, {"productOrderItem": ["x"]},
    {"productOrderItem": [{"id": 1, "action": "add"}]},
    {"productOrderItem": [{"id": "1", "action": "replace"}]},
])
def test_items_must_have_an_id_and_a_published_action(body: dict[str, Any]) -> None:
    with pytest.raises(ApiError) as caught:
        changes.items_of(body, "productOrderItem")
    assert caught.value.status == 400


def test_one_change_per_request() -> None:
    item = {"id": "1", "action": "delete", "product": {"id": "S-79161234567-GUARD"}}
    with pytest.raises(ApiError):
        changes.only_change([item, {**item, "id": "2"}], "productOrderItem")
    with pytest.raises(ApiError):
        changes.only_change([], "productOrderItem")


def test_a_service_products_id_resolves_back() -> None:
    for code in ("GUARD", "WHO_CALLED", "ASSISTANT"):
        made = changes.service_product_id(MARIA, code)
        assert ids.resolve_product(made) == (MARIA, code)
    assert ids.resolve_product(ids.line_id(MARIA)) == (MARIA, None)
    for other in ("S-79161234567-", "S-79161234567-guard", "L-0791", "U-1", "ORD-000001"):
        assert ids.resolve_product(other) is None


def test_prices_are_exact_decimals_on_the_wire() -> None:
    fee, monthly = changes.prices(Decimal("12.50"), Decimal("1234.56"))
    assert fee["priceType"] == "oneTime" and monthly["priceType"] == "recurring"
    assert monthly["recurringChargePeriod"] == "month"
    assert repr(fee["price"]["taxIncludedAmount"]["value"]) == "12.5"
    assert repr(monthly["price"]["taxIncludedAmount"]["value"]) == "1234.56"
    assert fee["price"]["taxIncludedAmount"]["unit"] == "RUB"
