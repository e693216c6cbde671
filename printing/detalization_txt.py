"""The detalization as plain text (UTF-8): aligned columns for a monospace font.

Every section of the document text (printing/detalization.py) in order: label/value lines
padded to one width, the tables with a header and a ruler of dashes, the rows, and at the end
the way to check it with its SHA-256 and `SALON-DOC:<id>:<hash>`. The hash covers every byte
of the file (printing/digest.py).
"""

from __future__ import annotations

import tempfile
from collections.abc import Iterator, Sequence
from pathlib import Path

from models.detalization import Detalization
from models.documents import PAYLOAD_PREFIX
from printing.detalization import (
    HASH_LABEL,
    NO_ROWS,
    PROGRESS_EVERY,
    DocumentText,
    Pairs,
    Progress,
)
from printing.digest import HashedText

GAP = "  "
NBSP = "\u00a0"
SEPARATOR = "\x1f"  # between a spooled row's cells: no cell holds a control character


def write(report: Detalization, text: DocumentText, path: Path,
          progress: Progress | None) -> str:
    total = report.shown_count
    with tempfile.TemporaryFile("w+", encoding="utf-8", newline="\n") as spool:
        # The columns are as wide as their widest cell: each row is formatted once, into a
        # spool file, while the widths are measured; then laid out from the spool (a heavy
        # period's rows never sit in memory).
        widths = [len(title) for title in text.row_titles]
        count = 0
        if text.itemized:
            for cells in text.rows(report):
                widths = [max(w, len(c)) for w, c in zip(widths, cells, strict=True)]
                spool.write(SEPARATOR.join(cells) + "\n")
                count += 1
        spool.seek(0)
        rows = (line.rstrip("\n").split(SEPARATOR) for line in spool)
        return _write(report, text, path, progress, total, count, widths, rows)


def _write(report: Detalization, text: DocumentText, path: Path, progress: Progress | None,
           total: int, count: int, widths: list[int], rows: Iterator[list[str]]) -> str:
    with HashedText(path, "txt") as out:
        out.write(f"{text.title}\n{'=' * len(text.title)}\n")
        for line in (*text.head, *text.alerts, *text.notes):
            out.write(_plain(line) + "\n")
        for pairs in (text.summary, text.extra, text.chart, text.series):
            _pairs(out, pairs)
        if text.tariffs is not None:
            table = text.tariffs
            out.write(f"\n{table.title}\n")
            _table(out, table.columns, table.rows, right=(1, 2))
            for note in table.notes:
                out.write(_plain(note) + "\n")
        if text.itemized:
            out.write(f"\n{text.rows_title}\n")
            out.write(_line(text.row_titles, widths) + "\n")
            out.write(GAP.join("-" * w for w in widths) + "\n")
            if not count:
                out.write(NO_ROWS + "\n")
            for done, cells in enumerate(rows, 1):
                out.write(_line(cells, widths) + "\n")
                if progress is not None and done % PROGRESS_EVERY == 0:
                    progress(done, total)
        out.write(f"\n{_plain(text.closing)}\n\n{text.verify}\n{HASH_LABEL}: ")
        out.write_hash()
        out.write(f"\n{PAYLOAD_PREFIX}:{text.document_id}:")
        out.write_hash()
        out.write("\n")
    if progress is not None:
        progress(total, total)
    return out.sha256


def _plain(text: str) -> str:
    return text.replace(NBSP, " ")


def _pairs(out: HashedText, pairs: Pairs) -> None:
    """Labels padded to one width, values right-aligned after them."""
    width = max((len(label) for label, _value in pairs.lines), default=0) + 4
    values = max((len(value) for _label, value in pairs.lines), default=0)
    out.write(f"\n{pairs.title}\n")
    for label, value in pairs.lines:
        out.write(f"{label:<{width}}{_plain(value):>{values}}\n")


def _table(out: HashedText, columns: Sequence[str], rows: Sequence[Sequence[str]],
           right: tuple[int, ...]) -> None:
    plain = [[_plain(c) for c in row] for row in (columns, *rows)]
    widths = [max(len(row[i]) for row in plain) for i in range(len(columns))]
    for row in plain:
        cells = [f"{c:>{w}}" if i in right else f"{c:<{w}}"
                 for i, (c, w) in enumerate(zip(row, widths, strict=True))]
        out.write(GAP.join(cells).rstrip() + "\n")


def _line(cells: Sequence[str], widths: list[int]) -> str:
    """Left-aligned cells, the amount right-aligned; a no-break space prints as a space."""
    parts = [f"{c:<{w}}" for c, w in zip(cells[:-1], widths[:-1], strict=True)]
    parts.append(f"{cells[-1]:>{widths[-1]}}")
    return _plain(GAP.join(parts)).rstrip()
