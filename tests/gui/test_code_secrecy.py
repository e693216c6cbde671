"""R2 at the counter (issue 12): the subscriber types their access code after every way the check
dialog can open or go away — opened (with a code, with none, while locked), closed, Esc, the
window's close box, Ctrl+Shift+L and the idle lock while they type — and the code is then
nowhere: in no widget of any window (fields, labels, lists, titles), not in the log file, not
in the journal. The real window on the embedded training sandbox, as `salon` wires it; the
subscriber's phone (training only) is the one place the code is shown, and is left out."""

from __future__ import annotations

import logging
import re
import tkinter as tk
from collections.abc import Iterator
from pathlib import Path

import pytest

from app.config import Settings, load_settings
from app.main import setup_logging
from app.ui.presenters.idle import IdleWatch
from tests.conftest import write_ini
from tests.gui.helpers import real_window, sign_in

IVANOVA = "+7 916 123-45-67"  # the demo world's mass-tariff subscriber with the Assistant


@pytest.fixture
def settings(tmp_path: Path) -> Settings:
    return load_settings(write_ini(tmp_path, salon={"language": "ru"}))


@pytest.fixture
def log_file(settings: Settings) -> Iterator[Path]:
    """salon.log as `salon` writes it (app.main.setup_logging), taken down afterwards."""
    root = logging.getLogger()
    before, level = list(root.handlers), root.level
    setup_logging(settings)
    logging.getLogger("salon").info("the code secrecy test starts")  # the file is there
    yield settings.data_dir / "logs" / "salon.log"
    for handler in root.handlers[:]:
        if handler not in before:
            root.removeHandler(handler)
            handler.close()
    root.setLevel(level)


def widget_texts(widget: tk.Misc, skip: tk.Misc | None) -> Iterator[str]:
    """Everything a widget and its children hold that could show: texts, entries' contents,
    lists' rows, text boxes, canvas texts, window titles — mapped or not."""
    if skip is not None and widget is skip:
        return
    if isinstance(widget, (tk.Tk, tk.Toplevel)):
        yield str(widget.title())
    for option in ("text", "value"):
        try:
            text = str(widget.cget(option))
        except tk.TclError:  # the widget has no such option
            continue
        yield text
    if isinstance(widget, (tk.Entry, tk.ttk.Entry, tk.Spinbox)):
        yield widget.get()
    elif isinstance(widget, tk.Text):
        yield widget.get("1.0", "end")
    elif isinstance(widget, tk.Listbox):
        yield " ".join(str(item) for item in widget.get(0, "end"))
    elif isinstance(widget, tk.ttk.Treeview):
        yield from _tree_texts(widget)
    elif isinstance(widget, tk.Canvas):
        for item in widget.find_all():
            if widget.type(item) == "text":
                yield str(widget.itemcget(item, "text"))
    for child in widget.winfo_children():
        yield from widget_texts(child, skip)


def _tree_texts(tree: tk.ttk.Treeview) -> Iterator[str]:
    for column in ("#0", *tree.cget("columns")):
        yield str(tree.heading(column, "text"))
    pending = list(tree.get_children())
    while pending:
        iid = pending.pop()
        yield str(tree.item(iid, "text"))
        yield " ".join(str(value) for value in tree.item(iid, "values"))
        pending.extend(tree.get_children(iid))


def found(code: str, texts: Iterator[str]) -> list[str]:
    token = re.compile(rf"(?<!\d){code}(?!\d)")
    return [text for text in texts if token.search(text)]


