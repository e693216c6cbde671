"""The console's one clock: the only place that reads the wall clock for business time.

`app/main.py` builds one and hands it to every service, the outbox pump, retention, periodic
delivery, the window and the command line; no constructor has a default, so a part built
without it is a type error, not a quiet read of the wall clock.

- `SystemClock`: the wall clock (a real operator's world).
- `MovableClock`: another clock plus an offset that only grows: the training world's clock.
  The sandbox's clock can be moved forward (+1 h, +24 h) to watch a lock end or a document
  expire; the console follows it, so detalization "today", archive expiry, retention and
  periodic delivery move with it.
- `FixedClock`: a pinned instant, moved only by hand: tests and benchmarks.

Every instant is timezone-aware UTC; the screen converts to the number's home region. Durations
(timeouts, polling) are not business time and use `time.monotonic` where they are measured.
"""

from __future__ import annotations

import threading
from datetime import UTC, datetime, timedelta
from typing import Protocol


class Clock(Protocol):
    def now(self) -> datetime:
        """The current instant, timezone-aware, in UTC."""
        ...


class SystemClock:
    """The wall clock."""

    def now(self) -> datetime:
        return datetime.now(UTC)


class MovableClock:
    """`base` plus an offset that only moves forward (the training sandbox's clock)."""

    def __init__(self, base: Clock, offset: timedelta = timedelta(0)) -> None:
        self._base = base
        self._offset = offset
        self._lock = threading.Lock()

    def now(self) -> datetime:
        # Whole seconds, as the sandbox's own clock counts: the console is never a fraction
        # of a second ahead of the world it asks about ("today" up to now).
        with self._lock:
            offset = self._offset
        return (self._base.now() + offset).replace(microsecond=0)

    @property
    def offset(self) -> timedelta:
        with self._lock:
            return self._offset

    def follow(self, offset: timedelta) -> None:
        """Take the offset the world's clock reports; a smaller one is ignored, so the
        console's "now" never goes back (the sandbox's never does either)."""
        with self._lock:
            self._offset = max(self._offset, offset)

    def advance(self, delta: timedelta) -> None:
        if delta < timedelta(0):
            raise ValueError("the clock only moves forward")
        with self._lock:
            self._offset += delta


class FixedClock:
    """A pinned instant that moves only when told to."""

    def __init__(self, at: datetime) -> None:
        self._at = _utc(at)
        self._lock = threading.Lock()

    def now(self) -> datetime:
        with self._lock:
            return self._at

    def set(self, at: datetime) -> None:
        with self._lock:
            self._at = _utc(at)

    def advance(self, delta: timedelta) -> None:
        with self._lock:
            self._at += delta


def _utc(at: datetime) -> datetime:
    if at.tzinfo is None:
        raise ValueError("a clock's instant must be timezone-aware")
    return at.astimezone(UTC)
