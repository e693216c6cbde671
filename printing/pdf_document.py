"""A PDF the console can later check: laid out once as pages of drawing operations, drawn
twice — first onto a text recorder that hashes the text layer (printing/pdf_text.py), then onto
the canvas with the hash known: in the QR code (id and hash), the keywords, and wherever a
`HashText` shows it.

Every PDF the console makes (detalization, confirmation slip, leaflet, daily log) is written
this way, so `salon verify-document` checks each of them by the same rules. The layout must not
depend on the hash (the QR has a fixed size; a hash text ends its line), which is why the
recorder may draw with the placeholder.

What repeats is written once: a `Shared` group (a page's header and footer) becomes one Form
XObject that each page shows with `Do`; texts, boxes and rules are written as the operators
ReportLab's canvas would write, inside `q … Q`, with TrueType text shown through
printing.pdf_glyphs (ReportLab's per-string encoding and colour bookkeeping were most of a
daily log's drawing time).
"""

from __future__ import annotations

import math
import threading
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from itertools import groupby, pairwise
from operator import itemgetter
from pathlib import Path
from typing import Any, Generic, TypeVar

from reportlab.lib.colors import Color, HexColor
from reportlab.lib.rl_accel import fp_str
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.pdfgen.canvas import Canvas

from models.documents import qr_payload
from printing.digest import PLACEHOLDER, LineDigest, line_json
from printing.fonts import register_cyrillic_fonts
from printing.pdf_glyphs import GlyphCodes
from printing.pdf_text import (
    LINE_TOLERANCE,
    PAGE_MARK,
    Placed,
    TextRecorder,
    apart,
    page_lines,
    placed_lines,
)

BLACK = HexColor("#000000")
_UNSET: Any = object()
QR_QUIET_ZONE = 4  # modules of white around the code, as the QR standard asks
Rgb = tuple[float, float, float]
V = TypeVar("V")

# ReportLab subsets a TrueType font while saving by reading the font file through one shared
# position: two documents saved at once by two threads (counters' periodic e-mail) read each
# other's glyphs (an IndexError in makeSubset). Saving is short; one at a time.
_SAVING = threading.Lock()


@dataclass(frozen=True, slots=True)
class Text:
    x: float
    y: float  # baseline, from the page's bottom
    text: str
    font: str
    size: float
    align: str = "left"  # left, right (x is the right edge), centre
    colour: Color = BLACK


@dataclass(frozen=True, slots=True)
class Box:
    x: float
    y: float
    width: float
    height: float
    fill: Color


@dataclass(frozen=True, slots=True)
class Rule:
    x1: float
    y1: float
    x2: float
    y2: float
    colour: Color
    width: float = 0.5


@dataclass(frozen=True, slots=True)
class Qr:
    """The document's QR code: `SALON-DOC:<id>:<sha256>`."""

    x: float
    y: float
    size: float


@dataclass(frozen=True, slots=True)
class HashText:
    """`prefix` followed by the document's hash: the last text on its line."""

    x: float
    y: float
    prefix: str
    font: str
    size: float
    colour: Color = BLACK


@dataclass(frozen=True, slots=True)
class Rows:
    """A block of table rows drawn by printing.pdf_rows (the fast path for many rows):
    cells at `xs`, the last one right-aligned at `right`; the writer keeps cells apart."""

    top: float
    rows: Sequence[Sequence[str]]
    font: str
    size: float
    leading: float
    xs: tuple[float, ...]
    right: float
    fit: tuple[tuple[int, float], ...] = ()  # column → room: a longer text is set smaller
    tint: Callable[[str], Rgb | None] | None = None  # the last cell's text → its colour
    fresh: int | None = None  # a column new on every row (a time): made a page at a time


@dataclass(frozen=True, slots=True)
class Shared:
    """Drawing that many pages show unchanged (a page's header, footer, the bands under a full
    page of rows): written once per document as a Form XObject, which every page holding an
    equal `Shared` shows with one `Do` operator. Its texts are on each such page as if drawn
    there (readers and the text layer see no difference)."""

    ops: tuple[Text | Box | Rule, ...]


