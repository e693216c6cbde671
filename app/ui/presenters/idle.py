"""The idle lock's clock: when the clerk last touched the keyboard or mouse, and whether the
salon.ini `idle_lock_minutes` have passed since (0 = never). The window asks once a second."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, timedelta


class IdleWatch:
    def __init__(self, minutes: int, clock: Callable[[], datetime]) -> None:
        self.minutes = minutes
        self._clock = clock
        self._last = clock()

    def touch(self) -> None:
        """Input from the clerk: the idle time starts again."""
        self._last = self._clock()

    def idle_for(self) -> timedelta:
        return max(timedelta(0), self._clock() - self._last)

    def due(self) -> bool:
        return self.minutes > 0 and self.idle_for() >= timedelta(minutes=self.minutes)
