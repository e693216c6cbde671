"""TMF637 over loopback: every subscriber's line as a product — the same state /v1 serves (tariff,
services with the Assistant, status, activation, region, people, version as ETag) — found by
number, changed by an order and seen changed, followed from a usage record's productRef, and
created products beside the world; every message held to the published TMF637 v4 document
($TMF_DOCS, default ../shared/tmf/v4)."""

from __future__ import annotations

import json
import uuid
from collections.abc import Iterator
from decimal import Decimal
from typing import Any

import httpx
import pytest

from sandbox.server import RunningSandbox, start_in_background
from tests.support.pinned import RunningClock
from tests.support.tmf_docs import TmfDocs

TOKEN = "tmf-token"
BASE = "/tmf-api/productInventory/v4"
MARIA, POPOVA, KHABIBULLIN = "+79161234567", "+79121234567", "+79171234567"
Json = dict[str, Any]


@pytest.fixture(scope="module")
def sandbox(tmp_path_factory: pytest.TempPathFactory) -> Iterator[RunningSandbox]:
    running = start_in_background(tmp_path_factory.mktemp("tmf637") / "sandbox.sqlite3", 2026,
                                  TOKEN, real_time=RunningClock().seconds)
    yield running
    running.stop()


@pytest.fixture(scope="module")
def docs() -> TmfDocs:
    return TmfDocs.from_folder()


@pytest.fixture(scope="module")
def api(sandbox: RunningSandbox, docs: TmfDocs) -> Iterator[httpx.Client]:
    with httpx.Client(base_url=f"{sandbox.url}{BASE}", timeout=60, event_hooks=docs.hooks(),
                      headers={"Authorization": f"Bearer {TOKEN}"}) as client:
        yield client


@pytest.fixture(scope="module")
def root(sandbox: RunningSandbox, docs: TmfDocs) -> Iterator[httpx.Client]:
    """/v1 and the other TMF APIs (held to their documents too)."""
    with httpx.Client(base_url=sandbox.url, timeout=60, event_hooks=docs.hooks(),
                      headers={"Authorization": f"Bearer {TOKEN}"}) as client:
        yield client


def ok(response: httpx.Response, status: int = 200) -> Any:
    assert response.status_code == status, response.text
    return json.loads(response.text, parse_float=Decimal) if response.content else None


def v1_line(root: httpx.Client, msisdn: str) -> tuple[Json, str]:
    answer = root.get(f"/v1/subscribers/{msisdn}")
    return ok(answer), answer.headers["ETag"]


def monthly(product: Json) -> Decimal:
    (price,) = product["productPrice"]
    assert (price["priceType"], price["recurringChargePeriod"]) == ("recurring", "month")
    assert price["price"]["taxIncludedAmount"]["unit"] == "RUB"
    return Decimal(price["price"]["taxIncludedAmount"]["value"])


def assert_same_line(product: Json, subscriber: Json, base: str) -> None:
    """The line says what /v1's subscriber says."""
    digits = subscriber["msisdn"].removeprefix("+")
    assert product["id"] == f"L-{digits}" and product["@type"] == "Product"
    assert product["href"] == f"{base}{BASE}/product/L-{digits}"
    assert product["productSerialNumber"] == subscriber["msisdn"]
    assert product["status"] == {"active": "active", "blocked": "suspended"}[
        subscriber["status"]]
    assert product["startDate"] == subscriber["activated_at"]
    tariff = subscriber["tariff"]
    assert product["productOffering"]["id"] == f"tariff-{tariff['code']}"
    assert product["productOffering"]["name"] == tariff["name"]
    assert monthly(product) == Decimal(tariff["monthly_fee"]["value"])
    services = [s for s in product["product"] if s["productOffering"]["id"] !=
                "service-ASSISTANT"]
    assert [(s["id"], s["productOffering"]["id"], s["name"], s["startDate"])
            for s in services] == [
        (f"S-{digits}-{s['code']}", f"service-{s['code']}", s["name"], s["connected_at"])
        for s in subscriber["services"]]
    assistant = [s for s in product["product"] if s not in services]
    assert len(assistant) == int(subscriber["assistant"]["connected"])
    for service in product["product"]:
        assert service["status"] == product["status"]
        assert service["productRelationship"][0]["product"]["id"] == product["id"]
    user, customer = product["relatedParty"]
    assert (user["role"], user["@referredType"], user["id"], user["name"]) == (
        "user", "Individual", f"I-{digits}", subscriber["name"])
    assert (customer["role"], customer["@referredType"], customer["id"]) == (
        "customer", "Customer", f"C-{digits}")
    assert product["billingAccount"]["id"] == f"BA-{digits}"
    region = subscriber["home_region"]
    assert product["productCharacteristic"] == [{
        "name": "homeRegion", "valueType": "object",
        "value": {"code": region["code"], "name": region["name"], "nameEn": region["name_en"],
                  "timeZone": region["timezone"]}}]


