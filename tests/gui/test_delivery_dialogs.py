"""The delivery screens under Xvfb with fakes at the edges: the print queue (the real
PrintService over a scripted print server), the printer settings, the personal archive. They
are driven with keys and buttons, fail on any Tk callback error, and leave screenshots."""

from __future__ import annotations

import tkinter as tk
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from app.clock import FixedClock
from app.errors import OperatorUnavailable, PrintFailed, RuleRefused
from app.services.printing import PrintService
from app.ui.delivery_ports import ArchivePort, PrintPort
from app.ui.runner import BackgroundRunner
from app.ui.theme import apply_theme
from app.ui.views.archive_dialog import ArchiveDialog
from app.ui.views.print_queue_dialog import PrintQueueDialog
from app.ui.views.printer_settings_dialog import PrinterSettingsDialog
from models.archive import ArchivedDocument, FetchedDocument
from models.domain import Session
from models.printing import CupsJobState, PrinterState, PrintJobState
from tests.gui.helpers import screen_text
from tests.support.fake_wiring import CLERK
from tests.support.print_fakes import FakePrinter, MemoryPrintJobs, MemorySettings, queue

NOW = datetime(2026, 11, 23, 9, 25, tzinfo=UTC)
P = CupsJobState


def pdf(folder: Path, name: str) -> Path:
    path = folder / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(b"%PDF-1.4\n%%EOF\n")
    return path


@pytest.fixture
def printing(tmp_path: Path) -> tuple[PrintService, FakePrinter]:
    printer = FakePrinter(queue("Counter1", description="Касса 1", location="Зал"),
                          queue("Hall", description="Зал, цветной"),
                          queue("Office", state=PrinterState.STOPPED, message="Замятие бумаги"),
                          default="Hall")
    service = PrintService(printer, MemoryPrintJobs(), MemorySettings(), configured="Counter1",
                           clock=FixedClock(NOW), wait_s=0.3, poll_s=0.05)
    return service, printer


def fill_queue(service: PrintService, printer: FakePrinter, folder: Path) -> None:
    """A printed slip, a detalization that failed on a stopped queue, a leaflet printing."""
    service.print_document(CLERK, pdf(folder / "slips", "slip-ORD-000041-7.pdf"),
                           documents="order ORD-000041")
    printer.set("Counter1", state=PrinterState.STOPPED, message="Замятие бумаги")
    with pytest.raises(PrintFailed):
        service.print_document(CLERK, pdf(folder, "DET-20261123-K7M2PQ9X.pdf"),
                               documents="detalization DET-20261123-K7M2PQ9X")
    printer.set("Counter1", state=PrinterState.IDLE, message="")
    printer.script("Counter1", [P.PROCESSING] * 30 + [P.COMPLETED], "Печать страницы 2")
    job = service.print_document(CLERK, pdf(folder / "leaflets", "assistant-leaflet.pdf"))
    assert job.state is PrintJobState.PRINTING
    printer.script("Counter1", [P.COMPLETED])  # the next job prints at once


