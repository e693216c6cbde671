"""TMF663 shoppingCart over loopback, the fee preview: for every rule and every kind of change,
the cart says what /v1/orders/preview says — the fee by the subscriber's own tariff (R4), the
monthly cost after, the services dropped, the trial (R5), the version, or the rule that refuses
(R1 …) with its sentence — and changes nothing; every message held to the published TMF663 v4
document ($TMF_DOCS, default ../shared/tmf/v4)."""

from __future__ import annotations

from collections.abc import Iterator
from decimal import Decimal
from typing import Any, get_args

import httpx
import pytest

from sandbox.schemas_orders import Rule
from sandbox.server import RunningSandbox
from tests.integration.test_sandbox_kit import (
    KHABIBULLIN,
    MARIA,
    ORLOV,
    POPOVA,
    VORONTSOVA,
    Api,
    start,
)
from tests.integration.test_tmf_ordering import SMIRNOV, TKACHENKO, UNKNOWN, insufficient
from tests.support.pinned import RunningClock
from tests.support.tmf_docs import TmfDocs
from tests.support.tmf_items import add_item, item_for, line, price, tariff_item

BASE = "/tmf-api/shoppingCart/v4"


@pytest.fixture(scope="module")
def sandbox(tmp_path_factory: pytest.TempPathFactory) -> Iterator[RunningSandbox]:
    """A world pinned to 23 November 2026 (then passing as real seconds do): the Assistant is
    in trial operation."""
    with start(tmp_path_factory.mktemp("tmf663"), real_time=RunningClock().seconds) as running:
        yield running


@pytest.fixture(scope="module")
def docs() -> TmfDocs:
    return TmfDocs.from_folder()


@pytest.fixture(scope="module")
def v1(sandbox: RunningSandbox) -> Iterator[Api]:
    client = Api(sandbox)
    yield client
    client.close()


@pytest.fixture(scope="module")
def api(sandbox: RunningSandbox, v1: Api, docs: TmfDocs) -> Iterator[httpx.Client]:
    with httpx.Client(base_url=f"{sandbox.url}{BASE}", timeout=30, event_hooks=docs.hooks(),
                      headers={"Authorization": v1.http.headers["authorization"]}) as client:
        yield client


@pytest.fixture(scope="module")
def raw(sandbox: RunningSandbox, v1: Api) -> Iterator[httpx.Client]:
    """For bodies off the document on purpose: not held to it."""
    with httpx.Client(base_url=f"{sandbox.url}{BASE}", timeout=30,
                      headers={"Authorization": v1.http.headers["authorization"]}) as client:
        yield client


def allowed_on(v1: Api, tariff: str, code: str) -> tuple[str, dict[str, Any]]:
    """A line of the world on `tariff` that may connect service `code`, and the preview."""
    for item in v1.http.get("/sandbox/subscribers").json()["items"]:
        if item["tariff_code"] == tariff and item["status"] == "active":
            preview = v1.preview(item["msisdn"], "add_service", service_code=code)
            if preview["allowed"]:
                return str(item["msisdn"]), preview
    raise AssertionError(f"no line on {tariff} may connect {code}")


def cart(msisdn: str, action: str, codes: dict[str, str]) -> dict[str, Any]:
    return {"cartItem": [item_for(msisdn, action, **codes)],
            "relatedParty": [{"id": "petrova", "role": "clerk", "@referredType": "Individual"}]}


