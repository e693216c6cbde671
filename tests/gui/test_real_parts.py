"""The window on the real parts: the embedded sandbox over loopback HTTP and the SQLite store,
wired by app.main exactly as `salon` does it."""

from __future__ import annotations

import tkinter as tk
from pathlib import Path

from app.config import load_settings
from app.main import build_services, console_clock, real_parts
from app.ui.window import MainWindow
from tests.conftest import write_ini
from tests.gui.helpers import screen_text, sign_in


def test_a_number_and_enter_show_the_real_card(
    root: tk.Tk, pump, screenshot, tmp_path: Path
) -> None:
    settings = load_settings(write_ini(tmp_path, salon={"language": "ru"}))
    clock = console_clock(settings)
    window = MainWindow(root, settings, clock=clock)
    try:
        window.connect(lambda: build_services(settings, clock, real_parts(settings)))
        pump(lambda: window.services is not None, timeout=30, what="the services to start")
        # The training sandbox's demo clerk (README: Training accounts), real argon2.
        window.gate.sign_in.set_value("login", "clerk")
        window.gate.sign_in.set_value("password", "clerk-demo")
        window.gate.sign_in.password.focus_force()
        window.gate.sign_in.password.event_generate("<Return>")
        pump(lambda: window.working, timeout=15, what="signing in")
        assert "Анна Соколова" in screen_text(window.header)
        window.search.set_text("8 (911) 987-65-43")
        window.search.entry.focus_force()
        window.search.entry.event_generate("<Return>")
        pump(lambda: window.card is not None and not window.busy, timeout=15,
             what="the card from the sandbox")
        text = screen_text(root)
        assert "+7 911 987-65-43" in text
        assert "Санкт-Петербург" in text
        assert "Обещанный платёж" in text and "погасить до" in text  # the showcase debt
        assert "Учебный режим" in text  # embedded = the training sandbox
        assert window.card.subscriber.msisdn == "+79119876543"
        assert window.card.source == "api"
        screenshot("10-real-sandbox-card")
    finally:
        window.close()


def test_the_manager_sees_the_days_journal_and_the_lock_takes_it_away(
    root: tk.Tk, pump, screenshot, tmp_path: Path
) -> None:
    settings = load_settings(write_ini(tmp_path, salon={"language": "ru"}))
    clock = console_clock(settings)
    window = MainWindow(root, settings, clock=clock)
    try:
        window.connect(lambda: build_services(settings, clock, real_parts(settings)))
        pump(lambda: window.services is not None, timeout=30, what="the services to start")
        sign_in(window, pump, "clerk", "clerk-demo")
        pump(lambda: window.working, what="the clerk signed in")
        assert not window.header.daily_log.winfo_ismapped()  # not for a clerk
        window.search.set_text("+7 916 123-45-67")
        window.search.entry.focus_force()
        window.search.entry.event_generate("<Return>")
        pump(lambda: window.card is not None and not window.busy, timeout=15, what="a card")
        window.lock()
        window.gate.sign_in.other.invoke()  # "Another clerk": a takeover at the lock screen
        pump(lambda: root.focus_get() is window.gate.sign_in.login, what="focus in the login")
        sign_in(window, pump, "manager", "manager-demo")
        pump(lambda: window.working, what="the manager signed in")
        pump(window.header.daily_log.winfo_ismapped, what="the manager's journal button")
        root.focus_force()
        root.event_generate("<F9>")
        pump(lambda: window.daily_log_dialog is not None, what="the daily log window")
        dialog = window.daily_log_dialog
        pump(lambda: dialog.log is not None and not dialog.busy, timeout=15, what="the log")
        rows = [dialog.entries_tree.item(i, "values")
                for i in dialog.entries_tree.get_children()]
        said = [(row[2], row[4]) for row in rows]
        assert said[:2] == [("clerk", "Вход"), ("clerk", "Поиск абонента")]
        # The lock and the manager's sign-in are written by different workers; only the
        # takeover's sign-out must come after the sign-in that caused it.
        assert set(said[2:5]) == {("clerk", "Блокировка экрана"), ("manager", "Вход"),
                                  ("clerk", "Выход")}
        assert said.index(("manager", "Вход")) < said.index(("clerk", "Выход"))
        assert rows[1][3] == "+7 916 123-45-67"
        dialog.lift()
        screenshot("11-real-daily-log")
        window.lock()
        pump(lambda: not dialog.winfo_exists(), what="the log to close with the lock")
    finally:
        window.close()


def test_the_dot_says_online_before_the_first_lookup(root: tk.Tk, pump, tmp_path: Path) -> None:
    settings = load_settings(write_ini(tmp_path, salon={"language": "ru"}))
    clock = console_clock(settings)
    window = MainWindow(root, settings, clock=clock)
    try:
        window.connect(lambda: build_services(settings, clock, real_parts(settings)))
        pump(lambda: window.services is not None, timeout=30, what="the services to start")
        pump(lambda: "В сети" in screen_text(window.header), timeout=15,
             what="the health check's answer")
        assert window.card is None  # nobody was looked up
    finally:
        pump(lambda: not window.runner.busy, timeout=15, what="the runner")
        window.close()
