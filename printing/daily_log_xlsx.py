"""The daily log as an Excel workbook (xlsxwriter, constant-memory mode for big days).

Sheets: the journal (every entry), totals (the heading facts, the last hash, totals by clerk and
by operation), refusals and failures. Cells are typed: entry numbers and counts are numbers,
times are Excel date-times (local and UTC columns); the header row is frozen and filtered.
Text is escaped (printing.text) and written as strings, never formulas; a string that a
spreadsheet would take for a formula also gets Excel's quote-prefix, so editing the cell keeps
it text. The totals sheet ends with the file's id and SHA-256 (also in the keywords): the hash
covers every cell of every sheet (printing/xlsx_cells.py).
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any

import xlsxwriter
from xlsxwriter.format import Format

from models.audit import AuditResult, JournalEntry
from models.daily_log import DailyLog, PickupTally, Progress, Tally
from printing.daily_log import (
    PROGRESS_EVERY,
    Labels,
    action_label,
    clerk_label,
    date_text,
    offset_text,
    pickup_columns,
)
from printing.text import is_formula_like, visible
from printing.xlsx_cells import CanonicalBook, CanonicalSheet

# (width in characters) per journal column, in order
_WIDTHS = (8, 19, 19, 14, 18, 8, 15, 30, 16, 11, 28, 40, 66)


class _Formats:
    def __init__(self, book: xlsxwriter.Workbook) -> None:
        self.header = book.add_format({"bold": True, "bg_color": "#DDE4EE", "bottom": 1,
                                       "text_wrap": True, "valign": "top"})
        self.title = book.add_format({"bold": True, "font_size": 14})
        self.bold = book.add_format({"bold": True})
        self.text = book.add_format({})
        self.quoted = book.add_format({"quote_prefix": True})
        self.datetime = book.add_format({"num_format": "dd.mm.yyyy hh:mm:ss", "align": "left"})
        self.date = book.add_format({"num_format": "dd.mm.yyyy", "align": "left"})
        self.number = book.add_format({"num_format": "0"})
        self.result: dict[str, Format] = {  # keyed by AuditResult, a str
            AuditResult.REFUSED: book.add_format({"font_color": "#9C5700", "bg_color": "#FFEB9C"}),
            AuditResult.FAILED: book.add_format({"font_color": "#9C0006", "bg_color": "#FFC7CE"}),
        }


def write(log: DailyLog, path: Path, words: Labels, progress: Progress | None) -> str:
    workbook = xlsxwriter.Workbook(str(path), {
        "constant_memory": True,
        "strings_to_formulas": False,
        "strings_to_urls": False,
        "strings_to_numbers": False,
        "default_date_format": "dd.mm.yyyy hh:mm:ss",
    })
    book = CanonicalBook(workbook)
    formats = _Formats(workbook)
    _entry_sheet(book.add_sheet(words.entries_sheet), formats, log, words, log.entries,
                 progress)
    _totals_sheet(book.add_sheet(words.totals_sheet), formats, log, words)
    _entry_sheet(book.add_sheet(words.problems[:31]), formats, log, words, log.problems, None)
    return book.close(log.document_id, {"title": words.title.format(day=date_text(log)),
                                        "company": log.salon_name})


def _text(value: str, formats: _Formats, fmt: Format | None = None
          ) -> tuple[str | None, Format | None]:
    """A text cell: escaped; a formula-like one quote-prefixed; an empty one left blank (so
    Excel's filter lists it under "(Blanks)")."""
    shown = visible(value)
    if not shown:
        return None, None
    return shown, formats.quoted if is_formula_like(shown) else fmt or formats.text


def _entry_sheet(
    sheet: CanonicalSheet, formats: _Formats, log: DailyLog, words: Labels,
    rows: Sequence[JournalEntry], progress: Progress | None,
) -> None:
    titles = (words.seq, f"{words.time}, {offset_text(log)}", words.time_utc, words.clerk,
              words.salon, words.counter, words.subscriber, words.action, words.action_code,
              words.result, words.detail, words.reason, words.hash)
    for col, width in enumerate(_WIDTHS):
        sheet.sheet.set_column(col, col, width)
    sheet.sheet.freeze_panes(1, 0)
    sheet.sheet.autofilter(0, 0, max(len(rows), 1), len(titles) - 1)
    sheet.row(0, [(col, title, formats.header) for col, title in enumerate(titles)])
    total = len(rows)
    for index, entry in enumerate(rows, 1):
        texts = (clerk_label(words, entry.clerk), entry.salon, entry.counter, entry.subscriber,
                 action_label(words, entry.action), entry.action)
        cells: list[tuple[int, Any, Any]] = [
            (0, entry.seq, formats.number),
            (1, log.local_time(entry.at), formats.datetime),
            (2, entry.at.replace(tzinfo=None), formats.datetime),
            *((col, *_text(text, formats)) for col, text in enumerate(texts, 3)),
            (9, *_text(words.results.get(entry.result, entry.result), formats,
                       formats.result.get(entry.result))),
            (10, *_text(entry.detail, formats)),
            (11, *_text(entry.reason, formats)),
            (12, entry.hash, None),
        ]
        sheet.row(index, cells)
        if progress is not None and index % PROGRESS_EVERY == 0:
            progress(index, total)
    if progress is not None:
        progress(total, total)


def _totals_sheet(sheet: CanonicalSheet, formats: _Formats, log: DailyLog, words: Labels
                  ) -> None:
    sheet.sheet.set_column(0, 0, 38)
    sheet.sheet.set_column(1, 1, 66)
    sheet.sheet.set_column(2, 5, 12)
    totals = log.totals
    facts: list[tuple[str, Any, Format | None]] = [
        (words.salon, f"{log.salon_name} ({log.salon_id})", None),
        (words.day, log.day, formats.date),
        (words.timezone, offset_text(log), None),
        (words.generated, log.local_time(log.generated_at), formats.datetime),
        (words.entries_count, totals.total, formats.number),
        (words.done, totals.done, formats.number),
        (words.refused, totals.refused, formats.number),
        (words.failed, totals.failed, formats.number),
        (words.last_hash, log.last_hash or words.last_hash_none, None),
        (f"{words.last_hash}: {words.seq}", log.last_seq, formats.number),
    ]
    sheet.row(0, [(0, words.title.format(day=date_text(log)), formats.title)])
    row = 2
    for label, value, fmt in facts:
        cell = _text(value, formats) if isinstance(value, str) else (value, fmt)
        sheet.row(row, [(0, label, formats.bold), (1, *cell)])
        row += 1
    row = _tally(sheet, row + 1, formats, words, words.by_clerk, log.by_clerk, clerks=True)
    row = _tally(sheet, row + 1, formats, words, words.by_action, log.by_action, clerks=False)
    if log.identity_by_clerk:
        row = _tally(sheet, row + 1, formats, words, words.identity_by_clerk,
                     log.identity_by_clerk, clerks=True)
    if log.pickup_by_clerk:
        row = _pickup(sheet, row + 1, formats, words, log.pickup_by_clerk)
    sheet.row(row + 1, [(0, words.document.format(id=log.document_id), formats.bold),
                        (1, words.verify, None)])
    sheet.hash_row(row + 2, "SHA-256")


def _pickup(sheet: CanonicalSheet, row: int, formats: _Formats, words: Labels,
            rows: Sequence[PickupTally]) -> int:
    """R11: each clerk's orders for pick-up printed, handed over, destroyed."""
    sheet.row(row, [(0, words.pickup_by_clerk, formats.title)])
    titles = (words.clerk, "", *pickup_columns(words))
    sheet.row(row + 1, [(col, title or None, formats.header)
                        for col, title in enumerate(titles)])
    row += 2
    for tally in rows:
        cells: list[tuple[int, Any, Any]] = [(0, *_text(clerk_label(words, tally.clerk),
                                                        formats))]
        cells += [(col, value, formats.number) for col, value in
                  enumerate((tally.printed, tally.handed_over, tally.destroyed), 2)]
        sheet.row(row, cells)
        row += 1
    return row


def _tally(sheet: CanonicalSheet, row: int, formats: _Formats, words: Labels, title: str,
           rows: Sequence[Tally], *, clerks: bool) -> int:
    """A totals table starting at `row`; returns the first row after it."""
    sheet.row(row, [(0, title, formats.title)])
    first = words.clerk if clerks else words.action
    titles = (first, words.action_code if not clerks else "", words.total, words.done,
              words.refused, words.failed)
    sheet.row(row + 1, [(col, title or None, formats.header)
                        for col, title in enumerate(titles)])
    row += 2
    for tally in rows:
        name = clerk_label(words, tally.key) if clerks else action_label(words, tally.key)
        cells: list[tuple[int, Any, Any]] = [(0, *_text(name, formats))]
        if not clerks:
            cells.append((1, *_text(tally.key, formats)))
        cells += [(col, value, formats.number) for col, value in
                  enumerate((tally.total, tally.done, tally.refused, tally.failed), 2)]
        sheet.row(row, cells)
        row += 1
    return row