def agree(preview: dict[str, Any], answer: httpx.Response, msisdn: str) -> dict[str, Any]:
    """The cart says what the /v1 preview says."""
    if not preview["allowed"]:
        assert answer.status_code == 422, answer.text
        error: dict[str, Any] = answer.json()
        assert (error["code"], error["message"], error["status"]) == (
            preview["refusal"]["rule"], preview["refusal"]["message"], "422")
        assert error["@type"] == "Error" and error["reason"]
        return error
    assert answer.status_code == 201, answer.text
    body: dict[str, Any] = answer.json()
    assert answer.headers["etag"] == f'"{preview["subscriber_version"]}"'
    assert answer.headers["location"] == body["href"] and body["@type"] == "ShoppingCart"
    item, *dropped = body["cartItem"]
    for prices in (item["itemPrice"], body["cartTotalPrice"]):
        assert price(prices, "oneTime") == Decimal(preview["fee"]["value"])
        assert price(prices, "recurring") == Decimal(preview["monthly_cost_after"]["value"])
    assert item["status"] == "active"
    assert [(d["action"], d["product"]["id"], d["productOffering"]["id"],
             d["cartItemRelationship"]) for d in dropped] == [
        ("delete", f"S-{msisdn.removeprefix('+')}-{s['code']}", f"service-{s['code']}",
         [{"id": item["id"], "relationshipType": "reliesOn"}])
        for s in preview["dropped_services"]]
    assert [d["productOffering"]["name"] for d in dropped] == [
        s["name"] for s in preview["dropped_services"]]
    if preview["trial"] is None:
        assert "itemTerm" not in item
    else:
        (term,) = item["itemTerm"]
        assert term["name"] == "trial"
        assert (term["validFor"]["startDateTime"][:10], term["validFor"]["endDateTime"][:10]) == (
            preview["trial"]["start"], preview["trial"]["end"])
    return body


Case = tuple[str | None, str, dict[str, str], str | None]  # number, action, codes, rule
SUCCESSES: list[Case] = [
    (MARIA, "change_tariff", {"tariff_code": "BIZ_START"}, None),  # drops the Assistant
    (POPOVA, "add_service", {"service_code": "FAVOURITE"}, None),
    (POPOVA, "connect_assistant", {}, None),  # R5: in trial operation
    (TKACHENKO, "change_tariff", {"tariff_code": "SMART_PLUS"}, None),  # ONLINE: half the fee
    (TKACHENKO, "remove_service", {"service_code": "GUARD"}, None),
    (MARIA, "remove_service", {"service_code": "ASSISTANT"}, None),
    (VORONTSOVA, "change_tariff", {"tariff_code": "PLATINUM"}, None),  # VIP: free
]
REFUSALS: list[Case] = [
    (ORLOV, "connect_assistant", {}, "R1"),
    (ORLOV, "add_service", {"service_code": "ASSISTANT"}, "R1"),
    (KHABIBULLIN, "add_service", {"service_code": "GUARD"}, "subscriber_blocked"),
    (SMIRNOV, "change_tariff", {"tariff_code": "SMART"}, "same_tariff"),
    (SMIRNOV, "change_tariff", {"tariff_code": "CLASSIC"}, "not_available"),  # archived
    (SMIRNOV, "add_service", {"service_code": "CONFERENCE"}, "not_available"),  # class
    (SMIRNOV, "add_service", {"service_code": "SMS_INFO"}, "not_available"),  # archived
    (SMIRNOV, "remove_service", {"service_code": "BEEP"}, "not_connected"),
    (TKACHENKO, "add_service", {"service_code": "GUARD"}, "already_connected"),
    (None, "change_tariff", {"tariff_code": "PLATINUM"}, "insufficient_balance"),
]


@pytest.mark.parametrize(("msisdn", "action", "codes", "rule"), SUCCESSES + REFUSALS)
def test_the_cart_says_what_the_v1_preview_says(v1: Api, api: httpx.Client, msisdn: str | None,
                                                action: str, codes: dict[str, str],
                                                rule: str | None) -> None:
    msisdn = msisdn or insufficient(v1)
    preview = v1.preview(msisdn, action, **codes)
    assert (preview["refusal"] or {}).get("rule") == rule, preview
    version = v1.version(msisdn)
    agree(preview, api.post("/shoppingCart", json=cart(msisdn, action, codes)), msisdn)
    assert v1.version(msisdn) == version  # a preview changes nothing


def test_every_rule_of_an_order_is_among_the_cases() -> None:
    assert {case[3] for case in REFUSALS} == set(get_args(Rule))


