"""The main window driven for real under Xvfb: typing, Enter, errors, offline, languages."""

from __future__ import annotations

import threading
import tkinter as tk
from collections.abc import Callable, Iterator

import pytest

from app.config import Settings
from app.errors import OperatorUnavailable
from app.ui.window import MainWindow
from tests.gui.fakes import (
    ANNA,
    IVANOVA,
    PETROV,
    SERVICES,
    SIDOROV,
    UNKNOWN,
    Clock,
    DictCache,
    FakeOperator,
    fetched,
    make_services,
    session_of,
    write_settings,
)
from tests.gui.helpers import screen_text

Pump = Callable[..., None]


@pytest.fixture
def settings(tmp_path) -> Settings:
    return write_settings(tmp_path)


@pytest.fixture
def clock() -> Clock:
    return Clock()


@pytest.fixture
def operator() -> FakeOperator:
    return FakeOperator()


@pytest.fixture
def open_window(
    root: tk.Tk, settings: Settings, clock: Clock, operator: FakeOperator, pump: Pump
) -> Iterator[Callable[..., MainWindow]]:
    windows: list[MainWindow] = []

    def open_(*, training: bool = False, cache: DictCache | None = None) -> MainWindow:
        services = make_services(settings, operator, clock, training=training, cache=cache)
        window = MainWindow(root, settings, services, clock=clock)
        window.start_session(session_of(ANNA))  # signing in itself: test_sign_in.py
        windows.append(window)
        pump(root.winfo_ismapped, what="the window to be mapped")
        return window

    yield open_
    for window in windows:
        window.close()


def search(window: MainWindow, pump: Pump, text: str) -> None:
    """Type a number and press Enter in the phone field, then wait for the answer."""
    window.search.set_text(text)
    window.search.entry.focus_force()
    window.search.entry.event_generate("<Return>")
    pump(lambda: not window.busy, what="the lookup to finish")


def test_focus_starts_in_the_phone_field(open_window, root, pump, screenshot) -> None:
    window = open_window()
    pump(lambda: root.focus_get() is window.search.entry, what="focus in the phone field")
    text = screen_text(root)
    assert "Салон — консоль" in text
    assert "Салон «Тверская, 12» · рабочее место 2" in text
    assert "Найти" in text
    assert "Найдите абонента" in text
    assert "Учебный режим" not in text
    screenshot("01-empty-window")


def test_enter_shows_the_card(open_window, root, pump, screenshot) -> None:
    window = open_window()
    search(window, pump, "8 (916) 123-45-67")
    assert window.card is not None
    text = screen_text(root)
    for expected in (
        "Иванова Мария Петровна", "+7 916 123-45-67", "Активен", "Москва",
        "12:25 (UTC+3)",  # her local time now
        "Смарт", "массовый", "450,00\u00a0₽ в месяц",
        "-123,45\u00a0₽", "50,00\u00a0₽", "100,00\u00a0₽", "погасить до 27.11.2026, 00:00 (UTC+3)",
        "250 из 500 мин", "до 30.11.2026", "0 из 100 SMS",
        "3\u00a0072 из 10\u00a0240 МБ",
        "не подключён", "Данные из системы оператора",
        "Абонент", "Тариф и услуги", "Балансы", "Пакеты", "Электронный Помощник",
    ):
        assert expected in text, expected
    assert window.card_panel.services.items()[0] == "Антивирус"
    assert len(window.card_panel.services.items()) == len(SERVICES)
    assert window.card_panel.services.scrollbar.winfo_ismapped()  # too many to fit: scrolls
    assert window.card_panel.view is not None
    assert set(window.card_panel.view.attention) == {"Основной баланс", "Обещанный платёж"}
    assert "Данные получены от оператора: 23.11.2026, 12:25." in window.status.text
    assert root.focus_get() is window.search.entry
    assert window.search.entry.selection_present()  # the next number replaces this one
    screenshot("02-card-ru")


