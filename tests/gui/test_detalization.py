"""The detalization dialog on the real parts (R6–R9): the embedded sandbox over loopback HTTP
and the SQLite store, wired by app.main as `salon` does it; the clerk signs in as clerk /
clerk-demo, finds the number and presses Ctrl+D.

Screenshots of every step and of the result with page one, at 1280×800 and 1024×700
(artifacts/screenshots/detalization-*.png)."""

from __future__ import annotations

import threading
import tkinter as tk
from collections.abc import Callable, Iterator
from datetime import timedelta
from pathlib import Path
from tkinter import ttk

import pytest

from app.config import Settings, load_settings
from app.ui.presenters.detalization import Step
from app.ui.views.detalization_dialog import DetalizationDialog
from app.ui.window import MainWindow
from tests.conftest import write_ini
from tests.gui.helpers import real_window, screen_text, type_in
from tests.support.calendar import last_month, ru, ru_days, ru_period, this_month_so_far, today_in

Pump = Callable[..., None]
NORMAL = "+79161234567"  # Moscow, mass tariff
KOMI = "+79121234567"  # another home region than the salon's RU-MOW
HEAVY = "+79160000100"  # ≥100,000 records a month


@pytest.fixture
def settings(tmp_path: Path) -> Settings:
    return load_settings(write_ini(tmp_path, salon={"language": "ru"}))


@pytest.fixture
def window(root: tk.Tk, settings: Settings, pump: Pump) -> Iterator[MainWindow]:
    with real_window(root, settings, pump) as window:
        yield window


def documents(settings: Settings) -> list[Path]:
    folder = settings.data_dir / "documents"
    return sorted(folder.iterdir()) if folder.is_dir() else []


def show(window: MainWindow, pump: Pump, number: str) -> None:
    window.search.set_text(number)
    window.search.entry.focus_force()
    window.search.entry.event_generate("<Return>")
    pump(lambda: window.card is not None and not window.busy, timeout=15, what="the card")


def open_dialog(window: MainWindow, pump: Pump) -> DetalizationDialog:
    """Ctrl+D in the phone field, as the clerk would."""
    window.search.entry.focus_force()
    window.search.entry.event_generate("<Control-d>")
    pump(lambda: window.detalization.dialog is not None, what="the detalization dialog")
    dialog = window.detalization.dialog
    assert dialog is not None
    dialog.lift()  # no window manager on Xvfb
    pump(lambda: dialog.focus_get() is dialog.period_step.first, what="focus in the date")
    return dialog


def key(widget: tk.Misc, sequence: str) -> None:
    widget.focus_force()
    widget.event_generate(sequence)


def enter(dialog: DetalizationDialog, pump: Pump, step: Step) -> None:
    """Enter where the cursor is (once it has settled on this step); the dialog moves to
    `step`."""
    pump(lambda: (dialog.focus_get() or dialog).winfo_ismapped(), what="the cursor")
    key(dialog.focus_get() or dialog.primary_button, "<Return>")
    try:
        pump(lambda: dialog.step is step, what=f"the step {step}")
    except BaseException:
        print("DEBUG", dialog.step, dialog.focus_get(), dialog.message.text)
        raise


