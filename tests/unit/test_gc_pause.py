"""The cyclic collector's pause while a detalization is built (app/services/gc_pause.py)."""

from __future__ import annotations

import gc
import threading

import pytest

from app.services.gc_pause import gc_paused


def test_paused_inside_and_back_on_after_even_on_an_error() -> None:
    assert gc.isenabled()
    with pytest.raises(RuntimeError), gc_paused():
        assert not gc.isenabled()
        raise RuntimeError("the order failed")
    assert gc.isenabled()


def test_nested_and_concurrent_pauses_end_with_the_last() -> None:
    entered, release = threading.Event(), threading.Event()

    def other_order() -> None:
        with gc_paused():
            entered.set()
            release.wait(5)

    thread = threading.Thread(target=other_order)
    with gc_paused():
        thread.start()
        entered.wait(5)
        with gc_paused():
            assert not gc.isenabled()
    assert not gc.isenabled()  # the other order still runs
    release.set()
    thread.join(5)
    assert gc.isenabled()


def test_a_collector_switched_off_before_stays_off() -> None:
    gc.disable()
    try:
        with gc_paused():
            pass
        assert not gc.isenabled()
    finally:
        gc.enable()
