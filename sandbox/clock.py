"""The sandbox clock: real UTC time plus an offset kept in the sandbox database.

Everything in the sandbox asks this clock for "now", so that training and tests can move time
forward (an overdue promised payment, a lock that ends, a new month, an archive that expires)
without waiting. The clock only moves forward: records the clock has passed never change.

"Now" is whole seconds: a record is visible once its second is over (started_at < now), and a
balance `as_of` now sums exactly the visible records.

Writes that add records (an order's fee, a tariff change) are stamped with "now" and then move
the clock past that second (`stamp` / `stamped`), so that a read right after an order already
sees it. While such a write is in flight the clock does not pass its second, so no reader can
see the second without it and then again with it. Several stamped writes within one real
second each take a sandbox second: after a burst the clock runs a few seconds ahead of real
time (never back) until real time catches up. The floor is persisted with the write.
"""

from __future__ import annotations

import sqlite3
import threading
import time
from collections.abc import Callable
from datetime import UTC, datetime

from sandbox.store import Store

_OFFSET_KEY = "clock_offset_s"
_FLOOR_KEY = "clock_floor_s"
MAX_ADVANCE_S = 366 * 86400  # per call: a year at most, so the lazy caches stay reasonable


def wall_seconds() -> int:
    """Real time, whole seconds: the sandbox's one reading of the wall clock (a new world is
    drawn at it; `Clock` adds the persisted offset)."""
    return int(time.time())


class Clock:
    def __init__(self, store: Store, real_time: Callable[[], float] = time.time) -> None:
        self._store = store
        self._real_time = real_time
        self._lock = threading.Lock()
        self._advancing = threading.Lock()
        self._offset = int(store.get_meta(_OFFSET_KEY) or 0)
        self._floor = int(store.get_meta(_FLOOR_KEY) or 0)
        self._in_flight: int | None = None  # the second of the write being committed

    @property
    def offset_s(self) -> int:
        with self._lock:
            return self._now() - int(self._real_time())

    def now(self) -> int:
        """Seconds since the epoch, UTC."""
        with self._lock:
            return self._now()

    def _now(self) -> int:
        now = max(int(self._real_time()) + self._offset, self._floor)
        return now if self._in_flight is None else min(now, self._in_flight)

    def now_datetime(self) -> datetime:
        return datetime.fromtimestamp(self.now(), UTC)

    def advance(self, seconds: int) -> int:
        """Move "now" forward by exactly `seconds` (never back) and persist it; returns the new
        offset (now − real time)."""
        if seconds < 0:
            raise ValueError("the sandbox clock only moves forward")
        if seconds > MAX_ADVANCE_S:
            raise ValueError(f"the sandbox clock moves at most {MAX_ADVANCE_S} s at a time")
        # One advance at a time, and the database write outside the clock's lock: a write
        # transaction asks the clock for "now" while it holds the database.
        with self._advancing:
            with self._lock:
                real = int(self._real_time())
                offset = max(real + self._offset, self._floor) + seconds - real
            self._store.set_meta(_OFFSET_KEY, str(offset))
            with self._lock:
                self._offset = offset
            return offset

    # -- stamped writes -----------------------------------------------------------------------

    def stamp(self, conn: sqlite3.Connection) -> int:
        """Inside a write transaction (one writer at a time): the instant to stamp the write
        with. Persists the floor (that instant + 1) in the same transaction; call `stamped`
        after the transaction ends, committed or not."""
        with self._lock:
            instant = self._now()
            self._in_flight = instant
        conn.execute("INSERT INTO meta (key, value) VALUES (?, ?) ON CONFLICT (key) "
                     "DO UPDATE SET value = excluded.value", (_FLOOR_KEY, str(instant + 1)))
        return instant

    def stamped(self, instant: int, committed: bool) -> None:
        with self._lock:
            if committed:
                self._floor = max(self._floor, instant + 1)
            self._in_flight = None
