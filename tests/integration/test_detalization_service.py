"""The detalization through real parts: the sandbox over loopback HTTP, the store (SQLite and
PostgreSQL), every format written and read back, verify-document, R7 and period refusals."""

from __future__ import annotations

import shutil
import subprocess
from collections.abc import Iterator
from datetime import UTC, date, datetime, time, timedelta
from decimal import Decimal
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from app.clock import FixedClock
from app.config import SalonSettings
from app.errors import InputError, RuleRefused
from app.operator_api.client import OperatorClient
from app.services.detalization import DetalizationService
from app.services.kept_files import KeptFiles
from app.services.retention import RetentionService
from app.services.verification import Verdict, VerificationService
from models.detalization import Category, Options, Period, money_text
from models.documents import DocumentRegister
from models.domain import ClerkRole, Session
from models.kept_files import StoreKeptFiles
from models.usage import UsageStore
from printing.canonical import read
from tests.support.document_rows import pairs_of, rows_of, squeeze
from tests.support.identity import IDENTIFIED
from tests.support.pdf_edit import replace_text
from tests.support.pinned import RunningClock

ROOT = Path(__file__).resolve().parents[2]
SHOTS = ROOT / "artifacts" / "screenshots"
CLERK = Session("clerk", "Анна Соколова", ClerkRole.CLERK, datetime(2026, 11, 23, tzinfo=UTC))
MOSCOW = SalonSettings("MSK-TVERSKAYA-12", "Салон «Тверская, 12»", "RU-MOW", "Europe/Moscow",
                       "1", "ru")
UFA = SalonSettings("UFA-LENINA-5", "Салон «Ленина, 5»", "RU-BA", "Asia/Yekaterinburg", "2",
                    "ru")


class Journal:
    def __init__(self) -> None:
        self.entries: list[tuple] = []

    def record(self, clerk, action, result="done", *, subscriber="", detail="", reason=""):
        self.entries.append((clerk, str(action), str(result), subscriber, detail, reason))


class CountingApi:
    """The real client, remembering which usage ranges were asked for."""

    def __init__(self, client: OperatorClient) -> None:
        self._client = client
        self.usage_calls: list[tuple[datetime, datetime]] = []

    def usage_pages(self, msisdn, start, end, **kwargs):
        self.usage_calls.append((start, end))
        return self._client.usage_pages(msisdn, start, end, **kwargs)

    def __getattr__(self, name: str):
        return getattr(self._client, name)


@pytest.fixture(scope="module")
def world_clock() -> RunningClock:
    """The sandbox and the console share one clock pinned to a known instant: the dates below
    (October, the summer) are then always in the past and inside the world's history."""
    return RunningClock()


@pytest.fixture(scope="module")
def sandbox(tmp_path_factory: pytest.TempPathFactory,
            world_clock: RunningClock) -> Iterator[OperatorClient]:
    from sandbox.server import start_in_background

    running = start_in_background(tmp_path_factory.mktemp("world") / "world.db", 2026, "tok",
                                  real_time=world_clock.seconds)
    client = OperatorClient(running.url, "tok", clock=world_clock, read_timeout=60,
                            deadline=120)
    yield client
    client.close()
    running.stop()


@pytest.fixture
def world(sandbox: OperatorClient, world_clock: RunningClock, any_store, tmp_path: Path):
    api = CountingApi(sandbox)
    journal = Journal()

    def service(salon: SalonSettings = MOSCOW) -> DetalizationService:
        return DetalizationService(api, UsageStore(), DocumentRegister(), salon,
                                   retention_days=3, documents_dir=tmp_path / "docs",
                                   journal=journal, clock=world_clock, identity=IDENTIFIED)

    return api, journal, service


def local_midnight(day: date, zone: str) -> datetime:
    return datetime.combine(day, time(0), ZoneInfo(zone)).astimezone(UTC)


def test_a_second_order_fetches_only_the_missing_days(world, world_clock: RunningClock,
                                                      tmp_path: Path) -> None:
    api, journal, service = world
    detalization = service()
    detalization.order(CLERK, "+79161234567", Period(date(2026, 10, 1), date(2026, 10, 10)),
                       Options(), "csv", tmp_path / "a.csv")
    detalization.order(CLERK, "+79161234567", Period(date(2026, 10, 5), date(2026, 10, 15)),
                       Options(), "csv", tmp_path / "b.csv")
    zone = "Europe/Moscow"
    assert api.usage_calls == [
        (local_midnight(date(2026, 10, 1), zone), local_midnight(date(2026, 10, 11), zone)),
        (local_midnight(date(2026, 10, 11), zone), local_midnight(date(2026, 10, 16), zone)),
    ]
    # today is still going on: it is fetched again every time, and only today
    today = world_clock.now().astimezone(ZoneInfo(zone)).date()
    period = Period(today - timedelta(days=1), today)
    api.usage_calls.clear()
    for name in ("c.csv", "d.csv"):
        detalization.order(CLERK, "+79161234567", period, Options(), "csv", tmp_path / name)
    assert [call[0] for call in api.usage_calls] == [
        local_midnight(today - timedelta(days=1), zone), local_midnight(today, zone)]
    assert [e[2] for e in journal.entries] == ["done"] * 4
    assert journal.entries[0][3:5] == ("+79161234567",
                                       journal.entries[0][4])  # detail names period and format
    assert journal.entries[0][4].startswith("2026-10-01..2026-10-10 csv DET-")


