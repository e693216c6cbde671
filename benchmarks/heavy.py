"""The heavy subscriber's full month (October 2026, ≥100,000 records) from the real sandbox
over loopback HTTP, shared by the detalization and usage-sync benchmarks.

The sandbox runs on a clock pinned to 23 November 2026 (then passing as real seconds do), so
the month is the same 117,864 records on any date the benchmarks run: figures compare across
runs, and October is always complete and inside the world's history."""

from __future__ import annotations

import shutil
import tempfile
from datetime import UTC, date, datetime, time
from functools import cache
from pathlib import Path
from zoneinfo import ZoneInfo

from app.operator_api.client import OperatorClient
from models.detalization import Period
from models.domain import Balances, UsageRecord
from tests.support.pinned import RunningClock

MSISDN = "+79160000100"
PERIOD = Period(date(2026, 10, 1), date(2026, 10, 31))
ZONE = ZoneInfo("Europe/Moscow")
START = datetime.combine(PERIOD.first, time(0), ZONE).astimezone(UTC)
END = datetime.combine(date(2026, 11, 1), time(0), ZONE).astimezone(UTC)


@cache
def heavy_month() -> tuple[list[UsageRecord], Balances, Balances, float]:
    """(records, balance at the start, at the end, seconds the fetch took)."""
    import time as clock

    from sandbox.server import start_in_background

    folder = Path(tempfile.mkdtemp(prefix="salon-bench-"))
    world_clock = RunningClock()
    running = start_in_background(folder / "world.db", 2026, "bench",
                                  real_time=world_clock.seconds)
    client = OperatorClient(running.url, "bench", clock=world_clock, read_timeout=120,
                            deadline=600)
    try:
        began = clock.perf_counter()
        records = [r for page in client.usage_pages(MSISDN, START, END, page_size=10_000)
                   for r in page]
        fetched = clock.perf_counter() - began
        return records, client.balances_at(MSISDN, START), client.balances_at(MSISDN, END), \
            fetched
    finally:
        client.close()
        running.stop()
        shutil.rmtree(folder, ignore_errors=True)  # the world; the records are in memory
