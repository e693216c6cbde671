"""The operator client against a hostile HTTP server on loopback (tests/support/hostile_http.py):
a server that drips its answer a byte at a time, answers 503 slowly for ever, sends a body that
never ends, declares 400 MB, or gzips 64 MB of zeros into a few kilobytes.

Every call ends — by its overall deadline (connect, the whole answer, every retry) or by the
answer's size cap — with a clerk's sentence; a write says honestly that it may have arrived.
A call that still waited after 30 s fails the test instead of hanging the suite: how long a
call takes is not measured here (timing limits live in benchmarks), only that it ends.
"""

from __future__ import annotations

import json
import os
import subprocess
import threading
import time
from collections.abc import Callable, Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest

from app.clock import FixedClock
from app.errors import OperatorProtocolError, OperatorUnavailable
from app.operator_api.client import OperatorClient
from app.services.credentials import KEYRING_SERVICE, OPERATOR_TOKEN
from models.orders import OrderAction, OrderRequest
from tests.conftest import write_ini
from tests.support.hostile_http import Connection, HostileServer, gzip_of_zeros, head

REPO = Path(__file__).resolve().parents[2]
SALON = str(REPO / ".venv" / "bin" / "salon")
MSISDN = "+79161234567"
NOW = datetime(2026, 11, 23, 10, 15, tzinfo=UTC)  # only for answers without the operator's
DRIP = 0.2  # seconds between bytes: well within every per-read timeout below
LINE = "L-79161234567"
LOOKUP = b"/tmf-api/productInventory/v4/product?productSerialNumber="


def client_for(server: HostileServer, *, deadline: float = 2.0, retries: int = 2,
               sleep: Callable[[float], None] | None = None) -> OperatorClient:
    return OperatorClient(server.url, "hostile-test", clock=FixedClock(NOW), connect_timeout=1,
                          read_timeout=1, read_retries=retries, deadline=deadline,
                          sleep=sleep or (lambda _s: None))


def outcome_of(call: Callable[[], Any], within: float = 30.0) -> BaseException | None:
    """Run `call` on a thread; the exception it ended with (None if it returned). Fails when
    it is still waiting after `within` seconds."""
    ended: dict[str, BaseException | None] = {}

    def run() -> None:
        try:
            call()
            ended["error"] = None
        except BaseException as error:
            ended["error"] = error

    thread = threading.Thread(target=run, daemon=True)
    thread.start()
    thread.join(within)
    assert not thread.is_alive(), f"the call still waits on the server after {within} s"
    return ended["error"]


@pytest.fixture
def serve() -> Iterator[Callable[[Callable[[Connection, bytes], None]], HostileServer]]:
    servers: list[HostileServer] = []

    def start(behaviour: Callable[[Connection, bytes], None]) -> HostileServer:
        servers.append(HostileServer(behaviour))
        return servers[-1]

    yield start
    for server in servers:
        server.stop()


def finds_the_line(behaviour: Callable[[Connection, bytes], None]
                   ) -> Callable[[Connection, bytes], None]:
    """A card's first request, the number's line (TMF637 `GET /product?productSerialNumber=`),
    answered at once; `behaviour` for the card's own requests (`GET /product/{id}`, …)."""
    def serve(conn: Connection, request: bytes) -> None:
        if LOOKUP in request.split(b"\r\n", 1)[0]:
            body = json.dumps([{"id": LINE, "status": "active"}]).encode()
            conn.send(head(content_type="application/json", content_length=len(body),
                           connection="close") + body)
            return
        behaviour(conn, request)

    return serve


# -- 1. one overall deadline ------------------------------------------------------------------

def drip_status_line(conn: Connection, _request: bytes) -> None:
    """The status line and headers a byte at a time, never finished: httpx's read timeout is
    per read, so without an overall deadline this waits for ever."""
    conn.drip(b"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\n" + b"X: " + b"y" * 10**6,
              DRIP)


def drip_body(conn: Connection, _request: bytes) -> None:
    conn.drip_forever(head(content_type="application/json", content_length=10**6), DRIP)


