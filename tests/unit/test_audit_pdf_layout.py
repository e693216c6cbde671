"""The daily log PDF's cell wrapping: nothing is drawn past its column, nothing is lost."""

from __future__ import annotations

import pytest
from reportlab.pdfbase.pdfmetrics import stringWidth

from printing.daily_log_pdf import ENTRY_WIDTHS, MAX_LINES, PAD, SIZE, _wrap
from printing.fonts import BOLD, REGULAR, register_cyrillic_fonts


@pytest.fixture(autouse=True, scope="module")
def fonts() -> None:
    register_cyrillic_fonts()


@pytest.mark.parametrize("text", [
    "",
    "Подключение «Электронного Помощника»",
    "x" * 400,  # one word far wider than any column
    "ПричинаБезПробелов" * 20,
    "SMART → PREMIUM " * 30,
    "a\\nb\\x1b " * 50,
])
@pytest.mark.parametrize("width", [ENTRY_WIDTHS[2], ENTRY_WIDTHS[5], ENTRY_WIDTHS[7]])
def test_wrapped_lines_fit_their_column_and_keep_every_letter(text: str, width: float) -> None:
    lines = _wrap(text, width)
    assert all(stringWidth(line, REGULAR, SIZE) <= width - 2 * PAD for line in lines)
    if len(lines) < MAX_LINES:
        assert "".join(lines).replace(" ", "") == text.replace(" ", "")


def test_a_huge_note_is_cut_to_fit_a_page() -> None:
    lines = _wrap("слово " * 3000, ENTRY_WIDTHS[7])
    assert len(lines) == MAX_LINES and lines[-1].endswith("…")


def test_bold_headers_wrap_in_the_bold_font() -> None:
    assert _wrap("Рабочее место", ENTRY_WIDTHS[3], BOLD) == ("Рабочее", "место")
