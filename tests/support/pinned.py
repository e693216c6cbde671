"""The fixed instants tests pin time to. A test that pins the clock computes every expectation
from these, never from the wall clock, so it passes on any day.

`WORLD_AT` is the UTC midnight the unit tests' demo world is drawn at (the same world every
run, whatever the date); a sandbox started on real time draws its world at its own "now".
"""

from __future__ import annotations

import time
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta

from app.clock import FixedClock
from sandbox.store import LEGACY_REFERENCE

WORLD_AT = LEGACY_REFERENCE  # 2026-11-22T00:00:00Z
PINNED = datetime(2026, 11, 23, 9, 0, tzinfo=UTC)  # the day after; 12:00 in Moscow


def pinned_clock(at: datetime = PINNED) -> FixedClock:
    return FixedClock(at)


class SequenceClock:
    """A clock that answers the next instant of `instants` each time it is asked (journal
    entries a second apart, say)."""

    def __init__(self, instants: Iterator[datetime]) -> None:
        self._instants = instants

    def now(self) -> datetime:
        return next(self._instants)


class Monotonic:
    """Seconds on a monotonic clock (durations: the idle lock), moved by the test."""

    def __init__(self) -> None:
        self.seconds = 1000.0

    def __call__(self) -> float:
        return self.seconds

    def advance(self, delta: timedelta) -> None:
        self.seconds += delta.total_seconds()


class RunningClock:
    """Time that starts at a pinned instant and then passes as real seconds do: a real
    sandbox (`start_in_background(..., real_time=clock.seconds)`) and the console's services
    run on it together, so a test that talks to a live world still knows its dates."""

    def __init__(self, start: datetime = PINNED) -> None:
        self._start = start
        self._t0 = time.monotonic()

    def now(self) -> datetime:
        return self._start + timedelta(seconds=time.monotonic() - self._t0)

    def seconds(self) -> float:
        return self.now().timestamp()
