"""R11 over loopback: paper detalizations ordered online for pick-up at a salon, as TMF622
productOrders of the offering `paper-detalization` — the world's orders for every salon (new,
printed, handed over, destroyed, and some not collected within 30 days), a salon's queue,
placing one as the web shop does (R7 refused), and the salon's state reports under an
Idempotency-Key (a reprint changes nothing, a closed order no more, and of two counters handing
over one order at once exactly one wins); every message held to the published TMF622 v4
document ($TMF_DOCS, default ../shared/tmf/v4)."""

from __future__ import annotations

import uuid
from collections import Counter
from collections.abc import Iterator
from datetime import UTC, date, datetime, timedelta
from typing import Any

import httpx
import pytest

from sandbox.salons import SALONS, SALONS_BY_ID
from sandbox.server import RunningSandbox, start_in_background
from tests.integration.test_sandbox_orders import concurrently
from tests.support.pinned import RunningClock
from tests.support.tmf_docs import TmfDocs

TOKEN = "pickup-token"
BASE = "/tmf-api/productOrderingManagement/v4"
ORDERS = "/productOrder"
MOSCOW_SALON = "MSK-TVERSKAYA-12"
MARIA, POPOVA = "+79161234567", "+79121234567"  # Moscow; Komi
QUEUE = {"productOrderItem.productOffering.id": "paper-detalization",
         "state": "acknowledged,inProgress"}
DAY = 86400


@pytest.fixture(scope="module")
def sandbox(tmp_path_factory: pytest.TempPathFactory) -> Iterator[RunningSandbox]:
    running = start_in_background(tmp_path_factory.mktemp("pickup") / "sandbox.sqlite3", 2026,
                                  TOKEN, real_time=RunningClock().seconds)
    yield running
    running.stop()


@pytest.fixture(scope="module")
def docs() -> TmfDocs:
    return TmfDocs.from_folder()


@pytest.fixture(scope="module")
def api(sandbox: RunningSandbox, docs: TmfDocs) -> Iterator[httpx.Client]:
    with httpx.Client(base_url=f"{sandbox.url}{BASE}", timeout=30, event_hooks=docs.hooks(),
                      headers={"Authorization": f"Bearer {TOKEN}"}) as client:
        yield client


@pytest.fixture(scope="module")
def raw(sandbox: RunningSandbox) -> Iterator[httpx.Client]:
    """For bodies off the document on purpose (or that it does not allow): not held to it."""
    with httpx.Client(base_url=f"{sandbox.url}{BASE}", timeout=30,
                      headers={"Authorization": f"Bearer {TOKEN}"}) as client:
        yield client


def ok(response: httpx.Response, status: int = 200) -> Any:
    assert response.status_code == status, response.text
    return response.json()


def key() -> str:
    return f"pickup-{uuid.uuid4().hex}"


def paper(msisdn: str, start: str, end: str, salon: str = MOSCOW_SALON) -> dict[str, Any]:
    return {"productOrderItem": [{
        "id": "1", "action": "add", "productOffering": {"id": "paper-detalization"},
        "product": {
            "productCharacteristic": [{"name": "periodStart", "valueType": "date", "value": start},
                                      {"name": "periodEnd", "valueType": "date", "value": end}],
            "place": [{"id": salon, "role": "pickupSalon"}],
            "productRelationship": [{"relationshipType": "bundled",
                                     "product": {"id": f"L-{msisdn.removeprefix('+')}"}}]}}],
        "channel": [{"id": "online"}]}


def report(state: str) -> dict[str, Any]:
    """A state report as the published ProductOrder_Update allows (it requires the items)."""
    return {"state": state, "productOrderItem": [{"id": "1", "action": "add"}]}


def world_day(sandbox: RunningSandbox) -> date:
    return datetime.fromtimestamp(sandbox.store.reference, UTC).date()


def instant(text: str) -> datetime:
    return datetime.fromisoformat(text)


def period(order: dict[str, Any]) -> tuple[str, str]:
    values = {c["name"]: c["value"]
              for c in order["productOrderItem"][0]["product"]["productCharacteristic"]}
    return values["periodStart"], values["periodEnd"]


def line_of(order: dict[str, Any]) -> str:
    (relation,) = order["productOrderItem"][0]["product"]["productRelationship"]
    return "+" + str(relation["product"]["id"]).removeprefix("L-")