@pytest.mark.parametrize("fmt", ["pdf", "html", "xlsx", "csv", "txt"])
def test_every_format_reads_back_to_the_operators_records(world, sandbox, tmp_path: Path,
                                                          fmt: str) -> None:
    """Ufa's salon, a Bashkortostan number: times in Asia/Yekaterinburg (UTC+5)."""
    _api, _journal, service = world
    msisdn, period = "+79171234567", Period(date(2026, 6, 1), date(2026, 8, 31))
    info = service(UFA).order(CLERK, msisdn, period, Options(), fmt, tmp_path / f"r.{fmt}")
    start = local_midnight(period.first, UFA.timezone)
    end = local_midnight(period.last + timedelta(days=1), UFA.timezone)
    records = [r for page in sandbox.usage_pages(msisdn, start, end) for r in page]
    assert len(records) > 100
    back = read(info.path)
    assert back.sha256 == info.sha256 == back.claimed_sha256
    assert back.document_id == info.document_id
    # every record, in order, with its local time, its amount and its coverage
    rows = rows_of(info.path)
    assert len(rows) == len(records)
    zone = ZoneInfo(UFA.timezone)
    for record, row in zip(records, rows, strict=True):
        assert row[0] == squeeze(record.started_at.astimezone(zone).strftime(
            "%d.%m.%Y %H:%M:%S"))
        if record.covered_by_package is not None:
            assert row[4] == "попакету"
        else:
            sign = "+" if record.kind.value == "topup" else ""
            assert row[4] == sign + money_text(record.amount, group=False)
    opening = sandbox.balances_at(msisdn, start).main.amount
    closing = sandbox.balances_at(msisdn, end).main.amount
    charges = sum((r.amount for r in records if r.kind.value != "topup"), Decimal(0))
    calls = sum((r.amount for r in records if r.kind.value == "call"), Decimal(0))

    summary = pairs_of(info.path)

    def number(label: str) -> Decimal:
        return Decimal(summary[squeeze(label)].replace(",", "."))

    assert number("Входящий остаток") == opening
    assert number("Исходящий остаток") == closing
    assert number("Итого списано") == charges
    assert number("Звонки") == calls == info.report.charges[Category.CALLS]
    assert opening - charges + number("Пополнения") == closing
    assert VerificationService(DocumentRegister()).verify(info.path).verdict is Verdict.GENUINE


def test_an_edited_document_is_altered_and_a_foreign_one_unknown(world, tmp_path: Path) -> None:
    _api, _journal, service = world
    period = Period(date(2026, 10, 1), date(2026, 10, 31))
    verifier = VerificationService(DocumentRegister())
    pdf = service().order(CLERK, "+79161234567", period, Options(), "pdf", tmp_path / "o.pdf")
    assert verifier.verify(pdf.path).verdict is Verdict.GENUINE
    fee = next(iter(pdf.report.rows))
    amount = f"({money_text(fee.amount)})".replace("\u00a0", " ").encode()
    forged = tmp_path / "forged.pdf"
    # the row's amount only (it follows a move, the summary's amounts a text matrix)
    assert replace_text(pdf.path, forged, b"Td\n" + amount + b" Tj", b"Td\n(1,00) Tj") == 1
    assert rows_of(forged)[0][4] == "1,00"  # the forgery reads fine...
    assert verifier.verify(forged).verdict is Verdict.ALTERED  # ...and is caught
    csv = service().order(CLERK, "+79161234567", period, Options(), "csv", tmp_path / "o.csv")
    text = csv.path.read_bytes().decode("utf-8-sig")
    edited = tmp_path / "edited.csv"
    lines = text.split("\r\n")
    row = next(i for i, line in enumerate(lines) if line[:2].isdigit() and line[2] == ".")
    lines[row] = lines[row].rsplit(";", 1)[0] + ";1,00"  # one amount changed
    edited.write_bytes("\r\n".join(lines).encode("utf-8-sig"))
    assert verifier.verify(edited).verdict is Verdict.ALTERED
    foreign = tmp_path / "foreign.csv"
    foreign.write_bytes(text.replace(csv.document_id, "DET-20261123-NOTOURS0").encode("utf-8-sig"))
    assert verifier.verify(foreign).verdict is Verdict.UNKNOWN
    with pytest.raises(InputError):
        verifier.verify(tmp_path / "missing.pdf")


