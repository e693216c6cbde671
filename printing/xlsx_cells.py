"""A workbook's visible content as lines: every sheet (its name and whether it is shown) and
every cell of it (column, type, number format, value), the same whether the console computes it
while writing (`CanonicalBook`, around xlsxwriter) or reads it back (`read_lines`, openpyxl),
so `salon verify-document` hashes every cell of every sheet.

- A cell is `column<TAB>type<TAB>number format<TAB>value` as openpyxl reads it: type s (text),
  n (number), d (a date-time: a number with a date format), b, f (a formula, as written: a
  genuine document has none) — so a number format that shows another amount, or a formula in
  place of a value, changes the line.
- Numbers are written by xlsxwriter with 16 significant digits and read back as the float
  that text gives; date-times are read to the second.
- A workbook part xlsxwriter never writes for us (comments, drawings, macros, links to other
  files...) is a line of its own: such a file is never genuine.
"""

from __future__ import annotations

import zipfile
from collections.abc import Iterator, Sequence
from datetime import date, datetime, timedelta
from decimal import Decimal
from functools import lru_cache
from pathlib import Path
from typing import Any

from printing.digest import PLACEHOLDER, LineDigest
from printing.pdf_text import PAGE_MARK

GENERAL = "General"
_PARTS = {"[Content_Types].xml", "_rels/.rels", "docProps/app.xml", "docProps/core.xml",
          "docProps/custom.xml", "xl/workbook.xml", "xl/_rels/workbook.xml.rels",
          "xl/styles.xml", "xl/theme/theme1.xml", "xl/sharedStrings.xml"}


@lru_cache(maxsize=65536)
def number_text(value: float | int) -> str:
    """A number as it reads back: xlsxwriter writes %.16G, openpyxl parses that text."""
    parsed = float(f"{float(value):.16G}")
    return format(Decimal(repr(parsed)).normalize(), "f")


def moment_text(value: datetime | date) -> str:
    if not isinstance(value, datetime):
        value = datetime(value.year, value.month, value.day)
    elif value.microsecond or value.tzinfo is not None:  # read back: to the second
        value = (value.replace(tzinfo=None) + timedelta(microseconds=500_000)
                 ).replace(microsecond=0)
    return value.isoformat(sep=" ")


def cell_line(column: int, kind: str, number_format: str, value: Any) -> str:
    if kind == "n":
        text = number_text(value)
    elif kind == "d":
        text = moment_text(value)
    elif kind == "b":
        text = "TRUE" if value else "FALSE"
    else:
        text = str(value)
    return f"{column}\t{kind}\t{number_format or GENERAL}\t{text}"


def sheet_line(name: str, state: str = "visible") -> tuple[str, ...]:
    return (*PAGE_MARK, name, state)


def read_lines(path: Path) -> tuple[str, Iterator[tuple[str, ...]]]:
    """(the workbook's keywords, its lines)."""
    from openpyxl import load_workbook

    with zipfile.ZipFile(path) as archive:
        extra = sorted(name for name in archive.namelist()
                       if name not in _PARTS and not _is_sheet(name))
    book = load_workbook(path, read_only=True, data_only=False)
    keywords = book.properties.keywords or ""

    def lines() -> Iterator[tuple[str, ...]]:
        try:
            for name in extra:
                yield ("part", name)
            for sheet in book.worksheets:
                yield sheet_line(sheet.title, sheet.sheet_state)
                for row in sheet.iter_rows():
                    cells = tuple(cell_line(cell.column, cell.data_type, cell.number_format,
                                            cell.value)
                                  for cell in row if cell.value is not None)
                    if cells:
                        yield cells
        finally:
            book.close()

    return keywords, lines()


def _is_sheet(name: str) -> bool:
    return name.startswith("xl/worksheets/sheet") and name.endswith(".xml") and \
        name.count("/") == 2


class CanonicalSheet:
    """One worksheet written row by row, top to bottom (xlsxwriter's constant-memory order);
    each row's cells also go into the book's digest. Sheets are written one after another."""

    def __init__(self, book: CanonicalBook, sheet: Any, name: str) -> None:
        self._book = book
        self.sheet = sheet
        self.name = name

    def row(self, index: int, cells: Sequence[tuple[int, Any, Any]]) -> None:
        """Write row `index`: (column, value, format or None) each — text, a number or a
        date-time (None: an empty cell, styled if a format is given)."""
        line = []
        sheet = self.sheet
        for column, value, fmt in cells:
            if value is None:
                if fmt is not None:  # a styled empty cell: no content, read back as nothing
                    sheet.write_blank(index, column, None, fmt)
                continue
            number_format = GENERAL if fmt is None else (fmt.num_format or GENERAL)
            if isinstance(value, str):
                sheet.write_string(index, column, value, fmt)
                line.append(f"{column + 1}\ts\t{number_format}\t{value}")
            elif isinstance(value, datetime | date):
                sheet.write_datetime(index, column, value, fmt)
                line.append(f"{column + 1}\td\t{number_format}\t{moment_text(value)}")
            else:
                sheet.write_number(index, column, value, fmt)
                line.append(f"{column + 1}\tn\t{number_format}\t{number_text(value)}")
        if line:
            self._book.add(self, tuple(line))

    def hash_row(self, index: int, label: str) -> None:
        """The row showing the document's own hash, after the label: its line holds the
        placeholder; the cell gets the real hash when the book is closed. It must be this
        sheet's last row."""
        self._book.add(self, (cell_line(1, "s", GENERAL, label),
                              cell_line(2, "s", GENERAL, PLACEHOLDER)))
        self.sheet.write_string(index, 0, label)
        self._book.deferred.append((self.sheet, index, 1))


class CanonicalBook:
    """An xlsxwriter workbook whose cells, sheet after sheet, give the document's hash.
    `close(document_id)` writes the hash where it is shown and returns it."""

    def __init__(self, workbook: Any) -> None:
        self.workbook = workbook
        self._digest = LineDigest("xlsx")
        self._current: CanonicalSheet | None = None
        self.deferred: list[tuple[Any, int, int]] = []

    def add_sheet(self, name: str) -> CanonicalSheet:
        sheet = CanonicalSheet(self, self.workbook.add_worksheet(name), name)
        self._current = sheet
        self._digest.add(sheet_line(name))
        return sheet

    def add(self, sheet: CanonicalSheet, line: tuple[str, ...]) -> None:
        if sheet is not self._current:
            raise RuntimeError("a sheet is written whole before the next one is added")
        self._digest.add(line)

    def close(self, document_id: str, properties: dict[str, str]) -> str:
        from models.documents import qr_payload

        sha = self._digest.hexdigest()
        for sheet, row, column in self.deferred:
            sheet.write_string(row, column, sha)
        self.workbook.set_properties({**properties,
                                      "keywords": qr_payload(document_id, sha)})
        self.workbook.close()
        return sha
