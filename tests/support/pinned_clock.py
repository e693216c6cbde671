"""A pinned clock that both kinds of service take while the console moves to app.clock: a
`Clock` (`.now()`) and the older callable (`clock()`)."""

from __future__ import annotations

from datetime import datetime

from app.clock import FixedClock


class PinnedClock(FixedClock):
    def __call__(self) -> datetime:
        return self.now()
