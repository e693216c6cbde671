"""`--json` on a refusal or a failure prints ONE JSON object with an `error` member
({"code", "rule", "message", "exit_code", …}) on stdout, for every command that takes --json,
with the command's exit code; a command that had a report to give (an order's preview, a
verification's verdict, an access code's state) gives it beside the error, in the same object
(issue 12, point 8). `salon` runs as a subprocess on the embedded training sandbox. Also: a
detalization of a period before the number was activated is refused, naming the day."""

from __future__ import annotations

import json
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest

from app.errors import RuleRefused
from app.operator_api.client import OperatorClient
from models.db import open_store
from models.detalization import Options, Period
from models.documents import DocumentRegister
from models.usage import UsageStore
from tests.integration.test_delivery_cli import env_for, salon
from tests.support.fake_wiring import CLERK
from tests.support.identity import IDENTIFIED
from tests.support.pinned import RunningClock

MARIA = "+79161234567"
KOMI = "+79121234567"  # another home region than the salon's (R7)
VIP = "+79031234500"  # R1: no Assistant on a VIP tariff


def failed(done: Any, code: int) -> dict[str, Any]:
    assert done.returncode == code, (done.returncode, done.stdout, done.stderr)
    assert "Traceback" not in done.stderr
    report = json.loads(done.stdout)  # one object: the whole of stdout parses
    error = report["error"]
    assert set(error) >= {"code", "rule", "message", "exit_code"}
    assert error["exit_code"] == code
    assert error["message"] and error["message"] in done.stderr  # the sentence, as without
    return report


@pytest.fixture
def env(tmp_path: Path) -> dict[str, str]:
    return env_for(tmp_path)


def activated_on(env: dict[str, str], msisdn: str) -> datetime:
    card = json.loads(salon(env, "lookup", msisdn, "--json").stdout)
    assert card["activated_at"], card
    return datetime.fromisoformat(card["activated_at"].replace("Z", "+00:00"))


def test_refusals_of_the_detalization(env: dict[str, str], tmp_path: Path) -> None:
    target = str(tmp_path / "d.pdf")
    activated = activated_on(env, MARIA).astimezone(ZoneInfo("Europe/Moscow")).date()
    days = ("--from", activated.isoformat(), "--to", (activated + timedelta(days=1)).isoformat())
    r7 = failed(salon(env, "detalization", KOMI, *days, "-o", target, "--json"), 3)
    assert r7["error"]["code"] == "rule_refused" and r7["error"]["rule"] == "R7"
    bad = failed(salon(env, "detalization", "abc", *days, "-o", target, "--json"), 2)
    assert bad["error"]["code"] == "bad_phone_number" and bad["error"]["rule"] is None
    before = failed(salon(env, "detalization", MARIA, "--from",
                          (activated - timedelta(days=1)).isoformat(), "--to",
                          (activated + timedelta(days=1)).isoformat(), "-o", target, "--json"),
                    3)
    assert before["error"]["rule"] == "before_activation"
    assert f"{activated:%d.%m.%Y}" in before["error"]["message"]
    assert not Path(target).exists()
    from_activation = salon(env, "detalization", MARIA, "--from", activated.isoformat(), "--to",
                            (activated + timedelta(days=1)).isoformat(), "-o", target, "--json")
    assert from_activation.returncode == 0, from_activation.stderr


