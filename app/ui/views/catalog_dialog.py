"""The operator's catalog, read-only (Ctrl+K or the header's button): tariffs and services
with their fees, the classes a service is for and the trial-operation notice (R5).

Loaded on the BackgroundRunner (the service answers from its cache when it has one)."""

from __future__ import annotations

import tkinter as tk
from functools import partial
from tkinter import ttk

from app.i18n import _
from app.ui.ports import OrderPort
from app.ui.presenters.catalog import (
    SERVICE_COLUMNS,
    TARIFF_COLUMNS,
    CatalogRow,
    present_services,
    present_tariffs,
    service_headings,
    tariff_headings,
)
from app.ui.presenters.errors import MessageView, present_error
from app.ui.runner import BackgroundRunner
from app.ui.views.dialog_place import DialogSize, place_over
from app.ui.views.message import MessageArea
from app.ui.views.tables import Table
from models.domain import CatalogService, CatalogTariff

Catalog = tuple[list[CatalogTariff], list[CatalogService]]


SIZE = DialogSize(width=(640, 1100), height=(420, 620), minimum=(620, 400), margin=(40, 60))


class CatalogDialog(tk.Toplevel):
    def __init__(self, master: tk.Misc, orders: OrderPort, runner: BackgroundRunner) -> None:
        super().__init__(master)
        self.withdraw()
        self._orders, self._runner = orders, runner
        self.catalog: Catalog | None = None
        self.error: BaseException | None = None
        self.configure(background="#eef0f3")
        self.transient(master.winfo_toplevel())  # what Tk does with any master
        self._build()
        place_over(self, master, SIZE)
        self.deiconify()
        self.bind("<Escape>", lambda _e: self.destroy())
        self.retranslate()
        self.load()
        self.after_idle(self._focus)

    def _build(self) -> None:
        body = ttk.Frame(self, style="Card.TFrame", padding=(16, 12))
        body.pack(fill="both", expand=True, padx=10, pady=10)
        body.columnconfigure(0, weight=1)
        body.rowconfigure(3, weight=1)
        self.title_label = ttk.Label(body, style="Name.TLabel")
        self.title_label.grid(row=0, column=0, sticky="w")
        self.hint = ttk.Label(body, style="Note.TLabel", justify="left")
        self.hint.grid(row=1, column=0, sticky="ew", pady=(2, 8))
        body.bind("<Configure>", lambda e: self.hint.configure(wraplength=max(300, e.width - 40)))
        self.message = MessageArea(body)
        self.message.grid(row=2, column=0, sticky="ew", pady=(0, 8))
        self.message.show(None)
        self.tabs = ttk.Notebook(body)
        self.tabs.grid(row=3, column=0, sticky="nsew")
        self.tabs.enable_traversal()  # Ctrl+Tab between the tabs
        self.tariffs = Table(self.tabs, TARIFF_COLUMNS,
                             {"code": 110, "name": 170, "class": 140, "one_off": 135,
                              "monthly": 175, "state": 220},
                             numeric={"one_off", "monthly"}, stretch={"state"})
        self.services = Table(self.tabs, SERVICE_COLUMNS,
                              {"code": 100, "name": 190, "classes": 190, "one_off": 135,
                               "monthly": 175, "notice": 380},
                              numeric={"one_off", "monthly"}, stretch={"notice"})
        self.tabs.add(self.tariffs)
        self.tabs.add(self.services)
        self.rows: dict[Table, dict[str, CatalogRow]] = {self.tariffs: {}, self.services: {}}
        for table in (self.tariffs, self.services):
            table.tree.bind("<<TreeviewSelect>>", partial(self._selected, table))
        buttons = ttk.Frame(body, style="Body.TFrame")
        buttons.grid(row=4, column=0, sticky="e", pady=(10, 0))
        self.close_button = ttk.Button(buttons, style="Action.TButton", command=self.destroy)
        self.close_button.pack(side="right")

    def _focus(self) -> None:
        if self.winfo_exists():
            self.lift()
            self.tariffs.tree.focus_set()

    def load(self) -> None:
        self.message.show(MessageView(_("Loading the catalog…"), "info"))
        orders = self._orders
        self._runner.submit(lambda: (orders.tariffs(), orders.services()),
                            self._loaded, self._failed)

    def _loaded(self, catalog: Catalog) -> None:
        if not self.winfo_exists():
            return
        self.catalog, self.error = catalog, None
        self.message.show(None)
        self._fill()

    def _failed(self, error: BaseException) -> None:
        if not self.winfo_exists():
            return
        self.error = error
        self.message.show(present_error(error))

    def retranslate(self) -> None:
        self.title(_("Catalog"))
        self.title_label.configure(text=_("Operator's catalog"))
        self.hint.configure(text=_("List prices. The exact fee for a subscriber depends on their "
                                   "tariff and is shown before confirming (R4). "
                                   "Ctrl+Tab — next tab, Esc — close."))
        self.tabs.tab(0, text=_("Tariffs"))
        self.tabs.tab(1, text=_("Services"))
        self.tariffs.headings(tariff_headings())
        self.services.headings(service_headings())
        self.close_button.configure(text=_("Close (Esc)"))
        if self.catalog is not None:
            self._fill()

    def _fill(self) -> None:
        assert self.catalog is not None
        tariffs, services = self.catalog
        for table, rows in ((self.tariffs, present_tariffs(tariffs)),
                            (self.services, present_services(services))):
            self.rows[table] = {row.key: row for row in rows}
            table.fill([(row.key, row.values, () if row.available else ("muted",))
                        for row in rows])
            self._detail(table)

    def _selected(self, table: Table, _event: tk.Event) -> None:
        self._detail(table)

    def _detail(self, table: Table) -> None:
        key = table.selected
        row = self.rows[table].get(key) if key else None
        table.detail.configure(text=row.detail if row else "")
