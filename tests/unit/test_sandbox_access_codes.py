"""Access codes without HTTP: R2 (keyed hash only) and the R3 lockout state machine, including
a property test against a plain reference model."""

from __future__ import annotations

import hashlib
import hmac
import sqlite3
from collections.abc import Iterator
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from sandbox import access_codes as ac
from sandbox.store import ACCESS_CODE_KEY, Store
from sandbox.wire import utc_iso
from tests.support.pinned import WORLD_AT

MSISDN = "+79161234567"
T0 = 1_795_420_800  # 2026-11-23T08:00:00Z
DAY = 86400


@pytest.fixture(scope="module")
def store(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Store]:
    s = Store.open(tmp_path_factory.mktemp("codes") / "sandbox.sqlite3", 2026, now=WORLD_AT)
    yield s
    s.close()


@pytest.fixture
def conn(store: Store) -> Iterator[sqlite3.Connection]:
    """Each test in a transaction that is rolled back: the store stays clean."""
    with pytest.raises(_Rollback), store.write() as c:
        yield c
        raise _Rollback


class _Rollback(Exception):
    pass


@pytest.fixture(scope="module")
def key(store: Store) -> str:
    return str(store.get_meta(ACCESS_CODE_KEY))


def test_the_world_key_is_random_and_kept(store: Store, key: str, tmp_path: Path) -> None:
    assert len(bytes.fromhex(key)) == 32
    other = Store.open(tmp_path / "other.sqlite3", 2026, now=WORLD_AT)
    try:
        assert other.get_meta(ACCESS_CODE_KEY) != key  # per world file, not per seed
    finally:
        other.close()


def test_only_a_keyed_hash_is_stored(conn: sqlite3.Connection, key: str) -> None:
    row, code = ac.issue(conn, key, MSISDN, T0)
    assert len(code) == 6 and code.isdigit()
    (stored,) = conn.execute("SELECT code_hash FROM access_codes WHERE msisdn = ?",
                             (MSISDN,)).fetchone()
    assert stored == row.code_hash == hmac.new(bytes.fromhex(key), f"{MSISDN}:{code}".encode(),
                                               hashlib.sha256).hexdigest()
    assert code not in stored and stored != hashlib.sha256(code.encode()).hexdigest()
    assert ac.code_hash(key, "+79121234567", code) != stored  # bound to the number
    assert code in ac.sms_text(code) and "Электронному Помощнику" in ac.sms_text(code)


def test_codes_come_from_secrets() -> None:
    codes = {ac.new_code() for _ in range(200)}
    assert len(codes) > 190 and all(len(c) == 6 and c.isdigit() for c in codes)


def wrong(code: str) -> str:
    return f"{(int(code) + 1) % 10**6:06d}"


def test_lockout_walkthrough(conn: sqlite3.Connection, key: str) -> None:
    _, code = ac.issue(conn, key, MSISDN, T0)
    assert ac.state_body(ac.load(conn, MSISDN), T0)["attempts_left"] == 4
    assert ac.verify(conn, key, MSISDN, wrong(code), T0) == {"result": "wrong",
                                                             "attempts_left": 3}
    assert ac.verify(conn, key, MSISDN, code, T0) == {"result": "ok"}  # resets the count
    answers = [ac.verify(conn, key, MSISDN, wrong(code), T0 + i) for i in range(4)]
    assert [a.get("attempts_left") for a in answers[:3]] == [3, 2, 1]
    locked_until = "2026-11-24T08:00:03Z"  # 24 h after the 4th wrong entry
    assert answers[3] == {"result": "locked", "locked_until": locked_until}
    # While locked even the right code answers locked, and nothing counts or extends the lock.
    assert ac.verify(conn, key, MSISDN, code, T0 + DAY) == answers[3]
    state = ac.state_body(ac.load(conn, MSISDN), T0 + DAY)
    assert state == {"state": "locked", "issued_at": "2026-11-23T08:00:00Z",
                     "attempts_left": 0, "locked_until": locked_until,
                     "now": "2026-11-24T08:00:00Z"}  # 3 s of the lock left, by its clock
    # When it ends the same code works again, with a fresh count.
    end = T0 + 3 + DAY
    assert ac.state_body(ac.load(conn, MSISDN), end)["attempts_left"] == 4
    assert ac.verify(conn, key, MSISDN, wrong(code), end) == {"result": "wrong",
                                                              "attempts_left": 3}
    assert ac.verify(conn, key, MSISDN, code, end) == {"result": "ok"}


