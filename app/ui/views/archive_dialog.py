"""The subscriber's personal archive (a Toplevel opened from the card): the documents the
operator keeps for 3 days (R9), with when each expires; fetch one again (Enter) into the
console's documents folder, or put a file there (Ctrl+U). An expired one is refused with the
date it expired."""

from __future__ import annotations

import tkinter as tk
from collections.abc import Callable
from pathlib import Path

from app.clock import Clock
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
from app.ui.presenters.errors import MessageView
from app.ui.runner import BackgroundRunner
from app.ui.views.dialog_place import DialogSize
from app.ui.views.table_dialog import TableDialog
from models.archive import ArchivedDocument
from models.domain import Session

AskFile = Callable[[], Path | None]


SIZE = DialogSize(width=(880, 980), height=(380, 380), minimum=(600, 300), margin=(240, 0))


class ArchiveDialog(TableDialog):
    def __init__(self, master: tk.Misc, archive: ArchivePort, runner: BackgroundRunner,
                 clerk: Session, msisdn: str, *, timezone: str,
                 clock: Clock, ask_file: AskFile | None = None) -> None:
        self._archive, self._clerk = archive, clerk
        self._msisdn, self._timezone, self._clock = msisdn, timezone, clock
        self._ask_file = ask_file or self._choose_document
        self.documents: list[ArchivedDocument] = []
        self.rows: dict[str, ArchiveRow] = {}
        self.fetched: Path | None = None
        super().__init__(master, runner, SIZE, columns=ARCHIVE_COLUMNS,
                         widths={"name": 280, "uploaded": 150, "expires": 150, "left": 110,
                                 "size": 80}, numeric={"size"}, stretch={"name"}, height=8)
        self.fetch_button = self.add_button(self.fetch_selected, primary=True)
        self.upload_button = self.add_button(self.upload)
        self.reload_button = self.add_button(self.reload)
        self.bind("<F5>", lambda _e: self.reload())
        for sequence in ("<Control-u>", "<Control-Cyrillic_ghe>"):  # Latin and Russian layouts
            self.bind(sequence, lambda _e: self.upload())
        self.table.tree.bind("<Return>", lambda _e: self.fetch_selected())
        self.open()

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
        archive, clerk, msisdn = self._archive, self._clerk, self._msisdn
        self.call(lambda: archive.documents(clerk, msisdn), self._loaded)

    def _loaded(self, documents: list[ArchivedDocument]) -> None:
        self.loaded = True
        self.documents = documents
        self._fill()

    def _fill(self) -> None:
        rows = present_archive(self.documents, self._clock.now(), self._timezone)
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
        archive, clerk, msisdn = self._archive, self._clerk, self._msisdn
        self.call(lambda: archive.fetch(clerk, document_id, subscriber=msisdn), self._fetched,
                  reload_after_failure=True)

    def _fetched(self, path: Path) -> None:
        self.fetched = path
        self.message.show(MessageView(_("Fetched from the archive: {path}").format(path=path),
                                      "done"))

    def _choose_document(self) -> Path | None:
        """The console's own open dialog (app/ui/views/file_dialog.py), in the user's
        documents folder, showing the kinds the archive takes."""
        from app.ui.views.file_dialog import ask_open_file

        return ask_open_file(self, _("A document for the personal archive"),
                             ("*.pdf", "*.html", "*.txt", "*.csv", "*.xlsx"))

    def upload(self) -> None:
        if self.busy:
            return
        path = self._ask_file()
        if path is None:
            return
        archive, clerk, msisdn = self._archive, self._clerk, self._msisdn
        self.call(lambda: archive.upload(clerk, msisdn, path), self._uploaded,
                  reload_after_failure=True)

    def _uploaded(self, doc: ArchivedDocument) -> None:
        self.message.show(MessageView(_("{name} is in the personal archive.").format(
            name=doc.name), "done"))
        self.reload()