def test_refusals_and_failures_of_other_commands(env: dict[str, str], tmp_path: Path) -> None:
    unknown = failed(salon(env, "lookup", "+7 999 000-00-00", "--json"), 2)
    assert unknown["error"]["code"] == "subscriber_not_found"
    r1 = failed(salon(env, "assistant", "connect", VIP, "--yes", "--json"), 3)
    assert r1["error"]["rule"] == "R1" and r1["status"] == "refused"  # the order's report too
    assert r1["request"]["msisdn"] == VIP
    code = failed(salon(env, "code", "issue", VIP, "--json"), 3)
    assert code["error"]["rule"] == "R1" and code["status"] == "refused"
    missing = failed(salon(env, "print", str(tmp_path / "none.pdf"), "--json"), 2)
    assert missing["error"]["code"] == "bad_input"
    not_manager = salon(env, "audit", "verify", "--json")
    assert not_manager.returncode != 0
    assert failed(not_manager, not_manager.returncode)["error"]["message"]
    forged = tmp_path / "x.csv"
    forged.write_text("Детализация счёта;DET-20260101-AAAAAAAA\r\n", encoding="utf-8")
    verdict = failed(salon(env, "verify-document", str(forged), "--json"), 3)
    assert verdict["verdict"] == "unknown" and verdict["error"]["rule"] == "unknown"


def test_a_print_failure_says_where_the_document_is_kept(tmp_path: Path) -> None:
    env = env_for(tmp_path, printing={"server": str(tmp_path / "no-cups.sock"),
                                      "printer": "Nowhere"})
    from reportlab.pdfgen.canvas import Canvas

    document = tmp_path / "x.pdf"
    canvas = Canvas(str(document))
    canvas.drawString(72, 720, "x")
    canvas.save()
    report = failed(salon(env, "print", str(document), "--json"), 6)
    assert report["error"]["code"] == "print_failed"
    assert report["error"]["path"] == str(document.resolve())


def test_a_bad_salon_ini_is_json_too(tmp_path: Path) -> None:
    env = env_for(tmp_path, salon={"region": "XX-NOWHERE"})
    report = failed(salon(env, "tariffs", "--json"), 2)
    assert report["error"]["code"] == "config_error"


def test_a_period_before_activation_is_refused_by_the_service(tmp_path: Path) -> None:
    """The service's rule (the window asks the same): refused naming the day; the period that
    starts on it is made; the monthly e-mail's first month starts on it."""
    from app.services.detalization import DetalizationService
    from sandbox.server import start_in_background
    from tests.integration.test_detalization_service import MOSCOW

    store = open_store(f"sqlite:///{tmp_path / 'salon.db'}")
    clock = RunningClock()  # the world and the console on one pinned, running clock
    running = start_in_background(tmp_path / "world.db", 2026, "tok", real_time=clock.seconds)
    client = OperatorClient(running.url, "tok", clock=clock, read_timeout=60, deadline=120)
    try:
        activated = client.subscriber(MARIA).activated_at
        assert activated is not None
        day = activated.astimezone(ZoneInfo("Europe/Moscow")).date()
        service = DetalizationService(client, UsageStore(), DocumentRegister(), MOSCOW,
                                      retention_days=3, documents_dir=tmp_path / "docs",
                                      clock=clock, identity=IDENTIFIED)
        with pytest.raises(RuleRefused, match=f"activated on {day:%d.%m.%Y}") as refused:
            service.order(CLERK, MARIA, Period(day - timedelta(days=3), day + timedelta(days=2)),
                          Options(), "csv", tmp_path / "d.csv")
        assert refused.value.rule == "before_activation" and refused.value.exit_code == 3
        made = service.order(CLERK, MARIA, Period(day, day + timedelta(days=2)), Options(),
                             "csv", tmp_path / "d.csv")
        assert made.period.first == day and not made.period.starts_at_activation
        # the monthly e-mail of the number's first month starts on the day, and says so
        monthly = service.order(CLERK, MARIA, Period(day.replace(day=1) - timedelta(days=1),
                                                     day + timedelta(days=2)),
                                Options(), "txt", tmp_path / "m.txt", from_activation=True)
        assert monthly.period.first == day and monthly.period.starts_at_activation
        assert (f"Номер подключён {day:%d.%m.%Y}: период начинается с этого дня."
                in monthly.path.read_text(encoding="utf-8"))
    finally:
        client.close()
        running.stop()
        store.close()