def test_r7_and_bad_periods_are_refused_and_journaled(world, tmp_path: Path) -> None:
    api, journal, service = world
    detalization = service()
    with pytest.raises(RuleRefused, match=r"«Республика Коми».*«Москва»") as refused:
        detalization.order(CLERK, "+7 912 123-45-67", Period(date(2026, 10, 1),
                                                             date(2026, 10, 31)),
                           Options(), "pdf", tmp_path / "k.pdf")
    assert refused.value.rule == "R7" and refused.value.exit_code == 3
    with pytest.raises(InputError, match="reversed"):
        detalization.order(CLERK, "+79161234567", Period(date(2026, 10, 31), date(2026, 10, 1)),
                           Options(), "pdf", tmp_path / "r.pdf")
    with pytest.raises(InputError, match="has not come yet"):
        detalization.order(CLERK, "+79161234567", Period(date(2026, 11, 1), date(2027, 1, 1)),
                           Options(), "pdf", tmp_path / "f.pdf")
    assert api.usage_calls == []  # nothing fetched for a refused order
    assert [e[2] for e in journal.entries] == ["refused"] * 3
    assert not list(tmp_path.glob("*.pdf"))


def test_heavy_month_pdf_pages_and_screenshots(world, tmp_path: Path) -> None:
    """The heavy subscriber's October: ≥100,000 rows; page "N из M" right; screenshots of the
    first, a middle and the last page for a person to look at."""
    _api, _journal, service = world
    info = service().order(CLERK, "+7 916 000-01-00",
                           Period(date(2026, 10, 1), date(2026, 10, 31)),
                           Options(mask_numbers=True), "pdf", tmp_path / "heavy.pdf")
    assert info.rows >= 100_000
    from printing.detalization_pdf import page_count

    pages = page_count(info.report)
    last = subprocess.run(["pdftotext", "-f", str(pages), "-l", str(pages), str(info.path),
                           "-"], capture_output=True, text=True, check=True).stdout
    assert f"Страница {pages} из {pages}" in last and "Конец детализации" in last
    SHOTS.mkdir(parents=True, exist_ok=True)
    for name, page in (("first", 1), ("rows", 2), ("middle", pages // 2), ("last", pages)):
        subprocess.run(["pdftoppm", "-f", str(page), "-l", str(page), "-png", "-r", "60",
                        "-singlefile", str(info.path), str(SHOTS / f"detalization-{name}")],
                       check=True)
    preview = service().preview_png(info, tmp_path / "preview.png")
    assert preview.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"


@pytest.mark.skipif(shutil.which("pdftoppm") is None, reason="poppler-utils")
def test_preview_of_a_spreadsheet_is_its_first_page(world, tmp_path: Path) -> None:
    _api, _journal, service = world
    info = service().order(CLERK, "+79161234567", Period(date(2026, 11, 1), date(2026, 11, 20)),
                           Options(itemized=False), "xlsx", None)
    assert info.path.parent == tmp_path / "docs" and info.path.name.startswith("DET-")
    png = service().preview_png(info, tmp_path / "p.png")
    assert png.stat().st_size > 1000


def test_purge_after_the_retention_period(world, sandbox, world_clock: RunningClock,
                                          tmp_path: Path) -> None:
    """R9: records and the console's own copies go after `retention days` of the console's
    clock (not the files' modification times); journaled."""
    _api, journal, _service = world
    later = FixedClock(world_clock.now())
    kept = KeptFiles(tmp_path / "docs", StoreKeptFiles(MOSCOW.id, MOSCOW.counter), later)
    store = UsageStore()
    detalization = DetalizationService(sandbox, store, DocumentRegister(), MOSCOW,
                                       retention_days=3, documents_dir=tmp_path / "docs",
                                       clock=later, journal=journal, kept=kept, identity=IDENTIFIED)
    retention = RetentionService(kept, 3, usage=detalization, journal=journal, clock=later)
    info = detalization.order(CLERK, "+79161234567", Period(date(2026, 11, 1), date(2026, 11, 5)),
                              Options(), "txt", None)
    assert info.path.exists()
    start, end = local_midnight(date(2026, 11, 1), "Europe/Moscow"), local_midnight(
        date(2026, 11, 6), "Europe/Moscow")
    assert store.rows("+79161234567", int(start.timestamp()), int(end.timestamp()))
    assert retention.purge().total == 0  # nothing is old enough yet
    later.advance(timedelta(days=3, hours=1))  # the file's mtime is still "just now"
    report = retention.purge()
    assert report.usage > 0 and report.documents == 1
    assert store.rows("+79161234567", int(start.timestamp()), int(end.timestamp())) == []
    assert not info.path.exists()
    details = [entry[4] for entry in journal.entries if entry[1] == "purge"]
    assert details == [f"on request: removed {report.total} (usage records {report.usage}, "
                       "local documents 1, print jobs 0, archive notes 0)"]
    # the register keeps what verification needs, and nothing personal
    kept_doc = DocumentRegister().get(info.document_id)
    assert kept_doc is not None and kept_doc.msisdn_masked == "+7 916 ***-**-67"


def test_the_rules_one_by_one_as_the_dialog_asks_them(world, sandbox, tmp_path: Path) -> None:
    """The GUI's steps ask these before anything is ordered; `order` raises the same."""
    api, journal, service = world
    detalization = service()
    now = datetime(2026, 11, 23, 20, 30, tzinfo=UTC)  # already the 24th in Ufa (UTC+5)
    clocked = DetalizationService(sandbox, UsageStore(), DocumentRegister(), MOSCOW,
                                  retention_days=3, documents_dir=tmp_path / "docs",
                                  clock=FixedClock(now), identity=IDENTIFIED)
    assert clocked.today("Europe/Moscow") == date(2026, 11, 23)
    assert clocked.today("Asia/Yekaterinburg") == date(2026, 11, 24)
    clocked.check_period(Period(date(2026, 11, 1), date(2026, 11, 24)), "Asia/Yekaterinburg")
    with pytest.raises(InputError, match=r"ends on 24\.11\.2026.*today is 23\.11\.2026"):
        clocked.check_period(Period(date(2026, 11, 1), date(2026, 11, 24)), "Europe/Moscow")
    with pytest.raises(InputError, match=r"reversed: 31\.10\.2026 is after 01\.10\.2026"):
        clocked.check_period(Period(date(2026, 10, 31), date(2026, 10, 1)), "Europe/Moscow")
    detalization.check_region(sandbox.subscriber("+79161234567"))
    with pytest.raises(RuleRefused, match=r"«Республика Коми».*«Москва»") as refused:
        detalization.check_region(sandbox.subscriber("+79121234567"))
    assert refused.value.rule == "R7"
    assert detalization.check_folder(tmp_path) == tmp_path.resolve()
    with pytest.raises(InputError, match="does not exist"):
        detalization.check_folder(tmp_path / "missing")
    assert detalization.documents_folder == tmp_path / "docs"
    assert detalization.retention_days == 3
    assert api.usage_calls == [] and journal.entries == []  # asking is not ordering


def test_into_a_folder_the_file_is_named_by_its_id(world, tmp_path: Path) -> None:
    _api, _journal, service = world
    out = tmp_path / "out"
    out.mkdir()
    info = service().order(CLERK, "+79161234567", Period(date(2026, 11, 1), date(2026, 11, 3)),
                           Options(), "csv", folder=out)
    assert info.path == out.resolve() / f"{info.document_id}.csv" and info.path.is_file()
    assert not (tmp_path / "docs").exists()  # the console's own folder got nothing
    with pytest.raises(InputError, match="does not exist"):
        service().order(CLERK, "+79161234567", Period(date(2026, 11, 1), date(2026, 11, 3)),
                        Options(), "csv", folder=tmp_path / "missing")


@pytest.mark.parametrize("stage", ["fetch", "render"])
def test_an_order_stopped_by_its_progress_leaves_nothing(world, tmp_path: Path,
                                                         stage: str) -> None:
    """The GUI's Stop: the progress callback raises Cancelled on the worker; no file, no
    register entry, the journal says so; the days not fetched whole are fetched again."""
    import gc

    from app.errors import Cancelled

    _api, journal, service = world
    out = tmp_path / "out"
    out.mkdir()
    seen: list[tuple[str, int, int]] = []

    def progress(at: str, done: int, total: int) -> None:
        seen.append((at, done, total))
        if at == stage and done > 0:
            raise Cancelled("stopped by the clerk")

    period = Period(date(2026, 10, 1), date(2026, 10, 31))
    with pytest.raises(Cancelled):
        service().order(CLERK, "+79161234567", period, Options(), "pdf", progress=progress,
                        folder=out)
    assert gc.isenabled()  # the collector's pause ended with the order
    assert list(out.iterdir()) == []  # not even a temporary file
    assert not (tmp_path / "docs").exists()
    assert seen[-1][0] == stage
    assert journal.entries[-1][2] == "failed" and journal.entries[-1][5] == "stopped by the clerk"
    info = service().order(CLERK, "+79161234567", period, Options(), "pdf", folder=out)
    assert [p.name for p in out.iterdir()] == [info.path.name]
    assert DocumentRegister().get(info.document_id) is not None
