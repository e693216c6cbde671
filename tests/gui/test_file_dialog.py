"""The console's own file dialog (issue 12): in the window's language, opening in the user's
documents folder (the XDG one, here ~/Документы) and never in the program's folder; folders
first, then only the files of the kinds asked for; Enter, Backspace and Esc; saving over a file
asks once. Driven for real under Xvfb, also from the day's log and the archive."""

from __future__ import annotations

import os
import tkinter as tk
from collections.abc import Callable
from pathlib import Path

import pytest

from app import i18n
from app.ui.theme import apply_theme
from app.ui.views.file_dialog import FileDialog, ask_save_file
from tests.gui.helpers import screen_text, visible_texts
from tests.unit.test_translations import CYRILLIC, no_english

REPO = Path(__file__).resolve().parents[2]


@pytest.fixture
def documents(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A home whose documents folder is ~/Документы (user-dirs.dirs, as xdg-user-dirs writes
    it in a Russian session), holding a few files, a folder and a hidden file; the program is
    started from the repository, which the dialog must not open in."""
    home = tmp_path / "home"
    folder = home / "Документы"
    (folder / "Счета").mkdir(parents=True)
    (folder / "Счета" / "март.pdf").write_bytes(b"%PDF-1.4")
    for name in ("журнал.xlsx", "b.pdf", "A.csv", "заметки.odt", ".скрытый.pdf"):
        (folder / name).write_bytes(b"x" * 2048)
    config = home / ".config"
    config.mkdir(mode=0o700)
    (config / "user-dirs.dirs").write_text('XDG_DOCUMENTS_DIR="$HOME/Документы"\n',
                                           encoding="utf-8")
    monkeypatch.setenv("HOME", str(home))
    monkeypatch.setenv("XDG_CONFIG_HOME", str(config))
    monkeypatch.chdir(REPO)
    return folder


def names(dialog: FileDialog) -> list[str]:
    return [str(dialog.table.tree.item(iid, "values")[0])
            for iid in dialog.table.tree.get_children()]


def english(widget: tk.Misc) -> list[str]:
    return [text for text in visible_texts(widget)
            if no_english(text.replace(str(Path.home()), " "))]


def test_save_opens_in_the_documents_folder_in_russian(root, documents, pump,
                                                       screenshot) -> None:
    apply_theme(root)  # as in the window
    dialog = FileDialog(root, mode="save", title="Сохранить журнал как",
                        name="journal-2026-11-23.xlsx", extension=".xlsx",
                        patterns=("*.xlsx",))
    pump(dialog.winfo_ismapped, what="the dialog")
    assert dialog.folder == documents.resolve()
    assert Path.cwd() == REPO and dialog.folder != REPO
    assert names(dialog) == ["↑ (папка выше)", "Счета/", "журнал.xlsx"]  # folders first
    assert dialog.name_entry.get() == "journal-2026-11-23.xlsx"
    assert f"Папка: {documents}" in screen_text(dialog)
    screenshot("file-dialog-save-ru")
    assert english(dialog) == []
    dialog.name_entry.delete(0, "end")
    dialog.name_entry.insert(0, "журнал")  # the extension comes by itself…
    dialog.name_entry.focus_force()
    dialog.name_entry.event_generate("<Return>")
    assert dialog.winfo_exists()  # …and it is there already: asked once
    assert "уже есть" in dialog.message.text
    dialog.name_entry.event_generate("<Return>")
    pump(lambda: not dialog.winfo_exists(), what="the dialog closed")
    assert dialog.result == documents.resolve() / "журнал.xlsx"


def test_open_walks_folders_with_the_keyboard(root, documents, pump) -> None:
    dialog = FileDialog(root, mode="open", title="Документ для личного архива",
                        patterns=("*.pdf", "*.csv"))
    pump(dialog.winfo_ismapped, what="the dialog")
    assert names(dialog) == ["↑ (папка выше)", "Счета/", "A.csv", "b.pdf"]  # no .odt, hidden
    tree = dialog.table.tree
    assert tree.selection() == ("Счета",)  # the cursor on the first thing to pick
    tree.focus_force()
    tree.event_generate("<Return>")  # Enter on a folder opens it
    assert dialog.folder == (documents / "Счета").resolve()
    assert names(dialog) == ["↑ (папка выше)", "март.pdf"]
    tree.event_generate("<BackSpace>")  # back up
    assert dialog.folder == documents.resolve()
    tree.selection_set("b.pdf")
    tree.event_generate("<Return>")  # Enter on a file is the answer
    pump(lambda: not dialog.winfo_exists(), what="the dialog closed")
    assert dialog.result == documents.resolve() / "b.pdf"


def test_choose_a_folder_and_esc_cancels(root, documents, pump) -> None:
    dialog = FileDialog(root, mode="folder", title="Куда сохранить детализацию",
                        folder=documents / "Счета")
    pump(dialog.winfo_ismapped, what="the dialog")
    assert names(dialog) == ["↑ (папка выше)"]  # folders only
    dialog.primary_button.invoke()
    assert dialog.result == (documents / "Счета").resolve()
    again = FileDialog(root, mode="folder", title="Куда сохранить детализацию")
    pump(again.winfo_ismapped, what="the dialog")
    again.table.tree.focus_force()
    again.table.tree.event_generate("<Escape>")
    pump(lambda: not again.winfo_exists(), what="Esc")
    assert again.result is None


def test_english_is_english(root, documents, pump) -> None:
    i18n.set_language("en")
    dialog = FileDialog(root, mode="save", title="Save the log as", name="log.csv",
                        extension=".csv")
    pump(dialog.winfo_ismapped, what="the dialog")
    files = set(names(dialog))  # the user's own files may be named in Russian
    shown = [text for text in visible_texts(dialog) if text not in files
             and CYRILLIC.search(text.replace(str(documents), " "))]
    assert shown == []
    assert "Save (Enter)" in screen_text(dialog)
    dialog.cancel()


def answer(root: tk.Tk, pump: Callable[..., None],
           act: Callable[[FileDialog], None]) -> None:
    """When a FileDialog opens (the code waits for it), `act` on it."""

    def look() -> None:
        found = [w for w in root.winfo_children() if isinstance(w, FileDialog)] + [
            w for top in root.winfo_children() for w in top.winfo_children()
            if isinstance(w, FileDialog)]
        if found and found[0].winfo_ismapped():
            act(found[0])
        else:
            root.after(50, look)

    root.after(50, look)


def test_the_daily_logs_save_dialog_is_the_consoles(root, documents, pump) -> None:
    seen: dict[str, Path] = {}

    def act(dialog: FileDialog) -> None:
        seen["folder"] = dialog.folder
        dialog.name_entry.delete(0, "end")
        dialog.name_entry.insert(0, "день")
        dialog.choose()

    answer(root, pump, act)
    path = ask_save_file(root, "Сохранить журнал как", "journal.csv", ".csv")
    assert seen["folder"] == documents.resolve()
    assert path == documents.resolve() / "день.csv"
    assert os.getcwd() == str(REPO)
