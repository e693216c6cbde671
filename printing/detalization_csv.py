"""The detalization as CSV for Excel as Russian offices set it up (the daily log's choices):
UTF-8 with a byte-order mark, `;` between fields, CRLF, amounts with a decimal comma and no
thousands separator (Excel reads them as numbers), durations as h:mm:ss (read as times).

Layout, one table after another, separated by an empty line: the title and header lines
(alerts and notes too); each label/value section under its title; the tariff comparison and its
notes; the rows (a header, then one line each: the five cells every format shows) and the
closing line; last, how to check it, `SHA-256;<hash>` and `SALON-DOC:<id>:<hash>`. Text that
Excel would take for a formula is written as text (printing.text.spreadsheet_text). The hash
covers every byte of the file (printing/digest.py).
"""

from __future__ import annotations

import csv
from pathlib import Path

from models.detalization import Detalization
from models.documents import PAYLOAD_PREFIX
from printing.detalization import HASH_LABEL, PROGRESS_EVERY, DocumentText, Progress
from printing.digest import HashedText
from printing.text import spreadsheet_text as cell

DELIMITER = ";"


def plain(value: str) -> str:
    """A number as Excel reads it: no (no-break) spaces between thousands."""
    return value.replace("\u00a0", "")


def write(report: Detalization, text: DocumentText, path: Path,
          progress: Progress | None) -> str:
    total = report.shown_count
    with HashedText(path, "csv", bom=True) as handle:
        out = csv.writer(handle, delimiter=DELIMITER, lineterminator="\r\n")
        out.writerow([text.title, text.document_id])
        for line in (*text.head, *text.alerts, *text.notes):
            out.writerow([cell(line)])
        for pairs in (text.summary, text.extra, text.chart, text.series):
            out.writerow([])
            out.writerow([cell(pairs.title)])
            for label, value in pairs.lines:
                out.writerow([cell(label), cell(plain(value))])
        if text.tariffs is not None:
            table = text.tariffs
            out.writerow([])
            out.writerow([cell(table.title)])
            out.writerow([cell(c) for c in table.columns])
            for name, fee, cost, delta in table.rows:
                out.writerow([cell(name), plain(fee), plain(cost), cell(delta)])
            for note in table.notes:
                out.writerow([cell(note)])
        out.writerow([])
        if text.itemized:
            out.writerow([text.rows_title])
            out.writerow(text.row_titles)
            for done, (when, kind, counterpart, quantity, amount) in enumerate(
                    text.rows(report), 1):
                out.writerow([when, kind, cell(counterpart), cell(plain(quantity))
                              if quantity.endswith("КБ") else quantity, plain(amount)])
                if progress is not None and done % PROGRESS_EVERY == 0:
                    progress(done, total)
        out.writerow([cell(text.closing)])
        out.writerow([])
        out.writerow([text.verify])
        handle.write(f"{HASH_LABEL}{DELIMITER}")
        handle.write_hash()
        handle.write(f"\r\n{PAYLOAD_PREFIX}:{text.document_id}:")
        handle.write_hash()
        handle.write("\r\n")
    if progress is not None:
        progress(total, total)
    return handle.sha256
