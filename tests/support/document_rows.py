"""What a detalization file says, read back for tests in each format: its itemized rows (five
cells) and its label → value lines, every cell without whitespace (as a PDF's text layer gives
it), so the five formats compare alike."""

from __future__ import annotations

import csv
import re
from datetime import datetime, timedelta
from decimal import Decimal
from html.parser import HTMLParser
from pathlib import Path

from models.detalization import COVERED_TEXT, NOTHING, duration_text, money_text, volume_text
from printing.pdf_text import read_pages

WHEN = re.compile(r"\d\d\.\d\d\.\d{4}\d\d:\d\d:\d\d")
_SPACE = re.compile(r"\s+")


def squeeze(text: str) -> str:
    return _SPACE.sub("", text)


def lines_of(path: Path) -> list[tuple[str, ...]]:
    """Every line of the file as whitespace-free cells."""
    fmt = path.suffix.lstrip(".")
    if fmt == "pdf":
        _keywords, pages = read_pages(path)
        return [line for page in pages for line in page]
    if fmt == "csv":
        with path.open(encoding="utf-8-sig", newline="") as handle:
            return [tuple(squeeze(c.removeprefix("'")) for c in record)
                    for record in csv.reader(handle, delimiter=";") if record]
    if fmt == "txt":
        return [tuple(squeeze(c) for c in re.split(r"\s{2,}", line.strip()))
                for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
    if fmt == "html":
        parser = _Cells()
        parser.feed(path.read_text(encoding="utf-8"))
        return parser.lines
    return _xlsx_lines(path)


def rows_of(path: Path) -> list[tuple[str, ...]]:
    return [line for line in lines_of(path) if len(line) == 5 and WHEN.fullmatch(line[0])]


def pairs_of(path: Path) -> dict[str, str]:
    """label → value of the two-cell lines (the first of each label)."""
    found: dict[str, str] = {}
    for line in lines_of(path):
        if len(line) == 2 and line[0] not in found:
            found[line[0]] = line[1]
    return found


class _Cells(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.lines: list[tuple[str, ...]] = []
        self._cells: list[str] | None = None
        self._text: list[str] | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "tr":
            self._cells = []
        elif tag in ("td", "th") and self._cells is not None:
            self._text = []

    def handle_data(self, data: str) -> None:
        if self._text is not None:
            self._text.append(data)

    def handle_endtag(self, tag: str) -> None:
        if tag in ("td", "th") and self._cells is not None and self._text is not None:
            self._cells.append(squeeze("".join(self._text)))
            self._text = None
        elif tag == "tr" and self._cells is not None:
            self.lines.append(tuple(self._cells))
            self._cells = None


def _xlsx_lines(path: Path) -> list[tuple[str, ...]]:
    from openpyxl import load_workbook

    book = load_workbook(path, read_only=True, data_only=True)
    lines: list[tuple[str, ...]] = []
    try:
        for values in book["Детализация"].iter_rows(min_row=2, max_col=8, values_only=True):
            if isinstance(values[0], datetime):
                lines.append(_xlsx_row(values))
        for label, value, *_rest in book["Итоги"].iter_rows(max_col=2, values_only=True):
            if isinstance(label, str) and value is not None:
                text = money_text(_money(value)) if isinstance(value, int | float) else value
                lines.append((squeeze(label), squeeze(str(text))))
    finally:
        book.close()
    return lines


def _money(value: float) -> Decimal:
    return Decimal(repr(value)).quantize(Decimal("0.01"))


def _xlsx_row(values: tuple) -> tuple[str, ...]:
    when, kind, counterpart, duration, volume, charged, credited, package = values[:8]
    when = (when + timedelta(microseconds=500_000)).replace(microsecond=0)
    if isinstance(duration, int | float):
        quantity = duration_text(int(duration))
    elif isinstance(volume, int | float):
        quantity = volume_text(int(volume))
    else:
        quantity = NOTHING
    if package:
        amount = COVERED_TEXT
    elif isinstance(credited, int | float):
        amount = "+" + money_text(_money(credited))
    else:
        amount = money_text(_money(charged or 0))
    return tuple(squeeze(c) for c in (f"{when:%d.%m.%Y %H:%M:%S}", str(kind), str(counterpart),
                                      quantity, amount))
