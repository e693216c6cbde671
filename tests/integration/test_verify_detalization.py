"""`salon verify-document` covers everything a reader of a detalization sees (issue 12, point
7): in each of the five formats, an edit to any visible field — the subscriber's name, the
header's period, the dated balances, the overdue notice, the tariff comparison and its notes,
the charts, a row, the closing line, the footer; every sheet of the workbook, its number
formats and sheets; an element, a style or a script in the page — makes it "altered", and the
file as made is "genuine". The document is built at a pinned instant (dates are computed from
it) and registered in a real store; the PDF is edited in its content streams, as a forger
would (tests/support/pdf_edit.py), the workbook in its XML parts."""

from __future__ import annotations

import re
import shutil
import zipfile
from collections.abc import Callable, Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from app.clock import FixedClock
from app.services.verification import Verdict, VerificationService
from models.db import open_store
from models.detalization import Detalization, mask_msisdn, money_text
from models.documents import DocumentRegister, RegisteredDocument
from printing.detalization import render
from tests.support.pdf_edit import replace_shown, replace_text
from tests.support.rich_detalization import BONUS, DEBT, ZONE, rich_report

CLOCK = FixedClock(datetime(2026, 12, 7, 9, 30, tzinfo=UTC))
Edit = Callable[[Path, Path], int]


@pytest.fixture
def register(tmp_path: Path) -> Iterator[DocumentRegister]:
    db = open_store(f"sqlite:///{tmp_path / 'salon.db'}")
    yield DocumentRegister()
    db.close()


def made(report: Detalization, fmt: str, folder: Path, register: DocumentRegister) -> Path:
    path = folder / f"{report.document_id}.{fmt}"
    sha = render(report, fmt, path)
    register.add(RegisteredDocument(report.document_id, fmt, sha, report.created_at,
                                    report.period.first, report.period.last,
                                    mask_msisdn(report.msisdn), "MSK-TVERSKAYA-12",
                                    "1"))
    return path


# --- how a forger edits each format ------------------------------------------------------------

def text(old: str, new: str, skip: int = 0) -> Edit:
    """HTML, CSV, text: the (skip+1)-th occurrence of `old`."""
    def edit(source: Path, target: Path) -> int:
        data = source.read_bytes().decode("utf-8")
        at = -1
        for _ in range(skip + 1):
            at = data.find(old, at + 1)
            if at < 0:
                return 0
        target.write_bytes((data[:at] + new + data[at + len(old):]).encode("utf-8"))
        return 1
    return edit


def pdf(old: str, new: str, skip: int = 0, whole: bool = False) -> Edit:
    return lambda source, target: replace_shown(source, target, old, new, skip, whole)


def pdf_bytes(old: bytes, new: bytes) -> Edit:
    return lambda source, target: replace_text(source, target, old, new)


def xlsx_part(member: str, pattern: str, new: str) -> Edit:
    """Change one XML part of the workbook (the first match of `pattern`), zip it again."""
    def edit(source: Path, target: Path) -> int:
        changed = 0
        with zipfile.ZipFile(source) as old, zipfile.ZipFile(target, "w",
                                                             zipfile.ZIP_DEFLATED) as out:
            for info in old.infolist():
                data = old.read(info.filename)
                if info.filename == member:
                    text_, changed = re.subn(pattern, new, data.decode("utf-8"), count=1)
                    data = text_.encode("utf-8")
                out.writestr(info, data)
        return changed
    return edit


def xlsx_book(change: Callable[[object], None]) -> Edit:
    """Open, change and save the workbook with openpyxl (what a person does in a program)."""
    def edit(source: Path, target: Path) -> int:
        from openpyxl import load_workbook

        book = load_workbook(source)
        change(book)
        book.save(target)
        return 1
    return edit


# --- the fields, format by format ----------------------------------------------------------------

