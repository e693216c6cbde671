"""Reading a detalization file back into its canonical content (models.detalization), so
`salon verify-document` can recompute the hash from what the file actually shows.

Each format gives the summary lines (label, value) and the rows (five cells):
- PDF: poppler's `pdftotext -bbox` gives every word with its box; words on one baseline make a
  line, and a gap wider than the layout's COLUMN_GAP starts a new cell (words in a cell are a
  space apart). The id and claimed hash come from the PDF's /Keywords.
- HTML: the `summary` and `rows` tables, and the `document-id` / `sha256` meta tags.
- XLSX: the «Итоги» and «Детализация» sheets; typed cells are turned back into the texts the
  other formats show (a duration in seconds → h:mm:ss, amounts → 1 234,56 ...).
- CSV, plain text: the summary lines, the rows under the header, the SHA-256 line.
A summary line counts once: the first line whose first cell is the label and that has exactly a
label and a value; a row is a line whose first cell is a date-time and that has five cells.
"""

from __future__ import annotations

import csv
import html
import re
import shutil
import subprocess
import zipfile
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from decimal import Decimal
from html.parser import HTMLParser
from pathlib import Path

from models.detalization import (
    COVERED_TEXT,
    NOTHING,
    SUMMARY_LABELS,
    content_hash,
    duration_text,
    money_text,
    parse_qr_payload,
    time_text,
    volume_text,
)

FORMATS = {".pdf": "pdf", ".html": "html", ".htm": "html", ".xlsx": "xlsx", ".csv": "csv",
           ".txt": "txt"}
DATETIME = re.compile(r"\d\d\.\d\d\.\d{4} \d\d:\d\d:\d\d")
WORD = re.compile(r'<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)">'
                  r"(.*?)</word>")
KEYWORDS = re.compile(r'<meta name="Keywords" content="([^"]*)"')
CELL_GAP = 4.0  # printing.detalization_pdf.COLUMN_GAP
ASCENT = 0.76  # pdftotext's word box: baseline = yMin + ASCENT × height (DejaVu Sans)
_SUMMARY = set(SUMMARY_LABELS)
_FORMULA_START = ("=", "+", "-", "@")


class UnreadableDocument(ValueError):
    """Not a file of a supported format, or one that cannot be read at all."""


@dataclass(frozen=True)
class ReadBack:
    format: str
    document_id: str | None  # as the file states it
    claimed_sha256: str | None  # as the file states it (metadata, QR text, SHA-256 line)
    sha256: str  # recomputed from the content the file shows
    summary: dict[str, str]  # label → value, as read
    rows: list[tuple[str, ...]]  # the itemized rows' cells, as read

    def row_count(self) -> int:
        return len(self.rows)


def detect_format(path: Path) -> str | None:
    return FORMATS.get(path.suffix.lower())


def read(path: Path) -> ReadBack:
    fmt = detect_format(path)
    if fmt is None:
        raise UnreadableDocument(f"{path.name}: not a PDF, HTML, XLSX, CSV or text file")
    try:
        return _READERS[fmt](path)
    except (OSError, UnicodeDecodeError, zipfile.BadZipFile, csv.Error) as error:
        raise UnreadableDocument(f"{path.name}: cannot be read as {fmt.upper()}: {error}"
                                 ) from error


def _result(fmt: str, lines: Iterable[Sequence[str]], document_id: str | None,
            claimed: str | None) -> ReadBack:
    summary: dict[str, str] = {}
    rows: list[tuple[str, ...]] = []
    for line in lines:
        if len(line) == 5 and DATETIME.fullmatch(line[0]):
            rows.append(tuple(line))
        elif len(line) == 2 and line[0] in _SUMMARY and line[0] not in summary:
            summary[line[0]] = line[1]
    canonical = [(label, summary[label]) for label in SUMMARY_LABELS if label in summary]
    sha = content_hash([*canonical, *rows])
    return ReadBack(fmt, document_id or summary.get("Документ"), claimed, sha, summary, rows)