def test_a_new_code_replaces_the_old_but_keeps_count_and_lock(conn: sqlite3.Connection,
                                                              key: str) -> None:
    _, old = ac.issue(conn, key, MSISDN, T0)
    ac.verify(conn, key, MSISDN, wrong(old), T0)
    _, new = ac.issue(conn, key, MSISDN, T0 + 10)
    if new == old:  # one in a million: draw again so the test means something
        _, new = ac.issue(conn, key, MSISDN, T0 + 10)
    assert ac.verify(conn, key, MSISDN, old, T0 + 20) == {"result": "wrong",
                                                          "attempts_left": 2}
    for _ in range(2):
        ac.verify(conn, key, MSISDN, old, T0 + 20)
    assert ac.verify(conn, key, MSISDN, new, T0 + 30)["result"] == "locked"
    _, newer = ac.issue(conn, key, MSISDN, T0 + 40)  # allowed while locked, lock stays
    assert ac.state_body(ac.load(conn, MSISDN), T0 + 40)["state"] == "locked"
    assert ac.verify(conn, key, MSISDN, newer, T0 + 20 + DAY) == {"result": "ok"}


def test_no_code(conn: sqlite3.Connection, key: str) -> None:
    assert ac.verify(conn, key, MSISDN, "123456", T0) == {"result": "no_code"}
    assert ac.state_body(ac.load(conn, MSISDN), T0) == {
        "state": "none", "issued_at": None, "attempts_left": 4, "locked_until": None,
        "now": utc_iso(T0)}


class Model:
    """R3 as the source document says it, in the plainest terms."""

    def __init__(self) -> None:
        self.code: str | None = None
        self.fails = 0
        self.locked_until = -1

    def issue(self, code: str) -> None:
        self.code = code

    def enter(self, code: str, now: int) -> str:
        if now < self.locked_until:
            return "locked"
        if self.locked_until != -1:  # the lock is over: a fresh count
            self.locked_until, self.fails = -1, 0
        if self.code is None:
            return "no_code"
        if code == self.code:
            self.fails = 0
            return "ok"
        self.fails += 1
        if self.fails > 3:  # "more than 3 wrong entries"
            self.locked_until = now + 24 * 3600
            return "locked"
        return "wrong"


steps = st.lists(st.one_of(
    st.tuples(st.just("issue"), st.integers(0, 999_999)),
    st.tuples(st.just("right"), st.just(0)),
    st.tuples(st.just("wrong"), st.integers(0, 999_999)),
    st.tuples(st.just("wait"), st.integers(1, 30 * 3600)),
), max_size=40)


@settings(max_examples=150, deadline=None)
@given(steps)
def test_lockout_matches_the_rule(store: Store, key: str,
                                  script: list[tuple[str, int]]) -> None:
    model, now, code = Model(), T0, None
    msisdn = "+79121234567"
    with pytest.raises(_Rollback), store.write() as conn:
        for step, value in script:
            if step == "wait":
                now += value
                continue
            if step == "issue":
                _, code = ac.issue(conn, key, msisdn, now)
                model.issue(code)
                continue
            entry = code if step == "right" and code else f"{value:06d}"
            got = ac.verify(conn, key, msisdn, entry, now)
            assert got["result"] == model.enter(entry, now)
            if got["result"] == "wrong":
                assert got["attempts_left"] == 4 - model.fails >= 1
            state = ac.state_body(ac.load(conn, msisdn), now)
            assert state["state"] == ("locked" if now < model.locked_until else
                                      "active" if model.code else "none")
        raise _Rollback