@pytest.mark.parametrize("behaviour", [drip_status_line, drip_body])
@pytest.mark.parametrize("read", ["subscriber", "balances"])
def test_a_dripping_server_is_given_up_at_the_deadline(serve, behaviour, read: str) -> None:
    server = serve(finds_the_line(behaviour))
    error = outcome_of(lambda: getattr(client_for(server, deadline=2), read)(MSISDN))
    assert isinstance(error, OperatorUnavailable)
    assert str(error) == "The operator's system did not answer within 2 seconds."
    asked = {"subscriber": b"/product/" + LINE.encode(), "balances": b"product.id=" + LINE.encode()}
    assert LOOKUP in server.requests[0] and asked[read] in server.requests[1].split(b"\r\n")[0]


def test_a_dripped_line_lookup_is_given_up_at_the_deadline(serve) -> None:
    server = serve(drip_body)
    error = outcome_of(lambda: client_for(server, deadline=2).subscriber(MSISDN))
    assert isinstance(error, OperatorUnavailable) and "within 2 seconds" in str(error)
    assert all(LOOKUP in request for request in server.requests)


def test_the_deadline_holds_through_a_proxy_from_the_environment(
        serve, monkeypatch: pytest.MonkeyPatch) -> None:
    """A salon behind HTTP_PROXY: httpx builds that proxy's transport itself, and it keeps the
    deadline too (here the dripping server is the proxy)."""
    proxy = serve(finds_the_line(drip_body))
    monkeypatch.setenv("HTTP_PROXY", proxy.url)
    for name in ("NO_PROXY", "no_proxy", "http_proxy", "ALL_PROXY", "all_proxy"):
        monkeypatch.delenv(name, raising=False)
    client = OperatorClient("http://operator.test", "t", clock=FixedClock(NOW),
                            connect_timeout=1, read_timeout=1, read_retries=1, deadline=2,
                            sleep=lambda _s: None)
    error = outcome_of(lambda: client.subscriber(MSISDN))
    assert isinstance(error, OperatorUnavailable) and "within 2 seconds" in str(error)
    assert b"GET http://operator.test/tmf-api/productInventory/v4/product?" in proxy.requests[0]
    assert b"GET http://operator.test/tmf-api/productInventory/v4/product/" + LINE.encode() \
        in proxy.requests[1]


def line_found_then(behaviour: Callable[[Connection, bytes], None],
                    ) -> Callable[[Connection, bytes], None]:
    """The number's line found at once (TMF637 lookup), then `behaviour` for the write: the
    hostile part is the order's answer."""
    def serve_write(conn: Connection, request: bytes) -> None:
        if request.startswith(b"GET "):
            body = b'[{"id": "L-79161234567"}]'
            conn.send(head(content_type="application/json", content_length=len(body)) + body)
        else:
            behaviour(conn, request)
    return serve_write


def writes(server: HostileServer) -> list[bytes]:
    return [r for r in server.requests if r.startswith(b"POST ")]


def test_a_dripped_write_ends_and_says_it_may_have_arrived(serve) -> None:
    server = serve(line_found_then(drip_body))
    order = OrderRequest(MSISDN, OrderAction.ADD_SERVICE, "GUARD")
    error = outcome_of(lambda: client_for(server).place_order(
        order, key="k" * 32, if_match=3, clerk="anna", salon="MSK-1", counter="1"))
    assert isinstance(error, OperatorUnavailable) and "within 2 seconds" in str(error)
    assert error.maybe_delivered  # the request was written whole: it may have been applied
    assert writes(server) and all(b"Idempotency-Key: " + b"k" * 32 in r
                                  for r in writes(server))


def line_then_drip(conn: Connection, request: bytes) -> None:
    """The number's line (TMF637) answered at once; anything else dripped."""
    if request.startswith(b"GET /tmf-api/productInventory/v4/product?"):
        body = b'[{"id": "L-79161234567"}]'
        conn.send(head(content_type="application/json", content_length=len(body),
                       connection="close") + body)
        return
    drip_body(conn, request)


def test_a_dripped_code_entry_is_not_repeated(serve) -> None:
    """A check counts every time it arrives (R3): cut by the deadline, it is not sent again,
    and the clerk is told it may have been counted."""
    server = serve(line_then_drip)
    error = outcome_of(lambda: client_for(server, retries=5).verify_code(MSISDN, "123456"))
    assert isinstance(error, OperatorUnavailable) and error.maybe_delivered
    checks = [r for r in server.requests
              if r.startswith(b"POST /tmf-api/x-salon/v1/accessCode/L-79161234567/check ")]
    assert len(checks) == 1 and len(server.requests) == 2


