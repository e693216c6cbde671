"""The delivery tables (migration 6) on SQLite and on the suite's PostgreSQL: a month's claim
is won once, a lease runs out, a stale sender cannot record; print jobs per counter; the
printer choice per counter; the archive's notes."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from models.archive import ArchivedDocument, StoreArchiveNotes
from models.periodic import StorePeriodic
from models.print_jobs import StoreCounterSettings, StorePrintJobs
from models.printing import DocumentKind, NewPrintJob, PrintJobState

T0 = datetime(2026, 11, 23, 9, 0, tzinfo=UTC)
LEASE = timedelta(minutes=30)


def test_a_month_is_claimed_once(any_store: object) -> None:
    store = StorePeriodic()
    sub = store.add("+79161234567", "a@example.ru", "pdf", "2026-09", "clerk", T0)
    assert sub is not None
    assert store.add("+79161234567", "b@example.ru", "pdf", "2026-09", "clerk", T0) is None
    first = store.claim(sub.id, "2026-10", "one", T0, T0 + LEASE)
    assert first is not None and (first.state, first.attempts) == ("sending", 1)
    assert store.claim(sub.id, "2026-10", "two", T0 + timedelta(minutes=1), T0 + LEASE) is None
    later = T0 + LEASE + timedelta(seconds=1)
    taken = store.claim(sub.id, "2026-10", "two", later, later + LEASE)
    assert taken is not None and (taken.owner, taken.attempts) == ("two", 2)
    assert not store.finish(first, later, "DET-1", "<m1>")  # the first sender's lease is gone
    assert store.finish(taken, later, "DET-2", "<m2>")
    assert store.claim(sub.id, "2026-10", "three", later + timedelta(days=9), later) is None
    [run] = store.runs(sub.id)
    assert (run.state, run.document_id, run.message_id) == ("sent", "DET-2", "<m2>")


def test_a_failed_month_is_claimed_again_when_its_retry_is_due(any_store: object) -> None:
    store = StorePeriodic()
    sub = store.add("+79161234567", "a@example.ru", "xlsx", "2026-09", "clerk", T0)
    assert sub is not None
    run = store.claim(sub.id, "2026-09", "one", T0, T0 + LEASE)
    assert run is not None and store.fail(run, "relay down", T0 + timedelta(hours=1))
    assert store.claim(sub.id, "2026-09", "one", T0 + timedelta(minutes=59), T0) is None
    again = store.claim(sub.id, "2026-09", "one", T0 + timedelta(hours=1), T0 + LEASE)
    assert again is not None and again.attempts == 2 and again.last_error == "relay down"
    assert store.remove(sub.id, "manager", T0, "+7 916 ***-**-67")
    removed = store.get(sub.id)
    assert removed is not None and not removed.active and removed.email == ""
    assert removed.msisdn == "+7 916 ***-**-67"
    assert store.active() == [] and store.active_for("+79161234567") is None
    assert store.add("+79161234567", "b@example.ru", "pdf", "2026-11", "clerk", T0) is not None


def test_print_jobs_belong_to_their_counter(any_store: object, tmp_path: Path) -> None:
    first, second = StorePrintJobs("S-1", "1"), StorePrintJobs("S-1", "2")
    job = first.add(NewPrintJob(tmp_path / "slip.pdf", DocumentKind.SLIP, "slip", "order ORD-1",
                                "+79161234567", "", "anna", T0))
    assert job.state is PrintJobState.QUEUED and job.attempts == 0
    assert second.get(job.id) is None and second.recent() == []
    printing = first.update(job.id, T0, state=PrintJobState.PRINTING, cups_job_id=7,
                            attempts_plus=1, printer="Counter1")
    assert printing is not None and (printing.cups_job_id, printing.attempts) == (7, 1)
    assert first.update(job.id, T0, expect=PrintJobState.QUEUED,
                        state=PrintJobState.DONE) is None
    assert [j.id for j in first.active()] == [job.id]
    done = first.update(job.id, T0 + timedelta(days=1), expect=PrintJobState.PRINTING,
                        state=PrintJobState.DONE)
    assert done is not None and first.active() == []
    assert first.purge(T0 + timedelta(days=1)) == []  # not older than that
    assert [j.id for j in first.purge(T0 + timedelta(days=4))] == [job.id]
    assert first.recent() == []


def test_the_printer_choice_is_per_counter(any_store: object) -> None:
    one, two = StoreCounterSettings("S-1", "1"), StoreCounterSettings("S-1", "2")
    one.set("printer", "Hall", "anna", T0)
    one.set("printer", "Counter1", "anna", T0)
    assert (one.get("printer"), two.get("printer")) == ("Counter1", None)
    one.set("printer", None, "anna", T0)
    assert one.get("printer") is None


def test_archive_notes_keep_the_expiry_until_it_has_passed(any_store: object) -> None:
    notes = StoreArchiveNotes()
    doc = ArchivedDocument("doc_1", "DET.pdf", "application/pdf", 10, "0" * 64, T0,
                           T0 + timedelta(days=3))
    notes.remember(doc, "+7 916 ***-**-67")
    notes.remember(doc, "+7 916 ***-**-67")  # listed again: the same note
    assert notes.expiry("doc_1") == T0 + timedelta(days=3)
    assert notes.purge(T0 + timedelta(days=2)) == 0
    assert notes.purge(T0 + timedelta(days=4)) == 1 and notes.expiry("doc_1") is None


@pytest.mark.parametrize("table", ["print_job", "counter_setting", "archive_document",
                                   "delivery_subscription", "periodic_delivery"])
def test_migration_6_made_the_tables(any_store, table: str) -> None:
    assert any_store.table_exists(table)  # type: ignore[attr-defined]
