"""What repeats in a PDF is written once: the page header and footer (and a full page's bands)
as one form XObject every page shows, only the page number drawn per page; and digit strings
shown through their known subset codes — the very bytes ReportLab's own path writes — without
running that path (`TTFont.splitString`) for every distinct string."""

from __future__ import annotations

import base64
import re
import zlib
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from io import BytesIO
from pathlib import Path

import pytest
from reportlab.lib.rl_accel import escapePDF
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.pdfgen.canvas import Canvas

from app.clock import FixedClock
from models.audit import JournalEntry
from models.daily_log import DailyLog
from models.detalization import Detalization
from printing import daily_log, detalization
from printing.fonts import BOLD, REGULAR, register_cyrillic_fonts
from printing.pdf_glyphs import GlyphCodes
from printing.pdf_text import read_pages
from tests.support.rich_detalization import rich_report

CLOCK = FixedClock(datetime(2026, 11, 23, 9, 30, tzinfo=UTC))
# Every character the console's digit cells use: times, dates, amounts, sizes, masked numbers.
DIGITS = "0123456789 .,:;-+*/()%#№\u00a0−–—·"
SAMPLES = ["01.10.2026 00:00:00", "1 234,56", "12\u00a0345,00", "+7 916 ***-**-67", "00:01:31",
           "−12,00", "(№ 10001)", "100%", "a\\b(c)", "*** ", "0", ""]


@pytest.fixture(autouse=True, scope="module")
def fonts() -> None:
    register_cyrillic_fonts()


# --- the PDF's objects, read by hand (no PDF library in the suite) ---------------------------

def _objects(path: Path) -> dict[int, bytes]:
    data = path.read_bytes()
    return {int(m.group(1)): m.group(2)
            for m in re.finditer(rb"(\d+) 0 obj\s*(.*?)endobj", data, re.S)}


def _decoded(body: bytes) -> bytes:
    head, _, rest = body.partition(b"stream")
    raw = rest.lstrip(b"\r\n")
    raw = raw[:int(re.search(rb"/Length (\d+)", head).group(1))]  # type: ignore[union-attr]
    if b"ASCII85Decode" in head:
        raw = base64.a85decode(raw.strip().removesuffix(b"~>"), adobe=False)
    return zlib.decompress(raw) if b"FlateDecode" in head else raw


def _pages(objects: dict[int, bytes]) -> list[tuple[set[int], bytes]]:
    """Each page: the form XObjects it names, and its own content."""
    pages = []
    for body in objects.values():
        if re.search(rb"/Type /Page\b(?!s)", body):
            forms = {int(n) for n in re.findall(rb"/FormXob\.\S+ (\d+) 0 R", body)}
            content = int(re.search(rb"/Contents (\d+) 0 R", body).group(1))  # type: ignore[union-attr]
            pages.append((forms, _decoded(objects[content])))
    return pages


def _many_rows(report: Detalization, count: int) -> Detalization:
    """`count` rows, each with its own time and amount (distinct digit strings)."""
    base = list(report.rows)  # the rows come as an iterable (they stream from the store)
    rows = tuple(replace(base[i % len(base)], at=base[0].at + timedelta(seconds=37 * i),
                         amount=Decimal(i) / 100) for i in range(count))
    return replace(report, rows=rows, row_count=None)


# --- the header and footer: one form, every page ----------------------------------------------

def test_every_detalization_page_shows_one_shared_header_and_footer(tmp_path: Path) -> None:
    report = _many_rows(rich_report(CLOCK.now()), 400)
    path = tmp_path / "d.pdf"
    detalization.render(report, "pdf", path)
    objects = _objects(path)
    pages = _pages(objects)
    assert len(pages) >= 6
    # The footer's form on every page, the rows' header's on every page of rows.
    assert set.intersection(*(forms for forms, _ in pages))
    assert set.intersection(*(forms for forms, _ in pages[1:])) > set.intersection(
        *(forms for forms, _ in pages))
    # The document id (in the header and the footer) is in the forms, on no page of its own
    # but the first (where the summary's head names it).
    document_id = report.document_id.encode()
    assert [document_id in content for _, content in pages] == [True] + [False] * (len(pages) - 1)
    shared = {n for forms, _ in pages for n in forms}
    assert sum(_decoded(objects[n]).count(document_id) for n in shared) == 2
    # What a reader sees is unchanged: each page's header, footer and its own number.
    _keywords, read = read_pages(path)
    for number, lines in enumerate(read, 1):
        footer = " ".join(lines[-1])
        assert f"Страница{number}из{len(pages)}" in footer and report.document_id in footer
        if number > 1:
            assert report.document_id in " ".join(lines[0])


