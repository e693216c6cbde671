"""The delivery entry (paper, e-mail, archive, file) with fakes at its edges, the local R9
purge of the documents folder, and the words the print queue and the archive use."""

from __future__ import annotations

import os
from datetime import UTC, date, datetime, timedelta
from email.message import EmailMessage
from pathlib import Path

import pytest

from app.clock import FixedClock
from app.config import EmailSettings, Settings
from app.errors import InputError, PrintFailed, SalonError
from app.i18n import set_language
from app.services.archive import ArchiveService
from app.services.delivery import (
    Deliverable,
    DeliveryMethod,
    DeliveryService,
    for_detalization,
)
from app.services.email import EmailService
from app.services.kept_files import KeptFiles
from app.services.printing import PrintService
from app.services.retention import RetentionService
from app.ui.presenters.archive import present_archive, time_left
from app.ui.presenters.print_queue import present_jobs, queue_summary
from app.ui.presenters.printer_settings import choice_text, present_printers
from models.archive import ArchivedDocument, FetchedDocument
from models.detalization import Period
from models.printing import DocumentKind, PrinterChoice, PrinterState, PrintJobState
from tests.support.fake_wiring import CLERK
from tests.support.identity import IDENTIFIED
from tests.support.print_fakes import (
    FakePrinter,
    ListJournal,
    MemoryPrintJobs,
    MemorySettings,
    queue,
)

NOW = datetime(2026, 11, 23, 9, 0, tzinfo=UTC)
OCTOBER = Period(date(2026, 10, 1), date(2026, 10, 31))


class Letters:
    def __init__(self) -> None:
        self.sent: list[EmailMessage] = []

    def send(self, message: EmailMessage) -> None:
        self.sent.append(message)


class Archive:
    def __init__(self) -> None:
        self.uploads: list[tuple[str, str, str, bytes, str]] = []

    def upload(self, msisdn: str, name: str, content_type: str, content: bytes, *,
               key: str) -> ArchivedDocument:
        self.uploads.append((msisdn, name, content_type, content, key))
        return ArchivedDocument("doc_1", name, content_type, len(content), "0" * 64, NOW,
                                NOW + timedelta(days=3))

    def documents(self, msisdn: str) -> list[ArchivedDocument]:
        return []

    def fetch(self, document_id: str) -> FetchedDocument:
        raise AssertionError


class Info:
    """What DetalizationService.order returns, as far as delivery needs it."""

    def __init__(self, path: Path) -> None:
        self.path, self.msisdn, self.document_id, self.period = (
            path, "+79161234567", "DET-20261123-ABCD2345", OCTOBER)


@pytest.fixture
def parts(settings: Settings, tmp_path: Path):
    printer = FakePrinter(queue("Counter1"))
    letters, archive = Letters(), Archive()
    mail = EmailSettings(host="relay.example.ru", from_address="salon@example.ru")
    service = DeliveryService(
        settings.salon,
        printing=PrintService(printer, MemoryPrintJobs(), MemorySettings(),
                              configured="Counter1", clock=FixedClock(NOW)),
        email=EmailService(letters, mail, settings.salon, clock=FixedClock(NOW),
            identity=IDENTIFIED),
        archive=ArchiveService(archive, documents_dir=tmp_path, timezone="Europe/Moscow",
                               clock=FixedClock(NOW), identity=IDENTIFIED))
    report = tmp_path / "DET-20261123-ABCD2345.pdf"
    report.write_bytes(b"%PDF-1.7 report")
    return service, printer, letters, archive, for_detalization(Info(report))


def test_each_way_of_delivery(parts) -> None:
    service, _printer, letters, archive, doc = parts
    assert set(service.available()) == set(DeliveryMethod)
    paper = service.deliver(CLERK, doc, DeliveryMethod.PAPER)
    assert paper.print_job is not None and paper.print_job.state is PrintJobState.DONE
    assert paper.print_job.documents == "detalization DET-20261123-ABCD2345"
    assert paper.print_job.kind is DocumentKind.DETALIZATION
    assert "Printed on «Counter1»" in paper.sentence
    mail = service.deliver(CLERK, doc, DeliveryMethod.EMAIL, to="petrova@example.ru")
    assert mail.mail is not None and mail.mail.to_masked == "p***@example.ru"
    [letter] = letters.sent
    assert letter["Subject"] == "Детализация за 01.10.2026 — 31.10.2026"
    kept = service.deliver(CLERK, doc, DeliveryMethod.ARCHIVE)
    assert kept.archived is not None and "doc_1" in kept.sentence
    assert archive.uploads[0][:3] == ("+79161234567", doc.path.name, "application/pdf")
    assert archive.uploads[0][4].startswith("archive-")
    saved = service.deliver(CLERK, doc, DeliveryMethod.FILE)
    assert str(doc.path) in saved.sentence


def test_what_is_refused_before_anything_is_made(parts) -> None:
    service, *_ = parts
    assert service.check(DeliveryMethod.EMAIL, to=" A@Example.RU") == "A@example.ru"
    with pytest.raises(InputError, match="not an e-mail address"):
        service.check(DeliveryMethod.EMAIL, to="a@")
    with pytest.raises(InputError, match="e-mail address"):
        service.check(DeliveryMethod.EMAIL)
    with pytest.raises(InputError, match="pdf format"):
        service.check(DeliveryMethod.PAPER, fmt="xlsx")
    with pytest.raises(InputError, match="PDF, HTML"):
        service.check(DeliveryMethod.ARCHIVE, fmt="docx")


