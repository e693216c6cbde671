"""A PDF's text layer as lines of cells: what a reader of the page sees, computed the same way
while a PDF is written (`TextRecorder`) and when it is read back (`read_pages`, poppler's
`pdftotext -bbox`), so `salon verify-document` hashes every text on every page.

The rules, shared by both sides (`page_lines`):
- a page's texts are placed pieces: a baseline (points from the page's top), a left and right
  edge, a font size and the text (pdftotext gives words; the recorder gives what the writer
  drew, split where pdftotext would split it into far-apart words);
- pieces whose baselines are within LINE_TOLERANCE form a line, top to bottom;
- within a line, left to right, a gap wider than GAP_EM of the font size starts a new cell
  (a single space is 0.32 em in DejaVu Sans, so the words of one string stay one cell);
- a cell's text is its pieces with all whitespace removed (pdftotext splits at a no-break
  space, the writer's strings keep it: neither is content).
Where pieces fall near these thresholds both sides decide alike, as both measure with the same
font metrics; writers keep a line's cells clearly apart, never draw text over text, and never
past the page's edge (the recorder refuses that: pdftotext would drop it). DejaVu Sans's ascent
is 0.76 of the size, which is how pdftotext's word box gives the baseline.
"""

from __future__ import annotations

import html
import re
import shutil
import subprocess
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from itertools import chain, pairwise
from pathlib import Path

from reportlab.pdfbase.pdfmetrics import stringWidth

ASCENT = 0.76
LINE_TOLERANCE = 1.0  # points: lines of the console's layouts are 8 points apart or more
GAP_EM = 0.43
PAGE_MARK = ("\f",)  # the canonical line that starts every page
_WORD = re.compile(r'<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)">'
                   r"(.*?)</word>")
_KEYWORDS = re.compile(r'<meta name="Keywords" content="([^"]*)"')
_SEGMENT = re.compile(r"\S+(?:\s\S+)*")  # words one whitespace character apart
_SPACE = re.compile(r"\s+")


@dataclass(frozen=True, slots=True)
class Placed:
    baseline: float  # from the page's top
    x0: float
    x1: float
    size: float
    text: str


def page_lines(pieces: Sequence[Placed]) -> list[tuple[str, ...]]:
    """A page's pieces as lines of cells (see the module's rules)."""
    return [line for _baseline, line in placed_lines(pieces)]


def placed_lines(pieces: Sequence[Placed]) -> list[tuple[float, tuple[str, ...]]]:
    """`page_lines` with each line's baseline (its first piece's), top to bottom."""
    ordered = sorted(pieces, key=lambda p: (p.baseline, p.x0))
    lines: list[tuple[float, tuple[str, ...]]] = []
    current: list[Placed] = []
    for piece in ordered:
        if current and piece.baseline - current[0].baseline > LINE_TOLERANCE:
            lines.append((current[0].baseline, _cells(current)))
            current = []
        current.append(piece)
    if current:
        lines.append((current[0].baseline, _cells(current)))
    return lines


def apart(xs: Sequence[float], size: float) -> bool:
    """Whether cells recorded at `xs` by `TextRecorder.cells` (a cell's right edge is its left
    one) are separate cells of their line, left to right."""
    return all(b - a > GAP_EM * size for a, b in pairwise(xs))


def _cells(line: list[Placed]) -> tuple[str, ...]:
    line.sort(key=lambda p: p.x0)
    cells: list[list[str]] = []
    previous: Placed | None = None
    for piece in line:
        if previous is None or piece.x0 - previous.x1 > GAP_EM * max(piece.size, previous.size):
            cells.append([])
        cells[-1].append(piece.text)
        previous = piece
    return tuple(_SPACE.sub("", "".join(cell)) for cell in cells)


# --- writing: what the writer draws ------------------------------------------------------------

class TextOffPage(ValueError):
    """A text drawn (partly) outside the page."""


@dataclass
class TextRecorder:
    """What a writer draws, recorded as placed pieces instead of drawn: `text()` measures a
    string as pdftotext will find its words; `cells()` takes a line whose cells the writer
    keeps far apart (the fast path for table rows)."""

    page_width: float
    page_height: float
    pages: list[list[Placed]] = field(default_factory=lambda: [[]])

    def text(self, x: float, y: float, text: str, font: str, size: float,
             align: str = "left") -> None:
        """`text` drawn at (x, y) — its left edge, or its right edge or centre by `align`."""
        if align != "left":
            width = stringWidth(text, font, size)
            x -= width if align == "right" else width / 2
        baseline = self.page_height - y
        page = self.pages[-1]
        for found in _SEGMENT.finditer(text):
            x0 = x + (stringWidth(text[:found.start()], font, size) if found.start() else 0.0)
            width = stringWidth(found.group(), font, size)
            if x0 < 0 or x0 + width > self.page_width or not 0 < baseline < self.page_height:
                # A layout bug: a reader would not see it whole (and pdftotext drops it).
                raise TextOffPage(f"{found.group()!r} runs off the page at x {x0:.1f}–"
                                  f"{x0 + width:.1f}, {baseline:.1f} from the top")
            page.append(Placed(baseline, x0, x0 + width, size, found.group()))

    def cells(self, y: float, size: float, cells: Sequence[tuple[float, str]]) -> None:
        """A line of cells at known left edges that the writer keeps far apart: recorded
        without measuring (each cell's right edge is its left one)."""
        baseline = self.page_height - y
        page = self.pages[-1]
        for x, text in cells:
            if text.strip():
                page.append(Placed(baseline, x, x, size, text))



# --- reading: what the file shows ----------------------------------------------------------------

class PdfUnreadable(ValueError):
    pass


def read_pages(path: Path) -> tuple[str, Iterator[list[tuple[str, ...]]]]:
    """(the PDF's keywords, an iterator of its pages' lines), through `pdftotext -bbox`. The
    keywords come first in pdftotext's output, so they are known before any page is read."""
    tool = shutil.which("pdftotext")
    if tool is None:
        raise PdfUnreadable("checking a PDF needs poppler-utils (pdftotext); install it")
    with path.open("rb") as handle:
        if handle.read(5) != b"%PDF-":
            raise PdfUnreadable(f"{path.name}: not a PDF file")
    process = subprocess.Popen([tool, "-bbox", str(path), "-"], stdout=subprocess.PIPE,
                               stderr=subprocess.DEVNULL, text=True, encoding="utf-8",
                               errors="replace")
    assert process.stdout is not None
    stream = process.stdout
    keywords = ""
    pending: str | None = None
    for text_line in stream:
        if "<meta" in text_line:
            found = _KEYWORDS.search(text_line)
            if found:
                keywords = html.unescape(found.group(1))
        elif "<page" in text_line or "<body" in text_line:
            pending = text_line
            break

    def pages() -> Iterator[list[tuple[str, ...]]]:
        try:
            words: list[Placed] = []
            for text_line in chain([pending] if pending is not None else [], stream):
                found = _WORD.search(text_line)
                if found:
                    x0, y0, x1, y1 = (float(v) for v in found.groups()[:4])
                    size = y1 - y0
                    words.append(Placed(y0 + ASCENT * size, x0, x1, size,
                                        html.unescape(found.group(5))))
                elif "</page>" in text_line:
                    yield page_lines(words)
                    words = []
        finally:
            stream.close()
            code = process.wait()
            if code != 0:
                raise PdfUnreadable(f"{path.name}: pdftotext could not read it (exit {code})")

    return keywords, pages()
