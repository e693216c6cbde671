"""The subscriber's personal archive (a Toplevel opened from the card): the documents the
operator keeps for 3 days (R9), with when each expires; fetch one again (Enter) into the
console's documents folder, or put a file there (Ctrl+U). An expired one is refused with the
date it expired."""

from __future__ import annotations

import tkinter as tk
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path
from tkinter import filedialog, ttk

from app.i18n import _
from app.phone import format_msisdn
from app.ui.delivery_ports import ArchivePort
from app.ui.presenters.archive import (
    ARCHIVE_COLUMNS,
    ArchiveRow,
    archive_headings,
    archive_summary,
    present_archive,
)
from app.ui.presenters.errors import MessageView, present_error
from app.ui.runner import BackgroundRunner
from app.ui.theme import PALETTE
from app.ui.views.message import MessageArea
from app.ui.views.tables import Table
from models.archive import ArchivedDocument
from models.domain import Session

AskFile = Callable[[], Path | None]


def ask_document() -> Path | None:
    chosen = filedialog.askopenfilename(
        title=_("A document for the personal archive"),
        filetypes=[(_("Documents"), "*.pdf *.html *.txt *.csv *.xlsx")])
    return Path(chosen) if chosen else None


class ArchiveDialog(tk.Toplevel):
    def __init__(self, master: tk.Misc, archive: ArchivePort, runner: BackgroundRunner,
                 clerk: Session, msisdn: str, *, timezone: str,
                 now: Callable[[], datetime] = lambda: datetime.now(UTC),
                 ask_file: AskFile = ask_document) -> None:
        super().__init__(master)
        self.withdraw()
        self._archive, self._runner, self._clerk = archive, runner, clerk
        self._msisdn, self._timezone, self._now, self._ask_file = msisdn, timezone, now, \
            ask_file
        self.documents: list[ArchivedDocument] = []
        self.rows: dict[str, ArchiveRow] = {}
        self.loaded = False
        self.busy = False
        self.fetched: Path | None = None
        self.configure(background=PALETTE.page)
        self.transient(master)
        self._build()
        self._place(master)
        self.deiconify()
        self.bind("<Escape>", lambda _e: self.destroy())
        self.bind("<F5>", lambda _e: self.reload())
        for sequence in ("<Control-u>", "<Control-Cyrillic_ghe>"):  # Latin and Russian layouts
            self.bind(sequence, lambda _e: self.upload())
        self.table.tree.bind("<Return>", lambda _e: self.fetch_selected())
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
        self.table = Table(body, ARCHIVE_COLUMNS,
                           {"name": 280, "uploaded": 150, "expires": 150, "left": 110,
                            "size": 80}, numeric={"size"}, stretch={"name"}, height=8)
        self.table.grid(row=3, column=0, sticky="nsew")
        self.table.tree.bind("<<TreeviewSelect>>", lambda _e: self._selected())
        buttons = ttk.Frame(body, style="Body.TFrame")
        buttons.grid(row=4, column=0, sticky="ew", pady=(10, 0))
        buttons.columnconfigure(3, weight=1)
        self.fetch_button = ttk.Button(buttons, style="Primary.TButton",
                                       command=self.fetch_selected)
        self.fetch_button.grid(row=0, column=0, sticky="w")
        self.upload_button = ttk.Button(buttons, style="Action.TButton", command=self.upload)
        self.upload_button.grid(row=0, column=1, sticky="w", padx=(8, 0))
        self.reload_button = ttk.Button(buttons, style="Action.TButton", command=self.reload)
        self.reload_button.grid(row=0, column=2, sticky="w", padx=(8, 0))
        self.close_button = ttk.Button(buttons, style="Action.TButton", command=self.destroy)
        self.close_button.grid(row=0, column=4, sticky="e")

    def _place(self, master: tk.Misc) -> None:
        top = master.winfo_toplevel()
        width = min(980, max(880, top.winfo_width() - 240))
        x = top.winfo_rootx() + max(0, (top.winfo_width() - width) // 2)
        y = top.winfo_rooty() + 100
        self.geometry(f"{width}x380+{x}+{y}")
        self.minsize(600, 300)

    def _focus(self) -> None:
        if self.winfo_exists():
            self.lift()
            self.table.tree.focus_set()

    def retranslate(self) -> None:
        self.title(_("Personal archive"))
        self.title_label.configure(text=_("Personal archive of {phone}").format(
            phone=format_msisdn(self._msisdn)))
        self.table.headings(archive_headings())
        self.fetch_button.configure(text=_("Fetch again (Enter)"))
        self.upload_button.configure(text=_("Put a file there… (Ctrl+U)"))
        self.reload_button.configure(text=_("Refresh (F5)"))
        self.close_button.configure(text=_("Close (Esc)"))
        self._fill()

    # -- loading -----------------------------------------------------------------------------

    def reload(self) -> None:
        self._set_busy(True)
        archive, msisdn = self._archive, self._msisdn
        self._runner.submit(lambda: archive.documents(msisdn), self._loaded, self._failed)

    def _loaded(self, documents: list[ArchivedDocument]) -> None:
        if not self.winfo_exists():
            return
        self._set_busy(False)
        self.loaded = True
        self.documents = documents
        self._fill()

    def _failed(self, error: BaseException) -> None:
        if not self.winfo_exists():
            return
        self._set_busy(False)
        self.message.show(present_error(error))

    def _fill(self) -> None:
        rows = present_archive(self.documents, self._now(), self._timezone)
        self.rows = {row.document_id: row for row in rows}
        self.table.fill([(row.document_id, row.values, row.tags) for row in rows])
        self.summary.configure(text=archive_summary(self.documents) if self.loaded
                               else _("Asking the operator's archive…"))
        self._selected()

    def _selected(self) -> None:
        row = self.rows.get(self.table.selected or "")
        self.fetch_button.state(["!disabled"] if row and not self.busy else ["disabled"])
        self.upload_button.state(["disabled"] if self.busy else ["!disabled"])

    # -- fetching and putting ------------------------------------------------------------------

    def fetch_selected(self) -> None:
        document_id = self.table.selected
        if document_id is None or self.busy:
            return
        self._set_busy(True)
        archive, clerk, msisdn = self._archive, self._clerk, self._msisdn
        self._runner.submit(lambda: archive.fetch(clerk, document_id, subscriber=msisdn),
                            self._fetched, self._act_failed)

    def _fetched(self, path: Path) -> None:
        if not self.winfo_exists():
            return
        self._set_busy(False)
        self.fetched = path
        self.message.show(MessageView(_("Fetched from the archive: {path}").format(path=path),
                                      "done"))

    def upload(self) -> None:
        if self.busy:
            return
        path = self._ask_file()
        if path is None:
            return
        self._set_busy(True)
        archive, clerk, msisdn = self._archive, self._clerk, self._msisdn
        self._runner.submit(lambda: archive.upload(clerk, msisdn, path), self._uploaded,
                            self._act_failed)

    def _uploaded(self, doc: ArchivedDocument) -> None:
        if not self.winfo_exists():
            return
        self._set_busy(False)
        self.message.show(MessageView(_("{name} is in the personal archive.").format(
            name=doc.name), "done"))
        self.reload()

    def _act_failed(self, error: BaseException) -> None:
        if not self.winfo_exists():
            return
        self._set_busy(False)
        self.message.show(present_error(error))
        self.reload()

    def _set_busy(self, busy: bool) -> None:
        self.busy = busy
        self.configure(cursor="watch" if busy else "")
        self._selected()
