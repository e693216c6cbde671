"""The detalization dialog delivers (R8): print at the counter, send by e-mail, put into the
personal archive — on the fake detalization and a fake delivery port (tests/gui/
fake_detalization.py) whose `check` is the real DeliveryService's rules. Keys as the clerk
presses them; screenshots of step 2 and of the done face (artifacts/screenshots/
detalization-4*.png)."""

from __future__ import annotations

import logging
import threading
import tkinter as tk
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from app.config import Settings
from app.errors import AddressRefused, PrintFailed
from app.i18n import _
from app.services.delivery import DeliveryMethod
from app.ui.presenters.detalization import Delivery, Step
from app.ui.presenters.detalization_delivery import StatusKind
from app.ui.views.detalization_dialog import DetalizationDialog
from app.ui.window import MainWindow
from tests.gui.fake_detalization import FakeDelivery, FakeDetalization, FakePrinting
from tests.gui.fakes import (
    ANNA,
    IVANOVA,
    Clock,
    FakeOperator,
    make_services,
    session_of,
    write_settings,
)
from tests.gui.helpers import screen_text, type_in

Pump = Callable[..., None]


@pytest.fixture
def settings(tmp_path: Path) -> Settings:
    return write_settings(tmp_path)


@pytest.fixture
def delivery(settings: Settings) -> FakeDelivery:
    return FakeDelivery(settings.salon)


@pytest.fixture
def window(root: tk.Tk, settings: Settings, fake: FakeDetalization, delivery: FakeDelivery,
           pump: Pump) -> Iterator[MainWindow]:
    clock = Clock()
    services = make_services(settings, FakeOperator(), clock)
    services.detalization = fake  # type: ignore[assignment]
    services.delivery = delivery  # type: ignore[assignment]
    services.printing = FakePrinting()  # type: ignore[assignment]
    window = MainWindow(root, settings, services, clock=clock)
    window.start_session(session_of(ANNA))
    pump(root.winfo_ismapped, what="the window to be mapped")
    yield window
    pump(lambda: not window.runner.busy, what="the runner's jobs to come back")
    window.close()


def open_at_delivery(window: MainWindow, pump: Pump) -> DetalizationDialog:
    window.search.set_text(IVANOVA)
    window.search.entry.focus_force()
    window.search.entry.event_generate("<Return>")
    pump(lambda: window.card is not None and not window.busy, what="the card")
    window.search.entry.focus_force()
    window.search.entry.event_generate("<Control-d>")
    pump(lambda: window.detalization.dialog is not None, what="the dialog")
    dialog = window.detalization.dialog
    assert dialog is not None
    dialog.lift()
    press(dialog, pump, "<Return>", Step.DELIVERY)
    pump(lambda: dialog.focus_get() is dialog.delivery_step.radios[Delivery.FILE],
         what="the cursor on the first choice")
    return dialog


def press(dialog: DetalizationDialog, pump: Pump, sequence: str, until: Step) -> None:
    """A key where the cursor is; the dialog comes to `until`."""
    widget = dialog.focus_get() or dialog.primary_button
    widget.focus_force()
    widget.event_generate(sequence)
    pump(lambda: dialog.step is until, what=str(until))


def choose(dialog: DetalizationDialog, pump: Pump, delivery: Delivery) -> None:
    """↓ from where the cursor is until `delivery` is chosen (as the clerk does)."""
    for _attempt in range(len(Delivery)):
        if dialog.delivery is delivery:
            return
        radio = dialog.delivery_step.radios[dialog.delivery]
        radio.focus_force()
        radio.event_generate("<Down>")
        pump(lambda: True)
    raise AssertionError(f"{delivery} could not be reached with ↓")


def to_done(dialog: DetalizationDialog, pump: Pump) -> None:
    press(dialog, pump, "<Return>", Step.FORMAT)
    press(dialog, pump, "<Return>", Step.CHECK)
    press(dialog, pump, "<Return>", Step.DONE)


