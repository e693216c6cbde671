"""The outbox queue (Ctrl+Q or the status bar's button): writes waiting for the connection
and the latest settled ones, with their state, attempts, last error and result.

A waiting write can be cancelled here too (Delete, then Delete again to be sure); the service
refuses when it may already have reached the operator, and the sentence says so."""

from __future__ import annotations

import tkinter as tk
from collections.abc import Callable, Mapping

from app.flows.orders import OrderFlow, Settled, Settlement
from app.i18n import _
from app.phone import format_msisdn
from app.ui.ports import OrderPort
from app.ui.presenters.errors import MessageView
from app.ui.presenters.order_result import present_settlement
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
from app.ui.views.dialog_place import DialogSize
from app.ui.views.table_dialog import TableDialog
from models.domain import Session
from models.orders import OutboxItem

Loaded = tuple[list[OutboxItem], list[OutboxItem]]


SIZE = DialogSize(width=(640, 1180), height=(420, 560), minimum=(620, 380))


class QueueDialog(TableDialog):
    def __init__(
        self, master: tk.Misc, orders: OrderPort, runner: BackgroundRunner, clerk: Session,
        *, names: Callable[[], Mapping[str, str]], timezone: str,
        on_changed: Callable[[], None],
    ) -> None:
        self._orders, self._clerk = orders, clerk
        self._names, self._timezone, self._on_changed = names, timezone, on_changed
        self.items: list[OutboxItem] = []
        self.rows: dict[str, QueueRow] = {}
        self._armed: str | None = None  # the row a first Delete asked about
        super().__init__(master, runner, SIZE, columns=QUEUE_COLUMNS,
                         widths={"time": 145, "subscriber": 135, "operation": 165,
                                 "code": 110, "state": 100, "attempts": 95, "error": 180,
                                 "result": 160},
                         numeric={"attempts"}, stretch={"error", "result"}, height=14)
        self.reload_button = self.add_button(self.reload)
        self.cancel_button = self.add_button(self.cancel_selected)
        self.bind("<F5>", lambda _e: self.reload())
        self.bind("<Delete>", lambda _e: self.cancel_selected())
        self.open()

    # -- loading -----------------------------------------------------------------------------
    def reload(self) -> None:
        orders = self._orders
        self.call(lambda: (orders.pending(), orders.recent(MAX_QUEUE_ROWS)), self._loaded)

    def _loaded(self, loaded: Loaded) -> None:
        pending, recent = loaded
        self.loaded = True
        self.items = merge_items(pending, recent)
        self._fill()

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
        flow, item_id = OrderFlow(self._orders, self._clerk), row.item_id
        self.call(lambda: flow.settle(item_id, keep=False), self._settled,
                  reload_after_failure=True)

    def _settled(self, settlement: Settlement) -> None:
        view = present_settlement(settlement)
        if settlement.kind is Settled.CANCEL_REFUSED:
            self.message.show(MessageView(view.text, "input"))
            self.reload()
            return
        self.message.show(MessageView(
            f"{format_msisdn(settlement.item.request.msisdn)}: {view.text}", "done"))
        self._on_changed()
        self.reload()