def test_closing_leaves_no_callback_for_a_destroyed_window(open_window, root, pump) -> None:
    """Closed right after a card came (its extras still to be asked): nothing the window
    scheduled is left to run against destroyed widgets (Tk: "invalid command name")."""
    window = open_window()
    search(window, pump, "8 (916) 123-45-67")
    window._show_card()  # the card drawn again: its extras scheduled anew
    scheduled = set(root.tk.splitlist(root.tk.call("after", "info")))
    assert scheduled
    window.close()
    for widget in root.winfo_children():
        widget.destroy()
    left = scheduled & set(root.tk.splitlist(root.tk.call("after", "info")))
    assert not left, [root.tk.call("after", "info", i) for i in left]


def test_language_switch_keeps_the_card(open_window, root, pump, screenshot) -> None:
    window = open_window()
    search(window, pump, IVANOVA)
    window.header.language_buttons["en"].invoke()
    pump(lambda: "Balances" in screen_text(root), what="English texts")
    text = screen_text(root)
    for expected in ("Salon — console", "Find", "Subscriber", "Tariff and services",
                     "Packages", "Electronic Assistant", "Иванова Мария Петровна", "Moscow",
                     "mass", "450.00\u00a0₽ a month", "250 of 500 min", "until 30 Nov 2026",
                     "not connected", "Data from the operator's system"):
        assert expected in text, expected
    assert "Балансы" not in text
    assert root.title() == "Salon — console"
    screenshot("03-card-en")
    window.header.language_buttons["ru"].invoke()
    pump(lambda: "Балансы" in screen_text(root), what="Russian texts again")
    assert "Иванова Мария Петровна" in screen_text(root)
    assert "Balances" not in screen_text(root)


def test_bad_number_shows_a_sentence_and_keeps_the_text(
    open_window, root, pump, screenshot, operator
) -> None:
    window = open_window()
    search(window, pump, "916 12З-45-67")  # a Cyrillic З typed for a 3
    assert window.message.winfo_ismapped()
    assert "не телефонный номер" in window.message.text
    assert "+7 916 123-45-67" in window.message.text  # says what a good one looks like
    assert window.search.text == "916 12З-45-67"
    assert root.focus_get() is window.search.entry
    assert window.card is None
    assert operator.calls == []  # nothing was asked of the operator
    screenshot("04-error")


def test_unknown_subscriber_says_so(open_window, root, pump) -> None:
    window = open_window()
    search(window, pump, UNKNOWN)
    assert "не найден" in window.message.text
    assert "Traceback" not in screen_text(root)


def test_a_failed_lookup_takes_the_previous_card_away(open_window, root, pump) -> None:
    window = open_window()
    search(window, pump, IVANOVA)
    search(window, pump, "12")
    assert window.card is None
    assert "Иванова" not in screen_text(root)
    search(window, pump, IVANOVA)
    assert not window.message.winfo_ismapped()  # a good answer clears the old error


def test_offline_card_shows_the_banner_and_its_age(
    open_window, root, pump, screenshot, operator, clock
) -> None:
    window = open_window()
    clock.set(fetched(minutes_ago=15))
    search(window, pump, IVANOVA)
    pump(lambda: "В сети" in screen_text(window.header), what="the online indicator")
    operator.offline = True
    clock.set(fetched(minutes_ago=0))
    search(window, pump, IVANOVA)
    text = screen_text(root)
    assert "Нет связи — сохранённые данные от 23.11.2026, 12:10 (15 минут назад)" in text
    assert window.card_panel.source.cget("style") == "Source.cache.TLabel"
    assert not window.message.winfo_ismapped()  # a saved card is an answer, not an error
    pump(lambda: "Нет связи" in screen_text(window.header), what="the offline indicator")
    assert window.header.dot.cget("style") == "Dot.offline.TLabel"
    assert "Показаны сохранённые данные от 23.11.2026, 12:10." in window.status.text
    screenshot("05-offline-card")


def test_offline_without_a_saved_card_is_a_sentence(open_window, pump, operator) -> None:
    window = open_window()
    operator.offline = True
    search(window, pump, IVANOVA)
    assert "Нет связи с системой оператора." in window.message.text
    assert "Сохранённой карточки для этого номера пока нет" in window.message.text
    assert window.message.view is not None and window.message.view.kind == "offline"