def test_a_bad_address_is_refused_at_the_field_and_nothing_is_ordered(
    window: MainWindow, pump: Pump, screenshot, fake: FakeDetalization,
    delivery: FakeDelivery, caplog: pytest.LogCaptureFixture,
) -> None:
    caplog.set_level(logging.DEBUG)
    dialog = open_at_delivery(window, pump)
    step = dialog.delivery_step
    assert not step.email_row.winfo_ismapped()  # only for the e-mail choice
    choose(dialog, pump, Delivery.EMAIL)
    pump(step.email_row.winfo_ismapped, what="the address field")
    assert "E-mail абонента" in screen_text(dialog)
    press(dialog, pump, "<Return>", Step.DELIVERY)  # no address yet
    pump(lambda: dialog.focus_get() is step.email, what="the cursor in the address")
    assert step.email_error.cget("text") == ("Укажите адрес e-mail абонента, на который "
                                             "отправить документ.")
    type_in(step.email, "maria.ivanova@@example")
    press(dialog, pump, "<Return>", Step.DELIVERY)
    said = "«maria.ivanova@@example» — не адрес e-mail; пишите его как name@example.ru."
    pump(lambda: step.email_error.winfo_ismapped(), what="the sentence at the field")
    assert step.email_error.cget("text") == said
    assert dialog.focus_get() is step.email
    screenshot("detalization-40-email-refused")
    assert fake.ordered == [] and delivery.delivered == []
    assert "maria.ivanova" not in caplog.text  # the typed address is never logged

    step.email.event_generate("<KeyRelease>")  # typing again clears the sentence
    assert not step.email_error.winfo_ismapped()
    type_in(step.email, "  Maria.Ivanova@Example.RU ")
    to_done(dialog, pump)
    pump(lambda: dialog.delivery_status is not None
         and dialog.delivery_status.kind is StatusKind.DONE, what="the letter")
    assert len(fake.ordered) == 1
    [(doc, method, to)] = delivery.delivered
    assert method is DeliveryMethod.EMAIL and to == "Maria.Ivanova@example.ru"
    assert doc.path == dialog.info.path and doc.kind.value == "detalization"
    assert "Отправлено по e-mail на M***@example.ru." in screen_text(dialog)
    assert "Maria.Ivanova@example.ru" not in caplog.text


def test_an_address_not_the_subscribers_is_refused_before_anything_is_made(
    window: MainWindow, pump: Pump, screenshot, fake: FakeDetalization,
    delivery: FakeDelivery,
) -> None:
    """R10 (issue 14.5): the address is held to the delivery rule on the worker before the
    order; a refusal is said under the address and nothing is made; ticked "the holder gave
    it at the counter", the same address goes."""
    dialog = open_at_delivery(window, pump)
    step = dialog.delivery_step
    choose(dialog, pump, Delivery.EMAIL)
    pump(step.email_row.winfo_ismapped, what="the address field")
    assert step.given_check.winfo_ismapped() and not step.given.get()
    type_in(step.email, "new.mailbox@mail.example")
    said = ("R10: n***@mail.example — не тот адрес, который известен оператору для этого "
            "абонента. Документ отправляют только абоненту: на адрес, известный оператору, "
            "или на адрес, который владелец номера назвал в салоне (отметьте это или укажите "
            "--given-by-holder). Ничего не отправлено.")
    delivery.address_refusal = AddressRefused(_(
        "R10: {address} is not an address the operator holds for this subscriber. A document "
        "goes only to the subscriber: to the operator's address, or to one the holder gives at "
        "the counter (tick it, or --given-by-holder). Nothing was sent.").format(
            address="n***@mail.example"))
    press(dialog, pump, "<Return>", Step.FORMAT)
    press(dialog, pump, "<Return>", Step.CHECK)
    press(dialog, pump, "<Return>", Step.DELIVERY)  # refused on the worker, back at the field
    pump(lambda: step.email_error.winfo_ismapped(), what="the sentence at the field")
    assert step.email_error.cget("text") == said
    assert fake.ordered == [] and delivery.delivered == []
    assert delivery.address_checks == [("new.mailbox@mail.example", IVANOVA, False)]
    screenshot("detalization-42-email-not-the-subscribers")

    delivery.address_refusal = None
    step.given_check.invoke()  # the holder gave it at the counter
    to_done(dialog, pump)
    pump(lambda: dialog.delivery_status is not None
         and dialog.delivery_status.kind is StatusKind.DONE, what="the letter")
    assert delivery.address_checks[-1] == ("new.mailbox@mail.example", IVANOVA, True)
    assert len(fake.ordered) == 1 and len(delivery.delivered) == 1


