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

from printing.pdf_glyphs import SHOWN_KEPT, GlyphCodes
from printing.pdf_text import spaced_cells

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
        self._fitted: dict[str, str] = {}
        self._tails: dict[str, tuple[str, str]] = {}
        self._steps = [f"{fp_str(self._xs[i + 1] - self._xs[i])} 0 Td"
                       for i in range(len(self._xs) - 1)]

    def width(self, text: str) -> float:
        return self._font.stringWidth(text, self._size)

    def draw(self, top: float, rows: Sequence[Sequence[str]],
             colours: Sequence[Colour | None] | None = None) -> list[str]:
        """Draw `rows` (each: a cell per x, then the right-aligned cell) from baseline `top`
        down, one line each; `colours[i]` colours row i's last cell (None: black). Returns
        each row's line of the text layer (`spaced_cells`), made from the same strings."""
        if len(self._fitted) + len(self._tails) > CACHED_TEXTS:  # keep them bounded
            self._fitted.clear()
            self._tails.clear()
        code = ["q BT", self._base, "0 g", f"1 0 0 1 {fp_str(self._xs[0], top)} Tm"]
        add = code.append
        steps, fit = self._steps, self._fit
        show = self._glyphs.show
        last = len(self._xs) - 1
        lines = [spaced_cells(row) for row in rows]
        for index, row in enumerate(rows):
            for column in range(last + 1):
                text = row[column]
                if column:
                    add(steps[column - 1])
                if column in fit:
                    add(self._fitted_text(text, fit[column]))
                    continue
                add(show(text))
            right = row[last + 1]
            move, back = self._tail(right)
            add(move)
            colour = colours[index] if colours is not None else None
            if colour is not None:
                add(f"{fp_str(*colour)} rg")
                add(show(right))
                add("0 g")
            else:
                add(show(right))
            add(back)
        add("ET Q")
        self._canvas.addLiteral("\n".join(code))
        return lines

    def _fitted_text(self, text: str, room: float) -> str:
        """A cell that must fit `room` points: set smaller when it would not."""
        found = self._fitted.get(text)
        if found is not None:
            return found
        width = self.width(text)
        if width <= room:
            operators = self._glyphs.show(text)
        else:
            operators = self._glyphs.slow_show(text, self._size * room / width)
        if len(self._fitted) >= SHOWN_KEPT:  # bounded, like pdf_glyphs' kept texts
            self._fitted.clear()
        self._fitted[text] = operators
        return operators

    def _tail(self, text: str) -> tuple[str, str]:
        """The move to the right-aligned cell, and the move back to the next line's start."""
        found = self._tails.get(text)
        if found is None:
            x = self._right - self.width(text)
            found = (f"{fp_str(x - self._xs[-1])} 0 Td",
                     f"{fp_str(self._xs[0] - x, -self._leading)} Td")
            if len(self._tails) >= SHOWN_KEPT:
                self._tails.clear()
            self._tails[text] = found
        return found
