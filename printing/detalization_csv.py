"""The detalization as CSV for Excel as Russian offices set it up (the daily log's choices):
UTF-8 with a byte-order mark, `;` between fields, CRLF, amounts with a decimal comma and no
thousands separator (Excel reads them as numbers), durations as h:mm:ss (read as times).

Layout, one table after another, separated by an empty line: the title and header lines; the
summary (`label;value`); the rows (a header, then one line each: the five cells every format
shows); the tariff comparison; and `SHA-256;<hash>` last. Text that Excel would take for a
formula is written as text (printing.text.spreadsheet_text); the reader undoes that.
"""

from __future__ import annotations

import csv
from pathlib import Path

from models.detalization import ROW_TITLES, Detalization, row_texts, summary_lines
from printing.detalization import (
    PROGRESS_EVERY,
    TARIFF_TITLES,
    TARIFFS_TITLE,
    TITLE,
    Progress,
    extra_lines,
    header_lines,
    notes,
    tariff_line,
)
from printing.text import spreadsheet_text as cell

DELIMITER = ";"
HASH_LABEL = "SHA-256"


def plain(value: str) -> str:
    """A number as Excel reads it: no (no-break) spaces between thousands."""
    return value.replace("\u00a0", "")


def write(report: Detalization, path: Path, progress: Progress | None) -> None:
    total = len(report.rows)
    with path.open("w", encoding="utf-8-sig", newline="") as handle:
        out = csv.writer(handle, delimiter=DELIMITER, lineterminator="\r\n")
        out.writerow([TITLE, report.document_id])
        for line in [*header_lines(report), *notes(report)]:
            out.writerow([cell(line)])
        out.writerow([])
        for label, value in summary_lines(report):
            out.writerow([label, cell(plain(value))])
        for label, value in extra_lines(report)[2:]:
            out.writerow([cell(label), cell(value)])
        out.writerow([])
        if report.options.itemized:
            out.writerow(ROW_TITLES)
            for done, row in enumerate(report.rows, 1):
                when, kind, counterpart, quantity, amount = row_texts(row)
                out.writerow([when, kind, cell(counterpart), cell(plain(quantity))
                              if quantity.endswith("КБ") else quantity, plain(amount)])
                if progress is not None and done % PROGRESS_EVERY == 0:
                    progress(done, total)
            out.writerow([])
        if report.tariffs:
            out.writerow([TARIFFS_TITLE])
            out.writerow(TARIFF_TITLES)
            for estimate in report.tariffs:
                name, fee, cost, delta = tariff_line(estimate, report.actual_total)
                out.writerow([cell(name), plain(fee), plain(cost), cell(delta)])
            out.writerow([])
        out.writerow([HASH_LABEL, report.sha256])
    if progress is not None:
        progress(total, total)
