"""What a document file shows, read back as its canonical content and hashed, so that
`salon verify-document` can compare it with the hash registered when the console made it.

The canonical content of each format is everything a reader of the file sees:
- PDF: the text layer of every page — every line and cell of text (printing/pdf_text.py);
- XLSX: every cell of every sheet, with its type and number format, and the sheets' names
  (printing/xlsx_cells.py);
- HTML, CSV, plain text: every byte of the file — text, markup, styles, the charts' SVG.
The writers compute the same while writing (the hash is known before a PDF's first page is
drawn; a text file's is filled in when it is complete: printing/digest.py). Wherever a document
shows its own hash, its canonical content has the placeholder instead; the id and the claimed
hash come from `SALON-DOC:<id>:<hash>` (the PDF's and workbook's keywords, the text itself).
So any edit to any visible text — a name, a date, an amount, a sheet's cell, an element or
script added to a page — changes the hash, and a genuine file hashes to what was registered.
"""

from __future__ import annotations

import csv
import zipfile
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

from models.documents import parse_qr_payload
from printing.digest import PLACEHOLDER, LineDigest, text_digest
from printing.pdf_text import PAGE_MARK, PdfUnreadable, read_pages

FORMATS = {".pdf": "pdf", ".html": "html", ".htm": "html", ".xlsx": "xlsx", ".csv": "csv",
           ".txt": "txt"}


class UnreadableDocument(ValueError):
    """Not a file of a supported format, or one that cannot be read at all."""


@dataclass(frozen=True)
class ReadBack:
    format: str
    document_id: str | None  # as the file states it
    claimed_sha256: str | None  # as the file states it
    sha256: str  # recomputed from what the file shows


def detect_format(path: Path) -> str | None:
    return FORMATS.get(path.suffix.lower())


def read(path: Path) -> ReadBack:
    fmt = detect_format(path)
    if fmt is None:
        raise UnreadableDocument(f"{path.name}: not a PDF, HTML, XLSX, CSV or text file")
    try:
        if fmt == "pdf":
            return _read_pdf(path)
        if fmt == "xlsx":
            return _read_xlsx(path)
        return _read_text(path, fmt)
    except PdfUnreadable as error:
        raise UnreadableDocument(str(error)) from error
    except (OSError, UnicodeDecodeError, zipfile.BadZipFile, csv.Error, KeyError,
            ValueError) as error:
        raise UnreadableDocument(f"{path.name}: cannot be read as {fmt.upper()}: {error}"
                                 ) from error


def _claimed(text: str) -> tuple[str | None, str | None]:
    found = parse_qr_payload(text)
    return found if found is not None else (None, None)


def _without_hash(lines: Iterable[Sequence[str]], claimed: str | None
                  ) -> Iterable[Sequence[str]]:
    if claimed is None:
        return lines
    return (tuple(cell.replace(claimed, PLACEHOLDER) for cell in line) for line in lines)


def _read_pdf(path: Path) -> ReadBack:
    keywords, pages = read_pages(path)
    document_id, claimed = _claimed(keywords)
    digest = LineDigest("pdf")
    for lines in pages:
        digest.add(PAGE_MARK)
        digest.extend(_without_hash(lines, claimed))
    return ReadBack("pdf", document_id, claimed, digest.hexdigest())


def _read_xlsx(path: Path) -> ReadBack:
    from printing.xlsx_cells import read_lines

    keywords, lines = read_lines(path)
    document_id, claimed = _claimed(keywords)
    digest = LineDigest("xlsx")
    digest.extend(_without_hash(lines, claimed))
    return ReadBack("xlsx", document_id, claimed, digest.hexdigest())


def _read_text(path: Path, fmt: str) -> ReadBack:
    data = path.read_bytes()
    document_id, claimed = _claimed(data.decode("utf-8", errors="replace"))
    if claimed is not None:
        data = data.replace(claimed.encode(), PLACEHOLDER.encode())
    return ReadBack(fmt, document_id, claimed, text_digest(fmt, data))
