"""The pick-up list (R11; Ctrl+G or the status bar's button): this salon's paper detalizations
ordered online, with what can be done to the selected one — print it ahead (F6; a reprint
sends the same papers again and never orders anything), print every new one (F7, with a
progress bar), hand it over (F8; R10 for its subscriber first, then the receipt is printed),
destroy an expired one (Delete, then Delete again) or all expired ones (Shift+Delete twice).

Every call is the PickupService's, on the BackgroundRunner. The batch's progress callback comes
on the worker: it only stores numbers in a lock-guarded box, and an `after` poll draws them (as
the detalization dialog does), so no Tk object is touched off the Tk thread. An order another
counter handed over or destroyed first (R11) gets the service's sentence and a fresh list.
"""

from __future__ import annotations

import threading
import tkinter as tk
from collections.abc import Callable
from tkinter import ttk
from typing import Any

from app.errors import PickupConflict
from app.i18n import _
from app.ui.ports import PickupPort
from app.ui.presenters.pickup import (
    PICKUP_COLUMNS,
    PickupRow,
    action_failed,
    batch_message,
    confirm_destroy,
    confirm_destroy_all,
    destroyed_all_message,
    destroyed_message,
    handed_over_message,
    pickup_headings,
    pickup_summary,
    present_rows,
    printed_message,
    progress_text,
)
from app.ui.runner import BackgroundRunner
from app.ui.views.dialog_place import DialogSize, grab_when_mapped
from app.ui.views.table_dialog import TableDialog
from models.domain import Session
from models.pickup import PickupState

SIZE = DialogSize(width=(760, 1180), height=(440, 600), minimum=(720, 400))
POLL_MS = 100  # the progress bar's redraw while a batch prints


