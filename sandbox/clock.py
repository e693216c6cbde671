"""The sandbox clock: real UTC time plus an offset kept in the sandbox database.

Everything in the sandbox asks this clock for "now", so that training and tests can move time
forward (an overdue promised payment, a lock that ends, a new month) without waiting. The clock
only moves forward: records the clock has passed never change.

"Now" is whole seconds: a record is visible once its second is over (started_at < now), and a
balance `as_of` now sums exactly the visible records.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from datetime import UTC, datetime

from sandbox.store import Store

_OFFSET_KEY = "clock_offset_s"


class Clock:
    def __init__(self, store: Store, real_time: Callable[[], float] = time.time) -> None:
        self._store = store
        self._real_time = real_time
        self._lock = threading.Lock()
        self._offset = int(store.get_meta(_OFFSET_KEY) or 0)

    @property
    def offset_s(self) -> int:
        return self._offset

    def now(self) -> int:
        """Seconds since the epoch, UTC."""
        return int(self._real_time()) + self._offset

    def now_datetime(self) -> datetime:
        return datetime.fromtimestamp(self.now(), UTC)

    def advance(self, seconds: int) -> int:
        """Move the clock forward (never back) and persist it; returns the new offset."""
        if seconds < 0:
            raise ValueError("the sandbox clock only moves forward")
        with self._lock:
            self._offset += seconds
            self._store.set_meta(_OFFSET_KEY, str(self._offset))
            return self._offset
