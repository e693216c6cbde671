"""R3 through the console's AccessCodeService and OperatorClient against the REAL sandbox over
loopback (the x-salon `accessCode` extension by the line's TMF637 id; the codes read from the
phone's TMF681 messages), on its movable clock: a hypothesis state machine of issue / the
right code / a wrong code / the replaced code / a malformed entry / moving the clock, checked
against a model of R3 after every step; 50 parallel wrong guesses; and offline — the sandbox
stopped — refused with nothing written to the outbox."""

from __future__ import annotations

import re
import threading
from collections import Counter
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.stateful import (
    RuleBasedStateMachine,
    initialize,
    invariant,
    precondition,
    rule,
    run_state_machine_as_test,
)

from app.clock import MovableClock, SystemClock
from app.errors import InputError, OperatorUnavailable
from app.operator_api.client import OperatorClient
from app.services.access_codes import AccessCodeService
from app.services.connection import ConnectionState
from app.services.training_world import TrainingWorld
from models.access_codes import LOCK_HOURS, MAX_ENTRIES, CodeStatus, VerifyOutcome
from models.audit_seal import JournalSeal
from models.domain import ClerkRole, Session, SubscriberStatus, TariffClass
from sandbox.server import RunningSandbox, start_in_background
from tests.support.identity import IDENTIFIED

TOKEN = "lockout-test-token"
CLERK = Session("anna", "Анна Соколова", ClerkRole.CLERK, datetime(2026, 11, 23, tzinfo=UTC))
LOCK = timedelta(hours=LOCK_HOURS)
GREY = timedelta(seconds=30)  # real time passes too: never model a step this close to a lock's end


class ListJournal:
    def __init__(self) -> None:
        self.entries: list[tuple[str, str, str]] = []
        self._lock = threading.Lock()

    def record(self, clerk: str, action: str, result: str = "done", *, subscriber: str = "",
               detail: str = "", reason: str = "") -> None:
        with self._lock:
            self.entries.append((str(action), str(result), reason))


class Steps:
    """How much of the machine the examples walked."""

    def __init__(self) -> None:
        self.value = 0
        self.seen: Counter[str] = Counter()


@pytest.fixture(scope="module")
def sandbox(tmp_path_factory: pytest.TempPathFactory) -> Iterator[RunningSandbox]:
    with start_in_background(tmp_path_factory.mktemp("lockout") / "sandbox.sqlite3", 2026,
                             TOKEN) as running:
        yield running


@pytest.fixture(scope="module")
def client(sandbox: RunningSandbox) -> Iterator[OperatorClient]:
    client = OperatorClient(sandbox.url, TOKEN, clock=SystemClock(), sleep=lambda _s: None)
    yield client
    client.close()


@pytest.fixture(scope="module")
def people(client: OperatorClient) -> Iterator[str]:
    """Mass-tariff subscribers with the Assistant, one per test that needs a fresh one."""
    return iter([d.msisdn for d in client.demo_subscribers()
                 if d.assistant_connected and d.status is SubscriberStatus.ACTIVE
                 and d.tariff_class is TariffClass.MASS and not d.heavy])


def code_of(world: TrainingWorld, msisdn: str) -> str:
    text = world.sms(msisdn)[0].text
    (code,) = re.findall(r"(?<!\d)\d{6}(?!\d)", text)
    return code


def other_than(code: str, shift: int = 500_000) -> str:
    """A wrong code: `code` moved by 1..999,999 (never by a whole turn, which is the code)."""
    offset = 1 + (shift - 1) % (10**6 - 1)
    return f"{(int(code) + offset) % 10**6:06d}"


