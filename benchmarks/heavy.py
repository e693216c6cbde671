"""The heavy subscriber's full month (October 2026, ≥100,000 records) from the real sandbox
over loopback HTTP, shared by the detalization and usage-sync benchmarks."""

from __future__ import annotations

import tempfile
from datetime import UTC, date, datetime, time
from functools import cache
from pathlib import Path
from zoneinfo import ZoneInfo

from app.clock import SystemClock
from app.operator_api.client import OperatorClient
from models.detalization import Period
from models.domain import Balances, UsageRecord

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
    running = start_in_background(folder / "world.db", 2026, "bench")
    client = OperatorClient(running.url, "bench", clock=SystemClock(), read_timeout=120,
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
