"""AuditJournal.record and DailyLogService on a throw-away SQLite store."""

from __future__ import annotations

import inspect
from collections.abc import Iterator
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest
from peewee import Database

from app.clock import FixedClock
from app.config import SalonSettings
from app.errors import InputError, SalonError
from app.services.audit import MAX_TEXT, AuditJournal, describe_problem
from app.services.daily_log import DailyLogService
from models.audit import AuditAction, AuditResult, ChainProblem
from models.db import open_store
from tests.support.pinned import SequenceClock, pinned_clock


class Ticking:
    """A clock that moves on by `step` each time it is read."""

    def __init__(self, start: datetime, step: timedelta = timedelta(seconds=1)) -> None:
        self.at, self.step = start, step

    def now(self) -> datetime:
        moment = self.at
        self.at += self.step
        return moment


@pytest.fixture
def store(tmp_path: Path) -> Iterator[Database]:
    db = open_store(f"sqlite:///{tmp_path / 'salon.db'}")
    yield db
    db.close()


def salon(timezone: str = "Europe/Moscow") -> SalonSettings:
    return SalonSettings("MSK-TVERSKAYA-12", "Салон «Тверская, 12»", "RU-MOW", timezone, "2", "ru")


def test_record_fills_in_salon_counter_time_and_the_chain(store: Database) -> None:
    journal = AuditJournal("MSK-TVERSKAYA-12", "2", Ticking(datetime(2026, 11, 23, 7, tzinfo=UTC)))
    first = journal.record("ivanova", "lookup", subscriber="+79161234567")
    second = journal.record("ivanova", AuditAction.TARIFF_CHANGE, AuditResult.REFUSED,
                            subscriber="+79161234567", detail="SMART → VIP",
                            reason="R4: недостаточно средств")
    assert (first.seq, first.salon, first.counter, first.result) == (1, "MSK-TVERSKAYA-12", "2",
                                                                     "done")
    assert first.at == datetime(2026, 11, 23, 7, tzinfo=UTC)
    assert second.prev_hash == first.hash and second.seq == 2
    assert journal.latest(5) == [first, second]


@pytest.mark.parametrize("bad", [
    {"action": "reboot"},
    {"result": "maybe"},
    {"subscriber": "8 916 123-45-67"},
    {"subscriber": "+7 916"},
    {"clerk": "ivanova\nseq 7 admin"},
    {"clerk": "x" * 65},
])
def test_record_refuses_what_a_caller_must_not_send(store: Database, bad: dict[str, str]) -> None:
    journal = AuditJournal("MSK-1", "1", pinned_clock())
    call = {"clerk": "ivanova", "action": "lookup", "result": "done", **bad}
    with pytest.raises(ValueError):
        journal.record(call.pop("clerk"), call.pop("action"), call.pop("result"), **call)
    assert journal.latest(1) == []


def test_record_has_no_place_for_a_code_token_or_password() -> None:
    """R2: the API itself cannot carry a secret into the journal."""
    names = set(inspect.signature(AuditJournal.record).parameters)
    assert names == {"self", "clerk", "action", "result", "subscriber", "detail", "reason"}


def test_long_text_is_cut_and_unstorable_characters_replaced(store: Database) -> None:
    journal = AuditJournal("MSK-1", "1", pinned_clock())
    entry = journal.record("", "export", reason="x" * (MAX_TEXT + 50), detail="a\x00b\ud800c")
    assert len(entry.reason) == MAX_TEXT and entry.reason.endswith("…")
    assert entry.detail == "a\ufffdb\ufffdc"
    assert journal.verify().intact


def test_verify_records_itself(store: Database) -> None:
    journal = AuditJournal("MSK-1", "1", pinned_clock())
    journal.record("ivanova", "sign_in")
    report = journal.verify("ivanova")
    assert report.intact and report.entries == 1
    last = journal.latest(1)[0]
    assert (last.action, last.result, last.clerk, last.detail) == ("audit_verify", "done",
                                                                   "ivanova", "1–1")


def test_verify_refuses_a_malformed_expected_hash(store: Database) -> None:
    with pytest.raises(InputError):
        AuditJournal("MSK-1", "1", pinned_clock()).verify(expect_hash="not-a-hash")


def test_problems_are_described_by_entry_number() -> None:
    assert "entry 5 was edited" in describe_problem(ChainProblem("edited", 5))
    assert "entry 7 is missing" in describe_problem(ChainProblem("missing", 7, 9))
    assert "recorded as entry 6" in describe_problem(ChainProblem("out_of_order", 5, 6))
    assert "entry 3 was inserted" in describe_problem(ChainProblem("inserted", 3))
    assert "abc" in describe_problem(ChainProblem("cut", None), "abc")


