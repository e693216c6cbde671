"""The detalization as a PDF for print: A4, DejaVu Sans (Cyrillic), drawn on the canvas.

A heavy month is 100,000 rows, so there is no platypus table: the rows are fixed lines (a fixed
number a page, written by printing.pdf_rows), which gives the page count for "Страница N из M"
before anything is drawn. The summary comes first and flows over as many pages as it needs:
header and the QR code (the document's id and hash), alerts, the main balance, the dated
additional balances and packages, the charts (by category; by day or month), the tariff
comparison and how to check the document. The rows follow, then the closing line.

Everything is laid out once as drawing operations (printing/pdf_document.py), which hashes the
text layer as it draws (the rows' lines made from the strings drawn: printing/pdf_rows.py);
cells of a line are kept further apart than the text reader's gap (printing/pdf_text.py), and
every line has its own baseline.
"""

from __future__ import annotations

import math
from collections.abc import Iterator
from itertools import islice
from pathlib import Path

from reportlab.lib.colors import HexColor
from reportlab.lib.pagesizes import A4
from reportlab.lib.utils import simpleSplit
from reportlab.pdfbase.pdfmetrics import stringWidth

from models.detalization import COVERED_TEXT, Detalization, row_texts, shown
from printing.detalization import (
    BOLD_LABELS,
    HASH_LABEL,
    NO_ROWS,
    DocumentText,
    Pairs,
    Progress,
    Table,
    document_text,
)
from printing.fonts import BOLD, REGULAR, register_cyrillic_fonts
from printing.pdf_document import (
    Box,
    HashText,
    Op,
    Page,
    Qr,
    Rows,
    Rule,
    Shared,
    Text,
    write_pdf,
    write_pdf_once,
)

