"""A read-only table with a vertical scrollbar, striped rows and a line of detail under it."""

from __future__ import annotations

import tkinter as tk
from collections.abc import Collection, Sequence
from tkinter import ttk

from app.ui.theme import PALETTE


class Table(ttk.Frame):
    def __init__(self, master: tk.Misc, columns: Sequence[str], widths: dict[str, int],
                 *, numeric: Collection[str] = (), stretch: Collection[str] = (),
                 height: int = 12) -> None:
        super().__init__(master, style="Body.TFrame", padding=6)
        self.columns = tuple(columns)
        self._numeric = numeric
        self.columnconfigure(0, weight=1)
        self.rowconfigure(0, weight=1)
        self.tree = ttk.Treeview(self, columns=self.columns, show="headings",
                                 selectmode="browse", height=height)
        for column in self.columns:
            self.tree.column(column, width=widths[column], minwidth=50,
                             anchor="e" if column in numeric else "w",
                             stretch=column in stretch)
        self.tree.tag_configure("odd", background=PALETTE.stripe)
        self.tree.tag_configure("muted", foreground=PALETTE.faint)
        self.tree.tag_configure("pending", foreground=PALETTE.warn_text)
        self.tree.grid(row=0, column=0, sticky="nsew")
        scrollbar = ttk.Scrollbar(self, orient="vertical", command=self.tree.yview)
        scrollbar.grid(row=0, column=1, sticky="ns")
        self.tree.configure(yscrollcommand=scrollbar.set)
        self.detail = ttk.Label(self, style="Note.TLabel", justify="left")
        self.detail.grid(row=1, column=0, columnspan=2, sticky="ew", pady=(6, 0))
        self.bind("<Configure>", lambda e: self.detail.configure(wraplength=max(200, e.width)))

    def headings(self, texts: dict[str, str]) -> None:
        for column in self.columns:
            self.tree.heading(column, text=texts[column],
                              anchor="e" if column in self._numeric else "w")

    def fill(self, rows: Sequence[tuple[str, tuple[str, ...], tuple[str, ...]]]) -> None:
        """(iid, values, tags) per row; the selection stays on the same iid if it is there."""
        selected = self.tree.selection()
        self.tree.delete(*self.tree.get_children())
        for index, (iid, values, tags) in enumerate(rows):
            self.tree.insert("", "end", iid=iid, values=values,
                             tags=(*tags, "odd") if index % 2 else tags)
        keep = [iid for iid in selected if self.tree.exists(iid)]
        if keep:
            self.tree.selection_set(keep)
        elif rows:
            self.tree.selection_set(rows[0][0])
            self.tree.focus(rows[0][0])

    def values(self) -> list[tuple[str, ...]]:
        return [tuple(str(v) for v in self.tree.item(iid, "values"))
                for iid in self.tree.get_children()]

    @property
    def selected(self) -> str | None:
        selection = self.tree.selection()
        return str(selection[0]) if selection else None
