"""Printing through a real cupsd the suite starts (tests/support/cups.py) with a cups-pdf
queue: the printed PDF is found and compared with the one sent; every failure is made real
(cupsdisable, cupsreject, a queue whose backend fails, an unknown queue, cupsd stopped) and
reaches the clerk as a sentence, with the kept path, within 10 seconds."""

from __future__ import annotations

import time
from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest

from app.clock import SystemClock
from app.errors import PrintFailed
from app.services.audit import AuditJournal
from app.services.printing import PrintService
from models.audit_seal import JournalSeal
from models.db import open_store
from models.print_jobs import StoreCounterSettings, StorePrintJobs
from models.printing import PrinterState, PrintJobState
from printing.cups_printer import CupsPrinter
from printing.leaflet import LeafletInfo, render_leaflet
from tests.support.cups import FAILING_QUEUE, PDF_QUEUE, CupsUnavailable, PrivateCups, running_cups
from tests.support.fake_wiring import CLERK
from tests.support.pdf_compare import ascii_tokens, differing_share, words


@pytest.fixture
def service(cups: PrivateCups, tmp_path: Path,
            journal_seal: JournalSeal) -> Iterator[PrintService]:
    db = open_store(f"sqlite:///{tmp_path / 'salon.db'}")
    cups.cancel_all()
    clock = SystemClock()  # a real cupsd's jobs are followed on real time
    yield PrintService(CupsPrinter(str(cups.socket)), StorePrintJobs("S-1", "1"),
                       StoreCounterSettings("S-1", "1"), configured=PDF_QUEUE,
                       journal=AuditJournal("S-1", "1", clock, seal=journal_seal), clock=clock)
    for name in (PDF_QUEUE, FAILING_QUEUE):
        cups.enable(name)
        cups.accept(name)
    db.close()


def latin_pdf(path: Path, lines: list[str]) -> Path:
    """A document in a standard font: its whole text survives cups-pdf's re-rendering."""
    from reportlab.lib.pagesizes import A4
    from reportlab.pdfgen.canvas import Canvas

    canvas = Canvas(str(path), pagesize=A4)
    y = 800
    for line in lines:
        canvas.setFont("Helvetica", 12)
        canvas.drawString(72, y, line)
        y -= 18
    canvas.save()
    return path


def leaflet(path: Path, subscriber: str = "+7 916 ***-**-67") -> Path:
    render_leaflet(LeafletInfo("Салон «Тверская, 12»", "MSK-TVERSKAYA-12", None,
                               date(2026, 11, 23), subscriber), path)
    return path


def test_the_printed_pdf_is_the_document_sent(service: PrintService, cups: PrivateCups,
                                              tmp_path: Path) -> None:
    lines = ["Salon console print test", "Order ORD-000042 confirmed at counter 1",
             "Fee 25.00 RUB, monthly cost 599.00 RUB"]
    sent = latin_pdf(tmp_path / "test-page.pdf", lines)
    job = service.print_document(CLERK, sent, documents="a test page")
    assert job.state is PrintJobState.DONE and job.printer == PDF_QUEUE
    assert job.cups_job_id is not None
    printed = cups.printed(job.cups_job_id)
    assert words(printed) == words(sent) == " ".join(lines)


def test_a_cyrillic_document_comes_out_page_for_page(service: PrintService,
                                                    cups: PrivateCups, tmp_path: Path) -> None:
    sent = leaflet(tmp_path / "assistant-leaflet.pdf")
    job = service.print_document(CLERK, sent)
    assert job.state is PrintJobState.DONE and job.kind.value == "leaflet"
    assert job.cups_job_id is not None
    printed = cups.printed(job.cups_job_id)
    # The same page (ghostscript's and poppler's anti-aliasing differ by about 1 % of the
    # pixels), with the same numbers, dates and Latin words: a leaflet for another number
    # would look the same at this resolution, but not read the same.
    assert differing_share(sent, printed, tmp_path) < 0.03
    assert ascii_tokens(printed) == ascii_tokens(sent)
    other = leaflet(tmp_path / "other.pdf", subscriber="+7 926 ***-**-33")
    assert ascii_tokens(other) != ascii_tokens(sent)


def _fails_with_a_sentence(service: PrintService, path: Path, **kwargs: str) -> str:
    """The failure as the clerk reads it, the document kept. (How soon it comes — the 10 s
    every printing failure is allowed — is measured in benchmarks/printing.py, not here.)"""
    with pytest.raises(PrintFailed) as failed:
        service.print_document(CLERK, path, **kwargs)
    assert failed.value.exit_code == 6 and failed.value.path == path.resolve()
    assert str(path.resolve()) in str(failed.value) and path.exists()
    return str(failed.value)


def test_a_stopped_queue(service: PrintService, cups: PrivateCups, tmp_path: Path) -> None:
    cups.disable(PDF_QUEUE, "Замятие бумаги")
    message = _fails_with_a_sentence(service, latin_pdf(tmp_path / "a.pdf", ["a"]))
    assert "is stopped (Замятие бумаги)" in message


