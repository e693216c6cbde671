"""Fault injection over real loopback HTTP: drops are broken connections, 503s and drops before
apply nothing, drops after apply once and a retry gets the stored answer, outages, latency,
reproducibility; and a randomized trial of a few hundred orders through faults."""

from __future__ import annotations

import random
import threading
import time
from collections import Counter
from collections.abc import Iterator
from typing import Any

import httpx
import pytest

from sandbox.server import RunningSandbox
from tests.integration.test_sandbox_kit import (
    TOKEN,
    Api,
    expect_error,
    new_key,
    order_body,
    query,
    start,
)

DROPPED = (httpx.RemoteProtocolError, httpx.ReadError)
AMIR = "+79121234567"  # POPOVA in the kit: SMART, no services


@pytest.fixture(scope="module")
def sandbox(tmp_path_factory: pytest.TempPathFactory) -> Iterator[RunningSandbox]:
    with start(tmp_path_factory.mktemp("faults")) as running:
        yield running


@pytest.fixture
def api(sandbox: RunningSandbox) -> Iterator[Api]:
    client = Api(sandbox)
    yield client
    client.http.delete("/sandbox/faults")
    client.close()


def faults(api: Api, **config: Any) -> dict[str, Any]:
    response = api.http.put("/sandbox/faults", json=config)
    assert response.status_code == 200, response.text
    return dict(response.json())


def post_order(api: Api, body: dict[str, str], key: str, version: int) -> httpx.Response:
    return api.http.post("/v1/orders", json=body,
                         headers={"Idempotency-Key": key, "If-Match": f'"{version}"'})


def orders_with_key(api: Api, key: str) -> int:
    return int(query(api.sandbox, "SELECT COUNT(*) FROM orders WHERE idempotency_key = ?",
                     key)[0][0])


def test_drop_after_applies_and_a_retry_gets_the_stored_answer(api: Api) -> None:
    version = api.version(AMIR)
    body, key = order_body(AMIR, "add_service", service_code="FAVOURITE"), new_key("after")
    faults(api, drop_after_rate=1, paths=["/v1/orders"])
    with pytest.raises(DROPPED):
        post_order(api, body, key, version)
    assert api.version(AMIR) == version + 1  # reads are not faulted: the order is in
    assert orders_with_key(api, key) == 1
    with pytest.raises(DROPPED):  # still dropping: the replay is lost too, nothing twice
        post_order(api, body, key, version)
    api.http.delete("/sandbox/faults")
    retry = post_order(api, body, key, version)
    assert retry.status_code == 201 and retry.headers["idempotent-replayed"] == "true"
    assert retry.json()["subscriber_version"] == version + 1
    assert api.version(AMIR) == version + 1 and orders_with_key(api, key) == 1
    order_id = retry.json()["order_id"]
    assert query(api.sandbox, "SELECT COUNT(*) FROM ledger_events WHERE source = ?",
                 order_id) == [(1,)]


def test_drop_before_and_503_apply_nothing(api: Api) -> None:
    version = api.version(AMIR)
    body = order_body(AMIR, "add_service", service_code="BEEP")
    faults(api, drop_before_rate=1, paths=["/v1/orders"])
    key = new_key("before")
    with pytest.raises(DROPPED):
        post_order(api, body, key, version)
    assert api.version(AMIR) == version and orders_with_key(api, key) == 0
    faults(api, error_rate=1, paths=["/v1/orders"])
    unavailable = post_order(api, body, key, version)
    expect_error(unavailable, 503, "unavailable")
    assert unavailable.headers["retry-after"] == "1"
    assert api.version(AMIR) == version and orders_with_key(api, key) == 0
    api.http.delete("/sandbox/faults")
    applied = post_order(api, body, key, version)  # the same key: it was never answered
    assert applied.status_code == 201 and "idempotent-replayed" not in applied.headers
    assert api.version(AMIR) == version + 1 and orders_with_key(api, key) == 1


def test_faults_only_on_their_paths_and_with_latency(api: Api) -> None:
    shown = faults(api, error_rate=1, latency_ms=250, paths=["/v1/catalog"], seed=3)
    assert shown == {"latency_ms": 250, "error_rate": 1.0, "drop_before_rate": 0.0,
                     "drop_after_rate": 0.0, "paths": ["/v1/catalog"], "seed": 3,
                     "outage_seconds_left": 0.0}
    assert api.http.get("/sandbox/faults").json() == shown
    began = time.monotonic()
    expect_error(api.http.get("/v1/catalog/tariffs"), 503, "unavailable")
    assert time.monotonic() - began >= 0.25
    assert api.http.get(f"/v1/subscribers/{AMIR}").status_code == 200
    assert api.http.get("/sandbox/subscribers").status_code == 200  # never faulted
    cleared = api.http.delete("/sandbox/faults").json()
    assert cleared["error_rate"] == 0 and cleared["paths"] == ["/v1", "/tmf-api"]
    assert api.http.get("/v1/catalog/tariffs").status_code == 200


def test_faults_are_reproducible_from_the_seed(api: Api) -> None:
    def run() -> list[int]:
        faults(api, error_rate=0.5, paths=["/v1/catalog"], seed=42)
        return [api.http.get("/v1/catalog/services").status_code for _ in range(30)]

    first = run()
    assert run() == first
    assert set(first) == {200, 503}
    faults(api, error_rate=0.5, paths=["/v1/catalog"], seed=43)
    assert [api.http.get("/v1/catalog/services").status_code for _ in range(30)] != first


