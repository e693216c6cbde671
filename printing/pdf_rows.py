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

from printing.digest import cell_json
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
        # Per column, text → (its operators, led by the move from the previous column; its
        # text-layer JSON, `_layer`): the repeating texts (types, durations,
        # amounts) are made once. The right-aligned cell's: (move there, show and move back
        # to the next line's start, all three in black; its text-layer JSON;
        # the move there; the show; the move back).
        self._cells: list[dict[str, tuple[str, str]]] = [{} for _ in self._xs]
        self._tails: dict[str, tuple[str, str, str, str, str]] = {}
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
        each row's line of the text layer as LineDigest hashes it (`line_json`; "" for a row
        without text), made from the same strings as the drawing, each cell once. (The row's
        cells are apart: printing/pdf_document.py checks that before it uses the lines.)"""
        if self.cached() > CACHED_TEXTS:  # keep them bounded
            for cells in self._cells:
                cells.clear()
            self._tails.clear()
        code = ["q BT", self._base, "0 g", f"1 0 0 1 {fp_str(self._xs[0], top)} Tm"]
        add = code.append
        layer = ["\n"]  # every row's cells for the text layer (`_layer`), a row a line
        shown = layer.append
        columns = list(enumerate(self._cells))
        last = len(columns)
        tails = self._tails
        for index, row in enumerate(rows):
            # the left-aligned cells (zip stops before the right-aligned one)
            for text, (column, cells) in zip(row, columns, strict=False):
                found = cells.get(text)
                if found is None:
                    found = self._cell(column, text)
                add(found[0])
                shown(found[1])
            text = row[last]
            tail = tails.get(text)
            if tail is None:
                tail = self._tail(text)
            colour = colours[index] if colours is not None else None
            if colour is None:
                add(tail[0])
            else:
                add(tail[2])
                add(self._colours.get(colour) or self._colour(colour))
                add(tail[3])
                add("0 g")
                add(tail[4])
            shown(tail[1])
            shown("\n")
        add("ET Q")
        self._canvas.addLiteral("\n".join(code))
        # '\n, "a", "b"\n, "c"\n' → ['["a", "b"]', '["c"]'] (JSON holds no line break)
        return [f"[{line[2:]}]" if line else "" for line in "".join(layer).split("\n")[1:-1]]

    def _cell(self, column: int, text: str) -> tuple[str, str]:
        room = self._fit.get(column)
        if room is None or self.width(text) <= room:
            operators = self._glyphs.encode(text)  # kept here, not twice
        else:  # a cell that must fit `room` points: set smaller
            operators = self._glyphs.slow_show(text, self._size * room / self.width(text))
        found = self._cells[column][text] = (self._steps[column] + operators, _layer(text))
        return found

    def _tail(self, text: str) -> tuple[str, str, str, str, str]:
        x = self._right - self.width(text)
        move = f"{fp_str(x - self._xs[-1])} 0 Td"
        operators = self._glyphs.show(text)
        back = f"{fp_str(self._xs[0] - x, -self._leading)} Td"
        found = self._tails[text] = (f"{move}\n{operators}\n{back}", _layer(text), move,
                                     operators, back)
        return found

    def _colour(self, colour: Colour) -> str:
        found = self._colours[colour] = f"{fp_str(*colour)} rg"
        return found


def _layer(text: str) -> str:
    """A cell as the text layer has it (printing.pdf_text: whitespace removed), in the JSON
    LineDigest hashes a line as (`cell_json`), led by the ", " before it; "" for a blank cell
    (the text layer has none)."""
    cell = "".join(text.split())  # removes what pdf_text's \s+ does: Unicode whitespace
    return ", " + cell_json(cell) if cell else ""
