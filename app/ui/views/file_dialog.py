"""The console's own file dialog: choose a file to open, a name to save under, or a folder.

Why not Tk's tk_getOpenFile/tk_getSaveFile/tk_chooseDirectory: on X11 they are Tk's Tcl dialog,
whose words come from Tk's msgcat catalogs, chosen by the process's locale when Tk starts —
not by the console's language (SALON_LANGUAGE, the header's switch), so a Russian window showed
English buttons; they open in the folder the program was started from; and they are drawn in
Tk's classic widgets, small and off the console's theme. This one speaks through the console's
own catalog (covered by the translations test like every other string), opens in the user's
documents folder, is sized and placed like the other dialogs, and is driven by the keyboard:
Enter opens the folder under the cursor or does the main button's work, Backspace goes up a
folder, Esc cancels.

`ask_open_file`, `ask_save_file` and `ask_folder` wait for the clerk's answer (a nested event
loop, as Tk's own dialogs do) and return the path, or None when cancelled.
"""

from __future__ import annotations

import tkinter as tk
from collections.abc import Callable, Sequence
from functools import partial
from pathlib import Path
from tkinter import ttk
from typing import Literal

from app.errors import InputError
from app.i18n import _
from app.ui.presenters.errors import MessageView, present_error
from app.ui.presenters.file_choice import (
    EntryRow,
    checked_name,
    documents_folder,
    list_folder,
    patterns_text,
)
from app.ui.theme import PALETTE
from app.ui.views.dialog_place import DialogSize, grab_when_mapped, place_over
from app.ui.views.message import MessageArea
from app.ui.views.tables import Table

Mode = Literal["open", "save", "folder"]
COLUMNS = ("name", "size", "modified")
SIZE = DialogSize(width=(760, 900), height=(520, 600), minimum=(560, 400), margin=(200, 120))
PARENT = ".."  # the row that goes up a folder