def slow_unavailable(conn: Connection, _request: bytes) -> None:
    body = b'{"error": {"code": "unavailable", "message": "down"}}'
    if not conn.stopping.wait(0.4):
        conn.send(head("503 Service Unavailable", content_type="application/json",
                       content_length=len(body)) + body)


def test_retries_and_their_waits_stay_within_the_deadline(serve) -> None:
    """50 retries of a slow 503 would take minutes; the deadline ends them (the real waits
    between attempts included)."""
    server = serve(slow_unavailable)
    error = outcome_of(lambda: client_for(server, deadline=2, retries=50,
                                          sleep=time.sleep).tariffs())
    assert isinstance(error, OperatorUnavailable)
    assert str(error) in {  # the last answer, or the last attempt cut short by the deadline
        "The operator's system reported an internal error (HTTP 503).",
        "The operator's system did not answer within 2 seconds."}
    assert 1 < len(server.requests) < 10


def test_a_command_against_a_dripping_operator_ends_with_exit_5(serve, tmp_path: Path) -> None:
    """What the probe saw: `salon tariffs` against a dripping server hung for ever."""
    server = serve(drip_body)
    keyring = tmp_path / "keyring.json"
    keyring.write_text(json.dumps({f"{KEYRING_SERVICE}/{OPERATOR_TOKEN}": "hostile-test"}))
    env = {k: v for k, v in os.environ.items() if not k.startswith("SALON_")}
    env.update(SALON_CONFIG=str(write_ini(tmp_path, operator={
                   "url": server.url, "read_timeout": "1", "deadline": "1.5"})),
               PYTHONPATH=str(REPO),
               PYTHON_KEYRING_BACKEND="tests.support.keyring_file.FileKeyringForTests",
               SALON_TEST_KEYRING=str(keyring))
    done = subprocess.run([SALON, "tariffs"], env=env, capture_output=True, text=True,
                          timeout=60)
    assert done.returncode == 5, done.stderr
    assert "did not answer within 1.5 seconds" in done.stderr
    assert "Traceback" not in done.stderr


# -- 3. answers are size-bounded --------------------------------------------------------------

def endless_body(conn: Connection, _request: bytes) -> None:
    conn.stream_forever(head(content_type="application/json", transfer_encoding="chunked"),
                        b" " * 65536)


def declares_400_mb(conn: Connection, _request: bytes) -> None:
    conn.drip_forever(head(content_type="application/json", content_length=400 * 2**20), 1.0)


def gzip_bomb(conn: Connection, _request: bytes) -> None:
    body = gzip_of_zeros(64 * 2**20)
    conn.send(head(content_type="application/json", content_encoding="gzip",
                   content_length=len(body)) + body)


@pytest.mark.parametrize("behaviour", [endless_body, declares_400_mb, gzip_bomb])
@pytest.mark.parametrize("read", ["subscriber", "balances"])
def test_an_answer_past_its_cap_is_refused_not_read(serve, behaviour, read: str) -> None:
    server = serve(finds_the_line(behaviour))
    error = outcome_of(lambda: getattr(client_for(server, deadline=20), read)(MSISDN))
    assert isinstance(error, OperatorProtocolError)
    assert str(error) == ("The operator's system sent an answer far larger than expected "
                          "(4 MB at most); it was not read. The details are in the log.")
    assert len(server.requests) == 2  # the line, then the card: refused, not retried


def test_a_write_whose_answer_is_past_the_cap_may_have_been_applied(serve) -> None:
    server = serve(line_found_then(endless_body))
    order = OrderRequest(MSISDN, OrderAction.ADD_SERVICE, "GUARD")
    error = outcome_of(lambda: client_for(server, deadline=20).place_order(
        order, key="k" * 32, if_match=3, clerk="anna", salon="MSK-1", counter="1"))
    assert isinstance(error, OperatorProtocolError) and error.maybe_delivered
    assert len(writes(server)) == 1 and b"/productOrder " in writes(server)[0]
