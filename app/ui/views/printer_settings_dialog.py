"""The printer settings (a Toplevel): the print server's queues with their state, and which
one this counter prints on. Enter (or the button) chooses the selected printer for this
counter — kept in the local store per counter, so salon.ini stays the administrator's file;
"Back to salon.ini's" forgets the choice."""

from __future__ import annotations

import tkinter as tk
from collections.abc import Callable

from app.i18n import _
from app.ui.delivery_ports import PrintPort
from app.ui.presenters.errors import MessageView
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
from app.ui.views.dialog_place import DialogSize
from app.ui.views.table_dialog import TableDialog
from models.domain import Session
from models.printing import PrinterChoice, PrinterInfo

Loaded = tuple[list[PrinterInfo], PrinterChoice]
SIZE = DialogSize(width=(1060, 1120), height=(400, 400), minimum=(620, 320), margin=(200, 0))


class PrinterSettingsDialog(TableDialog):
    def __init__(self, master: tk.Misc, printing: PrintPort, runner: BackgroundRunner,
                 clerk: Session, *, on_chosen: Callable[[PrinterChoice], None] | None = None
                 ) -> None:
        self._printing, self._clerk = printing, clerk
        self._on_chosen = on_chosen
        self.printers: list[PrinterInfo] = []
        self.choice: PrinterChoice | None = None
        self.rows: dict[str, PrinterRow] = {}
        super().__init__(master, runner, SIZE, columns=PRINTER_COLUMNS,
                         widths={"name": 170, "state": 150, "description": 200,
                                 "location": 140, "note": 260},
                         stretch={"description", "note"}, height=8,
                         summary_style="Value.TLabel")
        self.choice_label = self.summary  # which printer this counter prints on
        self.table.tree.tag_configure("failed", foreground=PALETTE.alert)
        self.table.tree.tag_configure("chosen", font="SalonValueBold")
        self.choose_button = self.add_button(self.choose_selected, primary=True)
        self.forget_button = self.add_button(self.forget_choice)
        self.reload_button = self.add_button(self.reload)
        self.bind("<F5>", lambda _e: self.reload())
        self.table.tree.bind("<Return>", lambda _e: self.choose_selected())
        self.table.tree.bind("<Double-1>", lambda _e: self.choose_selected())
        self.open()

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
        printing = self._printing
        self.call(lambda: (printing.printers(), printing.choice()), self._loaded)

    def _loaded(self, loaded: Loaded) -> None:
        self.printers, self.choice = loaded
        self.loaded = True
        self._fill()
        if self.choice.name and self.table.tree.exists(self.choice.name):
            self.table.tree.selection_set(self.choice.name)
            self.table.tree.focus(self.choice.name)

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

    def forget_choice(self) -> None:  # not `forget`: that is Toplevel's `wm forget`
        if not self.busy:
            self._choose(None)

    def _choose(self, name: str | None) -> None:
        printing, clerk = self._printing, self._clerk
        self.call(lambda: printing.choose(clerk, name), self._chosen)

    def _chosen(self, choice: PrinterChoice) -> None:
        self.choice = choice
        self._fill()
        printer = next((p for p in self.printers if p.name == choice.name), None)
        warning = choose_warning(printer) if printer is not None else None
        self.message.show(MessageView(warning, "input") if warning else MessageView(
            choice_text(choice), "done"))
        if self._on_chosen is not None:
            self._on_chosen(choice)
