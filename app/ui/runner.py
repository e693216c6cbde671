"""Long work off the Tk thread: run a function on a worker, get its answer back on the Tk thread.

Tk is not thread-safe, so workers never touch a widget. A finished job's future goes into a
queue, and the Tk thread drains it and calls `on_done(result)` or `on_error(exception)` there.
On POSIX the worker wakes the Tk thread at once through a pipe Tk watches (a file handler:
Tcl's own event loop wakes on it, no Tcl call from the worker), so an answer is on screen the
moment it came (Enter → card within 50 ms, DESIGN §9), and an idle console never wakes. Where
Tk has no file handlers (Windows) the Tk thread polls with `after` while jobs are pending
(Porcupine's `run_in_thread` pattern).
"""

from __future__ import annotations

import contextlib
import os
import queue
import threading
import tkinter as tk
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor
from typing import Any, TypeVar

T = TypeVar("T")

POLL_MS = 10  # without a wake-up pipe, only while jobs are pending

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
        # The wake-up pipe: (read end, write end); the lock keeps a worker from writing to a
        # descriptor that shutdown has closed (and the system may have given to a file since).
        self._wake: tuple[int, int] | None = None
        self._wake_lock = threading.Lock()
        if os.name == "posix" and hasattr(root.tk, "createfilehandler"):
            read_end, write_end = os.pipe()
            os.set_blocking(read_end, False)
            os.set_blocking(write_end, False)
            root.tk.createfilehandler(read_end, tk.READABLE, self._woken)
            self._wake = (read_end, write_end)

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
        # add_done_callback runs on the worker: it only puts into the thread-safe queue (and
        # wakes the Tk thread).
        future.add_done_callback(lambda done: self._finish(done, on_done, on_error))
        self._pending += 1
        self._schedule()
        return future

    @property
    def busy(self) -> bool:
        return self._pending > 0

    def shutdown(self) -> None:
        """Stop polling and drop jobs not yet started; running ones finish but report nothing."""
        self._closed = True
        with self._wake_lock:
            if self._wake is not None:
                with contextlib.suppress(tk.TclError):  # the root may already be destroyed
                    self._root.tk.deletefilehandler(self._wake[0])
                for end in self._wake:
                    os.close(end)
                self._wake = None
        if self._after_id is not None:
            with contextlib.suppress(tk.TclError):  # the root may already be destroyed
                self._root.after_cancel(self._after_id)
            self._after_id = None
        self._executor.shutdown(wait=False, cancel_futures=True)

    def _finish(self, future: Future[Any], on_done: Callable[[Any], None],
                on_error: Callable[[BaseException], None]) -> None:
        """On the worker: the answer into the queue, and the Tk thread woken for it."""
        self._finished.put((future, on_done, on_error))
        with self._wake_lock:
            if self._wake is not None:
                # A full pipe already holds a wake-up: the Tk thread drains every answer.
                with contextlib.suppress(BlockingIOError):
                    os.write(self._wake[1], b"!")

    def _woken(self, read_end: int, _mask: int) -> None:
        with contextlib.suppress(BlockingIOError):
            while os.read(read_end, 4096):
                pass
        # Drained on the loop's next turn through `after`, whose wrapper hands a callback's
        # error to report_callback_exception (a file handler's would end the event loop).
        if not self._closed and self._after_id is None:
            self._after_id = self._root.after(0, self._drain)

    def _schedule(self) -> None:
        if self._after_id is not None or self._closed:
            return
        if self._wake is None:
            self._after_id = self._root.after(self._poll_ms, self._drain)
        elif not self._finished.empty():  # left by a callback that raised: on the next turn
            self._after_id = self._root.after(0, self._drain)
        # else the pipe wakes the Tk thread when an answer comes

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
