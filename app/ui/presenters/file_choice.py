"""The console's own file dialog as strings and checks (no tkinter): where it opens, what a
folder holds (folders first, then the files of the kinds asked for), and whether a typed name
is one a file can have.

It opens in the user's documents folder (XDG's, e.g. ~/Документы — platformdirs reads
user-dirs.dirs), never in the folder the program was started from.
"""

from __future__ import annotations

import fnmatch
import os
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from decimal import Decimal
from pathlib import Path

from app import formatting
from app.errors import InputError
from app.i18n import _


def documents_folder() -> Path:
    """The user's documents folder; the home folder when there is none."""
    from platformdirs import user_documents_path

    folder = user_documents_path()
    return folder if folder.is_dir() else Path.home()


@dataclass(frozen=True)
class EntryRow:
    name: str
    folder: bool
    size: str  # "" for a folder
    modified: str


def list_folder(folder: Path, patterns: Sequence[str] = (), *, folders_only: bool = False,
                timezone: str = "Europe/Moscow") -> list[EntryRow]:
    """What `folder` holds that the clerk can pick: its folders, then the files matching
    `patterns` ("*.pdf"; none = any), hidden ones left out, each group by name. InputError
    (a sentence) when it cannot be read."""
    try:
        entries = list(os.scandir(folder))
    except OSError as error:
        raise InputError(_("The folder {folder} cannot be opened: {error}").format(
            folder=folder, error=error.strerror or error)) from error
    folders, files = [], []
    for entry in entries:
        if entry.name.startswith("."):
            continue
        try:
            is_folder = entry.is_dir()
            stat = entry.stat()
        except OSError:
            continue  # vanished, or a dangling link: nothing to pick
        modified = formatting.local_datetime(datetime.fromtimestamp(stat.st_mtime, UTC),
                                             timezone)
        if is_folder:
            folders.append(EntryRow(entry.name, True, "", modified))
        elif not folders_only and matches(entry.name, patterns):
            files.append(EntryRow(entry.name, False, size_text(stat.st_size), modified))
    return sorted(folders, key=_by_name) + sorted(files, key=_by_name)


def _by_name(row: EntryRow) -> str:
    return row.name.casefold()


def matches(name: str, patterns: Sequence[str]) -> bool:
    return not patterns or any(fnmatch.fnmatch(name.lower(), p.lower()) for p in patterns)


def size_text(size: int) -> str:
    if size < 1024:
        return _("{size} B").format(size=size)
    if size < 1024 * 1024:
        return _("{size} KB").format(size=formatting.quantity(_rounded(size / 1024)))
    return _("{size} MB").format(size=formatting.quantity(_rounded(size / 1024 / 1024)))


def _rounded(value: float) -> Decimal:
    return Decimal(f"{value:.1f}") if value < 10 else Decimal(round(value))


def checked_name(text: str, extension: str = "") -> str:
    """A file name as typed, with `extension` (".xlsx") added when it has none; InputError
    for what cannot be a file's name here."""
    name = text.strip()
    if not name:
        raise InputError(_("Type the file's name."))
    if "/" in name or "\\" in name or "\0" in name or name in (".", ".."):
        raise InputError(_("“{name}” cannot be a file's name: no slashes; choose the folder "
                           "above.").format(name=name))
    if extension and not name.lower().endswith(extension.lower()):
        name += extension
    return name


def patterns_text(patterns: Sequence[str]) -> str:
    if not patterns:
        return _("Every file is shown.")
    return _("Files shown: {patterns}").format(patterns=", ".join(patterns))
