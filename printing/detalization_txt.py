"""The detalization as plain text (UTF-8): aligned columns for a monospace font.

The summary is `label` padded to LABEL_WIDTH then the value; the rows have a header and a
ruler of dashes whose runs give each column's span (widths fit the longest cell), so the text
reads back exactly (printing/detalization_read.py). The last line carries the SHA-256.
"""

from __future__ import annotations

from pathlib import Path

from models.detalization import (
    ROW_TITLES,
    SUMMARY_LABELS,
    Detalization,
    row_texts,
    summary_lines,
)
from printing.detalization import (
    PROGRESS_EVERY,
    ROWS_TITLE,
    SUMMARY_TITLE,
    TARIFF_TITLES,
    TARIFFS_NOTE,
    TARIFFS_TITLE,
    TITLE,
    Progress,
    extra_lines,
    header_lines,
    notes,
    tariff_line,
)

LABEL_WIDTH = max(len(label) for label in SUMMARY_LABELS) + 4
HASH_LABEL = "SHA-256:"
GAP = "  "


def write(report: Detalization, path: Path, progress: Progress | None) -> None:
    total = len(report.rows)
    texts = [row_texts(row) for row in report.rows]
    widths = [max([len(title), *(len(t[i]) for t in texts)]) for i, title in
              enumerate(ROW_TITLES)]
    with path.open("w", encoding="utf-8", newline="\n") as out:
        out.write(f"{TITLE}\n{'=' * len(TITLE)}\n")
        for line in [*header_lines(report), *notes(report)]:
            out.write(line + "\n")
        out.write(f"\n{SUMMARY_TITLE}\n")
        for label, value in [*summary_lines(report), *extra_lines(report)[2:]]:
            out.write(f"{label:<{LABEL_WIDTH}}{value.replace(chr(0xA0), ' ')}\n")
        if report.tariffs:
            out.write(f"\n{TARIFFS_TITLE}\n")
            rows = [TARIFF_TITLES, *(tariff_line(e, report.actual_total) for e in report.tariffs)]
            tw = [max(len(r[i].replace(chr(0xA0), " ")) for r in rows) for i in range(4)]
            for r in rows:
                cells = [c.replace(chr(0xA0), " ") for c in r]
                out.write(f"{cells[0]:<{tw[0]}}{GAP}{cells[1]:>{tw[1]}}{GAP}"
                          f"{cells[2]:>{tw[2]}}{GAP}{cells[3]}\n")
            out.write(f"{TARIFFS_NOTE}\n")
        if report.options.itemized:
            out.write(f"\n{ROWS_TITLE}\n")
            out.write(_line(ROW_TITLES, widths) + "\n")
            out.write(GAP.join("-" * w for w in widths) + "\n")
            for done, cells in enumerate(texts, 1):
                out.write(_line(cells, widths) + "\n")
                if progress is not None and done % PROGRESS_EVERY == 0:
                    progress(done, total)
        out.write(f"\n{HASH_LABEL} {report.sha256}\n")
    if progress is not None:
        progress(total, total)


def _line(cells: tuple[str, ...], widths: list[int]) -> str:
    """Left-aligned cells, the amount right-aligned; a no-break space prints as a space."""
    parts = [f"{c:<{w}}" for c, w in zip(cells[:-1], widths[:-1], strict=True)]
    parts.append(f"{cells[-1]:>{widths[-1]}}")
    return GAP.join(parts).replace("\u00a0", " ").rstrip()
