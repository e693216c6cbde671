"""Text shown in a TrueType font, as PDF show operators, without ReportLab's per-string path.

ReportLab writes a dynamic (subset) TrueType font's text by `TTFont.splitString`: a Python loop
over the characters that gives each new character the next code of a 256-code subset, then
`escapePDF` of each subset's bytes. Most of a detalization's or a daily log's cells are digit
strings (times, numbers, amounts) whose characters got their codes on the first page, yet every
distinct string paid that loop again (130,000 calls, a quarter of a heavy report's drawing).

`GlyphCodes` keeps, per document, the escaped byte of every character already placed in
subset 0 (ASCII readable: digits and punctuation are their own codes there), and shows a string
made only of such characters with one `str.translate`. A string with a
character not yet known, or one in a later subset (most Cyrillic letters), goes through
`splitString`, which assigns new codes the usual way; its subset-0 characters are then known
too. The last few thousand strings shown are kept (types and durations repeat; the kept set is
bounded, so a heavy report's memory does not grow with it). The bytes are exactly those
ReportLab writes (the tests compare them for every character used).
"""

from __future__ import annotations

from reportlab.lib.rl_accel import escapePDF, fp_str
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.pdfgen.canvas import Canvas

SHOWN_KEPT = 4096
NBSP = 0xA0  # ReportLab shows a no-break space as the space's code


class UnknownCharacter(Exception):
    """A character without a known subset-0 code (not a LookupError, which str.translate
    would take as "leave the character as it is")."""


class CodeTable(dict[int, str]):
    """Character → its escaped subset-0 byte, as a `str.translate` table (one C call a text)
    that stops at the first character it does not know."""

    def __missing__(self, char: int) -> str:
        raise UnknownCharacter(char)


class GlyphCodes:
    """One TrueType font's show operators in one document, at one size."""

    def __init__(self, canvas: Canvas, font_name: str, size: float) -> None:
        font = pdfmetrics.getFont(font_name)
        if not isinstance(font, TTFont):  # a standard font has no subsets to encode into
            raise TypeError(f"GlyphCodes sets TrueType fonts only, not {font_name!r}")
        # The document the font's subsets belong to (private; types-reportlab omits it).
        self.doc = canvas._doc  # type: ignore[attr-defined]
        self.font = font
        self.size = size
        font.splitString(" ", self.doc)  # makes subset 0 exist
        self.base = f"{font.getSubsetInternalName(0, self.doc)} {fp_str(size)} Tf"
        # character → its escaped byte in subset 0, as a str.translate table (grows in place)
        self.codes = self._known = CodeTable()
        self._seen = -1  # how many assignments `_known` was last built from
        self._shown: dict[str, str] = {}  # recent texts: types and durations repeat
        self._learn()

    def show(self, text: str) -> str:
        """`text`'s show operators, starting and ending in subset 0 at `size` (state-free)."""
        found = self._shown.get(text)
        if found is not None:
            return found
        found = self.encode(text)
        if len(self._shown) >= SHOWN_KEPT:  # kept bounded: a heavy report has 100,000s
            self._shown.clear()
        self._shown[text] = found
        return found

    def encode(self, text: str) -> str:
        """`show` without keeping the result (for a caller that keeps its own)."""
        try:
            return f"({text.translate(self._known)}) Tj"
        except UnknownCharacter:
            return self.slow_show(text)

    def slow_show(self, text: str, size: float | None = None) -> str:
        """ReportLab's own path (assigns codes to characters met for the first time), at
        `size` if given: then it starts at that size and ends at `size` in subset 0."""
        size_text = fp_str(self.size if size is None else size)
        parts = [] if size is None else [f"{self._name(0)} {size_text} Tf"]
        switched = False
        for subset, chunk in self.font.splitString(text, self.doc):
            if subset or switched:
                parts.append(f"{self._name(subset)} {size_text} Tf")
                switched = bool(subset)
            parts.append(f"({escapePDF(chunk)}) Tj")
        if switched or size is not None:
            parts.append(self.base)
        self._learn()
        return " ".join(parts)

    def _name(self, subset: int) -> str:
        return self.font.getSubsetInternalName(subset, self.doc)

    def _learn(self) -> None:
        """Take over the subset-0 codes ReportLab has assigned so far."""
        # ReportLab's record of the document's codes (types-reportlab omits the attribute).
        assignments: dict[int, int] = self.font.state[self.doc].assignments  # type: ignore[attr-defined]
        if len(assignments) == self._seen:
            return
        self._seen = len(assignments)
        known = self._known
        for char, code in assignments.items():
            if code < 256 and char not in known:
                known[char] = escapePDF(bytes((code,)))
        if 32 in known:
            known[NBSP] = known[32]