def test_paper_that_fails_keeps_the_document(parts) -> None:
    service, printer, _letters, _archive, doc = parts
    printer.set("Counter1", state=PrinterState.STOPPED, message="paper jam")
    with pytest.raises(PrintFailed) as failed:
        service.deliver(CLERK, doc, DeliveryMethod.PAPER)
    assert failed.value.path == doc.path.resolve() and doc.path.exists()


def test_e_mail_not_set_up(settings: Settings, tmp_path: Path) -> None:
    service = DeliveryService(settings.salon, email=EmailService(
        None, EmailSettings(), settings.salon, clock=FixedClock(NOW), identity=IDENTIFIED))
    assert DeliveryMethod.EMAIL not in service.available()
    with pytest.raises(InputError, match="not set up"):
        service.check(DeliveryMethod.EMAIL, to="a@example.ru")
    with pytest.raises(SalonError, match="Printing is not available"):
        service.check(DeliveryMethod.PAPER)
    plain = Deliverable(tmp_path / "x.pdf", DocumentKind.FILE)
    with pytest.raises(SalonError, match="archive is not available"):
        service.deliver(CLERK, plain, DeliveryMethod.ARCHIVE)


class MemoryKeptFiles:
    """The kept-file records of models/kept_files.py, in memory."""

    def __init__(self) -> None:
        self.rows: dict[str, datetime] = {}

    def keep(self, path: str, at: datetime) -> None:
        self.rows[path] = at

    def times(self) -> dict[str, datetime]:
        return dict(self.rows)

    def forget(self, paths) -> None:
        for path in paths:
            self.rows.pop(path, None)


def test_the_local_purge_goes_by_the_consoles_clock_and_nothing_outside(tmp_path: Path) -> None:
    """R9 by the times the console recorded with its clock: the clock moved four days on
    (training's +24 h, or just time) takes what was written then, whatever the files'
    modification times say; a file found unrecorded waits a whole period from then."""
    documents = tmp_path / "documents"
    clock = FixedClock(NOW)
    kept = KeptFiles(documents, MemoryKeptFiles(), clock)
    old = [documents / "slips" / "slip-ORD-1-1.pdf", documents / "leaflets" / "l.pdf",
           documents / "archive" / "doc_1-x.pdf", documents / "DET-20261101-OLD.xlsx"]
    fresh = documents / "slips" / "slip-ORD-2-2.pdf"
    stray = documents / "put there by hand.pdf"
    outside = tmp_path / "clerk's own.pdf"
    for path in (*old, outside):
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(b"x")
        kept.written(path)  # the outside one is not recorded: it is not the console's
    (documents / "link.pdf").symlink_to(outside)
    stray.write_bytes(b"x")
    clock.advance(timedelta(days=3, seconds=1))
    fresh.write_bytes(b"x")
    kept.written(fresh)
    for path in (*old, fresh, stray):  # modification times do not count, however old
        os.utime(path, (0, 0))
    jobs, journal = MemoryPurges(), ListJournal()
    retention = RetentionService(kept, 3, print_jobs=jobs, journal=journal, clock=clock)
    report = retention.purge()
    assert (report.documents, report.print_jobs) == (4, 2)
    assert not any(path.exists() for path in old)
    assert fresh.exists() and stray.exists() and outside.exists()
    assert (documents / "link.pdf").is_symlink()
    [entry] = journal.of("purge")
    assert entry[4] == ("on request: removed 6 (usage records 0, "
                        "local documents 4, print jobs 2, archive notes 0)")
    assert retention.purge().documents == 0
    clock.advance(timedelta(days=3, seconds=1))  # the stray one was first seen a period ago
    assert retention.purge().documents == 2 and not stray.exists() and not fresh.exists()
    assert outside.exists()


class MemoryPurges:
    def purge(self, before: datetime) -> list[int]:
        return [1, 2]


def test_the_screens_words(tmp_path: Path) -> None:
    set_language("ru")
    try:
        printer = FakePrinter(queue("Counter1"))
        service = PrintService(printer, MemoryPrintJobs(), MemorySettings(),
                               configured="Counter1", clock=FixedClock(NOW))
        document = tmp_path / "slip-ORD-9-1.pdf"
        document.write_bytes(b"%PDF-1.4")
        service.print_document(CLERK, document, documents="order ORD-9")
        [row] = present_jobs(service.jobs(), "Europe/Moscow")
        assert row.values[0] == "23.11.2026, 12:00" and row.values[4] == "напечатан"
        assert row.can_retry and not row.can_cancel
        assert "подтверждает: заказ ORD-9" in row.detail
        assert queue_summary(service.jobs()) == \
            "Печатается: 0 · не напечатано: 0 · напечатано: 1"
        assert time_left(NOW + timedelta(hours=50), NOW) == "2 д 2 ч"
        assert time_left(NOW + timedelta(minutes=20), NOW) == "меньше часа"
        assert time_left(NOW - timedelta(minutes=1), NOW) == "срок истёк"
        doc = ArchivedDocument("doc_1", "a.pdf", "application/pdf", 3 * 2**20, "0", NOW,
                               NOW + timedelta(hours=5))
        [archived] = present_archive([doc], NOW, "Europe/Moscow")
        assert archived.values[3:] == ("5 часов", "3.0 МБ") and archived.tags == ("pending",)
        rows = present_printers([queue("Counter1"), queue("Hall", accepting=False)],
                                PrinterChoice("Counter1", "counter"))
        assert rows[0].usable and rows[0].tags == ("chosen",)
        assert rows[1].values[1] == "не принимает задания" and not rows[1].usable
        assert choice_text(PrinterChoice(None, "")).startswith("Для этой кассы не выбран")
    finally:
        set_language("en")