def test_the_lockout_state_machine(client: OperatorClient, people: Iterator[str]) -> None:
    """R3 precisely (resources/operator-api.md): 4 entries with a fresh count; the 4th
    consecutive wrong one locks for 24 hours of the sandbox clock; while locked every entry,
    the right code too, answers locked with the same end and is not counted; after the lock
    the count is fresh and the same code works; a new code replaces the old one and keeps the
    count and the lock; a malformed entry is never sent."""
    msisdn = next(people)
    clock = MovableClock(SystemClock())  # the console follows the training world's clock
    world = TrainingWorld(client, clock)
    world.clock()
    codes = AccessCodeService(client, journal=ListJournal(), identity=IDENTIFIED)
    steps = Steps()

    class Lockout(RuleBasedStateMachine):
        @initialize()
        def fresh(self) -> None:
            """Whatever the last example left: wait out a lock, then a new code and a right
            entry give a fresh count."""
            state = codes.state(CLERK, msisdn)
            if state.locked and state.locked_until is not None:
                world.advance(int((state.locked_until - state.as_of).total_seconds()) + 2)
            codes.issue(CLERK, msisdn)
            self.code = code_of(world, msisdn)
            self.old: str | None = None
            assert codes.verify(CLERK, msisdn, self.code).outcome is VerifyOutcome.OK
            self.failures = 0
            self.locked_until: datetime | None = None

        def _wrong_entry(self, entry: str) -> None:
            before = world.clock().now
            result = codes.verify(CLERK, msisdn, entry)
            after = world.clock().now
            if self.locked_until is not None:  # not counted, not extended
                assert result.outcome is VerifyOutcome.LOCKED
                assert result.locked_until == self.locked_until
                return
            self.failures += 1
            if self.failures >= MAX_ENTRIES:
                assert result.outcome is VerifyOutcome.LOCKED
                assert result.locked_until is not None
                assert before + LOCK - timedelta(seconds=2) <= result.locked_until \
                    <= after + LOCK + timedelta(seconds=2)
                self.locked_until = result.locked_until
                steps.seen["locked"] += 1
            else:
                assert result.outcome is VerifyOutcome.WRONG
                assert result.attempts_left == MAX_ENTRIES - self.failures

        @rule()
        def issue(self) -> None:
            state = codes.issue(CLERK, msisdn)
            self.old, self.code = self.code, code_of(world, msisdn)
            assert state.locked == (self.locked_until is not None)  # a new code keeps a lock
            steps.seen["issued while locked" if state.locked else "issued"] += 1
            if self.locked_until is None:
                assert state.attempts_left == MAX_ENTRIES - self.failures  # and the count
            steps.value += 1

        @rule()
        def right_code(self) -> None:
            result = codes.verify(CLERK, msisdn, self.code)
            if self.locked_until is not None:
                assert result.outcome is VerifyOutcome.LOCKED  # even the right code
                assert result.locked_until == self.locked_until
                steps.seen["right code while locked"] += 1
            else:
                assert result.outcome is VerifyOutcome.OK
                self.failures = 0
            steps.value += 1

        @rule(shift=st.integers(1, 999_999))
        def wrong_code(self, shift: int) -> None:
            self._wrong_entry(other_than(self.code, shift))
            steps.value += 1

        @rule(count=st.integers(2, MAX_ENTRIES), shift=st.integers(1, 999_999))
        def wrong_in_a_row(self, count: int, shift: int) -> None:
            """A subscriber guessing at the terminal: the way a lock is usually reached."""
            for index in range(count):
                self._wrong_entry(other_than(self.code, shift + index))
            steps.value += 1

        @precondition(lambda self: self.locked_until is not None)
        @rule()
        def right_code_while_locked(self) -> None:
            """Once locked, the subscriber often tries the right code at once: drawn only then,
            so every run walks it (the general rules reach it only by chance)."""
            self.right_code()

        @rule()
        def replaced_code(self) -> None:
            """The code a new one replaced stopped working: it is a wrong entry now."""
            if self.old is not None and self.old != self.code:
                self._wrong_entry(self.old)
            steps.value += 1

        @rule(entry=st.sampled_from(["12345", "1234567", "12a456", " ", "１２３４５６"]))
        def malformed(self, entry: str) -> None:
            with pytest.raises(InputError):
                codes.verify(CLERK, msisdn, entry)  # not sent: the model does not move
            steps.value += 1

        @rule(step=st.sampled_from([60, 3600, 6 * 3600, 86400 - 120, 86400, 90000]))
        def move_clock(self, step: int) -> None:
            now = world.advance(step).now
            until = self.locked_until
            if until is not None and timedelta(0) <= until - now < GREY:
                now = world.advance(int(GREY.total_seconds()) + 10).now
            if until is not None and now >= until:
                self.locked_until, self.failures = None, 0  # ended: a fresh count
                steps.seen["lock ended"] += 1
            steps.value += 1

        @invariant()
        def the_state_is_the_model(self) -> None:
            state = codes.state(CLERK, msisdn)
            if self.locked_until is not None:
                assert (state.status, state.attempts_left, state.locked_until) == (
                    CodeStatus.LOCKED, 0, self.locked_until)
            else:
                assert (state.status, state.attempts_left, state.locked_until) == (
                    CodeStatus.ACTIVE, MAX_ENTRIES - self.failures, None)

    run_state_machine_as_test(Lockout, settings=settings(
        max_examples=15, stateful_step_count=30, deadline=None, derandomize=True,
        database=None, suppress_health_check=[HealthCheck.too_slow]))
    assert steps.value > 100  # it did walk the machine, through every kind of state
    assert min(steps.seen[k] for k in ("locked", "issued while locked",
                                       "right code while locked", "lock ended")) > 0, steps.seen