class BatchProgress:
    """Handed to the worker instead of the dialog: the last (done, total, order) under a lock."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._value: tuple[int, int, str] = (0, 0, "")

    def __call__(self, done: int, total: int, order: str) -> None:  # on the worker
        with self._lock:
            self._value = (done, total, order)

    @property
    def value(self) -> tuple[int, int, str]:
        with self._lock:
            return self._value


class PickupDialog(TableDialog):
    def __init__(self, master: tk.Misc, pickup: PickupPort, runner: BackgroundRunner,
                 clerk: Session, *, timezone: str, on_changed: Callable[[], None]) -> None:
        self._pickup, self._clerk = pickup, clerk
        self._timezone, self._on_changed = timezone, on_changed
        self.entries: list[Any] = []
        self.closed: dict[str, Any] = {}  # handed over or destroyed here: shown until closed
        self.rows: dict[str, PickupRow] = {}
        self._armed: str | None = None  # the row (or "*" for all expired) a first Delete asked
        self.progress_box: BatchProgress | None = None
        self._poll_after: str | None = None
        super().__init__(master, runner, SIZE, columns=PICKUP_COLUMNS,
                         widths={"order": 120, "subscriber": 340, "period": 210,
                                 "ordered": 160, "state": 130},
                         stretch={"subscriber"}, height=14)
        body = self.nametowidget(self.title_label.winfo_parent())
        self.progress_frame = ttk.Frame(body, style="Body.TFrame")
        self.progress_frame.columnconfigure(1, weight=1)
        self.progress_label = ttk.Label(self.progress_frame, style="Note.TLabel")
        self.progress_label.grid(row=0, column=0, sticky="w", padx=(0, 10))
        self.progress = ttk.Progressbar(self.progress_frame, mode="determinate",
                                        style="Accent.Horizontal.TProgressbar")
        self.progress.grid(row=0, column=1, sticky="ew")
        self.progress_frame.grid(row=5, column=0, sticky="ew", pady=(8, 0))
        self.progress_frame.grid_remove()
        self.print_button = self.add_button(self.print_selected, primary=True)
        self.print_all_button = self.add_button(self.print_all)
        self.hand_over_button = self.add_button(self.hand_over_selected)
        # A second row, so the Russian labels fit a laptop's 1366 pixels: what a clerk does for
        # a subscriber above, the housekeeping below.
        second = ttk.Frame(self.buttons, style="Body.TFrame")
        second.grid(row=1, column=0, columnspan=99, sticky="w", pady=(8, 0))
        self.destroy_button, self.destroy_all_button, self.reload_button = (
            ttk.Button(second, style="Action.TButton", command=command)
            for command in (self.destroy_selected, self.destroy_all, self.reload))
        for column, button in enumerate((self.destroy_button, self.destroy_all_button,
                                         self.reload_button)):
            button.grid(row=0, column=column, padx=(0 if column == 0 else 8, 0))
        for sequence, command in (("<F5>", self.reload), ("<F6>", self.print_selected),
                                  ("<F7>", self.print_all), ("<F8>", self.hand_over_selected),
                                  ("<Delete>", self.destroy_selected),
                                  ("<Shift-Delete>", self.destroy_all)):
            self.bind(sequence, _key(command))
        self.bind("<Destroy>", self._closed_now, add="+")
        grab_when_mapped(self)  # the list's actions change orders: one thing at a time
        self.open()

    # -- loading -----------------------------------------------------------------------------
    def reload(self) -> None:
        if self.busy:
            return  # an action runs: its end reloads the list
        pickup, clerk = self._pickup, self._clerk
        self.call(lambda: pickup.queue(clerk), self._loaded)

    def _loaded(self, entries: list[Any]) -> None:
        self.loaded = True
        self.entries = entries
        self._fill()

    def retranslate(self) -> None:
        self.title(_("Pick-up at this salon"))
        self.title_label.configure(text=_("Pick-up at this salon (R11)"))
        self.table.headings(pickup_headings())
        self.print_button.configure(text=_("Print ahead (F6)"))
        self.print_all_button.configure(text=_("Print all new (F7)"))
        self.hand_over_button.configure(text=_("Hand over (F8)"))
        self.destroy_button.configure(text=_("Destroy (Delete)"))
        self.destroy_all_button.configure(text=_("Destroy expired (Shift+Delete)"))
        self.reload_button.configure(text=_("Refresh (F5)"))
        self.close_button.configure(text=_("Close (Esc)"))
        self._fill()
        self._draw_progress(again=False)

    def _fill(self) -> None:
        listed = {entry.order.order_id for entry in self.entries}
        shown = [*self.entries, *(entry for order, entry in self.closed.items()
                                  if order not in listed)]
        rows = present_rows(shown, self._timezone)
        self.rows = {row.order_id: row for row in rows}
        self.table.fill([(row.order_id, row.values, row.tags) for row in rows])
        if self.loaded:
            self.summary.configure(text=pickup_summary(present_rows(self.entries,
                                                                    self._timezone)))
        else:
            self.summary.configure(text=_("Loading the pick-up list…"))
        self._selected()

    @property
    def selected_row(self) -> PickupRow | None:
        return self.rows.get(self.table.selected or "")

    def _selected(self) -> None:
        self._armed = None
        row = self.selected_row
        idle = not self.busy
        for button, action in ((self.print_button, "print"),
                               (self.hand_over_button, "hand_over"),
                               (self.destroy_button, "destroy")):
            button.state(["!disabled"] if idle and row is not None and row.can(action)
                         else ["disabled"])
        new = any(r.state is PickupState.NEW for r in self.rows.values())
        expired = any(r.state is PickupState.EXPIRED for r in self.rows.values())
        self.print_all_button.state(["!disabled"] if idle and new else ["disabled"])
        self.destroy_all_button.state(["!disabled"] if idle and expired else ["disabled"])
        self.reload_button.state(["!disabled"] if idle else ["disabled"])
        self.table.detail.configure(text=row.detail if row else "")

    # -- the actions ---------------------------------------------------------------------------
    def _ready(self, action: str) -> PickupRow | None:
        row = self.selected_row
        if self.busy or row is None or not row.can(action):
            return None
        return row

    def print_selected(self) -> None:
        row = self._ready("print")
        if row is None:
            return
        pickup, clerk, order = self._pickup, self._clerk, row.order_id
        self.message.show(None)
        self.call(lambda: pickup.print_ahead(clerk, order), self._printed,
                  failed=lambda error: self._failed(error, row))

    def _printed(self, printed: Any) -> None:
        self.message.show(printed_message(printed))
        self._changed()

    def print_all(self) -> None:
        if self.busy or not any(r.state is PickupState.NEW for r in self.rows.values()):
            return
        pickup, clerk = self._pickup, self._clerk
        box = BatchProgress()
        self.progress_box = box
        self.message.show(None)
        self.call(lambda: pickup.print_all_new(clerk, box), self._printed_all,
                  failed=lambda error: self._failed(error, None))
        self.progress_frame.grid()
        self._draw_progress()

    def _draw_progress(self, again: bool = True) -> None:
        self._poll_after = None
        box = self.progress_box
        if box is None:
            return
        done, total, order = box.value
        self.progress.configure(maximum=max(total, 1), value=min(done, max(total, 1)))
        self.progress_label.configure(text=progress_text(done, total, order))
        if again:
            self._poll_after = self.after(POLL_MS, self._draw_progress)

    def _batch_over(self) -> None:
        if self._poll_after is not None:
            self.after_cancel(self._poll_after)
            self._poll_after = None
        self.progress_box = None
        self.progress_frame.grid_remove()

    def _printed_all(self, result: Any) -> None:
        self._batch_over()
        self.message.show(batch_message(result))
        self._changed()

    def hand_over_selected(self) -> None:
        row = self._ready("hand_over")
        if row is None:
            return
        pickup, clerk, order = self._pickup, self._clerk, row.order_id
        self.message.show(None)
        self.call(lambda: pickup.hand_over(clerk, order), self._handed_over,
                  failed=lambda error: self._failed(error, row))

    def _handed_over(self, handed: Any) -> None:
        self.closed[handed.entry.order.order_id] = handed.entry
        self.message.show(handed_over_message(handed))
        self._changed()

    def destroy_selected(self) -> None:
        row = self._ready("destroy")
        if row is None:
            return
        if self._armed != row.order_id:  # the first Delete asks
            self._armed = row.order_id
            self.message.show(confirm_destroy(row))
            return
        self._armed = None
        pickup, clerk, order = self._pickup, self._clerk, row.order_id
        self.call(lambda: pickup.destroy(clerk, order, confirmed=True), self._destroyed,
                  failed=lambda error: self._failed(error, row))

    def _destroyed(self, entry: Any) -> None:
        self.closed[entry.order.order_id] = entry
        self.message.show(destroyed_message(entry.order.order_id))
        self._changed()

    def destroy_all(self) -> None:
        expired = sum(1 for r in self.rows.values() if r.state is PickupState.EXPIRED)
        if self.busy or not expired:
            return
        if self._armed != "*":
            self._armed = "*"
            self.message.show(confirm_destroy_all(expired))
            return
        self._armed = None
        pickup, clerk = self._pickup, self._clerk
        self.call(lambda: pickup.destroy_all_expired(clerk, confirmed=True),
                  self._destroyed_all, failed=lambda error: self._failed(error, None))

    def _destroyed_all(self, answer: tuple[list[Any], list[tuple[str, str]]]) -> None:
        done, skipped = answer
        for entry in done:
            self.closed[entry.order.order_id] = entry
        self.message.show(destroyed_all_message(len(done), skipped))
        self._changed()

    def _failed(self, error: BaseException, row: PickupRow | None) -> None:
        self._batch_over()
        self.message.show(action_failed(error, row))
        if isinstance(error, PickupConflict):
            self._changed()  # another counter was first: the list as it is now
        else:
            self.reload()  # a batch may have printed some before it stopped

    def _changed(self) -> None:
        self._on_changed()
        self.reload()

    def _closed_now(self, event: tk.Event) -> None:
        if event.widget is self and self._poll_after is not None:
            self.after_cancel(self._poll_after)
            self._poll_after = None


def _key(command: Callable[[], None]) -> Callable[[tk.Event], str]:
    def handler(_event: tk.Event) -> str:
        command()
        return "break"

    return handler