def test_paper_takes_the_pdf_shows_the_printer_and_the_printed_sentence(
    window: MainWindow, pump: Pump, screenshot, fake: FakeDetalization,
    delivery: FakeDelivery,
) -> None:
    dialog = open_at_delivery(window, pump)
    choose(dialog, pump, Delivery.PAPER)
    assert dialog.delivery_step.folder.instate(["disabled"])
    screenshot("detalization-41-delivery-paper")
    press(dialog, pump, "<Return>", Step.FORMAT)
    assert dialog.fmt == "pdf"  # preselected: paper is printed from the PDF
    dialog.format_step.radios["html"].invoke()
    press(dialog, pump, "<Return>", Step.FORMAT)  # refused with the service's sentence
    assert dialog.message.text == ("На бумаге печатается PDF: выберите формат pdf, чтобы "
                                   "напечатать документ.")
    dialog.format_step.radios["pdf"].invoke()
    press(dialog, pump, "<Return>", Step.CHECK)
    pump(lambda: "напечатать у стойки на «Counter1»" in screen_text(dialog),
         what="the printer's name")
    press(dialog, pump, "<Return>", Step.DONE)
    pump(lambda: dialog.delivery_status is not None
         and dialog.delivery_status.kind is StatusKind.DONE, what="the print")
    pump(lambda: dialog.done_step.has_page, what="the first page")
    text = screen_text(dialog)
    assert "Напечатано на «Counter1» (задание печати 1)." in text
    assert "Повторить доставку" not in text  # nothing to retry
    [(doc, method, _to)] = delivery.delivered
    assert method is DeliveryMethod.PAPER and doc.path.suffix == ".pdf"
    assert doc.path.parent == fake.documents  # made into the console's folder
    assert delivery.threads and "MainThread" not in delivery.threads
    screenshot("detalization-42-done-printed")


def test_a_failed_print_keeps_the_document_and_retry_delivers_the_same_file(
    window: MainWindow, root: tk.Tk, pump: Pump, screenshot, fake: FakeDetalization,
    delivery: FakeDelivery,
) -> None:
    root.geometry("1024x700+0+0")  # the smallest screen: the failure and Retry still fit
    pump(lambda: root.winfo_width() == 1024 and root.winfo_height() == 700, what="1024x700")
    dialog = open_at_delivery(window, pump)
    choose(dialog, pump, Delivery.PAPER)
    kept = fake.documents / "kept.pdf"
    failed = _("Not printed: {problem} The document is kept: {path}").format(
        problem="Принтер «Counter1» остановлен: Замятие бумаги.", path=kept)
    delivery.errors = [PrintFailed(failed, kept)]
    to_done(dialog, pump)
    pump(lambda: dialog.delivery_status is not None
         and dialog.delivery_status.kind is StatusKind.FAILED, what="the failure")
    pump(lambda: dialog.done_step.has_page, what="the first page")
    text = screen_text(dialog)
    assert failed in text and "Детализация готова" in text  # the document stays made
    assert "Повторить доставку (Ctrl+R)" in text
    assert dialog.retry_button.winfo_ismapped()
    assert "Ctrl+R: тот же файл ещё раз, без нового заказа." in text
    screenshot("detalization-43-done-print-failed-1024x700", size="1024x700")
    inside(dialog.done_step.headline, dialog.content)
    assert not dialog.done_step.note.winfo_ismapped()  # the failure names the kept file
    for widget in (dialog.retry_button, dialog.copy_button, dialog.primary_button):
        inside(widget, dialog)
    assert dialog.copy_button.winfo_rootx() + dialog.copy_button.winfo_width() < \
        dialog.primary_button.winfo_rootx()  # side by side, not under Close
    screenshot("detalization-43-done-print-failed-1024x700", size="1024x700")

    dialog.primary_button.focus_force()
    dialog.primary_button.event_generate("<Control-r>")
    pump(lambda: dialog.delivery_status is not None
         and dialog.delivery_status.kind is StatusKind.DONE, what="the print again")
    assert len(fake.ordered) == 1  # never ordered twice
    assert [d.path for d, _m, _t in delivery.delivered] == [dialog.info.path] * 2
    assert "Напечатано на «Counter1» (задание печати 2)." in screen_text(dialog)
    assert not dialog.retry_button.winfo_ismapped()
    pump(dialog.done_step.note.winfo_ismapped, what="the R9 note back")
    dialog.primary_button.event_generate("<Control-r>")  # nothing failed: nothing happens
    pump(lambda: not window.runner.busy, what="quiet")
    assert len(delivery.delivered) == 2


