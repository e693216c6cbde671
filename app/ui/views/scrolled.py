"""A short list that scrolls instead of growing: connected services can be many."""

from __future__ import annotations

import tkinter as tk
from collections.abc import Sequence
from tkinter import ttk


class ScrolledList(ttk.Frame):
    def __init__(self, master: tk.Misc, height: int = 5) -> None:
        super().__init__(master, style="Body.TFrame")
        self.columnconfigure(0, weight=1)
        self.rowconfigure(0, weight=1)
        self.tree = ttk.Treeview(
            self, show="tree", selectmode="none", height=height, style="List.Treeview",
            takefocus=False,
        )
        self.tree.column("#0", stretch=True, width=200)
        self.tree.grid(row=0, column=0, sticky="nsew")
        self.scrollbar = ttk.Scrollbar(self, orient="vertical", command=self.tree.yview)
        self.scrollbar.grid(row=0, column=1, sticky="ns")
        self.tree.configure(yscrollcommand=self._scrolled)

    def set_items(self, items: Sequence[str]) -> None:
        self.tree.delete(*self.tree.get_children())
        for item in items:
            self.tree.insert("", "end", text="•  " + item)
        self.tree.yview_moveto(0)

    def items(self) -> list[str]:
        return [str(self.tree.item(iid, "text"))[3:] for iid in self.tree.get_children()]

    def _scrolled(self, first: str | float, last: str | float) -> None:
        # Tk passes strings; typeshed declares floats. Both read the same through float().
        # Show the scrollbar only when the list does not fit.
        if float(first) <= 0.0 and float(last) >= 1.0:
            self.scrollbar.grid_remove()
        else:
            self.scrollbar.grid()
        self.scrollbar.set(first, last)
