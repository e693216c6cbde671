"""Orders over real loopback HTTP: previews, fees by tariff (R4), every refusal rule, idempotent
replay, key reuse, concurrent duplicates, If-Match, and consistency with balance and usage."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from datetime import datetime, timedelta
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
    Api,
    expect_error,
    new_key,
    order_body,
    query,
    start,
)

TKACHENKO = "+79181234567"  # ONLINE, GUARD + ROAMING_PLUS, Kuban


@pytest.fixture(scope="module")
def sandbox(tmp_path_factory: pytest.TempPathFactory) -> Iterator[RunningSandbox]:
    with start(tmp_path_factory.mktemp("orders")) as running:
        yield running


@pytest.fixture(scope="module")
def api(sandbox: RunningSandbox) -> Iterator[Api]:
    client = Api(sandbox)
    yield client
    client.close()


@pytest.fixture(scope="module")
def demo(api: Api) -> list[dict[str, Any]]:
    return list(api.http.get("/sandbox/subscribers").json()["items"])


def pick(api: Api, demo: list[dict[str, Any]], tariff: str, taken: set[str],
         assistant: bool | None = None) -> str:
    """An active subscriber of the world on `tariff`, not a showcase number, not used yet."""
    for item in demo:
        if item["tariff_code"] == tariff and item["status"] == "active" \
                and item["msisdn"] not in taken and not item["msisdn"].startswith("+7916123") \
                and (assistant is None or item["assistant_connected"] == assistant):
            taken.add(item["msisdn"])
            return str(item["msisdn"])
    raise AssertionError(f"no free subscriber on {tariff}")


TAKEN: set[str] = {MARIA, ORLOV, POPOVA, KHABIBULLIN, TKACHENKO}


def plus_second(instant: str) -> str:
    moment = datetime.fromisoformat(instant) + timedelta(seconds=1)
    return moment.strftime("%Y-%m-%dT%H:%M:%SZ")


def money(value: str) -> dict[str, str]:
    return {"value": value, "currency": "RUB"}


def test_preview_shape_and_numbers(api: Api) -> None:
    preview = api.preview(MARIA, "add_service", service_code="FAVOURITE")
    assert set(preview) == {"allowed", "refusal", "fee", "monthly_cost_before",
                            "monthly_cost_after", "balance_before", "balance_after", "trial",
                            "dropped_services", "subscriber_version"}
    assert preview["allowed"] is True and preview["refusal"] is None
    assert preview["fee"] == money("25.00")
    assert (preview["monthly_cost_before"], preview["monthly_cost_after"]) == (
        money("549.00"), money("599.00"))
    before = Decimal(preview["balance_before"]["value"])
    assert Decimal(preview["balance_after"]["value"]) == before - Decimal("25.00")
    assert before == api.main(MARIA)
    assert preview["subscriber_version"] == api.version(MARIA)
    assert preview["dropped_services"] == [] and preview["trial"] is None


def test_fees_differ_by_the_subscribers_tariff(api: Api, demo: list[dict[str, Any]]) -> None:
    """R4: the same order costs what the subscriber's own plan says."""
    taken: set[str] = set(TAKEN)
    connect = {t: api.preview(pick(api, demo, t, taken), "add_service",
                              service_code="FAVOURITE")["fee"]["value"]
               for t in ("SMART", "SMART_PLUS")}
    assert connect == {"SMART": "25.00", "SMART_PLUS": "12.50"}
    switch = {t: api.preview(pick(api, demo, t, taken), "change_tariff",
                             tariff_code="SMART_PLUS")["fee"]["value"]
              for t in ("BASIC", "ONLINE", "CLASSIC")}
    assert switch == {"BASIC": "100.00", "ONLINE": "50.00", "CLASSIC": "0.00"}
    vip = api.preview(pick(api, demo, "PREMIUM", taken), "change_tariff", tariff_code="PLATINUM")
    assert vip["fee"] == money("0.00")


