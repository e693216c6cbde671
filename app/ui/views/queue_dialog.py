"""The outbox queue (Ctrl+Q or the status bar's button): writes waiting for the connection
and the latest settled ones, with their state, attempts, last error and result.

A waiting write can be cancelled here too (Delete, then Delete again to be sure); the service
refuses when it may already have reached the operator, and the sentence says so."""

from __future__ import annotations

import tkinter as tk
from collections.abc import Callable, Mapping
from tkinter import ttk

from app.errors import RuleRefused
from app.i18n import _
from app.phone import format_msisdn
from app.ui.ports import OrderPort
from app.ui.presenters.errors import MessageView, present_error
from app.ui.presenters.order_result import present_cancel_refused, present_cancelled
from app.ui.presenters.outbox import (
    MAX_QUEUE_ROWS,
    QUEUE_COLUMNS,
    QueueRow,
    merge_items,
    present_queue,
    queue_headings,
    queue_summary,
)
from app.ui.runner import BackgroundRunner
from app.ui.views.message import MessageArea
from app.ui.views.tables import Table
from models.domain import Session
from models.orders import OutboxItem

Loaded = tuple[list[OutboxItem], list[OutboxItem]]


class QueueDialog(tk.Toplevel):
    def __init__(
        self, master: tk.Misc, orders: OrderPort, runner: BackgroundRunner, clerk: Session,
        *, names: Callable[[], Mapping[str, str]], timezone: str,
        on_changed: Callable[[], None],
    ) -> None:
        super().__init__(master)
        self.withdraw()
        self._orders, self._runner, self._clerk = orders, runner, clerk
        self._names, self._timezone, self._on_changed = names, timezone, on_changed
        self.items: list[OutboxItem] = []
        self.rows: dict[str, QueueRow] = {}
        self.loaded = False
        self.busy = False
        self._armed: str | None = None  # the row a first Delete asked about
        self.configure(background="#eef0f3")
        self.transient(master)
        self._build()
        self._place(master)
        self.deiconify()
        self.bind("<Escape>", lambda _e: self.destroy())
        self.bind("<F5>", lambda _e: self.reload())
        self.bind("<Delete>", lambda _e: self.cancel_selected())
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
        self.summary = ttk.Label(body, style="Note.TLabel")
        self.summary.grid(row=1, column=0, sticky="w", pady=(2, 8))
        self.message = MessageArea(body)
        self.message.grid(row=2, column=0, sticky="ew", pady=(0, 8))
        self.message.show(None)
        self.table = Table(body, QUEUE_COLUMNS,
                           {"time": 145, "subscriber": 135, "operation": 165, "code": 110,
                            "state": 100, "attempts": 95, "error": 180, "result": 160},
                           numeric={"attempts"}, stretch={"error", "result"}, height=14)
        self.table.grid(row=3, column=0, sticky="nsew")
        self.table.tree.bind("<<TreeviewSelect>>", lambda _e: self._selected())
        buttons = ttk.Frame(body, style="Body.TFrame")
        buttons.grid(row=4, column=0, sticky="ew", pady=(10, 0))
        buttons.columnconfigure(2, weight=1)
        self.reload_button = ttk.Button(buttons, style="Action.TButton", command=self.reload)
        self.reload_button.grid(row=0, column=0, sticky="w")
        self.cancel_button = ttk.Button(buttons, style="Action.TButton",
                                        command=self.cancel_selected)
        self.cancel_button.grid(row=0, column=1, sticky="w", padx=(8, 0))
        self.close_button = ttk.Button(buttons, style="Action.TButton", command=self.destroy)
        self.close_button.grid(row=0, column=3, sticky="e")

    def _place(self, master: tk.Misc) -> None:
        top = master.winfo_toplevel()
        width = min(1180, max(640, top.winfo_width() - 40))
        height = min(560, max(420, top.winfo_height() - 80))
        x = top.winfo_rootx() + max(0, (top.winfo_width() - width) // 2)
        y = top.winfo_rooty() + max(0, (top.winfo_height() - height) // 3)
        self.geometry(f"{width}x{height}+{x}+{y}")
        self.minsize(620, 380)

    def _focus(self) -> None:
        if self.winfo_exists():
            self.lift()
            self.table.tree.focus_set()

    # -- loading -----------------------------------------------------------------------------
    def reload(self) -> None:
        self.busy = True
        orders = self._orders
        self._runner.submit(lambda: (orders.pending(), orders.recent(MAX_QUEUE_ROWS)),
                            self._loaded, self._failed)

    def _loaded(self, loaded: Loaded) -> None:
        if not self.winfo_exists():
            return
        pending, recent = loaded
        self.busy, self.loaded = False, True
        self.items = merge_items(pending, recent)
        self._fill()

    def _failed(self, error: BaseException) -> None:
        if not self.winfo_exists():
            return
        self.busy = False
        self.message.show(present_error(error))

    def retranslate(self) -> None:
        self.title(_("Operations queue"))
        self.title_label.configure(text=_("Operations queue"))
        self.table.headings(queue_headings())
        self.reload_button.configure(text=_("Refresh (F5)"))
        self.cancel_button.configure(text=_("Cancel the selected operation (Delete)"))
        self.close_button.configure(text=_("Close (Esc)"))
        self._fill()

    def _fill(self) -> None:
        rows = present_queue(self.items, self._names(), self._timezone)
        self.rows = {str(row.item_id): row for row in rows}
        self.table.fill([(str(row.item_id), row.values, ("pending",) if row.pending else ())
                         for row in rows])
        if self.loaded:
            self.summary.configure(text=queue_summary(rows) if rows else
                                   _("No operations have been queued."))
        else:
            self.summary.configure(text=_("Loading the queue…"))
        self._selected()

    def _selected(self) -> None:
        self._armed = None
        row = self.rows.get(self.table.selected or "")
        self.cancel_button.state(["!disabled"] if row and row.pending else ["disabled"])
        self.table.detail.configure(text=row.detail if row else "")

    # -- cancelling ----------------------------------------------------------------------------
    def cancel_selected(self) -> None:
        key = self.table.selected
        row = self.rows.get(key or "")
        if key is None or row is None or not row.pending or self.busy:
            return
        if self._armed != key:  # the first Delete asks
            self._armed = key
            self.message.show(MessageView(
                _("Cancel the operation for {phone} ({operation})? Press Delete again to "
                  "cancel it.").format(phone=row.values[1], operation=row.values[2].lower()),
                "input"))
            return
        self._armed = None
        self.busy = True
        orders, clerk, item_id = self._orders, self._clerk, row.item_id
        self._runner.submit(lambda: orders.cancel(clerk, item_id), self._cancelled,
                            self._cancel_failed)

    def _cancelled(self, item: OutboxItem) -> None:
        if not self.winfo_exists():
            return
        self.busy = False
        view = present_cancelled(item)
        self.message.show(MessageView(
            f"{format_msisdn(item.request.msisdn)}: {view.text}", "done"))
        self._on_changed()
        self.reload()

    def _cancel_failed(self, error: BaseException) -> None:
        if not self.winfo_exists():
            return
        self.busy = False
        if isinstance(error, RuleRefused):
            self.message.show(MessageView(present_cancel_refused(error).text, "input"))
        else:
            self.message.show(present_error(error))
        self.reload()
