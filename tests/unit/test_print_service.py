"""PrintService over a scripted print server: each failure is a sentence with the kept path,
a failed job never comes out later, a reprint re-sends the file only, the printer choice."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest

from app.clock import FixedClock
from app.errors import InputError, PrintFailed, SalonError
from app.services.printing import PrintService, guess_kind
from models.printing import CupsJobState, DocumentKind, PrinterState, PrintJobState
from tests.support.fake_wiring import CLERK
from tests.support.print_fakes import (
    FakePrinter,
    ListJournal,
    MemoryPrintJobs,
    MemorySettings,
    queue,
)

NOW = datetime(2026, 11, 23, 9, 0, tzinfo=UTC)
P = CupsJobState


class FakeTime:
    def __init__(self) -> None:
        self.now = 0.0

    def monotonic(self) -> float:
        return self.now

    def sleep(self, seconds: float) -> None:
        self.now += seconds


@pytest.fixture
def pdf(tmp_path: Path) -> Path:
    path = tmp_path / "slip-ORD-000001-1.pdf"
    path.write_bytes(b"%PDF-1.4\n1 0 obj\n%%EOF\n")
    return path


def make(printer: FakePrinter, *, configured: str = "", wait_s: float = 6.0):
    clock = FakeTime()
    journal = ListJournal()
    jobs = MemoryPrintJobs()
    choices = MemorySettings()
    service = PrintService(printer, jobs, choices, configured=configured, journal=journal,
                           clock=FixedClock(NOW), wait_s=wait_s, poll_s=0.25, sleep=clock.sleep,
                           monotonic=clock.monotonic)
    return service, jobs, journal, clock, choices


def test_a_pdf_prints_and_is_journaled_with_its_name(pdf: Path) -> None:
    printer = FakePrinter(queue("Counter1"), default="Counter1")
    printer.script("Counter1", [P.PENDING, P.PROCESSING, P.COMPLETED])
    service, _jobs, journal, _clock, _c = make(printer)
    job = service.print_document(CLERK, pdf, documents="order ORD-000001",
                                 subscriber="+79161234567")
    assert job.state is PrintJobState.DONE and job.printer == "Counter1"
    assert job.kind is DocumentKind.SLIP and job.attempts == 1 and job.cups_job_id == 101
    assert printer.submitted == [(pdf.resolve(), "Counter1", pdf.name, 101)]
    [entry] = journal.of("print")
    assert entry[2] == "done" and entry[3] == "+79161234567"
    assert pdf.name in entry[4] and "Counter1" in entry[4]


@pytest.mark.parametrize(("setup", "words"), [
    (lambda p: setattr(p, "unreachable", True), "cannot be reached"),
    (lambda p: p.set("Counter1", accepting=False, message="out of toner"),
     "not accepting jobs (out of toner)"),
    (lambda p: p.set("Counter1", state=PrinterState.STOPPED, message="paper jam"),
     "is stopped (paper jam)"),
    (lambda p: p.script("Counter1", [P.PROCESSING, P.ABORTED], "Unable to open serial port"),
     "failed to print the document (Unable to open serial port)"),
    (lambda p: p.script("Counter1", [P.PENDING, P.HELD], "could not be sent"),
     "could not take the job (could not be sent)"),
    (lambda p: p.script("Counter1", [P.PROCESSING, P.CANCELED]), "cancelled at the printer"),
])
def test_every_failure_is_a_sentence_with_the_kept_path(pdf: Path, setup, words: str) -> None:
    printer = FakePrinter(queue("Counter1"))
    setup(printer)
    service, jobs, journal, clock, _c = make(printer, configured="Counter1")
    with pytest.raises(PrintFailed) as failed:
        service.print_document(CLERK, pdf)
    assert words in str(failed.value) and str(pdf.resolve()) in str(failed.value)
    assert failed.value.path == pdf.resolve() and failed.value.exit_code == 6
    assert pdf.exists()  # kept
    assert clock.now < 10
    [job] = jobs.recent()
    assert job.state is PrintJobState.FAILED and words in job.last_error
    assert journal.of("print")[0][2] == "failed"


def test_a_stopped_queue_under_a_job_fails_and_the_job_is_cancelled_in_cups(pdf: Path) -> None:
    """Stopped after submitting: reported at once, and taken off the queue so that resuming
    the printer later does not print it after the clerk printed it elsewhere."""
    printer = FakePrinter(queue("Counter1"))
    printer.script("Counter1", [P.PENDING, P.STOPPED], "paper jam")
    service, _jobs, _journal, clock, _c = make(printer, configured="Counter1")
    with pytest.raises(PrintFailed, match="is stopped"):
        service.print_document(CLERK, pdf)
    assert printer.cancelled == [101] and clock.now < 1


def test_unknown_printer_and_no_printer_at_all(pdf: Path) -> None:
    service, *_ = make(FakePrinter(queue("Counter1")), configured="Nope")
    with pytest.raises(PrintFailed, match="no printer named «Nope»"):
        service.print_document(CLERK, pdf)
    service, *_ = make(FakePrinter(queue("Counter1")))
    with pytest.raises(PrintFailed, match="No printer is chosen"):
        service.print_document(CLERK, pdf)


def test_a_slow_job_stays_printing_after_the_wait_and_refresh_finishes_it(pdf: Path) -> None:
    printer = FakePrinter(queue("Counter1"))
    printer.script("Counter1", [P.PROCESSING] * 100 + [P.COMPLETED], "Printing page 3")
    service, _jobs, journal, clock, _c = make(printer, configured="Counter1")
    job = service.print_document(CLERK, pdf)
    assert job.state is PrintJobState.PRINTING and job.last_error == "Printing page 3"
    assert 6 <= clock.now < 7
    assert journal.of("print") == []
    for _ in range(200):
        if service.refresh():
            break
    assert service.job(job.id).state is PrintJobState.DONE
    assert [e[2] for e in journal.of("print")] == ["done"]


def test_a_reprint_sends_the_same_file_again_and_nothing_else(pdf: Path) -> None:
    printer = FakePrinter(queue("Counter1"))
    printer.set("Counter1", state=PrinterState.STOPPED, message="paper jam")
    service, _jobs, journal, _clock, _c = make(printer, configured="Counter1")
    with pytest.raises(PrintFailed):
        service.print_document(CLERK, pdf, documents="order ORD-000001")
    printer.set("Counter1", state=PrinterState.IDLE, message="")
    [failed] = service.jobs()
    again = service.retry(CLERK, failed.id)
    assert again.id == failed.id and again.state is PrintJobState.DONE and again.attempts == 1
    assert again.documents == "order ORD-000001"
    assert [s[0] for s in printer.submitted] == [pdf.resolve()]
    third = service.retry(CLERK, failed.id)  # another copy of a printed slip
    assert third.attempts == 2 and len(printer.submitted) == 2
    assert [e[2] for e in journal.of("print")] == ["failed", "done", "done"]


def test_retry_refuses_a_job_still_printing_and_a_purged_file(pdf: Path) -> None:
    printer = FakePrinter(queue("Counter1"))
    printer.script("Counter1", [P.PROCESSING])
    service, *_ = make(printer, configured="Counter1")
    job = service.print_document(CLERK, pdf)
    with pytest.raises(InputError, match="still being printed"):
        service.retry(CLERK, job.id)
    cancelled = service.cancel(CLERK, job.id)
    assert cancelled.state is PrintJobState.CANCELLED and printer.cancelled == [101]
    with pytest.raises(InputError, match="already ended"):
        service.cancel(CLERK, job.id)
    pdf.unlink()
    with pytest.raises(InputError, match="no longer there"):
        service.retry(CLERK, job.id)


def test_only_pdf_files_are_printed(tmp_path: Path) -> None:
    service, jobs, *_ = make(FakePrinter(queue("Counter1")), configured="Counter1")
    text = tmp_path / "report.pdf"
    text.write_text("not a pdf")
    with pytest.raises(InputError, match="not a PDF"):
        service.print_document(CLERK, text)
    with pytest.raises(InputError, match="no file"):
        service.print_document(CLERK, tmp_path / "missing.pdf")
    assert jobs.recent() == []


def test_the_printer_choice_counter_then_ini_then_cups_default(pdf: Path) -> None:
    printer = FakePrinter(queue("Counter1"), queue("Hall"), default="Hall")
    service, _jobs, _j, _c, choices = make(printer)
    assert (service.choice().name, service.choice().source) == ("Hall", "cups")
    service, _jobs, _j, _c, choices = make(printer, configured="Counter1")
    assert service.choice().source == "salon.ini"
    chosen = service.choose(CLERK, "Hall")
    assert (chosen.name, chosen.source) == ("Hall", "counter")
    assert choices.values == {"printer": "Hall"}
    with pytest.raises(InputError, match="no printer named"):
        service.choose(CLERK, "Nope")
    assert service.choose(CLERK, None).name == "Counter1"
    printer.unreachable = True
    with pytest.raises(SalonError, match="cannot be reached"):
        service.printers()


def test_kinds_are_told_by_where_and_how_documents_are_named(tmp_path: Path) -> None:
    assert guess_kind(Path("/d/DET-20261123-ABCD2345.pdf"), None) is DocumentKind.DETALIZATION
    assert guess_kind(Path("/d/slips/slip-ORD-1-1.pdf"), None) is DocumentKind.SLIP
    assert guess_kind(Path("/d/leaflets/assistant-leaflet-1.pdf"), None) is DocumentKind.LEAFLET
    assert guess_kind(Path("/d/journal-2026-11-20.pdf"), None) is DocumentKind.DAILY_LOG
    assert guess_kind(tmp_path / "x.pdf", None) is DocumentKind.FILE
