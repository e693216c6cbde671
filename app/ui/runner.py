"""Long work off the Tk thread: run a function on a worker, get its answer back on the Tk thread.

Tk is not thread-safe, so workers never touch a widget. A finished job's future goes into a
queue; the Tk thread drains it with `after` polling (Porcupine's `run_in_thread` pattern) and
calls `on_done(result)` or `on_error(exception)` there. Polling runs only while jobs are pending,
so an idle console does not wake up 30 times a second.
"""

from __future__ import annotations

import contextlib
import queue
import tkinter as tk
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor
from typing import Any, TypeVar

T = TypeVar("T")

POLL_MS = 10  # only while jobs are pending; keeps Enter → card well under 100 ms

_Job = tuple[Future[Any], Callable[[Any], None], Callable[[BaseException], None]]


class BackgroundRunner:
    def __init__(self, root: tk.Misc, workers: int = 3, poll_ms: int = POLL_MS) -> None:
        self._root = root
        self._poll_ms = poll_ms
        self._executor = ThreadPoolExecutor(max_workers=workers, thread_name_prefix="salon-worker")
        self._finished: queue.SimpleQueue[_Job] = queue.SimpleQueue()
        self._pending = 0  # touched only on the Tk thread
        self._after_id: str | None = None
        self._closed = False

    def submit(
        self,
        fn: Callable[[], T],
        on_done: Callable[[T], None],
        on_error: Callable[[BaseException], None],
    ) -> Future[T]:
        """Run `fn()` on a worker; exactly one of the callbacks later runs on the Tk thread."""
        if self._closed:
            raise RuntimeError("the background runner has been shut down")
        future = self._executor.submit(fn)
        # add_done_callback runs on the worker: it only puts into the thread-safe queue.
        future.add_done_callback(lambda done: self._finished.put((done, on_done, on_error)))
        self._pending += 1
        self._schedule()
        return future

    @property
    def busy(self) -> bool:
        return self._pending > 0

    def shutdown(self) -> None:
        """Stop polling and drop jobs not yet started; running ones finish but report nothing."""
        self._closed = True
        if self._after_id is not None:
            with contextlib.suppress(tk.TclError):  # the root may already be destroyed
                self._root.after_cancel(self._after_id)
            self._after_id = None
        self._executor.shutdown(wait=False, cancel_futures=True)

    def _schedule(self) -> None:
        if self._after_id is None and not self._closed:
            self._after_id = self._root.after(self._poll_ms, self._drain)

    def _drain(self) -> None:
        self._after_id = None
        try:
            while True:
                try:
                    future, on_done, on_error = self._finished.get_nowait()
                except queue.Empty:
                    break
                self._pending -= 1
                if future.cancelled():
                    continue
                error = future.exception()
                # A callback that raises goes to Tk's report_callback_exception, like any
                # other Tk callback; the finally below keeps the queue draining.
                if error is not None:
                    on_error(error)
                else:
                    on_done(future.result())
        finally:
            if self._pending > 0:
                self._schedule()
