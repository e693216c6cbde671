"""Start the GUI: the sign-in field first, then the rest of the window, then the services.

A key typed at launch must land in the sign-in field within 1.0 s (DESIGN §9), so the Tk
thread does as little as it can before its event loop runs: the root, the theme and the sign-in
form (the Gate), which take keys at once. The rest of the window's modules are imported on a
worker meanwhile (the Tk thread keeps taking keys: the field needs no Python to take one), and
the window is built around the Gate when they are in. Then the store and the clerks' accounts
are opened (the clerk can sign in), and the operator's side (httpx, the embedded sandbox) is
built behind them on the BackgroundRunner.
"""

from __future__ import annotations

import contextlib
import importlib
import tkinter as tk
from collections.abc import Callable
from typing import TYPE_CHECKING

from app.i18n import _, set_language
from app.ui.gate import Gate
from app.ui.runner import BackgroundRunner
from app.ui.theme import apply_theme
from app.ui.views.screen_fit import fit_to_screen

if TYPE_CHECKING:
    from app.clock import Clock
    from app.config import Settings
    from app.services.clerks import ClerkService
    from app.services.registry import Services
    from app.ui.window import MainWindow

__all__ = ["create_window", "run_gui", "sign_in_first"]

# What the window is made of beyond the Gate: imported on a worker while the Gate takes keys.
WINDOW_MODULES = ("app.ui.window",)


def sign_in_first(settings: Settings, root: tk.Tk, runner: BackgroundRunner) -> Gate:
    """The themed root with only the sign-in form, in its place in the window, the cursor in
    its login field: what the clerk needs at launch."""
    apply_theme(root)
    root.columnconfigure(0, weight=1)
    root.rowconfigure(3, weight=1)
    gate = Gate(root, settings, runner, on_signed_in=lambda _session: None)
    gate.frame.grid(row=2, column=0, rowspan=2, sticky="nsew")  # where MainWindow keeps it
    root.title(_("Salon — console"))
    gate.focus(force=True)  # at launch the clerk types at once, no click first
    return gate


def create_window(settings: Settings, clock: Clock, root: tk.Tk | None = None, *,
                  gate: Gate | None = None,
                  runner: BackgroundRunner | None = None) -> MainWindow:
    """The root and the main window, in the salon's language, without services yet; around
    `gate` (and its runner) when sign_in_first made them."""
    from app.ui.window import MainWindow

    set_language(settings.salon.language)
    root = root or tk.Tk(className="SalonConsole")
    if gate is None:  # else run_gui fitted the root before the Gate went on it
        fit_to_screen(root)  # the counter's whole screen: 1366x768 as well as 1920x1080
    return MainWindow(root, settings, clock=clock, gate=gate, runner=runner)


def run_gui(settings: Settings, clock: Clock, build_services: Callable[[], Services],
            open_clerks: Callable[[], ClerkService] | None = None) -> None:
    """Show the sign-in field, then the window around it, open the store and the clerks'
    accounts (`open_clerks`), build the services, run until the window closes."""
    set_language(settings.salon.language)
    root = tk.Tk(className="SalonConsole")
    fit_to_screen(root)  # the counter's whole screen: 1366x768 as well as 1920x1080
    runner = BackgroundRunner(root)
    gate = sign_in_first(settings, root, runner)
    window: MainWindow | None = None
    closed = False

    def close() -> None:
        nonlocal closed
        if not closed:
            closed = True
            if window is not None:
                window.close()
            else:
                runner.shutdown()
            with contextlib.suppress(tk.TclError):  # already gone (the process is ending)
                root.destroy()

    def build(_modules: object) -> None:
        nonlocal window
        window = create_window(settings, clock, root, gate=gate, runner=runner)
        window.connect(build_services, open_clerks)

    def not_built(error: BaseException) -> None:
        raise error  # a broken installation: Tk reports it like any callback's error

    root.protocol("WM_DELETE_WINDOW", close)
    # Once the sign-in form is drawn (Tk draws when idle), not before: the worker's imports
    # would otherwise take turns with the Tk thread while it maps and draws the form.
    root.after_idle(lambda: root.after(0, lambda: runner.submit(
        _import_window_modules, build, not_built)))
    try:
        root.mainloop()
    finally:
        close()  # also on Ctrl+C in the terminal: stop the sandbox and the workers


def _import_window_modules() -> None:
    for name in WINDOW_MODULES:
        importlib.import_module(name)