Op = Text | Box | Rule | Qr | HashText | Rows | Shared
Page = list[Op]


def write_pdf(path: Path, *, document_id: str, page_size: tuple[float, float], title: str,
              author: str, subject: str, pages: Callable[[], Iterator[Page]],
              progress: Callable[[int], None] | None = None) -> str:
    """Write the pages at `path`; return the hash of their text. `pages()` is called twice
    and must give the same pages each time; `progress(page number)` follows the second pass."""
    register_cyrillic_fonts()
    digest = LineDigest("pdf")
    recorder = TextRecorder(page_size[0], page_size[1])
    for page in pages():
        for op in page:
            _record(recorder, op)
        digest.add(PAGE_MARK)
        digest.extend(page_lines(recorder.pages[-1]))
        recorder.pages[-1] = []  # one page at a time: a heavy year has thousands
    sha = digest.hexdigest()
    canvas = Canvas(str(path), pagesize=page_size, pageCompression=1)
    canvas.setTitle(title)
    canvas.setAuthor(author)
    canvas.setSubject(subject)
    canvas.setCreator("Salon console")
    payload = qr_payload(document_id, sha)
    canvas.setKeywords(f"document-id={document_id} sha256={sha} {payload}")
    painter = _Painter(canvas, payload, sha)
    for number, page in enumerate(pages(), 1):
        for op in page:
            painter.draw(op)
        canvas.showPage()
        if progress is not None:
            progress(number)
    with _SAVING:
        canvas.save()
    return sha


def write_pdf_once(path: Path, *, document_id: str, page_size: tuple[float, float], title: str,
                   author: str, subject: str, pages: Iterator[Page],
                   progress: Callable[[int], None] | None = None) -> str:
    """Like `write_pdf`, in one pass over `pages` (each made once, then let go: a heavy
    period's rows are formatted once, for the hash and the page alike). Each page's text is
    hashed and the page drawn at once; what shows the hash (`Qr`, `HashText`) is drawn as a
    form XObject the page refers to now and that is defined once the last page is done and
    the hash known (ReportLab resolves forms when it saves; pdftotext reads a form's text
    where the page places it, so the text layer is the same).

    ReportLab's canvas keeps every finished page until it saves, as operator text (~25 KB a
    page of rows: 110 MB for a quarter's 4,500 pages); each page is compressed as soon as it
    is finished instead (`_compact_last_page`, ~3 KB), so memory stays nearly flat. Measured
    against writing the document in parts of 150 pages joined by pikepdf (qpdf): the quarter's
    `salon detalization` peaked at 194 MB that way and 168 MB this way (an 11,000-row report:
    147 MB), in the same time; the join itself holds every page's objects (~14 KB a page)."""
    register_cyrillic_fonts()
    digest = LineDigest("pdf")
    recorder = TextRecorder(page_size[0], page_size[1])
    canvas = Canvas(str(path), pagesize=page_size, pageCompression=1)
    painter = _Painter(canvas, "", PLACEHOLDER)
    deferred: list[Qr | HashText] = []
    shared: _PerShared[list[Placed]] = _PerShared()
    for number, page in enumerate(pages, 1):
        blocks: list[tuple[Rows, list[str]]] = []
        for op in page:
            if isinstance(op, Rows):  # drawn and its text-layer lines made in one pass
                blocks.append((op, painter.rows(op)))
                continue
            _record(recorder, op, shared)
            if isinstance(op, Qr | HashText):
                deferred.append(op)
                canvas.doForm(f"salonHash{len(deferred)}")
            else:
                painter.draw(op)
        _digest_page(digest, recorder, blocks)
        canvas.showPage()
        _compact_last_page(canvas)
        if progress is not None:
            progress(number)
    sha = digest.hexdigest()
    payload = qr_payload(document_id, sha)
    canvas.setTitle(title)
    canvas.setAuthor(author)
    canvas.setSubject(subject)
    canvas.setCreator("Salon console")
    canvas.setKeywords(f"document-id={document_id} sha256={sha} {payload}")
    painter = _Painter(canvas, payload, sha)
    for index, op in enumerate(deferred, 1):
        canvas.beginForm(f"salonHash{index}")
        painter.draw(op)
        canvas.endForm()
    with _SAVING:
        canvas.save()
    return sha


