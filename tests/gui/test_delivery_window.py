"""Delivery in the main window on the real parts, wired by app.main as `salon` does it: the
embedded sandbox over loopback HTTP, the SQLite store and the suite's private cupsd with its
cups-pdf queue. The card lists the subscriber's personal archive with each document's expiry;
the leaflet (F12) is printed; a finished operation's slip is printed from its dialog (Ctrl+P),
and printing it again never repeats the operation; Ctrl+P in the window opens the print queue."""

from __future__ import annotations

import tkinter as tk
from collections.abc import Iterator
from pathlib import Path

import pytest

from app.config import load_settings
from app.ui.window import MainWindow
from models.printing import DocumentKind, PrintJobState
from tests.conftest import write_ini
from tests.gui.helpers import real_window, screen_text
from tests.support.calendar import today_in
from tests.support.cups import PDF_QUEUE, PrivateCups
from tests.support.pdf_compare import page_count

MARIA = "+79161234567"


@pytest.fixture
def window(root: tk.Tk, pump, cups: PrivateCups, tmp_path: Path) -> Iterator[MainWindow]:
    cups.cancel_all()
    settings = load_settings(write_ini(tmp_path, salon={"language": "ru"}, printing={
        "server": str(cups.socket), "printer": PDF_QUEUE}))
    with real_window(root, settings, pump) as window:
        yield window


def look_up(window: MainWindow, pump, number: str) -> None:
    window.search.set_text(number)
    window.search.entry.focus_force()
    window.search.entry.event_generate("<Return>")
    pump(lambda: window.card is not None and not window.busy, timeout=15, what="the card")


def subscriber_text(window: MainWindow) -> str:
    return screen_text(window.card_panel.subscriber)


def test_the_card_lists_the_archive_and_the_leaflet_is_printed(
        window: MainWindow, root: tk.Tk, pump, cups: PrivateCups, screenshot,
        tmp_path: Path) -> None:
    services = window.services
    assert services is not None and services.archive is not None
    assert window.status.print_queue.winfo_ismapped()
    assert "Печать (Ctrl+P)" in screen_text(window.status)
    look_up(window, pump, MARIA)
    pump(lambda: "Личный архив" in subscriber_text(window), what="the archive's row")
    assert "пуст" in subscriber_text(window)

    # A document put into the archive shows on the card with its expiry (3 days, R9).
    document = tmp_path / "Подтверждение.pdf"
    document.write_bytes(_small_pdf())
    assert window.session is not None
    archived = services.archive.upload(window.session, MARIA, document)
    look_up(window, pump, MARIA)
    expiry = services.archive.expires_text(archived)
    pump(lambda: document.name in subscriber_text(window), what="the document on the card")
    assert f"{document.name} — до {expiry}" in subscriber_text(window)
    assert "Ctrl+Shift+A" in subscriber_text(window)
    screenshot("delivery-01-card-archive")

    # F12: the leaflet is made and printed on the counter's queue.
    window.search.entry.focus_force()
    window.search.entry.event_generate("<F12>")
    pump(lambda: "напечатан" in window.message.text, timeout=30, what="the leaflet printed")
    assert "Памятка сохранена" in window.message.text
    assert services.printing is not None
    job = services.printing.jobs()[0]
    assert job.kind is DocumentKind.LEAFLET and job.state is PrintJobState.DONE
    assert job.cups_job_id is not None and job.subscriber == MARIA
    printed = cups.printed(job.cups_job_id)  # what cups-pdf wrote: the leaflet's pages
    assert page_count(printed) == page_count(job.path)
    assert str(job.path) in window.message.text

    # Ctrl+P: the print queue shows the leaflet's job.
    root.focus_force()
    window.search.entry.focus_force()
    window.search.entry.event_generate("<Control-p>")
    dialog = window.delivery.queue_dialog
    assert dialog is not None
    pump(lambda: dialog.loaded, what="the print queue")
    assert any("Памятка о Помощнике" in row for row in dialog.table.values())
    dialog.destroy()
    # Another subscriber: the rows of the last one never show on their card, not even while
    # theirs are being asked.
    look_up(window, pump, "+79031234500")
    assert document.name not in subscriber_text(window)
    pump(lambda: "Личный архив" in subscriber_text(window), what="the new card's archive row")
    assert document.name not in subscriber_text(window)
    # Esc clears the card: its archive row goes.
    window.search.entry.focus_force()
    window.search.entry.event_generate("<Escape>")
    assert window.card_panel.extra_fields["subscriber"] == ()


def _small_pdf() -> bytes:
    from io import BytesIO

    from reportlab.pdfgen.canvas import Canvas

    buffer = BytesIO()
    canvas = Canvas(buffer)
    canvas.drawString(72, 760, "Confirmation")
    canvas.save()
    return buffer.getvalue()