def test_a_month_as_pdf_with_the_first_page_and_the_totals(
    window: MainWindow, root: tk.Tk, pump: Pump, screenshot, settings: Settings,
    tmp_path: Path,
) -> None:
    show(window, pump, NORMAL)
    assert "Детализация…  Ctrl+D" in screen_text(window.card_panel.subscriber)
    screenshot("detalization-00-card-button")
    dialog = open_dialog(window, pump)
    today = today_in(window.clock)
    first, last_day = last_month(today)
    text = screen_text(dialog)
    for expected in ("Детализация", "1. Период", "2. Доставка", "6. Готово",
                     "Период детализации", "Прошлый месяц  Alt+2", "Далее (Enter)",
                     "Отмена (Esc)", ru_period(first, last_day)):
        assert expected in text, expected
    assert dialog.period_step.texts == (ru(first), ru(last_day))  # last month by default
    key(dialog.period_step.first, "<Alt-Key-1>")  # this month so far
    assert dialog.period_step.texts == tuple(ru(d) for d in this_month_so_far(today))
    type_in(dialog.period_step.first, ru(first))
    type_in(dialog.period_step.last, ru(last_day))
    key(dialog.period_step.last, "<KeyRelease>")
    days = f"({ru_days((last_day - first).days + 1)})"
    pump(lambda: days in dialog.period_step.summary.cget("text"), what="the summary")
    screenshot("detalization-01-period")
    last = dialog.period_step.last
    last.focus_force()
    root.update()
    last.selection_clear()
    last.icursor("end")
    last.event_generate("<BackSpace>")  # in a date field: deletes, stays here
    assert dialog.step is Step.PERIOD
    assert dialog.period_step.texts[1] == ru(last_day)[:-1]
    dialog.period_step.last.insert("end", ru(last_day)[-1])
    enter(dialog, pump, Step.DELIVERY)

    out = tmp_path / "for the subscriber"
    out.mkdir()
    assert dialog.delivery_step.folder.get() == str(settings.data_dir / "documents")
    assert "удаляются через 3 дня (R9)" in screen_text(dialog)
    dialog._ask_folder = lambda initial: out  # what the folder chooser answers
    dialog.delivery_step.browse.invoke()
    assert dialog.delivery_step.folder.get() == str(out)
    screenshot("detalization-02-delivery")
    enter(dialog, pump, Step.FORMAT)
    assert dialog.fmt == "pdf"
    text = screen_text(dialog)
    for expected in ("PDF — документ для печати", "XLSX — электронная таблица (Excel)",
                     "Маскировать номера собеседников (+7 916 ***-**-67)",
                     "Только итоги (без построчной детализации)",
                     "Скрыть звонки, SMS и трафик по пакету"):
        assert expected in text, expected
    key(dialog.format_step.radios["pdf"], "<Down>")  # arrows move the choice
    assert dialog.fmt == "html"
    key(dialog.format_step.radios["html"], "<Up>")
    assert dialog.fmt == "pdf"
    screenshot("detalization-03-format")
    enter(dialog, pump, Step.CHECK)
    text = screen_text(dialog)
    for expected in ("Проверка заказа", "Абонент", "+7 916 123-45-67", "Домашний регион",
                     "Москва", ru_period(first, last_day), f"сохранить в {out}",
                     "PDF — документ для печати", "нет: все строки, номера полностью",
                     "Заказать (Enter)", "← Назад (Backspace)"):
        assert expected in text, expected
    screenshot("detalization-04-check")
    key(dialog.primary_button, "<BackSpace>")  # back to the format, and on again
    pump(lambda: dialog.step is Step.FORMAT, what="back to the format")
    enter(dialog, pump, Step.CHECK)

    enter(dialog, pump, Step.SENDING)
    assert not dialog.primary_button.winfo_ismapped()
    assert "Остановить заказ (Esc)" in screen_text(dialog)
    pump(lambda: dialog.step is Step.DONE, timeout=60, what="the document")
    assert dialog.info is not None
    path = dialog.info.path
    assert path.parent == out.resolve() and path.suffix == ".pdf" and path.is_file()
    assert path.name == f"{dialog.info.document_id}.pdf"
    assert documents(settings) == []  # saved where the clerk chose, nowhere else
    pump(lambda: dialog.done_step.has_page, timeout=30, what="the first page")
    image = dialog.done_step._image
    assert image is not None and 150 < image.height() <= dialog.content.winfo_height()
    report = dialog.info.report
    text = screen_text(dialog)
    for expected in ("Детализация готова", dialog.info.document_id, str(path),
                     "Входящий остаток", "Списано", "Пополнения", "Исходящий остаток",
                     "Страница 1", "Открыть папку", "Закрыть (Enter)",
                     "Сохранён в выбранной папке; консоль его не удаляет."):
        assert expected in text, expected
    from app.ui.presenters.detalization_result import rub

    for amount in (report.opening, report.total_charges, report.payments, report.closing):
        assert rub(amount) in text
    assert "вышло бы на" in text or "самый выгодный" in text
    screenshot("detalization-06-done")
    key(dialog.primary_button, "<Control-c>")
    assert root.clipboard_get() == str(path)
    enter_close = dialog.primary_button
    key(enter_close, "<Return>")
    pump(lambda: window.detalization.dialog is None, what="the dialog to close")
    pump(lambda: root.focus_get() is window.search.entry, what="focus back in the phone field")


def test_another_home_region_is_refused_up_front_and_nothing_is_written(
    window: MainWindow, pump: Pump, screenshot, settings: Settings,
) -> None:
    show(window, pump, KOMI)
    dialog = open_dialog(window, pump)
    r7 = ("Детализация заказывается в домашнем регионе номера (R7): номер из региона "
          "«Республика Коми», а салон — «Москва».")
    assert dialog.message.text == r7  # said at once, before anything is typed
    screenshot("detalization-10-r7-period")
    for step in (Step.DELIVERY, Step.FORMAT, Step.CHECK):
        enter(dialog, pump, step)
    text = screen_text(dialog)
    assert r7 in text and "Республика Коми" in text
    assert dialog.primary_button.instate(["disabled"])
    assert "Здесь заказать нельзя" in text
    screenshot("detalization-11-r7-check")
    key(dialog.secondary_button, "<Return>")  # Enter has nothing to order
    root = dialog.master
    root.update()
    assert dialog.step is Step.CHECK
    assert documents(settings) == []
    key(dialog.secondary_button, "<Escape>")
    pump(lambda: window.detalization.dialog is None, what="the dialog to close")


