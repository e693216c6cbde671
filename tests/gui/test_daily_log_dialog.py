"""The manager's daily-log screen on a real journal (SQLite): preview, paging, export."""

from __future__ import annotations

import csv
import tkinter as tk
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from app.clock import FixedClock as Clock
from app.config import load_settings
from app.services.audit import AuditJournal
from app.services.daily_log import DailyLogService
from app.ui.runner import BackgroundRunner
from app.ui.theme import apply_theme
from app.ui.views.daily_log_dialog import DailyLogDialog
from models.audit import AuditAction, AuditResult
from models.db import open_store
from tests.conftest import write_ini
from tests.gui.helpers import screen_text


@pytest.fixture
def journal_day(tmp_path: Path):
    """A day with 620 entries by two clerks (more than one preview page) incl. refusals."""
    settings = load_settings(write_ini(tmp_path, salon={"language": "ru"}))
    db = open_store(settings.database_url)
    clock = Clock(datetime(2026, 11, 20, 6, 0, tzinfo=UTC))  # 09:00 in Moscow
    journal = AuditJournal(settings.salon.id, settings.salon.counter, clock)
    for n in range(620):
        clock.advance(timedelta(seconds=30))
        refused = n % 100 == 7
        journal.record("ivanova" if n % 2 else "petrov",
                       AuditAction.TARIFF_CHANGE if refused else AuditAction.LOOKUP,
                       AuditResult.REFUSED if refused else AuditResult.DONE,
                       subscriber="+79161234567",
                       reason="недостаточно средств\nfake row" if refused else "")
    clock.set(datetime(2026, 11, 23, 9, 0, tzinfo=UTC))
    yield DailyLogService(journal, settings.salon, clock)
    db.close()


def test_preview_pages_and_export(root: tk.Tk, pump, screenshot, journal_day, tmp_path) -> None:
    apply_theme(root)
    runner = BackgroundRunner(root)
    target = tmp_path / "day.csv"
    dialog = DailyLogDialog(root, journal_day, runner, "manager",
                            ask_path=lambda fmt, day: target)
    try:
        pump(lambda: not dialog.busy, what="today's log")
        assert "Записей: 0" in dialog.summary_label.cget("text")
        dialog.day_entry.delete(0, "end")
        dialog.day_entry.insert(0, "20.11.2026")
        dialog.day_entry.focus_force()
        pump(lambda: dialog.focus_get() is dialog.day_entry, what="focus in the date")
        dialog.day_entry.event_generate("<Return>")
        pump(lambda: not dialog.busy and dialog.log is not None
             and dialog.log.day.day == 20, what="the 20th's log")
        assert "Журнал операций за 20.11.2026" in dialog.title_label.cget("text")
        assert "Записей: 620" in dialog.summary_label.cget("text")
        assert "отказано: 7" in dialog.summary_label.cget("text")
        assert len(dialog.entries_tree.get_children()) == 500  # a page, never the whole day
        assert "Записи 1–500 из 620" in dialog.page_label.cget("text")
        first = dialog.entries_tree.item(dialog.entries_tree.get_children()[0], "values")
        assert first[1] == "09:00:30" and first[4] == "Поиск абонента"
        problems = [dialog.problem_tree.item(i, "values")
                    for i in dialog.problem_tree.get_children()]
        assert len(problems) == 7
        assert "\n" not in problems[0][6] and "\\n" in problems[0][6]  # no forged line
        clerks = {dialog.clerk_tree.item(i, "values")[0]
                  for i in dialog.clerk_tree.get_children()}
        assert clerks == {"ivanova", "petrov"}
        pump(dialog.winfo_viewable, what="the dialog on screen")
        dialog.lift()  # no window manager on Xvfb: raise it above the main window ourselves
        screenshot("20-daily-log")
        dialog.next_button.invoke()
        assert len(dialog.entries_tree.get_children()) == 120
        assert dialog.next_button.instate(["disabled"])
        dialog.export_buttons["csv"].invoke()
        pump(lambda: dialog.saved_path is not None, timeout=30, what="the export")
        assert str(target) in screen_text(dialog)
        with target.open(encoding="utf-8-sig", newline="") as handle:
            rows = list(csv.reader(handle, delimiter=";"))
        entries = {row[0]: row for row in rows if row and row[0].isdigit()}  # refusals repeat
        assert len(entries) == 620
        assert sum(1 for row in entries.values() if "Поиск абонента" in row) == 613
    finally:
        dialog.destroy()
        runner.shutdown()


def test_a_typo_in_the_date_is_a_sentence(root: tk.Tk, pump, journal_day) -> None:
    runner = BackgroundRunner(root)
    dialog = DailyLogDialog(root, journal_day, runner, "manager")
    try:
        pump(lambda: not dialog.busy, what="today's log")
        dialog.day_entry.delete(0, "end")
        dialog.day_entry.insert(0, "31.02.2026")
        dialog.show_button.invoke()
        assert "не дата" in dialog.message.text
        dialog.day_entry.delete(0, "end")
        dialog.day_entry.insert(0, "01.01.2030")
        dialog.show_button.invoke()
        pump(lambda: not dialog.busy, what="the refusal")
        assert "ещё не наступил" in dialog.message.text
    finally:
        dialog.destroy()
        runner.shutdown()