def test_busy_state_while_the_operator_thinks(open_window, root, pump, operator) -> None:
    window = open_window()
    operator.gate = threading.Event()
    window.search.set_text(IVANOVA)
    window.search.entry.event_generate("<Return>")
    pump(lambda: window.busy, what="the busy state")
    assert window.search.button.instate(["disabled"])
    assert window.search.button.cget("text") == "Поиск…"
    assert str(root.cget("cursor")) == "watch"
    assert window.status.text == "Поиск…"
    pump(window.search.progress.winfo_ismapped, what="the progress bar after 300 ms")
    window.search.entry.event_generate("<Return>")  # a second Enter does not start another
    root.update()
    operator.gate.set()
    pump(lambda: window.card is not None, what="the card")
    assert operator.calls == [IVANOVA]
    assert not window.search.button.instate(["disabled"])
    assert window.search.button.cget("text") == "Найти"
    assert not window.search.progress.winfo_ismapped()
    assert str(root.cget("cursor")) == ""


def test_the_clerks_lookup_supersedes_a_reload_of_the_card(open_window, root, pump,
                                                            operator) -> None:
    """A queued write's result looks the card on screen up again in the background; the
    clerk typing the next number and pressing Enter meanwhile gets that number, not nothing."""
    window = open_window()
    search(window, pump, IVANOVA)
    operator.gate = threading.Event()
    window.reload_card()
    pump(lambda: window.busy, what="the reload under way")
    window.search.set_text(PETROV)
    window.search.entry.event_generate("<Return>")
    root.update()
    operator.gate.set()
    pump(lambda: not window.busy and window.card is not None
         and window.card.subscriber.msisdn == PETROV, what="the card the clerk asked for")
    assert operator.calls[-2:] == [IVANOVA, PETROV]


def test_demo_list_in_training_mode(open_window, root, pump, screenshot) -> None:
    window = open_window(training=True)
    pump(lambda: window.demo is not None and len(window.demo.rows()) == 63,
         what="the demo list")
    assert window.demo is not None
    pump(window.demo.winfo_ismapped, what="the demo list beside the card at 1280 px")
    assert "Учебный режим" in screen_text(window.header)
    assert "Демо-абоненты" in screen_text(root)
    assert "корп." in screen_text(window.demo)
    window.demo.tree.selection_set(PETROV)
    pump(lambda: window.search.text == PETROV, what="the number copied to the field")
    assert window.card is None  # a single click only copies
    assert window.demo.detail.cget("text") == "Петров Алексей Викторович — корпоративный тариф"
    window.demo.tree.focus_set()
    window.demo.tree.event_generate("<Return>")
    pump(lambda: window.card is not None and not window.busy, what="the picked card")
    assert "Петров Алексей Викторович" in screen_text(root)
    screenshot("06-training")
    window.header.language_buttons["en"].invoke()
    pump(lambda: "Demo subscribers" in screen_text(window.demo), what="the list in English")
    assert "corp." in screen_text(window.demo)
    assert "корп." not in screen_text(window.demo)


def test_r1_note_for_corporate_and_vip(open_window, root, pump, screenshot) -> None:
    window = open_window()
    search(window, pump, PETROV)
    text = screen_text(root)
    assert "корпоративный" in text
    assert "недоступен на корпоративных и VIP тарифах (R1)" in text
    search(window, pump, SIDOROV)
    text = screen_text(root)
    assert "VIP" in text
    assert "недоступен на корпоративных и VIP тарифах (R1)" in text
    assert "Заблокирован" in text
    assert "Нет пакетов на этом тарифе." in text
    assert "Услуги не подключены." in text
    assert window.card_panel.subscriber.values["Статус"].cget("style") == "Attention.TLabel"
    assert window.card_panel.view is not None
    assert window.card_panel.view.attention == ("Статус",)
    screenshot("08-blocked-vip")


