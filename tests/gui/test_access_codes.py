"""The access code on the card, driven for real under Xvfb (R1, R2, R3): the reason up front
when it is not available, issuing (F10), the masked check dialog (F11) through wrong entries
to the lock and its live countdown, the end of the lock on the training world's clock, the
subscriber's phone in training, the leaflet (F12), and the offline refusal."""

from __future__ import annotations

import tkinter as tk
from collections.abc import Callable, Iterator
from dataclasses import replace
from datetime import timedelta
from pathlib import Path

import pytest

from app.config import Settings
from app.ui.views.code_check_dialog import MASK, CodeCheckDialog
from app.ui.window import MainWindow
from models.access_codes import CodeStatus
from tests.gui.fake_codes import FakeCodeOperator
from tests.gui.fakes import (
    ANNA,
    IVANOVA,
    PETROV,
    Clock,
    DictCache,
    FakeOperator,
    make_services,
    rub,
    session_of,
    write_settings,
)
from tests.gui.helpers import screen_text

Pump = Callable[..., None]
POPOV = "+79165550001"  # a demo-world number: mass tariff, no Assistant (not in the fakes)


@pytest.fixture
def settings(tmp_path: Path) -> Settings:
    return write_settings(tmp_path)


@pytest.fixture
def clock() -> Clock:
    return Clock()


@pytest.fixture
def operator() -> FakeOperator:
    operator = FakeOperator()
    subscriber, balances = operator.data[IVANOVA]
    operator.data[IVANOVA] = (replace(subscriber, assistant_connected=True),
                              replace(balances, main=rub("812.30")))
    operator.data[POPOV] = (replace(subscriber, msisdn=POPOV, name="Попов Глеб Петрович"),
                            balances)
    return operator


@pytest.fixture
def codes(operator: FakeOperator, clock: Clock) -> FakeCodeOperator:
    return FakeCodeOperator(operator, clock)


@pytest.fixture
def open_window(root: tk.Tk, settings: Settings, clock: Clock, operator: FakeOperator,
                codes: FakeCodeOperator, pump: Pump) -> Iterator[Callable[..., MainWindow]]:
    windows: list[MainWindow] = []

    def open_(*, training: bool = True, cache: DictCache | None = None) -> MainWindow:
        services = make_services(settings, operator, clock, training=training, cache=cache,
                                 codes=codes)
        window = MainWindow(root, settings, services, clock=clock)
        window.start_session(session_of(ANNA))
        windows.append(window)
        pump(root.winfo_ismapped, what="the window to be mapped")
        return window

    yield open_
    for window in windows:
        pump(lambda w=window: not w.runner.busy, what="the runner's jobs to come back")
        window.close()


def show(window: MainWindow, pump: Pump, number: str) -> None:
    window.search.set_text(number)
    window.search.entry.focus_force()
    window.search.entry.event_generate("<Return>")
    pump(lambda: not window.busy and window.card is not None, what="the card")
    pump(lambda: window.codes.card is not None and not window.codes._loading,
         what="the code's state")


def key(window: MainWindow, sequence: str) -> None:
    window.search.entry.focus_force()
    window.search.entry.event_generate(sequence)


def assistant_text(window: MainWindow) -> str:
    return screen_text(window.card_panel.assistant)


def open_dialog(window: MainWindow, pump: Pump) -> CodeCheckDialog:
    key(window, "<F11>")
    pump(lambda: window.codes.dialog is not None, what="the check dialog")
    dialog = window.codes.dialog
    assert dialog is not None
    pump(dialog.winfo_ismapped, what="the dialog on screen")
    dialog.lift()  # no window manager on Xvfb
    return dialog


def enter(window: MainWindow, dialog: CodeCheckDialog, pump: Pump, code: str) -> str:
    """The subscriber types `code` and presses Enter; the field is empty at once; the answer."""
    dialog.entry.focus_force()
    dialog.entry.insert(0, code)
    assert dialog.entry.get() == code
    dialog.entry.event_generate("<Return>")
    assert dialog.entry.get() == ""  # emptied before the answer, whatever it is
    pump(lambda: not window.codes.checking, what="the answer to the entry")
    return dialog.result.text


