"""The confirmation slip of a completed change: one A4 page, DejaVu Sans (Cyrillic).

What the subscriber takes home after the clerk changed a tariff or a service: the salon, what
changed, the fee and the new monthly cost, the balance after, the operator's order number, the
date and time, who did it, and lines to sign. The console fills a `Slip` with finished
sentences in its language (this module imports no `app`); here they are only laid out: long
values wrap within their column, and a slip that would not fit one page is refused rather than
cut.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from reportlab.lib.colors import HexColor
from reportlab.lib.pagesizes import A4
from reportlab.lib.utils import simpleSplit
from reportlab.pdfgen.canvas import Canvas

from printing.atomic import atomic_output
from printing.fonts import BOLD, REGULAR, register_cyrillic_fonts
from printing.text import visible

PAGE_W, PAGE_H = A4
MARGIN = 56.0  # about 20 mm
WIDTH = PAGE_W - 2 * MARGIN
LABEL_W = 210.0
SIZE, LEADING = 10.5, 14.0
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


class SlipTooLong(ValueError):
    """The slip does not fit one page."""


def write_slip(slip: Slip, path: Path) -> None:
    """Render `slip` to `path` atomically (a temporary file, then renamed)."""
    register_cyrillic_fonts()
    path.parent.mkdir(parents=True, exist_ok=True)
    with atomic_output(path) as temp:
        canvas = Canvas(str(temp), pagesize=A4, pageCompression=1)
        canvas.setTitle(visible(slip.document_title))
        canvas.setAuthor(visible(slip.author))
        _draw(canvas, slip)
        canvas.showPage()
        canvas.save()


def _lines(text: str, font: str, size: float, width: float) -> list[str]:
    return simpleSplit(visible(text), font, size, width) or [""]


def _draw(canvas: Canvas, slip: Slip) -> None:
    y = PAGE_H - MARGIN
    canvas.setFont(BOLD, 12)
    for line in _lines(slip.salon, BOLD, 12, WIDTH * 0.6):
        canvas.drawString(MARGIN, y, line)
        y -= 15
    canvas.setFont(REGULAR, 9)
    canvas.setFillColor(MUTED)
    canvas.drawRightString(PAGE_W - MARGIN, PAGE_H - MARGIN, visible(slip.salon_detail))
    canvas.setFillColor(HexColor("#000000"))
    y -= 4
    canvas.setStrokeColor(RULE)
    canvas.line(MARGIN, y, PAGE_W - MARGIN, y)
    y -= 30
    canvas.setFont(BOLD, 16)
    for line in _lines(slip.title, BOLD, 16, WIDTH):
        canvas.drawString(MARGIN, y, line)
        y -= 20
    canvas.setFont(REGULAR, 10.5)
    for line in _lines(slip.subtitle, REGULAR, 10.5, WIDTH):
        canvas.drawString(MARGIN, y, line)
        y -= LEADING
    y -= 10
    for section in slip.sections:
        y = _section(canvas, section, y)
    for note in slip.notes:
        lines = _lines(note, REGULAR, 9.5, WIDTH - 16)
        height = len(lines) * 12.5 + 8
        _room(y - height)
        canvas.setFillColor(SHADE)
        canvas.rect(MARGIN, y - height + 4, WIDTH, height, stroke=0, fill=1)
        canvas.setFillColor(HexColor("#000000"))
        canvas.setFont(REGULAR, 9.5)
        for line in lines:
            canvas.drawString(MARGIN + 8, y - 9, line)
            y -= 12.5
        y -= 14
    y -= 26
    _signatures(canvas, slip.signatures, y)
    canvas.setFont(REGULAR, 8)
    canvas.setFillColor(MUTED)
    for i, line in enumerate(reversed(_lines(slip.footer, REGULAR, 8, WIDTH))):
        canvas.drawString(MARGIN, MARGIN - 20 + i * 10, line)


def _section(canvas: Canvas, section: SlipSection, y: float) -> float:
    _room(y - 40)
    canvas.setFont(BOLD, 11.5)
    canvas.drawString(MARGIN, y, visible(section.title))
    y -= 6
    canvas.setStrokeColor(RULE)
    canvas.line(MARGIN, y, PAGE_W - MARGIN, y)
    y -= LEADING + 2
    for row in section.rows:
        font = BOLD if row.strong else REGULAR
        labels = _lines(row.label, REGULAR, SIZE, LABEL_W - 10)
        values = _lines(row.value, font, SIZE, WIDTH - LABEL_W)
        _room(y - LEADING * max(len(labels), len(values)))
        canvas.setFillColor(MUTED)
        canvas.setFont(REGULAR, SIZE)
        for i, line in enumerate(labels):
            canvas.drawString(MARGIN, y - i * LEADING, line)
        canvas.setFillColor(HexColor("#000000"))
        canvas.setFont(font, SIZE)
        for i, line in enumerate(values):
            canvas.drawString(MARGIN + LABEL_W, y - i * LEADING, line)
        y -= LEADING * max(len(labels), len(values)) + 3
    return y - 14


def _signatures(canvas: Canvas, labels: tuple[str, ...], y: float) -> None:
    if not labels:
        return
    _room(y - 30)
    gap = 24.0
    width = (WIDTH - gap * (len(labels) - 1)) / len(labels)
    canvas.setStrokeColor(HexColor("#000000"))
    canvas.setFont(REGULAR, 8.5)
    canvas.setFillColor(MUTED)
    for i, label in enumerate(labels):
        x = MARGIN + i * (width + gap)
        canvas.line(x, y, x + width, y)
        for j, line in enumerate(_lines(label, REGULAR, 8.5, width)):
            canvas.drawString(x, y - 11 - j * 10, line)


def _room(bottom: float) -> None:
    if bottom < MARGIN + 20:
        raise SlipTooLong("the confirmation slip does not fit one page")