def test_the_world_has_orders_for_every_salon(sandbox: RunningSandbox,
                                              api: httpx.Client) -> None:
    """New, printed, handed over, destroyed, and open ones older than 30 days (the salon's
    destroy list), each of a number of the salon's home region (R7), ordered before the day the
    world was drawn (its clock), for a period that ended before it was ordered."""
    answer = api.get(ORDERS, params={"productOrderItem.productOffering.id": "paper-detalization",
                                 "limit": 1000})
    orders = ok(answer)
    assert answer.headers["X-Total-Count"] == str(len(orders)) and orders
    regions = sandbox.store.region_codes()
    drawn = datetime.fromtimestamp(sandbox.store.reference, UTC)
    by_salon: dict[str, Counter[str]] = {salon.id: Counter() for salon in SALONS}
    for order in orders:
        (place,) = order["productOrderItem"][0]["product"]["place"]
        assert place["role"] == "pickupSalon"
        salon = SALONS_BY_ID[place["id"]]
        assert regions[line_of(order)] == salon.region_code  # R7
        ordered = instant(order["orderDate"])
        assert ordered < drawn
        start, end = period(order)
        assert start <= end < ordered.date().isoformat()
        assert order["relatedParty"][0]["id"] == "C-" + line_of(order).removeprefix("+")
        assert order["state"] == order["productOrderItem"][0]["state"]
        old = ordered < drawn - timedelta(days=30)
        by_salon[salon.id][order["state"] + (" old" if old else "")] += 1
        if order["state"] == "completed":
            assert instant(order["completionDate"]) > ordered
        if order["state"] == "cancelled":
            assert instant(order["cancellationDate"]) > ordered + timedelta(days=30)
    for salon, states in by_salon.items():
        assert states["acknowledged"] >= 2 and states["inProgress"] >= 1, (salon, states)
        assert states["acknowledged old"] + states["inProgress old"] >= 2, (salon, states)
        assert states["completed"] and states["cancelled old"], (salon, states)


def test_a_salons_queue(sandbox: RunningSandbox, api: httpx.Client) -> None:
    queue = ok(api.get(ORDERS, params={**QUEUE, "productOrderItem.product.place.id": MOSCOW_SALON}))
    assert queue and {o["state"] for o in queue} == {"acknowledged", "inProgress"}
    assert all(o["productOrderItem"][0]["product"]["place"][0]["id"] == MOSCOW_SALON
               for o in queue)
    assert [o["id"] for o in queue] == sorted(o["id"] for o in queue)
    assert any(line_of(o) == MARIA for o in queue)  # a showcase number to practise on
    maria = ok(api.get(ORDERS, params={"productOrderItem.product.id": "L-79161234567",
                                   "productOrderItem.productOffering.id": "paper-detalization"}))
    assert maria and all(line_of(o) == MARIA for o in maria)
    assert ok(api.get(ORDERS, params={"productOrderItem.productOffering.id": "service-GUARD",
                                  "productOrderItem.product.place.id": MOSCOW_SALON})) == []
    one = queue[0]
    assert ok(api.get(f"{ORDERS}/{one['id']}")) == one
    assert ok(api.get(ORDERS, params={"id": one["id"]})) == [one]


def test_an_order_placed_as_the_web_shop_does(sandbox: RunningSandbox, api: httpx.Client,
                                              raw: httpx.Client) -> None:
    day = world_day(sandbox)
    start, end = (day - timedelta(days=30)).isoformat(), (day - timedelta(days=1)).isoformat()
    placing = key()
    answer = api.post(ORDERS, json=paper(MARIA, start, end), headers={"Idempotency-Key": placing})
    made = ok(answer, 201)
    assert answer.headers["Location"] == made["href"]
    assert made["state"] == "acknowledged" and made["channel"] == [{"id": "online",
                                                                     "name": "Интернет"}]
    assert period(made) == (start, end) and line_of(made) == MARIA
    assert abs(instant(made["orderDate"]) - datetime.fromtimestamp(
        RunningClock().seconds(), UTC)) < timedelta(minutes=5)
    again = api.post(ORDERS, json=paper(MARIA, start, end), headers={"Idempotency-Key": placing})
    assert ok(again, 201) == made and again.headers["Idempotent-Replayed"] == "true"
    assert ok(api.post(ORDERS, json=paper(MARIA, start, start),
                       headers={"Idempotency-Key": placing}), 409)["code"] == (
        "idempotency_conflict")
    queue = ok(api.get(ORDERS, params={**QUEUE, "productOrderItem.product.place.id": MOSCOW_SALON,
                                   "limit": 1000}))
    assert queue[-1] == made
    refused = ok(api.post(ORDERS, json=paper(POPOVA, start, end),
                          headers={"Idempotency-Key": key()}), 422)
    assert refused["code"] == "R7" and "RU-KO" in refused["message"]
    assert ok(api.post(ORDERS, json=paper(MARIA, start, end, salon="NOWHERE-1"),
                       headers={"Idempotency-Key": key()}), 422)["code"] == "unknown_salon"
    assert ok(api.post(ORDERS, json=paper("+79990000000", start, end),
                       headers={"Idempotency-Key": key()}), 404)["code"] == "not_found"
    tomorrow = (day + timedelta(days=2)).isoformat()  # after the world's today in any zone
    for body in (paper(MARIA, end, start), paper(MARIA, start, tomorrow),
                 paper(MARIA, "2026-13-01", end),
                 {**paper(MARIA, start, end), "productOrderItem": [
                     {"id": "1", "action": "add", "productOffering": {
                         "id": "paper-detalization"}}]}):
        assert ok(raw.post(ORDERS, json=body, headers={"Idempotency-Key": key()}), 400)["code"] == (
            "bad_request")
    assert raw.post(ORDERS, json=paper(MARIA, start, end)).status_code == 400  # no key


