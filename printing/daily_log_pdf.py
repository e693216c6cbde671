"""The daily log as a PDF for print: A4 landscape, DejaVu Sans (Cyrillic), drawn on the canvas.

A day can hold ten thousand entries, so there is no platypus Table: the rows are wrapped and
paginated first (which gives the page count for "Страница N из M"), then drawn as plain canvas
operations (printing/pdf_document.py, which hashes the text layer first), the table header
repeated on every page. The first page carries the file's QR code, id and SHA-256. Cell text is
escaped (printing.text), so a line break typed into a reason shows as \\n inside its own row
and cannot pose as an entry.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Literal

from reportlab.lib.colors import Color, HexColor
from reportlab.lib.pagesizes import A4, landscape
from reportlab.pdfbase.pdfmetrics import stringWidth

from models.audit import AuditResult, JournalEntry
from models.daily_log import DailyLog, PickupTally, Progress, Tally
from printing.daily_log import (
    PROGRESS_EVERY,
    Labels,
    action_label,
    clerk_label,
    date_text,
    generated_text,
    offset_text,
    pickup_columns,
)
from printing.fonts import BOLD, REGULAR, register_cyrillic_fonts
from printing.pdf_document import Box, HashText, Op, Qr, Rule, Shared, Text, write_pdf
from printing.text import visible

PAGE_W, PAGE_H = landscape(A4)
MARGIN = 28.0
SIZE, LEADING, PAD = 7.5, 9.0, 2.0
HEADER_H, FOOTER_H = 44.0, 18.0
BODY_TOP, BODY_BOTTOM = PAGE_H - MARGIN - HEADER_H, MARGIN + FOOTER_H
MAX_LINES = int((BODY_TOP - BODY_BOTTOM - 3 * LEADING) // LEADING) - 2
HASH_SHOWN = 12  # leading hex digits of each entry's hash in the table
QR_SIZE = 56.0
# №, time, clerk, counter, subscriber, action, result, detail / reason, hash: 786 pt in all
ENTRY_WIDTHS = (36.0, 42.0, 64.0, 44.0, 68.0, 116.0, 52.0, 294.0, 70.0)
GRID = HexColor("#B0B7C3")
HEAD_FILL = HexColor("#DDE4EE")
FILLS: dict[str, Color] = {  # keyed by AuditResult, a str
    AuditResult.REFUSED: HexColor("#FFF3C4"), AuditResult.FAILED: HexColor("#FFD9DD")}


@dataclass(frozen=True)
class Column:
    title: str
    width: float
    right: bool = False


@dataclass
class Row:
    cells: list[Sequence[str]]  # wrapped lines per cell
    fill: Color | None = None
    bold: bool = False
    repeats: bool = False  # a table's header row, drawn again on each page it continues on

    @property
    def height(self) -> float:
        return max(len(lines) for lines in self.cells) * LEADING + 2 * PAD


Table = tuple[list[Column], Iterable[Row]]
# What goes on the pages, in order: each kind with what it carries.
Block = (tuple[Literal["head"], tuple[str, ...]] | tuple[Literal["text", "heading"], str]
         | tuple[Literal["table"], Table])
# What a page holds, (kind, top y, what): the head, a line of text, or one row of a table.
Item = (tuple[Literal["head"], float, tuple[str, ...]]
        | tuple[Literal["text", "heading"], float, str]
        | tuple[Literal["row"], float, tuple[list[Column], Row]])


@dataclass
class Page:
    items: list[Item] = field(default_factory=list)


def write(log: DailyLog, path: Path, words: Labels, progress: Progress | None) -> str:
    register_cyrillic_fonts()
    total = len(log.entries)
    # Layout is about half the work and drawing the other half; progress counts entry rows.
    laid_out = None if progress is None else lambda done: progress(done // 2, total)
    pages = _paginate(_blocks(log, words), laid_out)

    def every_page() -> Iterator[list[Op]]:
        for number, page in enumerate(pages, 1):
            ops = _page_frame(log, words, number, len(pages))
            for item in page.items:
                ops.extend(_draw(item))
            yield ops

    def drawn(number: int) -> None:
        if progress is not None and number % 10 == 0:
            progress(total // 2 + total * number // (2 * len(pages)), total)

    sha = write_pdf(path, document_id=log.document_id, page_size=(PAGE_W, PAGE_H),
                    title=words.title.format(day=date_text(log)),
                    author=visible(f"{log.salon_name} ({log.salon_id})"),
                    subject=words.document.format(id=log.document_id), pages=every_page,
                    progress=drawn)
    if progress is not None:
        progress(total, total)
    return sha


# --- what goes on the pages, in order -------------------------------------------------------

def _blocks(log: DailyLog, words: Labels) -> Iterator[Block]:
    totals = log.totals
    yield "head", (
        f"{words.entries_count}: {totals.total}    {words.done}: {totals.done}    "
        f"{words.refused}: {totals.refused}    {words.failed}: {totals.failed}",
        f"{words.last_hash}: {_last_hash(log, words)}",
        f"{words.document.format(id=log.document_id)} · {words.verify}",
    )
    entry_columns = _entry_columns(words)
    if log.entries:
        yield "table", (entry_columns, (_entry_row(log, words, e) for e in log.entries))
    else:
        yield "text", words.no_entries
    yield "heading", words.by_clerk
    yield "table", _tally_table(words, log.by_clerk, clerks=True, grand=totals)
    yield "heading", words.by_action
    yield "table", _tally_table(words, log.by_action, clerks=False, grand=totals)
    if log.identity_by_clerk:
        yield "heading", words.identity_by_clerk
        yield "table", _tally_table(words, log.identity_by_clerk, clerks=True,
                                    grand=tally(log.identity_by_clerk))
    if log.pickup_by_clerk:
        yield "heading", words.pickup_by_clerk
        yield "table", _pickup_table(words, log.pickup_by_clerk)
    yield "heading", words.problems
    if log.problems:
        yield "table", (entry_columns, (_entry_row(log, words, e) for e in log.problems))
    else:
        yield "text", "—"
    yield "heading", words.last_hash
    yield "text", _last_hash(log, words)


def _last_hash(log: DailyLog, words: Labels) -> str:
    if log.last_hash is None:
        return words.last_hash_none
    return f"{log.last_hash} ({words.seq} {log.last_seq})"


def _entry_columns(words: Labels) -> list[Column]:
    titles = (words.seq, words.time, words.clerk, words.counter, words.subscriber,
              words.action, words.result, f"{words.detail} / {words.reason}", words.hash)
    return [Column(title, width, right=title == words.seq)
            for title, width in zip(titles, ENTRY_WIDTHS, strict=True)]


def _entry_row(log: DailyLog, words: Labels, entry: JournalEntry) -> Row:
    widths = ENTRY_WIDTHS
    notes = list(_wrap(visible(entry.detail), widths[7])) if entry.detail else []
    if entry.reason:
        notes += _wrap(f"{words.reason}: {visible(entry.reason)}", widths[7])
    cells = [
        [str(entry.seq)],
        [log.local_time(entry.at).strftime("%H:%M:%S")],
        _wrap(visible(clerk_label(words, entry.clerk)), widths[2]),
        _wrap(visible(entry.counter), widths[3]),
        [entry.subscriber],
        _wrap(action_label(words, entry.action), widths[5]),
        _wrap(words.results.get(entry.result, visible(entry.result)), widths[6]),
        _cap(notes) or [""],
        [entry.hash[:HASH_SHOWN] + "…"],
    ]
    return Row(cells, FILLS.get(entry.result))


def tally(rows: Sequence[Tally]) -> Tally:
    """The sum of a table's rows (its last, bold row)."""
    return Tally("", sum(t.done for t in rows), sum(t.refused for t in rows),
                 sum(t.failed for t in rows))


