"""Whether the operator API answered last time: the online/offline indicator's source.

Written by worker threads, read by the Tk thread's periodic poll; a lock keeps the pair
(online, changed_at) consistent.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass
from datetime import datetime

from app.clock import Clock


@dataclass(frozen=True)
class ConnectionSnapshot:
    online: bool | None  # None until the first answer or failure
    changed_at: datetime | None
    reason: str | None  # the last failure, as a clerk's sentence


class ConnectionState:
    def __init__(self, clock: Clock) -> None:
        self._clock = clock
        self._lock = threading.Lock()
        self._snapshot = ConnectionSnapshot(None, None, None)

    def mark_online(self) -> None:
        self._set(True, None)

    def mark_offline(self, reason: str) -> None:
        self._set(False, reason)

    def snapshot(self) -> ConnectionSnapshot:
        with self._lock:
            return self._snapshot

    def _set(self, online: bool, reason: str | None) -> None:
        with self._lock:
            changed = self._snapshot.online != online
            changed_at = self._clock.now() if changed else self._snapshot.changed_at
            self._snapshot = ConnectionSnapshot(online, changed_at, reason)
