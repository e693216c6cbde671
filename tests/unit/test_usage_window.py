"""Counting and slicing a line's usage by offset (sandbox/usage_window.py) gives exactly what
walking every record would, while generating only the days a page shows (plus the window's
edges); and the world's usage ids name the record they came from."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, date, datetime

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from sandbox import ledger as ledger_module
from sandbox.clock import Clock
from sandbox.ledger import Ledger
from sandbox.store import Store
from sandbox.tmf import ids
from sandbox.usage_window import count, records, scan, window
from sandbox.world import HEAVY_MSISDN
from tests.support.pinned import WORLD_AT

SEED = 2026
NOW = int(datetime(2026, 11, 23, 12, 0, tzinfo=UTC).timestamp())
MARIA = "+79161234567"
OCTOBER = (int(datetime(2026, 10, 1, tzinfo=UTC).timestamp()),
           int(datetime(2026, 11, 1, tzinfo=UTC).timestamp()))


@pytest.fixture(scope="module")
def ledger(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Ledger]:
    store = Store.open(tmp_path_factory.mktemp("window") / "sandbox.sqlite3", SEED,
                       now=WORLD_AT)
    yield Ledger(store, Clock(store, real_time=lambda: NOW))
    store.close()


hours = st.integers(0, 60 * 24 - 1)  # a window within the two months before "now", by the hour
# (not starting at "now" itself: that window is empty)


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(hours, hours, st.integers(0, 400), st.integers(0, 300))
def test_count_and_pages_agree_with_walking_every_record(
        ledger: Ledger, a: int, b: int, offset: int, limit: int) -> None:
    state = ledger.state(MARIA)
    assert state is not None
    start, end = NOW - 60 * 86400 + min(a, b) * 3600, NOW - 60 * 86400 + max(a, b) * 3600 + 1
    w = window(ledger, state, start, end)
    assert w is not None
    every = list(scan(ledger, w))
    assert count(ledger, w) == len(every)
    assert records(ledger, w, offset, limit) == every[offset:offset + limit]
    assert all(start <= day.times[i] < end for day, i in every)


def test_a_heavy_months_page_generates_only_the_days_it_shows(
        ledger: Ledger, monkeypatch: pytest.MonkeyPatch) -> None:
    state = ledger.state(HEAVY_MSISDN)
    assert state is not None
    w = window(ledger, state, *OCTOBER)
    assert w is not None
    total = count(ledger, w)  # fills the day-totals cache once
    assert total >= 100_000
    made = _days_made(monkeypatch)
    fresh = Ledger(ledger.store, ledger.clock)  # no days in memory
    assert count(fresh, w) == total
    assert len(made) <= 2, "the count makes the window's two edge days, no more"
    made.clear()
    page = records(fresh, w, total // 2, 1000)
    assert len(page) == 1000
    assert len(made) <= 2, f"a page in mid-month made {len(made)} days"


def test_usage_ids_name_their_record() -> None:
    key = ids.usage_key(ids.usage_id(MARIA, "20261014", 41))
    assert key == ids.UsageKey(MARIA, date(2026, 10, 14).toordinal(), 41)
    for bad in ("U-79161234567-20261314-0001", "U-79161234567-20261014-0000", "U-7-20261014-1",
                "L-79161234567", "usage-1", ""):
        assert ids.usage_key(bad) is None
    assert ids.msisdn_of_line(ids.line_id(MARIA)) == MARIA
    assert ids.sms_number(ids.sms_id(12)) == 12 and ids.sms_number("SMS-x") is None


def test_walking_a_quarter_by_cursor_makes_each_day_once_and_holds_few(
        ledger: Ledger, monkeypatch: pytest.MonkeyPatch) -> None:
    """The route's cursor pages (Ledger.page) over three months of the heavy line: every page
    makes only the days it takes records from, no day is made twice, and the ledger keeps at
    most its small cache of days in memory — the sandbox never builds the whole period."""
    state = ledger.state(HEAVY_MSISDN)
    assert state is not None
    start = int(datetime(2026, 8, 1, tzinfo=UTC).timestamp())
    end = OCTOBER[1]
    w = window(ledger, state, start, end)
    assert w is not None
    ledger.opening(state, w.last)  # the day-totals cache, filled once (it is kept on disk)
    made = _days_made(monkeypatch)
    fresh = Ledger(ledger.store, ledger.clock, cached_days=4)
    after = None
    pages = records_seen = most_per_page = 0
    while True:
        before = len(made)
        picked, after = fresh.page(state, start, end, False, 10_000, after)
        pages += 1
        records_seen += len(picked)
        most_per_page = max(most_per_page, len(made) - before)
        assert len(fresh._days) <= 4  # the point: what stays in memory
        if after is None:
            break
    assert records_seen >= 300_000 and pages >= 30
    days = w.last - w.first + 1  # local (Moscow) days the UTC window touches
    assert len(made) == len(set(made)) == days, "each day of the window made once, no more"
    assert most_per_page <= 5, f"a page made {most_per_page} days"


def _days_made(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """The days the ledger generates from now on."""
    made: list[int] = []
    original = ledger_module.generate_day

    def counted(*args: object) -> object:
        made.append(args[2])  # type: ignore[arg-type]
        return original(*args)  # type: ignore[arg-type]

    monkeypatch.setattr(ledger_module, "generate_day", counted)
    return made
