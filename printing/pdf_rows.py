"""Fast table rows for ReportLab: a page of fixed-column text lines as one block of PDF text
operators, and each line of the text layer as the document's hash takes it.

A heavy detalization writes half a million cells, and most of them are digit strings (times,
numbers, amounts, durations). ReportLab's text object re-encodes every string into the TrueType
subset's codes (`TTFont.splitString`) and measures it again on every call; here each column
keeps what each of its texts becomes — its show operators through printing.pdf_glyphs (one
`str.translate` once its characters' codes are known), led by the relative move (`Td`) to the
column, the right-aligned cell's moves from its width, and the cell as the text layer has it,
in the hash's JSON — so a row is two look-ups per cell done by `map`, and its line for the hash
comes from the very strings drawn (printing/pdf_document.py merges it into the page's lines).
The operators are those ReportLab documents for dynamic fonts (ttfonts:
`font.splitString(text, doc)` then `getSubsetInternalName(subset, doc) size Tf (chunk) Tj`),
added with `Canvas.addLiteral` inside `q … Q`, so the canvas's own state is untouched.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from functools import partial
from operator import getitem

from reportlab.lib.rl_accel import fp_str
from reportlab.pdfgen.canvas import Canvas

from printing.digest import cell_json
from printing.pdf_glyphs import GlyphCodes, UnknownCharacter

Colour = tuple[float, float, float]
CACHED_TEXTS = 20_000  # encoded cell texts kept: the repeating ones come back at once


class _Kept(dict[str, str]):
    """text → what `make` makes of it, made the first time it is asked for (a look-up that
    `map` can do without a Python loop)."""

    def __init__(self, make: Callable[[str], str]) -> None:
        super().__init__()
        self._make = make

    def __missing__(self, text: str) -> str:
        found = self[text] = self._make(text)
        return found


class _Shows(dict[str, str]):
    """text → its show operators led by `lead` (the move to its column), made the first time
    it is asked for: one str.translate for a text whose characters' codes are known (a row's
    time, new on every row), GlyphCodes' own way otherwise."""

    def __init__(self, lead: str, glyphs: GlyphCodes) -> None:
        super().__init__()
        self._lead = lead
        self._glyphs = glyphs
        self._codes = glyphs.codes

    def __missing__(self, text: str) -> str:
        try:
            found = f"{self._lead}({text.translate(self._codes)}) Tj"
        except UnknownCharacter:
            found = self._lead + self._glyphs.encode(text)
        self[text] = found
        return found


class _Layers(dict[str, str]):
    """text → the cell as the text layer has it (printing.pdf_text: whitespace removed), in
    the JSON LineDigest hashes a line as (`cell_json`), led by the ", " before it ("" for a
    blank cell: the text layer has none), then `end`."""

    def __init__(self, end: str) -> None:
        super().__init__()
        self._end = end

    def __missing__(self, text: str) -> str:
        cell = "".join(text.split())  # removes what pdf_text's \s+ does: Unicode whitespace
        found = self[text] = (", " + cell_json(cell) if cell else "") + self._end
        return found


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
        self._steps = [""] + [f"{fp_str(self._xs[i + 1] - self._xs[i])} 0 Td\n"
                              for i in range(len(self._xs) - 1)]
        # What each cell text becomes, per column, made once (types, durations and amounts
        # repeat): its operators, led by the move from the previous column (for the
        # right-aligned cell: the move there, the text and the move back to the next line's
        # start, in black), and its text-layer JSON (`_Layers`).
        count = len(self._xs) + 1
        self._shows: list[dict[str, str]] = [
            _Kept(partial(self._show, column)) if column in self._fit
            else _Shows(self._steps[column], self._glyphs) for column in range(count - 1)]
        self._shows.append(_Kept(self._tail))
        # the last cell's ends its row's line
        self._layers = [_Layers("") for _ in range(count - 1)] + [_Layers("\n")]
        self._tables = [*self._shows, *self._layers]
        self._colours: dict[Colour, str] = {}
        self._coloured_kept: dict[tuple[str, Colour], str] = {}  # a coloured last cell's

    def width(self, text: str) -> float:
        return self._font.stringWidth(text, self._size)

    def cached(self) -> int:
        """How many cell texts are kept (bounded by about CACHED_TEXTS)."""
        return sum(map(len, self._shows)) + len(self._coloured_kept)

    def draw(self, top: float, rows: Sequence[Sequence[str]],
             colours: Sequence[Colour | None] | None = None) -> list[str]:
        """Draw `rows` (each: a cell per x, then the right-aligned cell) from baseline `top`
        down, one line each; `colours[i]` colours row i's last cell (None: black). Returns
        each row's line of the text layer as LineDigest hashes it (`line_json`; "" for a row
        without text), made from the same strings as the drawing, each cell once. (The row's
        cells are apart: printing/pdf_document.py checks that before it uses the lines.)"""
        if self.cached() > CACHED_TEXTS:  # keep them bounded
            for table in self._tables:
                table.clear()
            self._coloured_kept.clear()
        code = ["q BT", self._base, "0 g", f"1 0 0 1 {fp_str(self._xs[0], top)} Tm"]
        add, put = code.append, code.extend
        layer = ["\n"]  # every row's cells for the text layer (`_Layers`), a row a line
        shown = layer.extend
        shows, layers, left = self._shows, self._layers, self._shows[:-1]
        coloured = self._coloured_kept
        last = len(left)
        for index, row in enumerate(rows):
            colour = colours[index] if colours is not None else None
            if colour is None:
                put(map(getitem, shows, row))  # in C: a look-up per cell
            else:
                put(map(getitem, left, row))
                text = row[last]
                add(coloured.get((text, colour)) or self._coloured(text, colour))
            shown(map(getitem, layers, row))
        add("ET Q")
        self._canvas.addLiteral("\n".join(code))
        # '\n, "a", "b"\n, "c"\n' → ['["a", "b"]', '["c"]'] (JSON holds no line break)
        return [f"[{line[2:]}]" if line else "" for line in "".join(layer).split("\n")[1:-1]]

    def _show(self, column: int, text: str) -> str:
        room = self._fit.get(column)
        if room is None or self.width(text) <= room:
            operators = self._glyphs.encode(text)  # kept here, not twice
        else:  # a cell that must fit `room` points: set smaller
            operators = self._glyphs.slow_show(text, self._size * room / self.width(text))
        return self._steps[column] + operators

    def _moves(self, text: str) -> tuple[str, str]:
        """The move to the right-aligned cell and the move back to the next line's start."""
        x = self._right - self.width(text)
        return (f"{fp_str(x - self._xs[-1])} 0 Td",
                f"{fp_str(self._xs[0] - x, -self._leading)} Td")

    def _tail(self, text: str) -> str:
        move, back = self._moves(text)
        return f"{move}\n{self._glyphs.encode(text)}\n{back}"

    def _coloured(self, text: str, colour: Colour) -> str:
        move, back = self._moves(text)
        fill = self._colours.get(colour)
        if fill is None:
            fill = self._colours[colour] = f"{fp_str(*colour)} rg"
        found = self._coloured_kept[text, colour] = (
            f"{move}\n{fill}\n{self._glyphs.encode(text)}\n0 g\n{back}")
        return found
