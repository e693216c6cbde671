"""Reading what the window shows, the way a person would: mapped widgets only."""

from __future__ import annotations

import tkinter as tk
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from tkinter import ttk
from typing import Any


def visible_texts(widget: tk.Misc) -> list[str]:
    """Texts of every mapped label/button under `widget`, plus Treeview rows and headings."""
    texts: list[str] = []
    if not widget.winfo_ismapped():
        return texts
    if isinstance(widget, ttk.Treeview):
        for column in ("#0", *widget.cget("columns")):
            heading = str(widget.heading(column, "text"))
            if heading:
                texts.append(heading)
        for iid in widget.get_children():
            text = str(widget.item(iid, "text"))
            if text:
                texts.append(text)
            texts.extend(str(value) for value in widget.item(iid, "values"))
    else:
        try:
            text = str(widget.cget("text"))
        except tk.TclError:
            text = ""
        if text:
            texts.append(text)
    for child in widget.winfo_children():
        texts.extend(visible_texts(child))
    return texts


def screen_text(widget: tk.Misc) -> str:
    return "\n".join(visible_texts(widget))


def type_in(entry: tk.Widget, text: str) -> None:
    entry.delete(0, "end")  # type: ignore[attr-defined]
    entry.insert(0, text)  # type: ignore[attr-defined]


def sign_in(window: Any, pump: Callable[..., None], login: str, password: str) -> None:
    """Type the login, Enter (to the password), the password, Enter; wait for the answer."""
    form = window.gate.sign_in
    type_in(form.login, login)
    form.login.focus_force()
    form.login.event_generate("<Return>")
    pump(lambda: form.focus_get() is form.password, what="the cursor in the password field")
    type_in(form.password, password)
    form.password.event_generate("<Return>")
    pump(lambda: not window.gate.busy, what="the sign-in answer")


@contextmanager
def real_window(root: tk.Tk, settings: Any, pump: Callable[..., None], *,
                login: str = "clerk", password: str = "clerk-demo",
                create: bool = False) -> Iterator[Any]:
    """The window wired by app.main exactly as `salon` does it (the embedded sandbox over
    loopback, the store of `settings`) with a training clerk signed in; closed when done,
    once the jobs it started have come back. `create`: made by app.ui.app.create_window as
    `salon` makes it (the whole screen, the settings' language), not in the root as it is."""
    from app.main import build_services, console_clock, real_parts
    from app.ui.app import create_window
    from app.ui.window import MainWindow

    clock = console_clock(settings)
    window = create_window(settings, clock, root) if create else \
        MainWindow(root, settings, clock=clock)
    try:
        window.connect(lambda: build_services(settings, clock, real_parts(settings)))
        pump(lambda: window.services is not None, timeout=30, what="the services to start")
        sign_in(window, pump, login, password)
        pump(lambda: window.working, timeout=15, what="the clerk signed in")
        yield window
        pump(lambda: not window.runner.busy, timeout=60, what="the runner's jobs to come back")
    finally:
        window.close()