def test_keyboard_shortcuts(open_window, root, pump) -> None:
    window = open_window()
    search(window, pump, IVANOVA)
    window.search.button.focus_force()
    pump(lambda: root.focus_get() is window.search.button, what="focus on the button")
    window.search.button.event_generate("<F3>")
    pump(lambda: root.focus_get() is window.search.entry, what="F3 to the phone field")
    assert window.search.entry.selection_present()
    window.search.button.focus_force()
    pump(lambda: root.focus_get() is window.search.button, what="focus on the button")
    window.search.button.event_generate("<Control-l>")
    pump(lambda: root.focus_get() is window.search.entry, what="Ctrl+L to the phone field")
    window.search.entry.event_generate("<Escape>")
    pump(lambda: window.card is None, what="Esc to clear")
    assert window.search.text == ""
    assert "Найдите абонента" in screen_text(root)
    assert "Иванова" not in screen_text(root)


def test_window_fits_1024x700(open_window, root, pump, screenshot) -> None:
    root.geometry("1024x700+0+0")
    window = open_window(training=True)
    pump(lambda: window.demo is not None and window.demo.rows(), what="the demo list")
    assert window.demo is not None
    search(window, pump, IVANOVA)
    pump(lambda: root.winfo_width() == 1024 and root.winfo_height() == 700, what="1024x700")
    assert not window.demo.winfo_ismapped()  # too narrow to sit beside the card
    assert window.search.demo_toggle.winfo_ismapped()
    screenshot("07-card-1024x700", size="1024x700")
    panel = window.card_panel
    assert panel.two_columns
    # The card scrolls here: the Assistant's access-code buttons (every console has them; the
    # fakes once left them out) take the right column past 700 px, and the card is scrolled to
    # them (test_access_codes.py::test_the_code_fits_1024x700). Nothing is cut on the right.
    for section in panel.sections():
        right = section.winfo_rootx() + section.winfo_width()
        assert right <= 1024, section.title.cget("text")
        if section is not panel.tariff:  # the services list in it may shrink: it scrolls
            assert section.winfo_height() >= section.winfo_reqheight() - 2, (
                section.title.cget("text")
            )
    assert panel.services.tree.winfo_height() >= 3 * 20, "fewer than three services visible"

    window.search.entry.event_generate("<F4>")  # the clerk opens the demo list anyway
    pump(window.demo.winfo_ismapped, what="the demo list after F4")
    pump(lambda: not panel.two_columns, what="the card in one column")
    assert panel.scroll.scrolls  # the stacked card scrolls instead of being cut off
    assert panel.scroll.canvas.yview()[0] == 0.0
    panel.balances.title.event_generate("<Button-5>")  # the wheel, over the card
    pump(lambda: panel.scroll.canvas.yview()[0] > 0, what="the card to scroll")
    screenshot("07b-card-1024x700-demo", size="1024x700")
    window.search.entry.event_generate("<F4>")
    pump(lambda: not window.demo.winfo_ismapped(), what="the demo list hidden again")


def test_services_are_built_in_the_background(root, settings, clock, operator, pump) -> None:
    gate = threading.Event()

    def build():
        gate.wait(timeout=10)
        return make_services(settings, operator, clock)

    window = MainWindow(root, settings, clock=clock)
    try:
        window.connect(build)
        window.start_session(session_of(ANNA))
        pump(root.winfo_ismapped, what="the window before the services")
        assert "Подключение…" in window.status.text
        assert "Подключение…" in screen_text(window.header)
        window.search.set_text(IVANOVA)
        window.search.entry.event_generate("<Return>")  # typed before the services exist
        pump(lambda: window.busy, what="the lookup to wait")
        gate.set()
        pump(lambda: window.card is not None, what="the waiting lookup to run")
        assert "Иванова Мария Петровна" in screen_text(root)
    finally:
        window.close()


def test_a_failed_start_shows_the_sentence(root, settings, clock, pump) -> None:
    def build():
        raise OperatorUnavailable("Не удалось запустить учебную систему оператора.")

    window = MainWindow(root, settings, clock=clock)
    try:
        window.connect(build)
        window.start_session(session_of(ANNA))
        pump(lambda: window.services_error is not None, what="the failed start")
        assert "Не удалось запустить учебную систему оператора." in window.message.text
        window.lookup(IVANOVA)
        root.update()
        assert "Не удалось запустить" in window.message.text
        assert not window.busy
    finally:
        window.close()
