"""`salon detalization` and `salon verify-document` as a subprocess, with the embedded
training sandbox and the training clerk (README: Training accounts)."""

from __future__ import annotations

import csv
import json
import subprocess
from datetime import timedelta
from decimal import Decimal
from pathlib import Path

import pytest

from app.clock import SystemClock
from tests.support.calendar import last_month, ru, today_in

SALON = str(Path(__file__).resolve().parents[2] / ".venv" / "bin" / "salon")
# The CLI runs on real time: last month is always past and inside the world's history.
TODAY = today_in(SystemClock())
FIRST, LAST = last_month(TODAY)
TOMORROW = TODAY + timedelta(days=1)


def salon(env: dict[str, str], *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([SALON, *args], env=env, capture_output=True, text=True, timeout=300,
                          stdin=subprocess.DEVNULL)


@pytest.fixture
def salon_env(salon_env: dict[str, str]) -> dict[str, str]:
    return {**salon_env, "SALON_CLERK": "clerk", "SALON_PASSWORD": "clerk-demo"}


def test_order_json_then_verify_then_tamper(salon_env: dict[str, str], tmp_path: Path) -> None:
    target = tmp_path / "last-month.csv"
    done = salon(salon_env, "detalization", "8 (916) 123-45-67", "--from", FIRST.isoformat(),
                 "--to", LAST.isoformat(), "-o", str(target), "--mask-numbers", "--json")
    assert done.returncode == 0, done.stderr
    info = json.loads(done.stdout)
    assert info["format"] == "csv" and info["path"] == str(target)
    assert info["document_id"].startswith("DET-") and len(info["sha256"]) == 64
    assert info["period"] == {"from": FIRST.isoformat(), "to": LAST.isoformat()}
    totals = info["totals"]
    charges = sum(Decimal(v) for v in totals["charges"].values())
    assert charges == Decimal(totals["charges_total"])
    assert (Decimal(totals["opening"]) - charges + Decimal(totals["payments"])
            == Decimal(totals["closing"]))
    assert any(t["current"] for t in info["tariffs"])
    # the CSV opens in Excel with Cyrillic intact: UTF-8 with a BOM, `;`
    raw = target.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")
    rows = [r for r in csv.reader(raw.decode("utf-8-sig").splitlines(), delimiter=";")
            if r and r[0][:2].isdigit() and len(r) == 5]
    assert len(rows) == info["rows"] and all("***" in r[2] or not r[2].startswith("'+")
                                             for r in rows)
    checked = salon(salon_env, "verify-document", str(target), "--json")
    assert checked.returncode == 0, checked.stderr
    assert json.loads(checked.stdout)["verdict"] == "genuine"
    human = salon(salon_env, "verify-document", str(target))
    assert "MSK-TVERSKAYA-12" in human.stdout and "+7 916 ***-**-67" in human.stdout
    forged = tmp_path / "forged.csv"
    second = FIRST + timedelta(days=1)
    forged.write_bytes(raw.replace(f"\r\n{ru(FIRST)}".encode(), f"\r\n{ru(second)}".encode(),
                                   1))
    altered = salon(salon_env, "verify-document", str(forged))
    assert altered.returncode == 3 and "Altered" in altered.stderr
    assert salon(salon_env, "verify-document", str(tmp_path / "none.pdf")).returncode == 2
    (tmp_path / "x.docx").write_text("x")
    assert salon(salon_env, "verify-document", str(tmp_path / "x.docx")).returncode == 2


@pytest.mark.parametrize(("args", "code", "words"), [
    (("+7 912 123-45-67", "--from", FIRST.isoformat(), "--to", LAST.isoformat()), 3,
     ["R7", "Республика Коми", "Москва"]),
    (("+79161234567", "--from", LAST.isoformat(), "--to", FIRST.isoformat()), 2, ["reversed"]),
    (("+79161234567", "--from", TODAY.isoformat(), "--to", TOMORROW.isoformat()), 2,
     ["has not come yet"]),
    (("+79161234567", "--from", "2026-13-01", "--to", LAST.isoformat()), 2, ["not a date"]),
    (("abc", "--from", FIRST.isoformat(), "--to", LAST.isoformat()), 2, []),
])
def test_refusals_exit_with_their_codes(salon_env: dict[str, str], tmp_path: Path,
                                        args: tuple[str, ...], code: int,
                                        words: list[str]) -> None:
    done = salon(salon_env, "detalization", *args, "-o", str(tmp_path / "d.pdf"))
    assert done.returncode == code, done.stderr
    assert all(word in done.stderr for word in words), done.stderr
    assert "Traceback" not in done.stderr and not (tmp_path / "d.pdf").exists()


def test_russian_messages_by_default(salon_env: dict[str, str], tmp_path: Path) -> None:
    env = {**salon_env, "SALON_LANGUAGE": "ru"}
    done = salon(env, "detalization", "+79121234567", "--from", FIRST.isoformat(), "--to",
                 LAST.isoformat(), "-o", str(tmp_path / "k.pdf"))
    assert done.returncode == 3
    assert "номер из региона «Республика Коми», а салон — «Москва»" in done.stderr
