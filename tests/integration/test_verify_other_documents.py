"""Confirmation slips, Assistant leaflets and daily logs carry the same QR code and hash as a
detalization and verify the same way (issue 12, point 7): each is registered when made, the file
as made is "genuine", and an edit to what it shows is "altered" — through the services, and
through `salon verify-document` as a subprocess on the training sandbox."""

from __future__ import annotations

import json
import subprocess
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from openpyxl import load_workbook

from app.clock import FixedClock
from app.config import SalonSettings, Settings
from app.services.audit import AuditJournal
from app.services.daily_log import DailyLogService
from app.services.leaflets import LeafletService
from app.services.slips import SlipMaker
from app.services.verification import Verdict, VerificationService
from models.audit_seal import JournalSeal
from models.db import open_store
from models.documents import DocumentRegister, parse_qr_payload
from models.domain import CatalogService, Money, TariffClass, TrialPeriod
from models.printing import DocumentKind
from tests.integration.test_delivery_cli import env_for, salon
from tests.integration.test_slip import CONTEXT, Extras, item
from tests.support.fake_wiring import CLERK
from tests.support.pdf_edit import replace_shown
from tests.support.pinned import SequenceClock

CLOCK = FixedClock(datetime(2026, 12, 7, 9, 30, tzinfo=UTC))
SALON = SalonSettings("MSK-TVERSKAYA-12", "Салон «Тверская, 12»", "RU-MOW", "Europe/Moscow",
                      "2", "ru")


@pytest.fixture
def register(tmp_path: Path) -> Iterator[DocumentRegister]:
    db = open_store(f"sqlite:///{tmp_path / 'salon.db'}")
    yield DocumentRegister()
    db.close()


def keywords(path: Path) -> str:
    return subprocess.run(["pdfinfo", str(path)], capture_output=True, text=True,
                          check=True).stdout


def _slip(settings: Settings, register: DocumentRegister) -> Path:
    from models.orders import OrderAction

    maker = SlipMaker(settings, Extras({**CONTEXT, "target_name": "Бизнес Старт"}),
                      register=register)
    return Path(maker.write(item(OrderAction.CHANGE_TARIFF, "BIZ_START", fee="300.00")))


def test_a_confirmation_slip_verifies_like_a_detalization(settings: Settings,
                                                          register: DocumentRegister,
                                                          tmp_path: Path) -> None:
    path = _slip(settings, register)
    payload = parse_qr_payload(keywords(path))
    assert payload is not None and payload[0].startswith("SLP-")
    result = VerificationService(register).verify(path)
    assert result.verdict is Verdict.GENUINE
    assert result.registered is not None and result.registered.kind is DocumentKind.SLIP
    assert result.registered.msisdn_masked == "+7 916 ***-**-67"
    for old, new in (("ORD-000123", "ORD-000124"), ("300", "100"),
                     ("Бизнес Старт", "Бизнес Стара")):
        forged = tmp_path / "forged.pdf"
        assert replace_shown(path, forged, old, new) >= 1, old
        assert VerificationService(register).verify(forged).verdict is Verdict.ALTERED, old


def test_a_leaflet_verifies_like_a_detalization(settings: Settings, register: DocumentRegister,
                                                tmp_path: Path) -> None:
    assistant = CatalogService("ASSISTANT", "Электронный Помощник", Money(Decimal(0)),
                               Money(Decimal(0)), (TariffClass.MASS,),
                               TrialPeriod(CLOCK.now().date() - timedelta(days=5),
                                           CLOCK.now().date() + timedelta(days=25)), True)
    leaflets = LeafletService(settings, lambda: [assistant], CLOCK, register=register)
    made = leaflets.make(CLERK, "+79161234567", tmp_path / "leaflet.pdf")
    assert made.document_id.startswith("LFT-") and len(made.sha256) == 64
    verifier = VerificationService(register)
    result = verifier.verify(made.path)
    assert result.verdict is Verdict.GENUINE and result.sha256 == made.sha256
    assert result.registered is not None and result.registered.kind is DocumentKind.LEAFLET
    for old, new in (("6262", "6226"), ("более 3 раз", "более 5 раз"),
                     ("+7 916 ***-**-67", "+7 916 ***-**-76")):
        forged = tmp_path / "forged.pdf"
        assert replace_shown(made.path, forged, old, new) >= 1, old
        assert verifier.verify(forged).verdict is Verdict.ALTERED, old