def test_a_bad_period_is_said_and_stays_on_the_step(
    window: MainWindow, pump: Pump, screenshot, settings: Settings,
) -> None:
    show(window, pump, NORMAL)
    dialog = open_dialog(window, pump)
    today = today_in(window.clock)
    first, last_day = last_month(today)
    tomorrow = today + timedelta(days=1)
    cases = [
        ((ru(last_day), ru(first)),
         f"Период задан наоборот: {ru(last_day)} позже {ru(first)}."),
        ((ru(today), ru(tomorrow)),
         f"Период заканчивается {ru(tomorrow)}, а этот день в домашнем регионе номера ещё не "
         f"наступил (там сегодня {ru(today)})."),
        (("1 октября", ru(last_day)), "«1 октября» — не дата"),
        (("", ru(last_day)), "Введите первый день периода"),
    ]
    for (first, last), said in cases:
        type_in(dialog.period_step.first, first)
        type_in(dialog.period_step.last, last)
        key(dialog.period_step.last, "<Return>")
        pump(lambda s=said: s in dialog.message.text, what=said)
        assert dialog.step is Step.PERIOD
        assert dialog.focus_get() is dialog.period_step.first
        if last == ru(tomorrow):
            screenshot("detalization-12-future-period")
    assert documents(settings) == []
    key(dialog.period_step.first, "<Escape>")
    pump(lambda: window.detalization.dialog is None, what="the dialog to close")


def test_a_heavy_month_keeps_the_window_responsive_and_can_be_stopped(
    window: MainWindow, root: tk.Tk, pump: Pump, screenshot, settings: Settings,
) -> None:
    """The heavy subscriber's last month (over 100,000 records): the order runs on a worker,
    never on the Tk thread; an `after` ticker on the Tk thread keeps ticking while it runs and
    the bar moves through both stages. (How many milliseconds the Tk thread may wait is a
    benchmark's business, not a test's: benchmarks/gui_card.py.)"""
    show(window, pump, HEAVY)
    dialog = open_dialog(window, pump)
    first, last_day = last_month(today_in(window.clock))
    type_in(dialog.period_step.first, ru(first))
    type_in(dialog.period_step.last, ru(last_day))
    for step in (Step.DELIVERY, Step.FORMAT, Step.CHECK):
        enter(dialog, pump, step)

    service = window.services.detalization
    ran_on: list[threading.Thread] = []
    order = service.order

    def watched_order(*args, **kwargs):
        ran_on.append(threading.current_thread())
        return order(*args, **kwargs)

    service.order = watched_order  # type: ignore[method-assign]

    # First the clerk stops an order under way: nothing is saved, and they are back at the
    # check, where Enter orders again.
    enter(dialog, pump, Step.SENDING)
    pump(lambda: dialog.sending_step.fraction > 0, timeout=30, what="the first days")
    key(dialog.secondary_button, "<Escape>")
    pump(lambda: dialog.step is Step.CHECK, timeout=30, what="the order to stop")
    assert "документ не сохранён" in dialog.message.text
    assert documents(settings) == []

    ticks = 0
    seen: list[tuple[str, float]] = []

    def tick() -> None:
        nonlocal ticks
        if dialog.winfo_exists() and dialog.step is Step.SENDING:
            ticks += 1
            seen.append((dialog.sending_step.stage.cget("text"), dialog.sending_step.fraction))
        ticker[0] = root.after(20, tick)

    ticker = [root.after(20, tick)]
    try:
        enter(dialog, pump, Step.SENDING)
        shot: list[bool] = []

        def done() -> bool:
            if not shot and any(text.startswith("Формирование: строка") for text, _f in seen):
                shot.append(True)
                screenshot("detalization-05-sending")
            return dialog.step is Step.DONE

        pump(done, timeout=180, what="the heavy month")
    finally:
        root.after_cancel(ticker[0])
    main = threading.main_thread()
    assert len(ran_on) == 2 and main not in ran_on  # both orders ran on a worker
    assert ticks >= 10  # the Tk thread kept drawing all along
    fetch = [f for text, f in seen if text.startswith("Загрузка записей")]
    render = [f for text, f in seen if text.startswith("Формирование: строка")]
    assert len(set(fetch)) >= 3 and len(set(render)) >= 3  # the bar moved in both stages
    assert fetch == sorted(fetch) and render == sorted(render)
    days = (last_day - first).days + 1
    assert any(f"из {days}" in text for text, _f in seen)
    assert dialog.info is not None and dialog.info.rows >= 100_000
    rows = f"{dialog.info.rows:,}".replace(",", "\u00a0")
    assert any(f"из {rows}" in text for text, _f in seen)
    assert [p.name for p in documents(settings)] == [dialog.info.path.name]  # default folder
    pump(lambda: dialog.done_step.has_page, timeout=30, what="the first page")
    key(dialog.primary_button, "<Return>")
    pump(lambda: window.detalization.dialog is None, what="the dialog to close")


