"""A small tooltip: a borderless window under a widget after the pointer rests on it.

Used for why a disabled action is disabled; the same sentence is also on screen as a note,
so nothing depends on hovering (keyboard first)."""

from __future__ import annotations

import contextlib
import tkinter as tk
from collections.abc import Callable
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
        x, y = self._position()
        window.geometry(f"+{x}+{y}")
        self._window = window

    def _position(self) -> tuple[int, int]:
        """Under the widget, at its left edge (screen coordinates)."""
        return (self.widget.winfo_rootx(),
                self.widget.winfo_rooty() + self.widget.winfo_height() + 4)

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


class RowTooltip(Tooltip):
    """A Treeview's row: the whole of a sentence its column cuts off (`text_of(row)`, "" for
    none), under the row the pointer rests on. The same sentence is under the list for the
    selected row, so the keyboard needs no hovering."""

    def __init__(self, tree: ttk.Treeview, text_of: Callable[[str], str],
                 column: str = "#0") -> None:
        super().__init__(tree)
        self.tree = tree
        self._text_of = text_of
        self._column = column  # the tip starts under this column
        self.row = ""
        tree.bind("<Motion>", self._moved, add="+")

    def _moved(self, event: tk.Event) -> None:
        row = self.tree.identify_row(event.y)
        if row == self.row:
            return
        self.row = row
        self.set(self._text_of(row) if row else "")
        self._schedule()

    def _hide(self, _event: tk.Event | None = None) -> None:
        super()._hide(_event)
        if _event is not None and str(_event.type) == "Leave":
            self.row = ""  # coming back onto the same row shows it again

    def _position(self) -> tuple[int, int]:
        box = self.tree.bbox(self.row, self._column) \
            if self.row and self.tree.exists(self.row) else ""
        if not box:
            return super()._position()
        x, y, _width, height = box
        return self.tree.winfo_rootx() + x, self.tree.winfo_rooty() + y + height + 2
