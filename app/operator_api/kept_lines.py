"""The line ids the client has found, by number, shared by every thread that uses the client.

A lookup asks for the card and the balances at once, each on its own thread, and both start
from the number's line id: on a number's first lookup, the first to need the id asks the
operator for it and the other waits for that answer instead of asking again
(app/operator_api/line_ids.py does the asking).
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from dataclasses import dataclass, field


@dataclass
class _Pending:
    """A lookup under way: its answer, once there, for every thread that waits on it."""

    done: threading.Event = field(default_factory=threading.Event)
    found: str | None = None
    error: BaseException | None = None


class KeptLines:
    def __init__(self) -> None:
        self._ids: dict[str, str] = {}
        self._pending: dict[str, _Pending] = {}
        self._lock = threading.Lock()

    def get(self, msisdn: str) -> str | None:
        with self._lock:
            return self._ids.get(msisdn)

    def find(self, msisdn: str, look_up: Callable[[], str]) -> str:
        """The kept id of `msisdn`, else `look_up()`'s (kept from then on). While one thread
        looks a number up, another that needs it waits for that answer (or its error): the
        waiting is bounded by the lookup's own deadline."""
        with self._lock:
            known = self._ids.get(msisdn)
            if known is not None:
                return known
            pending = self._pending.get(msisdn)
            mine = pending is None
            if pending is None:
                pending = self._pending[msisdn] = _Pending()
        if not mine:
            pending.done.wait()
            if pending.error is not None:
                raise pending.error
            assert pending.found is not None
            return pending.found
        try:
            found = look_up()
        except BaseException as error:
            with self._lock:
                del self._pending[msisdn]
            pending.error = error
            pending.done.set()
            raise
        with self._lock:
            self._ids[msisdn] = found
            del self._pending[msisdn]
        pending.found = found
        pending.done.set()
        return found

    def forget(self, msisdn: str, stale: str | None = None) -> None:
        """Drop the kept id of `msisdn` — only if it is still `stale`, when given (another
        thread may already have found the number's new line)."""
        with self._lock:
            if stale is None or self._ids.get(msisdn) == stale:
                self._ids.pop(msisdn, None)