def test_fees_differ_by_the_subscribers_own_tariff(v1: Api, api: httpx.Client) -> None:
    """R4: connecting the same service costs what each subscriber's plan says."""
    fees = {}
    for tariff in ("SMART", "SMART_PLUS", "BIZ_MAX"):
        code = "ANTI_AON" if tariff == "BIZ_MAX" else "FAVOURITE"
        msisdn, preview = allowed_on(v1, tariff, code)
        body = agree(preview, api.post("/shoppingCart", json=cart(
            msisdn, "add_service", {"service_code": code})), msisdn)
        fees[tariff] = price(body["cartTotalPrice"], "oneTime")
    assert fees == {"SMART": Decimal("25"), "SMART_PLUS": Decimal("12.5"), "BIZ_MAX": 0}


def test_a_priced_cart_is_kept_and_the_trial_is_named(v1: Api, api: httpx.Client) -> None:
    made = api.post("/shoppingCart", json=cart(POPOVA, "connect_assistant", {}))
    body = agree(v1.preview(POPOVA, "connect_assistant"), made, POPOVA)
    (term,) = body["cartItem"][0]["itemTerm"]
    assert (term["@type"], term["@baseType"]) == ("SalonCartTerm", "CartTerm")
    assert term["duration"] == {"amount": 31, "units": "day"}
    assert term["validFor"]["startDateTime"].endswith("T00:00:00Z")
    assert term["validFor"]["endDateTime"].endswith("T23:59:59Z")
    assert body["relatedParty"][0]["id"] == "petrova"
    assert api.get(f"/shoppingCart/{body['id']}").json() == body
    assert body in api.get("/shoppingCart").json()
    assert api.delete(f"/shoppingCart/{body['id']}").status_code == 204
    assert api.get(f"/shoppingCart/{body['id']}").status_code == 404


def test_a_cart_that_names_no_line_is_kept_unpriced(api: httpx.Client) -> None:
    body = {"cartItem": [{"id": "1", "action": "add", "productOffering": {"id": "14277"}}]}
    made = api.post("/shoppingCart", json=body)
    assert made.status_code == 201, made.text
    assert made.json()["cartItem"] == body["cartItem"] and "etag" not in made.headers
    assert api.post("/shoppingCart", json={}).status_code == 201
    loose = api.post("/shoppingCart", json={"cartItem": [{"quantity": 2}]})  # TMF663 allows it
    assert loose.status_code == 201 and loose.json()["cartItem"] == [{"quantity": 2}]


@pytest.mark.parametrize(("body", "status", "code"), [
    ({"cartItem": [tariff_item(POPOVA, "NOPE")]}, 400, "bad_request"),
    ({"cartItem": [tariff_item(POPOVA, "ONLINE"), add_item(POPOVA, "BEEP", "2")]}, 400,
     "bad_request"),
    ({"cartItem": [{"id": "1", "action": "add", "productOffering": {"id": "service-BEEP"}}]},
     400, "bad_request"),
    ({"cartItem": [{"id": "1", "action": "noChange", "product": {"id": line(POPOVA)}}]}, 400,
     "bad_request"),
    ({"cartItem": [{k: v for k, v in add_item(POPOVA, "BEEP").items() if k != "id"}]}, 400,
     "bad_request"),
    ({"cartItem": "BEEP"}, 400, "bad_request"),
    ({"cartItem": [add_item(UNKNOWN, "GUARD")]}, 404, "not_found"),
])
def test_bad_carts(raw: httpx.Client, body: dict[str, Any], status: int, code: str) -> None:
    answer = raw.post("/shoppingCart", json=body)
    assert answer.status_code == status, answer.text
    assert answer.json()["code"] == code and answer.json()["@type"] == "Error"


def test_every_message_matched_the_published_document(docs: TmfDocs) -> None:
    """Last in the module: what the others exchanged."""
    assert docs.checked > 20
    assert docs.deviations == [], "\n".join(docs.deviations)
