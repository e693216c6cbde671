"""TMF622 productOrder over loopback: a change to a line applied through the sandbox's own order
logic — the same fee, refusals, version bump, order row and stored answer as /v1/orders —, a
retry settled by its key or by externalId, a line's orders, and TM Forum's kit's orders kept
beside the world; every message held to the published TMF622 v4 document ($TMF_DOCS, default
../shared/tmf/v4)."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from decimal import Decimal
from typing import Any

import httpx
import pytest

from sandbox.server import RunningSandbox
from tests.integration.test_sandbox_kit import (
    KHABIBULLIN,
    MARIA,
    ORLOV,
    POPOVA,
    VORONTSOVA,
    Api,
    new_key,
    query,
    start,
)
from tests.integration.test_sandbox_orders import concurrently, plus_second
from tests.support.pinned import RunningClock
from tests.support.tmf_docs import TmfDocs
from tests.support.tmf_items import (
    add_item,
    item_for,
    line,
    order_body,
    price,
    remove_item,
    tariff_item,
)

BASE = "/tmf-api/productOrderingManagement/v4"
TKACHENKO = "+79181234567"  # ONLINE, GUARD + ROAMING_PLUS
SMIRNOV = "+79119876543"  # SMART, a promised payment
UNKNOWN = "+79990000000"
KIT_ORDER = {"productOrderItem": [{"id": "123", "action": "add"}],
             "relatedParty": [{"id": "456-dd-df45", "@referredType": "Individual"}]}


@pytest.fixture(scope="module")
def sandbox(tmp_path_factory: pytest.TempPathFactory) -> Iterator[RunningSandbox]:
    """A world pinned to 23 November 2026 (then passing as real seconds do)."""
    with start(tmp_path_factory.mktemp("tmf622"), real_time=RunningClock().seconds) as running:
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


def place(api: httpx.Client, body: dict[str, Any], version: int | None,
          key: str | None = None) -> httpx.Response:
    headers = {"Idempotency-Key": key or new_key("tmf")}
    if version is not None:
        headers["If-Match"] = f'"{version}"'
    return api.post("/productOrder", json=body, headers=headers)


def tmf_error(response: httpx.Response, status: int, code: str) -> dict[str, Any]:
    assert response.status_code == status, response.text
    body: dict[str, Any] = response.json()
    assert body["code"] == code and body["status"] == str(status)
    assert body["reason"] and body["message"] and body["@type"]
    return body


def test_a_service_connected_is_the_order_v1_records(sandbox: RunningSandbox, v1: Api,
                                                     api: httpx.Client) -> None:
    version = v1.version(TKACHENKO)
    preview = v1.preview(TKACHENKO, "add_service", service_code="FAVOURITE")
    outbox_key = new_key("outbox")
    answer = place(api, order_body(add_item(TKACHENKO, "FAVOURITE"), outbox_key), version,
                   outbox_key)
    assert answer.status_code == 201, answer.text
    order = answer.json()
    assert answer.headers["location"] == order["href"] and order["href"].endswith(order["id"])
    assert "idempotent-replayed" not in answer.headers
    assert (order["@type"], order["@baseType"], order["state"]) == (
        "SalonProductOrder", "ProductOrder", "completed")
    assert order["externalId"] == outbox_key
    assert order["orderDate"] == order["completionDate"]
    assert (order["lineVersionBefore"], order["lineVersionAfter"]) == (version, version + 1)
    assert order["channel"] == [{"id": "MSK-001", "name": "2"}]
    assert order["relatedParty"] == [{"id": "petrova", "role": "clerk",
                                      "@referredType": "Individual"}]
    (item,) = order["productOrderItem"]
    assert (item["id"], item["action"], item["state"]) == ("1", "add", "completed")
    assert item["productOffering"]["id"] == "service-FAVOURITE"
    assert item["product"]["id"] == "S-79181234567-FAVOURITE"
    assert item["product"]["productRelationship"][0]["product"]["id"] == line(TKACHENKO)
    for prices in (order["orderTotalPrice"], item["itemPrice"]):
        assert price(prices, "oneTime") == Decimal(preview["fee"]["value"]) == Decimal("25")
        assert price(prices, "recurring") == Decimal(preview["monthly_cost_after"]["value"])

    # The one order, as /v1 has it: the same row, fee, version and ledger event.
    (row,) = query(sandbox, "SELECT order_id, idempotency_key FROM orders WHERE order_id = ?",
                   order["id"])
    assert row == (order["id"], outbox_key)
    recorded = v1.http.get(f"/v1/orders/{order['id']}").json()
    assert (recorded["action"], recorded["service_code"], recorded["fee"]["value"]) == (
        "add_service", "FAVOURITE", "25.00")
    assert (recorded["clerk"], recorded["salon"], recorded["counter"]) == ("petrova", "MSK-001",
                                                                         "2")
    assert recorded["completed_at"] == order["completionDate"]
    assert recorded["subscriber_version"] == version + 1 == v1.version(TKACHENKO)
    assert "FAVOURITE" in {s["code"] for s in v1.card(TKACHENKO)["services"]}
    assert query(sandbox, "SELECT COUNT(*), SUM(amount_kop) FROM ledger_events WHERE source = ?",
                 order["id"]) == [(1, 2500)]
    after = plus_second(order["completionDate"])  # the fee is in the balance from then on
    assert v1.main(TKACHENKO, at=after) == Decimal(recorded["balance_after"]["value"])

    # A retry with the key: the stored answer, byte for byte; nothing applied again.
    again = place(api, order_body(add_item(TKACHENKO, "FAVOURITE"), outbox_key), version,
                  outbox_key)
    assert (again.status_code, again.text) == (201, answer.text)
    assert again.headers["idempotent-replayed"] == "true"
    assert again.headers["location"] == order["href"]
    assert v1.version(TKACHENKO) == version + 1
    # Settled by externalId (a crash before the answer was read), and by id.
    assert api.get("/productOrder", params={"externalId": outbox_key}).json() == [order]
    assert api.get("/productOrder", params={"externalId": new_key("never")}).json() == []
    assert api.get(f"/productOrder/{order['id']}").json() == order
    by_key = v1.http.get(f"/v1/orders/by-key/{outbox_key}").json()
    assert (by_key["status"], by_key["body"]) == (201, order)


def test_a_tariff_change_names_the_services_it_drops(v1: Api, api: httpx.Client) -> None:
    version = v1.version(MARIA)  # SMART with GUARD and the Assistant
    preview = v1.preview(MARIA, "change_tariff", tariff_code="BIZ_START")
    assert preview["allowed"], preview
    answer = place(api, order_body(tariff_item(MARIA, "BIZ_START")), version)
    assert answer.status_code == 201, answer.text
    order = answer.json()
    main, *dropped = order["productOrderItem"]
    assert (main["action"], main["product"]["id"], main["productOffering"]["id"]) == (
        "modify", line(MARIA), "tariff-BIZ_START")
    assert main["productOffering"]["name"] == "Бизнес Старт"
    assert price(order["orderTotalPrice"], "oneTime") == Decimal(preview["fee"]["value"])
    assert price(order["orderTotalPrice"], "recurring") == Decimal(
        preview["monthly_cost_after"]["value"])
    assert [(d["action"], d["state"], d["product"]["id"], d["productOffering"]["id"])
            for d in dropped] == [
        ("delete", "completed", f"S-79161234567-{s['code']}", f"service-{s['code']}")
        for s in preview["dropped_services"]]
    assert {"ASSISTANT"} <= {s["code"] for s in preview["dropped_services"]}
    for n, extra in enumerate(dropped, start=1):
        assert extra["id"] == f"1.{n}"
        assert extra["productOrderItemRelationship"] == [{"id": "1",
                                                          "relationshipType": "reliesOn"}]
    card = v1.card(MARIA)
    assert card["tariff"]["code"] == "BIZ_START" and card["assistant"] == {"connected": False}


def test_the_assistant_and_a_service_disconnected(v1: Api, api: httpx.Client) -> None:
    version = v1.version(POPOVA)
    connected = place(api, order_body(add_item(POPOVA, "ASSISTANT")), version)
    assert connected.status_code == 201, connected.text
    item = connected.json()["productOrderItem"][0]
    assert (item["action"], item["product"]["id"]) == ("add", "S-79121234567-ASSISTANT")
    assert v1.card(POPOVA)["assistant"]["connected"]
    assert v1.http.get(f"/v1/orders/{connected.json()['id']}").json()["action"] == (
        "connect_assistant")
    removed = place(api, order_body(remove_item(POPOVA, "ASSISTANT")), version + 1)
    assert removed.status_code == 201, removed.text
    item = removed.json()["productOrderItem"][0]
    assert (item["action"], item["product"]["id"], item["productOffering"]["id"]) == (
        "delete", "S-79121234567-ASSISTANT", "service-ASSISTANT")
    assert price(item["itemPrice"], "oneTime") == 0
    assert not v1.card(POPOVA)["assistant"]["connected"]
    assert v1.version(POPOVA) == version + 2


def insufficient(v1: Api) -> str:
    for item in v1.http.get("/sandbox/subscribers").json()["items"]:
        if item["tariff_code"] in ("SMART", "BASIC") and item["status"] == "active":
            preview = v1.preview(item["msisdn"], "change_tariff", tariff_code="PLATINUM")
            if preview["refusal"] and preview["refusal"]["rule"] == "insufficient_balance":
                return str(item["msisdn"])
    raise AssertionError("nobody in the world has less than the PLATINUM switch fee")


@pytest.mark.parametrize(("msisdn", "action", "codes", "rule"), [
    (ORLOV, "connect_assistant", {}, "R1"),
    (KHABIBULLIN, "add_service", {"service_code": "GUARD"}, "subscriber_blocked"),
    (SMIRNOV, "change_tariff", {"tariff_code": "SMART"}, "same_tariff"),
    (SMIRNOV, "change_tariff", {"tariff_code": "CLASSIC"}, "not_available"),
    (SMIRNOV, "add_service", {"service_code": "CONFERENCE"}, "not_available"),
    (SMIRNOV, "add_service", {"service_code": "SMS_INFO"}, "not_available"),
    (SMIRNOV, "remove_service", {"service_code": "BEEP"}, "not_connected"),
    (TKACHENKO, "add_service", {"service_code": "GUARD"}, "already_connected"),
    (None, "change_tariff", {"tariff_code": "PLATINUM"}, "insufficient_balance"),
])
def test_each_rule_refuses_as_v1_does_and_is_stored(sandbox: RunningSandbox, v1: Api,
                                                    api: httpx.Client, msisdn: str | None,
                                                    action: str, codes: dict[str, str],
                                                    rule: str) -> None:
    msisdn = msisdn or insufficient(v1)
    preview = v1.preview(msisdn, action, **codes)
    assert preview["refusal"]["rule"] == rule, preview
    version, key = v1.version(msisdn), new_key("refused")
    body = order_body(item_for(msisdn, action, **codes))
    answer = place(api, body, version, key)
    error = tmf_error(answer, 422, rule)
    assert error["message"] == preview["refusal"]["message"] and error["@type"] == "Error"
    again = place(api, body, version, key)
    assert (again.status_code, again.text) == (422, answer.text)
    assert again.headers["idempotent-replayed"] == "true"
    assert v1.version(msisdn) == version
    assert query(sandbox, "SELECT COUNT(*) FROM orders WHERE idempotency_key = ?",
                 key) == [(0,)]


def test_if_match_idempotency_key_and_an_unknown_line(v1: Api, api: httpx.Client) -> None:
    version = v1.version(POPOVA)
    body = order_body(add_item(POPOVA, "WHO_CALLED"))
    key = new_key("stale")
    stale = place(api, body, version - 1, key)
    error = tmf_error(stale, 412, "version_mismatch")
    assert (error["@type"], error["@baseType"], error["currentVersion"]) == (
        "SalonVersionMismatch", "Error", version)
    assert place(api, body, version - 1, key).text == stale.text  # a stored decision
    tmf_error(place(api, body, None), 428, "precondition_required")
    missing_key = api.post("/productOrder", json=body, headers={"If-Match": f'"{version}"'})
    assert "Idempotency-Key" in tmf_error(missing_key, 400, "bad_request")["message"]
    for bad in ("*", '"seven"'):
        tmf_error(api.post("/productOrder", json=body,
                           headers={"Idempotency-Key": new_key(), "If-Match": bad}),
                  400, "bad_request")
    reused = new_key("reused")
    assert place(api, body, version, reused).status_code == 201
    other = order_body(add_item(POPOVA, "BEEP"))
    tmf_error(place(api, other, version + 1, reused), 409, "idempotency_conflict")
    assert v1.version(POPOVA) == version + 1
    nobody = place(api, order_body(add_item(UNKNOWN, "GUARD")), 1)
    assert line(UNKNOWN) in tmf_error(nobody, 404, "not_found")["message"]


@pytest.mark.parametrize(("body", "fragment"), [
    (order_body(tariff_item(POPOVA, "NOPE")), "NOPE"),
    ({**order_body(tariff_item(POPOVA, "ONLINE")),
      "productOrderItem": [tariff_item(POPOVA, "ONLINE"), add_item(POPOVA, "BEEP", "2")]},
     "one change per request"),
    (order_body({**tariff_item(POPOVA, "ONLINE"), "productOffering": {"id": "service-BEEP"}}),
     "tariff-<CODE>"),
    (order_body({"id": "1", "action": "add", "productOffering": {"id": "service-BEEP"}}),
     "bundled"),
    (order_body({"id": "1", "action": "delete", "product": {"id": line(POPOVA)}}),
     "S-<number>-<CODE>"),
    ({**order_body(add_item(POPOVA, "BEEP")), "relatedParty": []}, "clerk"),
    ({**order_body(add_item(POPOVA, "BEEP")), "channel": [{"id": "MSK-001", "name": "x" * 17}]},
     "channel.name"),
    ({**order_body(add_item(POPOVA, "BEEP")), "externalId": 7}, "externalId"),
])
def test_bad_orders_are_400_and_change_nothing(v1: Api, raw: httpx.Client, body: dict[str, Any],
                                               fragment: str) -> None:
    version = v1.version(POPOVA)
    error = tmf_error(place(raw, body, version), 400, "bad_request")
    assert fragment in error["message"], error
    assert v1.version(POPOVA) == version


def test_concurrent_duplicates_apply_once(sandbox: RunningSandbox, v1: Api) -> None:
    msisdn = VORONTSOVA  # VIP: MOBILE_TV connects for free
    version, key = v1.version(msisdn), new_key("dup")
    headers = {"Authorization": v1.http.headers["authorization"], "Idempotency-Key": key,
               "If-Match": f'"{version}"'}
    body = order_body(add_item(msisdn, "MOBILE_TV"))
    answers = concurrently(8, lambda: httpx.post(f"{sandbox.url}{BASE}/productOrder", json=body,
                                                 headers=headers, timeout=30))
    assert {a.status_code for a in answers} <= {201, 409}, [a.text for a in answers]
    created = [a for a in answers if a.status_code == 201]
    assert len([a for a in created if "idempotent-replayed" not in a.headers]) == 1
    assert len({a.text for a in created}) == 1
    for busy in (a for a in answers if a.status_code == 409):
        tmf_error(busy, 409, "request_in_progress")
        assert busy.headers["retry-after"] == "1"
    assert v1.version(msisdn) == version + 1


def test_a_lines_orders_are_listed_whichever_face_placed_them(v1: Api, api: httpx.Client,
                                                              raw: httpx.Client) -> None:
    msisdn = next(item["msisdn"] for item in v1.http.get("/sandbox/subscribers").json()["items"]
                  if item["tariff_code"] == "SMART_PLUS" and item["status"] == "active"
                  and not item["assistant_connected"])
    through_v1 = v1.order(msisdn, "add_service", service_code="WHO_CALLED")
    assert through_v1.status_code == 201, through_v1.text
    through_tmf = place(api, order_body(remove_item(msisdn, "WHO_CALLED")), v1.version(msisdn))
    assert through_tmf.status_code == 201, through_tmf.text
    listed = api.get("/productOrder", params={"productOrderItem.product.id": line(msisdn)})
    orders = listed.json()
    assert [o["id"] for o in orders] == [through_v1.json()["order_id"], through_tmf.json()["id"]]
    assert listed.headers["x-total-count"] == "2"
    placed = orders[0]  # through /v1: its clerk and counter, item id 1, no externalId
    assert "externalId" not in placed and placed["productOrderItem"][0]["id"] == "1"
    assert placed["channel"] == [{"id": "MSK-001", "name": "2"}]
    assert placed["lineVersionAfter"] == through_v1.json()["subscriber_version"]
    assert placed == api.get(f"/productOrder/{placed['id']}").json()
    service = api.get("/productOrder", params={
        "productOrderItem.product.id": f"S-{msisdn.removeprefix('+')}-WHO_CALLED"}).json()
    assert [o["id"] for o in service] == [o["id"] for o in orders]
    # (A `fields` answer leaves out what ProductOrder requires: not held to the document.)
    page = raw.get("/productOrder", params={"productOrderItem.product.id": line(msisdn),
                                            "offset": 1, "limit": 1, "fields": "state"})
    assert page.json() == [{"id": orders[1]["id"], "href": orders[1]["href"],
                            "@type": "SalonProductOrder", "state": "completed"}]
    assert (page.headers["x-total-count"], page.headers["x-result-count"]) == ("2", "1")
    item = f"/productOrder/{placed['id']}"  # the world's orders are read-only
    tmf_error(raw.patch(item, json={"description": "x"}), 405, "read_only")
    tmf_error(raw.delete(item), 405, "read_only")


def test_the_kits_order_is_kept_and_changes_nothing(sandbox: RunningSandbox, api: httpx.Client,
                                                    raw: httpx.Client) -> None:
    orders_before = query(sandbox, "SELECT COUNT(*) FROM orders")
    created = api.post("/productOrder", json=KIT_ORDER)  # no key, no If-Match: none needed
    assert created.status_code == 201, created.text
    order = created.json()
    assert (order["@type"], order["state"]) == ("ProductOrder", "acknowledged")
    assert order["productOrderItem"] == [{"id": "123", "action": "add", "state": "acknowledged"}]
    assert order["relatedParty"] == KIT_ORDER["relatedParty"] and order["orderDate"]
    uuid.UUID(order["id"])
    assert query(sandbox, "SELECT COUNT(*) FROM orders") == orders_before
    listed = api.get("/productOrder", params={"id": order["id"]}).json()
    assert listed == [order]
    assert api.get("/productOrder", params={"orderDate": order["orderDate"],
                                            "state": "acknowledged"}).json()[0] == order
    assert raw.get(f"/productOrder/{order['id']}", params={"fields": "orderDate"}).json() == {
        "id": order["id"], "href": order["href"], "@type": "ProductOrder",
        "orderDate": order["orderDate"]}
    # (TMF622's ProductOrder_Update would have productOrderItem in every merge patch.)
    patched = raw.patch(f"/productOrder/{order['id']}", json={"description": "seen"})
    assert patched.status_code == 200 and patched.json()["description"] == "seen"
    assert api.delete(f"/productOrder/{order['id']}").status_code == 204
    tmf_error(api.get(f"/productOrder/{order['id']}"), 404, "not_found")


def test_an_order_with_no_item_is_a_bad_request(raw: httpx.Client) -> None:
    bodies: list[dict[str, Any]] = [{"productOrderItem": []},
                                    {"productOrderItem": [{"id": "1"}]}, {}]
    for body in bodies:
        answer = raw.post("/productOrder", json=body)
        assert answer.status_code == 400 and answer.json()["code"] == "bad_request", answer.text


def test_every_message_matched_the_published_document(docs: TmfDocs) -> None:
    """Last in the module: what the others exchanged."""
    assert docs.checked > 40
    assert docs.deviations == [], "\n".join(docs.deviations)
