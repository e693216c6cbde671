"""The idle lock's clock: when the clerk last touched the keyboard or mouse, and whether the
salon.ini `idle_lock_minutes` have passed since (0 = never). The window asks once a second.

Idle time is a duration, not business time: it is measured on a monotonic clock, so moving the
training world's clock forward (+24 h) or setting the system clock does not lock the counter.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta


class IdleWatch:
    def __init__(self, minutes: int, monotonic: Callable[[], float]) -> None:
        self.minutes = minutes
        self._monotonic = monotonic
        self._last = monotonic()

    def touch(self) -> None:
        """Input from the clerk: the idle time starts again."""
        self._last = self._monotonic()

    def idle_for(self) -> timedelta:
        return timedelta(seconds=max(0.0, self._monotonic() - self._last))

    def due(self) -> bool:
        return self.minutes > 0 and self.idle_for() >= timedelta(minutes=self.minutes)
