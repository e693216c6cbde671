"""run_gui end to end: the window first, the services built on a worker, signing in while
they start, a clean exit."""

from __future__ import annotations

import threading

import app.ui.app as gui
from app.ui.window import MainWindow
from tests.gui.fakes import ANNA, IVANOVA, Clock, FakeOperator, make_services, write_settings
from tests.gui.helpers import screen_text


def test_run_gui_shows_the_window_before_the_services(tmp_path, xvfb, tk_errors, monkeypatch):
    settings = write_settings(tmp_path)
    started = threading.Event()
    release = threading.Event()
    closed: list[bool] = []
    seen: dict[str, str] = {}

    clock = Clock()

    def build_services():
        started.set()
        release.wait(10)  # the embedded sandbox takes its time
        services = make_services(settings, FakeOperator(), clock)
        services.close = lambda: closed.append(True)
        return services

    real_create = gui.create_window

    def create_window(settings, clock, root=None, **around):
        window = real_create(settings, clock, root, **around)
        window.root.report_callback_exception = tk_errors  # type: ignore[assignment]
        window.root.after(200, lambda: watch(window))
        return window

    def watch(window: MainWindow) -> None:
        # Runs on the Tk thread inside run_gui's mainloop.
        if "connecting" not in seen:
            seen["connecting"] = screen_text(window.header)
            seen["status"] = window.status.text
            seen["focus"] = str(window.root.focus_get())
            seen["login field"] = str(window.gate.sign_in.login)
            window.gate.sign_in.set_value("login", ANNA[0])
            window.gate.sign_in.set_value("password", ANNA[3])
            window.gate.sign_in.submit()  # typed before the services exist: waits for them
            release.set()
        elif window.working and "clerk" not in seen:
            seen["clerk"] = window.header.clerk.cget("text")
            window.lookup(IVANOVA)
        if window.card is not None and window.card_panel.name.winfo_ismapped():
            seen["card"] = screen_text(window.root)
            window.root.tk.eval(window.root.protocol("WM_DELETE_WINDOW"))  # the close button
            return
        window.root.after(50, lambda: watch(window))

    monkeypatch.setattr(gui, "create_window", create_window)
    timer = threading.Timer(20, release.set)
    timer.start()
    try:
        gui.run_gui(settings, clock, build_services)
    finally:
        timer.cancel()
    assert started.is_set()
    assert "Подключение…" in seen["connecting"]
    assert seen["status"] == "Войдите, чтобы начать работу."
    assert seen["focus"] == seen["login field"]  # the clerk types the login at once
    assert seen["clerk"] == "Анна Соколова · специалист"
    assert "Анна Соколова · специалист" in seen["card"]  # on screen with the card
    assert "Иванова Мария Петровна" in seen["card"]
    assert closed == [True]  # the services (the sandbox) were closed with the window
    tk_errors.check()