def _day_log(register: DocumentRegister, seal: JournalSeal) -> DailyLogService:
    moments = iter(CLOCK.now() - timedelta(hours=3) + timedelta(minutes=n) for n in range(50))
    journal = AuditJournal(SALON.id, SALON.counter, SequenceClock(moments), seal=seal)
    for n in range(6):
        journal.record("clerk", "lookup", subscriber="+79161234567", detail=f"поиск {n}")
    journal.record("clerk", "tariff_change", "refused", subscriber="+79161234567",
                   detail="SMART → VIP", reason="R1")
    return DailyLogService(journal, SALON, CLOCK, register=register)


@pytest.mark.parametrize("fmt", ["xlsx", "csv", "pdf"])
def test_a_daily_log_verifies_in_each_format(fmt: str, register: DocumentRegister,
                                             tmp_path: Path, journal_seal: JournalSeal) -> None:
    service = _day_log(register, journal_seal)
    path = service.export(service.today(), fmt, tmp_path / f"log.{fmt}", clerk="manager")
    verifier = VerificationService(register)
    result = verifier.verify(path)
    assert result.verdict is Verdict.GENUINE
    assert result.registered is not None and result.registered.kind is DocumentKind.DAILY_LOG
    assert result.registered.period_from == service.today()
    forged = tmp_path / f"forged.{fmt}"
    if fmt == "pdf":
        assert replace_shown(path, forged, "поиск 3", "поиск 8") == 1
    elif fmt == "csv":
        forged.write_bytes(path.read_bytes().replace("поиск 3".encode(), "поиск 8".encode()))
    else:
        book = load_workbook(path)
        sheet = book.worksheets[0]
        cell = next(c for row in sheet.iter_rows() for c in row if c.value == "поиск 3")
        cell.value = "поиск 8"
        book.save(forged)
    assert verifier.verify(forged).verdict is Verdict.ALTERED


# --- the same through `salon verify-document` ------------------------------------------------

def verify(env: dict[str, str], path: Path) -> tuple[int, dict]:
    done = salon(env, "verify-document", str(path), "--json")
    return done.returncode, json.loads(done.stdout)


def test_salon_verify_document_checks_slips_leaflets_and_logs(tmp_path: Path) -> None:
    env = env_for(tmp_path)
    added = salon(env, "service", "add", "8 918 123-45-67", "favourite", "--yes", "--json")
    assert added.returncode == 0, added.stderr
    slip = Path(json.loads(added.stdout)["slip_path"])
    leaflet = salon(env, "code", "leaflet", "+79161234567", "-o", str(tmp_path / "l.pdf"),
                    "--json")
    assert leaflet.returncode == 0, leaflet.stderr
    manager = {**env, "SALON_CLERK": "manager", "SALON_PASSWORD": "manager-demo"}
    asked = salon(env, "sandbox", "clock", "--json")
    assert asked.returncode == 0, (asked.stdout, asked.stderr)
    clock = json.loads(asked.stdout)["now"]
    today = datetime.fromisoformat(clock.replace("Z", "+00:00")).astimezone(
        ZoneInfo("Europe/Moscow")).date()
    log = tmp_path / "log.csv"
    exported = salon(manager, "log", "export", "--date", today.isoformat(), "-o", str(log))
    assert exported.returncode == 0, exported.stderr
    for path, kind in ((slip, "slip"), (tmp_path / "l.pdf", "leaflet"), (log, "daily_log")):
        code, report = verify(env, path)
        assert code == 0 and report["verdict"] == "genuine", (path, report)
        assert report["registered"]["kind"] == kind
    human = salon(env, "verify-document", str(slip))
    assert human.returncode == 0 and "confirmation slip SLP-" in human.stdout
    forged = tmp_path / "forged.csv"
    forged.write_bytes(log.read_bytes().replace(b"lookup", b"lookuq", 1))
    code, report = verify(env, forged)
    assert code == 3 and report["verdict"] == "altered"
    assert report["error"]["rule"] == "altered" and report["error"]["exit_code"] == 3
