"""The outbox pump: a daemon thread that sends queued orders when the operator answers again.

Each pass first returns rows a crashed sender left `sending` to the queue (their lease ran
out, or their process on this machine is gone), then sends what is due: per subscriber only
the oldest pending row, so a subscriber's later orders wait while an earlier one is pending
and go out in the order they were made. Every row it finishes (done, rejected, cancelled)
goes to the subscribed listeners — on the pump's thread (the window marshals it to Tk).

It polls every few seconds, sooner when a row falls due, and at once when woken (a submit or
a "queue it" decision). It never runs on the window's thread.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from datetime import datetime
from typing import Protocol

from app.clock import Clock
from app.services.outbox_delivery import Delivery
from app.services.outbox_owner import gone, this_process
from models.orders import OutboxItem

log = logging.getLogger(__name__)
Listener = Callable[[OutboxItem], None]
_MAX_ROUNDS = 1000  # a pass ends when nothing moves; this only bounds a runaway


class PumpStore(Protocol):
    def recover(self, now: datetime, owner_gone: Callable[[str], bool]) -> int: ...

    def due_heads(self, now: datetime) -> list[OutboxItem]: ...

    def claim(self, item_id: int, now: datetime, lease_until: datetime,
              owner: str) -> OutboxItem | None: ...

    def next_due(self) -> datetime | None: ...


class OutboxPump:
    def __init__(
        self,
        store: PumpStore,
        delivery: Delivery,
        *,
        clock: Clock,
        interval: float = 5.0,
        owner: str | None = None,
        owner_gone: Callable[[str], bool] = gone,
        on_thread_exit: Callable[[], None] | None = None,
    ) -> None:
        self._store = store
        self._delivery = delivery
        self._clock = clock
        self._interval = interval
        self._owner = owner or this_process()
        self._owner_gone = owner_gone
        self._on_thread_exit = on_thread_exit
        self._listeners: list[Listener] = []
        self._listeners_lock = threading.Lock()
        self._wake = threading.Event()
        self._stopping = threading.Event()
        self._thread: threading.Thread | None = None

    # -- the thread ---------------------------------------------------------------------------

    def start(self) -> None:
        if self._thread is not None and self._thread.is_alive():
            return
        self._stopping.clear()
        self._thread = threading.Thread(target=self._run, name="outbox-pump", daemon=True)
        self._thread.start()

    def stop(self, timeout: float = 5.0) -> None:
        """Ask the thread to end and wait a little. A send in flight is not interrupted: if
        the process ends first, the row stays `sending` and the next start recovers it."""
        self._stopping.set()
        self._wake.set()
        thread, self._thread = self._thread, None
        if thread is not None and thread is not threading.current_thread():
            thread.join(timeout)

    def wake(self) -> None:
        self._wake.set()

    @property
    def running(self) -> bool:
        return self._thread is not None and self._thread.is_alive()

    def subscribe(self, listener: Listener) -> None:
        with self._listeners_lock:
            self._listeners.append(listener)

    def _run(self) -> None:
        try:
            while not self._stopping.is_set():
                try:
                    self.run_once()
                except Exception:  # a bug or a store failure: log it, keep the pump alive
                    log.exception("outbox pump pass failed")
                self._wake.wait(self._sleep_seconds())
                self._wake.clear()
        finally:
            if self._on_thread_exit is not None:
                self._on_thread_exit()

    def _sleep_seconds(self) -> float:
        try:
            due = self._store.next_due()
        except Exception:
            log.exception("outbox pump: cannot read the next due time")
            return self._interval
        if due is None:
            return self._interval
        return max(0.05, min(self._interval, (due - self._clock.now()).total_seconds()))

    # -- passes -------------------------------------------------------------------------------

    def run_once(self) -> list[OutboxItem]:
        """One pass: recover crashed sends, then send everything due, in order per
        subscriber. Returns the rows that reached a final state."""
        return self._pass(None)

    def run_for(self, msisdn: str) -> list[OutboxItem]:
        """A pass over one subscriber's due rows, on the caller's thread (a submit that must
        let this subscriber's earlier orders go first); the listeners hear what it finishes
        on that thread."""
        return self._pass(msisdn)

    def _pass(self, msisdn: str | None) -> list[OutboxItem]:
        # No lock: every claim is a compare-and-set, so passes (this thread's, a submit's,
        # another counter's) never send one row twice; none waits for another.
        finished: list[OutboxItem] = []
        self._store.recover(self._clock.now(), self._owner_gone)
        for _round in range(_MAX_ROUNDS):
            moved = False
            for head in self._store.due_heads(self._clock.now()):
                if self._stopping.is_set() and msisdn is None:
                    return self._notify(finished)
                if msisdn is not None and head.request.msisdn != msisdn:
                    continue
                now = self._clock.now()
                claimed = self._store.claim(head.id, now, now + self._delivery.timing.lease,
                                            self._owner)
                if claimed is None:  # another sender has it, or it is not its turn
                    continue
                delivered = self._delivery.deliver(claimed)
                if not delivered.item.pending:
                    finished.append(delivered.item)
                    moved = True  # the subscriber's next row may be due now
            if not moved:
                break
        return self._notify(finished)

    def _notify(self, finished: list[OutboxItem]) -> list[OutboxItem]:
        with self._listeners_lock:
            listeners = list(self._listeners)
        for item in finished:
            for listener in listeners:
                try:
                    listener(item)
                except Exception:
                    log.exception("outbox listener failed on #%s", item.id)
        return finished
