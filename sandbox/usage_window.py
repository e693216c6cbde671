"""A line's usage records in a time window, counted and sliced by offset without generating the
days a page skips.

A heavy subscriber has ~118,000 records a month, so neither the count (`X-Total-Count`) nor a
page at a large offset may make the month: the day-totals cache (`Ledger`, `Store.day_totals`)
knows how many records each passed local day has, so whole days inside the window are counted
from it; only the window's first and last day (and today, never cached) are generated to cut
them at the window's bounds. A page then generates just the days it takes records from.
"""

from __future__ import annotations

from bisect import bisect_left
from collections.abc import Iterator
from dataclasses import dataclass

from sandbox.entities import SubscriberState
from sandbox.ledger import Ledger
from sandbox.localtime import day_of
from sandbox.usage import DayRecords


@dataclass(frozen=True)
class Window:
    state: SubscriberState
    start: int  # the records with start <= started_at < end (end never past "now")
    end: int
    first: int  # local days of start and end − 1
    last: int


def window(ledger: Ledger, state: SubscriberState, start: int, end: int) -> Window | None:
    """The part of [start, end) where the line can have records (after activation, before
    now); None if there is none."""
    start = max(start, state.activated_at)
    end = min(end, ledger.clock.now())
    if start >= end:
        return None
    tz = ledger.timezone(state)
    return Window(state, start, end, day_of(tz, start), day_of(tz, end - 1))


def day_sizes(ledger: Ledger, w: Window) -> Iterator[tuple[int, int]]:
    """(local day, how many of its records are in the window), day by day, lazily."""
    cached: dict[int, int] = {}
    if w.last - w.first >= 2:
        ledger.opening(w.state, w.last)  # fills the day-totals cache through the day before
        cached = ledger.store.day_record_counts(w.state.msisdn, w.first + 1, w.last - 1)
    for day in range(w.first, w.last + 1):
        if day in cached:  # a whole passed day inside the window
            yield day, cached[day]
        else:
            lo, hi = _bounds(ledger.day_records(w.state, day), w)
            yield day, hi - lo


def count(ledger: Ledger, w: Window) -> int:
    return sum(size for _day, size in day_sizes(ledger, w))


def records(ledger: Ledger, w: Window, offset: int,
            limit: int) -> list[tuple[DayRecords, int]]:
    """The window's records [offset, offset + limit), oldest first, as (day, index)."""
    picked: list[tuple[DayRecords, int]] = []
    if limit <= 0:
        return picked
    for day, size in day_sizes(ledger, w):
        if offset >= size:
            offset -= size
            continue
        day_records = ledger.day_records(w.state, day)
        lo, hi = _bounds(day_records, w)
        for index in range(lo + offset, hi):
            picked.append((day_records, index))
            if len(picked) == limit:
                return picked
        offset = 0
    return picked


def scan(ledger: Ledger, w: Window) -> Iterator[tuple[DayRecords, int]]:
    """Every record of the window, oldest first (for filters only a record can answer)."""
    for day in range(w.first, w.last + 1):
        day_records = ledger.day_records(w.state, day)
        lo, hi = _bounds(day_records, w)
        for index in range(lo, hi):
            yield day_records, index


def _bounds(day_records: DayRecords, w: Window) -> tuple[int, int]:
    return bisect_left(day_records.times, w.start), bisect_left(day_records.times, w.end)
