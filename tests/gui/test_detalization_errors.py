"""The detalization dialog when things go wrong, on a fake service (tests/gui/
fake_detalization.py): the operator unreachable, numbers that do not add up, a disk that
refuses, the lock during an order, a language switch, the document opened."""

from __future__ import annotations

import tkinter as tk
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from app.errors import OperatorUnavailable, SalonError
from app.i18n import set_language
from app.ui.presenters.detalization import Step
from app.ui.views.detalization_dialog import DetalizationDialog
from app.ui.window import MainWindow
from tests.gui.fake_detalization import FakeDetalization
from tests.gui.fakes import (
    ANNA,
    IVANOVA,
    PETROV,
    Clock,
    FakeOperator,
    make_services,
    session_of,
    write_settings,
)
from tests.gui.helpers import screen_text

Pump = Callable[..., None]


@pytest.fixture
def window(root: tk.Tk, tmp_path: Path, fake: FakeDetalization,
           pump: Pump) -> Iterator[MainWindow]:
    settings = write_settings(tmp_path)
    clock = Clock()
    services = make_services(settings, FakeOperator(), clock)
    services.detalization = fake  # type: ignore[assignment]
    window = MainWindow(root, settings, services, clock=clock)
    window.start_session(session_of(ANNA))
    pump(root.winfo_ismapped, what="the window to be mapped")
    yield window
    pump(lambda: not window.runner.busy, what="the runner's jobs to come back")
    window.close()


def open_at_check(window: MainWindow, pump: Pump, number: str = IVANOVA) -> DetalizationDialog:
    window.search.set_text(number)
    window.search.entry.focus_force()
    window.search.entry.event_generate("<Return>")
    pump(lambda: window.card is not None and not window.busy, what="the card")
    window.search.entry.focus_force()
    window.search.entry.event_generate("<Control-d>")
    pump(lambda: window.detalization.dialog is not None, what="the dialog")
    dialog = window.detalization.dialog
    assert dialog is not None
    dialog.lift()
    for step in (Step.DELIVERY, Step.FORMAT, Step.CHECK):
        dialog.primary()
        pump(lambda s=step: dialog.step is s, what=str(step))
    return dialog


def order(dialog: DetalizationDialog, pump: Pump, until: Step) -> None:
    dialog.primary_button.focus_force()
    dialog.primary_button.event_generate("<Return>")
    pump(lambda: dialog.step is until, timeout=10, what=str(until))


def test_offline_and_bad_numbers_are_sentences_and_enter_tries_again(
    window: MainWindow, root: tk.Tk, pump: Pump, screenshot, fake: FakeDetalization,
) -> None:
    assert "<Control-Key-Cyrillic_ve>" in root.bind()  # Ctrl+D in the Russian layout too
    fake.errors = [OperatorUnavailable("Нет связи с системой оператора."),
                   SalonError("Остатки оператора не сходятся: 1 000,00 − 45,00 + 0,00 ≠ 990,00."),
                   SalonError("Детализацию не удалось записать: нет места на диске.")]
    dialog = open_at_check(window, pump)
    order(dialog, pump, Step.CHECK)
    assert dialog.message.text == "Нет связи с системой оператора."
    assert dialog.message.view is not None and dialog.message.view.kind == "offline"
    pump(lambda: dialog.focus_get() is dialog.primary_button, what="Enter to try again")
    screenshot("detalization-30-offline")
    order(dialog, pump, Step.CHECK)
    assert "не сходятся" in dialog.message.text and dialog.message.view.kind == "failure"
    order(dialog, pump, Step.CHECK)
    assert "нет места на диске" in dialog.message.text
    assert not fake.documents.exists()  # nothing written on any of them
    order(dialog, pump, Step.DONE)  # the fourth time it works
    assert dialog.message.text == ""
    assert fake.threads and "MainThread" not in fake.threads  # the order ran on a worker


def test_stop_then_close_and_the_lock_stops_an_order(
    window: MainWindow, root: tk.Tk, pump: Pump, screenshot, fake: FakeDetalization,
) -> None:
    fake.hold = True
    dialog = open_at_check(window, pump)
    order(dialog, pump, Step.SENDING)
    pump(lambda: dialog.sending_step.fraction > 0, what="the bar to move")
    assert "Загрузка записей: день" in dialog.sending_step.stage.cget("text")
    dialog.secondary_button.focus_force()
    dialog.secondary_button.event_generate("<Escape>")
    pump(lambda: dialog.step is Step.CHECK, what="stopped")
    assert dialog.message.text == "Заказ детализации остановлен: документ не сохранён."
    pump(lambda: not fake.running.is_set(), what="the worker to end")

    order(dialog, pump, Step.SENDING)  # again; now the counter is locked meanwhile
    pump(fake.running.is_set, what="the order to run")
    window.lock()
    pump(lambda: window.detalization.dialog is None, what="the dialog to close")
    pump(lambda: not fake.running.is_set(), what="the worker to stop with it")
    assert not dialog.winfo_exists()
    assert not fake.documents.exists()


def test_close_without_waiting(window: MainWindow, pump: Pump, fake: FakeDetalization) -> None:
    fake.hold = True
    dialog = open_at_check(window, pump)
    order(dialog, pump, Step.SENDING)
    pump(fake.running.is_set, what="the order to run")
    dialog._stop()  # Stop pressed; the worker has not answered yet...
    assert "Закрыть, не дожидаясь (Esc)" in screen_text(dialog)
    dialog.escape()  # ...and Esc again closes at once
    pump(lambda: window.detalization.dialog is None, what="the dialog to close")
    pump(lambda: not fake.running.is_set(), what="the worker to stop")


def test_language_switch_opening_and_r7_on_the_fake(
    window: MainWindow, root: tk.Tk, pump: Pump, screenshot, fake: FakeDetalization,
) -> None:
    dialog = open_at_check(window, pump)
    window.set_language("en")
    try:
        pump(lambda: "Home region" in screen_text(dialog), what="the check in English")
        text = screen_text(dialog)
        for expected in ("4. Check the order", "Order it (Enter)", "Home region", "Moscow",
                         "PDF — a document for printing"):
            assert expected in text, expected
        order(dialog, pump, Step.DONE)
        pump(lambda: dialog.done_step.has_page, what="the page")
        assert "The detalization is ready" in screen_text(dialog)
        screenshot("detalization-31-done-en")
        opened: list[Path] = []
        dialog._opener = opened.append
        dialog.primary_button.focus_force()
        dialog.primary_button.event_generate("<Control-o>")
        # The key goes through Tk's queue (after the focus, under load later than at once):
        # the document is opened before the folder button is pressed.
        pump(lambda: len(opened) == 1, what="the document opened")
        dialog.open_folder_button.invoke()
        pump(lambda: len(opened) == 2, what="the document and its folder opened")
        assert dialog.info is not None
        assert opened == [dialog.info.path, dialog.info.path.parent]
    finally:
        set_language("ru")
    dialog.close()
    pump(lambda: window.detalization.dialog is None, what="closed")
    other = open_at_check(window, pump, PETROV)  # Komi, on the fake's own R7
    assert other.primary_button.instate(["disabled"])
    assert other.check_step.refusal.cget("text") == "R7: Республика Коми"
    other.primary()
    root.update()
    assert other.step is Step.CHECK and fake.ordered[-1][0] == IVANOVA