def test_the_print_queue_retries_and_cancels(root: tk.Tk, pump, screenshot, printing,
                                             tmp_path: Path) -> None:
    service, printer = printing
    fill_queue(service, printer, tmp_path)
    assert isinstance(service, PrintPort)
    apply_theme(root)
    runner = BackgroundRunner(root)
    opened: list[str] = []
    dialog = PrintQueueDialog(root, service, runner, CLERK, timezone="Europe/Moscow",
                              on_settings=lambda: opened.append("settings"))
    try:
        pump(lambda: dialog.loaded, what="the queue")
        values = dialog.table.values()
        assert [v[4] for v in values] == ["печатается", "не напечатан", "напечатан"]
        assert [v[2] for v in values] == ["Памятка о Помощнике", "Детализация",
                                          "Подтверждение"]
        assert "Печатается: 1 · не напечатано: 1 · напечатано: 1" in dialog.summary.cget("text")
        assert "Замятие бумаги" in values[1][6]
        dialog.table.tree.selection_set("2")
        pump(lambda: dialog.retry_button.instate(["!disabled"]), what="retry enabled")
        assert dialog.cancel_button.instate(["disabled"])
        assert "подтверждает: детализация DET-20261123-K7M2PQ9X" in \
            dialog.table.detail.cget("text")
        pump(dialog.winfo_viewable, what="the dialog on screen")
        dialog.lift()
        screenshot("40-print-queue")
        dialog.focus_force()
        dialog.event_generate("<Control-p>")
        pump(lambda: "напечатан на «Counter1»" in dialog.message.text, timeout=10,
             what="the reprint")
        assert service.job(2).state is PrintJobState.DONE
        assert [s[0].name for s in printer.submitted].count("DET-20261123-K7M2PQ9X.pdf") == 1
        # The leaflet still printing: Delete asks, Delete again cancels it in CUPS too.
        dialog.table.tree.selection_set("3")
        pump(lambda: dialog.cancel_button.instate(["!disabled"]), what="cancel enabled")
        dialog.event_generate("<Delete>")
        assert "Нажмите Delete ещё раз" in dialog.message.text
        dialog.event_generate("<Delete>")
        pump(lambda: "отменено" in dialog.message.text, what="the cancel")
        assert service.job(3).state is PrintJobState.CANCELLED
        assert printer.cancelled == [service.job(3).cups_job_id]
        dialog.event_generate("<F4>")
        assert opened == ["settings"]
    finally:
        dialog.destroy()
        runner.shutdown()


def test_the_queue_follows_a_job_until_it_is_printed(root: tk.Tk, pump, printing,
                                                     tmp_path: Path) -> None:
    service, printer = printing
    printer.script("Counter1", [P.PROCESSING] * 12 + [P.COMPLETED])
    job = service.print_document(CLERK, pdf(tmp_path, "slip-ORD-1-1.pdf"))
    assert job.state is PrintJobState.PRINTING
    runner = BackgroundRunner(root)
    dialog = PrintQueueDialog(root, service, runner, CLERK, timezone="Europe/Moscow")
    try:
        pump(lambda: dialog.loaded, what="the queue")
        assert not dialog.settings_button.winfo_ismapped()
        pump(lambda: dialog.table.values()[0][4] == "напечатан", timeout=20,
             what="the job followed to its end")
    finally:
        dialog.destroy()
        runner.shutdown()


def test_printer_settings_choose_and_forget(root: tk.Tk, pump, screenshot,
                                            printing) -> None:
    service, _printer = printing
    apply_theme(root)
    runner = BackgroundRunner(root)
    chosen = []
    dialog = PrinterSettingsDialog(root, service, runner, CLERK, on_chosen=chosen.append)
    try:
        pump(lambda: dialog.choice is not None and not dialog.busy, what="the printers")
        assert "«Counter1» (из salon.ini, [printing] printer)" in dialog.choice_label.cget("text")
        assert dialog.table.selected == "Counter1"
        rows = {v[0]: v for v in dialog.table.values()}
        assert rows["Office"][1] == "остановлен" and "Замятие бумаги" in rows["Office"][4]
        assert "по умолчанию" in rows["Hall"][4]
        assert dialog.forget_button.instate(["disabled"])
        dialog.table.tree.selection_set("Hall")
        dialog.table.tree.focus_force()
        pump(lambda: dialog.focus_get() is dialog.table.tree, what="focus on the table")
        dialog.table.tree.event_generate("<Return>")
        pump(lambda: chosen and not dialog.busy, what="the choice")
        assert chosen[-1].name == "Hall" and chosen[-1].source == "counter"
        assert "выбран на этой кассе" in dialog.choice_label.cget("text")
        assert service.choice().name == "Hall"
        dialog.table.tree.selection_set("Office")
        dialog.choose_button.invoke()
        pump(lambda: len(chosen) == 2 and not dialog.busy, what="the stopped one")
        assert "не напечатаются, пока его не исправят" in dialog.message.text
        dialog.lift()
        screenshot("41-printer-settings")
        dialog.forget_button.invoke()
        pump(lambda: len(chosen) == 3 and not dialog.busy, what="back to salon.ini's")
        assert service.choice().source == "salon.ini"
    finally:
        dialog.destroy()
        runner.shutdown()


