"""The detalization as a PDF for print: A4, DejaVu Sans (Cyrillic), drawn on the canvas.

A heavy month is 100,000 rows, so there is no platypus table: the layout is fixed (every row
one line, a fixed number of rows a page), which gives the page count for "Страница N из M"
before anything is drawn, and each page's rows go into one text object. Page 1 is the summary:
header, the state of the main balance, additional balances and packages, the charts (by
category, by day or month), the tariff comparison and the QR code with the document's id and
hash (also in the PDF's /Keywords, so verification needs no image decoding). The rows follow.

Reading back (printing/detalization_read.py) relies on the layout: cells of a line are apart by
more than COLUMN_GAP points, words within a cell by one space; summary lines are label + value.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from decimal import Decimal
from pathlib import Path
from zoneinfo import ZoneInfo

from reportlab.graphics import renderPDF
from reportlab.graphics.barcode.qr import QrCodeWidget
from reportlab.graphics.charts.barcharts import HorizontalBarChart, VerticalBarChart
from reportlab.graphics.shapes import Drawing, String
from reportlab.lib.colors import HexColor
from reportlab.lib.pagesizes import A4
from reportlab.lib.utils import simpleSplit
from reportlab.pdfgen.canvas import Canvas

from models.detalization import (
    ROW_TITLES,
    Category,
    Detalization,
    DetalizationRow,
    money_text,
    qr_payload,
    row_texts,
    summary_lines,
)
from models.domain import UsageKind
from printing.detalization import (
    CHART_CATEGORIES,
    CHART_DAYS,
    CHART_MONTHS,
    EXTRA_TITLE,
    NO_ROWS,
    ROWS_TITLE,
    SUMMARY_TITLE,
    TARIFF_TITLES,
    TARIFFS_NOTE,
    TARIFFS_TITLE,
    TITLE,
    Progress,
    by_month,
    category_lines,
    extra_lines,
    header_lines,
    notes,
    tariff_line,
)
from printing.fonts import BOLD, REGULAR, register_cyrillic_fonts
from printing.pdf_rows import RowWriter

PAGE_W, PAGE_H = A4
MARGIN = 28.0
RIGHT = PAGE_W - MARGIN
SIZE, LEADING = 7.5, 9.4
COLUMN_GAP = 4.0  # the reader splits cells at gaps wider than this
TOP = PAGE_H - MARGIN - 30  # first baseline of the rows, under the page header
TITLES_Y = TOP + 2
BOTTOM = MARGIN + 20  # the footer lives below
ROWS_PER_PAGE = int((TITLES_Y - LEADING - BOTTOM) // LEADING)
# x of each row cell: time, type, counterpart, quantity (left-aligned); the amount is
# right-aligned at RIGHT.
X = (MARGIN, MARGIN + 86, MARGIN + 146, MARGIN + 366)
COUNTERPART_ROOM = X[3] - X[2] - 2 * COLUMN_GAP
BLACK = HexColor("#000000")
GREY = HexColor("#6B7280")
RULE = HexColor("#B0B7C3")
BAND = HexColor("#EEF2F7")
BAR = HexColor("#3B6EA5")
COVERED_RGB = (0.42, 0.45, 0.5)
CREDIT_RGB = (0.08, 0.5, 0.24)
CHART_NAMES = {Category.CALLS: "Звонки", Category.SMS: "SMS", Category.DATA: "Интернет",
               Category.FEES: "Услуги", Category.OTHER: "Прочее"}


def page_count(report: Detalization) -> int:
    """Pages in all, known before drawing: the summary, then ROWS_PER_PAGE rows a page, and
    the closing line (on a page of its own if the last rows leave no room)."""
    if not report.options.itemized:
        return 1
    rows = len(report.rows)
    pages = max(1, math.ceil(rows / ROWS_PER_PAGE))
    if not _closing_fits(rows - (pages - 1) * ROWS_PER_PAGE):
        pages += 1
    return 1 + pages


def _closing_fits(rows_on_last_page: int) -> bool:
    return TOP - rows_on_last_page * LEADING - LEADING * 1.5 >= BOTTOM


def write(report: Detalization, path: Path, progress: Progress | None) -> None:
    register_cyrillic_fonts()
    canvas = _canvas(report, path)
    pages = page_count(report)
    _first_page(canvas, report, pages)
    canvas.showPage()
    if report.options.itemized:
        _row_pages(canvas, report, pages, progress)
    canvas.save()
    if progress is not None:
        progress(len(report.rows), len(report.rows))


def write_first_page(report: Detalization, path: Path) -> None:
    """Only the summary page (the preview of a document in another format)."""
    register_cyrillic_fonts()
    canvas = _canvas(report, path)
    _first_page(canvas, report, page_count(report))
    canvas.showPage()
    canvas.save()


def _canvas(report: Detalization, path: Path) -> Canvas:
    canvas = Canvas(str(path), pagesize=A4, pageCompression=1)
    canvas.setTitle(f"{TITLE} {report.document_id}")
    canvas.setAuthor(f"{report.salon_name} ({report.salon_id})")
    canvas.setSubject(f"{TITLE}, {report.period.text()}")
    canvas.setCreator("Salon console")
    canvas.setKeywords(f"document-id={report.document_id} sha256={report.sha256} "
                       f"{qr_payload(report.document_id, report.sha256)}")
    return canvas


# --- page 1: the summary ---------------------------------------------------------------------

def _first_page(canvas: Canvas, report: Detalization, pages: int) -> None:
    y = PAGE_H - MARGIN - 16
    canvas.setFillColor(BLACK)
    canvas.setFont(BOLD, 16)
    canvas.drawString(MARGIN, y, TITLE)
    canvas.setFont(REGULAR, 8.5)
    y -= 16
    for line in header_lines(report):
        canvas.drawString(MARGIN, y, line)
        y -= 11
    for line in notes(report):
        canvas.setFillColor(GREY)
        canvas.drawString(MARGIN, y, line)
        y -= 11
    canvas.setFillColor(BLACK)
    _qr(canvas, report, RIGHT - 92, PAGE_H - MARGIN - 96, 92)
    y = min(y, PAGE_H - MARGIN - 112) - 6
    y = _heading(canvas, y, SUMMARY_TITLE)
    value_x = MARGIN + 330
    bold = {"Входящий остаток", "Итого списано", "Пополнения", "Исходящий остаток"}
    for label, value in summary_lines(report):
        if label == "Бонусный баланс":
            when = report.balances_at.astimezone(ZoneInfo(report.timezone))
            y = _heading(canvas, y - 4, f"{EXTRA_TITLE} (на {when:%d.%m.%Y %H:%M})")
        canvas.setFont(BOLD if label in bold else REGULAR, 8.5)
        canvas.drawString(MARGIN + (12 if label.startswith("в т. ч.") else 0), y, label)
        canvas.drawRightString(value_x, y, value)
        y -= 11.5
    for label, value in extra_lines(report)[2:]:
        canvas.setFont(REGULAR, 8.5)
        canvas.drawString(MARGIN, y, label)
        canvas.drawRightString(value_x, y, value)
        y -= 11.5
    y -= 6
    y = _charts(canvas, report, y)
    _tariffs(canvas, report, y)
    _footer(canvas, report, 1, pages)


def _heading(canvas: Canvas, y: float, text: str) -> float:
    canvas.setFillColor(BLACK)
    canvas.setFont(BOLD, 10.5)
    canvas.drawString(MARGIN, y, text)
    canvas.setStrokeColor(RULE)
    canvas.setLineWidth(0.5)
    canvas.line(MARGIN, y - 3, RIGHT, y - 3)
    return y - 15


def _qr(canvas: Canvas, report: Detalization, x: float, y: float, size: float) -> None:
    widget = QrCodeWidget(qr_payload(report.document_id, report.sha256), barLevel="M")
    x0, y0, x1, y1 = widget.getBounds()
    drawing = Drawing(size, size, transform=[size / (x1 - x0), 0, 0, size / (y1 - y0), 0, 0])
    drawing.add(widget)
    renderPDF.draw(drawing, canvas, x, y)
    canvas.setFont(REGULAR, 6)
    canvas.setFillColor(GREY)
    canvas.drawCentredString(x + size / 2, y - 6, "QR: номер документа и хеш SHA-256")
    canvas.setFillColor(BLACK)


def _charts(canvas: Canvas, report: Detalization, y: float) -> float:
    height = 128.0
    y = _heading(canvas, y, CHART_CATEGORIES + ", ₽")
    top = y + 6
    left = Drawing(200, height)
    cats = category_lines(report)
    chart = HorizontalBarChart()
    chart.x, chart.y, chart.width, chart.height = 52, 14, 138, height - 22
    chart.data = [[float(amount) for _label, amount in reversed(cats)]]
    chart.categoryAxis.categoryNames = [CHART_NAMES[c] for c in reversed(Category)]
    _style(chart, horizontal=True)
    left.add(chart)
    renderPDF.draw(left, canvas, MARGIN, top - height)
    series, day_title = _series(report)
    right = Drawing(RIGHT - MARGIN - 215, height)
    bars = VerticalBarChart()
    bars.x, bars.y = 30, 16
    bars.width, bars.height = right.width - 36, height - 24
    bars.data = [[float(v) for _k, v in series] or [0.0]]
    step = max(1, math.ceil(len(series) / 8))
    bars.categoryAxis.categoryNames = [k if i % step == 0 else "" for i, (k, _v) in
                                       enumerate(series)] or [""]
    _style(bars, horizontal=False)
    right.add(bars)
    right.add(String(30, height - 6, day_title, fontName=REGULAR, fontSize=6.5, fillColor=GREY))
    renderPDF.draw(right, canvas, MARGIN + 215, top - height)
    return top - height - 14


def _series(report: Detalization) -> tuple[list[tuple[str, Decimal]], str]:
    if len(report.by_day) <= 62:
        return [(f"{d:%d.%m}", v) for d, v in report.by_day], f"{CHART_DAYS}, ₽"
    return by_month(report), f"{CHART_MONTHS}, ₽"


def _style(chart: HorizontalBarChart | VerticalBarChart, horizontal: bool) -> None:
    chart.bars[0].fillColor = BAR
    chart.bars[0].strokeColor = None
    chart.barSpacing = 1
    chart.groupSpacing = 2 if horizontal else 0.6
    for axis in (chart.categoryAxis, chart.valueAxis):
        axis.labels.fontName = REGULAR
        axis.labels.fontSize = 6
        axis.strokeColor = RULE
    chart.valueAxis.valueMin = 0
    chart.valueAxis.labelTextFormat = _thousands
    chart.valueAxis.maximumTicks = 5
    if horizontal:
        chart.categoryAxis.labels.boxAnchor = "e"
        chart.categoryAxis.labels.dx = -3
    else:
        chart.categoryAxis.labels.boxAnchor = "n"
        chart.categoryAxis.labels.dy = -2


def _thousands(value: float) -> str:
    return f"{value:,.0f}".replace(",", " ")


def _tariffs(canvas: Canvas, report: Detalization, y: float) -> None:
    if not report.tariffs:
        return
    y = _heading(canvas, y, TARIFFS_TITLE)
    xs = (MARGIN, MARGIN + 250, MARGIN + 345, MARGIN + 370)
    canvas.setFont(BOLD, 7.5)
    _tariff_row(canvas, y, xs, TARIFF_TITLES)
    y -= 10.5
    canvas.setFont(REGULAR, 7.5)
    for estimate in report.tariffs:
        _tariff_row(canvas, y, xs, tariff_line(estimate, report.actual_total))
        y -= 10.5
    canvas.setFont(REGULAR, 6.5)
    canvas.setFillColor(GREY)
    for line in simpleSplit(TARIFFS_NOTE, REGULAR, 6.5, RIGHT - MARGIN):
        canvas.drawString(MARGIN, y - 1, line)
        y -= 8
    canvas.setFillColor(BLACK)


def _tariff_row(canvas: Canvas, y: float, xs: Sequence[float], cells: Sequence[str]) -> None:
    canvas.drawString(xs[0], y, cells[0])
    canvas.drawRightString(xs[1], y, cells[1])
    canvas.drawRightString(xs[2], y, cells[2])
    canvas.drawString(xs[3], y, cells[3])


# --- the rows ----------------------------------------------------------------------------------

def _row_pages(canvas: Canvas, report: Detalization, pages: int,
               progress: Progress | None) -> None:
    rows = report.rows
    total = len(rows)
    writer = RowWriter(canvas, REGULAR, SIZE, LEADING, X, RIGHT, fit={2: COUNTERPART_ROOM})
    number = 2
    for first in range(0, max(total, 1), ROWS_PER_PAGE):
        _row_page_frame(canvas, report, number, pages)
        chunk = rows[first:first + ROWS_PER_PAGE]
        _bands(canvas, len(chunk))
        writer.draw(TOP, [row_texts(row) for row in chunk], [_colour(row) for row in chunk])
        y = TOP - len(chunk) * LEADING
        if not total:
            canvas.setFont(REGULAR, 8.5)
            canvas.drawString(MARGIN, TOP, NO_ROWS)
        if first + ROWS_PER_PAGE >= total:
            if not _closing_fits(len(chunk)):
                canvas.showPage()
                number += 1
                _row_page_frame(canvas, report, number, pages)
                y = TOP + LEADING
            _closing_line(canvas, report, y - LEADING * 1.2)
        canvas.showPage()
        number += 1
        if progress is not None:
            progress(min(first + ROWS_PER_PAGE, total), total)


def _colour(row: DetalizationRow) -> tuple[float, float, float] | None:
    if row.covered is not None:
        return COVERED_RGB
    return CREDIT_RGB if row.kind is UsageKind.TOPUP else None


def _bands(canvas: Canvas, count: int) -> None:
    """Light bands under every other row, as one path."""
    path = canvas.beginPath()
    for i in range(1, count, 2):
        path.rect(MARGIN - 2, TOP - i * LEADING - 2.4, RIGHT - MARGIN + 4, LEADING)
    canvas.setFillColor(BAND)
    canvas.drawPath(path, stroke=0, fill=1)
    canvas.setFillColor(BLACK)


def _row_page_frame(canvas: Canvas, report: Detalization, number: int, pages: int) -> None:
    top = PAGE_H - MARGIN
    canvas.setFillColor(BLACK)
    canvas.setFont(BOLD, 9)
    canvas.drawString(MARGIN, top - 8, f"{ROWS_TITLE} · {report.subscriber_name}")
    canvas.setFont(REGULAR, 7.5)
    canvas.drawRightString(RIGHT, top - 8, f"{report.period.text()} · {report.document_id}")
    canvas.setFont(BOLD, SIZE)
    for x, title in zip(X, ROW_TITLES[:4], strict=True):
        canvas.drawString(x, TITLES_Y + LEADING, title)
    canvas.drawRightString(RIGHT, TITLES_Y + LEADING, ROW_TITLES[4])
    canvas.setStrokeColor(RULE)
    canvas.setLineWidth(0.5)
    canvas.line(MARGIN, TITLES_Y + LEADING - 3, RIGHT, TITLES_Y + LEADING - 3)
    _footer(canvas, report, number, pages)


def _closing_line(canvas: Canvas, report: Detalization, y: float) -> None:
    canvas.setFont(BOLD, 8)
    canvas.setFillColor(BLACK)
    canvas.drawString(MARGIN, y, (
        f"Конец детализации: записей {len(report.rows)}; списано "
        f"{money_text(report.total_charges)} ₽, зачислено {money_text(report.payments)} ₽. "
        "Сводка — на странице 1."))


def _footer(canvas: Canvas, report: Detalization, number: int, pages: int) -> None:
    canvas.setFont(REGULAR, 6.5)
    canvas.setFillColor(GREY)
    canvas.drawString(MARGIN, MARGIN + 4,
                      f"{report.operator_name} · {report.salon_name} · {report.document_id} · "
                      f"SHA-256 {report.sha256[:16]}…")
    canvas.drawRightString(RIGHT, MARGIN + 4, f"Страница {number} из {pages}")
    canvas.setFillColor(BLACK)