def test_r1_and_a_missing_assistant_are_said_up_front(open_window, pump, screenshot) -> None:
    window = open_window(training=False)
    show(window, pump, PETROV)
    bar = window.codes.bar
    assert bar.winfo_ismapped()
    assert not bar.enabled(bar.issue) and not bar.enabled(bar.check)
    assert bar.enabled(bar.leaflet)
    r1 = "«Электронный Помощник» не предоставляется на корпоративных и VIP тарифах (R1)."
    assert bar.note.cget("text") == r1
    assert bar.tooltips[bar.issue].text == r1
    text = assistant_text(window)
    for expected in ("Выдать код доступа  F10", "Проверить код  F11", "Памятка  F12", r1):
        assert expected in text, expected
    screenshot("codes-01-corporate-r1")
    key(window, "<F10>")  # the key says why instead of doing anything
    pump(lambda: r1 in window.message.text, what="the R1 sentence")

    show(window, pump, POPOV)  # mass tariff, Assistant not connected: connect it first (F8)
    assert not bar.enabled(bar.issue)
    assert "не подключён" in bar.note.cget("text") and "F8" in bar.note.cget("text")


def test_issue_check_wrong_lock_and_its_end(open_window, root, clock, codes, pump,
                                            screenshot) -> None:
    window = open_window()
    show(window, pump, IVANOVA)
    bar = window.codes.bar
    assert "Код доступа\nне выдан" in assistant_text(window)
    assert bar.enabled(bar.issue) and not bar.enabled(bar.check)
    phone = window.codes.phone
    assert phone is not None and phone.winfo_ismapped()
    assert "Телефон абонента +7 916 123-45-67" in screen_text(phone)

    key(window, "<F10>")
    pump(lambda: "ушёл в SMS" in window.message.text, what="the issued message")
    pump(lambda: "Код доступа к Электронному Помощнику" in phone.text, what="the SMS")
    code = codes.last_code(IVANOVA)
    assert code in phone.text  # the subscriber's phone, in training: the one place
    assert code not in screen_text(window.card_panel) and code not in window.message.text
    text = assistant_text(window)
    assert "выдан 23.11.2026, 12:25 (UTC+3)" in text and "осталось 4 попытки" in text
    assert bar.enabled(bar.check)
    screenshot("codes-02-issued-phone")

    dialog = open_dialog(window, pump)
    assert dialog.entry.cget("show") == MASK  # masked
    dialog.entry.insert(0, "12a")  # digits only
    assert dialog.entry.get() == ""
    dialog.entry.insert(0, "1234567")
    assert dialog.entry.get() == ""  # at most six
    wrong = "000000" if code != "000000" else "111111"
    assert "осталось 3 попытки" in enter(window, dialog, pump, wrong)
    assert "Осталось 3 попытки" in dialog.state_label.cget("text")
    screenshot("codes-03-check-wrong")
    assert "осталось 2 попытки" in enter(window, dialog, pump, wrong)
    assert "осталась 1 попытка" in enter(window, dialog, pump, wrong)
    answer = enter(window, dialog, pump, wrong)  # the 4th: locked for 24 hours (R3)
    assert "Заблокировано до 24.11.2026, 12:25 (UTC+3) — осталось 24 ч 0 мин" in answer
    assert dialog.entry.instate(["disabled"])
    assert "осталось 24 ч 0 мин" in dialog.state_label.cget("text")
    screenshot("codes-04-check-locked")

    clock.advance(timedelta(minutes=1))  # the countdown follows the clock, every second
    pump(lambda: "осталось 23 ч 59 мин" in dialog.state_label.cget("text"),
         what="the dialog's countdown")
    dialog.close()
    pump(lambda: "осталось 23 ч 59 мин" in assistant_text(window), what="the card's countdown")
    assert not bar.enabled(bar.check) and bar.enabled(bar.issue)  # a new code keeps the lock
    screenshot("codes-05-card-locked")
    screenshot("codes-05b-card-locked-1024x700", size="1024x700")

    # While locked even the right code answers locked; the training clock ends the lock.
    assert codes.verify_code(IVANOVA, code).locked_until is not None
    phone.step_buttons[1].invoke()  # +24 h on the training world's clock
    pump(lambda: "осталось 4 попытки" in assistant_text(window), what="the lock's end")
    dialog = open_dialog(window, pump)
    assert "Код верный" in enter(window, dialog, pump, code)  # the same code works again
    dialog.close()


def test_a_malformed_entry_is_neither_sent_nor_counted(open_window, codes, pump) -> None:
    window = open_window()
    show(window, pump, IVANOVA)
    key(window, "<F10>")
    pump(lambda: window.codes.state is not None and window.codes.state.issued_at is not None,
         what="the code issued")
    dialog = open_dialog(window, pump)
    answer = enter(window, dialog, pump, "123")
    assert "ровно 6 цифр" in answer and "не считается" in answer
    assert codes.verifies == 0
    assert "Осталось 4 попытки" in dialog.state_label.cget("text")
    dialog.close()