def _compact_last_page(canvas: Canvas) -> bool:
    """Compress the page just finished now (Flate), so the canvas holds each finished page
    compressed (~3 KB) instead of its operators as text (~25 KB for a page of rows), as
    ReportLab would when it saves — except for its ASCII85 layer (rl_config.useA85, for
    7-bit channels; a PDF file is binary anyway): that made a page's stream a quarter bigger
    and cost as much time as the compression. Reaches into ReportLab's document
    (pdfdoc.PDFPage.check_format does the same at save): if a version lays it out otherwise,
    the page is left as it is (False) — the file shows the same, only memory grows;
    tests/unit/test_pdf_pages_compact.py notices."""
    from reportlab.pdfbase.pdfdoc import (
        PDFArray,
        PDFDictionary,
        PDFName,
        PDFStream,
        PDFZCompress,
    )

    pages = getattr(getattr(getattr(canvas, "_doc", None), "Pages", None), "pages", None)
    page = pages[-1] if pages else None
    if (page is None or getattr(page, "Contents", True) or not isinstance(
            getattr(page, "stream", None), str) or not getattr(page, "compression", False)):
        return False
    page.Contents = PDFStream(PDFDictionary({"Filter": PDFArray(
        [PDFName(PDFZCompress.pdfname)])}), content=PDFZCompress.encode(page.stream))
    page.stream = None
    return True


class _PerShared(Generic[V]):
    """What was made once for each distinct `Shared` of a document (its form, its recorded
    text). Found by the very object first — a writer that hands every page the same `Shared`
    object is not compared field by field on every page — and by equality otherwise."""

    def __init__(self) -> None:
        self._equal: dict[tuple[Op, ...], V] = {}
        self._same: dict[int, tuple[Shared, V]] = {}  # id → (the object, kept alive; value)

    def __len__(self) -> int:
        return len(self._equal)

    def get(self, op: Shared) -> V | None:
        seen = self._same.get(id(op))
        if seen is not None and seen[0] is op:
            return seen[1]
        value = self._equal.get(op.ops)
        if value is not None:
            self._remember(op, value)
        return value

    def put(self, op: Shared, value: V) -> None:
        self._equal[op.ops] = value
        self._remember(op, value)

    def _remember(self, op: Shared, value: V) -> None:
        if len(self._same) >= 64:  # pages that make their own objects: kept few
            self._same.clear()
        self._same[id(op)] = (op, value)


def _digest_page(digest: LineDigest, recorder: TextRecorder,
                 blocks: Sequence[tuple[Rows, Sequence[str]]]) -> None:
    """Hash the page just drawn: the pieces `recorder` holds and the rows drawn by
    printing.pdf_rows (`blocks`: each `Rows` with its lines as JSON, `line_json`), as
    `page_lines` would give them had the rows been recorded too. That is so when every row's
    cells are apart and every row's baseline is more than LINE_TOLERANCE from any other text's
    (then each row is a line of its own, and the other lines are unchanged): the rows' lines
    are merged in by baseline without being recorded, measured and sorted piece by piece.
    Otherwise the rows are recorded like any text (the same hash, the slow way)."""
    pieces = recorder.pages[-1]
    height = recorder.page_height
    digest.add(PAGE_MARK)
    if len(blocks) == 1 and _rows_apart([blocks[0][0]], pieces, height):
        # the usual page: the other lines go between the rows where their baselines fall
        op, lines = blocks[0]
        first = height - op.top
        out: list[str] = []
        done = 0
        for baseline, line in placed_lines(pieces):
            # the rows above it: those whose baseline, first + i × leading, is less
            above = min(len(lines), max(0, math.ceil((baseline - first) / op.leading)))
            out.extend(lines[done:above])
            out.append(line_json(line))
            done = max(done, above)
        out.extend(lines[done:])
        digest.add_json(filter(None, out))  # "": a row without text
    elif blocks and _rows_apart([op for op, _lines in blocks], pieces, height):
        merged = [(baseline, line_json(line)) for baseline, line in placed_lines(pieces)]
        for op, lines in blocks:
            merged.extend((height - (op.top - i * op.leading), line)
                          for i, line in enumerate(lines) if line)
        merged.sort(key=itemgetter(0))  # no two lines' baselines are equal
        digest.add_json(encoded for _baseline, encoded in merged)
    else:
        for op, _lines in blocks:
            _record(recorder, op)
        digest.extend(page_lines(recorder.pages[-1]))
    recorder.pages[-1] = []


