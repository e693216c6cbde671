"""The confirmation slip of a completed change: one A4 page, DejaVu Sans (Cyrillic).

What the subscriber takes home after the clerk changed a tariff or a service: the salon, what
changed, the fee and the new monthly cost, the balance after, the operator's order number, the
date and time, who did it, and lines to sign; its QR code and SHA-256 let `salon
verify-document` check it later (printing/pdf_document.py hashes every text on the page). The
console fills a `Slip` with finished sentences in its language (this module imports no `app`);
here they are only laid out: long values wrap within their column, and a slip that would not
fit one page is refused rather than cut.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from reportlab.lib.colors import HexColor
from reportlab.lib.pagesizes import A4
from reportlab.lib.utils import simpleSplit
from reportlab.pdfbase.pdfmetrics import stringWidth

from printing.atomic import atomic_output
from printing.fonts import BOLD, REGULAR, register_cyrillic_fonts
from printing.pdf_document import Box, HashText, Op, Qr, Rule, Text, write_pdf
from printing.text import visible

PAGE_W, PAGE_H = A4
MARGIN = 56.0  # about 20 mm
WIDTH = PAGE_W - 2 * MARGIN
LABEL_W = 210.0
SIZE, LEADING = 10.5, 14.0
QR_SIZE = 72.0
RULE = HexColor("#B0B7C3")
SHADE = HexColor("#EEF2F7")
MUTED = HexColor("#4A5463")


@dataclass(frozen=True)
class SlipRow:
    label: str
    value: str
    strong: bool = False


@dataclass(frozen=True)
class SlipSection:
    title: str
    rows: tuple[SlipRow, ...]


@dataclass(frozen=True)
class Slip:
    """Everything on the slip, as finished text."""

    salon: str  # the salon's name, the header's first line
    salon_detail: str  # its id and counter
    title: str
    subtitle: str  # the order number and when
    sections: tuple[SlipSection, ...]
    notes: tuple[str, ...]  # the Assistant is free, trial operation (R5), ...
    signatures: tuple[str, ...]  # a line to sign above each label
    footer: str
    document_title: str  # the PDF's metadata
    author: str
    document_id: str = ""  # SLP-…: in the QR code with the hash (models/documents.py)
    verify_note: str = ""  # how to check the slip; the hash follows it
    qr: bool = True  # False: a page nobody verifies (R11's cover sheet) carries no QR code


class SlipTooLong(ValueError):
    """The slip does not fit one page."""


def write_slip(slip: Slip, path: Path) -> str:
    """Render `slip` to `path` atomically (a temporary file, then renamed); return its hash."""
    register_cyrillic_fonts()
    page = _layout(slip)  # SlipTooLong before anything is written
    path.parent.mkdir(parents=True, exist_ok=True)
    with atomic_output(path) as temp:
        return write_pdf(temp, document_id=slip.document_id, page_size=A4,
                         title=visible(slip.document_title), author=visible(slip.author),
                         subject=visible(slip.title), pages=lambda: iter([page]))


def _lines(text: str, font: str, size: float, width: float) -> list[str]:
    return simpleSplit(visible(text), font, size, width) or [""]


def _layout(slip: Slip) -> list[Op]:
    ops: list[Op] = []
    y = PAGE_H - MARGIN
    for line in _lines(slip.salon, BOLD, 12, WIDTH * 0.6):
        ops.append(Text(MARGIN, y, line, BOLD, 12))
        y -= 15
    detail = visible(slip.salon_detail)
    ops.append(Text(PAGE_W - MARGIN, PAGE_H - MARGIN, detail, REGULAR,
                    min(9.0, 9.0 * (WIDTH * 0.38) / max(stringWidth(detail, REGULAR, 9), 1)),
                    "right", MUTED))
    y -= 4
    ops.append(Rule(MARGIN, y, PAGE_W - MARGIN, y, RULE, 1))
    qr_top = y - 8
    if slip.qr:
        ops.append(Qr(PAGE_W - MARGIN - QR_SIZE, qr_top - QR_SIZE, QR_SIZE))
    y -= 30
    beside_qr = WIDTH - QR_SIZE - 16
    for line in _lines(slip.title, BOLD, 16, beside_qr):
        ops.append(Text(MARGIN, y, line, BOLD, 16))
        y -= 20
    for line in _lines(slip.subtitle, REGULAR, 10.5, beside_qr):
        ops.append(Text(MARGIN, y, line, REGULAR, 10.5))
        y -= LEADING
    y = min(y - 10, qr_top - QR_SIZE - 14)
    for section in slip.sections:
        y = _section(ops, section, y)
    for note in slip.notes:
        lines = _lines(note, REGULAR, 9.5, WIDTH - 16)
        height = len(lines) * 12.5 + 8
        _room(y - height)
        ops.append(Box(MARGIN, y - height + 4, WIDTH, height, SHADE))
        for line in lines:
            ops.append(Text(MARGIN + 8, y - 9, line, REGULAR, 9.5))
            y -= 12.5
        y -= 14
    y -= 26
    _signatures(ops, slip.signatures, y)
    footer = list(reversed(_lines(slip.footer, REGULAR, 8, WIDTH)))
    for i, line in enumerate(footer):
        ops.append(Text(MARGIN, MARGIN - 20 + i * 10, line, REGULAR, 8, colour=MUTED))
    if slip.verify_note:
        y = MARGIN - 20 + len(footer) * 10 + 2
        ops.append(HashText(MARGIN, y, "SHA-256 ", REGULAR, 6.5, MUTED))
        ops.append(Text(MARGIN, y + 9, visible(slip.verify_note), REGULAR, 6.5, colour=MUTED))
    return ops


def _section(ops: list[Op], section: SlipSection, y: float) -> float:
    _room(y - 40)
    ops.append(Text(MARGIN, y, visible(section.title), BOLD, 11.5))
    y -= 6
    ops.append(Rule(MARGIN, y, PAGE_W - MARGIN, y, RULE, 1))
    y -= LEADING + 2
    for row in section.rows:
        font = BOLD if row.strong else REGULAR
        labels = _lines(row.label, REGULAR, SIZE, LABEL_W - 10)
        values = _lines(row.value, font, SIZE, WIDTH - LABEL_W)
        _room(y - LEADING * max(len(labels), len(values)))
        for i, line in enumerate(labels):
            ops.append(Text(MARGIN, y - i * LEADING, line, REGULAR, SIZE, colour=MUTED))
        for i, line in enumerate(values):
            ops.append(Text(MARGIN + LABEL_W, y - i * LEADING, line, font, SIZE))
        y -= LEADING * max(len(labels), len(values)) + 3
    return y - 14


def _signatures(ops: list[Op], labels: tuple[str, ...], y: float) -> None:
    if not labels:
        return
    _room(y - 30)
    gap = 24.0
    width = (WIDTH - gap * (len(labels) - 1)) / len(labels)
    for i, label in enumerate(labels):
        x = MARGIN + i * (width + gap)
        ops.append(Rule(x, y, x + width, y, HexColor("#000000"), 1))
        for j, line in enumerate(_lines(label, REGULAR, 8.5, width)):
            ops.append(Text(x, y - 11 - j * 10, line, REGULAR, 8.5, colour=MUTED))


def _room(bottom: float) -> None:
    if bottom < MARGIN + 20:
        raise SlipTooLong("the confirmation slip does not fit one page")
