"""The manager's screen: pick a day, preview its log page by page, export it to a file.

Loading and exporting run on the BackgroundRunner; the export's progress (rows written) is
handed over through a lock-guarded pair and drawn by a short `after` poll.
"""

from __future__ import annotations

import threading
import tkinter as tk
from collections.abc import Callable, Mapping
from datetime import date, timedelta
from functools import partial
from pathlib import Path
from tkinter import ttk
from typing import TYPE_CHECKING

from app import i18n
from app.i18n import _
from app.ui.presenters.daily_log import (
    day_text,
    page_caption,
    page_count,
    page_rows,
    parse_day,
    present_daily_log,
)
from app.ui.presenters.errors import MessageView, present_error
from app.ui.runner import BackgroundRunner
from app.ui.theme import PALETTE
from app.ui.views.message import MessageArea
from app.ui.views.tooltip import RowTooltip

if TYPE_CHECKING:  # the screen opens on demand; the journal's modules stay out of start-up
    from app.services.daily_log import DailyLogService
    from models.daily_log import DailyLog

AskPath = Callable[[str, date], Path | None]
ENTRY_COLUMNS = ("seq", "time", "clerk", "subscriber", "action", "result", "detail")
TALLY_COLUMNS = ("name", "total", "done", "refused", "failed")


def _detail_of(tree: ttk.Treeview, iid: str) -> str:
    return str(tree.set(iid, "detail"))


