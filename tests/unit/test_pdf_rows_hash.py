"""A heavy detalization's rows are hashed as they are drawn (issue 15, point 4): the row writer
hands over each row's text-layer line, made from the strings it draws, and the page's hash
merges them in by baseline instead of recording, measuring and sorting every cell. The hash
must be the one the slow way gives (every text recorded, `page_lines`) and the one
`salon verify-document` reads back with pdftotext — also where a row's cells are blank, hold
whitespace, quotes or backslashes, and where another text comes near a row (then the slow way
is taken). No timing here: the benchmarks measure speed."""

from __future__ import annotations

import json
import re
import zlib
from datetime import UTC, datetime
from pathlib import Path

import pytest
from reportlab.lib.pagesizes import A4
from reportlab.lib.rl_accel import fp_str
from reportlab.pdfgen.canvas import Canvas

from models.detalization import COVERED_TEXT, row_texts, time_text
from printing import canonical, detalization, detalization_pdf
from printing.digest import cell_json, line_json
from printing.fonts import BOLD, REGULAR, register_cyrillic_fonts
from printing.pdf_document import (
    Page,
    Rows,
    Shared,
    Text,
    _compact_last_page,
    write_pdf,
    write_pdf_once,
)
from printing.pdf_text import TextRecorder
from tests.support.rich_detalization import rich_report

XS = (28.0, 114.0, 174.0, 394.0)
RIGHT = 567.0
DOCUMENT = "DET-20261123-ROWSHASH"
# As the detalization shows them (one space between words: printing's `shown` collapses runs)
ROWS = [
    ("01.10.2026 07:45:59", "Звонок исх.", "+7 916 ***-**-67", "0:01:31", "12,50"),
    ("01.10.2026 07:46:00", "SMS вх.", "", "—", "по пакету"),  # a blank cell
    ("01.10.2026 07:47:00", "Интернет", "мобильный интернет", "1\u00a0234 КБ", "1\u00a0234,56"),
    ("02.10.2026 00:00:00", 'say "hi"', "a\\b(c) d", "\u00a0", "+500,00"),
    ("02.10.2026 00:00:01", "Пополнение", "Платёж", "—", "+1\u00a0000,00"),
]
# What no reader sees alike (runs of whitespace, tabs, whole blank rows): the writer's hash
# must still be the slow way's
ODD = [*ROWS, ("  ", " ", "", "\t", ""), ("a  b", "\u2003", "x\ty", "", " 1 ")]


GREY = (0.42, 0.45, 0.5)


def _grey(amount: str) -> tuple[float, float, float] | None:
    return GREY if amount == "по пакету" else None


def _pages(rows: list[tuple[str, ...]], near: float | None, fresh: int | None = None
           ) -> list[Page]:
    """Two pages of rows under a shared header; `near`: a text that far below the third
    row's baseline (None: none); `fresh`: the column made a page at a time."""
    pages: list[Page] = []
    for number in (1, 2):
        page: Page = [Shared((Text(28, 810, "Начисления и платежи", BOLD, 9),)),
                      Text(567, 32, f"Страница {number} из 2", REGULAR, 6.5, "right"),
                      Rows(780.0, rows, REGULAR, 7.5, 9.4, XS, RIGHT, ((2, 206.0),), _grey,
                           fresh)]
        if near is not None:
            page.append(Text(250, 780.0 - 2 * 9.4 - near, "рядом", REGULAR, 7.5))
        page.append(Text(28, 780.0 - len(rows) * 9.4 - 11, "Конец детализации", BOLD, 8))
        pages.append(page)
    return pages


def _both(tmp_path: Path, rows: list[tuple[str, ...]], near: float | None,
          fresh: int | None = None) -> tuple[str, str]:
    """(the hash written in one pass, rows hashed as drawn; the hash with every text of
    every page recorded, the rows' cells included: write_pdf's slow way)."""
    once = write_pdf_once(tmp_path / "once.pdf", document_id=DOCUMENT, page_size=A4, title="t",
                          author="a", subject="s", pages=iter(_pages(rows, near, fresh)))
    slow = write_pdf(tmp_path / "slow.pdf", document_id=DOCUMENT, page_size=A4, title="t",
                     author="a", subject="s", pages=lambda: iter(_pages(rows, near, fresh)))
    return once, slow


