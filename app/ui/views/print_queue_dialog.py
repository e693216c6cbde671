"""The print queue (a Toplevel): this counter's print jobs with their state, attempts and the
printer's last word; print a finished one again (Ctrl+P — the document only, never the
operation it confirms), cancel one still printing (Delete, then Delete again to be sure), the
printer settings (F4). While a job is printing the view follows it every 1.5 s."""

from __future__ import annotations

import tkinter as tk
from collections.abc import Callable

from app.i18n import _
from app.ui.delivery_ports import PrintPort
from app.ui.presenters.errors import MessageView, present_error
from app.ui.presenters.print_queue import (
    MAX_ROWS,
    QUEUE_COLUMNS,
    REFRESH_MS,
    PrintRow,
    any_active,
    outcome_message,
    present_jobs,
    queue_headings,
    queue_summary,
)
from app.ui.runner import BackgroundRunner
from app.ui.theme import PALETTE
from app.ui.views.dialog_place import DialogSize
from app.ui.views.table_dialog import TableDialog
from models.domain import Session
from models.printing import PrintJob

SIZE = DialogSize(width=(1140, 1240), height=(420, 540), minimum=(900, 360))


class PrintQueueDialog(TableDialog):
    def __init__(self, master: tk.Misc, printing: PrintPort, runner: BackgroundRunner,
                 clerk: Session, *, timezone: str,
                 on_settings: Callable[[], None] | None = None) -> None:
        self._printing, self._clerk = printing, clerk
        self._timezone, self._on_settings = timezone, on_settings
        self.jobs: list[PrintJob] = []
        self.rows: dict[str, PrintRow] = {}
        self._loading = False  # a reload is not "busy": the buttons stay as they are
        self._armed: str | None = None
        self._follow_id: str | None = None
        super().__init__(master, runner, SIZE, columns=QUEUE_COLUMNS,
                         widths={"time": 140, "document": 230, "kind": 170, "printer": 110,
                                 "state": 120, "attempts": 95, "note": 190},
                         numeric={"attempts"}, stretch={"document", "note"}, height=12)
        self.table.tree.tag_configure("failed", foreground=PALETTE.alert)
        self.reload_button = self.add_button(self.reload)
        self.retry_button = self.add_button(self.retry_selected)
        self.cancel_button = self.add_button(self.cancel_selected)
        self.settings_button = self.add_button(self.open_settings)
        if self._on_settings is None:
            self.settings_button.grid_remove()
        self.bind("<F5>", lambda _e: self.reload())
        self.bind("<Delete>", lambda _e: self.cancel_selected())
        for sequence in ("<Control-p>", "<Control-Cyrillic_ze>"):  # Latin and Russian layouts
            self.bind(sequence, lambda _e: self.retry_selected())
        self.bind("<F4>", lambda _e: self.open_settings())
        self.open()

    def retranslate(self) -> None:
        self.title(_("Print queue"))
        self.title_label.configure(text=_("Print queue of this counter"))
        self.table.headings(queue_headings())
        self.reload_button.configure(text=_("Refresh (F5)"))
        self.retry_button.configure(text=_("Print again (Ctrl+P)"))
        self.cancel_button.configure(text=_("Cancel printing (Delete)"))
        self.settings_button.configure(text=_("Printer… (F4)"))
        self.close_button.configure(text=_("Close (Esc)"))
        self._fill()

    # -- loading -----------------------------------------------------------------------------

    def reload(self) -> None:
        """Ask CUPS about the jobs still printing, then read the queue (on the worker)."""
        if self._loading:
            return
        self._loading = True
        printing = self._printing

        def load() -> list[PrintJob]:
            printing.refresh()
            return printing.jobs(MAX_ROWS)

        self._runner.submit(load, self._loaded, self._failed)

    def _loaded(self, jobs: list[PrintJob]) -> None:
        if not self.winfo_exists():
            return
        self._loading, self.loaded = False, True
        self.jobs = jobs
        self._fill()
        self._follow()

    def _failed(self, error: BaseException) -> None:
        if not self.winfo_exists():
            return
        self._loading = False
        self.message.show(present_error(error))

    def _follow(self) -> None:
        """While something is printing, look again shortly (only then: an idle view sleeps)."""
        if self._follow_id is not None:
            self.after_cancel(self._follow_id)
            self._follow_id = None
        if any_active(self.jobs):
            self._follow_id = self.after(REFRESH_MS, self._followed)

    def _followed(self) -> None:
        self._follow_id = None
        if self.winfo_exists():
            self.reload()

    def destroy(self) -> None:
        if self._follow_id is not None:
            self.after_cancel(self._follow_id)
            self._follow_id = None
        super().destroy()

    def _fill(self) -> None:
        rows = present_jobs(self.jobs, self._timezone)
        self.rows = {str(row.job_id): row for row in rows}
        self.table.fill([(str(row.job_id), row.values, row.tags) for row in rows])
        self.summary.configure(text=queue_summary(self.jobs) if self.loaded
                               else _("Loading the print queue…"))
        self._selected()

    def _selected(self) -> None:
        self._armed = None
        row = self.rows.get(self.table.selected or "")
        idle = not self.busy
        self.retry_button.state(["!disabled"] if row and row.can_retry and idle
                                else ["disabled"])
        self.cancel_button.state(["!disabled"] if row and row.can_cancel and idle
                                 else ["disabled"])
        self.table.detail.configure(text=row.detail if row else "")

    # -- actions -----------------------------------------------------------------------------

    def retry_selected(self) -> None:
        row = self.rows.get(self.table.selected or "")
        if row is None or not row.can_retry or self.busy:
            return
        self.message.show(MessageView(_("Sending {document} to the printer…").format(
            document=row.values[1]), "info"))
        printing, clerk, job_id = self._printing, self._clerk, row.job_id
        self.call(lambda: printing.retry(clerk, job_id), self._acted, reload_after_failure=True)

    def cancel_selected(self) -> None:
        key = self.table.selected
        row = self.rows.get(key or "")
        if key is None or row is None or not row.can_cancel or self.busy:
            return
        if self._armed != key:  # the first Delete asks
            self._armed = key
            self.message.show(MessageView(_("Cancel printing {document}? Press Delete again to "
                                            "cancel it.").format(document=row.values[1]),
                                          "input"))
            return
        self._armed = None
        printing, clerk, job_id = self._printing, self._clerk, row.job_id
        self.call(lambda: printing.cancel(clerk, job_id), self._acted,
                  reload_after_failure=True)

    def _acted(self, job: PrintJob) -> None:
        self.message.show(outcome_message(job))
        self.reload()

    def open_settings(self) -> None:
        if self._on_settings is not None:
            self._on_settings()