def test_the_slip_is_printed_and_a_reprint_repeats_nothing(
        window: MainWindow, root: tk.Tk, pump, cups: PrivateCups, screenshot) -> None:
    services = window.services
    assert services is not None and services.orders is not None
    assert services.printing is not None
    look_up(window, pump, MARIA)
    pump(lambda: window.orders.options is not None, what="the card's operations")
    before = len(services.orders.recent())
    window.search.entry.focus_force()
    window.search.entry.event_generate("<F6>")  # connect a service
    pump(lambda: window.orders.dialog is not None, what="the operation dialog")
    dialog = window.orders.dialog
    assert dialog is not None
    dialog.lift()
    tree = dialog.choose.tree
    choice = next(item for item in tree.get_children()
                  if "disabled" not in tree.item(item, "tags"))
    dialog.choose.select(choice)
    tree.focus_force()
    tree.event_generate("<Return>")
    pump(lambda: dialog.phase == "preview" and dialog.preview is not None, timeout=15,
         what="the preview")
    dialog.primary_button.focus_force()
    dialog.primary_button.event_generate("<Return>")
    pump(lambda: dialog.phase == "result", timeout=15, what="the result")
    assert dialog.result_step.print.winfo_ismapped()
    assert "Напечатать подтверждение (Ctrl+P)" in screen_text(dialog)
    assert len(services.orders.recent()) == before + 1

    for attempt in (1, 2):  # printed, then printed again: the slip only
        dialog.focus_force()
        dialog.event_generate("<Control-p>")
        pump(lambda n=attempt: [j.state for j in services.printing.jobs()
                                if j.kind is DocumentKind.SLIP] == [PrintJobState.DONE] * n
             and not window.runner.busy, timeout=30, what=f"print {attempt}")
        assert "напечатан" in dialog.message.text and "Не напечатан" not in dialog.message.text
    slips = [j for j in services.printing.jobs() if j.kind is DocumentKind.SLIP]
    assert all(j.state is PrintJobState.DONE and j.subscriber == MARIA for j in slips)
    assert {j.documents for j in slips} == {
        f"order {services.orders.recent()[0].result.order_id}"}
    assert slips[0].cups_job_id is not None and slips[1].path == slips[0].path
    assert page_count(cups.printed(slips[0].cups_job_id)) == 1
    screenshot("delivery-02-slip-printed")
    assert len(services.orders.recent()) == before + 1  # the order was not repeated


def test_the_monthly_detalization_is_subscribed_from_the_card(
        root: tk.Tk, pump, screenshot, tmp_path: Path) -> None:
    """Ctrl+Shift+M: a malformed address is refused and nothing is stored; a good one
    subscribes the number (the card shows it, the address masked); Alt+U unsubscribes."""
    settings = load_settings(write_ini(tmp_path, salon={"language": "ru"}, email={
        "host": "127.0.0.1", "port": "2525", "from": "salon@example.ru"}))
    with real_window(root, settings, pump) as window:
        periodic = window.services.periodic
        look_up(window, pump, MARIA)
        pump(lambda: "Рассылка" in subscriber_text(window),
             what="the subscription's row")
        assert "нет  ·  Ctrl+Shift+M" in subscriber_text(window)
        window.search.entry.focus_force()
        window.search.entry.event_generate("<Control-M>")
        dialog = window.delivery.subscription_dialog
        assert dialog is not None
        pump(lambda: dialog.loaded, what="the subscription looked up")
        dialog.address.insert(0, "ivanova@@example")
        dialog.address.focus_force()
        dialog.address.event_generate("<Return>")
        pump(lambda: not dialog.busy and dialog.message.text, what="the refusal")
        assert dialog.message.view is not None and dialog.message.view.kind == "input"
        assert periodic.for_number(MARIA) is None
        dialog.address.delete(0, "end")
        dialog.address.insert(0, "ivanova@example.ru")
        dialog.format.current(2)  # xlsx
        dialog.address.event_generate("<Return>")
        pump(lambda: dialog.subscription is not None, what="subscribed")
        assert "ivanova@example.ru" in dialog.message.text
        found = periodic.for_number(MARIA)
        assert found is not None and found.format == "xlsx"
        pump(lambda: "i***@example.ru" in subscriber_text(window) or
             ("ivanova@example.ru" not in subscriber_text(window) and
             "XLSX" in subscriber_text(window)), what="the card's row")
        assert "ivanova@example.ru" not in subscriber_text(window)  # masked on the card
        screenshot("delivery-03-subscription")
        dialog.focus_force()
        dialog.event_generate("<Escape>")
        pump(lambda: not dialog.winfo_exists(), what="the dialog closed")
        root.update()
        screenshot("delivery-04-card-rows")
        window.search.entry.focus_force()
        window.search.entry.event_generate("<Control-M>")  # again: it says what is set up
        dialog = window.delivery.subscription_dialog
        assert dialog is not None
        pump(lambda: dialog.loaded and dialog.subscription is not None, what="subscribed")
        this_month = today_in(window.clock).strftime("%m.%Y")  # the first month to go
        assert f"ivanova@example.ru, XLSX, с {this_month}" in screen_text(dialog)
        assert not dialog.address.winfo_ismapped()
        dialog.focus_force()
        dialog.event_generate("<Alt-u>")
        pump(lambda: dialog.subscription is None and not dialog.busy, what="unsubscribed")
        assert periodic.for_number(MARIA) is None
        pump(lambda: "нет  ·  Ctrl+Shift+M" in subscriber_text(window),
             what="the card's row again")


def test_f1_shows_every_key(window: MainWindow, root: tk.Tk, pump, screenshot) -> None:
    window.search.entry.focus_force()
    window.search.entry.event_generate("<F1>")
    sheet = window.keys_dialog
    pump(lambda: sheet.winfo_ismapped(), what="the key sheet")
    text = screen_text(sheet)
    for key in ("Enter", "Ctrl+D", "Ctrl+P", "Ctrl+Shift+A", "Ctrl+Shift+M", "Ctrl+Shift+L",
                "F12"):
        assert key in text, key
    assert "F9" not in text  # the day's log is the manager's
    assert "F1 — все клавиши" in screen_text(window.status)
    screenshot("keys-sheet")
    sheet.focus_force()
    sheet.event_generate("<Escape>")
    pump(lambda: not sheet.winfo_exists(), what="the sheet closed")
