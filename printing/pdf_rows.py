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
from itertools import chain

from reportlab.lib.rl_accel import fp_str
from reportlab.pdfgen.canvas import Canvas

from printing.digest import cell_json
from printing.pdf_glyphs import CodeTable, GlyphCodes, UnknownCharacter

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
                 xs: Sequence[float], right: float, fit: dict[int, float] | None = None,
                 tint: Callable[[str], Colour | None] | None = None,
                 fresh: int | None = None) -> None:
        self._canvas = canvas
        self._glyphs = GlyphCodes(canvas, font_name, size)
        self._font = self._glyphs.font
        self._size = size
        self._leading = leading
        self._xs = tuple(xs)
        self._right = right
        self._fit = fit or {}  # column → room in points: a longer text is set smaller
        self._tint = tint  # the last cell's text → its colour (None: black)
        self._base = self._glyphs.base
        self._steps = [""] + [f"{fp_str(self._xs[i + 1] - self._xs[i])} 0 Td\n"
                              for i in range(len(self._xs) - 1)]
        # What each cell text becomes, per column, made once (types, durations and amounts
        # repeat): its operators, led by the move from the previous column (for the
        # right-aligned cell: the move there, the text in its colour and the move back to
        # the next line's start), and its text-layer JSON (`_Layers`).
        count = len(self._xs) + 1
        self._shows: list[dict[str, str]] = [
            _Kept(partial(self._show, column)) if column in self._fit
            else _Shows(self._steps[column], self._glyphs) for column in range(count - 1)]
        self._shows.append(_Kept(self._tail))
        # the last cell's ends its row's line
        self._layers = [_Layers("") for _ in range(count - 1)] + [_Layers("\n")]
        self._tables = [*self._shows, *self._layers]
        # a column whose texts are new on (nearly) every row, a row's time: kept, each would
        # only push the others out; the page's are made together instead (`_together`)
        usable = fresh is not None and fresh < count - 1 and fresh not in self._fit
        self._fresh = fresh if usable else None
        self._together_codes = CodeTable()  # glyph codes, and the separator that splits a column
        self._together_known = -1

    def width(self, text: str) -> float:
        return self._font.stringWidth(text, self._size)

    def cached(self) -> int:
        """How many cell texts are kept (bounded by about CACHED_TEXTS)."""
        return sum(map(len, self._shows))

    def draw(self, top: float, rows: Sequence[Sequence[str]]) -> list[str]:
        """Draw `rows` (each: a cell per x, then the right-aligned cell) from baseline `top`
        down, one line each. Returns each row's line of the text layer as LineDigest hashes
        it (`line_json`; "" for a row without text), made from the same strings as the
        drawing, each cell once. (The row's cells are apart: printing/pdf_document.py checks
        that before it uses the lines.) The page's cells are looked up a column at a time
        (`map` over a column's slice, in C): no Python step per row or per cell, which is why
        a row's colour comes from its last cell's text (`tint`)."""
        width = len(self._shows)
        if set(map(len, rows)) - {width}:
            raise ValueError(f"every row must have {width} cells")
        if self.cached() > CACHED_TEXTS:  # keep them bounded
            for table in self._tables:
                table.clear()
        cells = list(chain.from_iterable(rows))
        code, layer = cells.copy(), cells.copy()  # each cell's operators; its text-layer JSON
        for column in range(width):
            texts = cells[column::width]
            made = self._together(column, texts) if column == self._fresh else None
            if made is None:
                made = (list(map(self._shows[column].__getitem__, texts)),
                        list(map(self._layers[column].__getitem__, texts)))
            code[column::width], layer[column::width] = made
        self._canvas.addLiteral("\n".join(
            ["q BT", self._base, "0 g", f"1 0 0 1 {fp_str(self._xs[0], top)} Tm", *code,
             "ET Q"]))
        # '\n, "a", "b"\n, "c"\n' → ['["a", "b"]', '["c"]'] (JSON holds no line break)
        lines = ("\n" + "".join(layer)).split("\n")[1:-1]
        return [f"[{line[2:]}]" if line else "" for line in lines]

    def _together(self, column: int, texts: list[str]) -> tuple[list[str], list[str]] | None:
        """`column`'s operators and text-layer JSON for all of `texts` at once, by a few
        string operations over the texts joined with NUL — what `_Shows` and `_Layers` make
        of each, but in C. None (each its own way) for what that cannot do as they would: a
        NUL in a text, a character without a known code, a blank cell."""
        joined = "\0".join(texts)
        if joined.count("\0") != len(texts) - 1:
            return None
        codes = self._glyphs.codes
        if len(codes) != self._together_known:  # new codes learnt: the table follows
            self._together_codes.clear()
            self._together_codes.update(codes)
            self._together_codes[0] = f") Tj\0{self._steps[column]}("
            self._together_known = len(codes)
        try:
            shows = f"{self._steps[column]}({joined.translate(self._together_codes)}) Tj"
        except UnknownCharacter:
            return None
        # the text layer's cells: whitespace removed (NUL is not whitespace), JSON-quoted
        cells = "".join(joined.split()).split("\0")
        if "" in cells:
            return None
        layers = ", " + "\0, ".join(map(cell_json, cells))  # JSON quotes NUL: \u0000
        return shows.split("\0"), layers.split("\0")

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
        """The last cell: the move there, the text (in its `tint`), the move back."""
        move, back = self._moves(text)
        colour = self._tint(text) if self._tint is not None else None
        if colour is None:
            return f"{move}\n{self._glyphs.encode(text)}\n{back}"
        return f"{move}\n{fp_str(*colour)} rg\n{self._glyphs.encode(text)}\n0 g\n{back}"
