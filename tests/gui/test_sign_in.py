"""Signing in, the idle lock, a takeover and the first manager, driven for real under Xvfb."""

from __future__ import annotations

import threading
import tkinter as tk
from collections.abc import Callable, Iterator
from datetime import timedelta

import pytest

from app.config import Settings
from app.ui.window import MainWindow
from tests.gui.fakes import (
    ANNA,
    IVANOVA,
    OLEG,
    Clock,
    FakeOperator,
    make_services,
    write_settings,
)
from tests.gui.helpers import screen_text, sign_in, type_in
from tests.support.clerks import FAST_HASHER, MemoryClerkStore, clerk_service
from tests.support.pinned import Monotonic

Pump = Callable[..., None]
IDLE_MINUTES = 10


@pytest.fixture
def settings(tmp_path) -> Settings:
    return write_settings(tmp_path, idle_lock_minutes=IDLE_MINUTES)


@pytest.fixture
def clock() -> Clock:
    return Clock()


@pytest.fixture
def idle() -> Monotonic:
    return Monotonic()


@pytest.fixture
def open_window(
    root: tk.Tk, settings: Settings, clock: Clock, idle: Monotonic, pump: Pump
) -> Iterator[Callable[..., MainWindow]]:
    windows: list[MainWindow] = []

    def open_(**services_options: object) -> MainWindow:
        services = make_services(settings, FakeOperator(), clock, **services_options)
        window = MainWindow(root, settings, services, clock=clock, monotonic=idle)
        windows.append(window)
        pump(root.winfo_ismapped, what="the window to be mapped")
        pump(lambda: not window.runner.busy, what="the services to settle")
        return window

    yield open_
    for window in windows:
        window.close()


def search(window: MainWindow, pump: Pump, text: str) -> None:
    window.search.set_text(text)
    window.search.entry.focus_force()
    window.search.entry.event_generate("<Return>")
    pump(lambda: not window.busy and window.card is not None, what="the card")


def test_the_console_opens_on_the_sign_in_screen(open_window, root, pump, screenshot) -> None:
    window = open_window()
    pump(lambda: root.focus_get() is window.gate.sign_in.login, what="focus in the login")
    text = screen_text(root)
    assert "Вход в консоль" in text and "Логин" in text and "Пароль" in text
    assert "Салон «Тверская, 12» · рабочее место 2" in text
    assert not window.search.winfo_ismapped()  # no phone field before a clerk signs in
    assert "Выйти" not in text
    assert "Учебные" not in text  # a real operator API: no training accounts to hint at
    assert window.status.text == "Войдите, чтобы начать работу."
    window.lookup(IVANOVA)  # even called directly, nothing is looked up
    root.update()
    assert window.card is None and not window.busy
    screenshot("20-sign-in")


def test_a_wrong_password_then_the_right_one(open_window, root, pump, screenshot) -> None:
    window = open_window()
    form = window.gate.sign_in
    sign_in(window, pump, "anna", "not-her-password")
    assert form.message.winfo_ismapped()
    assert form.message.text == (
        "Неверный логин или пароль. До блокировки учётной записи осталось 4 попытки."
    )
    assert form.password.get() == ""  # typed again from scratch
    assert root.focus_get() is form.password
    assert window.session is None
    screenshot("21-sign-in-wrong-password")

    sign_in(window, pump, "anna", ANNA[3])
    pump(lambda: window.working, what="signed in")
    header = screen_text(window.header)
    assert "Анна Соколова · специалист" in header and "Выйти" in header
    assert not window.gate.frame.winfo_ismapped()
    pump(lambda: root.focus_get() is window.search.entry, what="focus in the phone field")
    search(window, pump, IVANOVA)
    assert "Иванова Мария Петровна" in screen_text(root)
    screenshot("22-header-with-clerk")


def test_five_wrong_passwords_show_when_the_lock_ends(open_window, root, pump) -> None:
    window = open_window()
    for _ in range(5):
        sign_in(window, pump, "anna", "not-her-password")
    text = window.gate.sign_in.message.text
    assert "заблокирована до 12:40 (UTC+3)" in text  # 09:25 UTC + 15 minutes, in Moscow
    sign_in(window, pump, "anna", ANNA[3])
    assert window.session is None
    assert "заблокирована" in window.gate.sign_in.message.text


def test_signing_in_does_not_block_the_window(open_window, root, pump, clock) -> None:
    """argon2 runs on a worker: the window keeps drawing while the password is checked."""
    gate = threading.Event()

    class SlowHasher:
        def hash(self, password: str) -> str:
            return FAST_HASHER.hash(password)

        def verify(self, password_hash: str, password: str) -> bool:
            gate.wait(10)
            return FAST_HASHER.verify(password_hash, password)

    store = MemoryClerkStore()
    clerk_service(clock, (ANNA,), store=store)
    from app.services.clerks import ClerkService

    window = open_window(clerks=ClerkService(store, clock, hasher=SlowHasher()))
    form = window.gate.sign_in
    type_in(form.login, "anna")
    type_in(form.password, ANNA[3])
    form.button.invoke()
    pump(lambda: window.gate.busy, what="the check to start")
    assert form.button.instate(["disabled"]) and form.button.cget("text") == "Проверка…"
    form.button.invoke()  # a second click does not send another
    for _ in range(10):
        root.update()  # the Tk thread is free meanwhile
    assert window.session is None
    gate.set()
    pump(lambda: window.working, what="signed in")