def test_a_queue_stopped_under_a_submitted_job(service: PrintService, cups: PrivateCups,
                                               tmp_path: Path, monkeypatch) -> None:
    """The queue is stopped between the console's look at it and the job (the look is made
    stale on purpose): the job lands on a stopped queue for real, is reported within 10 s,
    and is taken out of CUPS, so resuming the printer later does not print it."""
    printer = service._printer  # the real adapter
    looked = printer.printer(PDF_QUEUE)
    monkeypatch.setattr(printer, "printer", lambda name: looked)
    cups.disable(PDF_QUEUE, "Нет бумаги")
    message = _fails_with_a_sentence(service, latin_pdf(tmp_path / "b.pdf", ["b"]))
    assert "is stopped (Нет бумаги)" in message
    [job] = service.jobs(1)
    assert job.state is PrintJobState.FAILED and job.cups_job_id is not None
    assert cups.lpstat("-o", PDF_QUEUE).stdout.strip() == ""  # nothing waits to come out
    cups.enable(PDF_QUEUE)
    time.sleep(1)
    assert not list(cups.out.glob(f"*-job_{job.cups_job_id}.pdf"))


def test_a_rejecting_queue(service: PrintService, cups: PrivateCups, tmp_path: Path) -> None:
    cups.reject(PDF_QUEUE, "Закончился тонер")
    message = _fails_with_a_sentence(service, latin_pdf(tmp_path / "c.pdf", ["c"]))
    assert "not accepting jobs (Закончился тонер)" in message


def test_an_aborted_job(service: PrintService, tmp_path: Path) -> None:
    message = _fails_with_a_sentence(service, latin_pdf(tmp_path / "d.pdf", ["d"]),
                                     printer=FAILING_QUEUE)
    assert f"«{FAILING_QUEUE}» failed to print the document" in message
    assert "serial port" in message  # CUPS's own words, for the administrator


def test_an_unknown_printer(service: PrintService, tmp_path: Path) -> None:
    message = _fails_with_a_sentence(service, latin_pdf(tmp_path / "e.pdf", ["e"]),
                                     printer="NoSuchQueue")
    assert "no printer named «NoSuchQueue»" in message


def test_no_cupsd(tmp_path: Path) -> None:
    """A cupsd that is stopped for real: the console says so at once, the job is recorded."""
    try:
        server_context = running_cups()
        server = server_context.__enter__()
    except CupsUnavailable as error:
        pytest.fail(str(error), pytrace=False)
    try:
        db = open_store(f"sqlite:///{tmp_path / 'salon.db'}")
        service = PrintService(CupsPrinter(str(server.socket)), StorePrintJobs("S-1", "1"),
                               StoreCounterSettings("S-1", "1"), configured=PDF_QUEUE,
                               clock=SystemClock())
        assert [p.name for p in service.printers()] == [FAILING_QUEUE, PDF_QUEUE]
        server.stop()
        message = _fails_with_a_sentence(service, latin_pdf(tmp_path / "f.pdf", ["f"]))
        assert "print server (CUPS) cannot be reached" in message
        server.start()
        [failed] = service.jobs()
        again = service.retry(CLERK, failed.id)  # the same file, once cupsd is back
        assert again.state is PrintJobState.DONE
        assert again.cups_job_id is not None and server.printed(again.cups_job_id)
        db.close()
    finally:
        server_context.__exit__(None, None, None)


def test_retry_after_the_printer_is_resumed_prints_the_same_file(
        service: PrintService, cups: PrivateCups, tmp_path: Path) -> None:
    sent = latin_pdf(tmp_path / "slip-ORD-000007-3.pdf", ["Order ORD-000007"])
    cups.disable(PDF_QUEUE, "paper jam")
    with pytest.raises(PrintFailed):
        service.print_document(CLERK, sent, documents="order ORD-000007")
    cups.enable(PDF_QUEUE)
    [failed] = service.jobs(1)
    again = service.retry(CLERK, failed.id)
    assert again.id == failed.id and again.state is PrintJobState.DONE
    assert again.documents == "order ORD-000007" and again.kind.value == "slip"
    assert again.cups_job_id is not None
    assert words(cups.printed(again.cups_job_id)) == "Order ORD-000007"


def test_printers_are_listed_with_their_state(service: PrintService,
                                              cups: PrivateCups) -> None:
    cups.disable(FAILING_QUEUE, "unplugged")
    listed = {p.name: p for p in service.printers()}
    assert listed[PDF_QUEUE].state is PrinterState.IDLE and listed[PDF_QUEUE].accepting
    assert listed[PDF_QUEUE].description == "Test PDF printer"
    assert listed[FAILING_QUEUE].state is PrinterState.STOPPED
    assert listed[FAILING_QUEUE].message == "unplugged"