def test_a_salon_reports_the_states(sandbox: RunningSandbox, api: httpx.Client,
                                    raw: httpx.Client) -> None:
    day = world_day(sandbox)
    body = paper(MARIA, (day - timedelta(days=10)).isoformat(),
                 (day - timedelta(days=3)).isoformat())
    order = ok(api.post(ORDERS, json=body, headers={"Idempotency-Key": key()}), 201)
    item = f"{ORDERS}/{order['id']}"
    printing = key()
    printed = ok(api.patch(item, json=report("inProgress"),
                           headers={"Idempotency-Key": printing}))
    assert printed["state"] == printed["productOrderItem"][0]["state"] == "inProgress"
    reprinted = ok(raw.patch(item, json={"state": "inProgress"},
                             headers={"Idempotency-Key": key()}))
    assert reprinted == printed  # a reprint changes nothing
    handing = key()
    handed = ok(api.patch(item, json=report("completed"), headers={"Idempotency-Key": handing}))
    assert handed["state"] == "completed" and "completionDate" in handed
    replay = api.patch(item, json=report("completed"), headers={"Idempotency-Key": handing})
    assert ok(replay) == handed and replay.headers["Idempotent-Replayed"] == "true"
    for state in ("inProgress", "cancelled", "completed"):
        refused = ok(api.patch(item, json=report(state), headers={"Idempotency-Key": key()}),
                     409)
        assert (refused["code"], refused["currentState"]) == ("R11", "completed")
        assert refused["@type"] == "SalonStateConflict"
    assert ok(api.get(item)) == handed
    assert ok(api.patch(item, json=report("inProgress"), headers={"Idempotency-Key": printing}),
              ) == printed  # the printing report's own stored answer, never applied again
    for bad in ({"state": "shipped"}, {"state": "completed", "description": "x"},
                {"state": "completed", "productOrderItem": [{"id": "2", "action": "add"}]}):
        assert raw.patch(item, json=bad, headers={"Idempotency-Key": key()}).status_code == 400
    assert raw.patch(item, json={"state": "completed"}).status_code == 400  # no key
    assert api.delete(item).status_code == 405  # the operator's record: never deleted


def test_destroyed_when_not_collected(sandbox: RunningSandbox, api: httpx.Client) -> None:
    """The destroy list: open orders older than 30 days; the salon reports `cancelled`."""
    drawn = datetime.fromtimestamp(sandbox.store.reference, UTC)
    queue = ok(api.get(ORDERS, params={
        **QUEUE, "productOrderItem.product.place.id": "SPB-NEVSKY-28",
        "orderDate.lt": (drawn - timedelta(days=30)).isoformat()}))
    assert queue
    destroyed = ok(api.patch(f"{ORDERS}/{queue[0]['id']}", json=report("cancelled"),
                             headers={"Idempotency-Key": key()}))
    assert destroyed["state"] == "cancelled" and destroyed["cancellationReason"]
    assert instant(destroyed["cancellationDate"]) > instant(destroyed["orderDate"])


def test_two_counters_hand_over_one_order_at_once(sandbox: RunningSandbox,
                                                  api: httpx.Client) -> None:
    """Exactly one wins; the other is refused (409 R11, the order handed over)."""
    queue = ok(api.get(ORDERS, params={**QUEUE, "productOrderItem.product.place.id": "UFA-LENINA-5",
                                   "state": "acknowledged"}))
    target = f"{sandbox.url}{BASE}{ORDERS}/{queue[0]['id']}"
    responses = concurrently(2, lambda: httpx.patch(
        target, json=report("completed"), timeout=30,
        headers={"Authorization": f"Bearer {TOKEN}", "Idempotency-Key": key()}))
    assert sorted(r.status_code for r in responses) == [200, 409]
    (loser,) = [r.json() for r in responses if r.status_code == 409]
    assert loser["currentState"] == "completed"
    assert ok(api.get(f"{ORDERS}/{queue[0]['id']}"))["state"] == "completed"


def test_every_message_was_as_the_published_document_says(docs: TmfDocs) -> None:
    """Last in the module: what the others sent and received."""
    assert docs.checked > 20
    assert docs.deviations == [], "\n".join(docs.deviations)