def inside(widget: tk.Misc, container: tk.Misc) -> None:
    """Mapped, within 1024x700 and not cut off by the frame it sits in."""
    assert widget.winfo_ismapped(), widget
    assert widget.winfo_rootx() + widget.winfo_width() <= 1024, widget
    assert widget.winfo_rooty() + widget.winfo_height() <= 700, widget
    assert widget.winfo_rooty() + widget.winfo_height() <= \
        container.winfo_rooty() + container.winfo_height(), widget
    assert widget.winfo_height() >= widget.winfo_reqheight(), widget


def test_the_archive_takes_a_text_document(
    window: MainWindow, pump: Pump, fake: FakeDetalization, delivery: FakeDelivery,
) -> None:
    dialog = open_at_delivery(window, pump)
    choose(dialog, pump, Delivery.ARCHIVE)
    press(dialog, pump, "<Return>", Step.FORMAT)
    dialog.format_step.radios["txt"].invoke()
    press(dialog, pump, "<Return>", Step.CHECK)
    assert "положить в личный архив абонента (3 дня)" in screen_text(dialog)
    press(dialog, pump, "<Return>", Step.DONE)
    pump(lambda: dialog.delivery_status is not None
         and dialog.delivery_status.kind is StatusKind.DONE, what="the archive")
    [(doc, method, _to)] = delivery.delivered
    assert method is DeliveryMethod.ARCHIVE and doc.path.suffix == ".txt"
    assert doc.subscriber == IVANOVA
    assert "можно получить до 26.11.2026 12:00" in screen_text(dialog) or \
        "DOC-7" in screen_text(dialog)


def test_what_the_console_cannot_do_is_disabled_with_its_reason(
    window: MainWindow, pump: Pump, delivery: FakeDelivery,
) -> None:
    delivery.methods = (DeliveryMethod.FILE, DeliveryMethod.PAPER)  # no [email], no archive
    dialog = open_at_delivery(window, pump)
    radios = dialog.delivery_step.radios
    assert radios[Delivery.EMAIL].instate(["disabled"])
    assert radios[Delivery.ARCHIVE].instate(["disabled"])
    text = screen_text(dialog)
    assert "Отправка по e-mail в этом салоне не настроена" in text
    assert "Личный архив в этой консоли недоступен." in text
    choose(dialog, pump, Delivery.PAPER)
    radios[Delivery.PAPER].event_generate("<Down>")  # passes the disabled ones
    assert dialog.delivery is Delivery.FILE


def test_without_a_delivery_service_only_the_file_and_the_screen(
    window: MainWindow, pump: Pump,
) -> None:
    assert window.services is not None
    window.services.delivery = None
    dialog = open_at_delivery(window, pump)
    shown = [d for d, radio in dialog.delivery_step.radios.items() if radio.winfo_ismapped()]
    assert shown == [Delivery.FILE, Delivery.SCREEN]


def test_a_delivery_that_ends_after_the_dialog_closed_is_said_in_the_window(
    window: MainWindow, pump: Pump, fake: FakeDetalization, delivery: FakeDelivery,
) -> None:
    delivery.hold = threading.Event()
    dialog = open_at_delivery(window, pump)
    choose(dialog, pump, Delivery.PAPER)
    to_done(dialog, pump)
    pump(lambda: dialog.delivery_status is not None
         and dialog.delivery_status.kind is StatusKind.RUNNING, what="printing under way")
    dialog.close()
    pump(lambda: window.detalization.dialog is None, what="the dialog closed")
    delivery.hold.set()
    pump(lambda: "«Counter1»" in window.message.text, what="the sentence in the window")
    assert len(fake.ordered) == 1 and len(delivery.delivered) == 1