# --- PDF --------------------------------------------------------------------------------------

def _read_pdf(path: Path) -> ReadBack:
    tool = shutil.which("pdftotext")
    if tool is None:
        raise UnreadableDocument("checking a PDF needs poppler-utils (pdftotext); install it")
    with path.open("rb") as handle:
        if handle.read(5) != b"%PDF-":
            raise UnreadableDocument(f"{path.name}: not a PDF file")
    process = subprocess.Popen([tool, "-bbox", str(path), "-"], stdout=subprocess.PIPE,
                               stderr=subprocess.DEVNULL, text=True, encoding="utf-8")
    claimed: tuple[str, str] | None = None
    assert process.stdout is not None

    def lines() -> Iterator[list[str]]:
        nonlocal claimed
        words: list[tuple[float, float, float, str]] = []
        for text_line in process.stdout:  # type: ignore[union-attr]
            if claimed is None and "<meta" in text_line:
                found = KEYWORDS.search(text_line)
                if found:
                    claimed = parse_qr_payload(html.unescape(found.group(1)))
            match = WORD.search(text_line)
            if match:
                x0, y0, x1, y1 = (float(v) for v in match.groups()[:4])
                words.append((y0 + ASCENT * (y1 - y0), x0, x1, html.unescape(match.group(5))))
            elif "</page>" in text_line:
                yield from _page_lines(words)
                words = []

    try:
        result = _result("pdf", lines(), None, None)
    finally:
        process.stdout.close()
        code = process.wait()
    if code != 0:
        raise UnreadableDocument(f"{path.name}: pdftotext could not read it (exit {code})")
    document_id, sha = claimed if claimed else (None, None)
    return ReadBack("pdf", document_id or result.document_id, sha, result.sha256,
                    result.summary, result.rows)


def _page_lines(words: list[tuple[float, float, float, str]]) -> Iterator[list[str]]:
    """Words → lines (by baseline, top to bottom) → cells (split at wide gaps)."""
    words.sort()
    line: list[tuple[float, float, float, str]] = []
    for word in words:
        if line and word[0] - line[0][0] > 1.0:
            yield _cells(line)
            line = []
        line.append(word)
    if line:
        yield _cells(line)


def _cells(line: list[tuple[float, float, float, str]]) -> list[str]:
    line.sort(key=lambda w: w[1])
    cells: list[list[str]] = []
    right = -1e9
    for _base, x0, x1, text in line:
        if x0 - right > CELL_GAP or not cells:
            cells.append([text])
        else:
            cells[-1].append(text)
        right = x1
    return [" ".join(cell) for cell in cells]


# --- HTML -------------------------------------------------------------------------------------

