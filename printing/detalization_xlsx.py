"""The detalization as an Excel workbook (xlsxwriter in constant-memory mode: a heavy year
streams out row by row).

Sheets: «Детализация» (the records: typed cells — a date-time, text, duration in seconds,
volume in KB, charged and credited amounts as numbers with two decimals, the package that paid
— a frozen, filtered header row), «Итоги» (the header, the summary with money as numbers,
additional balances and packages), «Тарифы» (the comparison), «По дням» (charges per day).
The id and hash are in the workbook's keywords. Text is written as strings, never formulas.
"""

from __future__ import annotations

from pathlib import Path

import xlsxwriter

from models.detalization import (
    CATEGORY_LABELS,
    NOTHING,
    Detalization,
    kind_text,
    qr_payload,
    summary_lines,
)
from models.domain import UsageKind
from printing.detalization import (
    PROGRESS_EVERY,
    ROWS_TITLE,
    SUMMARY_TITLE,
    TARIFF_TITLES,
    TARIFFS_NOTE,
    TITLE,
    Progress,
    extra_lines,
    header_lines,
    notes,
    tariff_line,
)

ROWS_SHEET, TOTALS_SHEET, TARIFFS_SHEET, DAYS_SHEET = "Детализация", "Итоги", "Тарифы", "По дням"
COLUMNS = ("Дата и время", "Тип", "Номер / услуга", "Длительность, с", "Объём, КБ",
           "Списано, ₽", "Зачислено, ₽", "Пакет")
WIDTHS = (19, 13, 30, 15, 12, 12, 13, 11)
COVERED = "по пакету"
MONEY_LABELS = {"Входящий остаток", *CATEGORY_LABELS.values(), "Итого списано", "Пополнения",
                "в т. ч. обещанный платёж", "Исходящий остаток", "Бонусный баланс",
                "Долг по обещанному платежу"}


def write(report: Detalization, path: Path, progress: Progress | None) -> None:
    book = xlsxwriter.Workbook(str(path), {
        "constant_memory": True, "strings_to_formulas": False, "strings_to_urls": False,
        "strings_to_numbers": False})
    book.set_properties({"title": f"{TITLE} {report.document_id}", "subject": TITLE,
                         "company": report.salon_name, "author": report.salon_name,
                         "keywords": qr_payload(report.document_id, report.sha256),
                         "comments": f"sha256={report.sha256}"})
    header = book.add_format({"bold": True, "bg_color": "#DDE4EE", "bottom": 1})
    when = book.add_format({"num_format": "dd.mm.yyyy hh:mm:ss", "align": "left"})
    money = book.add_format({"num_format": "# ##0.00"})
    number = book.add_format({"num_format": "0"})
    bold = book.add_format({"bold": True})
    title = book.add_format({"bold": True, "font_size": 14})
    rows_sheet = book.add_worksheet(ROWS_SHEET)
    totals = book.add_worksheet(TOTALS_SHEET)
    if report.options.itemized:
        rows_sheet.activate()
    else:
        totals.activate()
    # constant_memory: each sheet is written top to bottom, one sheet after another.
    for col, width in enumerate(WIDTHS):
        rows_sheet.set_column(col, col, width)
    rows_sheet.write_row(0, 0, COLUMNS, header)
    rows_sheet.freeze_panes(1, 0)
    total = len(report.rows)
    row_index = 0
    for row_index, row in enumerate(report.rows, 1):
        rows_sheet.write_datetime(row_index, 0, row.at.replace(tzinfo=None), when)
        rows_sheet.write_string(row_index, 1, kind_text(row))
        rows_sheet.write_string(row_index, 2, row.counterpart or NOTHING)  # already safe
        if row.duration_s is not None:
            rows_sheet.write_number(row_index, 3, row.duration_s, number)
        if row.volume_kb is not None:
            rows_sheet.write_number(row_index, 4, row.volume_kb, number)
        if row.kind is UsageKind.TOPUP:
            rows_sheet.write_number(row_index, 6, float(row.amount), money)
        else:
            rows_sheet.write_number(row_index, 5, float(row.amount), money)
        if row.covered is not None:
            rows_sheet.write_string(row_index, 7, COVERED)
        if progress is not None and row_index % PROGRESS_EVERY == 0:
            progress(row_index, total)
    rows_sheet.autofilter(0, 0, max(row_index, 1), len(COLUMNS) - 1)
    if not report.options.itemized:
        rows_sheet.write_string(1, 0, ROWS_TITLE + ": только сводка")

    r = 0
    totals.set_column(0, 0, 34)
    totals.set_column(1, 1, 26)
    totals.write_string(r, 0, TITLE, title)
    for line in [*header_lines(report), *notes(report)]:
        r += 1
        totals.write_string(r, 0, line)
    r += 2
    totals.write_string(r, 0, SUMMARY_TITLE, bold)
    for label, value in summary_lines(report):
        r += 1
        totals.write_string(r, 0, label)
        if label in MONEY_LABELS:
            totals.write_number(r, 1, _number(value), money)
        else:
            totals.write_string(r, 1, value)
    for label, value in extra_lines(report)[2:]:
        r += 1
        totals.write_string(r, 0, label)
        totals.write_string(r, 1, value.replace("\u00a0", " "))
    r += 2
    totals.write_string(r, 0, "SHA-256")
    totals.write_string(r, 1, report.sha256)

    tariffs = book.add_worksheet(TARIFFS_SHEET)
    tariffs.set_column(0, 0, 34)
    tariffs.set_column(1, 2, 16)
    tariffs.set_column(3, 3, 30)
    tariffs.write_row(0, 0, TARIFF_TITLES, header)
    for i, estimate in enumerate(report.tariffs, 1):
        name, _fee, _cost, delta = tariff_line(estimate, report.actual_total)
        tariffs.write_string(i, 0, name)
        tariffs.write_number(i, 1, float(estimate.monthly_fee), money)
        tariffs.write_number(i, 2, float(estimate.total), money)
        tariffs.write_string(i, 3, delta.replace("\u00a0", " "))
    tariffs.write_string(len(report.tariffs) + 2, 0, TARIFFS_NOTE)

    days = book.add_worksheet(DAYS_SHEET)
    date_format = book.add_format({"num_format": "dd.mm.yyyy", "align": "left"})
    days.set_column(0, 1, 14)
    days.write_row(0, 0, ("Дата", "Списано, ₽"), header)
    for i, (day, amount) in enumerate(report.by_day, 1):
        days.write_datetime(i, 0, day, date_format)
        days.write_number(i, 1, float(amount), money)
    book.close()
    if progress is not None:
        progress(total, total)


def _number(text: str) -> float:
    return float(text.replace("\u00a0", "").replace(" ", "").replace(",", "."))