def test_parallel_wrong_guesses_never_get_more_than_the_allowed_tries(
        client: OperatorClient, people: Iterator[str]) -> None:
    msisdn = next(people)
    clock = MovableClock(SystemClock())
    world = TrainingWorld(client, clock)
    journal = ListJournal()
    codes = AccessCodeService(client, journal=journal, identity=IDENTIFIED)
    codes.issue(CLERK, msisdn)
    code = code_of(world, msisdn)
    guesses = 50  # resources/operator-api.md: 50 parallel wrong entries, exactly 3 counted
    start = threading.Barrier(guesses)
    answers: list[VerifyOutcome] = []
    ends: set[datetime | None] = set()
    lock = threading.Lock()

    def guess(index: int) -> None:
        start.wait()
        result = codes.verify(CLERK, msisdn, other_than(code, index + 1))
        with lock:
            answers.append(result.outcome)
            if result.outcome is VerifyOutcome.LOCKED:
                ends.add(result.locked_until)

    threads = [threading.Thread(target=guess, args=(i,)) for i in range(guesses)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
    assert Counter(answers) == {VerifyOutcome.WRONG: 3, VerifyOutcome.LOCKED: guesses - 3}
    assert len(ends) == 1  # one lock, never extended by the guesses after it
    assert codes.state(CLERK, msisdn).locked
    assert codes.verify(CLERK, msisdn, code).outcome is VerifyOutcome.LOCKED
    assert len(journal.entries) == guesses + 2 and code not in repr(journal.entries)


def test_offline_codes_are_refused_and_nothing_is_queued(
    tmp_path: Path, journal_seal: JournalSeal
) -> None:
    from app.services.audit import AuditJournal
    from app.services.lookup import LookupService
    from models.card_cache import StoreCardCache
    from models.db import open_store
    from models.outbox import StoreOutbox

    store = open_store(f"sqlite:///{tmp_path / 'salon.db'}")
    running = start_in_background(tmp_path / "sandbox.sqlite3", 2026, TOKEN)
    clock = SystemClock()
    client = OperatorClient(running.url, TOKEN, clock=clock, connect_timeout=1,
                            read_timeout=2, read_retries=1, sleep=lambda _s: None)
    try:
        journal = AuditJournal("MSK-TVERSKAYA-12", "2", clock, seal=journal_seal)
        connection = ConnectionState(clock)
        lookup = LookupService(client, StoreCardCache(), connection, clock, journal=journal,
                               identity=IDENTIFIED)
        codes = AccessCodeService(client, journal=journal, connection=connection,
                                  identity=IDENTIFIED)
        msisdn = "+79161234567"
        card = lookup.lookup(msisdn, CLERK)  # online: the card is saved
        assert codes.availability(card).available
        running.stop()  # the operator goes away

        for attempt in (lambda: codes.issue(CLERK, msisdn, card),
                        lambda: codes.verify(CLERK, msisdn, "123456", card),
                        lambda: codes.state(CLERK, msisdn)):
            with pytest.raises(OperatorUnavailable) as caught:
                attempt()
            assert not caught.value.queued and not caught.value.maybe_delivered
            assert "only while the operator answers" in str(caught.value)
        assert connection.snapshot().online is False
        saved = lookup.lookup(msisdn, CLERK)  # the saved card: codes say no up front
        assert saved.source == "cache"
        assert codes.availability(saved).rule == "offline"
        with pytest.raises(OperatorUnavailable):
            codes.issue(CLERK, msisdn, saved)

        outbox = StoreOutbox()
        assert outbox.pending() == [] and outbox.recent() == []
        assert store.execute_sql("SELECT COUNT(*) FROM outbox").fetchone()[0] == 0
        journaled = Counter((e.action, e.result) for e in journal.latest(20)
                            if e.action.startswith("code_"))
        assert journaled == {("code_issue", "failed"): 2, ("code_verify", "failed"): 1}
    finally:
        client.close()
        if running._thread.is_alive():
            running.stop()
        store.close()