def fields(report: Detalization) -> list[tuple[str, str, Edit]]:
    zone_time = report.created_at.astimezone(ZONE)
    made_at = f"{zone_time:%d.%m.%Y %H:%M}"
    other_at = f"{zone_time - timedelta(hours=1):%d.%m.%Y %H:%M}"
    first = f"{report.period.first:%d.%m.%Y}"
    other_first = f"{report.period.first - timedelta(days=1):%d.%m.%Y}"
    switch_day = f"{report.tariff_spans[1].start.astimezone(ZONE):%d.%m.%Y}"
    bonus, debt = money_text(BONUS), money_text(DEBT)
    cheapest = money_text(report.tariffs[0].total)
    series_day = f"{report.by_day[0][0]:%d.%m}"
    rows = len(report.rows)
    cases: list[tuple[str, str, Edit]] = []
    for fmt in ("html", "csv", "txt"):
        cases += [
            (fmt, "name", text("Иванова", "Иваново")),
            (fmt, "header period", text(f"Период: {first}", f"Период: {other_first}")),
            (fmt, "balances' as-of stamp", text(f"на {made_at}", f"на {other_at}")),
            (fmt, "bonus", text(bonus, money_text(BONUS + 1))),
            (fmt, "overdue notice", text("просрочен", "погашен")),
            (fmt, "tariff comparison", text(cheapest, money_text(report.tariffs[0].total + 5))),
            (fmt, "tariff change note", text(f"— с {switch_day}", f"— с {other_first}")),
            (fmt, "chart by category", text("450,00", "45,00", skip=1)),
            (fmt, "chart by day", text(series_day, "31.12")),
            (fmt, "a row", text("+7 926 ***-**-33", "+7 926 ***-**-34")),
            (fmt, "closing line", text(f"записей {rows}", f"записей {rows + 1}")),
            (fmt, "how to check", text("salon verify-document", "salon trust-document")),
        ]
    cases += [
        ("html", "inserted script", text("</body>", "<script>alert(1)</script></body>")),
        ("html", "added element", text("</footer>", "</footer><p>Скидка 50 %</p>")),
        ("html", "removed element", text('<p class="head note">Номера собеседников частично '
                                         'скрыты.</p>\n', "")),
        ("html", "style", text("color:#6b7280", "color:#ffffff")),
        ("html", "chart bar", text('<rect x="190"', '<rect x="90"')),
        ("csv", "added line", text("\r\n\r\n", "\r\nСкидка;50 %\r\n\r\n")),
        ("txt", "blank line", text("\n\n", "\n\n\n")),
        ("pdf", "name", pdf("Иванова", "Иваново")),
        ("pdf", "header period", pdf(f"Период: {first}", f"Период: {other_first}")),
        ("pdf", "balances' as-of stamp", pdf(f"на {made_at}", f"на {other_at}")),
        ("pdf", "bonus", pdf(bonus, money_text(BONUS + 1), whole=True)),
        ("pdf", "overdue notice", pdf(f"долг {debt}", "долг 0,00")),
        ("pdf", "tariff comparison", pdf(cheapest, money_text(report.tariffs[0].total + 5),
                                         whole=True)),
        ("pdf", "tariff change note", pdf(f"— с {switch_day}", f"— с {other_first}")),
        ("pdf", "chart by category", pdf("450,00", "45,00", skip=1, whole=True)),
        ("pdf", "chart by day", pdf(series_day, "31.12", whole=True)),
        ("pdf", "a row", pdf("+7 926 ***-**-33", "+7 926 ***-**-34", whole=True)),
        ("pdf", "closing line", pdf(f"записей {rows}", f"записей {rows + 1}")),
        ("pdf", "footer", pdf("Страница 1 из 2", "Страница 1 из 1")),
        ("pdf", "added text", pdf_bytes(b") Tj", b") Tj ( 50 %) Tj")),
        ("pdf", "removed text", pdf(bonus, "", whole=True)),
        ("xlsx", "name", xlsx_part("xl/worksheets/sheet2.xml", "Иванова", "Иваново")),
        ("xlsx", "a row (sheet «Детализация»)",
         xlsx_part("xl/worksheets/sheet1.xml", r"\+7 926 \*\*\*-\*\*-33", "+7 926 ***-**-34")),
        ("xlsx", "as-of stamp (sheet «Итоги»)",
         xlsx_part("xl/worksheets/sheet2.xml", f"на {made_at}", f"на {other_at}")),
        ("xlsx", "tariff total (sheet «Тарифы»)",
         xlsx_part("xl/worksheets/sheet3.xml", r"<v>[0-9.]+</v>", "<v>1</v>")),
        ("xlsx", "a day (sheet «По дням»)",
         xlsx_part("xl/worksheets/sheet4.xml", r"<v>[0-9.]+</v></c></row>", "<v>7</v></c></row>")),
        ("xlsx", "number format", xlsx_part("xl/styles.xml", "# ##0.00", "# ##0")),
        ("xlsx", "hidden sheet", xlsx_part("xl/workbook.xml", '<sheet name="Тарифы"',
                                           '<sheet name="Тарифы" state="hidden"')),
        ("xlsx", "added sheet", xlsx_book(lambda book: book.create_sheet("Скидки"))),
        ("xlsx", "formula", xlsx_book(lambda book: book["По дням"].cell(2, 2, "=1+1"))),
    ]
    return cases


REPORT = rich_report(CLOCK.now())
CASES = fields(REPORT)


@pytest.mark.parametrize(("fmt", "field", "edit"), CASES,
                         ids=[f"{fmt}-{field}" for fmt, field, _edit in CASES])
def test_an_edit_to_a_visible_field_is_altered(fmt: str, field: str, edit: Edit,
                                               register: DocumentRegister,
                                               tmp_path: Path) -> None:
    path = made(REPORT, fmt, tmp_path, register)
    verifier = VerificationService(register)
    assert verifier.verify(path).verdict is Verdict.GENUINE
    forged = tmp_path / f"forged.{fmt}"
    assert edit(path, forged) >= 1, f"{field} was not found in the {fmt.upper()}"
    result = verifier.verify(forged)
    assert result.verdict is Verdict.ALTERED, field
    assert result.document_id == REPORT.document_id