@pytest.mark.parametrize("rows", [ROWS, ODD, [(f"0{i}.10.2026 07:45:5{i}", *ROWS[i][1:])
                                              for i in range(len(ROWS))]])
@pytest.mark.parametrize("near", [None, 0.5, 1.0, 1.01, 4.7])
@pytest.mark.parametrize("fresh", [None, 0, 1])
def test_rows_hash_as_every_text_recorded(tmp_path: Path, rows: list[tuple[str, ...]],
                                          near: float | None, fresh: int | None) -> None:
    """Near a row's baseline (within LINE_TOLERANCE) the rows are recorded the slow way; a
    `fresh` column made a page at a time hashes as one made cell by cell (or, where it
    cannot be — a blank, a character not met before — is made cell by cell)."""
    once, slow = _both(tmp_path, rows, near, fresh)
    assert once == slow


@pytest.mark.parametrize("fresh", [0, 1])
def test_a_fresh_column_draws_as_cell_by_cell(tmp_path: Path, fresh: int) -> None:
    """The same pages, a column made a page at a time or cell by cell: the same operators."""
    for made in (None, fresh):
        pages = [[Rows(780.0, ROWS, REGULAR, 7.5, 9.4, XS, RIGHT, fresh=made)],
                 [Rows(780.0, ROWS[::-1], REGULAR, 7.5, 9.4, XS, RIGHT, fresh=made)]]
        write_pdf_once(tmp_path / f"{made}.pdf", document_id=DOCUMENT, page_size=A4,
                       title="t", author="a", subject="s", pages=iter(pages))
    assert _operators(tmp_path / f"{fresh}.pdf") == _operators(tmp_path / "None.pdf")


@pytest.mark.parametrize("gap", [0.5, 9.4, 30.0])
def test_two_blocks_of_rows_on_a_page_hash_as_every_text_recorded(tmp_path: Path,
                                                                   gap: float) -> None:
    """Two blocks of rows on one page, the second `gap` below the first's last row."""
    second_top = 780.0 - (len(ROWS) - 1) * 9.4 - gap

    def pages() -> list[Page]:
        return [[Text(28, 810, "Начисления и платежи", BOLD, 9),
                 Rows(780.0, ROWS, REGULAR, 7.5, 9.4, XS, RIGHT),
                 Rows(second_top, ODD, REGULAR, 7.5, 9.4, XS, RIGHT),
                 Text(300, second_top + 4.7, "между", REGULAR, 7.5)]]

    once = write_pdf_once(tmp_path / "once.pdf", document_id=DOCUMENT, page_size=A4,
                          title="t", author="a", subject="s", pages=iter(pages()))
    slow = write_pdf(tmp_path / "slow.pdf", document_id=DOCUMENT, page_size=A4, title="t",
                     author="a", subject="s", pages=lambda: iter(pages()))
    assert once == slow


@pytest.mark.parametrize("near", [None, 4.7])
def test_rows_hash_as_read_back(tmp_path: Path, near: float | None) -> None:
    once, _slow = _both(tmp_path, ROWS, near)
    read = canonical.read(tmp_path / "once.pdf")
    assert read.claimed_sha256 == once and read.sha256 == once


