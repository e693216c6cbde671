"""Pausing CPython's cyclic garbage collector while a big report is built.

A heavy month is hundreds of thousands of long-lived objects (records, rows, cell texts). Each
time their number grows by a quarter CPython runs a full collection that walks all of them —
about 100 ms at a time on the counter's machine, holding the GIL, so the window's thread
stutters while the worker fetches (measured: ten such stalls in a 117,864-record order, and
nothing collected). Reference counting frees everything the order drops; the collector only
finds cycles, and there are none to speak of here, so it waits until the order is done.

Process-wide and nestable: the collector is switched back on when the last pause ends, and only
if it was on before the first one began.
"""

from __future__ import annotations

import gc
import threading
from collections.abc import Iterator
from contextlib import contextmanager

_lock = threading.Lock()
_depth = 0
_was_enabled = False


@contextmanager
def gc_paused() -> Iterator[None]:
    global _depth, _was_enabled
    with _lock:
        if _depth == 0:
            _was_enabled = gc.isenabled()
            gc.disable()
        _depth += 1
    try:
        yield
    finally:
        with _lock:
            _depth -= 1
            if _depth == 0 and _was_enabled:
                gc.enable()
