"""Flat memory while a long document is written (issue 15, point 3), asserted without timing:
the PDF canvas holds each finished page compressed, not as operator text; the row writer's
cache of encoded cell texts stays bounded (a row's time is never repeated); a text file's
bytes are hashed and written as they come, not held until the end."""

from __future__ import annotations

from pathlib import Path

from reportlab.lib.pagesizes import A4
from reportlab.pdfgen.canvas import Canvas

from printing.digest import PENDING_BYTES, HashedText, text_digest
from printing.fonts import REGULAR, register_cyrillic_fonts
from printing.pdf_document import Page, Text, _compact_last_page, write_pdf_once
from printing.pdf_glyphs import SHOWN_KEPT
from printing.pdf_rows import CACHED_TEXTS, RowWriter
from printing.pdf_text import read_pages


def test_a_finished_page_is_kept_compressed(tmp_path: Path) -> None:
    register_cyrillic_fonts()
    canvas = Canvas(str(tmp_path / "a.pdf"), pagesize=A4, pageCompression=1)
    canvas.setFont(REGULAR, 8)
    for i in range(300):
        canvas.drawString(40, 20 + 2.5 * i, f"Строка {i}: 01.10.2026 00:{i % 60:02d}:00")
    canvas.showPage()
    page = canvas._doc.Pages.pages[-1]  # type: ignore[attr-defined]
    text = page.stream
    assert isinstance(text, str) and len(text) > 10_000
    assert _compact_last_page(canvas), "ReportLab's page no longer looks as expected"
    assert page.stream is None and len(page.Contents.content) < len(text) / 3
    canvas.save()
    _keywords, pages = read_pages(tmp_path / "a.pdf")
    lines = next(iter(pages))
    assert ("Строка299:01.10.202600:59:00",) in lines  # the text layer as drawn


def test_write_pdf_once_makes_each_page_once_and_shows_the_hash(tmp_path: Path) -> None:
    made: list[int] = []

    def pages():  # type: ignore[no-untyped-def]
        for number in range(1, 4):
            made.append(number)
            page: Page = [Text(40, 800, f"Страница {number}", REGULAR, 9)]
            yield page

    sha = write_pdf_once(tmp_path / "b.pdf", document_id="DET-1", page_size=A4, title="t",
                         author="a", subject="s", pages=pages())
    assert made == [1, 2, 3]
    keywords, read = read_pages(tmp_path / "b.pdf")
    assert sha in keywords and len(list(read)) == 3


def test_the_row_writers_cache_is_bounded(tmp_path: Path) -> None:
    register_cyrillic_fonts()
    canvas = Canvas(str(tmp_path / "c.pdf"), pagesize=A4)
    writer = RowWriter(canvas, REGULAR, 7.5, 9.4, (28.0, 114.0), 560.0)
    page = 80
    for first in range(0, CACHED_TEXTS * 2, page):
        writer.draw(800.0, [(f"{first + i:09d}", "Звонок", "1,00") for i in range(page)])
        assert writer.cached() <= CACHED_TEXTS + 3 * page
        assert len(writer._glyphs._shown) <= SHOWN_KEPT  # the texts' codes (pdf_glyphs.py)
        canvas.showPage()


def test_a_text_file_is_written_as_it_comes(tmp_path: Path) -> None:
    path = tmp_path / "d.txt"
    chunk = "строка\n" * (PENDING_BYTES // 8)  # ~1 MB a write, as a writer hands rows over
    with HashedText(path, "txt") as out:
        for _ in range(5):
            out.write(chunk)
        assert path.stat().st_size >= 3 * PENDING_BYTES, "held in memory, not written"
    assert out.sha256 == text_digest("txt", path.read_bytes())
