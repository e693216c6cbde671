"""Text from the journal made safe to show: nothing in a field can pose as layout or a formula.

A reason typed at the counter may hold a line break, a carriage return, an ANSI escape or a
right-to-left override; printed raw, it could look like a separate journal entry or reorder
what the reader sees. `visible` turns every such character into a backslash escape (and doubles
a real backslash, so the escaped form is unambiguous). `spreadsheet_text` also defuses formula
injection: a cell starting with = + - @ is marked as text.
"""

from __future__ import annotations

import unicodedata
from functools import lru_cache

_SHORT = {"\n": "\\n", "\r": "\\r", "\t": "\\t", "\\": "\\\\"}
# Control (Cc), format (Cf: bidi overrides, zero-width), line and paragraph separators.
_UNSAFE_CATEGORIES = {"Cc", "Cf", "Zl", "Zp", "Cs", "Co", "Cn"}
_FORMULA_START = ("=", "+", "-", "@")


@lru_cache(maxsize=4096)
def _escape_char(char: str) -> str:
    if char in _SHORT:
        return _SHORT[char]
    code = ord(char)
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}" if code < 0x10000 \
        else f"\\U{code:08x}"


def _is_unsafe(char: str) -> bool:
    return unicodedata.category(char) in _UNSAFE_CATEGORIES


def visible(text: str, *, backslashes: bool = True) -> str:
    """`text` with every control, format or separator character (and backslash) escaped.

    `backslashes=False` leaves a real backslash as it is: for the terminal, where what counts
    is that nothing drives it, a path stays as typed, and escaping twice changes nothing."""
    if text.isprintable() and "\\" not in text:  # the common case: nothing to escape
        return text
    return "".join(_escape_char(c) if _is_unsafe(c) or (backslashes and c == "\\") else c
                   for c in text)


def is_formula_like(text: str) -> bool:
    return text.lstrip(" ").startswith(_FORMULA_START)


def spreadsheet_text(text: str) -> str:
    """`visible(text)`, with a leading apostrophe when a spreadsheet would read it as a formula
    (for CSV, where a cell has no type; XLSX marks such cells with a quote-prefix format)."""
    shown = visible(text)
    return "'" + shown if is_formula_like(shown) else shown