def test_a_detalizations_rows_are_not_recorded_cell_by_cell(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    report = rich_report(datetime(2026, 11, 23, 9, 30, tzinfo=UTC))
    path = tmp_path / "d.pdf"
    expected = detalization.render(report, "pdf", path)

    def refused(*_args: object) -> None:
        raise AssertionError("a row recorded cell by cell")

    monkeypatch.setattr(TextRecorder, "cells", refused)
    assert detalization.render(report, "pdf", tmp_path / "again.pdf") == expected
    assert canonical.read(tmp_path / "again.pdf").sha256 == expected


@pytest.mark.parametrize("cells", [["a", "b"], ['x"y', "z\\w"], ["é₽", "\x01"], ["—"], []])
def test_a_line_made_of_its_cells_json_is_the_lines_json(cells: list[str]) -> None:
    assert "[" + ", ".join(map(cell_json, cells)) + "]" == line_json(cells)
    assert line_json(cells) == json.dumps(cells, ensure_ascii=False)


def test_a_compacted_page_is_flate_only(tmp_path: Path) -> None:
    """No ASCII85 layer over the compressed operators (it made a page a quarter bigger)."""
    register_cyrillic_fonts()
    canvas = Canvas(str(tmp_path / "c.pdf"), pagesize=A4, pageCompression=1)
    canvas.setFont(REGULAR, 8)
    canvas.drawString(40, 800, "01.10.2026 00:00:00")
    canvas.showPage()
    assert _compact_last_page(canvas)
    content = canvas._doc.Pages.pages[-1].Contents.content  # type: ignore[attr-defined]
    assert b"01.10.2026 00:00:00" in zlib.decompress(content)



@pytest.mark.parametrize(("moment", "text"), [
    (datetime(2026, 1, 2, 3, 4, 5), "02.01.2026 03:04:05"),
    (datetime(2026, 12, 31, 23, 59, 59), "31.12.2026 23:59:59"),
    (datetime(2026, 10, 10, 0, 0, 0), "10.10.2026 00:00:00"),
])
def test_a_rows_time_text(moment: datetime, text: str) -> None:
    """Every row's time is formatted from a table of two-digit texts (a look-up each)."""
    assert time_text(moment) == text


def _operators(path: Path) -> str:
    """Every content stream of the file, inflated (pages and forms)."""
    data = path.read_bytes()
    found = []
    for start in (m.end() for m in re.finditer(rb"stream\r?\n", data)):
        try:
            found.append(zlib.decompressobj().decompress(data[start:]).decode("latin-1"))
        except zlib.error:
            continue
    return "\n".join(found)


def test_each_amount_is_drawn_in_the_colour_its_text_says(tmp_path: Path) -> None:
    """The detalization colours an amount by what it says: grey what a package paid, green
    a credit, black a charge — each row's own colour, set before its text and reset after."""
    report = rich_report(datetime(2026, 11, 23, 9, 30, tzinfo=UTC))
    path = tmp_path / "d.pdf"
    detalization.render(report, "pdf", path)
    amounts = [texts[-1] for texts in map(row_texts, report.rows)]
    covered = amounts.count(COVERED_TEXT)
    credits = sum(amount.startswith("+") for amount in amounts)
    assert covered and credits and len(amounts) > covered + credits
    blocks = (block.split("ET Q")[0] for block in _operators(path).split("q BT"))
    rows = "\n".join(block for block in blocks if " Td\n" in block)  # the rows' text blocks
    assert rows.count(f"{fp_str(*detalization_pdf.COVERED_RGB)} rg\n") == covered
    assert rows.count(f"{fp_str(*detalization_pdf.CREDIT_RGB)} rg\n") == credits
    # each coloured amount back to black right after it
    assert rows.count(" rg\n") == covered + credits
    assert len(re.findall(r" rg\n\([^\n]*\) Tj\n0 g\n", rows)) == covered + credits


def test_rows_of_another_width_are_refused(tmp_path: Path) -> None:
    """The cells are looked up column by column in one stream: a short row would shift every
    cell after it into the wrong column, so it is refused instead."""
    page: Page = [Rows(780.0, [ROWS[0], ROWS[1][:4]], REGULAR, 7.5, 9.4, XS, RIGHT)]
    with pytest.raises(ValueError, match="5 cells"):
        write_pdf_once(tmp_path / "short.pdf", document_id=DOCUMENT, page_size=A4, title="t",
                       author="a", subject="s", pages=iter([page]))