def test_idle_minutes_lock_the_window_and_hide_the_card(
    open_window, root, pump, clock, idle, screenshot
) -> None:
    window = open_window()
    sign_in(window, pump, "anna", ANNA[3])
    search(window, pump, IVANOVA)
    idle.advance(timedelta(minutes=IDLE_MINUTES) - timedelta(seconds=1))
    window.check_idle()
    assert not window.locked  # 9:59 is not yet 10 minutes
    window.card_panel.event_generate("<Motion>", x=40, y=40)  # the clerk is there: time anew
    idle.advance(timedelta(minutes=5))
    window.check_idle()
    assert not window.locked
    clock.advance(timedelta(days=1))  # the world's clock moved (training +24 h): not idleness
    window.check_idle()
    assert not window.locked
    idle.advance(timedelta(minutes=IDLE_MINUTES))
    pump(lambda: window.locked, what="the idle lock (checked every second)")

    text = screen_text(root)
    assert "Иванова" not in text and "+7 916" not in text  # personal data off screen
    assert not window.card_panel.winfo_ismapped() and not window.search.winfo_ismapped()
    assert window.card is None
    assert "Консоль заблокирована" in text
    assert "Работает Анна Соколова (специалист)" in text
    assert "Анна Соколова · специалист" in screen_text(window.header)
    assert window.gate.sign_in.login.get() == "anna"
    pump(lambda: root.focus_get() is window.gate.sign_in.password, what="focus: password")
    assert window.status.text == "Консоль заблокирована."
    screenshot("23-lock-screen")

    window.gate.sign_in.password.insert(0, "wrong-pass")
    window.gate.sign_in.password.event_generate("<Return>")
    pump(lambda: not window.gate.busy, what="the wrong unlock")
    assert window.locked and "осталось 4 попытки" in window.gate.sign_in.message.text
    assert "Иванова" not in screen_text(root)

    window.gate.sign_in.password.insert(0, ANNA[3])
    window.gate.sign_in.password.event_generate("<Return>")
    pump(lambda: window.working, what="unlocked")
    assert "Иванова Мария Петровна" in screen_text(root)  # her card is back for her
    assert window.search.text == "+7 916 123-45-67"
    pump(lambda: root.focus_get() is window.search.entry, what="focus in the phone field")


def test_ctrl_shift_l_locks_and_another_clerk_takes_over(
    open_window, root, pump, screenshot
) -> None:
    window = open_window()
    sign_in(window, pump, "anna", ANNA[3])
    search(window, pump, IVANOVA)
    window.search.entry.event_generate("<Control-Shift-L>")
    pump(lambda: window.locked, what="Ctrl+Shift+L")
    assert "Иванова" not in screen_text(root)

    window.gate.sign_in.other.invoke()  # "Another clerk"
    assert window.gate.sign_in.login.get() == ""
    pump(lambda: root.focus_get() is window.gate.sign_in.login, what="focus in the login")
    sign_in(window, pump, "oleg", OLEG[3])
    pump(lambda: window.working, what="the takeover")
    assert window.session is not None and window.session.login == "oleg"
    header = screen_text(window.header)
    assert "Олег Смирнов · управляющий" in header and "Анна" not in header
    assert "Иванова" not in screen_text(root)  # Anna's subscriber is not his to see
    assert window.card is None and window.search.text == ""
    window.lock()  # now the lock screen is Oleg's
    pump(lambda: "Работает Олег Смирнов (управляющий)" in screen_text(root), what="his lock")
    assert window.gate.sign_in.login.get() == "oleg"


def test_sign_out_returns_to_the_sign_in_screen(open_window, root, pump) -> None:
    window = open_window()
    sign_in(window, pump, "anna", ANNA[3])
    search(window, pump, IVANOVA)
    window.header.sign_out.invoke()
    assert window.session is None and window.card is None
    pump(lambda: "Вход в консоль" in screen_text(root), what="the sign-in screen")
    text = screen_text(root)
    assert "Вход в консоль" in text and "Иванова" not in text and "Выйти" not in text
    assert window.gate.sign_in.login.get() == ""
    pump(lambda: root.focus_get() is window.gate.sign_in.login, what="focus in the login")


def test_no_idle_lock_when_the_minutes_are_zero(root, tmp_path, clock, pump) -> None:
    settings = write_settings(tmp_path, idle_lock_minutes=0)
    window = MainWindow(root, settings, make_services(settings, FakeOperator(), clock),
                        clock=clock)
    try:
        pump(root.winfo_ismapped, what="the window to be mapped")
        pump(lambda: not window.runner.busy, what="the services to settle")
        sign_in(window, pump, "anna", ANNA[3])
        clock.advance(timedelta(days=1))
        window.check_idle()
        assert window.working
    finally:
        window.close()