def insufficient_candidate(api: Api, demo: list[dict[str, Any]]) -> str:
    for item in demo:
        if item["tariff_code"] in ("SMART", "BASIC") and item["status"] == "active":
            preview = api.preview(item["msisdn"], "change_tariff", tariff_code="PLATINUM")
            if preview["refusal"] and preview["refusal"]["rule"] == "insufficient_balance":
                assert Decimal(preview["balance_before"]["value"]) < Decimal("1000.00")
                return str(item["msisdn"])
    raise AssertionError("nobody in the world has less than 1000 roubles")


@pytest.mark.parametrize(("msisdn", "action", "codes", "rule"), [
    (ORLOV, "connect_assistant", {}, "R1"),
    (KHABIBULLIN, "add_service", {"service_code": "GUARD"}, "subscriber_blocked"),
    (POPOVA, "change_tariff", {"tariff_code": "SMART"}, "same_tariff"),
    (POPOVA, "change_tariff", {"tariff_code": "CLASSIC"}, "not_available"),
    (POPOVA, "add_service", {"service_code": "CONFERENCE"}, "not_available"),
    (POPOVA, "add_service", {"service_code": "SMS_INFO"}, "not_available"),
    (POPOVA, "remove_service", {"service_code": "GUARD"}, "not_connected"),
    (MARIA, "add_service", {"service_code": "GUARD"}, "already_connected"),
    (None, "change_tariff", {"tariff_code": "PLATINUM"}, "insufficient_balance"),
])
def test_each_refusal_rule(api: Api, demo: list[dict[str, Any]], msisdn: str | None,
                           action: str, codes: dict[str, str], rule: str) -> None:
    msisdn = msisdn or insufficient_candidate(api, demo)
    preview = api.preview(msisdn, action, **codes)
    assert preview["allowed"] is False and preview["refusal"]["rule"] == rule
    version = api.version(msisdn)
    key = new_key("refused")
    response = api.order(msisdn, action, version, key, **codes)
    error = expect_error(response, 422, "rule_refused", rule=rule)
    assert error["message"] == preview["refusal"]["message"]
    assert api.version(msisdn) == version
    assert query(api.sandbox, "SELECT COUNT(*) FROM orders WHERE idempotency_key = ?",
                 key) == [(0,)]
    again = api.order(msisdn, action, version, key, **codes)  # the refusal is the stored answer
    assert again.status_code == 422 and again.text == response.text
    assert again.headers["idempotent-replayed"] == "true"
    assert api.version(msisdn) == version


def test_an_order_applies_once_and_a_retry_gets_the_same_answer(api: Api) -> None:
    version = api.version(TKACHENKO)
    key = new_key("once")
    first = api.order(TKACHENKO, "add_service", version, key, service_code="FAVOURITE")
    assert first.status_code == 201, first.text
    body = first.json()
    assert set(body) == {"order_id", "state", "msisdn", "action", "tariff_code", "service_code",
                         "fee", "monthly_cost_after", "balance_after", "completed_at",
                         "subscriber_version", "dropped_services", "clerk", "salon", "counter"}
    assert (body["state"], body["action"], body["service_code"], body["tariff_code"]) == (
        "completed", "add_service", "FAVOURITE", None)
    assert body["fee"] == money("25.00") and body["subscriber_version"] == version + 1
    assert (body["clerk"], body["salon"], body["counter"]) == ("petrova", "MSK-001", "2")
    assert "idempotent-replayed" not in first.headers
    assert api.version(TKACHENKO) == version + 1
    assert "FAVOURITE" in {s["code"] for s in api.card(TKACHENKO)["services"]}
    after = plus_second(body["completed_at"])
    assert api.main(TKACHENKO, at=after) == Decimal(body["balance_after"]["value"])

    replay = api.order(TKACHENKO, "add_service", version, key, service_code="FAVOURITE")
    assert (replay.status_code, replay.text) == (201, first.text)
    assert replay.headers["idempotent-replayed"] == "true"
    assert api.version(TKACHENKO) == version + 1
    assert api.main(TKACHENKO, at=after) == Decimal(body["balance_after"]["value"])
    assert query(api.sandbox, "SELECT COUNT(*) FROM ledger_events WHERE source = ?",
                 body["order_id"]) == [(1,)]
    assert query(api.sandbox, "SELECT order_id FROM orders WHERE idempotency_key = ?",
                 key) == [(body["order_id"],)]

    fetched = api.http.get(f"/v1/orders/{body['order_id']}")
    assert fetched.status_code == 200 and fetched.json() == body
    listed = api.http.get("/v1/orders", params={"msisdn": TKACHENKO}).json()["items"]
    assert listed[0] == body
    expect_error(api.http.get("/v1/orders/ORD-999999"), 404, "order_not_found")
    expect_error(api.http.get("/v1/orders", params={"msisdn": "+79990000000"}), 404,
                 "subscriber_not_found")