def _tally_table(words: Labels, rows: Sequence[Tally], *, clerks: bool,
                 grand: Tally) -> Table:
    numbers = [Column(words.total, 70, True), Column(words.done, 80, True),
               Column(words.refused, 80, True), Column(words.failed, 70, True)]
    first = Column(words.clerk if clerks else words.action, 250)
    columns = [first, *([] if clerks else [Column(words.action_code, 150)]), *numbers]

    def row(name: str, code: str | None, tally: Tally, bold: bool = False) -> Row:
        cells: list[Sequence[str]] = [_wrap(visible(name), first.width)]
        if code is not None:
            cells.append(_wrap(visible(code), 150))
        cells += [[str(n)] for n in (tally.total, tally.done, tally.refused, tally.failed)]
        return Row(cells, bold=bold)

    body = [row(clerk_label(words, t.key), None, t) if clerks
            else row(action_label(words, t.key), t.key, t) for t in rows]
    body.append(row(words.total, None if clerks else "", grand, bold=True))
    return columns, body


def _pickup_table(words: Labels, rows: Sequence[PickupTally]) -> Table:
    """R11: each clerk's orders for pick-up printed, handed over, destroyed."""
    first = Column(words.clerk, 250)
    columns = [first, *(Column(title, 100, True) for title in pickup_columns(words))]
    body = [Row([_wrap(visible(clerk_label(words, t.clerk)), first.width),
                 *([str(n)] for n in (t.printed, t.handed_over, t.destroyed))]) for t in rows]
    return columns, body