@pytest.mark.parametrize("config", [{"error_rate": 1.5}, {"drop_after_rate": -0.1},
                                    {"latency_ms": -5}, {"paths": ["v1"]}, {"paths": []},
                                    {"surprise": 1}])
def test_bad_fault_configs(api: Api, config: dict[str, Any]) -> None:
    expect_error(api.http.put("/sandbox/faults", json=config), 422, "bad_request")


def test_outage_refuses_everything_but_the_sandbox_for_a_while(api: Api) -> None:
    response = api.http.post("/sandbox/faults/outage", json={"seconds": 0.6})
    assert 0 < response.json()["outage_seconds_left"] <= 0.6
    for path in ("/health", "/v1/catalog/tariffs", f"/v1/subscribers/{AMIR}"):
        down = api.http.get(path)
        expect_error(down, 503, "unavailable")
        assert int(down.headers["retry-after"]) >= 1
    assert api.http.get("/sandbox/clock").status_code == 200
    time.sleep(0.7)
    assert api.http.get("/health").status_code == 200
    api.http.post("/sandbox/faults/outage", json={"seconds": 30})
    assert api.http.get("/health").status_code == 503
    api.http.delete("/sandbox/faults")
    assert api.http.get("/health").status_code == 200
    expect_error(api.http.post("/sandbox/faults/outage", json={"seconds": 0}), 422,
                 "bad_request")


def test_randomized_trial_every_order_applies_exactly_once(api: Api) -> None:
    """A few hundred orders through 503s and drops before and after applying, each retried
    under its own key until answered: each ends applied exactly once (or refused, never)."""
    demo = api.http.get("/sandbox/subscribers").json()["items"]
    numbers: list[str] = []
    for item in demo:
        # Enough money for every connection fee (25 roubles, at most ~30 adds each): no
        # refusals, so every order must end applied.
        if item["status"] == "active" and item["tariff_code"] in ("SMART", "BASIC", "ONLINE") \
                and len(numbers) < 16 and api.main(item["msisdn"]) >= 800:
            numbers.append(item["msisdn"])
    assert len(numbers) == 16
    state = {m: {"version": api.version(m),
                 "favourite": "FAVOURITE" in {s["code"] for s in api.card(m)["services"]}}
             for m in numbers}
    initial = {m: state[m]["version"] for m in numbers}
    faults(api, error_rate=0.15, drop_before_rate=0.1, drop_after_rate=0.15,
           paths=["/v1/orders"], seed=2026)
    seen: Counter[str] = Counter()
    answers: dict[str, tuple[str, int, dict[str, Any]]] = {}
    lock = threading.Lock()

    def worker(mine: list[str], count: int, rng: random.Random) -> None:
        with httpx.Client(base_url=api.sandbox.url, timeout=30,
                          headers={"Authorization": f"Bearer {TOKEN}"}) as http:
            for _ in range(count):
                msisdn = rng.choice(mine)
                s = state[msisdn]
                action = "remove_service" if s["favourite"] else "add_service"
                key = new_key("trial")
                body = order_body(msisdn, action, service_code="FAVOURITE")
                headers = {"Idempotency-Key": key, "If-Match": f'"{s["version"]}"'}
                for _attempt in range(200):
                    try:
                        response = http.post("/v1/orders", json=body, headers=headers)
                    except httpx.TransportError as error:
                        with lock:
                            seen[type(error).__name__] += 1
                        continue
                    with lock:
                        seen[str(response.status_code)] += 1
                        seen["replayed"] += "idempotent-replayed" in response.headers
                    if response.status_code in (503, 409):
                        time.sleep(0.005 if response.status_code == 409 else 0)
                        continue
                    break
                else:
                    raise AssertionError(f"order {key} never got an answer")
                with lock:
                    answers[key] = (msisdn, response.status_code, response.json())
                if response.status_code == 201:
                    s["version"] = response.json()["subscriber_version"]
                    s["favourite"] = action == "add_service"

    threads = [threading.Thread(target=worker, args=(numbers[i::4], 75, random.Random(i)))
               for i in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(120)
    api.http.delete("/sandbox/faults")

    assert len(answers) == 300
    statuses = Counter(status for _, status, _ in answers.values())
    # Never a 412 (a retry replays the stored answer, it does not run again), never a refusal.
    assert statuses == {201: 300}, [b for _, s, b in answers.values() if s != 201][:3]
    # The faults really happened, on both sides of the commit.
    assert seen["503"] > 20 and seen["replayed"] > 10
    assert seen["RemoteProtocolError"] + seen["ReadError"] > 40

    rows = dict(query(api.sandbox, "SELECT idempotency_key, order_id FROM orders "
                                   "WHERE idempotency_key LIKE 'trial-%'"))
    fees = Counter(source for (source,) in query(
        api.sandbox, "SELECT source FROM ledger_events WHERE source LIKE 'ORD-%'"))
    for key, (_msisdn, status, body) in answers.items():
        if status == 201:
            assert rows.get(key) == body["order_id"]
            paid = body["fee"]["value"] != "0.00"
            assert fees[body["order_id"]] == (1 if paid else 0), key
        else:
            assert key not in rows
    assert len(rows) == statuses[201]
    for msisdn in numbers:  # every applied order bumped the version once, nothing else did
        applied = sum(1 for m, status, _ in answers.values() if m == msisdn and status == 201)
        assert api.version(msisdn) == state[msisdn]["version"] == initial[msisdn] + applied