def test_the_same_key_for_another_request_is_refused(api: Api) -> None:
    version = api.version(TKACHENKO)
    key = new_key("reuse")
    assert api.order(TKACHENKO, "add_service", version, key,
                     service_code="WHO_CALLED").status_code == 201
    other_body = api.order(TKACHENKO, "add_service", version + 1, key, service_code="BEEP")
    expect_error(other_body, 422, "idempotency_key_reused")
    other_version = api.order(TKACHENKO, "add_service", version + 1, key,
                              service_code="WHO_CALLED")
    expect_error(other_version, 422, "idempotency_key_reused")
    assert api.version(TKACHENKO) == version + 1


def test_if_match_is_required_and_must_be_current(api: Api) -> None:
    version = api.version(POPOVA)
    body = order_body(POPOVA, "add_service", service_code="GUARD")
    stale = api.http.post("/v1/orders", json=body, headers={
        "Idempotency-Key": new_key("stale"), "If-Match": f'"{version - 1}"'})
    expect_error(stale, 412, "version_mismatch", current_version=version)
    missing = api.http.post("/v1/orders", json=body, headers={"Idempotency-Key": new_key()})
    expect_error(missing, 428, "precondition_required")
    for bad in ("*", '"seven"', "W/"):
        response = api.http.post("/v1/orders", json=body, headers={
            "Idempotency-Key": new_key(), "If-Match": bad})
        expect_error(response, 400, "bad_request")
    weak = api.http.post("/v1/orders", json=body, headers={
        "Idempotency-Key": new_key(), "If-Match": f'W/"{version}"'})
    assert weak.status_code == 201, weak.text
    assert api.version(POPOVA) == version + 1


@pytest.mark.parametrize("headers", [{}, {"Idempotency-Key": "too-short"},
                                     {"Idempotency-Key": "has spaces in it, sadly"}])
def test_idempotency_key_is_required_and_checked(api: Api, headers: dict[str, str]) -> None:
    version = api.version(POPOVA)
    response = api.http.post("/v1/orders", json=order_body(POPOVA, "add_service",
                                                           service_code="BEEP"),
                             headers={**headers, "If-Match": f'"{version}"'})
    assert "Idempotency-Key" in expect_error(response, 400, "bad_request")["message"]
    assert api.version(POPOVA) == version


@pytest.mark.parametrize("change", [
    {"action": "upgrade"}, {"service_code": "NO_SUCH"}, {"msisdn": "89121234567"},
    {"clerk": ""}, {"surprise": "field"}, {"tariff_code": "SMART"},
])
def test_bad_bodies_are_422_bad_request(api: Api, change: dict[str, str]) -> None:
    version = api.version(POPOVA)
    body = {**order_body(POPOVA, "add_service", service_code="BEEP"), **change}
    response = api.http.post("/v1/orders", json=body, headers={
        "Idempotency-Key": new_key(), "If-Match": f'"{version}"'})
    expect_error(response, 422, "bad_request")
    assert api.version(POPOVA) == version