def test_offline_codes_are_refused_and_never_queued(open_window, operator, pump,
                                                    screenshot) -> None:
    cache = DictCache()
    window = open_window(cache=cache)
    show(window, pump, IVANOVA)
    operator.offline = True
    key(window, "<F10>")
    pump(lambda: "ничего не отправлено" in window.message.text, what="the offline sentence")
    assert "в очередь" in window.message.text
    assert window.services.orders.pending() == []  # nothing in the outbox
    assert window.message.view.kind == "offline"

    show(window, pump, IVANOVA)  # the saved card: codes are live only
    bar = window.codes.bar
    assert not bar.enabled(bar.issue) and not bar.enabled(bar.check)
    assert "только при связи" in bar.note.cget("text")
    assert "неизвестно: нет связи" in assistant_text(window)
    screenshot("codes-06-offline")


def test_the_leaflet_is_saved_and_its_path_shown(open_window, settings, pump) -> None:
    window = open_window(training=False)
    show(window, pump, IVANOVA)
    key(window, "<F12>")
    pump(lambda: "Памятка сохранена" in window.message.text, what="the leaflet")
    folder = settings.data_dir / "documents" / "leaflets"
    saved = list(folder.glob("*.pdf"))
    assert len(saved) == 1 and str(saved[0]) in window.message.text


def test_the_code_fits_1024x700(open_window, root, codes, pump, screenshot) -> None:
    root.geometry("1024x700+0+0")
    window = open_window()
    pump(lambda: root.winfo_width() == 1024 and root.winfo_height() == 700, what="1024x700")
    show(window, pump, IVANOVA)
    key(window, "<F10>")
    pump(lambda: window.codes.state is not None and window.codes.state.issued_at is not None,
         what="the code issued")
    panel = window.card_panel
    screenshot("codes-07-card-1024x700", size="1024x700")
    for _ in range(4):
        codes.verify_code(IVANOVA, "000000")
    window.codes.refresh_state()
    pump(lambda: "Заблокировано до" in assistant_text(window), what="the lock on the card")
    panel.scroll.see(panel.assistant)
    pump(lambda: not window.runner.busy, what="the runner")
    canvas = panel.scroll.canvas
    bar = window.codes.bar
    for widget in (bar.issue, bar.check, bar.leaflet):
        assert widget.winfo_rootx() + widget.winfo_width() <= 1024
        assert widget.winfo_rooty() + widget.winfo_height() \
            <= canvas.winfo_rooty() + canvas.winfo_height()
    screenshot("codes-07b-card-locked-1024x700", size="1024x700")
    dialog = open_dialog_anyway(window, pump)
    screenshot("codes-07c-check-1024x700", size="1024x700")
    assert dialog.winfo_rootx() + dialog.winfo_width() <= 1024
    assert dialog.winfo_rooty() + dialog.winfo_height() <= 700
    dialog.close()
    key(window, "<F4>")  # the demo list and the phone, on request
    phone = window.codes.phone
    assert phone is not None
    pump(lambda: window.demo.winfo_ismapped(), what="the demo list after F4")
    pump(phone.winfo_ismapped, what="the phone after F4")
    screenshot("codes-07d-phone-1024x700", size="1024x700")
    assert phone.winfo_rooty() + phone.winfo_height() <= 700


def open_dialog_anyway(window: MainWindow, pump: Pump) -> CodeCheckDialog:
    """The check dialog even while locked (F11 then only says until when)."""
    window.codes.state = replace(window.codes.state, status=CodeStatus.ACTIVE,
                                 locked_until=None, attempts_left=1)
    return open_dialog(window, pump)


def test_english_and_back(open_window, pump, screenshot) -> None:
    window = open_window()
    show(window, pump, IVANOVA)
    key(window, "<F10>")
    pump(lambda: window.codes.state is not None and window.codes.state.issued_at is not None,
         what="the code issued")
    window.set_language("en")
    pump(lambda: "4 attempts left" in assistant_text(window), what="the card in English")
    text = assistant_text(window)
    for expected in ("Access code", "issued 23 Nov 2026, 12:25 (UTC+3)",
                     "Issue access code  F10", "Check the code  F11", "Assistant leaflet  F12"):
        assert expected in text, expected
    phone = window.codes.phone
    assert phone is not None and "Subscriber's phone +7 916 123-45-67" in screen_text(phone)
    assert "from 6262" in phone.text
    screenshot("codes-08-english")
    window.set_language("ru")
    pump(lambda: "осталось 4 попытки" in assistant_text(window), what="the card in Russian")