# --- layout ---------------------------------------------------------------------------------

def _paginate(blocks: Iterable[Block],
              entry_rows_laid: Callable[[int], None] | None) -> list[Page]:
    """Place every block top to bottom; a table's header row repeats on each new page."""
    pages = [Page()]
    y = BODY_TOP
    laid = 0

    def new_page() -> float:
        pages.append(Page())
        return BODY_TOP

    for block in blocks:
        if block[0] == "head":  # the first page's facts beside the QR code
            pages[-1].items.append(("head", y, block[1]))
            y -= QR_SIZE + LEADING
        elif block[0] != "table":
            kind = block[0]
            # A heading keeps with its table's header and first row.
            need = LEADING * (6 if kind == "heading" else 1.3)
            if y - need < BODY_BOTTOM:
                y = new_page()
            if kind == "heading":
                y -= LEADING
            pages[-1].items.append((kind, y, block[1]))
            y -= LEADING * (1.6 if kind == "heading" else 1.3)
        else:
            columns, rows = block[1]
            head = Row([_wrap(c.title, c.width, BOLD) for c in columns], HEAD_FILL, bold=True,
                       repeats=True)
            if y - head.height - LEADING * 2 < BODY_BOTTOM:
                y = new_page()
            pages[-1].items.append(("row", y, (columns, head)))
            y -= head.height
            for row in rows:
                if y - row.height < BODY_BOTTOM:
                    y = new_page()
                    pages[-1].items.append(("row", y, (columns, head)))
                    y -= head.height
                pages[-1].items.append(("row", y, (columns, row)))
                y -= row.height
                laid += 1
                if entry_rows_laid is not None and laid % PROGRESS_EVERY == 0:
                    entry_rows_laid(laid)
            y -= LEADING * 0.5
            entry_rows_laid = None  # the first table is the entries; the rest are quick
    return pages


@lru_cache(maxsize=8192)
def _wrap(text: str, width: float, font: str = REGULAR) -> tuple[str, ...]:
    """Lines of at most `width` points (less padding): by words, a too-long word by letters."""
    room = width - 2 * PAD
    if stringWidth(text, font, SIZE) <= room:
        return (text,)
    lines: list[str] = []
    current = ""
    for word in text.split(" "):
        candidate = f"{current} {word}" if current else word
        if stringWidth(candidate, font, SIZE) <= room:
            current = candidate
            continue
        if current:
            lines.append(current)
        while stringWidth(word, font, SIZE) > room:
            cut = _fit(word, room, font)
            lines.append(word[:cut])
            word = word[cut:]
        current = word
    lines.append(current)
    return tuple(_cap(lines))


