"""One language at a time (issue 12): a working session in the Russian window on the embedded
training sandbox — operations, a slip's print, the access code, a bad number, the lock — and
then every screen that shows what happened (the card, the operation dialog, the day's log, the
print queue, the operations queue, the catalog): no English word and no internal code on any
of them. Identifiers a clerk reads as they are (order and document numbers, file names and
paths, masked addresses, logins) are left out of the check."""

from __future__ import annotations

import re
import tkinter as tk
from pathlib import Path

import pytest

from app.config import Settings, load_settings
from models.orders import OrderAction
from tests.conftest import write_ini
from tests.gui.helpers import real_window, sign_in, visible_texts
from tests.unit.test_translations import no_english

BUSY = "+7 916 123-45-67"
IDENTIFIERS = re.compile(
    r"/\S+"                                  # paths
    r"|\b[A-Z]+-[\w-]+\b"                    # ORD-000001, DET-…, DOC-…
    r"|\S+\.(?:pdf|xlsx|csv|html|txt)\b"     # file names
    r"|\S+@\S+"                              # (masked) e-mail addresses
    r"|[0-9a-f]{64}")                        # the journal's hash


@pytest.fixture
def settings(tmp_path: Path) -> Settings:
    return load_settings(write_ini(tmp_path, salon={"language": "ru"}))


def english_on(widget: tk.Misc, skip_columns: tuple[str, ...] = ()) -> list[str]:
    """What on `widget` (mapped) is an English word or a code, with the text it is in."""
    found = []
    for text in visible_texts(widget):
        if text in skip_columns:
            continue
        words = no_english(IDENTIFIERS.sub(" ", text))
        if words:
            found.append(f"{words}: {text!r}")
    return found


def test_the_russian_window_says_everything_in_russian(root, settings, pump,
                                                       screenshot) -> None:
    with real_window(root, settings, pump, login="manager", password="manager-demo") as window:
        def look_up(number: str) -> None:
            window.search.set_text(number)
            window.search.entry.focus_force()
            window.search.entry.event_generate("<Return>")
            pump(lambda: not window.busy, timeout=15, what="the lookup")

        def settle() -> None:
            pump(lambda: not window.runner.busy and not window.busy, timeout=30,
                 what="the window's jobs")

        look_up(BUSY)
        settle()
        assert english_on(root) == [], "the card"

        # A tariff change with its slip (printed: no printer here, so it says why not).
        for action in (OrderAction.CHANGE_TARIFF, OrderAction.ADD_SERVICE):
            window.orders.open(action)
            dialog = window.orders.dialog
            assert dialog is not None
            pump(lambda d=dialog: d.winfo_ismapped(), what="the operation dialog")
            assert english_on(dialog) == [], f"{action}: the choice"
            dialog.primary()
            pump(lambda d=dialog: d.phase == "preview", timeout=15, what="the preview")
            assert english_on(dialog) == [], f"{action}: the preview"
            dialog.primary()
            pump(lambda d=dialog: d.phase == "result", timeout=15, what="the result")
            if action is OrderAction.CHANGE_TARIFF:
                dialog.result_step.print_slip()
                pump(lambda d=dialog: d.message.view is not None, timeout=30,
                     what="the slip's print answered")
            settle()
            screenshot(f"ru-{action.value}-result")
            assert english_on(dialog) == [], f"{action}: the result"
            dialog.close()
            settle()

        # The access code: issued, one wrong entry.
        window.codes.issue()
        settle()
        window.codes.open_check()
        code_dialog = window.codes.dialog
        assert code_dialog is not None
        pump(code_dialog.winfo_ismapped, what="the check dialog")
        code_dialog.entry.insert(0, "000000")
        code_dialog.check()
        pump(lambda: not window.codes.checking, timeout=15, what="the answer")
        assert english_on(code_dialog) == [], "the code check"
        code_dialog.close()

        look_up("12345")  # not a number: a sentence, in Russian
        assert english_on(window.message) == [], "a bad number"
        look_up(BUSY)
        settle()
        window.lock()
        settle()
        sign_in(window, pump, "manager", "manager-demo")
        settle()

        window.open_daily_log()
        log = window.daily_log_dialog
        assert log is not None
        pump(lambda: log.winfo_ismapped() and log.log is not None, timeout=15,
             what="the day's log")
        settle()
        rows = [log.entries_tree.item(iid, "values") for iid in log.entries_tree.get_children()]
        assert len(rows) > 10
        screenshot("ru-daily-log")
        logins = ("manager", "clerk")  # the clerk column names logins, as they sign in
        assert english_on(log, skip_columns=logins) == [], "the day's log"
        log.destroy()

        for name, open_, dialog_of in (
                ("print-queue", window.delivery.open_print_queue,
                 lambda: window.delivery.queue_dialog),
                ("queue", window.orders.open_queue, lambda: window.orders.queue_dialog),
                ("catalog", window.orders.open_catalog, lambda: window.orders.catalog_dialog),
                ("detalization", window.detalization.open, lambda: window.detalization.dialog),
                ("archive", window.delivery.open_archive, lambda: window.delivery.archive_dialog),
                ("printer", window.delivery.open_printer_settings,
                 lambda: window.delivery.settings_dialog),
                ("keys", lambda: window._show_keys(None), lambda: window.keys_dialog)):
            open_()
            dialog = dialog_of()
            assert dialog is not None
            pump(dialog.winfo_ismapped, what=name)
            settle()
            screenshot(f"ru-{name}")
            assert english_on(dialog) == [], name
            dialog.destroy()
        assert english_on(root) == [], "the window at the end"
