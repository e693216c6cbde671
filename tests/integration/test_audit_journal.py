"""The audit journal on SQLite and on a real PostgreSQL: what is written comes back exactly,
the database refuses changes, tampering done with SQL is named by `salon audit verify`, and
counters appending at once neither fork the chain nor leave a gap."""

from __future__ import annotations

import io
import json
import threading
from dataclasses import replace
from datetime import UTC, datetime, timedelta

import pytest
from peewee import Database

from app import cli
from app.clock import FixedClock
from app.services.audit import AuditJournal
from models.audit import compute_hash
from models.db import database, is_sqlite
from tests.support.fake_wiring import FakeWiring
from tests.support.pinned import SequenceClock

T0 = datetime(2026, 11, 23, 7, 30, 0, 123456, tzinfo=UTC)


def ticking(start: datetime = T0) -> SequenceClock:
    return SequenceClock(start + timedelta(seconds=n) for n in range(10**6))


def fill(count: int) -> AuditJournal:
    journal = AuditJournal("MSK-TVERSKAYA-12", "2", clock=ticking())
    for n in range(count):
        journal.record("ivanova", "lookup", subscriber="+79161234567", reason=f"step {n + 1}")
    return journal


def verify(journal: AuditJournal, *extra: str) -> tuple[int, str, str]:
    """Run `salon audit verify` as the CLI does; return (exit code, stdout, stderr)."""
    args = cli.build_parser().parse_args(["audit", "verify", *extra])
    out, err = io.StringIO(), io.StringIO()
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr("sys.stderr", err)
        code = cli.run(args, FakeWiring(audit=journal), out)  # type: ignore[arg-type]
    return code, out.getvalue(), err.getvalue()


def without_guards(db: Database) -> None:
    """What a forger does first: drop the triggers that keep the table append-only."""
    if is_sqlite(db):
        db.execute_sql("DROP TRIGGER audit_entry_no_update")
        db.execute_sql("DROP TRIGGER audit_entry_no_delete")
    else:
        db.execute_sql("DROP TRIGGER audit_entry_no_change ON audit_entry")
        db.execute_sql("DROP TRIGGER audit_entry_no_truncate ON audit_entry")


def sql(db: Database, statement: str, *params: object) -> None:
    db.execute_sql(statement.replace("?", db.param), params)


def test_an_entry_comes_back_exactly_as_written(any_store: Database) -> None:
    journal = AuditJournal("MSK-TVERSKAYA-12", "2", clock=FixedClock(T0))
    written = journal.record("петрова", "code_verify", "refused", subscriber="+79161234567",
                             detail="Тариф «Смарт»", reason='неверно\n2 | ok\r\x1b[0m "x"')
    read = journal.latest(1)[0]
    assert read == written
    assert read.at == T0  # microseconds survive both databases
    assert compute_hash(read) == read.hash


def test_the_database_refuses_to_change_or_remove_entries(any_store: Database) -> None:
    fill(3)
    statements = ["UPDATE audit_entry SET reason = 'x' WHERE seq = 2",
                  "DELETE FROM audit_entry WHERE seq = 3"]
    if not is_sqlite(any_store):
        statements.append("TRUNCATE audit_entry")
    for statement in statements:
        with pytest.raises(Exception, match="append-only"), database.atomic():
            any_store.execute_sql(statement)
    assert [e.seq for e in AuditJournal("x", "1", ticking()).latest(10)] == [1, 2, 3]


def test_an_intact_journal_verifies_with_exit_0(any_store: Database) -> None:
    journal = fill(6)
    last = journal.latest(1)[0]
    code, out, err = verify(journal)
    assert code == 0, err
    assert out.strip() == f"Journal intact: 6 entries, last hash {last.hash}."
    code, out, _err = verify(journal, "--json", "--expect-hash", last.hash)
    report = json.loads(out)
    assert code == 0 and report["intact"] and report["entries"] == 7  # 6 + the first verify
    assert journal.latest(1)[0].action == "audit_verify"


def test_an_edited_reason_is_named(any_store: Database) -> None:
    journal = fill(8)
    without_guards(any_store)
    sql(any_store, "UPDATE audit_entry SET reason = ? WHERE seq = 5", "all fine")
    code, _out, err = verify(journal)
    assert code == 3
    assert "entry 5 was edited" in err


def test_an_edit_with_a_recomputed_hash_is_still_named(any_store: Database) -> None:
    journal = fill(8)
    without_guards(any_store)
    victim = journal.latest(4)[0]  # entry 5
    forged = replace(victim, result="refused")
    sql(any_store, "UPDATE audit_entry SET result = ?, hash = ? WHERE seq = 5",
        "refused", compute_hash(forged))
    code, _out, err = verify(journal)
    assert code == 3 and "entry 5 was edited" in err


def test_a_deleted_entry_is_named(any_store: Database) -> None:
    journal = fill(8)
    without_guards(any_store)
    sql(any_store, "DELETE FROM audit_entry WHERE seq = 4")
    code, out, err = verify(journal, "--json")
    assert code == 3
    assert json.loads(out)["problem"] == {"kind": "missing", "seq": 4, "other": 5}
    assert "entry 4 is missing" in err