def _rows_apart(blocks: Sequence[Rows], pieces: Sequence[Placed], height: float) -> bool:
    """Whether each row of `blocks` is a line of its own: its cells apart, and its baseline
    more than LINE_TOLERANCE from every other (with a margin: when in doubt, no)."""
    near = LINE_TOLERANCE + 1e-6
    if not all(apart((*op.xs, op.right), op.size) for op in blocks):
        return False
    if len(blocks) > 1:  # rare: every baseline against its neighbours
        marks = sorted([(height - (op.top - i * op.leading), True)
                        for op in blocks for i in range(len(op.rows))]
                       + [(piece.baseline, False) for piece in pieces])
        return all(b - a > near for (a, row_a), (b, row_b) in pairwise(marks)
                   if row_a or row_b)
    op = blocks[0]
    count = len(op.rows)
    if count > 1 and op.leading <= near:
        return False
    first = height - op.top  # row i's baseline is first + i × leading
    last = first + (count - 1) * op.leading
    for baseline in {piece.baseline for piece in pieces}:
        if baseline <= first:
            gap = first - baseline
        elif baseline >= last:
            gap = baseline - last
        else:
            step = (baseline - first) % op.leading
            gap = min(step, op.leading - step)
        if gap <= near:
            return False
    return True


def _record(recorder: TextRecorder, op: Op,
            shared: _PerShared[list[Placed]] | None = None) -> None:
    """Record `op`'s text; `shared` keeps what each `Shared` gave (None: not kept)."""
    if isinstance(op, Text):
        recorder.text(op.x, op.y, op.text, op.font, op.size, op.align)
    elif isinstance(op, HashText):
        recorder.text(op.x, op.y, op.prefix + PLACEHOLDER, op.font, op.size)
    elif isinstance(op, Shared):
        pieces = shared.get(op) if shared is not None else None
        if pieces is None:  # recorded once: every page showing it holds the same pieces
            start = len(recorder.pages[-1])
            for inner in op.ops:
                _record(recorder, inner)
            if shared is not None:
                shared.put(op, recorder.pages[-1][start:])
        else:
            recorder.pages[-1].extend(pieces)
    elif isinstance(op, Rows):
        last = len(op.xs)
        for i, row in enumerate(op.rows):
            y = op.top - i * op.leading
            recorder.cells(y, op.size, [*zip(op.xs, row[:last], strict=True),
                                        (op.right, row[last])])