def test_an_unwritable_journal_is_a_clear_error(tmp_path: Path) -> None:
    db = open_store(f"sqlite:///{tmp_path / 'salon.db'}")
    db.execute_sql("DROP TABLE audit_entry")
    try:
        with pytest.raises(SalonError, match="audit journal cannot be written"):
            AuditJournal("MSK-1", "1", pinned_clock()).record("", "lookup")
    finally:
        db.close()


def test_the_day_runs_from_local_midnight_to_local_midnight(store: Database) -> None:
    service = DailyLogService(AuditJournal("MSK-1", "1", pinned_clock()), salon(),
                              clock=FixedClock(datetime(2026, 11, 23, 12, tzinfo=UTC)))
    start, end = service.bounds(date(2026, 11, 23))
    assert (start, end) == (datetime(2026, 11, 22, 21, tzinfo=UTC),
                            datetime(2026, 11, 23, 21, tzinfo=UTC))


def test_a_daylight_saving_day_has_its_own_length(store: Database) -> None:
    service = DailyLogService(AuditJournal("X", "1", pinned_clock()), salon("Europe/Berlin"),
                              clock=FixedClock(datetime(2026, 11, 23, 12, tzinfo=UTC)))
    start, end = service.bounds(date(2026, 3, 29))  # clocks go forward: a 23-hour day
    assert end - start == timedelta(hours=23)


def test_the_log_takes_the_local_day_and_the_last_hash_before_its_end(store: Database) -> None:
    moments = iter([
        datetime(2026, 11, 22, 20, 59, 59, tzinfo=UTC),  # 23:59:59 on the 22nd in Moscow
        datetime(2026, 11, 22, 21, 0, 0, tzinfo=UTC),  # 00:00:00 on the 23rd
        datetime(2026, 11, 23, 20, 59, 59, 999999, tzinfo=UTC),  # the 23rd's last moment
        datetime(2026, 11, 23, 21, 0, 0, tzinfo=UTC),  # the 24th
    ])
    journal = AuditJournal("MSK-1", "1", clock=SequenceClock(moments))
    entries = [journal.record("ivanova", "lookup") for _ in range(4)]
    service = DailyLogService(journal, salon(),
                              clock=FixedClock(datetime(2026, 11, 24, 12, tzinfo=UTC)))
    log = service.daily_log(date(2026, 11, 23))
    assert [e.seq for e in log.entries] == [2, 3]
    assert (log.last_seq, log.last_hash) == (3, entries[2].hash)
    empty = service.daily_log(date(2026, 11, 1))
    assert empty.entries == () and empty.last_hash is None
    assert service.daily_log(date(2026, 11, 24)).last_hash == entries[3].hash


def test_an_empty_day_still_carries_the_journal_hash_so_far(store: Database) -> None:
    journal = AuditJournal("MSK-1", "1", clock=FixedClock(datetime(2026, 11, 20, 9, tzinfo=UTC)))
    entry = journal.record("ivanova", "sign_in")
    service = DailyLogService(journal, salon(),
                              clock=FixedClock(datetime(2026, 11, 23, 12, tzinfo=UTC)))
    log = service.daily_log(date(2026, 11, 22))
    assert log.entries == () and log.last_hash == entry.hash and log.totals.total == 0


def test_a_day_to_come_is_refused(store: Database) -> None:
    service = DailyLogService(AuditJournal("MSK-1", "1", pinned_clock()), salon(),
                              clock=FixedClock(datetime(2026, 11, 23, 20, 30, tzinfo=UTC)))
    assert service.today() == date(2026, 11, 23)  # 23:30 in Moscow
    with pytest.raises(InputError, match="2026-11-24 has not come yet"):
        service.daily_log(date(2026, 11, 24))


def test_totals_per_clerk_and_per_action(store: Database) -> None:
    journal = AuditJournal("MSK-1", "1", Ticking(datetime(2026, 11, 23, 7, tzinfo=UTC)))
    journal.record("ivanova", "lookup")
    journal.record("ivanova", "tariff_change", "refused", reason="R4")
    journal.record("petrov", "lookup", "failed", reason="offline")
    journal.record("", "purge")
    log = DailyLogService(journal, salon(),
                          clock=FixedClock(datetime(2026, 11, 23, 12, tzinfo=UTC))).daily_log(
        date(2026, 11, 23))
    clerks = {t.key: (t.total, t.done, t.refused, t.failed) for t in log.by_clerk}
    assert clerks == {"": (1, 1, 0, 0), "ivanova": (2, 1, 1, 0), "petrov": (1, 0, 0, 1)}
    actions = {t.key: (t.total, t.done, t.refused, t.failed) for t in log.by_action}
    assert actions == {"lookup": (2, 1, 0, 1), "purge": (1, 1, 0, 0),
                       "tariff_change": (1, 0, 1, 0)}
    assert [e.seq for e in log.problems] == [2, 3]
    assert (log.totals.total, log.totals.refused, log.totals.failed) == (4, 1, 1)
