"""The idempotent-write runner and the stamped clock, without HTTP."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from pathlib import Path

import pytest

from sandbox.clock import Clock
from sandbox.errors import ApiError, refused
from sandbox.idempotency import Answer, Idempotency, Write, check_key, fingerprint
from sandbox.store import Store
from tests.support.pinned import WORLD_AT

NOW = 1_795_420_800  # 2026-11-23T08:00:00Z
KEY = "unit-key-0000000001"


class FakeTime:
    def __init__(self, t: float) -> None:
        self.t = t

    def __call__(self) -> float:
        return self.t


@pytest.fixture
def store(tmp_path: Path) -> Iterator[Store]:
    s = Store.open(tmp_path / "sandbox.sqlite3", 2026, now=WORLD_AT)
    yield s
    s.close()


@pytest.fixture
def runner(store: Store) -> Idempotency:
    return Idempotency(store, Clock(store, real_time=FakeTime(NOW + 0.5)))


def set_meta(w: Write, value: str) -> Answer:
    w.conn.execute("INSERT OR REPLACE INTO meta VALUES ('unit', ?)", (value,))
    return Answer(201, {"value": value})


def test_keys_are_checked() -> None:
    assert check_key("a" * 16) == "a" * 16
    for bad in (None, "short", "x" * 129, "has space in it!!", "кириллица-кириллица"):
        with pytest.raises(ApiError) as caught:
            check_key(bad)
        assert (caught.value.status, caught.value.code) == (400, "bad_request")


def test_fingerprint_is_canonical() -> None:
    assert fingerprint("POST", "/x", {"a": 1, "b": 2}) == fingerprint("POST", "/x", {"b": 2,
                                                                                     "a": 1})
    assert fingerprint("POST", "/x", {"a": 1}) != fingerprint("POST", "/x", {"a": 2})
    assert fingerprint("POST", "/x", {"a": 1}, if_match=1) != \
        fingerprint("POST", "/x", {"a": 1}, if_match=2)


def test_first_answer_is_stored_and_replayed_verbatim(store: Store,
                                                      runner: Idempotency) -> None:
    fp = fingerprint("POST", "/x", {"v": "one"})
    first = runner.run(KEY, fp, lambda w: set_meta(w, "one"))
    assert (first.status, first.replayed) == (201, False)
    again = runner.run(KEY, fp, lambda w: set_meta(w, "two"))  # never runs
    assert (again.status, again.text, again.replayed) == (201, first.text, True)
    assert store.get_meta("unit") == "one"
    with pytest.raises(ApiError) as caught:
        runner.run(KEY, fingerprint("POST", "/x", {"v": "two"}), lambda w: set_meta(w, "two"))
    assert (caught.value.status, caught.value.code) == (422, "idempotency_key_reused")


def test_a_refusal_is_stored_but_nothing_else(store: Store, runner: Idempotency) -> None:
    def refuse(w: Write) -> Answer:
        raise refused("R1", "no")

    first = runner.run(KEY, "fp", refuse)
    assert first.status == 422 and '"rule":"R1"' in first.text
    assert runner.run(KEY, "fp", lambda w: set_meta(w, "late")).text == first.text
    assert store.get_meta("unit") is None


def test_an_unexpected_error_rolls_back_and_stores_nothing(store: Store,
                                                           runner: Idempotency) -> None:
    def crash(w: Write) -> Answer:
        set_meta(w, "half")
        w.stamp()
        raise RuntimeError("disk on fire")

    with pytest.raises(RuntimeError):
        runner.run(KEY, "fp", crash)
    assert store.get_meta("unit") is None and runner.stored(KEY) is None
    assert runner.run(KEY, "fp", lambda w: set_meta(w, "whole")).replayed is False
    assert store.get_meta("unit") == "whole"


def test_a_duplicate_while_the_first_runs_gets_409(runner: Idempotency) -> None:
    inside, release = threading.Event(), threading.Event()
    results: list[object] = []

    def slow(w: Write) -> Answer:
        inside.set()
        assert release.wait(10)
        return set_meta(w, "slow")

    worker = threading.Thread(target=lambda: results.append(runner.run(KEY, "fp", slow)))
    worker.start()
    assert inside.wait(10)
    with pytest.raises(ApiError) as busy:
        runner.run(KEY, "fp", lambda w: set_meta(w, "dup"))
    assert (busy.value.status, busy.value.code) == (409, "request_in_progress")
    with pytest.raises(ApiError) as other:
        runner.run(KEY, "other-fp", lambda w: set_meta(w, "dup"))
    assert other.value.code == "idempotency_key_reused"
    release.set()
    worker.join(10)
    assert runner.run(KEY, "fp", lambda w: set_meta(w, "dup")).replayed is True


def test_after_commit_runs_once_and_only_after_a_commit(runner: Idempotency) -> None:
    delivered: list[str] = []

    def with_sms(w: Write) -> Answer:
        answer = set_meta(w, "sms")
        answer.after_commit = lambda: delivered.append("sms")
        return answer

    runner.run(KEY, "fp", with_sms)
    runner.run(KEY, "fp", with_sms)
    assert delivered == ["sms"]


def test_a_stamped_write_moves_the_clock_past_its_second(store: Store) -> None:
    real = FakeTime(NOW + 0.2)
    clock = Clock(store, real_time=real)
    stamps: list[int] = []

    def stamped(w: Write) -> Answer:
        stamps.append(w.stamp())
        assert clock.now() == stamps[-1]  # held at the write's second while it is open
        real.t += 2  # even if real time passes meanwhile
        assert clock.now() == stamps[-1]
        real.t -= 2
        return Answer(201, {})

    runner = Idempotency(store, clock)
    runner.run("stamp-key-00000001", "a", stamped)
    assert stamps == [NOW] and clock.now() == NOW + 1  # a read now sees the write
    runner.run("stamp-key-00000002", "b", stamped)  # a burst within one real second
    runner.run("stamp-key-00000003", "c", stamped)
    assert stamps == [NOW, NOW + 1, NOW + 2]
    assert clock.now() == NOW + 3 and clock.offset_s == 3
    assert Clock(store, real_time=real).now() == NOW + 3  # the floor is persisted
    real.t = NOW + 10.5  # real time catches up: no drift is left
    assert clock.now() == NOW + 10 and clock.offset_s == 0


def test_advance_moves_now_by_exactly_the_step_and_never_back(store: Store) -> None:
    real = FakeTime(NOW + 0.9)
    clock = Clock(store, real_time=real)
    with store.write() as conn:
        instant = clock.stamp(conn)
    clock.stamped(instant, committed=True)
    assert clock.now() == NOW + 1
    clock.advance(3600)
    assert clock.now() == NOW + 1 + 3600
    with pytest.raises(ValueError):
        clock.advance(-1)
    with pytest.raises(ValueError):
        clock.advance(400 * 86400)
    real.t = NOW + 5000.5
    assert clock.now() == NOW + 5000 + clock.offset_s >= NOW + 3601


def test_a_rolled_back_stamp_does_not_move_the_floor(store: Store) -> None:
    clock = Clock(store, real_time=FakeTime(NOW + 0.1))
    with pytest.raises(RuntimeError), store.write() as conn:
        instant = clock.stamp(conn)
        clock.stamped(instant, committed=False)
        raise RuntimeError
    assert clock.now() == NOW
    assert Clock(store, real_time=FakeTime(NOW + 0.1)).now() == NOW