@pytest.mark.parametrize("fmt", ["pdf", "html", "xlsx", "csv", "txt"])
def test_the_file_as_made_is_genuine_and_a_stranger_unknown(fmt: str,
                                                          register: DocumentRegister,
                                                          tmp_path: Path) -> None:
    path = made(REPORT, fmt, tmp_path, register)
    verifier = VerificationService(register)
    copy = tmp_path / "copy" / path.name
    copy.parent.mkdir()
    shutil.copy(path, copy)
    result = verifier.verify(copy)
    assert result.verdict is Verdict.GENUINE and result.sha256 == result.claimed_sha256
    assert result.registered is not None and result.registered.format == fmt
    other = rich_report(CLOCK.now())  # another document id, never registered
    stranger = tmp_path / f"stranger.{fmt}"
    render(other, fmt, stranger)
    assert verifier.verify(stranger).verdict is Verdict.UNKNOWN


def test_a_workbook_zipped_again_unchanged_is_still_genuine(register: DocumentRegister,
                                                            tmp_path: Path) -> None:
    """The workbook's content is its cells, not its bytes: packing it again is no edit."""
    path = made(REPORT, "xlsx", tmp_path, register)
    again = tmp_path / "again.xlsx"
    assert xlsx_part("xl/workbook.xml", "^$", "")(path, again) == 0
    assert VerificationService(register).verify(again).verdict is Verdict.GENUINE


@pytest.mark.parametrize("fmt", ["csv", "txt", "html"])
def test_a_changed_stated_hash_is_altered(fmt: str, register: DocumentRegister,
                                          tmp_path: Path) -> None:
    path = made(REPORT, fmt, tmp_path, register)
    data = path.read_text(encoding="utf-8")
    sha = re.search(r"SALON-DOC:[^:]+:([0-9a-f]{64})", data).group(1)  # type: ignore[union-attr]
    forged = tmp_path / f"forged.{fmt}"
    forged.write_text(data.replace(sha, sha[:-1] + ("0" if sha[-1] != "0" else "1"), 1),
                      encoding="utf-8")
    assert VerificationService(register).verify(forged).verdict is Verdict.ALTERED


def test_a_document_registered_by_an_earlier_console_is_outdated(register: DocumentRegister,
                                                                 tmp_path: Path) -> None:
    """Registered before the hash covered everything (hash version 1): not "altered", which
    would accuse a genuine paper; it cannot be checked by today's rules."""
    path = tmp_path / f"{REPORT.document_id}.csv"
    sha = render(REPORT, "csv", path)
    register.add(RegisteredDocument(REPORT.document_id, "csv", sha, REPORT.created_at,
                                    REPORT.period.first, REPORT.period.last, "", "S", "1",
                                    hash_version=1))
    assert VerificationService(register).verify(path).verdict is Verdict.OUTDATED


class _Once:
    """Rows as the store gives them: one pass, no length, no indexing."""

    def __init__(self, rows: list) -> None:
        self._rows = rows
        self.passes = 0

    def __iter__(self):  # type: ignore[no-untyped-def]
        self.passes += 1
        assert self.passes == 1, "the rows are read once"
        return iter(self._rows)

    def __len__(self) -> int:
        raise AssertionError("a writer counts rows by report.row_count, never len(rows)")


@pytest.mark.parametrize("fmt", ["pdf", "html", "xlsx", "csv", "txt"])
def test_every_writer_reads_the_rows_once_as_a_stream(fmt: str, register: DocumentRegister,
                                                      tmp_path: Path,
                                                      monkeypatch: pytest.MonkeyPatch) -> None:
    """Issue 15: the rows arrive as an iterator (from the store, in chunks); each writer reads
    them once without asking their number, formats each row once — for the page and the hash
    alike — and the document is the same, and genuine."""
    from dataclasses import replace

    import printing.detalization_pdf as pdf_writer

    listed = list(REPORT.rows)
    expected = render(replace(REPORT, rows=listed, row_count=None), fmt, tmp_path / f"a.{fmt}")
    formatted: list[object] = []
    real = pdf_writer.row_texts

    def counted(row):  # type: ignore[no-untyped-def]
        formatted.append(row)
        return real(row)

    monkeypatch.setattr(pdf_writer, "row_texts", counted)
    once = _Once(listed)
    streamed = replace(REPORT, rows=once, row_count=len(listed))
    path = made(streamed, fmt, tmp_path, register)
    assert once.passes == 1
    if fmt == "pdf":
        assert len(formatted) == len(listed) > 0, "each row formatted once"
    result = VerificationService(register).verify(path)
    assert result.verdict is Verdict.GENUINE and result.sha256 == expected
