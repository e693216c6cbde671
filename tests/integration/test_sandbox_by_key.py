"""GET /v1/orders/by-key/{key} over real loopback HTTP: the stored answer of a write (applied,
refused, stale), 404 unknown_key for a key that never arrived (a drop before, a 503), 409 while
the write is in flight, 400 for a malformed key; it never applies anything itself."""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from contextlib import AbstractContextManager, nullcontext
from typing import Any

import httpx
import pytest

from sandbox.server import RunningSandbox
from tests.integration.test_sandbox_kit import (
    KHABIBULLIN,
    POPOVA,
    Api,
    expect_error,
    new_key,
    order_body,
    query,
    start,
)


@pytest.fixture(scope="module")
def sandbox(tmp_path_factory: pytest.TempPathFactory) -> Iterator[RunningSandbox]:
    with start(tmp_path_factory.mktemp("by-key")) as running:
        yield running


@pytest.fixture
def api(sandbox: RunningSandbox) -> Iterator[Api]:
    client = Api(sandbox)
    yield client
    client.http.delete("/sandbox/faults")
    client.close()


def by_key(api: Api, key: str) -> httpx.Response:
    return api.http.get(f"/v1/orders/by-key/{key}")


def test_an_applied_order_is_answered_as_stored_and_not_applied_again(api: Api) -> None:
    key = new_key("bykey")
    placed = api.order(POPOVA, "add_service", key=key, service_code="WHO_CALLED")
    assert placed.status_code == 201
    version = api.version(POPOVA)
    for _ in range(2):
        found = by_key(api, key)
        assert found.status_code == 200, found.text
        assert found.json() == {"key": key, "status": 201, "body": placed.json()}
    assert api.version(POPOVA) == version
    assert query(api.sandbox, "SELECT COUNT(*) FROM orders WHERE idempotency_key = ?",
                 key) == [(1,)]


def test_stored_refusals_and_version_mismatches(api: Api) -> None:
    refused_key = new_key("bykey")
    refused = api.order(KHABIBULLIN, "add_service", key=refused_key, service_code="GUARD")
    assert refused.status_code == 422
    found = by_key(api, refused_key).json()
    assert found["status"] == 422 and found["body"] == refused.json()
    assert found["body"]["error"]["rule"] == "subscriber_blocked"

    stale_key = new_key("bykey")
    stale = api.order(POPOVA, "add_service", version=1, key=stale_key, service_code="BEEP")
    assert stale.status_code == 412
    found = by_key(api, stale_key).json()
    assert found["status"] == 412
    assert found["body"]["error"]["current_version"] == api.version(POPOVA)


def test_keys_that_never_arrived_are_unknown(api: Api) -> None:
    expect_error(by_key(api, new_key("never")), 404, "unknown_key")
    version = api.version(POPOVA)
    body = order_body(POPOVA, "add_service", service_code="BEEP")
    for config in ({"drop_before_rate": 1}, {"error_rate": 1}):
        api.http.put("/sandbox/faults", json={**config, "paths": ["/v1/orders"]})
        key = new_key("lost")
        dropped: AbstractContextManager[Any] = nullcontext()
        if "drop_before_rate" in config:
            dropped = pytest.raises((httpx.RemoteProtocolError, httpx.ReadError))
        with dropped:
            api.http.post("/v1/orders", json=body,
                          headers={"Idempotency-Key": key, "If-Match": f'"{version}"'})
        api.http.delete("/sandbox/faults")
        expect_error(by_key(api, key), 404, "unknown_key")
    assert api.version(POPOVA) == version


def test_a_write_in_flight_is_409_then_its_answer(api: Api) -> None:
    api.http.put("/sandbox/faults", json={"latency_ms": 600, "paths": ["/v1/orders"]})
    key = new_key("slow")
    answers: list[httpx.Response] = []
    sender = threading.Thread(target=lambda: answers.append(
        api.order(POPOVA, "add_service", key=key, service_code="ROAMING_PLUS")))
    sender.start()
    # The write sleeps 0.6 s in the fault layer first (not yet arrived: unknown), and the
    # by-key question sleeps too; asked at once it lands while the write is still unknown or
    # being processed, never with a half answer.
    time.sleep(0.05)
    first = by_key(api, key)
    sender.join(10)
    api.http.delete("/sandbox/faults")
    assert first.status_code in (404, 409, 200)
    assert answers[0].status_code == 201
    settled = by_key(api, key)
    assert settled.status_code == 200 and settled.json()["body"] == answers[0].json()


def test_in_progress_is_409(api: Api, sandbox: RunningSandbox) -> None:
    key = new_key("claimed")
    ctx = sandbox._server.config.app.state.ctx  # the running app's parts
    with ctx.idempotency._claim(key, "fp"):  # a write with this key is being processed
        busy = by_key(api, key)
    expect_error(busy, 409, "request_in_progress")
    assert busy.headers["retry-after"] == "1"
    expect_error(by_key(api, key), 404, "unknown_key")


@pytest.mark.parametrize("key", ["short", "has space in it!!", "x" * 129])
def test_a_malformed_key_is_400(api: Api, key: str) -> None:
    expect_error(by_key(api, key), 400, "bad_request")
