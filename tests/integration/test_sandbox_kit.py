"""Helpers shared by the sandbox write tests (orders, faults, access codes, archive): a client
that speaks the contract over real loopback HTTP, and a look into the sandbox's database file.
The one test here checks the helpers' assumptions about the demo world."""

from __future__ import annotations

import sqlite3
import uuid
from collections.abc import Callable
from contextlib import closing
from decimal import Decimal
from pathlib import Path
from typing import Any

import httpx

from sandbox.server import RunningSandbox, start_in_background

TOKEN = "write-test-token"
MARIA = "+79161234567"  # SMART, GUARD + Assistant, Moscow
ORLOV = "+79261112233"  # corporate
VORONTSOVA = "+79031234500"  # VIP
KHABIBULLIN = "+79171234567"  # blocked
POPOVA = "+79121234567"  # SMART, no Assistant
SEED = 2026


def start(folder: Path, real_time: Callable[[], float] | None = None) -> RunningSandbox:
    """The sandbox on real time, or on `real_time` (a test's pinned running clock)."""
    return start_in_background(folder / "sandbox.sqlite3", SEED, TOKEN, real_time=real_time)


def new_key(tag: str = "k") -> str:
    return f"{tag}-{uuid.uuid4().hex}"


def expect_error(response: httpx.Response, status: int, code: str, **extra: Any) -> dict[str,
                                                                                        Any]:
    assert response.status_code == status, response.text
    error = response.json()["error"]
    assert error["code"] == code and error["message"]
    for name, value in extra.items():
        assert error[name] == value, error
    return dict(error)


class Api:
    """The contract from the console's side, over HTTP."""

    def __init__(self, sandbox: RunningSandbox) -> None:
        self.sandbox = sandbox
        self.http = httpx.Client(base_url=sandbox.url, timeout=30,
                                 headers={"Authorization": f"Bearer {TOKEN}"})

    def close(self) -> None:
        self.http.close()

    def version(self, msisdn: str) -> int:
        response = self.http.get(f"/v1/subscribers/{msisdn}")
        assert response.status_code == 200, response.text
        assert response.headers["etag"] == f'"{response.json()["version"]}"'
        return int(response.json()["version"])

    def card(self, msisdn: str) -> dict[str, Any]:
        return dict(self.http.get(f"/v1/subscribers/{msisdn}").json())

    def main(self, msisdn: str, at: str | None = None) -> Decimal:
        params = {} if at is None else {"at": at}
        body = self.http.get(f"/v1/subscribers/{msisdn}/balance", params=params).json()
        return Decimal(next(b for b in body["buckets"] if b["kind"] == "main")["amount"]["value"])

    def now(self) -> str:
        return str(self.http.get("/sandbox/clock").json()["now"])

    def preview(self, msisdn: str, action: str, **codes: str) -> dict[str, Any]:
        response = self.http.get("/v1/orders/preview",
                                 params={"msisdn": msisdn, "action": action, **codes})
        assert response.status_code == 200, response.text
        return dict(response.json())

    def order(self, msisdn: str, action: str, version: int | None = None,
              key: str | None = None, **codes: str) -> httpx.Response:
        if version is None:
            version = self.version(msisdn)
        return self.http.post("/v1/orders", json=order_body(msisdn, action, **codes),
                              headers={"Idempotency-Key": key or new_key(),
                                       "If-Match": f'"{version}"'})

    def advance(self, seconds: int) -> None:
        response = self.http.post("/sandbox/clock", json={"advance_seconds": seconds})
        assert response.status_code == 200, response.text


def order_body(msisdn: str, action: str, **codes: str) -> dict[str, str]:
    return {"msisdn": msisdn, "action": action, **codes, "clerk": "petrova", "salon": "MSK-001",
            "counter": "2"}


def query(sandbox: RunningSandbox, sql: str, *args: Any) -> list[tuple[Any, ...]]:
    """Read the sandbox's own database file, as an auditor would."""
    with closing(sqlite3.connect(sandbox.store.path, timeout=30)) as conn:
        return conn.execute(sql, args).fetchall()


def database_bytes(sandbox: RunningSandbox) -> bytes:
    """Every file of the sandbox database (main, WAL, shared memory)."""
    path = sandbox.store.path
    parts = [path, path.with_name(path.name + "-wal"), path.with_name(path.name + "-shm")]
    return b"".join(p.read_bytes() for p in parts if p.exists())


def test_the_demo_world_has_what_these_tests_assume(tmp_path: Path) -> None:
    with start(tmp_path) as sandbox:
        api = Api(sandbox)
        try:
            cards = {m: api.card(m) for m in (MARIA, ORLOV, VORONTSOVA, KHABIBULLIN, POPOVA)}
        finally:
            api.close()
    assert cards[MARIA]["tariff"]["code"] == "SMART" and cards[MARIA]["assistant"]["connected"]
    assert {s["code"] for s in cards[MARIA]["services"]} == {"GUARD"}
    assert cards[ORLOV]["tariff"]["class"] == "corporate"
    assert cards[VORONTSOVA]["tariff"]["class"] == "vip"
    assert cards[KHABIBULLIN]["status"] == "blocked"
    assert cards[POPOVA]["tariff"]["code"] == "SMART"
    assert not cards[POPOVA]["assistant"]["connected"]
