"""Start the GUI: the window first, then the services on a worker.

The window must be usable within 1.5 s of launch (DESIGN §9), so this module imports only
tkinter and the window; the services (httpx, peewee, the embedded sandbox) are built by
`build_services` on the BackgroundRunner while the window already shows "Connecting…".
"""

from __future__ import annotations

import tkinter as tk
from collections.abc import Callable
from typing import TYPE_CHECKING

from app.i18n import set_language
from app.ui.window import MainWindow

if TYPE_CHECKING:
    from app.clock import Clock
    from app.config import Settings
    from app.services.registry import Services

__all__ = ["MainWindow", "create_window", "run_gui"]


def create_window(settings: Settings, clock: Clock, root: tk.Tk | None = None) -> MainWindow:
    """The root and the main window, in the salon's language, without services yet."""
    set_language(settings.salon.language)
    root = root or tk.Tk(className="SalonConsole")
    root.geometry("1280x800")
    return MainWindow(root, settings, clock=clock)


def run_gui(settings: Settings, clock: Clock, build_services: Callable[[], Services]) -> None:
    """Show the window, build the services in the background, run until the window closes."""
    window = create_window(settings, clock)
    root = window.root
    closed = False

    def close() -> None:
        nonlocal closed
        if not closed:
            closed = True
            window.close()
            root.destroy()

    root.protocol("WM_DELETE_WINDOW", close)
    window.connect(build_services)
    try:
        root.mainloop()
    finally:
        close()  # also on Ctrl+C in the terminal: stop the sandbox and the workers