def test_printer_settings_without_a_print_server(root: tk.Tk, pump, printing) -> None:
    service, printer = printing
    printer.unreachable = True
    runner = BackgroundRunner(root)
    dialog = PrinterSettingsDialog(root, service, runner, CLERK)
    try:
        pump(lambda: not dialog.busy and dialog.message.text, what="the refusal")
        assert "Нет связи с сервером печати (CUPS)" in dialog.message.text
    finally:
        dialog.destroy()
        runner.shutdown()


class FakeArchive:
    """The personal archive's port, in memory; 'expired' ids answer as the operator does."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self.docs = [
            ArchivedDocument("doc_b", "DET-20261123-K7M2PQ9X.pdf", "application/pdf", 182_340,
                             "b" * 64, NOW - timedelta(hours=70), NOW + timedelta(hours=2)),
            ArchivedDocument("doc_a", "Детализация октябрь.xlsx", "application/vnd…", 48_200,
                             "a" * 64, NOW - timedelta(hours=3), NOW + timedelta(hours=69)),
        ]
        self.expired = {"doc_b"}
        self.offline = False

    def upload(self, clerk: Session, phone: str, path: Path) -> ArchivedDocument:
        doc = ArchivedDocument("doc_new", path.name, "application/pdf", path.stat().st_size,
                               "c" * 64, NOW, NOW + timedelta(days=3))
        self.docs.insert(0, doc)
        return doc

    def documents(self, clerk: object, phone: str) -> list[ArchivedDocument]:
        if self.offline:
            raise OperatorUnavailable("The operator's system cannot be reached.")
        return list(self.docs)

    def fetch(self, clerk: Session, document_id: str, target: Path | None = None,
              subscriber: str = "") -> Path:
        if document_id in self.expired:
            raise RuleRefused("Архив оператора хранил документ doc_b 3 дня (R9); срок истёк "
                              "23.11.2026, 14:25, документ удалён.", rule="R9")
        fetched = FetchedDocument("x.pdf", "application/pdf", b"%PDF")
        path = self.folder / f"{document_id}-{fetched.name}"
        path.write_bytes(fetched.content)
        return path


def test_the_personal_archive(root: tk.Tk, pump, screenshot, tmp_path: Path) -> None:
    archive = FakeArchive(tmp_path)
    assert isinstance(archive, ArchivePort)
    apply_theme(root)
    runner = BackgroundRunner(root)
    to_upload = pdf(tmp_path, "slip-ORD-000041-7.pdf")
    dialog = ArchiveDialog(root, archive, runner, CLERK, "+79161234567",
                           timezone="Europe/Moscow", clock=FixedClock(NOW),
                           ask_file=lambda: to_upload)
    try:
        pump(lambda: dialog.loaded and not dialog.busy, what="the archive")
        assert "Личный архив номера +7 916 123-45-67" in dialog.title_label.cget("text")
        rows = dialog.table.values()
        assert rows[0][3] == "2 часа" and rows[1][3] == "2 д 21 ч"
        assert rows[0][2] == "23.11.2026, 14:25"  # kept until, Moscow time
        assert "2 документа в личном архиве" in dialog.summary.cget("text")
        pump(dialog.winfo_viewable, what="the dialog on screen")
        dialog.lift()
        screenshot("42-personal-archive")
        dialog.table.tree.selection_set("doc_a")
        dialog.table.tree.focus_force()
        pump(lambda: dialog.focus_get() is dialog.table.tree, what="focus on the table")
        dialog.table.tree.event_generate("<Return>")
        pump(lambda: dialog.fetched is not None, what="the fetch")
        assert dialog.fetched == tmp_path / "doc_a-x.pdf"
        assert "Получено из архива" in dialog.message.text
        dialog.table.tree.selection_set("doc_b")
        dialog.fetch_button.invoke()
        pump(lambda: "срок истёк" in dialog.message.text and not dialog.busy,
             what="the expired one")
        dialog.focus_force()
        dialog.event_generate("<Control-u>")
        pump(lambda: "помещён в личный архив" in dialog.message.text and not dialog.busy,
             what="the upload")
        assert dialog.table.values()[0][0] == to_upload.name
        assert "slip-ORD-000041-7.pdf" in screen_text(dialog)
    finally:
        dialog.destroy()
        runner.shutdown()


def test_the_archive_offline(root: tk.Tk, pump, tmp_path: Path) -> None:
    archive = FakeArchive(tmp_path)
    archive.offline = True
    runner = BackgroundRunner(root)
    dialog = ArchiveDialog(root, archive, runner, CLERK, "+79161234567",
                           timezone="Europe/Moscow", clock=FixedClock(NOW))
    try:
        pump(lambda: not dialog.busy and dialog.message.text, what="the sentence")
        assert dialog.message.view is not None and dialog.message.view.kind == "offline"
    finally:
        dialog.destroy()
        runner.shutdown()


def test_the_window_part_opens_the_dialogs_and_prints(root: tk.Tk, pump, printing,
                                                      tmp_path: Path) -> None:
    """DeliveryControls against a stand-in for the main window (what it asks of it)."""
    from types import SimpleNamespace

    from app.config import load_settings
    from app.ui.delivery import DeliveryControls
    from app.ui.views.message import MessageArea
    from tests.conftest import write_ini
    from tests.gui.fakes import NoPeriodic

    service, printer = printing
    apply_theme(root)
    runner = BackgroundRunner(root)
    message = MessageArea(root)
    message.grid(row=0, column=0)
    card = SimpleNamespace(subscriber=SimpleNamespace(msisdn="+79161234567"), source="api",
                           withheld=())  # R10: identified
    rows: list[tuple[str, tuple]] = []
    card_panel = SimpleNamespace(set_extra_fields=lambda *row: rows.append(row))
    window = SimpleNamespace(
        root=root, runner=runner, session=CLERK, working=True, card=card, message=message,
        card_panel=card_panel, clock=FixedClock(NOW),
        settings=load_settings(write_ini(tmp_path)),
        services=SimpleNamespace(printing=service, archive=FakeArchive(tmp_path),
                                 periodic=NoPeriodic()))
    controls = DeliveryControls(window)
    controls.bind_keys()
    try:
        root.focus_force()
        pump(lambda: root.focus_get() is not None, what="focus in the window")
        root.event_generate("<Control-p>")
        assert controls.queue_dialog is not None
        pump(lambda: controls.queue_dialog.loaded, what="the print queue")
        controls.queue_dialog.event_generate("<F4>")
        assert controls.settings_dialog is not None
        controls.settings_dialog.destroy()  # the window's keys work in the window
        controls.queue_dialog.destroy()
        root.focus_force()
        pump(lambda: root.focus_get() is root, what="focus back in the window")
        root.event_generate("<Control-Shift-A>")
        assert controls.archive_dialog is not None
        pump(lambda: controls.archive_dialog.loaded, what="the card's archive")
        assert "+7 916 123-45-67" in controls.archive_dialog.title_label.cget("text")
        controls.open_print_queue()
        slip = pdf(tmp_path / "slips", "slip-ORD-000050-9.pdf")
        controls.print_document(slip, documents="order ORD-000050", subscriber="+79161234567")
        pump(lambda: "напечатан на «Counter1»" in message.text, what="the slip printed")
        pump(lambda: len(controls.queue_dialog.table.values()) == 1, what="the queue updated")
        printer.set("Counter1", accepting=False, message="Нет тонера")
        controls.print_document(slip)
        pump(lambda: "Не напечатано" in message.text, what="the refusal")
        assert "Нет тонера" in message.text and str(slip.resolve()) in message.text
        assert message.view is not None and message.view.kind == "failure"
    finally:
        for dialog in (controls.queue_dialog, controls.settings_dialog,
                       controls.archive_dialog):
            if dialog is not None and dialog.winfo_exists():
                dialog.destroy()
        runner.shutdown()