class FileDialog(tk.Toplevel):
    def __init__(self, master: tk.Misc, *, mode: Mode, title: str, folder: Path | None = None,
                 patterns: Sequence[str] = (), name: str = "", extension: str = "",
                 places: Sequence[tuple[str, Path]] = ()) -> None:
        super().__init__(master)
        self.withdraw()
        self.mode, self.patterns, self.extension = mode, tuple(patterns), extension
        self.result: Path | None = None
        self.rows: dict[str, EntryRow] = {}
        self._confirm_replace: Path | None = None  # a save over this file, asked once
        self.configure(background=PALETTE.page)
        self.transient(master.winfo_toplevel())  # what Tk does with any master
        self.title(title)
        self._build(title, places)
        self.folder = Path("/")
        self.open_folder(folder if folder is not None and folder.is_dir()
                         else documents_folder())
        if mode == "save":
            self.name_entry.insert(0, name)
        place_over(self, master, SIZE)
        self.deiconify()
        grab_when_mapped(self)
        self.protocol("WM_DELETE_WINDOW", self.cancel)
        self.bind("<Escape>", lambda _e: self._key(self.cancel))
        self.bind("<Return>", lambda _e: self._key(self._enter))
        self.bind("<KP_Enter>", lambda _e: self._key(self._enter))
        self.table.tree.bind("<BackSpace>", lambda _e: self._key(self.up))
        self.table.tree.bind("<Double-Button-1>", lambda _e: self._key(self._enter_row))
        self.table.tree.bind("<<TreeviewSelect>>", lambda _e: self._selected())
        self.after_idle(self._focus)

    # -- building ----------------------------------------------------------------------------
    def _build(self, title: str, places: Sequence[tuple[str, Path]]) -> None:
        body = ttk.Frame(self, style="Card.TFrame", padding=(16, 12))
        body.pack(fill="both", expand=True, padx=10, pady=10)
        body.columnconfigure(0, weight=1)
        body.rowconfigure(3, weight=1)
        ttk.Label(body, text=title, style="Name.TLabel").grid(row=0, column=0, sticky="w")
        bar = ttk.Frame(body, style="Body.TFrame")
        bar.grid(row=1, column=0, sticky="ew", pady=(8, 4))
        bar.columnconfigure(1, weight=1)
        self.up_button = ttk.Button(bar, text=_("↑ Up (Backspace)"), style="Action.TButton",
                                    command=self.up)
        self.up_button.grid(row=0, column=0, sticky="w")
        self.place_buttons = []
        for column, (label, path) in enumerate(
                ((_("Documents"), documents_folder()), *places), start=2):
            button = ttk.Button(bar, text=label, style="Action.TButton",
                                command=partial(self.open_folder, path))
            button.grid(row=0, column=column, sticky="e", padx=(8, 0))
            self.place_buttons.append(button)
        self.folder_label = ttk.Label(body, style="Field.TLabel")
        self.folder_label.grid(row=2, column=0, sticky="ew", pady=(0, 4))
        self.table = Table(body, COLUMNS, {"name": 420, "size": 100, "modified": 160},
                           numeric={"size"}, stretch={"name"}, height=12)
        self.table.grid(row=3, column=0, sticky="nsew")
        self.table.headings({"name": _("File or folder"), "size": _("Size"),
                             "modified": _("Changed")})
        self.message = MessageArea(body)
        self.message.grid(row=4, column=0, sticky="ew", pady=(6, 0))
        self.message.show(None)
        bottom = ttk.Frame(body, style="Body.TFrame")
        bottom.grid(row=5, column=0, sticky="ew", pady=(8, 0))
        bottom.columnconfigure(1, weight=1)
        self.name_label = ttk.Label(bottom, text=_("File name:"), style="Field.TLabel")
        self.name_entry = ttk.Entry(bottom, font="SalonEntry")
        if self.mode == "save":
            self.name_label.grid(row=0, column=0, sticky="w", padx=(0, 8))
            self.name_entry.grid(row=0, column=1, columnspan=3, sticky="ew")
        primary = {"open": _("Open (Enter)"), "save": _("Save (Enter)"),
                   "folder": _("Choose this folder (Enter)")}[self.mode]
        self.cancel_button = ttk.Button(bottom, text=_("Cancel (Esc)"), style="Action.TButton",
                                        command=self.cancel)
        self.cancel_button.grid(row=1, column=2, sticky="e", pady=(10, 0), padx=(0, 8))
        self.primary_button = ttk.Button(bottom, text=primary, style="Primary.TButton",
                                         command=self.choose)
        self.primary_button.grid(row=1, column=3, sticky="e", pady=(10, 0))
        self.note = ttk.Label(bottom, style="Note.TLabel",
                              text="" if self.mode == "folder" else patterns_text(self.patterns))
        self.note.grid(row=1, column=0, columnspan=2, sticky="w", pady=(10, 0))

    # -- the folder --------------------------------------------------------------------------
    def open_folder(self, folder: Path) -> None:
        try:
            rows = list_folder(folder, self.patterns, folders_only=self.mode == "folder")
        except InputError as error:  # unreadable: said, and the dialog stays where it was
            self.message.show(present_error(error))
            return
        self.folder = folder.resolve()
        self._confirm_replace = None
        self.message.show(None)
        self.folder_label.configure(text=_("Folder: {folder}").format(folder=self.folder))
        self.rows = {row.name: row for row in rows}
        up = [] if self.folder.parent == self.folder else [
            (PARENT, (_("↑ (the folder above)"), "", ""), ("muted",))]
        self.table.fill([*up, *[
            (row.name, (row.name + "/", _("folder"), row.modified) if row.folder
             else (row.name, row.size, row.modified), ())
            for row in rows]])
        self.up_button.state(["disabled"] if not up else ["!disabled"])
        tree = self.table.tree
        if self.mode == "save" or not rows:
            tree.selection_set(())  # a save keeps the name it was given
        else:  # the cursor on the first thing to pick, not on the way up
            tree.selection_set(rows[0].name)
            tree.focus(rows[0].name)

    def up(self) -> None:
        if self.folder.parent != self.folder:
            self.open_folder(self.folder.parent)

    @property
    def selected(self) -> str | None:
        selection = self.table.tree.selection()
        return str(selection[0]) if selection else None

    # -- the clerk's answer ------------------------------------------------------------------
    def choose(self) -> None:
        """The main button: the file under the cursor (open), the typed name (save), this
        folder (folder)."""
        if self.mode == "folder":
            self._done(self.folder)
        elif self.mode == "open":
            row = self.rows.get(self.selected or "")
            if row is None or row.folder:
                self.message.show(MessageView(_("Choose a file in the list."), "input"))
                return
            self._done(self.folder / row.name)
        else:
            self._save()

    def _save(self) -> None:
        try:
            name = checked_name(self.name_entry.get(), self.extension)
        except InputError as error:
            self.message.show(present_error(error))
            self.name_entry.focus_set()
            return
        target = self.folder / name
        if target.is_dir():
            self.open_folder(target)
            return
        if target.exists() and self._confirm_replace != target:
            self._confirm_replace = target
            self.message.show(MessageView(_("{name} is already there. Press Enter again to "
                                            "replace it.").format(name=name), "input"))
            return
        self._done(target)

    def cancel(self) -> None:
        self.result = None
        self._close()

    def _done(self, path: Path) -> None:
        self.result = path
        self._close()

    def _close(self) -> None:
        if self.winfo_exists():
            self.grab_release()
            self.destroy()

    # -- keys --------------------------------------------------------------------------------
    def _enter(self) -> None:
        if self.focus_get() is self.table.tree and self._enter_row():
            return
        self.choose()

    def _enter_row(self) -> bool:
        """The row under the cursor: a folder opens (True); a file, in open mode, is the
        answer (True); otherwise nothing is done here (False)."""
        key = self.selected
        if key == PARENT:
            self.up()
            self._focus()
            return True
        row = self.rows.get(key or "")
        if row is None:
            return False
        if row.folder:
            self.open_folder(self.folder / row.name)
            self._focus()
            return True
        if self.mode == "open":
            self._done(self.folder / row.name)
            return True
        if self.mode == "save":
            self.name_entry.delete(0, "end")
            self.name_entry.insert(0, row.name)
            self.name_entry.focus_set()
            return True
        return False

    def _selected(self) -> None:
        row = self.rows.get(self.selected or "")
        if self.mode == "save" and row is not None and not row.folder:
            self.name_entry.delete(0, "end")
            self.name_entry.insert(0, row.name)

    def _focus(self) -> None:
        if not self.winfo_exists():
            return
        if self.mode == "save":
            self.name_entry.focus_set()
            self.name_entry.select_range(0, "end")
        else:
            tree = self.table.tree
            tree.focus_set()
            first = tree.selection() or tree.get_children()[:1]
            if first:
                tree.focus(first[0])

    @staticmethod
    def _key(action: Callable[[], object]) -> str:
        action()
        return "break"


def _ask(dialog: FileDialog) -> Path | None:
    dialog.wait_window()
    return dialog.result


def ask_open_file(master: tk.Misc, title: str, patterns: Sequence[str],
                  folder: Path | None = None,
                  places: Sequence[tuple[str, Path]] = ()) -> Path | None:
    return _ask(FileDialog(master, mode="open", title=title, patterns=patterns, folder=folder,
                           places=places))


def ask_save_file(master: tk.Misc, title: str, name: str, extension: str,
                  folder: Path | None = None) -> Path | None:
    return _ask(FileDialog(master, mode="save", title=title, name=name, extension=extension,
                           patterns=(f"*{extension}",), folder=folder))


def ask_folder(master: tk.Misc, title: str, folder: Path | None = None) -> Path | None:
    return _ask(FileDialog(master, mode="folder", title=title, folder=folder))
