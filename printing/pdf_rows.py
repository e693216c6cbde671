"""Fast table rows for ReportLab: a page of fixed-column text lines as one block of PDF text
operators.

A heavy detalization writes half a million cells, and most of them are digit strings (times,
numbers, amounts, durations). ReportLab's text object re-encodes every string into the TrueType
subset's codes (`TTFont.splitString`) and measures it again on every call; here each text is
shown through printing.pdf_glyphs (one look-up per character once its code is known), the
right-aligned cell's width is kept per text, and positions are relative moves (`Td`) prepared
once per column. The operators are those ReportLab documents for dynamic fonts (ttfonts:
`font.splitString(text, doc)` then `getSubsetInternalName(subset, doc) size Tf (chunk) Tj`),
added with `Canvas.addLiteral` inside `q … Q`, so the canvas's own state is untouched.
"""

from __future__ import annotations

from collections.abc import Sequence

from reportlab.lib.rl_accel import fp_str
from reportlab.pdfgen.canvas import Canvas

from printing.pdf_glyphs import GlyphCodes

Colour = tuple[float, float, float]
CACHED_TEXTS = 20_000  # encoded cell texts kept: the repeating ones come back at once


class RowWriter:
    """Rows of cells at fixed x positions; the last cell right-aligned at `right`."""

    def __init__(self, canvas: Canvas, font_name: str, size: float, leading: float,
                 xs: Sequence[float], right: float, fit: dict[int, float] | None = None) -> None:
        self._canvas = canvas
        self._glyphs = GlyphCodes(canvas, font_name, size)
        self._font = self._glyphs.font
        self._size = size
        self._leading = leading
        self._xs = tuple(xs)
        self._right = right
        self._fit = fit or {}  # column → room in points: a longer text is set smaller
        self._base = self._glyphs.base
        # Per column, text → (its operators, led by the move from the previous column; the
        # text as the text layer has it, and a space): the repeating texts (types, durations,
        # amounts) are made once. The right-aligned cell's: (move there, show, move back to
        # the next line's start, its text-layer text and a space).
        self._cells: list[dict[str, tuple[str, str]]] = [{} for _ in self._xs]
        self._tails: dict[str, tuple[str, str, str, str]] = {}
        self._steps = [""] + [f"{fp_str(self._xs[i + 1] - self._xs[i])} 0 Td\n"
                              for i in range(len(self._xs) - 1)]
        self._colours: dict[Colour, str] = {}

    def width(self, text: str) -> float:
        return self._font.stringWidth(text, self._size)

    def cached(self) -> int:
        """How many cell texts are kept (bounded by about CACHED_TEXTS)."""
        return sum(map(len, self._cells)) + len(self._tails)

    def draw(self, top: float, rows: Sequence[Sequence[str]],
             colours: Sequence[Colour | None] | None = None) -> list[str]:
        """Draw `rows` (each: a cell per x, then the right-aligned cell) from baseline `top`
        down, one line each; `colours[i]` colours row i's last cell (None: black). Returns
        each row's line of the text layer (printing.pdf_text.spaced_cells), made from the same
        strings as the drawing, each cell once."""
        if self.cached() > CACHED_TEXTS:  # keep them bounded
            for cells in self._cells:
                cells.clear()
            self._tails.clear()
        code = ["q BT", self._base, "0 g", f"1 0 0 1 {fp_str(self._xs[0], top)} Tm"]
        add = code.append
        lines: list[str] = []
        line = lines.append
        columns = list(enumerate(self._cells))
        last = len(columns)
        tails = self._tails
        for index, row in enumerate(rows):
            shown = []
            for column, cells in columns:
                text = row[column]
                found = cells.get(text)
                if found is None:
                    found = self._cell(column, text)
                add(found[0])
                shown.append(found[1])
            text = row[last]
            tail = tails.get(text)
            if tail is None:
                tail = self._tail(text)
            move, operators, back, layer = tail
            add(move)
            colour = colours[index] if colours is not None else None
            if colour is not None:
                add(self._colours.get(colour) or self._colour(colour))
                add(operators)
                add("0 g")
            else:
                add(operators)
            add(back)
            shown.append(layer)
            line("".join(shown)[:-1])
        add("ET Q")
        self._canvas.addLiteral("\n".join(code))
        return lines

    def _cell(self, column: int, text: str) -> tuple[str, str]:
        room = self._fit.get(column)
        if room is None or self.width(text) <= room:
            operators = self._glyphs.show(text)
        else:  # a cell that must fit `room` points: set smaller
            operators = self._glyphs.slow_show(text, self._size * room / self.width(text))
        found = self._cells[column][text] = (self._steps[column] + operators, _layer(text))
        return found

    def _tail(self, text: str) -> tuple[str, str, str, str]:
        """The move to the right-aligned cell, its show operators, the move back to the next
        line's start, its text-layer text."""
        x = self._right - self.width(text)
        found = self._tails[text] = (f"{fp_str(x - self._xs[-1])} 0 Td",
                                     self._glyphs.show(text),
                                     f"{fp_str(self._xs[0] - x, -self._leading)} Td",
                                     _layer(text))
        return found

    def _colour(self, colour: Colour) -> str:
        found = self._colours[colour] = f"{fp_str(*colour)} rg"
        return found


def _layer(text: str) -> str:
    """A cell as `spaced_cells` has it, with the space that ends it ("" for a blank cell)."""
    cell = "".join(text.split())
    return f"{cell} " if cell else ""