def _fit(word: str, room: float, font: str) -> int:
    """The longest prefix of `word` that fits (at least one letter)."""
    low, high = 1, len(word)
    while low < high:
        middle = (low + high + 1) // 2
        if stringWidth(word[:middle], font, SIZE) <= room:
            low = middle
        else:
            high = middle - 1
    return low


def _cap(lines: list[str]) -> list[str]:
    """A row never outgrows a page: a very long note is cut (the CSV and XLSX keep it all)."""
    if len(lines) <= MAX_LINES:
        return lines
    return [*lines[: MAX_LINES - 1], lines[MAX_LINES - 1][:-1] + "…"]


# --- drawing ---------------------------------------------------------------------------------

def _page_frame(log: DailyLog, words: Labels, number: int, pages: int) -> list[Op]:
    """The page's header and footer: the same on every page (one form, printing.pdf_document's
    `Shared`) but for the page number."""
    top = PAGE_H - MARGIN
    return [
        Shared((
            Text(MARGIN, top - 12, words.title.format(day=date_text(log)), BOLD, 12),
            Text(PAGE_W - MARGIN, top - 12, visible(f"{log.salon_name} ({log.salon_id})"),
                 REGULAR, 9, "right"),
            Text(MARGIN, top - 26, f"{words.timezone}: {offset_text(log)}    "
                 f"{words.generated}: {generated_text(log)}", REGULAR, 8),
            Rule(MARGIN, top - 33, PAGE_W - MARGIN, top - 33, GRID, 0.6),
            Text(MARGIN, MARGIN + 4, f"{visible(log.salon_id)} · {date_text(log)}", REGULAR,
                 8),
        )),
        Text(PAGE_W - MARGIN, MARGIN + 4, words.page.format(page=number, pages=pages),
             REGULAR, 8, "right"),
    ]


def _draw(item: Item) -> list[Op]:
    if item[0] == "head":
        return _draw_head(item[1], item[2])
    if item[0] == "row":
        return _draw_row(item[1], item[2])
    if item[0] == "heading":
        return _draw_heading(item[1], item[2])
    return _draw_text(item[1], item[2])


def _draw_head(top: float, lines: tuple[str, ...]) -> list[Op]:
    """The day's totals, the journal's last hash, the file's id and hash beside its QR."""
    ops: list[Op] = [Qr(PAGE_W - MARGIN - QR_SIZE, top - QR_SIZE, QR_SIZE)]
    y = top - LEADING + 1
    for line in lines:
        ops.append(Text(MARGIN, y, line, REGULAR, 8.5))
        y -= LEADING * 1.3
    ops.append(HashText(MARGIN, y, "SHA-256: ", REGULAR, 8.5))
    return ops


def _draw_text(top: float, text: str) -> list[Op]:
    return [Text(MARGIN, top - LEADING + 1, text, REGULAR, 8.5)]


def _draw_heading(top: float, text: str) -> list[Op]:
    return [Text(MARGIN, top - LEADING, text, BOLD, 10.5)]


def _draw_row(top: float, what: tuple[list[Column], Row]) -> list[Op]:
    columns, row = what
    height = row.height
    width = sum(c.width for c in columns)
    ops: list[Op] = []
    if row.fill is not None:
        ops.append(Box(MARGIN, top - height, width, height, row.fill))
    font = BOLD if row.bold else REGULAR
    x = MARGIN
    for column, lines in zip(columns, row.cells, strict=True):
        y = top - PAD - SIZE
        for line in lines:
            if not line:
                pass
            elif column.right:
                ops.append(Text(x + column.width - PAD, y, line, font, SIZE, "right"))
            else:
                ops.append(Text(x + PAD, y, line, font, SIZE))
            y -= LEADING
        x += column.width
    ops.append(Rule(MARGIN, top - height, MARGIN + width, top - height, GRID, 0.3))
    if row.repeats:  # at the top of every page it continues on: one form for them all
        return [Shared(tuple(op for op in ops if isinstance(op, Text | Box | Rule)))]
    return ops

