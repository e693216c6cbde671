"""Killing the console (SIGKILL) in the middle of sending an order, then starting it again,
loses and doubles nothing. Every part is real and separate: the operator is `salon sandbox` in
its own process, the console is the `salon` command (token in a file-backed test keyring),
and the outbox row is watched in the console's SQLite file. The console dies while its write
is in flight (the operator's latency), or after the operator applied it but every answer was
lost (between retries). Then `salon outbox send` — a new console — finds the row left
`sending` by a process that is gone, sends it again under the same key, and gets the
operator's answer: the order is applied exactly once and the row is done."""

from __future__ import annotations

import json
import os
import random
import signal
import socket
import sqlite3
import subprocess
import time
from collections.abc import Callable, Iterator
from contextlib import closing
from pathlib import Path
from typing import Any

import httpx
import pytest

from tests.conftest import write_ini
from tests.integration.test_credentials_cli import REPO, SALON, keyring_env

TOKEN = "crash-test-token"
KUBAN = "+79181234567"  # ONLINE, GUARD + ROAMING_PLUS, money for the switch


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@pytest.fixture
def operator(tmp_path: Path) -> Iterator[httpx.Client]:
    port = free_port()
    own = tmp_path / "operator"  # the operator's own folder and salon.ini (its logs)
    own.mkdir()
    env = {**os.environ, "SALON_SANDBOX_TOKEN": TOKEN, "SALON_CONFIG": str(write_ini(own))}
    server = subprocess.Popen([SALON, "sandbox", "--port", str(port), "--db",
                               str(own / "world.db")], env=env, cwd=REPO,
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    http = httpx.Client(base_url=f"http://127.0.0.1:{port}", timeout=30,
                        headers={"Authorization": f"Bearer {TOKEN}"})
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                if http.get("/health").status_code == 200:
                    break
            except httpx.TransportError:
                pass
            assert server.poll() is None and time.monotonic() < deadline, "no sandbox"
            time.sleep(0.1)
        yield http
    finally:
        http.close()
        server.terminate()
        server.wait(30)


@pytest.fixture
def console_env(tmp_path: Path, operator: httpx.Client, salon_env: dict[str, str]) -> dict[str,
                                                                                          str]:
    ini = write_ini(tmp_path, operator={"url": str(operator.base_url).rstrip("/"),
                                        "read_retries": "0", "connect_timeout": "2",
                                        "read_timeout": "20"})
    env = keyring_env({**salon_env, "SALON_CONFIG": str(ini)}, tmp_path,
                      "tests.support.keyring_file.FileKeyringForTests")
    for argv, stdin in ((["credentials", "set"], TOKEN + "\n"),
                        (["clerk", "add", "boss", "--name", "Игорь Белов", "--first"],
                         "boss-pass-1\n")):
        done = subprocess.run([SALON, *argv], env=env, input=stdin, capture_output=True,
                              text=True, timeout=120)
        assert done.returncode == 0, done.stderr
    return {**env, "SALON_CLERK": "boss", "SALON_PASSWORD": "boss-pass-1"}


def outbox_rows(tmp_path: Path) -> list[dict[str, Any]]:
    path = tmp_path / "data" / "salon.db"
    if not path.exists():
        return []
    with closing(sqlite3.connect(f"file:{path}?mode=ro", uri=True, timeout=5)) as db:
        db.row_factory = sqlite3.Row
        try:
            return [dict(r) for r in db.execute("SELECT * FROM outbox ORDER BY id")]
        except sqlite3.OperationalError:  # not created yet
            return []


def kill_while_sending(tmp_path: Path, env: dict[str, str],
                       also: Callable[[dict[str, Any]], bool] = lambda row: True,
                       ) -> dict[str, Any]:
    """Start an order and SIGKILL the console once its row is `sending` (and `also` holds).
    Returns the row as the console left it."""
    console = subprocess.Popen([SALON, "tariff", KUBAN, "SMART", "--yes", "--json"], env=env,
                               stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                               stderr=subprocess.PIPE)
    deadline = time.monotonic() + 60
    try:
        while True:
            rows = outbox_rows(tmp_path)
            if rows and rows[-1]["state"] == "sending" and also(rows[-1]):
                break
            assert console.poll() is None, console.communicate()
            assert time.monotonic() < deadline, "the order never went out"
            time.sleep(0.01)
        os.kill(console.pid, signal.SIGKILL)
    finally:
        console.kill()
        console.wait(30)  # reaped: the process is gone, not a zombie
    assert console.returncode == -signal.SIGKILL
    left = outbox_rows(tmp_path)[-1]
    assert left["state"] == "sending" and left["attempts"] == 1
    return left


def seed_passing_first_then_dropping(drops: int, rate: float = 0.9) -> int:
    """A fault seed whose first request passes and the next `drops` are applied-then-dropped
    (the contract: three draws per request — error, drop before, drop after — in order)."""
    for seed in range(10_000):
        rng = random.Random(seed)
        afters = [[rng.random() for _ in range(3)][2] for _ in range(drops + 1)]
        if afters[0] >= rate and all(a < rate for a in afters[1:]):
            return seed
    raise AssertionError("no such seed")


def applied_keys(tmp_path: Path) -> list[str]:
    """Keys of the orders the operator applied, from its own database file."""
    with closing(sqlite3.connect(f"file:{tmp_path / 'operator' / 'world.db'}?mode=ro",
                                 uri=True, timeout=5)) as db:
        return [r[0] for r in db.execute("SELECT idempotency_key FROM orders "
                                         "WHERE msisdn = ?", (KUBAN,))]


ORDERS = "/tmf-api/productOrderingManagement/v4/productOrder"
CART = "/tmf-api/shoppingCart/v4/shoppingCart"
LINE = "L-79181234567"


def orders_by_key(operator: httpx.Client, key: str) -> list[dict[str, Any]]:
    """The orders the operator applied under this outbox key (TMF622 externalId)."""
    answer = operator.get(ORDERS, params={"externalId": key})
    answer.raise_for_status()
    return list(answer.json())


def line_orders(operator: httpx.Client) -> list[dict[str, Any]]:
    answer = operator.get(ORDERS, params={"productOrderItem.product.id": LINE})
    answer.raise_for_status()
    return list(answer.json())


def line_state(operator: httpx.Client) -> tuple[int, str]:
    """The line's version (its ETag) and its tariff's offering."""
    answer = operator.get(f"/tmf-api/productInventory/v4/product/{LINE}")
    answer.raise_for_status()
    return int(answer.headers["ETag"].strip('"')), answer.json()["productOffering"]["id"]


@pytest.mark.parametrize("moment", ["in_flight", "applied_but_unanswered"])
def test_sigkill_mid_send_then_restart_applies_exactly_once(
    tmp_path: Path, operator: httpx.Client, console_env: dict[str, str], moment: str,
) -> None:
    """in_flight: the write sleeps in the operator's latency when the console dies (the
    operator drops a request whose client went away: nothing is applied until the new
    console sends it again). applied_but_unanswered: the operator applied it, every answer
    was lost, and the console dies between its retries."""
    version = line_state(operator)[0]
    before = len(line_orders(operator))
    if moment == "in_flight":
        operator.put("/sandbox/faults", json={"latency_ms": 1500, "paths": [ORDERS]})
        left = kill_while_sending(tmp_path, console_env)
        assert orders_by_key(operator, left["key"]) == []
    else:
        write_ini(tmp_path, operator={"url": str(operator.base_url).rstrip("/"),
                                      "read_retries": "6"})
        # The preview's cart (the first faulted request) gets through; every try of the
        # order is applied-then-dropped. The sandbox's own file shows when it holds it.
        operator.put("/sandbox/faults", json={"drop_after_rate": 0.9, "paths": [CART, ORDERS],
                                              "seed": seed_passing_first_then_dropping(7)})
        left = kill_while_sending(tmp_path, console_env,
                                  lambda row: applied_keys(tmp_path) == [row["key"]])
    operator.delete("/sandbox/faults")

    again = subprocess.run([SALON, "outbox", "send", "--json"], env=console_env,
                           stdin=subprocess.DEVNULL, capture_output=True, text=True,
                           timeout=120)
    assert again.returncode == 0, again.stderr
    sent = json.loads(again.stdout)
    assert sent["pending"] == []
    assert [(i["id"], i["state"]) for i in sent["finished"]] == [(left["id"], "done")]
    assert Path(sent["finished"][0]["slip_path"]).is_file()
    row = outbox_rows(tmp_path)[-1]
    assert row["state"] == "done" and row["key"] == left["key"]  # the same key, resent
    assert row["attempts"] == 2 and row["maybe_delivered"] == 1
    order_id = json.loads(row["result"])["order_id"]

    assert [o["id"] for o in orders_by_key(operator, left["key"])] == [order_id]
    assert applied_keys(tmp_path) == [left["key"]]
    after = line_orders(operator)
    assert len(after) == before + 1 and after[-1]["id"] == order_id  # once, not twice
    assert after[-1]["externalId"] == left["key"]
    assert line_state(operator) == (version + 1, "tariff-SMART")
