"""A small tooltip: a borderless window under a widget after the pointer rests on it.

Used for why a disabled action is disabled; the same sentence is also on screen as a note,
so nothing depends on hovering (keyboard first)."""

from __future__ import annotations

import contextlib
import tkinter as tk
from tkinter import ttk

DELAY_MS = 500


class Tooltip:
    def __init__(self, widget: tk.Widget, text: str = "") -> None:
        self.widget = widget
        self.text = text
        self._after: str | None = None
        self._window: tk.Toplevel | None = None
        widget.bind("<Enter>", self._schedule, add="+")
        widget.bind("<Leave>", self._hide, add="+")
        widget.bind("<ButtonPress>", self._hide, add="+")
        widget.bind("<Destroy>", self._hide, add="+")

    def set(self, text: str) -> None:
        if text != self.text:
            self._hide()  # a shown tip would say the old sentence (of another card)
        self.text = text

    @property
    def shown(self) -> bool:
        return self._window is not None

    def show(self) -> None:
        self._after = None
        if not self.text or not self.widget.winfo_ismapped():
            return
        self._hide()
        window = tk.Toplevel(self.widget)
        window.overrideredirect(True)
        label = ttk.Label(window, text=self.text, style="Tooltip.TLabel", wraplength=360,
                          justify="left")
        label.pack()
        x = self.widget.winfo_rootx()
        y = self.widget.winfo_rooty() + self.widget.winfo_height() + 4
        window.geometry(f"+{x}+{y}")
        self._window = window

    def _schedule(self, _event: tk.Event | None = None) -> None:
        self._cancel()
        if self.text:
            self._after = self.widget.after(DELAY_MS, self.show)

    def _cancel(self) -> None:
        if self._after is not None:
            with contextlib.suppress(tk.TclError):
                self.widget.after_cancel(self._after)
            self._after = None

    def _hide(self, _event: tk.Event | None = None) -> None:
        self._cancel()
        if self._window is not None:
            with contextlib.suppress(tk.TclError):
                self._window.destroy()
            self._window = None