def test_the_first_manager_on_a_new_store(open_window, root, pump, screenshot) -> None:
    empty = clerk_service(Clock())
    window = open_window(clerks=empty)
    pump(lambda: window.gate.mode == "first_manager", what="the first-manager form")
    form = window.gate.first_manager
    text = screen_text(root)
    assert "Первый запуск: учётная запись управляющего" in text
    assert "Фамилия, имя и отчество" in text
    pump(lambda: root.focus_get() is form.fields["login"], what="focus in the login")
    screenshot("24-first-manager")

    for name, value in (("login", "I.Petrova"), ("name", "Ирина Петрова"),
                        ("password", "irina-pass-1"), ("repeat", "irina-pass-2")):
        type_in(form.fields[name], value)
    form.fields["repeat"].event_generate("<Return>")
    assert form.message.text == "Пароли не совпадают; введите их ещё раз."
    assert not empty.has_clerks()
    type_in(form.fields["password"], "short")
    type_in(form.fields["repeat"], "short")
    form.button.invoke()
    pump(lambda: not window.gate.busy and form.message.winfo_ismapped(), what="the refusal")
    assert "не меньше 8 символов" in form.message.text
    type_in(form.fields["password"], "irina-pass-1")
    type_in(form.fields["repeat"], "irina-pass-1")
    form.button.invoke()
    pump(lambda: window.working, what="the first manager signed in")
    assert "Ирина Петрова · управляющий" in screen_text(window.header)
    assert window.session is not None and window.session.login == "i.petrova"


def test_training_mode_hints_at_the_demo_accounts(open_window, root, pump, screenshot) -> None:
    window = open_window(training=True)
    hint = window.gate.sign_in.hint
    pump(hint.winfo_ismapped, what="the training hint")
    screenshot("26-sign-in-training")
    assert "clerk / clerk-demo (специалист)" in hint.cget("text")
    assert "manager / manager-demo (управляющий)" in hint.cget("text")


def test_the_sign_in_screen_in_english_keeps_what_was_typed(open_window, root, pump) -> None:
    window = open_window()
    type_in(window.gate.sign_in.login, "anna")
    window.header.language_buttons["en"].invoke()
    pump(lambda: "Sign in to the console" in screen_text(root), what="English")
    assert window.gate.sign_in.login.get() == "anna"
    sign_in(window, pump, "anna", "nope-nope")
    assert "4 attempts left" in window.gate.sign_in.message.text


def test_the_header_keeps_the_clerk_at_1024x700(open_window, root, pump, screenshot) -> None:
    root.geometry("1024x700+0+0")
    window = open_window(training=True)
    sign_in(window, pump, "oleg", OLEG[3])
    pump(lambda: window.working and root.winfo_width() == 1024, what="signed in at 1024 px")
    header = window.header
    pump(lambda: header.clerk.winfo_ismapped() and not header.salon.winfo_ismapped(),
         what="the salon's name to give way")
    for widget in (header.clerk, header.sign_out, *header.language_buttons.values(),
                   header.connection, header.training):
        assert widget.winfo_ismapped(), widget
        assert widget.winfo_rootx() + widget.winfo_width() <= 1024, widget
    assert header.clerk.winfo_rootx() + header.clerk.winfo_width() <= header.sign_out.winfo_rootx()
    screenshot("25-header-1024x700", size="1024x700")
    root.geometry("1280x800+0+0")
    # In training mode with a manager signed in, 1280 px has room for the console's name
    # but not the salon's as well (that is on the sign-in card and every document).
    pump(header.brand.winfo_ismapped, what="the console's name back on a wider window")


def test_signing_in_waits_for_the_accounts_not_for_the_operator(
        root, settings, clock, idle, pump) -> None:
    # Issue 15: nothing the clerk does waits for the sandbox. The accounts open first (the
    # local store); the operator's side (here held back) comes after the clerk is in.
    clerks = clerk_service(clock, (ANNA, OLEG))
    release = threading.Event()

    def build_services():
        release.wait(20)  # the embedded sandbox still starting
        return make_services(settings, FakeOperator(), clock, clerks=clerks)

    window = MainWindow(root, settings, clock=clock, monotonic=idle)
    try:
        window.connect(build_services, lambda: clerks)
        pump(root.winfo_ismapped, what="the window to be mapped")
        sign_in(window, pump, "anna", ANNA[3])
        pump(lambda: window.working, what="signed in before the operator's side")
        assert window.services is None  # the operator's side is still on its way
        assert window.status.text == "Подключение…"
        window.lookup(IVANOVA)  # typed meanwhile: it waits for the services, then shows
        release.set()
        pump(lambda: window.card is not None and not window.busy, timeout=20,
             what="the card once the services came")
        assert "Иванова Мария Петровна" in screen_text(root)
    finally:
        release.set()
        window.close()