class _Tables(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.meta: dict[str, str] = {}
        self.lines: list[list[str]] = []
        self._table: str | None = None
        self._cells: list[str] | None = None
        self._text: list[str] | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        found = dict(attrs)
        if tag == "meta" and found.get("name") and found.get("content") is not None:
            self.meta[str(found["name"])] = str(found["content"])
        elif tag == "table":
            self._table = found.get("class")
        elif tag == "tr" and self._table in ("summary", "rows"):
            self._cells = []
        elif tag in ("td", "th") and self._cells is not None:
            self._text = []

    def handle_data(self, data: str) -> None:
        if self._text is not None:
            self._text.append(data)

    def handle_endtag(self, tag: str) -> None:
        if tag in ("td", "th") and self._cells is not None and self._text is not None:
            self._cells.append(" ".join("".join(self._text).split()))
            self._text = None
        elif tag == "tr" and self._cells is not None:
            self.lines.append(self._cells)
            self._cells = None
        elif tag == "table":
            self._table = None


def _read_html(path: Path) -> ReadBack:
    parser = _Tables()
    with path.open(encoding="utf-8") as handle:
        for chunk in iter(lambda: handle.read(1 << 20), ""):
            parser.feed(chunk)
    parser.close()
    return _result("html", parser.lines, parser.meta.get("document-id"),
                   parser.meta.get("sha256"))


# --- XLSX -------------------------------------------------------------------------------------

def _read_xlsx(path: Path) -> ReadBack:
    from openpyxl import load_workbook

    book = load_workbook(path, read_only=True, data_only=True)
    try:
        claimed = parse_qr_payload(book.properties.keywords or "")
        lines: list[list[str]] = []
        if "Итоги" in book.sheetnames:
            for label, value, *_rest in book["Итоги"].iter_rows(max_col=2, values_only=True):
                if isinstance(label, str) and value is not None:
                    lines.append([label, _summary_value(value)])
        if "Детализация" in book.sheetnames:
            for values in book["Детализация"].iter_rows(min_row=2, max_col=8, values_only=True):
                if isinstance(values[0], datetime):
                    lines.append(_xlsx_row(values))
    finally:
        book.close()
    document_id, sha = claimed if claimed else (None, None)
    return _result("xlsx", lines, document_id, sha)


def _summary_value(value: object) -> str:
    if isinstance(value, int | float):
        return money_text(_decimal(value))
    return str(value)


def _decimal(value: float | int) -> Decimal:
    return Decimal(repr(value)).quantize(Decimal("0.01"))


def _xlsx_row(values: Sequence[object]) -> list[str]:
    when, kind, counterpart, duration, volume, charged, credited, package = values[:8]
    assert isinstance(when, datetime)
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
        amount = "+" + money_text(_decimal(credited))
    else:
        amount = money_text(_decimal(charged if isinstance(charged, int | float) else 0))
    return [time_text(when), str(kind or ""), str(counterpart or ""), quantity, amount]


# --- CSV and text -----------------------------------------------------------------------------

def _unquote(cell: str) -> str:
    """Undo printing.text.spreadsheet_text's apostrophe before formula-like text."""
    if cell.startswith("'") and cell[1:].lstrip(" ").startswith(_FORMULA_START):
        return cell[1:]
    return cell


def _read_csv(path: Path) -> ReadBack:
    lines: list[list[str]] = []
    document_id = claimed = None
    with path.open(encoding="utf-8-sig", newline="") as handle:
        for record in csv.reader(handle, delimiter=";"):
            cells = [_unquote(c) for c in record]
            while len(cells) > 2 and cells[-1] == "":
                cells.pop()
            if cells[:1] == ["SHA-256"] and len(cells) == 2:
                claimed = cells[1]
            elif cells[:1] == ["Детализация счёта"] and len(cells) == 2 and not document_id:
                document_id = cells[1]
            else:
                lines.append(cells)
    return _result("csv", lines, document_id, claimed)


def _read_txt(path: Path) -> ReadBack:
    from printing.detalization_txt import HASH_LABEL, LABEL_WIDTH

    lines: list[list[str]] = []
    claimed = None
    spans: list[tuple[int, int | None]] | None = None
    previous = ""
    with path.open(encoding="utf-8") as handle:
        for raw in handle:
            text = raw.rstrip("\n")
            if spans is not None:
                if not text.strip():
                    spans = None
                else:
                    lines.append([text[a:b].strip() for a, b in spans])
                continue
            if text.startswith("-") and set(text) <= {"-", " "} and "Дата и время" in previous:
                runs = [(m.start(), m.end()) for m in re.finditer(r"-+", text)]
                spans = [(a, b if i < len(runs) - 1 else None)
                         for i, (a, b) in enumerate(runs)]
            elif text.startswith(HASH_LABEL):
                claimed = text[len(HASH_LABEL):].strip()
            elif text[:LABEL_WIDTH].rstrip() in _SUMMARY:
                lines.append([text[:LABEL_WIDTH].rstrip(), text[LABEL_WIDTH:].strip()])
            previous = text
    return _result("txt", lines, None, claimed)


_READERS = {"pdf": _read_pdf, "html": _read_html, "xlsx": _read_xlsx, "csv": _read_csv,
            "txt": _read_txt}