class DailyLogDialog(tk.Toplevel):
    def __init__(
        self, master: tk.Misc, service: DailyLogService, runner: BackgroundRunner, clerk: str,
        *, ask_path: AskPath | None = None, names: Mapping[str, str] | None = None,
    ) -> None:
        super().__init__(master)
        self.title(_("Daily log"))
        self.geometry("1100x680")
        self.minsize(860, 520)
        self.configure(background="#eef0f4")
        self._service, self._runner, self._clerk = service, runner, clerk
        self._ask_path = ask_path or self._save_as
        self._names = names  # tariff and service codes → names, for the details
        self.log: DailyLog | None = None
        self.page = 0
        self.busy = False
        self.saved_path: Path | None = None
        self._progress_lock = threading.Lock()
        self._progress: tuple[int, int] = (0, 0)
        self._build()
        self.bind("<Escape>", lambda _e: self.destroy())
        self.day_entry.focus_set()
        self.show_day(service.today())

    # -- layout ----------------------------------------------------------------------------

    def _build(self) -> None:
        body = ttk.Frame(self, style="Card.TFrame", padding=16)
        body.pack(fill="both", expand=True, padx=12, pady=12)
        body.columnconfigure(0, weight=1)
        body.rowconfigure(4, weight=1)

        picker = ttk.Frame(body, style="Body.TFrame")
        picker.grid(row=0, column=0, sticky="ew")
        ttk.Label(picker, text=_("Day"), style="Field.TLabel").pack(side="left")
        ttk.Button(picker, text="◀", width=3, command=lambda: self._step(-1)).pack(
            side="left", padx=(8, 2))
        self.day_entry = ttk.Entry(picker, width=12, style="Phone.TEntry", font="SalonValue")
        self.day_entry.pack(side="left")
        self.day_entry.bind("<Return>", lambda _e: self.show_typed_day())
        self.day_entry.bind("<KP_Enter>", lambda _e: self.show_typed_day())
        ttk.Button(picker, text="▶", width=3, command=lambda: self._step(1)).pack(
            side="left", padx=(2, 8))
        ttk.Button(picker, text=_("Today"), command=lambda: self.show_day(
            self._service.today())).pack(side="left")
        self.show_button = ttk.Button(picker, text=_("Show"), style="Primary.TButton",
                                      command=self.show_typed_day)
        self.show_button.pack(side="left", padx=(8, 0))
        self.export_buttons: dict[str, ttk.Button] = {}
        for fmt in ("pdf", "csv", "xlsx"):
            button = ttk.Button(picker, text=_("Export {format}…").format(format=fmt.upper()),
                                command=partial(self.export, fmt))
            button.pack(side="right", padx=(6, 0))
            self.export_buttons[fmt] = button

        self.title_label = ttk.Label(body, style="Name.TLabel")
        self.title_label.grid(row=1, column=0, sticky="w", pady=(14, 0))
        self.summary_label = ttk.Label(body, style="Value.TLabel")
        self.summary_label.grid(row=2, column=0, sticky="w")
        self.hash_label = ttk.Label(body, style="Note.TLabel")
        self.hash_label.grid(row=3, column=0, sticky="w", pady=(0, 8))

        self.tabs = ttk.Notebook(body)
        self.tabs.grid(row=4, column=0, sticky="nsew")
        self.entries_tree, entries_tab = self._table(ENTRY_COLUMNS, {
            "seq": (_("No."), 60), "time": (_("Time"), 80), "clerk": (_("Clerk"), 110),
            "subscriber": (_("Subscriber"), 150), "action": (_("Action"), 220),
            "result": (_("Result"), 100), "detail": (_("Detail / reason"), 320)})
        pager = ttk.Frame(entries_tab, style="Body.TFrame")
        pager.grid(row=1, column=0, columnspan=2, sticky="ew", pady=(6, 0))
        self.prev_button = ttk.Button(pager, text=_("◀ Previous"), command=lambda: self._page(-1))
        self.prev_button.pack(side="left")
        self.page_label = ttk.Label(pager, style="Note.TLabel")
        self.page_label.pack(side="left", padx=10)
        self.next_button = ttk.Button(pager, text=_("Next ▶"), command=lambda: self._page(1))
        self.next_button.pack(side="left")
        self.tabs.add(entries_tab, text=_("Entries"))
        tally_heads = {"name": ("", 260), "total": (_("Total"), 90), "done": (_("Done"), 90),
                       "refused": (_("Refused"), 90), "failed": (_("Failed"), 90)}
        self.clerk_tree, clerk_tab = self._table(
            TALLY_COLUMNS, {**tally_heads, "name": (_("Clerk"), 260)})
        self.tabs.add(clerk_tab, text=_("By clerk"))
        self.action_tree, action_tab = self._table(
            TALLY_COLUMNS, {**tally_heads, "name": (_("Operation"), 260)})
        self.tabs.add(action_tab, text=_("By operation"))
        self.problem_tree, problem_tab = self._table(ENTRY_COLUMNS, {
            "seq": (_("No."), 60), "time": (_("Time"), 80), "clerk": (_("Clerk"), 110),
            "subscriber": (_("Subscriber"), 150), "action": (_("Action"), 220),
            "result": (_("Result"), 100), "detail": (_("Detail / reason"), 320)})
        self.tabs.add(problem_tab, text=_("Refusals and failures"))
        # A detail is often longer than its column: the pointer on a row shows all of it.
        self.tooltips = [RowTooltip(tree, partial(_detail_of, tree), column="detail")
                         for tree in (self.entries_tree, self.problem_tree)]

        footer = ttk.Frame(body, style="Body.TFrame")
        footer.grid(row=5, column=0, sticky="ew", pady=(10, 0))
        footer.columnconfigure(0, weight=1)
        self.message = MessageArea(footer)
        self.message.grid(row=0, column=0, sticky="ew")
        self.message.show(None)
        self.progress = ttk.Progressbar(footer, style="Accent.Horizontal.TProgressbar",
                                        mode="determinate", length=240)

    def _table(self, columns: tuple[str, ...], heads: dict[str, tuple[str, int]],
               ) -> tuple[ttk.Treeview, ttk.Frame]:
        frame = ttk.Frame(self.tabs, style="Body.TFrame", padding=6)
        frame.columnconfigure(0, weight=1)
        frame.rowconfigure(0, weight=1)
        tree = ttk.Treeview(frame, columns=columns, show="headings", selectmode="browse")
        for column in columns:
            title, width = heads[column]
            numeric = column in {"seq", "total", "done", "refused", "failed"}
            tree.heading(column, text=title, anchor="e" if numeric else "w")
            tree.column(column, width=width, anchor="e" if numeric else "w",
                        stretch=column in {"detail", "name"})
        tree.tag_configure("odd", background=PALETTE.stripe)
        tree.grid(row=0, column=0, sticky="nsew")
        scrollbar = ttk.Scrollbar(frame, orient="vertical", command=tree.yview)
        scrollbar.grid(row=0, column=1, sticky="ns")
        tree.configure(yscrollcommand=scrollbar.set)
        return tree, frame

    # -- loading -----------------------------------------------------------------------------

    def show_typed_day(self) -> None:
        try:
            day = parse_day(self.day_entry.get())
        except Exception as error:
            self.message.show(present_error(error))
            return
        self.show_day(day)

    def show_day(self, day: date) -> None:
        self.day_entry.delete(0, "end")
        self.day_entry.insert(0, day_text(day))
        self._set_busy(True)
        self.message.show(MessageView(_("Loading the log…"), "info"))
        self._runner.submit(lambda: self._service.daily_log(day), self._loaded, self._failed)

    def _step(self, days: int) -> None:
        try:
            day = parse_day(self.day_entry.get())
        except Exception:
            day = self._service.today()
        self.show_day(day + timedelta(days=days))

    def _loaded(self, log: DailyLog) -> None:
        if not self.winfo_exists():
            return
        self._set_busy(False)
        self.message.show(None)
        self.log, self.page = log, 0
        view = present_daily_log(log, self._names)
        self.title_label.configure(text=view.title)
        self.summary_label.configure(text=view.summary)
        self.hash_label.configure(text=view.last_hash)
        self._fill(self.clerk_tree, view.by_clerk)
        self._fill(self.action_tree, view.by_action)
        self._fill(self.problem_tree, view.problems)
        self._show_page()

    def _failed(self, error: BaseException) -> None:
        if not self.winfo_exists():
            return
        self._set_busy(False)
        self.message.show(present_error(error))

    def _page(self, step: int) -> None:
        if self.log is None:
            return
        self.page = min(max(0, self.page + step), page_count(len(self.log.entries)) - 1)
        self._show_page()

    def _show_page(self) -> None:
        assert self.log is not None
        total = len(self.log.entries)
        self._fill(self.entries_tree, page_rows(self.log, self.page, self._names))
        self.page_label.configure(text=page_caption(self.page, total))
        self.prev_button.state(["!disabled" if self.page > 0 else "disabled"])
        last_page = page_count(total) - 1
        self.next_button.state(["!disabled" if self.page < last_page else "disabled"])

    @staticmethod
    def _fill(tree: ttk.Treeview, rows: tuple[tuple[str, ...], ...]) -> None:
        tree.delete(*tree.get_children())
        for index, row in enumerate(rows):
            tree.insert("", "end", values=row, tags=("odd",) if index % 2 else ())

    # -- export ------------------------------------------------------------------------------

    def _save_as(self, fmt: str, day: date) -> Path | None:
        """The console's own save dialog (app/ui/views/file_dialog.py), in the user's
        documents folder."""
        from app.ui.views.file_dialog import ask_save_file

        return ask_save_file(self, _("Save the log as"), f"journal-{day.isoformat()}.{fmt}",
                             f".{fmt}")

    def export(self, fmt: str) -> None:
        if self.log is None or self.busy:
            return
        day = self.log.day
        path = self._ask_path(fmt, day)
        if path is None:
            return
        self._set_busy(True)
        language = i18n.language()  # the file speaks the window's language
        self._report_progress(0, max(1, len(self.log.entries)))
        self.progress.grid(row=0, column=1, padx=(12, 0))
        self.message.show(MessageView(_("Exporting the log…"), "info"))
        self._runner.submit(
            lambda: self._service.export(day, fmt, path, clerk=self._clerk, language=language,
                                         progress=self._report_progress),
            self._exported, self._failed_export)
        self._poll_progress()

    def _report_progress(self, done: int, total: int) -> None:  # called on the worker
        with self._progress_lock:
            self._progress = (done, total)

    def _poll_progress(self) -> None:
        if not self.busy or not self.winfo_exists():
            return
        with self._progress_lock:
            done, total = self._progress
        self.progress.configure(maximum=max(total, 1), value=done)
        self.after(100, self._poll_progress)

    def _exported(self, path: Path) -> None:
        if not self.winfo_exists():
            return
        self._set_busy(False)
        self.progress.grid_remove()
        self.saved_path = path
        self.message.show(MessageView(_("The log is saved: {path}").format(path=path), "info"))

    def _failed_export(self, error: BaseException) -> None:
        if not self.winfo_exists():
            return
        self.progress.grid_remove()
        self._failed(error)

    def _set_busy(self, busy: bool) -> None:
        self.busy = busy
        state = ["disabled"] if busy else ["!disabled"]
        for button in (self.show_button, *self.export_buttons.values()):
            button.state(state)
        self.configure(cursor="watch" if busy else "")
