"""Balances and usage pages over the generated records (TMF654 and TMF635 behind the API).

The identity every balance obeys (the detalization relies on it):

    main(T) = anchor + Σ top-ups − Σ charges of all records with started_at < T

Summing months of records per request would be slow (a heavy subscriber has ~3,700 a day), so
the sums of complete local days are cached in the store, computed lazily and in order from the
activation day: main(T) = closing of the day before T's day + the records of T's day before T.
The cache holds only days the clock has passed, and those never change, so it never goes stale:
an order changes the history only from its own instant, which is "now", inside today.
"""

from __future__ import annotations

import threading
from bisect import bisect_left, bisect_right
from collections import OrderedDict
from dataclasses import dataclass

from sandbox.catalog import TARIFFS_BY_CODE, Tariff
from sandbox.clock import Clock
from sandbox.entities import SubscriberState
from sandbox.localtime import day_of, day_start, month_start_day, next_month_start_day
from sandbox.regions import REGIONS_BY_CODE
from sandbox.store import Store
from sandbox.usage import DayRecords, generate_day, needs_opening, signed_amount

_FILL_BATCH = 64  # days per transaction while filling the cache


@dataclass(frozen=True)
class Package:
    kind: str  # minutes | sms | data
    remaining: int
    total: int
    unit: str  # min | sms | MB
    expires_at: int


@dataclass(frozen=True)
class Position:
    """Where a page ended: a record's local day and its sequence number within the day."""

    day: int
    seq: int