class _Painter:
    def __init__(self, canvas: Canvas, payload: str, sha: str) -> None:
        self._canvas = canvas
        self._payload = payload
        self._sha = sha
        self._row_writers: dict[tuple[Any, ...], Any] = {}
        self._glyphs: dict[tuple[str, float], GlyphCodes | None] = {}
        self._forms: _PerShared[str] = _PerShared()

    def draw(self, op: Op) -> None:
        c = self._canvas
        if isinstance(op, Text):
            if self._text(op):
                return
            c.setFillColor(op.colour)
            c.setFont(op.font, op.size)
            if op.align == "right":
                c.drawRightString(op.x, op.y, op.text)
            elif op.align == "centre":
                c.drawCentredString(op.x, op.y, op.text)
            else:
                c.drawString(op.x, op.y, op.text)
        elif isinstance(op, Shared):
            self._shared(op)
            return
        elif isinstance(op, HashText):
            c.setFillColor(op.colour)
            c.setFont(op.font, op.size)
            c.drawString(op.x, op.y, op.prefix + self._sha)
        elif isinstance(op, Box):
            # The operators canvas.rect(fill=1) writes, inside q … Q: the canvas's colours stay.
            c.addLiteral(f"q {fp_str(*op.fill.rgb())} rg "
                         f"{fp_str(op.x, op.y, op.width, op.height)} re f Q")
            return
        elif isinstance(op, Rule):
            c.addLiteral(f"q {fp_str(*op.colour.rgb())} RG {fp_str(op.width)} w "
                         f"n {fp_str(op.x1, op.y1)} m {fp_str(op.x2, op.y2)} l S Q")
            return
        elif isinstance(op, Qr):
            draw_qr(c, self._payload, op.x, op.y, op.size)
        else:
            self.rows(op)
            return
        c.setFillColor(BLACK)

    def _text(self, op: Text) -> bool:
        """A TrueType text as one literal block (printing.pdf_glyphs; the canvas's state is
        untouched); False for a font that is not TrueType, which the canvas draws."""
        key = (op.font, op.size)
        glyphs = self._glyphs.get(key, _UNSET)
        if glyphs is _UNSET:
            font = pdfmetrics.getFont(op.font)
            glyphs = self._glyphs[key] = (GlyphCodes(self._canvas, op.font, op.size)
                                          if isinstance(font, TTFont) else None)
        if glyphs is None:
            return False
        x = op.x
        if op.align != "left":
            width = glyphs.font.stringWidth(op.text, op.size)
            x -= width if op.align == "right" else width / 2
        self._canvas.addLiteral(f"q BT {glyphs.base} {fp_str(*op.colour.rgb())} rg "
                                f"1 0 0 1 {fp_str(x, op.y)} Tm {glyphs.show(op.text)} ET Q")
        return True

    def _shared(self, op: Shared) -> None:
        """Show the form of `op`'s drawing, writing it the first time it is met."""
        c = self._canvas
        name = self._forms.get(op)
        if name is None:
            name = f"SalonShared{len(self._forms)}"
            self._forms.put(op, name)
            c.beginForm(name)
            for inner in op.ops:
                self.draw(inner)
            c.endForm()
        c.doForm(name)

    def rows(self, op: Rows) -> list[str]:
        """Draw the rows; their lines of the text layer as hashed (RowWriter.draw)."""
        from printing.pdf_rows import RowWriter

        key = (op.font, op.size, op.leading, op.xs, op.right, op.fit, op.tint, op.fresh)
        writer = self._row_writers.get(key)
        if writer is None:
            writer = self._row_writers[key] = RowWriter(
                self._canvas, op.font, op.size, op.leading, op.xs, op.right, fit=dict(op.fit),
                tint=op.tint, fresh=op.fresh)
        lines = writer.draw(op.top, op.rows)
        self._canvas.setFillColor(BLACK)
        return lines


def draw_qr(canvas: Canvas, payload: str, x: float, y: float, size: float) -> None:
    """The QR code of `payload` (error correction M, the quiet zone of 4 modules inside
    `size`) as one path of its dark runs: each row's dark modules side by side are one
    rectangle, all of them filled at once. ReportLab's QrCodeWidget draws the same runs as
    a drawing of one shape each, encoding the code twice (bounds, then drawing) — most of a
    small document's time; a path of rectangles also leaves no seams between them."""
    from reportlab.graphics.barcode.qrencoder import QRCode, QRErrorCorrectLevel

    code = QRCode(None, QRErrorCorrectLevel.M)
    code.addData(payload)
    code.make()
    count = code.getModuleCount()
    module = size / (count + 2 * QR_QUIET_ZONE)
    runs = []
    for row, cells in enumerate(code.modules):
        top = y + size - (row + QR_QUIET_ZONE + 1) * module
        column = 0
        for dark, run in groupby(map(bool, cells)):
            length = len(list(run))
            if dark:
                runs.append(f"{fp_str((column + QR_QUIET_ZONE) * module + x, top)} "
                            f"{fp_str(length * module, module)} re")
            column += length
    canvas.addLiteral(f"q 0 g {' '.join(runs)} f Q")
