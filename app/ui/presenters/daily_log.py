"""The manager's daily log → rows and lines for the screen (no tkinter).

Labels of actions and results come from printing.daily_log, the same words the exported files
use, so the preview and the file can never name an operation differently. Text that came from
a clerk or the network is escaped (printing.text.visible): a crafted reason cannot draw a fake
row on screen.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, datetime

from app.errors import InputError
from app.i18n import _, language
from app.journal_text import describe_detail, describe_reason
from app.phone import format_msisdn
from models.daily_log import DailyLog, Tally
from printing.daily_log import action_label, clerk_label, labels
from printing.text import visible

PAGE_SIZE = 500  # rows in the preview at once; a busy day has thousands


@dataclass(frozen=True)
class DailyLogView:
    title: str
    summary: str
    last_hash: str
    total_rows: int
    by_clerk: tuple[tuple[str, ...], ...]
    by_action: tuple[tuple[str, ...], ...]
    problems: tuple[tuple[str, ...], ...]
    empty: bool


def present_daily_log(log: DailyLog, names: Mapping[str, str] | None = None) -> DailyLogView:
    """`names`: tariff and service codes → names (the catalog), for the entries' details."""
    words = labels(language())
    totals = log.totals
    summary = _("Entries: {count} · done: {done} · refused: {refused} · failed: {failed}").format(
        count=totals.total, done=totals.done, refused=totals.refused, failed=totals.failed)
    if log.last_hash:
        last_hash = _("The journal's last hash for the day: {hash} (entry {seq})").format(
            hash=log.last_hash, seq=log.last_seq)
    else:
        last_hash = _("The journal is empty up to this day.")
    return DailyLogView(
        title=_("Operations log for {day}").format(day=log.day.strftime("%d.%m.%Y")),
        summary=summary,
        last_hash=last_hash,
        total_rows=len(log.entries),
        by_clerk=tuple(_tally_row(clerk_label(words, t.key), t) for t in log.by_clerk),
        by_action=tuple(_tally_row(action_label(words, t.key), t) for t in log.by_action),
        problems=tuple(entry_row(log, i, names) for i, e in enumerate(log.entries)
                       if e.result != "done"),
        empty=not log.entries,
    )


def entry_row(log: DailyLog, index: int,
              names: Mapping[str, str] | None = None) -> tuple[str, ...]:
    """One journal entry as the preview's columns: №, time, clerk, subscriber, action, result,
    detail / reason (in words: app/journal_text.py)."""
    words = labels(language())
    entry = log.entries[index]
    detail = " — ".join(part for part in (describe_detail(entry.action, entry.detail, names),
                                          describe_reason(entry.action, entry.reason)) if part)
    return (
        str(entry.seq),
        log.local_time(entry.at).strftime("%H:%M:%S"),
        visible(clerk_label(words, entry.clerk)),
        format_msisdn(entry.subscriber) if entry.subscriber else "",
        action_label(words, entry.action),
        words.results.get(entry.result, entry.result),
        visible(detail),
    )


def page_rows(log: DailyLog, page: int,
              names: Mapping[str, str] | None = None) -> tuple[tuple[str, ...], ...]:
    start = page * PAGE_SIZE
    return tuple(entry_row(log, i, names)
                 for i in range(start, min(start + PAGE_SIZE, len(log.entries))))


def page_count(total_rows: int) -> int:
    return max(1, -(-total_rows // PAGE_SIZE))


def page_caption(page: int, total_rows: int) -> str:
    if total_rows == 0:
        return _("No entries on this day.")
    first = page * PAGE_SIZE + 1
    last = min((page + 1) * PAGE_SIZE, total_rows)
    return _("Entries {first}–{last} of {total}").format(first=first, last=last, total=total_rows)


def _tally_row(name: str, tally: Tally) -> tuple[str, ...]:
    return (name, str(tally.total), str(tally.done), str(tally.refused), str(tally.failed))


_SCREEN_DAY = re.compile(r"[0-9]{1,2}\.[0-9]{1,2}\.[0-9]{4}")
_ISO_DAY = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")


def parse_day(text: str) -> date:
    """'23.11.2026' (as the screen shows dates) or '2026-11-23' → a date, or InputError.
    ASCII digits only: strptime's `%d` and `%Y` also take Arabic-Indic or full-width ones."""
    cleaned = text.strip(" \t")  # not str.strip(): it would also drop U+2028, U+3000…
    for pattern, shape in (("%d.%m.%Y", _SCREEN_DAY), ("%Y-%m-%d", _ISO_DAY)):
        if not shape.fullmatch(cleaned):
            continue
        try:
            return datetime.strptime(cleaned, pattern).date()
        except ValueError:
            continue
    raise InputError(_("“{text}” is not a date: write it as DD.MM.YYYY, e.g. 23.11.2026.")
                     .format(text=visible(cleaned[:20])))


def day_text(day: date) -> str:
    return day.strftime("%d.%m.%Y")
