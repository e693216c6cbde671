"""A heavy month (October 2026, 117,864 records) synced into the local store, against raw
work on the same data (DESIGN §9, issue 13 point 6: the sync within 2× of raw sqlite3
`executemany` plus the transfer).

- the sync: `UsageSync.sync` of the month into a fresh, migrated SQLite file — the operator
  client's pages over loopback HTTP (read, validated, made domain records) streamed page by page
  into `UsageStore`;
- raw: the very requests that sync sent, replayed with a plain httpx client that only reads the
  bytes (the transfer: the sandbox's work and the wire), plus raw `executemany` of the rows,
  ready-made, into the same table in one transaction.

And, as before, `UsageStore.add` of the month's records against that `executemany` alone. Both
stores have the store's pragmas (WAL, synchronous=FULL, secure_delete). The requests are
replayed, not named here, so the benchmark measures whichever protocol the client speaks.
"""

from __future__ import annotations

import shutil
import sqlite3
import statistics
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import httpx

from app.operator_api.client import OperatorClient
from app.services.usage_sync import UsageSync
from benchmarks.heavy import END, MSISDN, PERIOD, START, ZONE
from benchmarks.report import ratio_line
from models.db import SQLITE_PRAGMAS, open_store
from models.usage import UsageStore, insert_sql, record_row
from tests.support.pinned import RunningClock

REPEAT = 3
TOKEN = "bench"


class _Recording(httpx.HTTPTransport):
    """The real transport, noting each request's URL (to replay the transfer)."""

    def __init__(self) -> None:
        super().__init__()
        self.urls: list[str] = []

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        self.urls.append(str(request.url))
        return super().handle_request(request)


@contextmanager
def _sandbox() -> Iterator[tuple[OperatorClient, _Recording, RunningClock]]:
    from sandbox.server import start_in_background

    folder = Path(tempfile.mkdtemp(prefix="salon-bench-sync-"))
    clock = RunningClock()
    running = start_in_background(folder / "world.db", 2026, TOKEN, real_time=clock.seconds)
    recording = _Recording()
    client = OperatorClient(running.url, TOKEN, clock=clock, read_timeout=120, deadline=600,
                            transport=recording)
    try:
        yield client, recording, clock
    finally:
        client.close()
        running.stop()
        shutil.rmtree(folder, ignore_errors=True)


def _sync(folder: Path, client: OperatorClient, clock: RunningClock,
          n: int) -> tuple[float, int]:
    db = open_store(f"sqlite:///{folder}/sync-{n}.db")
    try:
        now = int(clock.now().timestamp())
        began = time.perf_counter()
        result = UsageSync(client, UsageStore(), retention_days=3).sync(
            MSISDN, PERIOD, ZONE, end=int(END.timestamp()), now=now)
        return time.perf_counter() - began, result.records_fetched
    finally:
        db.close()


def _transfer(urls: list[str]) -> float:
    """The same requests, their answers read as bytes and nothing more."""
    with httpx.Client(headers={"Authorization": f"Bearer {TOKEN}"}, timeout=120) as http:
        began = time.perf_counter()
        for url in urls:
            http.get(url).read()
        return time.perf_counter() - began


def _store_side(folder: Path, records: list, n: int) -> float:
    db = open_store(f"sqlite:///{folder}/store-{n}.db")
    try:
        began = time.perf_counter()
        UsageStore().add(MSISDN, records)
        return time.perf_counter() - began
    finally:
        db.close()


def _raw_side(folder: Path, rows: list[tuple], n: int) -> float:
    open_store(f"sqlite:///{folder}/raw-{n}.db").close()  # the same schema
    connection = sqlite3.connect(folder / f"raw-{n}.db", isolation_level=None)
    try:
        for pragma, value in SQLITE_PRAGMAS.items():
            connection.execute(f"PRAGMA {pragma} = {value}")
        began = time.perf_counter()
        connection.execute("BEGIN")
        connection.executemany(insert_sql("?"), rows)
        connection.execute("COMMIT")
        return time.perf_counter() - began
    finally:
        connection.close()


def run() -> list[str]:
    sync_times, transfer_times, raw_times, store_times = [], [], [], []
    with tempfile.TemporaryDirectory() as name, _sandbox() as (client, recording, clock):
        folder = Path(name)
        count = 0
        for n in range(REPEAT):
            recording.urls.clear()
            seconds, count = _sync(folder, client, clock, n)
            sync_times.append(seconds)
            transfer_times.append(_transfer(list(recording.urls)))
        requests = len(recording.urls)
        records = [r for page in client.usage_pages(MSISDN, START, END, page_size=10_000)
                   for r in page]
        rows = [record_row(MSISDN, r) for r in records]
        for n in range(REPEAT):
            raw_times.append(_raw_side(folder, rows, n))
            store_times.append(_store_side(folder, records, n))
    sync, transfer = statistics.median(sync_times), statistics.median(transfer_times)
    raw, store = statistics.median(raw_times), statistics.median(store_times)
    return [
        f"synced {count:,} records in {requests} requests over loopback HTTP",
        ratio_line("transfer alone (the same requests, bytes)", transfer, transfer, "s"),
        ratio_line(f"raw sqlite3 executemany, {len(rows):,} rows", raw, raw, "s"),
        ratio_line("UsageSync.sync vs 2 × (executemany + transfer)", sync,
                   2 * (raw + transfer), "s"),
        ratio_line(f"UsageStore.add of the same ({len(records):,})", store, 2 * raw, "s"),
    ]


if __name__ == "__main__":
    print("\n".join(run()))