PAGE_W, PAGE_H = A4
MARGIN = 28.0
RIGHT = PAGE_W - MARGIN
WIDTH = RIGHT - MARGIN
SIZE, LEADING = 7.5, 9.4
TOP = PAGE_H - MARGIN - 30  # first baseline of the rows, under the page header
TITLES_Y = TOP + 2
BOTTOM = MARGIN + 20  # the footer lives below
ROWS_PER_PAGE = int((TITLES_Y - LEADING - BOTTOM) // LEADING)
# x of each row cell: time, type, counterpart, quantity (left-aligned); the amount is
# right-aligned at RIGHT.
X = (MARGIN, MARGIN + 86, MARGIN + 146, MARGIN + 366)
COLUMN_GAP = 4.0
COUNTERPART_ROOM = X[3] - X[2] - 2 * COLUMN_GAP
QR_SIZE = 92.0
VALUE_X = MARGIN + 330  # right edge of a label/value line's value
BLACK = HexColor("#000000")
GREY = HexColor("#6B7280")
ALERT = HexColor("#8A1111")
ALERT_FILL = HexColor("#FDE2E2")
RULE = HexColor("#B0B7C3")
BAND = HexColor("#EEF2F7")
BAR = HexColor("#3B6EA5")
COVERED_RGB = (0.42, 0.45, 0.5)
CREDIT_RGB = (0.08, 0.5, 0.24)


def write(report: Detalization, text: DocumentText, path: Path,
          progress: Progress | None) -> str:
    register_cyrillic_fonts()
    summary = _summary_pages(text)
    total = report.shown_count
    pages = len(summary) + _row_page_count(report)

    def every_page() -> Iterator[Page]:  # once: the rows arrive as they are read
        for number, page in enumerate(summary, 1):
            yield [*page, *_footer(text, number, pages)]
        if report.options.itemized:
            yield from _row_pages(report, text, len(summary), pages)

    def written(number: int) -> None:
        if progress is not None and number > len(summary):
            progress(min((number - len(summary)) * ROWS_PER_PAGE, total), total)

    sha = write_pdf_once(path, document_id=text.document_id, page_size=A4,
                         title=f"{text.title} {text.document_id}",
                         author=f"{report.salon_name} ({report.salon_id})",
                         subject=f"{text.title}, {report.period.text()}", pages=every_page(),
                         progress=written)
    if progress is not None:
        progress(total, total)
    return sha


def page_count(report: Detalization) -> int:
    """Pages in all: the summary's, then ROWS_PER_PAGE rows a page and the closing line (on a
    page of its own if the last rows leave no room)."""
    register_cyrillic_fonts()
    return len(_summary_pages(document_text(report))) + _row_page_count(report)


def write_first_page(report: Detalization, path: Path) -> None:
    """The summary's first page: the preview of a document in another format (never
    registered: its QR code and hash are the preview's own)."""
    text = document_text(report)
    summary = _summary_pages(text)

    def first() -> Iterator[Page]:
        yield [*summary[0], *_footer(text, 1, len(summary) + _row_page_count(report))]

    write_pdf(path, document_id=text.document_id, page_size=A4, title=text.title,
              author=report.salon_name, subject=text.title, pages=first)


def _row_page_count(report: Detalization) -> int:
    if not report.options.itemized:
        return 0
    rows = report.shown_count
    pages = max(1, math.ceil(rows / ROWS_PER_PAGE))
    if not _closing_fits(rows - (pages - 1) * ROWS_PER_PAGE):
        pages += 1
    return pages


def _closing_fits(rows_on_last_page: int) -> bool:
    return TOP - rows_on_last_page * LEADING - LEADING * 1.5 >= BOTTOM


# --- the summary pages ---------------------------------------------------------------------------

class _Flow:
    """Places blocks top to bottom; a block that does not fit starts the next page."""

    def __init__(self) -> None:
        self.pages: list[Page] = [[]]
        self.y = PAGE_H - MARGIN

    def room(self, height: float) -> None:
        if self.y - height < BOTTOM:
            self.pages.append([])
            self.y = PAGE_H - MARGIN - 6

    def add(self, *ops: Op) -> None:
        self.pages[-1].extend(ops)


def _summary_pages(text: DocumentText) -> list[Page]:
    flow = _Flow()
    flow.y -= 16
    flow.add(Text(MARGIN, flow.y, text.title, BOLD, 16))
    qr_top = PAGE_H - MARGIN - 4
    flow.add(Qr(RIGHT - QR_SIZE, qr_top - QR_SIZE, QR_SIZE),
             Text(RIGHT - QR_SIZE / 2, qr_top - QR_SIZE - 7, "QR: номер документа и хеш",
                  REGULAR, 6, "centre", GREY))
    flow.y -= 16
    beside_qr = RIGHT - QR_SIZE - 14 - MARGIN
    for line in text.head:
        for part in _wrap(line, REGULAR, 8.5, beside_qr):
            flow.add(Text(MARGIN, flow.y, part, REGULAR, 8.5))
            flow.y -= 11
    flow.y = min(flow.y, qr_top - QR_SIZE - 20)
    for line in text.alerts:
        parts = _wrap(line, BOLD, 8.5, WIDTH - 12)
        height = 11 * len(parts) + 6
        flow.room(height)
        flow.add(Box(MARGIN, flow.y - height + 9, WIDTH, height, ALERT_FILL))
        for part in parts:
            flow.add(Text(MARGIN + 6, flow.y, part, BOLD, 8.5, colour=ALERT))
            flow.y -= 11
        flow.y -= 6
    for line in text.notes:
        flow.add(Text(MARGIN, flow.y, line, REGULAR, 8.5, colour=GREY))
        flow.y -= 11
    flow.y -= 6
    _pairs(flow, text.summary)
    _pairs(flow, text.extra)
    _charts(flow, text)
    if text.tariffs is not None:
        _tariffs(flow, text.tariffs)
    if not text.itemized:
        flow.room(12)
        flow.add(Text(MARGIN, flow.y, text.closing, BOLD, 8))
        flow.y -= 14
    flow.room(18)
    flow.add(Text(MARGIN, flow.y, text.verify, REGULAR, 6.5, colour=GREY))
    flow.add(HashText(MARGIN, flow.y - 8, f"{HASH_LABEL} ", REGULAR, 6.5, GREY))
    return flow.pages


def _wrap(text: str, font: str, size: float, width: float) -> list[str]:
    return simpleSplit(text, font, size, width) or [text]


def _heading(flow: _Flow, title: str, need: float) -> None:
    parts = _wrap(title, BOLD, 10.5, WIDTH)
    flow.room(13 * len(parts) + need)
    for part in parts:
        flow.add(Text(MARGIN, flow.y, part, BOLD, 10.5))
        flow.y -= 13
    flow.add(Rule(MARGIN, flow.y + 10, RIGHT, flow.y + 10, RULE))
    flow.y -= 2


def _pairs(flow: _Flow, pairs: Pairs) -> None:
    _heading(flow, pairs.title, 11.5 * min(len(pairs.lines), 3))
    for label, value in pairs.lines:
        flow.room(11.5)
        font = BOLD if label in BOLD_LABELS else REGULAR
        indent = 12 if label.startswith("в т. ч.") else 0
        room = VALUE_X - stringWidth(value, font, 8.5) - 12 - MARGIN - indent
        flow.add(Text(MARGIN + indent, flow.y, label, font, _fitting(label, font, 8.5, room)),
                 Text(VALUE_X, flow.y, value, font, 8.5, "right"))
        flow.y -= 11.5
    flow.y -= 6


def _amount(text: str) -> float:
    return float(text.replace("\u00a0", "").replace(" ", "").replace(",", "."))


def _charts(flow: _Flow, text: DocumentText) -> None:
    height = 118.0
    flow.room(13 + height + 8)
    flow.add(Text(MARGIN, flow.y, text.chart.title, BOLD, 10.5),
             Text(MARGIN + 235, flow.y, text.series.title, BOLD, 10.5),
             Rule(MARGIN, flow.y - 3, RIGHT, flow.y - 3, RULE))
    top = flow.y - 10
    flow.add(*_category_bars(text.chart, top))
    flow.add(*_day_columns(text.series, MARGIN + 235, top, height))
    flow.y = top - height - 10


def _category_bars(pairs: Pairs, top: float) -> list[Op]:
    """Label, bar, amount for each category (the bars are in proportion)."""
    ops: list[Op] = []
    peak = max([_amount(v) for _label, v in pairs.lines] + [0.01])
    label_w, bar_w = 100.0, 70.0
    for i, (label, value) in enumerate(pairs.lines):
        y = top - 14 - i * 20
        width = bar_w * max(_amount(value), 0.0) / peak
        ops.append(Text(MARGIN + label_w - 4, y, label, REGULAR, 6.5, "right"))
        ops.append(Box(MARGIN + label_w, y - 3, max(width, 0.5), 10, BAR))
        ops.append(Text(MARGIN + label_w + width + 4, y, value, REGULAR, 6.5))
    return ops


def _day_columns(pairs: Pairs, left: float, top: float, height: float) -> list[Op]:
    """Columns per day (or month) with a value axis of round numbers and every few labels."""
    ops: list[Op] = []
    values = [max(_amount(v), 0.0) for _label, v in pairs.lines]
    ticks = _ticks(max([*values, 0.0]))
    axis_x, base_y = left + 34, top - height + 16
    plot_w, plot_h = RIGHT - axis_x, height - 30
    ops.append(Rule(axis_x, base_y, RIGHT, base_y, RULE))
    for tick in ticks:
        y = base_y + plot_h * tick / ticks[-1]
        ops.append(Text(axis_x - 4, y - 2, _round_text(tick), REGULAR, 6, "right", GREY))
        if tick:
            ops.append(Rule(axis_x, y, RIGHT, y, BAND, 0.4))
    count = max(len(values), 1)
    step = plot_w / count
    every = max(1, math.ceil(count / 8))
    for i, ((label, _value), amount) in enumerate(zip(pairs.lines, values, strict=True)):
        x = axis_x + i * step
        bar = plot_h * amount / ticks[-1]
        if bar > 0:
            ops.append(Box(x + step * 0.15, base_y, max(step * 0.7, 0.5), bar, BAR))
        if i % every == 0:
            ops.append(Text(x + step / 2, base_y - 9, label, REGULAR, 6, "centre", GREY))
    return ops


def _ticks(peak: float) -> list[float]:
    """0 and round steps up to at least the peak (1, 2 or 5 × a power of ten)."""
    if peak <= 0:
        return [0.0, 1.0]
    raw = peak / 4
    power = 10 ** math.floor(math.log10(raw))
    step = next(m * power for m in (1, 2, 5, 10) if m * power >= raw)
    return [step * i for i in range(math.ceil(peak / step) + 1)]


def _round_text(value: float) -> str:
    return f"{value:,.0f}".replace(",", "\u00a0")


def _tariffs(flow: _Flow, table: Table) -> None:
    _heading(flow, table.title, 10.5 * 2)
    xs = (MARGIN, MARGIN + 250, MARGIN + 345, MARGIN + 365)
    for cells, font in ((table.columns, BOLD), *((row, REGULAR) for row in table.rows)):
        flow.room(10.5)
        size = _fitting(cells[0], font, 7.5, xs[1] - 60 - MARGIN)
        flow.add(Text(xs[0], flow.y, cells[0], font, size),
                 Text(xs[1], flow.y, cells[1], font, 7.5, "right"),
                 Text(xs[2], flow.y, cells[2], font, 7.5, "right"),
                 Text(xs[3], flow.y, cells[3], font, _fitting(cells[3], font, 7.5,
                                                               RIGHT - xs[3])))
        flow.y -= 10.5
    for note in table.notes:
        for part in _wrap(note, REGULAR, 6.5, WIDTH):
            flow.room(8)
            flow.add(Text(MARGIN, flow.y - 1, part, REGULAR, 6.5, colour=GREY))
            flow.y -= 8
    flow.y -= 8


def _fitting(text: str, font: str, size: float, room: float) -> float:
    width = stringWidth(text, font, size)
    return size if width <= room else size * room / width


# --- the rows --------------------------------------------------------------------------------

def _row_pages(report: Detalization, text: DocumentText, first_number: int, pages: int
               ) -> Iterator[Page]:
    rows = iter(report.rows)  # read as they come, a page at a time: never all at once
    total = report.shown_count
    number = first_number
    # What every page of rows shows alike is made once, as the same objects (the writer then
    # knows them again without comparing them: printing/pdf_document.py).
    head = _row_head(report, text)
    foot = _footer_shared(text, pages)
    bands: dict[int, list[Op]] = {}

    def frame(number: int) -> Page:
        return [head, foot, _page_number(number, pages)]

    for first in range(0, max(total, 1), ROWS_PER_PAGE):
        number += 1
        chunk = list(islice(rows, ROWS_PER_PAGE))
        if len(chunk) != min(ROWS_PER_PAGE, total - first):
            raise RuntimeError(f"the rows changed while read: {first + len(chunk)} of {total}")
        page = frame(number)
        page.extend(bands.get(len(chunk)) or bands.setdefault(len(chunk), _bands(len(chunk))))
        page.append(Rows(TOP, [row_texts(row) for row in chunk], REGULAR, SIZE, LEADING, X,
                         RIGHT, ((2, COUNTERPART_ROOM),), _tint, fresh=0))
        y = TOP - len(chunk) * LEADING
        if not total:
            page.append(Text(MARGIN, TOP, NO_ROWS, REGULAR, 8.5))
        if first + ROWS_PER_PAGE >= total:
            if not _closing_fits(len(chunk)):
                yield page
                number += 1
                page = frame(number)
                y = TOP + LEADING
            page.append(Text(MARGIN, y - LEADING * 1.2, text.closing, BOLD, 8))
            if next(rows, None) is not None:  # the pages were counted for `total` rows
                raise RuntimeError(f"the rows changed while read: more than {total}")
        yield page


def _tint(amount: str) -> tuple[float, float, float] | None:
    """The amount's colour, from what it says (`amount_text`): grey what a package paid,
    green a credit ("+…"; a charge is never written with a plus)."""
    if amount == COVERED_TEXT:
        return COVERED_RGB
    return CREDIT_RGB if amount.startswith("+") else None


def _bands(count: int) -> list[Op]:
    """Light bands under every other row: one form for every full page."""
    bands = tuple(Box(MARGIN - 2, TOP - i * LEADING - 2.4, WIDTH + 4, LEADING, BAND)
                  for i in range(1, count, 2))
    return [Shared(bands)] if bands else []


def _row_head(report: Detalization, text: DocumentText) -> Shared:
    """The header of every page of rows: drawn once (a form)."""
    top = PAGE_H - MARGIN
    right = f"{report.period.text()} · {text.document_id}"
    left = f"{text.rows_title} · {shown(report.subscriber_name)}"
    room = WIDTH - stringWidth(right, REGULAR, 7.5) - 16
    head: list[Text | Rule] = [
        Text(MARGIN, top - 8, left, BOLD, _fitting(left, BOLD, 9, room)),
        Text(RIGHT, top - 8, right, REGULAR, 7.5, "right")]
    head.extend(Text(x, TITLES_Y + LEADING, title, BOLD, SIZE)
                for x, title in zip(X, text.row_titles[:4], strict=True))
    head.append(Text(RIGHT, TITLES_Y + LEADING, text.row_titles[4], BOLD, SIZE, "right"))
    head.append(Rule(MARGIN, TITLES_Y + LEADING - 3, RIGHT, TITLES_Y + LEADING - 3, RULE))
    return Shared(tuple(head))


def _footer(text: DocumentText, number: int, pages: int) -> list[Op]:
    return [_footer_shared(text, pages), _page_number(number, pages)]


def _footer_shared(text: DocumentText, pages: int) -> Shared:
    # The footer's text is shared by every page; the room it is fitted in is the same on all
    # (the page number's width is the widest one's, "Страница M из M"). Only the page number
    # is the page's.
    room = WIDTH - stringWidth(f"Страница {pages} из {pages}", REGULAR, 6.5) - 16
    return Shared((Text(MARGIN, MARGIN + 4, text.footer, REGULAR,
                        _fitting(text.footer, REGULAR, 6.5, room), colour=GREY),))


def _page_number(number: int, pages: int) -> Text:
    return Text(RIGHT, MARGIN + 4, f"Страница {number} из {pages}", REGULAR, 6.5, "right", GREY)
