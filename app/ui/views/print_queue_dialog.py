"""The print queue (a Toplevel): this counter's print jobs with their state, attempts and the
printer's last word; print a finished one again (Ctrl+P — the document only, never the
operation it confirms), cancel one still printing (Delete, then Delete again to be sure), the
printer settings (F4). While a job is printing the view follows it every 1.5 s."""

from __future__ import annotations

import tkinter as tk
from collections.abc import Callable
from tkinter import ttk

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
from app.ui.views.message import MessageArea
from app.ui.views.tables import Table
from models.domain import Session
from models.printing import PrintJob


class PrintQueueDialog(tk.Toplevel):
    def __init__(self, master: tk.Misc, printing: PrintPort, runner: BackgroundRunner,
                 clerk: Session, *, timezone: str,
                 on_settings: Callable[[], None] | None = None) -> None:
        super().__init__(master)
        self.withdraw()
        self._printing, self._runner, self._clerk = printing, runner, clerk
        self._timezone, self._on_settings = timezone, on_settings
        self.jobs: list[PrintJob] = []
        self.rows: dict[str, PrintRow] = {}
        self.loaded = False
        self.busy = False
        self._loading = False
        self._armed: str | None = None
        self._follow_id: str | None = None
        self.configure(background=PALETTE.page)
        self.transient(master)
        self._build()
        self._place(master)
        self.deiconify()
        self.bind("<Escape>", lambda _e: self.destroy())
        self.bind("<F5>", lambda _e: self.reload())
        self.bind("<Delete>", lambda _e: self.cancel_selected())
        for sequence in ("<Control-p>", "<Control-Cyrillic_ze>"):  # Latin and Russian layouts
            self.bind(sequence, lambda _e: self.retry_selected())
        self.bind("<F4>", lambda _e: self.open_settings())
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
                           {"time": 140, "document": 230, "kind": 170, "printer": 110,
                            "state": 120, "attempts": 95, "note": 190},
                           numeric={"attempts"}, stretch={"document", "note"}, height=12)
        self.table.tree.tag_configure("failed", foreground=PALETTE.alert)
        self.table.grid(row=3, column=0, sticky="nsew")
        self.table.tree.bind("<<TreeviewSelect>>", lambda _e: self._selected())
        buttons = ttk.Frame(body, style="Body.TFrame")
        buttons.grid(row=4, column=0, sticky="ew", pady=(10, 0))
        buttons.columnconfigure(4, weight=1)
        self.reload_button = ttk.Button(buttons, style="Action.TButton", command=self.reload)
        self.reload_button.grid(row=0, column=0, sticky="w")
        self.retry_button = ttk.Button(buttons, style="Action.TButton",
                                       command=self.retry_selected)
        self.retry_button.grid(row=0, column=1, sticky="w", padx=(8, 0))
        self.cancel_button = ttk.Button(buttons, style="Action.TButton",
                                        command=self.cancel_selected)
        self.cancel_button.grid(row=0, column=2, sticky="w", padx=(8, 0))
        self.settings_button = ttk.Button(buttons, style="Action.TButton",
                                          command=self.open_settings)
        self.settings_button.grid(row=0, column=3, sticky="w", padx=(8, 0))
        if self._on_settings is None:
            self.settings_button.grid_remove()
        self.close_button = ttk.Button(buttons, style="Action.TButton", command=self.destroy)
        self.close_button.grid(row=0, column=5, sticky="e")

    def _place(self, master: tk.Misc) -> None:
        top = master.winfo_toplevel()
        width = min(1240, max(1140, top.winfo_width() - 40))  # the columns' own width
        height = min(540, max(420, top.winfo_height() - 80))
        x = top.winfo_rootx() + max(0, (top.winfo_width() - width) // 2)
        y = top.winfo_rooty() + max(0, (top.winfo_height() - height) // 3)
        self.geometry(f"{width}x{height}+{x}+{y}")
        self.minsize(900, 360)

    def _focus(self) -> None:
        if self.winfo_exists():
            self.lift()
            self.table.tree.focus_set()

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
        self._set_busy(True)
        self.message.show(MessageView(_("Sending {document} to the printer…").format(
            document=row.values[1]), "info"))
        printing, clerk, job_id = self._printing, self._clerk, row.job_id
        self._runner.submit(lambda: printing.retry(clerk, job_id), self._acted, self._act_failed)

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
        self._set_busy(True)
        printing, clerk, job_id = self._printing, self._clerk, row.job_id
        self._runner.submit(lambda: printing.cancel(clerk, job_id), self._acted,
                            self._act_failed)

    def _acted(self, job: PrintJob) -> None:
        if not self.winfo_exists():
            return
        self._set_busy(False)
        self.message.show(outcome_message(job))
        self.reload()

    def _act_failed(self, error: BaseException) -> None:
        if not self.winfo_exists():
            return
        self._set_busy(False)
        self.message.show(present_error(error))
        self.reload()

    def open_settings(self) -> None:
        if self._on_settings is not None:
            self._on_settings()

    def _set_busy(self, busy: bool) -> None:
        self.busy = busy
        self.configure(cursor="watch" if busy else "")
        self._selected()