class Ledger:
    def __init__(self, store: Store, clock: Clock, cached_days: int = 32) -> None:
        self.store = store
        self.clock = clock
        self.seed = store.seed
        self._states: dict[str, SubscriberState] = {}
        self._days: OrderedDict[tuple[str, int, int], DayRecords] = OrderedDict()
        self._cached_days = cached_days
        self._lock = threading.Lock()  # guards the two in-memory caches
        self._fill_lock = threading.Lock()  # one cache fill at a time: no duplicate work

    # -- subscribers --------------------------------------------------------------------------

    def state(self, msisdn: str) -> SubscriberState | None:
        version = self.store.version(msisdn)
        if version is None:
            return None
        with self._lock:
            cached = self._states.get(msisdn)
        if cached is not None and cached.version == version:
            return cached
        state = self.store.load(msisdn)
        if state is not None:
            with self._lock:
                self._states[msisdn] = state
        return state

    @staticmethod
    def timezone(state: SubscriberState) -> str:
        return REGIONS_BY_CODE[state.region_code].timezone

    # -- days ---------------------------------------------------------------------------------

    def day_records(self, state: SubscriberState, day: int, cache: bool = True) -> DayRecords:
        """The records of a local day. `cache=False` for a state that is not committed yet (an
        order's transaction): its version number may yet be rolled back and reused."""
        key = (state.msisdn, state.version, day)
        with self._lock:
            found = self._days.get(key) if cache else None
            if found is not None:
                self._days.move_to_end(key)
                return found
        opening = None
        if needs_opening(state, day, self.timezone(state)):
            opening = self.opening(state, day)
        records = generate_day(self.seed, state, day, opening)
        if not cache:
            return records
        with self._lock:
            self._days[key] = records
            while len(self._days) > self._cached_days:
                self._days.popitem(last=False)
        return records

    def opening(self, state: SubscriberState, day: int) -> int:
        """The main balance at the start of local `day` (which the clock must have reached)."""
        tz = self.timezone(state)
        first = day_of(tz, state.activated_at)
        if day <= first:
            return state.anchor_kop
        if day_start(tz, day) > self.clock.now():
            raise ValueError("the sandbox clock has not reached that day yet")
        cached = self.store.last_day_total(state.msisdn, day)
        if cached is None or cached[0] != day - 1:
            self._fill(state, first, day - 1)
            cached = self.store.last_day_total(state.msisdn, day)
        if cached is None or cached[0] != day - 1:
            raise RuntimeError(f"day totals of {state.msisdn} are not contiguous")
        return cached[1]

    def _fill(self, state: SubscriberState, first: int, through: int) -> None:
        if self.store.in_transaction():
            # Inside a write (which holds the database's one writer slot): another thread's fill
            # may be waiting for that slot while holding the fill lock, so do not wait for it.
            # Rows are a pure function of the past, so filling twice writes the same values.
            self._fill_unlocked(state, first, through)
            return
        with self._fill_lock:
            self._fill_unlocked(state, first, through)

    def _fill_unlocked(self, state: SubscriberState, first: int, through: int) -> None:
        last = self.store.last_day_total(state.msisdn, through + 1)
        if last is not None and last[0] == through:
            return  # another thread filled it meanwhile
        day, closing = (last[0] + 1, last[1]) if last else (first, state.anchor_kop)
        rows = []
        while day <= through:
            rec = generate_day(self.seed, state, day, closing)
            closing += rec.net_kop
            rows.append((day, rec.net_kop, closing, rec.covered_min, rec.covered_sms,
                         rec.covered_kb, len(rec.records)))
            if len(rows) >= _FILL_BATCH:
                self.store.add_day_totals(state.msisdn, rows)
                rows = []
            day += 1
        self.store.add_day_totals(state.msisdn, rows)

    # -- balances -----------------------------------------------------------------------------

    def main_at(self, state: SubscriberState, instant: int, cache: bool = True) -> int:
        """The main balance in kopecks just before `instant` (records with started_at < it)."""
        if instant <= state.activated_at:
            return state.anchor_kop
        day = day_of(self.timezone(state), instant)
        records = self.day_records(state, day, cache)
        upto = bisect_left(records.times, instant)
        return self.opening(state, day) + sum(map(signed_amount, records.records[:upto]))

    def main_through(self, state: SubscriberState, instant: int, cache: bool = True) -> int:
        """The main balance just after second `instant` (records with started_at <= it): what
        an order stamped `instant` leaves, its fee included."""
        if instant < state.activated_at:
            return state.anchor_kop
        day = day_of(self.timezone(state), instant)
        records = self.day_records(state, day, cache)
        upto = bisect_right(records.times, instant)
        return self.opening(state, day) + sum(map(signed_amount, records.records[:upto]))

    def package_tariff(self, state: SubscriberState, instant: int) -> Tariff:
        """The tariff whose packages run at `instant`: the one of its local day's start (a
        switch during the day changes the packages from the next day)."""
        tz = self.timezone(state)
        day = day_of(tz, max(instant, state.activated_at))
        return TARIFFS_BY_CODE[state.tariff_code_at(day_start(tz, day))]

    def packages_at(self, state: SubscriberState, instant: int) -> list[Package]:
        """What is left of the month's packages (minutes, SMS, MB) just before `instant`."""
        tz = self.timezone(state)
        day = day_of(tz, max(instant, state.activated_at))
        tariff = self.package_tariff(state, instant)
        if not (tariff.package_minutes or tariff.package_sms or tariff.package_mb):
            return []
        self.opening(state, day)  # makes sure the cache holds every earlier day of the month
        used_min, used_sms, used_kb = self.store.covered_sums(
            state.msisdn, month_start_day(day), day)
        records = self.day_records(state, day)
        for rec in records.records[:bisect_left(records.times, instant)]:
            covered = rec[7]
            if covered == "minutes":
                used_min += ((rec[4] or 0) + 59) // 60  # covered minutes: a call's duration
            elif covered == "sms":
                used_sms += 1
            elif covered == "data":
                used_kb += rec[5] or 0
        expires = day_start(tz, next_month_start_day(day))
        packages = []
        if tariff.package_minutes:
            packages.append(Package("minutes", max(0, tariff.package_minutes - used_min),
                                    tariff.package_minutes, "min", expires))
        if tariff.package_sms:
            packages.append(Package("sms", max(0, tariff.package_sms - used_sms),
                                    tariff.package_sms, "sms", expires))
        if tariff.package_mb:
            left_kb = max(0, tariff.package_mb * 1024 - used_kb)
            packages.append(Package("data", left_kb // 1024, tariff.package_mb, "MB", expires))
        return packages

    @staticmethod
    def debt_at(state: SubscriberState, instant: int) -> tuple[int, int] | None:
        """Promised-payment debt (kopecks, earliest due instant) just before `instant`."""
        owed = [p for p in state.promised
                if p.taken_at < instant and (p.repaid_at is None or p.repaid_at >= instant)]
        if not owed:
            return None
        return sum(p.amount_kop for p in owed), min(p.due_at for p in owed)

    # -- usage pages --------------------------------------------------------------------------

    def page(self, state: SubscriberState, start: int, end: int, descending: bool, limit: int,
             after: Position | None) -> tuple[list[tuple[DayRecords, int]], Position | None]:
        """Up to `limit` records with start <= started_at < min(end, now), oldest or newest
        first, strictly after `after`; and where the next page starts, if there is one."""
        end = min(end, self.clock.now())
        start = max(start, state.activated_at)
        if start >= end:
            return [], None
        tz = self.timezone(state)
        first, last = day_of(tz, start), day_of(tz, end - 1)
        picked: list[tuple[DayRecords, int]] = []
        day = (after.day if after else last) if descending else (after.day if after else first)
        while first <= day <= last and len(picked) <= limit:
            records = self.day_records(state, day)
            lo = bisect_left(records.times, start)
            hi = bisect_left(records.times, end)
            if descending:
                if after is not None and day == after.day:
                    hi = min(hi, after.seq - 1)
                picked.extend((records, i) for i in range(hi - 1, lo - 1, -1))
                day -= 1
            else:
                if after is not None and day == after.day:
                    lo = max(lo, after.seq)
                picked.extend((records, i) for i in range(lo, hi))
                day += 1
        if len(picked) <= limit:
            return picked, None
        del picked[limit:]
        records, index = picked[-1]
        return picked, Position(records.day, index + 1)

