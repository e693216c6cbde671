"""Storing a synced heavy month (≥100,000 records) in the local store, against raw sqlite3
`executemany` of the same rows into the same table in one transaction (DESIGN §9: ≤ 2×).

Both sides write to a fresh, migrated SQLite file with the store's pragmas (WAL,
synchronous=FULL, secure_delete). The store's side starts from the domain records the client
returns (so it pays for turning them into rows); the raw side is handed the rows ready-made.
"""

from __future__ import annotations

import sqlite3
import statistics
import tempfile
import time
from pathlib import Path

from benchmarks.heavy import MSISDN, heavy_month
from benchmarks.report import ratio_line
from models.db import SQLITE_PRAGMAS, open_store
from models.usage import UsageStore, insert_sql, record_row

REPEAT = 3


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
    records, _opening, _closing, fetched = heavy_month()
    rows = [record_row(MSISDN, r) for r in records]
    store_times, raw_times = [], []
    with tempfile.TemporaryDirectory() as name:
        folder = Path(name)
        for n in range(REPEAT):
            raw_times.append(_raw_side(folder, rows, n))
            store_times.append(_store_side(folder, records, n))
    raw, store = statistics.median(raw_times), statistics.median(store_times)
    return [
        f"fetched {len(records):,} records over loopback HTTP in {fetched:.2f} s",
        ratio_line(f"raw sqlite3 executemany, {len(rows):,} rows", raw, raw, "s"),
        ratio_line(f"UsageStore.add of the same ({len(records):,})", store, 2 * raw, "s"),
    ]


if __name__ == "__main__":
    print("\n".join(run()))