def test_a_deletion_hidden_by_renumbering_is_named(any_store: Database) -> None:
    journal = fill(8)
    without_guards(any_store)
    sql(any_store, "DELETE FROM audit_entry WHERE seq = 4")
    for seq in range(5, 9):
        sql(any_store, "UPDATE audit_entry SET seq = ? WHERE seq = ?", seq - 1, seq)
    code, _out, err = verify(journal)
    assert code == 3 and "entry 4 is missing" in err


def test_reordered_entries_are_named(any_store: Database) -> None:
    journal = fill(8)
    without_guards(any_store)
    sql(any_store, "UPDATE audit_entry SET seq = -1 WHERE seq = 5")
    sql(any_store, "UPDATE audit_entry SET seq = 5 WHERE seq = 6")
    sql(any_store, "UPDATE audit_entry SET seq = 6 WHERE seq = -1")
    code, _out, err = verify(journal)
    assert code == 3
    assert "entry 5 is out of order: it was recorded as entry 6" in err


def test_an_inserted_entry_is_named(any_store: Database) -> None:
    journal = fill(8)
    without_guards(any_store)
    before = {e.seq: e for e in journal.latest(8)}
    for seq in range(8, 4, -1):  # make room at 5, top down so the key stays unique
        sql(any_store, "UPDATE audit_entry SET seq = ? WHERE seq = ?", seq + 1, seq)
    draft = replace(before[5], reason="a refund nobody made", prev_hash=before[4].hash)
    forged = replace(draft, hash=compute_hash(draft))
    sql(any_store, "INSERT INTO audit_entry (seq, at, clerk, salon, counter, subscriber, action,"
        " result, detail, reason, prev_hash, hash) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        5, forged.at.replace(tzinfo=None), forged.clerk, forged.salon, forged.counter,
        forged.subscriber, forged.action, forged.result, forged.detail, forged.reason,
        forged.prev_hash, forged.hash)
    code, _out, err = verify(journal)
    assert code == 3 and "entry 5 was inserted" in err


def test_a_cut_end_is_caught_by_the_daily_logs_hash(any_store: Database) -> None:
    journal = fill(8)
    anchor = journal.latest(1)[0].hash
    without_guards(any_store)
    sql(any_store, "DELETE FROM audit_entry WHERE seq >= 7")
    assert verify(journal)[0] == 0  # the chain alone cannot see a cut end
    code, _out, err = verify(journal, "--expect-hash", anchor)
    assert code == 3 and anchor in err


def test_a_failed_verification_is_itself_recorded(any_store: Database) -> None:
    journal = fill(4)
    without_guards(any_store)
    sql(any_store, "UPDATE audit_entry SET clerk = 'nobody' WHERE seq = 2")
    verify(journal)
    last = journal.latest(1)[0]
    assert (last.action, last.result) == ("audit_verify", "failed")
    assert "entry 2 was edited" in last.reason


@pytest.mark.timeout(120)
def test_counters_appending_at_once_keep_one_chain_without_gaps(any_store: Database) -> None:
    threads_count, each = 6, 25
    start = threading.Barrier(threads_count)
    errors: list[BaseException] = []

    def counter(number: int) -> None:
        journal = AuditJournal("MSK-TVERSKAYA-12", str(number), ticking())
        try:
            start.wait()
            for n in range(each):
                journal.record(f"clerk{number}", "lookup", reason=f"{number}/{n}")
        except BaseException as error:  # reported below, in the test's own thread
            errors.append(error)
        finally:
            database.close()  # each thread had its own connection

    threads = [threading.Thread(target=counter, args=(n,)) for n in range(threads_count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    journal = AuditJournal("MSK-TVERSKAYA-12", "0", ticking())
    entries = journal.latest(threads_count * each)
    assert [e.seq for e in entries] == list(range(1, threads_count * each + 1))
    assert len({e.prev_hash for e in entries}) == len(entries)  # nobody shares a predecessor
    assert len({e.counter for e in entries}) == threads_count
    assert journal.verify().intact


def test_tail_prints_one_escaped_line_per_entry(any_store: Database) -> None:
    journal = AuditJournal("MSK-1", "2", clock=FixedClock(T0))
    journal.record("ivanova", "lookup", "refused", reason="x\n7  2026-11-23T07:30:00Z  admin")
    journal.record("", "purge")
    args = cli.build_parser().parse_args(["audit", "tail", "-n", "5"])
    out = io.StringIO()
    assert cli.run(args, FakeWiring(audit=journal), out) == 0  # type: ignore[arg-type]
    lines = out.getvalue().splitlines()
    assert len(lines) == 2
    assert lines[0].startswith("1  2026-11-23T07:30:00Z  ivanova  MSK-1/2  -  lookup  refused")
    assert lines[0].endswith("x\\n7  2026-11-23T07:30:00Z  admin")
    assert lines[1].startswith("2  ") and " - " in f" {lines[1]} "
