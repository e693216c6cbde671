"""Training mode: the sandbox's demo subscribers, to pick a number and practise on."""

from __future__ import annotations

import tkinter as tk
from collections.abc import Callable, Sequence
from tkinter import font as tkfont
from tkinter import ttk

from app.i18n import _
from app.ui.presenters.demo import DemoRow
from app.ui.theme import PALETTE


class DemoList(ttk.Frame):
    """Single click puts the number in the phone field; double click or Enter opens the card."""

    def __init__(
        self,
        master: tk.Misc,
        on_select: Callable[[str], None],
        on_pick: Callable[[str], None],
    ) -> None:
        super().__init__(master, style="Card.TFrame", padding=(12, 10, 12, 12))
        self._on_select = on_select
        self._on_pick = on_pick
        self.columnconfigure(0, weight=1)
        self.rowconfigure(3, weight=1)
        self._rows: dict[str, DemoRow] = {}
        self.title = ttk.Label(self, style="Section.TLabel")
        self.title.grid(row=0, column=0, columnspan=2, sticky="w")
        self.hint = ttk.Label(self, style="Note.TLabel", wraplength=300, justify="left")
        self.hint.grid(row=1, column=0, columnspan=2, sticky="w", pady=(2, 8))
        self.state_label = ttk.Label(self, style="Note.TLabel")
        self.state_label.grid(row=2, column=0, columnspan=2, sticky="w")
        self.tree = ttk.Treeview(
            self, columns=("phone", "name", "notes"), show="headings", selectmode="browse",
            height=8,
        )
        measure = tkfont.nametofont("TkDefaultFont", self).measure
        phone_width = measure("+7 000 000-00-00") + 18
        self.tree.column("phone", width=phone_width, minwidth=phone_width, stretch=False)
        self.tree.column("name", width=measure("Михайлова Д. Ю.") + 12, stretch=False)
        self.tree.column("notes", width=measure("корп., заблок., долг") + 12, stretch=True)
        self.tree.grid(row=3, column=0, sticky="nsew")
        scrollbar = ttk.Scrollbar(self, orient="vertical", command=self.tree.yview)
        scrollbar.grid(row=3, column=1, sticky="ns")
        self.tree.configure(yscrollcommand=scrollbar.set)
        # The list abbreviates; the selected row is spelled out in full underneath.
        self.detail = ttk.Label(self, style="Note.TLabel", wraplength=380, justify="left")
        self.detail.grid(row=4, column=0, columnspan=2, sticky="w", pady=(6, 0))
        self.tree.tag_configure("odd", background=PALETTE.stripe)
        self.tree.bind("<<TreeviewSelect>>", self._selected)
        self.tree.bind("<Double-1>", self._picked)
        self.tree.bind("<Return>", self._picked)
        self.tree.bind("<KP_Enter>", self._picked)
        self._loading = True
        self.retranslate()

    def retranslate(self) -> None:
        self.title.configure(text=_("Demo subscribers"))
        self.hint.configure(
            text=_("Click a row to copy its number; double-click or Enter opens the card.")
        )
        self.tree.heading("phone", text=_("Number"), anchor="w")
        self.tree.heading("name", text=_("Subscriber"), anchor="w")
        self.tree.heading("notes", text=_("Notes"), anchor="w")
        if self._loading:
            self.state_label.configure(text=_("Loading…"))

    def set_rows(self, rows: Sequence[DemoRow]) -> None:
        self._loading = False
        self.tree.delete(*self.tree.get_children())
        self._rows = {row.msisdn: row for row in rows}
        for index, row in enumerate(rows):
            self.tree.insert("", "end", iid=row.msisdn, values=(row.phone, row.name, row.notes),
                             tags=("odd",) if index % 2 else ())
        self._describe()
        self.state_label.configure(text="")
        self.state_label.grid_remove()

    def set_error(self, text: str) -> None:
        self._loading = False
        self.state_label.configure(text=text)

    def rows(self) -> list[str]:
        return list(self.tree.get_children())

    def _selected(self, _event: tk.Event) -> None:
        selection = self.tree.selection()
        self._describe()
        if selection:
            self._on_select(selection[0])

    def _describe(self) -> None:
        selection = self.tree.selection()
        row = self._rows.get(selection[0]) if selection else None
        if row is None:
            self.detail.configure(text="")
            return
        self.detail.configure(text=row.details)

    def _picked(self, event: tk.Event) -> str | None:
        row = self.tree.identify_row(event.y) if event.type == tk.EventType.ButtonPress else ""
        selection = row or (self.tree.selection()[0] if self.tree.selection() else "")
        if selection:
            self._on_pick(selection)
            return "break"
        return None