def test_a_code_typed_after_any_path_lands_nowhere(root: tk.Tk, settings: Settings, pump,
                                                   screenshot, log_file: Path) -> None:
    with real_window(root, settings, pump) as window:
        codes = window.codes

        def typed(text: str, *, enter: bool = True) -> None:
            """The subscriber types at the keyboard: each key goes where the cursor is (the
            focus, or where the window puts it back when it gets the keyboard again)."""
            for key in [*text, *(["Return"] if enter else [])]:
                target = root.focus_get() or root.focus_lastfor()
                target.event_generate(f"<KeyPress-{key}>")
                if target.winfo_exists():  # Enter may have closed its window
                    target.event_generate(f"<KeyRelease-{key}>")
                pump(lambda: True)
            pump(lambda: not codes.checking, timeout=15, what="an entry's answer")

        def nowhere(code: str, path: str) -> None:
            screenshot(f"secrecy-{path}")
            # Not even some of its digits went into the phone field.
            assert window.search.text in ("", IVANOVA), f"after {path}: {window.search.text!r}"
            shown = found(code, widget_texts(root, skip=codes.phone))
            assert shown == [], f"after {path}, the code is on screen: {shown}"

        def open_check() -> tk.Toplevel:
            """F11, pressed where the cursor is (the dialog may be open already)."""
            (root.focus_get() or root).event_generate("<F11>")
            pump(lambda: codes.dialog is not None and codes.dialog.winfo_ismapped(),
                 what="the check dialog")
            assert codes.dialog is not None
            pump(lambda: not codes._loading, timeout=15, what="the code's state")
            codes.dialog.lift()
            return codes.dialog

        # The typing reaches fields: typed into the phone field, a number is there.
        window.search.entry.focus_force()
        typed("916", enter=False)
        assert window.search.text.endswith("916")
        window.search.set_text(IVANOVA)
        window.search.entry.event_generate("<Return>")
        pump(lambda: window.card is not None and not window.busy, timeout=15, what="the card")
        pump(lambda: codes.state is not None, timeout=15, what="the code's state")

        # No code issued yet: F11 opens the dialog saying so; an old code typed goes nowhere.
        dialog = open_check()
        assert dialog.entry.instate(["disabled"]) and root.focus_get() is dialog.close_button
        typed("482915")
        nowhere("482915", "01-opened-without-a-code")

        window.search.entry.focus_force()
        window.search.entry.event_generate("<F10>")
        phone = codes.phone
        assert phone is not None
        pump(lambda: "Код доступа к Электронному Помощнику" in phone.text, timeout=15,
             what="the SMS on the subscriber's phone")
        (code,) = re.findall(r"(?<!\d)\d{6}(?!\d)", phone.text.splitlines()[1])
        assert found(code, widget_texts(phone, skip=None))  # the walk sees what is shown
        wrong = f"{(int(code) + 1) % 10**6:06d}"

        # Opened with a code: the code goes into the masked entry, Enter sends it, gone.
        dialog = open_check()
        typed(code)
        assert "Код верный" in dialog.result.text
        nowhere(code, "02-opened-and-checked")

        # Each way of closing the dialog, and the code typed afterwards.
        for path, close in (("03-close-button", lambda d: d.close_button.invoke()),
                            ("04-escape", lambda d: d.event_generate("<Escape>")),
                            ("05-close-box", lambda d: d.tk.eval(d.protocol("WM_DELETE_WINDOW")))):
            dialog = open_check()
            typed(code[:3], enter=False)  # half typed when the dialog goes
            close(dialog)
            pump(lambda: codes.dialog is None, what="the dialog gone")
            assert window.search.entry is not root.focus_get()
            typed(code)
            nowhere(code, path)

        # Locked while the subscriber types: the lock screen's fields stay empty.
        for path, lock in (
                # the shortcut, pressed where the cursor is: in the dialog's entry
                ("06-ctrl-shift-l", lambda: root.focus_get().event_generate("<Control-Shift-L>")),
                ("07-idle-lock", lambda: idle_lock(window))):
            open_check()
            typed(code[:4], enter=False)
            lock()
            pump(lambda: window.locked, what="the lock")
            typed(code)
            assert window.gate.sign_in.value("password") == ""
            nowhere(code, path)
            sign_in(window, pump, "clerk", "clerk-demo")
            pump(lambda: window.working and window.card is not None, timeout=15,
                 what="unlocked, the card back")
            pump(lambda: codes.state is not None, timeout=15, what="the code's state")

        # Four wrong entries lock the code (R3); F11 then opens the dialog locked.
        dialog = open_check()
        for _attempt in range(4):
            typed(wrong)
        pump(lambda: codes.state is not None and codes.state.locked, timeout=15,
             what="the code locked")
        dialog.close()
        pump(lambda: codes.dialog is None, what="the dialog gone")
        dialog = open_check()
        assert dialog.entry.instate(["disabled"])
        assert "Заблокировано до" in dialog.state_label.cget("text")
        assert root.focus_get() is dialog.close_button  # not the phone field, not the entry
        screenshot("secrecy-08-opened-locked")
        typed(code)  # the digits go nowhere; Enter on Close closes
        pump(lambda: codes.dialog is None, what="Enter on Close")
        typed(code)
        nowhere(code, "09-locked-then-closed")

        services = window.services
        assert services is not None and services.audit is not None
        journal = services.audit.latest(500)

    assert not re.search(rf"(?<!\d){code}(?!\d)", repr(journal)), "the code is in the journal"
    assert "482915" not in repr(journal)
    log_text = log_file.read_text(encoding="utf-8")
    assert "the code secrecy test starts" in log_text
    assert not re.search(rf"(?<!\d)({code}|482915)(?!\d)", log_text), "the code is in the log"
    token = re.compile(rb"(?<![0-9])" + code.encode() + rb"(?![0-9])")
    written = [p for p in settings.data_dir.rglob("*")
               if p.is_file() and not p.name.startswith("sandbox")]  # the operator's side
    assert [p.name for p in written if token.search(p.read_bytes())] == []


def idle_lock(window) -> None:
    """The idle lock's time has come (as if the minutes had passed with nobody typing)."""
    later = [0.0]  # seconds on the idle lock's monotonic clock
    window.idle = IdleWatch(1, lambda: later[0])
    later[0] += 120
    window.check_idle()

