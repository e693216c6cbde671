"""The detalization as an Excel workbook (xlsxwriter in constant-memory mode: a heavy year
streams out row by row).

Sheets: «Детализация» (the records: typed cells — a date-time, text, duration in seconds,
volume in KB, charged and credited amounts as numbers with two decimals, the package that paid
— a frozen, filtered header row), «Итоги» (the header, alerts, the main balance, the dated
additional balances and packages, charges by category, how to check it and the SHA-256),
«Тарифы» (the comparison and its notes), «По дням» (charges per day). The id and hash are in
the workbook's keywords. Text is written as strings, never formulas. The hash covers every cell
of every sheet with its type and number format (printing/xlsx_cells.py).
"""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import xlsxwriter

from models.detalization import NOTHING, Detalization, kind_text
from models.domain import UsageKind
from printing.detalization import HASH_LABEL, PROGRESS_EVERY, DocumentText, Pairs, Progress
from printing.xlsx_cells import CanonicalBook, CanonicalSheet

ROWS_SHEET, TOTALS_SHEET, TARIFFS_SHEET, DAYS_SHEET = "Детализация", "Итоги", "Тарифы", "По дням"
COLUMNS = ("Дата и время", "Тип", "Номер / услуга", "Длительность, с", "Объём, КБ",
           "Списано, ₽", "Зачислено, ₽", "Пакет")
WIDTHS = (19, 13, 30, 15, 12, 12, 13, 11)
COVERED = "по пакету"
NBSP = "\u00a0"


def write(report: Detalization, text: DocumentText, path: Path,
          progress: Progress | None) -> str:
    workbook = xlsxwriter.Workbook(str(path), {
        "constant_memory": True, "strings_to_formulas": False, "strings_to_urls": False,
        "strings_to_numbers": False})
    book = CanonicalBook(workbook)
    formats = {
        "header": workbook.add_format({"bold": True, "bg_color": "#DDE4EE", "bottom": 1}),
        "when": workbook.add_format({"num_format": "dd.mm.yyyy hh:mm:ss", "align": "left"}),
        "date": workbook.add_format({"num_format": "dd.mm.yyyy", "align": "left"}),
        "money": workbook.add_format({"num_format": "# ##0.00"}),
        "number": workbook.add_format({"num_format": "0"}),
        "bold": workbook.add_format({"bold": True}),
        "alert": workbook.add_format({"bold": True, "font_color": "#8A1111"}),
        "title": workbook.add_format({"bold": True, "font_size": 14}),
    }
    total = _rows(book, report, formats, progress)
    _totals(book, text, formats, itemized=report.options.itemized)
    _tariffs(book, text, formats)
    _days(book, report, formats)
    sha = book.close(text.document_id, {
        "title": f"{text.title} {text.document_id}", "subject": text.title,
        "company": report.salon_name, "author": report.salon_name})
    if progress is not None:
        progress(total, total)
    return sha


def _rows(book: CanonicalBook, report: Detalization, f: dict, progress: Progress | None
          ) -> int:
    sheet = book.add_sheet(ROWS_SHEET)
    if report.options.itemized:
        sheet.sheet.activate()
    for col, width in enumerate(WIDTHS):
        sheet.sheet.set_column(col, col, width)
    sheet.row(0, [(i, title, f["header"]) for i, title in enumerate(COLUMNS)])
    sheet.sheet.freeze_panes(1, 0)
    total = report.shown_count
    index = 0
    money, number, when = f["money"], f["number"], f["when"]
    for index, row in enumerate(report.rows, 1):
        credit = row.kind is UsageKind.TOPUP
        amount = float(row.amount)
        sheet.row(index, (
            (0, row.at.replace(tzinfo=None), when), (1, kind_text(row), None),
            (2, row.counterpart or NOTHING, None),  # already made safe
            (3, row.duration_s, number), (4, row.volume_kb, number),
            (5, None if credit else amount, money), (6, amount if credit else None, money),
            (7, COVERED if row.covered is not None else None, None)))
        if progress is not None and index % PROGRESS_EVERY == 0:
            progress(index, total)
    sheet.sheet.autofilter(0, 0, max(index, 1), len(COLUMNS) - 1)
    if not report.options.itemized:
        sheet.row(1, [(0, "Только сводка: постатейная детализация не заказывалась.", None)])
    return total


def _number(text: str) -> float:
    return float(Decimal(text.replace(NBSP, "").replace(" ", "").replace(",", ".")))


def _money_or_text(value: str) -> float | str:
    try:
        return _number(value)
    except ArithmeticError:
        return value.replace(NBSP, " ")


def _pairs(sheet: CanonicalSheet, r: int, pairs: Pairs, f: dict) -> int:
    r += 2
    sheet.row(r, [(0, pairs.title, f["bold"])])
    for label, value in pairs.lines:
        r += 1
        cell = _money_or_text(value)
        sheet.row(r, [(0, label, None), (1, cell, f["money"] if isinstance(cell, float)
                                         else None)])
    return r


def _totals(book: CanonicalBook, text: DocumentText, f: dict, *, itemized: bool) -> None:
    sheet = book.add_sheet(TOTALS_SHEET)
    if not itemized:
        sheet.sheet.activate()
    sheet.sheet.set_column(0, 0, 40)
    sheet.sheet.set_column(1, 1, 26)
    sheet.row(0, [(0, text.title, f["title"])])
    r = 0
    for line, style in ([(h, None) for h in text.head] + [(a, f["alert"]) for a in text.alerts]
                        + [(n, None) for n in text.notes]):
        r += 1
        sheet.row(r, [(0, line, style)])
    for pairs in (text.summary, text.extra, text.chart):
        r = _pairs(sheet, r, pairs, f)
    sheet.row(r + 2, [(0, text.closing, None)])
    sheet.row(r + 3, [(0, text.verify, None)])
    sheet.hash_row(r + 5, HASH_LABEL)


def _tariffs(book: CanonicalBook, text: DocumentText, f: dict) -> None:
    sheet = book.add_sheet(TARIFFS_SHEET)
    sheet.sheet.set_column(0, 0, 34)
    sheet.sheet.set_column(1, 2, 16)
    sheet.sheet.set_column(3, 3, 30)
    table = text.tariffs
    if table is None:
        sheet.row(0, [(0, "Каталог оператора не даёт цен: сравнения тарифов нет.", None)])
        return
    sheet.row(0, [(i, title, f["header"]) for i, title in enumerate(table.columns)])
    for i, (name, fee, cost, delta) in enumerate(table.rows, 1):
        sheet.row(i, [(0, name, None), (1, _number(fee), f["money"]),
                      (2, _number(cost), f["money"]), (3, delta.replace(NBSP, " "), None)])
    for j, note in enumerate(table.notes, len(table.rows) + 2):
        sheet.row(j, [(0, note.replace(NBSP, " "), None)])


def _days(book: CanonicalBook, report: Detalization, f: dict) -> None:
    sheet = book.add_sheet(DAYS_SHEET)
    sheet.sheet.set_column(0, 1, 14)
    sheet.row(0, [(0, "Дата", f["header"]), (1, "Списано, ₽", f["header"])])
    for i, (day, amount) in enumerate(report.by_day, 1):
        sheet.row(i, [(0, day, f["date"]), (1, float(amount), f["money"])])
