"""Fast table rows for ReportLab: a page of fixed-column text lines as one block of PDF text
operators, each distinct cell text encoded once per document.

A heavy detalization writes half a million cells, and most of them repeat (types, numbers,
amounts, durations). ReportLab's text object re-encodes every string into the TrueType
subset's codes (`TTFont.splitString`) and measures it again on every call; here the encoded
operator and the width are kept per text, and positions are relative moves (`Td`) prepared
once per column. The operators are those ReportLab documents for dynamic fonts (ttfonts:
`font.splitString(text, doc)` then `getSubsetInternalName(subset, doc) size Tf (chunk) Tj`),
added with `Canvas.addLiteral` inside `q … Q`, so the canvas's own state is untouched.
"""

from __future__ import annotations

from collections.abc import Sequence

from reportlab.lib.rl_accel import escapePDF, fp_str
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.pdfgen.canvas import Canvas

Colour = tuple[float, float, float]
CACHED_TEXTS = 20_000  # encoded cell texts kept: the repeating ones come back at once


class RowWriter:
    """Rows of cells at fixed x positions; the last cell right-aligned at `right`."""

    def __init__(self, canvas: Canvas, font_name: str, size: float, leading: float,
                 xs: Sequence[float], right: float, fit: dict[int, float] | None = None) -> None:
        # The document the font's subsets belong to (private; types-reportlab omits it).
        self._doc = canvas._doc  # type: ignore[attr-defined]
        self._canvas = canvas
        font = pdfmetrics.getFont(font_name)
        if not isinstance(font, TTFont):  # a standard font has no subsets to encode into
            raise TypeError(f"RowWriter sets TrueType fonts only, not {font_name!r}")
        self._font = font
        self._size = size
        self._leading = leading
        self._xs = tuple(xs)
        self._right = right
        self._fit = fit or {}  # column → room in points: a longer text is set smaller
        self._font.splitString(" ", self._doc)  # makes subset 0 exist
        self._base = f"{self._font.getSubsetInternalName(0, self._doc)} {fp_str(size)} Tf"
        self._encoded: dict[str, str] = {}
        self._fitted: dict[str, str] = {}
        self._tails: dict[str, tuple[str, str]] = {}
        self._steps = [f"{fp_str(self._xs[i + 1] - self._xs[i])} 0 Td"
                       for i in range(len(self._xs) - 1)]

    def width(self, text: str) -> float:
        return self._font.stringWidth(text, self._size)

    def draw(self, top: float, rows: Sequence[Sequence[str]],
             colours: Sequence[Colour | None] | None = None) -> None:
        """Draw `rows` (each: a cell per x, then the right-aligned cell) from baseline `top`
        down, one line each; `colours[i]` colours row i's last cell (None: black)."""
        if len(self._encoded) > CACHED_TEXTS:  # times are all distinct: keep it bounded
            self._encoded.clear()
            self._fitted.clear()
            self._tails.clear()
        code = ["q BT", self._base, "0 g", f"1 0 0 1 {fp_str(self._xs[0], top)} Tm"]
        add = code.append
        encoded, steps, fit = self._encoded, self._steps, self._fit
        last = len(self._xs) - 1
        for index, row in enumerate(rows):
            for column in range(last + 1):
                text = row[column]
                if column:
                    add(steps[column - 1])
                if column in fit:
                    add(self._fitted_text(text, fit[column]))
                    continue
                found = encoded.get(text)
                add(found if found is not None else self._encode(text))
            right = row[last + 1]
            move, back = self._tail(right)
            add(move)
            colour = colours[index] if colours is not None else None
            if colour is not None:
                add(f"{fp_str(*colour)} rg")
                found = encoded.get(right)
                add(found if found is not None else self._encode(right))
                add("0 g")
            else:
                found = encoded.get(right)
                add(found if found is not None else self._encode(right))
            add(back)
        add("ET Q")
        self._canvas.addLiteral("\n".join(code))

    def _encode(self, text: str) -> str:
        """The text's show operators, starting and ending in subset 0 (state-free)."""
        parts = []
        switched = False
        for subset, chunk in self._font.splitString(text, self._doc):
            if subset or switched:
                name = self._font.getSubsetInternalName(subset, self._doc)
                parts.append(f"{name} {fp_str(self._size)} Tf")
                switched = bool(subset)
            parts.append(f"({escapePDF(chunk)}) Tj")
        if switched:
            parts.append(self._base)
        operators = " ".join(parts)
        self._encoded[text] = operators
        return operators

    def _fitted_text(self, text: str, room: float) -> str:
        """A cell that must fit `room` points: set smaller when it would not."""
        found = self._fitted.get(text)
        if found is not None:
            return found
        width = self.width(text)
        if width <= room:
            operators = self._encoded.get(text) or self._encode(text)
        else:
            smaller = fp_str(self._size * room / width)
            parts = [f"{self._font.getSubsetInternalName(subset, self._doc)} {smaller} Tf "
                     f"({escapePDF(chunk)}) Tj"
                     for subset, chunk in self._font.splitString(text, self._doc)]
            operators = " ".join([*parts, self._base])
        self._fitted[text] = operators
        return operators

    def _tail(self, text: str) -> tuple[str, str]:
        """The move to the right-aligned cell, and the move back to the next line's start."""
        found = self._tails.get(text)
        if found is None:
            x = self._right - self.width(text)
            found = (f"{fp_str(x - self._xs[-1])} 0 Td",
                     f"{fp_str(self._xs[0] - x, -self._leading)} Td")
            self._tails[text] = found
        return found
