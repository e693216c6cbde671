"""The printer settings (a Toplevel): the print server's queues with their state, and which
one this counter prints on. Enter (or the button) chooses the selected printer for this
counter — kept in the local store per counter, so salon.ini stays the administrator's file;
"Back to salon.ini's" forgets the choice."""

from __future__ import annotations

import tkinter as tk
from collections.abc import Callable
from tkinter import ttk

from app.i18n import _
from app.ui.delivery_ports import PrintPort
from app.ui.presenters.errors import MessageView, present_error
from app.ui.presenters.printer_settings import (
    PRINTER_COLUMNS,
    PrinterRow,
    choice_text,
    choose_warning,
    present_printers,
    printer_headings,
)
from app.ui.runner import BackgroundRunner
from app.ui.theme import PALETTE
from app.ui.views.message import MessageArea
from app.ui.views.tables import Table
from models.domain import Session
from models.printing import PrinterChoice, PrinterInfo

Loaded = tuple[list[PrinterInfo], PrinterChoice]


class PrinterSettingsDialog(tk.Toplevel):
    def __init__(self, master: tk.Misc, printing: PrintPort, runner: BackgroundRunner,
                 clerk: Session, *, on_chosen: Callable[[PrinterChoice], None] | None = None
                 ) -> None:
        super().__init__(master)
        self.withdraw()
        self._printing, self._runner, self._clerk = printing, runner, clerk
        self._on_chosen = on_chosen
        self.printers: list[PrinterInfo] = []
        self.choice: PrinterChoice | None = None
        self.rows: dict[str, PrinterRow] = {}
        self.busy = False
        self.configure(background=PALETTE.page)
        self.transient(master)
        self._build()
        self._place(master)
        self.deiconify()
        self.bind("<Escape>", lambda _e: self.destroy())
        self.bind("<F5>", lambda _e: self.reload())
        self.table.tree.bind("<Return>", lambda _e: self.choose_selected())
        self.table.tree.bind("<Double-1>", lambda _e: self.choose_selected())
        self.retranslate()
        self.reload()
        self.after_idle(self._focus)

    def _build(self) -> None:
        body = ttk.Frame(self, style="Card.TFrame", padding=(16, 12))
        body.pack(fill="both", expand=True, padx=10, pady=10)
        body.columnconfigure(0, weight=1)
        body.rowconfigure(3, weight=1)
        self.title_label = ttk.Label(body, style="Name.TLabel")
        self.title_label.grid(row=0, column=0, sticky="w")
        self.choice_label = ttk.Label(body, style="Value.TLabel")
        self.choice_label.grid(row=1, column=0, sticky="w", pady=(2, 8))
        self.message = MessageArea(body)
        self.message.grid(row=2, column=0, sticky="ew", pady=(0, 8))
        self.message.show(None)
        self.table = Table(body, PRINTER_COLUMNS,
                           {"name": 170, "state": 150, "description": 200, "location": 140,
                            "note": 260}, stretch={"description", "note"}, height=8)
        self.table.tree.tag_configure("failed", foreground=PALETTE.alert)
        self.table.tree.tag_configure("chosen", font="SalonValueBold")
        self.table.grid(row=3, column=0, sticky="nsew")
        self.table.tree.bind("<<TreeviewSelect>>", lambda _e: self._selected())
        buttons = ttk.Frame(body, style="Body.TFrame")
        buttons.grid(row=4, column=0, sticky="ew", pady=(10, 0))
        buttons.columnconfigure(3, weight=1)
        self.choose_button = ttk.Button(buttons, style="Primary.TButton",
                                        command=self.choose_selected)
        self.choose_button.grid(row=0, column=0, sticky="w")
        self.forget_button = ttk.Button(buttons, style="Action.TButton", command=self.forget)
        self.forget_button.grid(row=0, column=1, sticky="w", padx=(8, 0))
        self.reload_button = ttk.Button(buttons, style="Action.TButton", command=self.reload)
        self.reload_button.grid(row=0, column=2, sticky="w", padx=(8, 0))
        self.close_button = ttk.Button(buttons, style="Action.TButton", command=self.destroy)
        self.close_button.grid(row=0, column=4, sticky="e")

    def _place(self, master: tk.Misc) -> None:
        top = master.winfo_toplevel()
        width = min(1120, max(1060, top.winfo_width() - 200))
        x = top.winfo_rootx() + max(0, (top.winfo_width() - width) // 2)
        y = top.winfo_rooty() + 80
        self.geometry(f"{width}x400+{x}+{y}")
        self.minsize(620, 320)

    def _focus(self) -> None:
        if self.winfo_exists():
            self.lift()
            self.table.tree.focus_set()

    def retranslate(self) -> None:
        self.title(_("Printer settings"))
        self.title_label.configure(text=_("Printer for this counter"))
        self.table.headings(printer_headings())
        self.choose_button.configure(text=_("Print here on this printer (Enter)"))
        self.forget_button.configure(text=_("Back to salon.ini's printer"))
        self.reload_button.configure(text=_("Refresh (F5)"))
        self.close_button.configure(text=_("Close (Esc)"))
        self._fill()

    # -- loading -----------------------------------------------------------------------------

    def reload(self) -> None:
        self._set_busy(True)
        printing = self._printing
        self._runner.submit(lambda: (printing.printers(), printing.choice()), self._loaded,
                            self._failed)

    def _loaded(self, loaded: Loaded) -> None:
        if not self.winfo_exists():
            return
        self._set_busy(False)
        self.printers, self.choice = loaded
        self._fill()
        if self.choice.name and self.table.tree.exists(self.choice.name):
            self.table.tree.selection_set(self.choice.name)
            self.table.tree.focus(self.choice.name)

    def _failed(self, error: BaseException) -> None:
        if not self.winfo_exists():
            return
        self._set_busy(False)
        self.message.show(present_error(error))

    def _fill(self) -> None:
        if self.choice is None:
            self.choice_label.configure(text=_("Asking the print server…"))
            return
        rows = present_printers(self.printers, self.choice)
        self.rows = {row.name: row for row in rows}
        self.table.fill([(row.name, row.values, row.tags) for row in rows])
        self.choice_label.configure(text=choice_text(self.choice))
        if not rows:
            self.message.show(MessageView(_("The print server has no printers."), "input"))
        self._selected()

    def _selected(self) -> None:
        row = self.rows.get(self.table.selected or "")
        chosen_here = self.choice is not None and self.choice.source == "counter"
        self.choose_button.state(["!disabled"] if row and not self.busy else ["disabled"])
        self.forget_button.state(["!disabled"] if chosen_here and not self.busy
                                 else ["disabled"])

    # -- choosing ----------------------------------------------------------------------------

    def choose_selected(self) -> None:
        name = self.table.selected
        if name is None or self.busy:
            return
        self._choose(name)

    def forget(self) -> None:
        if not self.busy:
            self._choose(None)

    def _choose(self, name: str | None) -> None:
        self._set_busy(True)
        printing, clerk = self._printing, self._clerk
        self._runner.submit(lambda: printing.choose(clerk, name), self._chosen, self._failed)

    def _chosen(self, choice: PrinterChoice) -> None:
        if not self.winfo_exists():
            return
        self._set_busy(False)
        self.choice = choice
        self._fill()
        printer = next((p for p in self.printers if p.name == choice.name), None)
        warning = choose_warning(printer) if printer is not None else None
        self.message.show(MessageView(warning, "input") if warning else MessageView(
            choice_text(choice), "done"))
        if self._on_chosen is not None:
            self._on_chosen(choice)

    def _set_busy(self, busy: bool) -> None:
        self.busy = busy
        self.configure(cursor="watch" if busy else "")
        self._selected()