def test_every_daily_log_page_shows_one_shared_header_and_footer(tmp_path: Path) -> None:
    start = datetime(2026, 11, 22, 21, 0, tzinfo=UTC)
    entries = tuple(JournalEntry(n, start + timedelta(seconds=60 * n), "ivanova", "MSK-T-12",
                                 "1", "+79161234567", "lookup", "done", "", "", "0" * 64,
                                 f"{n:064x}") for n in range(1, 120))
    log = DailyLog("MSK-T-12", "Салон «Тверская, 12»", start.date() + timedelta(days=1),
                   "Europe/Moscow", CLOCK.now(), entries, 119, f"{119:064x}",
                   "LOG-20261123-TESTTEST")
    path = tmp_path / "log.pdf"
    daily_log.render(log, "pdf", path)
    objects = _objects(path)
    pages = _pages(objects)
    assert len(pages) >= 3
    every = set.intersection(*(forms for forms, _ in pages))
    assert every  # the page's header and footer
    assert not any(b"MSK-T-12" in content for _, content in pages)
    assert any(b"MSK-T-12" in _decoded(objects[n]) for n in every)
    _keywords, read = read_pages(path)
    assert all(any("MSK-T-12" in cell for line in lines for cell in line) for lines in read)


# --- digit strings: ReportLab's bytes, without ReportLab's path ------------------------------

def _reportlab_show(font: TTFont, canvas: Canvas, text: str) -> list[tuple[int, bytes]]:
    doc = canvas._doc  # type: ignore[attr-defined]
    return [(subset, bytes(chunk)) for subset, chunk in font.splitString(text, doc)]


@pytest.mark.parametrize("font_name", [REGULAR, BOLD])
def test_known_codes_are_reportlabs_codes_for_every_digit_character(font_name: str) -> None:
    canvas = Canvas(BytesIO())
    glyphs = GlyphCodes(canvas, font_name, 7.5)
    font = pdfmetrics.getFont(font_name)
    assert isinstance(font, TTFont)
    for char in DIGITS:
        glyphs.show(char)  # meets it (the first time through ReportLab's path)
    for text in [*DIGITS, *SAMPLES]:
        expected = _reportlab_show(font, canvas, text)
        assert all(subset == 0 for subset, _ in expected), text
        joined = b"".join(chunk for _, chunk in expected)
        assert glyphs.show(text) == f"({escapePDF(joined)}) Tj", text


def _encodings(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The texts ReportLab's own encoder is asked for from now on."""
    calls: list[str] = []
    original = TTFont.splitString

    def counted(self: TTFont, text: str, doc: object, encoding: str = "utf-8"
                ) -> list[tuple[int, bytes]]:
        calls.append(text)
        return original(self, text, doc, encoding)

    monkeypatch.setattr(TTFont, "splitString", counted)
    return calls


def test_digit_strings_do_not_run_reportlabs_encoding(monkeypatch: pytest.MonkeyPatch) -> None:
    canvas = Canvas(BytesIO())
    glyphs = GlyphCodes(canvas, REGULAR, 7.5)
    glyphs.show(DIGITS)
    calls = _encodings(monkeypatch)
    shown = [glyphs.show(f"{n:02d}.10.2026 00:{n % 60:02d}:{n % 7:02d}") for n in range(500)]
    assert calls == [] and len(set(shown)) == 500
    glyphs.show("Звонок исх.")  # a new letter: ReportLab's path, once
    glyphs.show("Звонок исх.")
    assert calls == ["Звонок исх."]


def test_a_heavy_detalization_encodes_each_new_character_not_each_string(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    report = _many_rows(rich_report(CLOCK.now()), 1500)
    calls = _encodings(monkeypatch)
    detalization.render(report, "pdf", tmp_path / "d.pdf")
    # 1,500 distinct times and amounts; only strings with a letter not met before (or outside
    # the first subset) go through ReportLab's path, and the page's few texts.
    assert len(calls) < 300, len(calls)