def test_on_screen_as_text_with_options_fits_1024x700(
    window: MainWindow, root: tk.Tk, pump: Pump, screenshot, settings: Settings,
) -> None:
    root.geometry("1024x700+0+0")
    pump(lambda: root.winfo_width() == 1024 and root.winfo_height() == 700, what="1024x700")
    show(window, pump, NORMAL)
    button = window.detalization.button
    assert button.winfo_ismapped()
    _inside(button)
    # On top, not under the bar's line frames: the point under its text is the button.
    assert root.winfo_containing(button.winfo_rootx() + 10, button.winfo_rooty() + 10) is button
    screenshot("detalization-20-card-1024x700", size="1024x700")
    button.invoke()
    pump(lambda: window.detalization.dialog is not None, what="the dialog")
    dialog = window.detalization.dialog
    dialog.lift()
    key(dialog.period_step.first, "<Alt-Key-2>")
    assert dialog.period_step.texts == tuple(ru(d) for d in last_month(today_in(window.clock)))
    _inside(dialog.primary_button)
    screenshot("detalization-21-period-1024x700", size="1024x700")
    enter(dialog, pump, Step.DELIVERY)
    key(dialog.delivery_step.radios[dialog.delivery], "<Down>")
    assert dialog.delivery.value == "screen"
    assert dialog.delivery_step.folder.instate(["disabled"])
    screenshot("detalization-22-delivery-1024x700", size="1024x700")
    enter(dialog, pump, Step.FORMAT)
    dialog.format_step.radios["txt"].invoke()
    for check in dialog.format_step.checks[::2]:  # mask the numbers, hide the covered
        check.invoke()
    _inside(dialog.primary_button)
    screenshot("detalization-23-format-1024x700", size="1024x700")
    enter(dialog, pump, Step.CHECK)
    text = screen_text(dialog)
    assert "показать на экране" in text
    assert ("Маскировать номера собеседников (+7 916 ***-**-67); Скрыть звонки, SMS и трафик "
            "по пакету") in text
    _inside(dialog.primary_button)
    screenshot("detalization-24-check-1024x700", size="1024x700")
    enter(dialog, pump, Step.SENDING)
    pump(lambda: dialog.step is Step.DONE, timeout=60, what="the document")
    pump(lambda: dialog.done_step.has_page, timeout=30, what="the first page")
    assert dialog.info is not None and dialog.info.path.suffix == ".txt"
    assert [p.name for p in documents(settings)] == [dialog.info.path.name]
    text = screen_text(dialog)
    assert "Страница 1 (как в PDF)" in text
    assert "Консоль удалит свою копию через 3 дня (R9)" in text
    for widget in (dialog.done_step.image_label, dialog.done_step.note,
                   dialog.done_step.comparison):
        _inside(widget)
        _within(widget, dialog.content)
    for widget in (dialog.primary_button, dialog.copy_button):
        _inside(widget)
        _within(widget, dialog)
    screenshot("detalization-26-done-1024x700", size="1024x700")
    key(dialog.primary_button, "<Return>")
    pump(lambda: window.detalization.dialog is None, what="the dialog to close")


def _inside(widget: tk.Misc, width: int = 1024, height: int = 700) -> None:
    assert widget.winfo_ismapped(), widget
    assert widget.winfo_rootx() + widget.winfo_width() <= width, widget
    assert widget.winfo_rooty() + widget.winfo_height() <= height, widget


def _within(widget: tk.Misc, container: tk.Misc) -> None:
    """Not cut off by the frame it sits in (a grid gives a widget less room than it asks)."""
    assert widget.winfo_rooty() + widget.winfo_height() <= \
        container.winfo_rooty() + container.winfo_height(), widget
    assert widget.winfo_height() >= widget.winfo_reqheight(), widget
    assert widget.winfo_width() >= widget.winfo_reqwidth() - 1 or \
        isinstance(widget, tk.Label | ttk.Label), widget