def test_unknown_number_is_404_and_stored(api: Api) -> None:
    key = new_key("nobody")
    for _ in range(2):
        response = api.http.post("/v1/orders", json=order_body("+79990000000", "add_service",
                                                               service_code="GUARD"),
                                 headers={"Idempotency-Key": key, "If-Match": '"1"'})
        expect_error(response, 404, "subscriber_not_found")


def concurrently(count: int, call: Any) -> list[httpx.Response]:
    barrier = threading.Barrier(count)
    results: list[httpx.Response] = []
    lock = threading.Lock()

    def run() -> None:
        barrier.wait()
        response = call()
        with lock:
            results.append(response)

    threads = [threading.Thread(target=run) for _ in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(30)
    return results


def test_concurrent_duplicates_apply_once(api: Api, demo: list[dict[str, Any]]) -> None:
    msisdn = pick(api, demo, "SMART", set(TAKEN))
    version, key = api.version(msisdn), new_key("dup")
    body = order_body(msisdn, "add_service", service_code="BEEP")
    headers = {"Authorization": api.http.headers["authorization"], "Idempotency-Key": key,
               "If-Match": f'"{version}"'}
    responses = concurrently(12, lambda: httpx.post(f"{api.sandbox.url}/v1/orders", json=body,
                                                    headers=headers, timeout=30))
    statuses = sorted(r.status_code for r in responses)
    assert set(statuses) <= {201, 409}, [r.text for r in responses]
    created = [r for r in responses if r.status_code == 201]
    assert len([r for r in created if "idempotent-replayed" not in r.headers]) == 1
    assert len({r.text for r in created}) == 1
    for busy in (r for r in responses if r.status_code == 409):
        expect_error(busy, 409, "request_in_progress")
    assert api.version(msisdn) == version + 1
    assert query(api.sandbox, "SELECT COUNT(*) FROM orders WHERE idempotency_key = ?",
                 key) == [(1,)]


def test_concurrent_orders_on_one_version_apply_one(api: Api,
                                                    demo: list[dict[str, Any]]) -> None:
    """Optimistic concurrency: two counters confirm on the same card; one wins, one gets 412."""
    msisdn = pick(api, demo, "SMART", set(TAKEN) | {MARIA})
    version = api.version(msisdn)
    codes = iter(["WHO_CALLED", "BEEP", "MOBILE_TV", "ROAMING_PLUS", "ANTI_AON", "FAVOURITE"])
    lock = threading.Lock()

    def one() -> httpx.Response:
        with lock:
            code = next(codes)
        return httpx.post(f"{api.sandbox.url}/v1/orders",
                          json=order_body(msisdn, "add_service", service_code=code),
                          headers={"Authorization": api.http.headers["authorization"],
                                   "Idempotency-Key": new_key(), "If-Match": f'"{version}"'},
                          timeout=30)

    responses = concurrently(6, one)
    statuses = sorted(r.status_code for r in responses)
    assert statuses.count(201) == 1 and set(statuses) <= {201, 412, 422}, statuses
    assert api.version(msisdn) == version + 1


def test_tariff_change_drops_services_and_reprices(api: Api, demo: list[dict[str, Any]]) -> None:
    taken = set(TAKEN)
    for _ in range(20):
        msisdn = pick(api, demo, "SMART", taken, assistant=True)
        preview = api.preview(msisdn, "change_tariff", tariff_code="BIZ_START")
        if preview["allowed"]:
            break
    else:
        raise AssertionError("no SMART subscriber with the Assistant can afford BIZ_START")
    assert preview["fee"] == money("300.00")
    assert {"code": "ASSISTANT", "name": "Электронный Помощник"} in preview["dropped_services"]
    response = api.order(msisdn, "change_tariff", preview["subscriber_version"],
                         tariff_code="BIZ_START")
    assert response.status_code == 201, response.text
    body = response.json()
    assert body["dropped_services"] == preview["dropped_services"]
    assert (body["fee"], body["monthly_cost_after"]) == (preview["fee"],
                                                         preview["monthly_cost_after"])
    card = api.card(msisdn)
    assert card["tariff"]["code"] == "BIZ_START" and card["tariff"]["class"] == "corporate"
    assert card["assistant"] == {"connected": False}
    assert not {s["code"] for s in card["services"]} & {"BEEP", "FAVOURITE", "MOBILE_TV"}
    usage = api.http.get(f"/v1/subscribers/{msisdn}/usage", params={
        "from": body["completed_at"], "to": plus_second(body["completed_at"])}).json()["items"]
    fees = [r for r in usage if r["type"] == "fee"]
    assert [(r["counterpart"], r["amount"]) for r in fees] == [
        ("Смена тарифа: «Бизнес Старт»", money("300.00"))]
    # R1 now: no access code, and the Assistant cannot come back.
    code = api.http.post(f"/v1/subscribers/{msisdn}/access-code",
                         headers={"Idempotency-Key": new_key()})
    expect_error(code, 422, "rule_refused", rule="R1")
    assert api.preview(msisdn, "connect_assistant")["refusal"]["rule"] == "R1"


def test_usage_shows_order_fees_and_the_balance_identity_holds(
        api: Api, demo: list[dict[str, Any]]) -> None:
    msisdn = pick(api, demo, "SMART_PLUS", set(TAKEN) | {MARIA})
    start = api.now()
    completed = []
    for action, code in (("add_service", "FAVOURITE"), ("add_service", "ANTI_AON"),
                         ("remove_service", "FAVOURITE"), ("add_service", "FAVOURITE")):
        response = api.order(msisdn, action, service_code=code)
        assert response.status_code == 201, response.text
        completed.append(response.json())
    end = api.now()
    assert end > completed[-1]["completed_at"]  # the clock is past every order
    items: list[dict[str, Any]] = []
    params: dict[str, Any] = {"from": start, "to": end, "limit": 500}
    while True:
        page = api.http.get(f"/v1/subscribers/{msisdn}/usage", params=params).json()
        items += page["items"]
        if not page["next_cursor"]:
            break
        params["cursor"] = page["next_cursor"]
    signed = sum(Decimal(r["amount"]["value"]) * (1 if r["type"] == "topup" else -1)
                 for r in items)
    assert api.main(msisdn, at=end) == api.main(msisdn, at=start) + signed
    fees = [(r["started_at"], r["counterpart"], r["amount"]["value"]) for r in items
            if r["type"] == "fee"]
    expected = [(o["completed_at"], f"Подключение: {name}", o["fee"]["value"])
                for o, name in zip(completed, ("Любимый номер", "АнтиАОН", "", "Любимый номер"),
                                   strict=True) if o["fee"]["value"] != "0.00"]
    assert fees == expected
    assert [e[2] for e in expected] == ["12.50", "15.00", "12.50"]  # SMART_PLUS: half price


@pytest.mark.parametrize(("params", "fragment"), [
    ({"action": "add_service", "service_code": "GUARD"}, "msisdn"),
    ({"msisdn": "89161234567", "action": "add_service", "service_code": "GUARD"}, "E.164"),
    ({"msisdn": MARIA, "action": "upgrade"}, "action"),
    ({"msisdn": MARIA, "action": "change_tariff"}, "tariff_code"),
    ({"msisdn": MARIA, "action": "change_tariff", "tariff_code": "NOPE"}, "NOPE"),
    ({"msisdn": MARIA, "action": "add_service", "service_code": "GUARD",
      "tariff_code": "SMART"}, "tariff_code"),
])
def test_bad_preview_parameters(api: Api, params: dict[str, str], fragment: str) -> None:
    response = api.http.get("/v1/orders/preview", params=params)
    assert fragment in expect_error(response, 400, "bad_request")["message"]
    expect_error(api.http.get("/v1/orders/preview", params={
        "msisdn": "+79990000000", "action": "connect_assistant"}), 404, "subscriber_not_found")
