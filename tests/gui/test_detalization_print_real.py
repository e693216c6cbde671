"""The detalization dialog prints for real (R8): the embedded sandbox, the SQLite store, the
real PrintService and DeliveryService wired by app.main, and the suite's private cupsd with
its cups-pdf queue (tests/support/cups.py). The clerk chooses "Print at the counter", and the
PDF the console made comes out of the printer — cups-pdf writes what it was sent.

Screenshot: artifacts/screenshots/detalization-50-printed-real-1024x700.png."""

from __future__ import annotations

import tkinter as tk
from collections.abc import Iterator
from pathlib import Path

import pytest

from app.config import Settings, load_settings
from app.ui.presenters.detalization import Delivery, Step
from app.ui.presenters.detalization_delivery import StatusKind
from app.ui.window import MainWindow
from tests.conftest import write_ini
from tests.gui.helpers import real_window, screen_text
from tests.gui.test_detalization import NORMAL, Pump, documents, enter, key, open_dialog, show
from tests.gui.test_detalization_delivery import inside
from tests.support.cups import PDF_QUEUE, PrivateCups
from tests.support.pdf_compare import page_count, words


@pytest.fixture
def settings(tmp_path: Path, cups: PrivateCups) -> Settings:
    cups.cancel_all()
    return load_settings(write_ini(tmp_path, salon={"language": "ru"},
                                   printing={"server": str(cups.socket), "printer": PDF_QUEUE}))


@pytest.fixture
def window(root: tk.Tk, settings: Settings, pump: Pump) -> Iterator[MainWindow]:
    with real_window(root, settings, pump) as window:
        yield window


def test_print_at_the_counter_on_the_private_cupsd(
    window: MainWindow, root: tk.Tk, pump: Pump, screenshot, settings: Settings,
    cups: PrivateCups,
) -> None:
    root.geometry("1024x700+0+0")  # the smallest screen: the sentence fits beside the page
    pump(lambda: root.winfo_width() == 1024 and root.winfo_height() == 700, what="1024x700")
    show(window, pump, NORMAL)
    dialog = open_dialog(window, pump)
    enter(dialog, pump, Step.DELIVERY)
    radios = dialog.delivery_step.radios
    assert radios[Delivery.PAPER].instate(["!disabled"])
    assert radios[Delivery.EMAIL].instate(["disabled"])  # no [email] in this salon.ini
    key(radios[Delivery.FILE], "<Down>")
    key(radios[Delivery.SCREEN], "<Down>")
    assert dialog.delivery is Delivery.PAPER
    enter(dialog, pump, Step.FORMAT)
    assert dialog.fmt == "pdf"
    enter(dialog, pump, Step.CHECK)
    pump(lambda: f"напечатать у стойки на «{PDF_QUEUE}»" in screen_text(dialog),
         timeout=10, what="the printer's name from salon.ini")
    enter(dialog, pump, Step.SENDING)
    pump(lambda: dialog.step is Step.DONE, timeout=60, what="the document")
    pump(lambda: dialog.delivery_status is not None
         and dialog.delivery_status.kind is not StatusKind.RUNNING, timeout=20,
         what="the print to be followed")
    status = dialog.delivery_status
    assert status is not None and status.kind is StatusKind.DONE, status
    assert f"на «{PDF_QUEUE}»" in status.text  # printed, or still printing
    assert status.text in screen_text(dialog)
    info = dialog.info
    assert info is not None
    assert [p.name for p in documents(settings)] == [info.path.name]  # the console's copy
    job = dialog.delivered.print_job  # type: ignore[union-attr]
    assert job is not None and job.path == info.path and job.cups_job_id
    printed = cups.printed(job.cups_job_id)
    assert info.document_id in words(printed)  # the same document came out
    assert page_count(printed) == page_count(info.path)
    pump(lambda: dialog.done_step.has_page, timeout=30, what="the first page")
    for widget in (dialog.done_step.headline, dialog.done_step.comparison,
                   dialog.done_step.note):
        inside(widget, dialog.content)
    screenshot("detalization-50-printed-real-1024x700", size="1024x700")
    key(dialog.primary_button, "<Return>")
    pump(lambda: window.detalization.dialog is None, what="the dialog to close")