def test_every_line_is_the_subscriber_v1_serves(sandbox: RunningSandbox, api: httpx.Client,
                                                root: httpx.Client) -> None:
    demo = ok(root.get("/sandbox/subscribers"))["items"]
    answer = api.get("/product", params={"limit": 1000})
    lines = ok(answer)
    assert answer.headers["X-Total-Count"] == answer.headers["X-Result-Count"] == str(len(demo))
    assert [p["productSerialNumber"] for p in lines] == [s["msisdn"] for s in demo]
    for product in lines:
        subscriber, _etag = v1_line(root, product["productSerialNumber"])
        assert_same_line(product, subscriber, sandbox.url)
    suspended = ok(api.get("/product", params={"status": "suspended", "limit": 1000}))
    assert [p["productSerialNumber"] for p in suspended] == [
        s["msisdn"] for s in demo if s["status"] == "blocked"]
    assert KHABIBULLIN in {p["productSerialNumber"] for p in suspended}


def test_a_number_finds_its_line_and_the_line_carries_the_version(
        sandbox: RunningSandbox, api: httpx.Client, root: httpx.Client) -> None:
    answer = api.get("/product", params={"productSerialNumber": MARIA})
    (found,) = ok(answer)
    assert answer.headers["X-Total-Count"] == "1"
    single = api.get(f"/product/{found['id']}")
    assert ok(single) == found
    subscriber, etag = v1_line(root, MARIA)
    assert single.headers["ETag"] == etag == f'"{subscriber["version"]}"'
    assert "ETag" not in answer.headers  # a list has no one version
    assert ok(api.get("/product", params={"productSerialNumber": "+79990000000"})) == []
    assert ok(api.get("/product", params={"productSerialNumber": f"{MARIA},{POPOVA}",
                                          "fields": "status"})) == [
        {"id": i, "href": f"{sandbox.url}{BASE}/product/{i}", "@type": "Product",
         "status": "active"} for i in ("L-79161234567", "L-79121234567")]
    # The person and the customer the line names are served where its refs point.
    user, customer = found["relatedParty"]
    person = ok(root.get(user["href"]))
    assert (person["id"], person["fullName"]) == (user["id"], subscriber["name"])
    assert ok(root.get(customer["href"]))["engagedParty"]["id"] == user["id"]
    by_person = ok(api.get("/product", params={"relatedParty.id": user["id"]}))
    assert [p["id"] for p in by_person] == [found["id"]]
    offering = ok(root.get(found["productOffering"]["href"]))
    assert offering["id"] == "tariff-SMART"
    price = ok(root.get(found["productPrice"][0]["productOfferingPrice"]["href"]))
    assert Decimal(price["price"]["value"]) == monthly(found)


def test_a_change_shows_on_the_line_with_a_new_etag(api: httpx.Client,
                                                    root: httpx.Client) -> None:
    before = api.get("/product/L-79121234567")
    assert api.get("/product/S-79121234567-GUARD").status_code == 404
    order = root.post("/v1/orders", json={"msisdn": POPOVA, "action": "add_service",
                                          "service_code": "GUARD", "clerk": "petrova",
                                          "salon": "MSK-001", "counter": "2"},
                      headers={"Idempotency-Key": f"tmf637-{uuid.uuid4().hex}",
                               "If-Match": before.headers["ETag"]})
    assert order.status_code == 201, order.text
    after = api.get("/product/L-79121234567")
    line = ok(after)
    assert int(after.headers["ETag"].strip('"')) > int(before.headers["ETag"].strip('"'))
    subscriber, etag = v1_line(root, POPOVA)
    assert after.headers["ETag"] == etag
    assert_same_line(line, subscriber, str(root.base_url).rstrip("/"))
    guard = next(s for s in line["product"] if s["id"] == "S-79121234567-GUARD")
    alone = api.get(guard["href"])
    assert ok(alone) == guard and alone.headers["ETag"] == etag
    assert ok(api.get("/product", params={"id": "S-79121234567-GUARD"})) == []  # lines only


def test_a_usage_records_product_ref_is_its_line(api: httpx.Client,
                                                 root: httpx.Client) -> None:
    (usage,) = ok(root.get("/tmf-api/usageManagement/v4/usage",
                           params={"ratedProductUsage.productRef.id": "L-79161234567",
                                   "limit": 1}))
    ref = usage["ratedProductUsage"][0]["productRef"]
    line = ok(api.get(ref["href"]))
    assert line["id"] == ref["id"] and line["productSerialNumber"] == MARIA


def test_created_products_live_beside_the_world(api: httpx.Client, root: httpx.Client) -> None:
    before = v1_line(root, MARIA)
    refused = api.post("/product", json={"productSerialNumber": MARIA, "status": "created"})
    assert refused.status_code == 422 and refused.json()["code"] == "world_line"
    made = ok(api.post("/product", json={"productSerialNumber": "+70000000001",
                                         "status": "created", "name": "Тест"}), 201)
    assert "ETag" not in api.get(f"/product/{made['id']}").headers
    assert ok(api.get("/product", params={"productSerialNumber": "+70000000001"})) == [made]
    assert ok(api.get("/product", params={"limit": 1}))[0] == made
    assert api.patch("/product/L-79161234567", json={"status": "terminated"}).status_code == 405
    assert api.delete("/product/S-79161234567-GUARD").status_code == 405
    assert api.delete(f"/product/{made['id']}").status_code == 204
    assert v1_line(root, MARIA) == before
    for missing in ("L-79990000000", "S-79161234567-BEEP", "S-79990000000-GUARD", "nothing"):
        assert api.get(f"/product/{missing}").status_code == 404


def test_every_message_was_as_the_published_document_says(docs: TmfDocs) -> None:
    """Last in the module: what the others sent and received."""
    assert docs.checked > 20
    assert docs.deviations == [], "\n".join(docs.deviations)
