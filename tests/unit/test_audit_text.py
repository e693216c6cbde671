"""Journal text as shown in documents and the terminal: nothing can pose as layout or formula."""

from __future__ import annotations

import re
import unicodedata

from hypothesis import given
from hypothesis import strategies as st

from printing.text import is_formula_like, spreadsheet_text, visible

_ESCAPE = re.compile(r"\\(\\|n|r|t|x[0-9a-f]{2}|u[0-9a-f]{4}|U[0-9a-f]{8})")


def unescape(shown: str) -> str:
    def one(match: re.Match[str]) -> str:
        code = match.group(1)
        return {"\\": "\\", "n": "\n", "r": "\r", "t": "\t"}.get(code) or chr(int(code[1:], 16))

    return _ESCAPE.sub(one, shown)


def test_line_breaks_and_controls_are_escaped() -> None:
    assert visible("line1\nline2\r\n\tx") == "line1\\nline2\\r\\n\\tx"
    assert visible("\x1b[31mred") == "\\x1b[31mred"
    assert visible("a\x85b\u2028c\u2029d") == "a\\x85b\\u2028c\\u2029d"


def test_bidi_overrides_and_invisible_characters_are_escaped() -> None:
    assert visible("invoice\u202efdp.exe") == "invoice\\u202efdp.exe"
    assert visible("a\u200bb\ufeff") == "a\\u200bb\\ufeff"


def test_a_real_backslash_is_doubled_so_nothing_can_fake_an_escape() -> None:
    assert visible("C:\\new") == "C:\\\\new"
    assert visible("\\n") != visible("\n")


def test_ordinary_russian_text_is_left_alone() -> None:
    text = "Тариф «Смарт» → «Премиум», 450,00 ₽ — ёжик 😀"
    assert visible(text) == text


@given(st.text())
def test_escaped_text_is_one_line_without_invisible_controls_and_decodes_back(text: str) -> None:
    shown = visible(text)
    # Spaces such as NBSP stay (Russian money uses them); nothing that breaks or hides layout.
    layout = {"Cc", "Cf", "Zl", "Zp", "Cs", "Co", "Cn"}
    assert not [c for c in shown if unicodedata.category(c) in layout]
    assert unescape(shown) == text


@given(st.text(), st.text())
def test_different_texts_never_look_the_same(a: str, b: str) -> None:
    if a != b:
        assert visible(a) != visible(b)


def test_formula_starts_are_defused_for_spreadsheets() -> None:
    for text in ("=1+1", "+79161234567", "-5", "@SUM(A1)", "  =cmd|' /C calc'!A0"):
        assert is_formula_like(text)
        assert spreadsheet_text(text).startswith("'")
    for text in ("SMART", "1+1", "тариф = 450", ""):
        assert spreadsheet_text(text) == text


def test_a_formula_hidden_behind_a_line_break_is_escaped_not_executed() -> None:
    assert spreadsheet_text("\n=1+1") == "\\n=1+1"
