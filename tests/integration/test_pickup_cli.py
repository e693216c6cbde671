"""R11 end to end: `salon pickup` as a subprocess on the embedded training sandbox, the training
clerk, R10 at its default (everything), printing on the suite's private cupsd with its cups-pdf
queue. The queue lists this salon's orders (masked numbers, names, periods, states); printing
ahead sends the cover sheet and the detalization to the printer and reports the order printed,
a reprint reports nothing new; the hand-over is refused naming R10 until `salon identify`, then
prints a receipt (read back with pdftotext: who presented, the document's type and last 4
only, a signature line) and closes the order, once; the destroy list waits for --yes. The
journal and the day's log show each state change per clerk. And the canary: the document number
typed for the hand-over is nowhere — database, documents, journal, exports, output — but its
last 4."""

from __future__ import annotations

import csv
import io
import json
import os
import subprocess
from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest

from app.clock import SystemClock
from tests.conftest import write_ini
from tests.support.calendar import today_in
from tests.support.cups import PDF_QUEUE, PrivateCups
from tests.support.pdf_compare import ascii_tokens

REPO = Path(__file__).resolve().parents[2]
SALON = str(REPO / ".venv" / "bin" / "salon")
MARIA = "+79161234567"
MARIA_MASKED = "+7 916 ***-**-67"
CANARY = "4510 730291"  # no one's document: the representative's check compares nothing
CANARY_FORMS = ("4510 730291", "4510730291", "730291", "4510-730291", "510730")
TODAY = today_in(SystemClock())
POA = ("--representative", "--poa-number", "77 АБ 1234567", "--poa-date",
       (TODAY - timedelta(days=30)).isoformat())


class Transcript:
    def __init__(self) -> None:
        self.text: list[str] = []

    def __call__(self, env: dict[str, str], *args: str,
                 stdin: str = "") -> subprocess.CompletedProcess[str]:
        done = subprocess.run([SALON, *args], env=env, input=stdin, capture_output=True,
                              text=True, timeout=300)
        self.text += [done.stdout, done.stderr]
        return done


@pytest.fixture
def salon() -> Transcript:
    return Transcript()


@pytest.fixture
def env(cups: PrivateCups, tmp_path: Path) -> Iterator[dict[str, str]]:
    cups.cancel_all()
    base = {k: v for k, v in os.environ.items() if not k.startswith("SALON_")}
    base.update(SALON_CONFIG=str(write_ini(
        tmp_path, identity={"require_for": "all"},
        printing={"server": str(cups.socket), "printer": PDF_QUEUE})),
        PYTHONPATH=str(REPO), SALON_CLERK="clerk", SALON_PASSWORD="clerk-demo",
        PYTHON_KEYRING_BACKEND="tests.support.keyring_file.FileKeyringForTests",
        SALON_TEST_KEYRING=str(tmp_path / "keyring.json"))
    yield base


def ok(done: subprocess.CompletedProcess[str]) -> Any:
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout)


def pdf_text(path: Path) -> str:
    return subprocess.run(["pdftotext", "-layout", str(path), "-"], capture_output=True,
                          text=True, check=True).stdout


def marias(env: dict[str, str], salon: Transcript) -> dict[str, object]:
    queue = ok(salon(env, "pickup", "list", "--json"))
    assert isinstance(queue, list)
    return next(o for o in queue if o["number"] == MARIA_MASKED and o["state"] == "new")


def test_list_print_identify_hand_over(env: dict[str, str], salon: Transcript,
                                       cups: PrivateCups, tmp_path: Path) -> None:
    order = marias(env, salon)
    number = str(order["order"])
    assert order["name"] == "Иванова Мария Петровна" and MARIA not in json.dumps(order)
    assert number in salon(env, "pickup", "list").stdout

    printed = ok(salon(env, "pickup", "print", number, "--json"))
    assert isinstance(printed, dict) and printed["state"] == "printed"
    assert printed["reprint"] is False and printed["detalization"].startswith("DET-")
    cover_job, paper_job = printed["print_jobs"]
    assert cover_job["state"] == paper_job["state"] == "done"
    cover_file, paper_file = (Path(p) for p in printed["files"])
    cover = pdf_text(cover_file)
    assert number in cover and MARIA_MASKED in cover and "Иванова Мария Петровна" in cover
    assert printed["detalization"] in cover and "R10" in cover
    assert printed["detalization"] in pdf_text(paper_file)
    # What came out of the printer is what was made (cups-pdf keeps the Latin text findable).
    for job, made in ((cover_job, cover_file), (paper_job, paper_file)):
        assert ascii_tokens(cups.printed(_cups_id(env, salon, job["id"]))) == \
            ascii_tokens(made)

    again = ok(salon(env, "pickup", "print", number, "--json"))
    assert isinstance(again, dict) and again["reprint"] is True
    assert again["detalization"] == printed["detalization"]  # the kept copy, once made

    refused = salon(env, "pickup", "hand-over", number)
    assert refused.returncode == 3 and "R10" in refused.stderr
    identified = salon(env, "identify", MARIA, "--document", "passport-rf", *POA,
                       stdin=CANARY + "\n")
    assert identified.returncode == 0, identified.stderr
    handed = ok(salon(env, "pickup", "hand-over", number, "--json"))
    assert isinstance(handed, dict) and handed["state"] == "handed_over"
    assert handed["presented_by"] == {"presenter": "representative", "document": "passportRF",
                                      "last4": "0291"}
    assert handed["print_job"]["state"] == "done"
    receipt = pdf_text(Path(handed["receipt_path"]))
    for said in (number, MARIA_MASKED, "Иванова Мария Петровна", "0291", "77 АБ 1234567",
                 handed["receipt"], "Received by (signature, full name)", "Clerk's signature",
                 "MSK-TVERSKAYA-12, counter 1", "(UTC+3)"):
        assert said in receipt, said
    assert ascii_tokens(cups.printed(_cups_id(env, salon, handed["print_job"]["id"]))) == \
        ascii_tokens(Path(handed["receipt_path"]))
    # The local copies of the detalization and its cover went with the hand-over (R9).
    kept = sorted(p.name for p in (tmp_path / "data" / "documents" / "pickup").iterdir())
    assert kept == [Path(handed["receipt_path"]).name]

    twice = salon(env, "pickup", "hand-over", number, "--json")
    assert twice.returncode == 3
    assert json.loads(twice.stdout)["error"] == {
        "code": "pickup_conflict", "rule": "R11", "exit_code": 3, "current_state": "completed",
        "message": f"R11: pick-up order {number} has already been handed over (at this or "
                   "another counter); nothing was changed."}
    assert number not in {o["order"] for o in ok(salon(env, "pickup", "list", "--json"))}

    manager = {**env, "SALON_CLERK": "manager", "SALON_PASSWORD": "manager-demo"}
    journal = ok(salon(manager, "audit", "tail", "-n", "60", "--json"))
    assert isinstance(journal, list)
    mine = [(e["action"], e["result"]) for e in journal if number in (e.get("detail") or "")]
    assert mine.count(("pickup_print", "done")) == 2
    assert mine.count(("pickup_hand_over", "done")) == 1
    assert ("pickup_hand_over", "refused") in mine
    exports = []
    for fmt in ("csv", "xlsx", "pdf"):
        target = tmp_path / f"log.{fmt}"
        done = salon(manager, "log", "export", "--date", today_in(SystemClock()).isoformat(),
                     "--format", fmt, "-o", str(target), "--language", "en")
        assert done.returncode == 0, done.stderr
        exports.append(target)
    rows = list(csv.reader(io.StringIO(exports[0].read_text("utf-8-sig")), delimiter=";"))
    at = next(i for i, row in enumerate(rows) if row[:1] == ["Orders for pick-up by clerk (R11)"])
    assert rows[at + 1] == ["Clerk", "Printed", "Handed over", "Destroyed"]
    assert rows[at + 2] == ["clerk", "2", "1", "0"]
    assert "Orders for pick-up by clerk (R11)" in pdf_text(exports[2])

    # The canary: the typed number is nowhere but its last 4.
    files = [p for p in (tmp_path / "data").rglob("*") if p.is_file()] + exports
    for path in files:
        content = path.read_bytes()
        for form in CANARY_FORMS:
            assert form.encode() not in content and form.encode("utf-16-le") not in content, \
                (form, path)
    for path in [*exports[2:], Path(handed["receipt_path"])]:
        text = pdf_text(path)
        assert all(form not in text for form in CANARY_FORMS)
    for form in CANARY_FORMS:
        assert all(form not in text for text in salon.text), form


def test_destroy_needs_the_clerks_yes_and_an_expired_order(
        env: dict[str, str], salon: Transcript, tmp_path: Path) -> None:
    expired = ok(salon(env, "pickup", "list", "--expired", "--json"))
    assert isinstance(expired, list) and expired
    assert all(o["state"] == "expired" for o in expired)
    young = next(o for o in ok(salon(env, "pickup", "list", "--json"))
                 if o["state"] in ("new", "printed"))
    unconfirmed = salon(env, "pickup", "destroy", expired[0]["order"])
    assert unconfirmed.returncode == 2 and "--yes" in unconfirmed.stderr
    too_early = salon(env, "pickup", "destroy", young["order"], "--yes")
    assert too_early.returncode == 3 and "R11" in too_early.stderr
    both = salon(env, "pickup", "destroy", young["order"], "--all-expired", "--yes")
    assert both.returncode == 2
    done = ok(salon(env, "pickup", "destroy", "--all-expired", "--yes", "--json"))
    assert isinstance(done, dict) and not done["skipped"]
    assert sorted(o["order"] for o in done["destroyed"]) == sorted(o["order"] for o in expired)
    assert all(o["state"] == "destroyed" for o in done["destroyed"])
    assert ok(salon(env, "pickup", "list", "--expired", "--json")) == []
    again = salon(env, "pickup", "destroy", expired[0]["order"], "--yes")
    assert again.returncode == 3 and "R11" in again.stderr


def test_bad_input_changes_nothing(env: dict[str, str], salon: Transcript) -> None:
    assert salon(env, "pickup", "print").returncode == 2
    assert salon(env, "pickup", "print", "PU-1/../x").returncode == 2
    unknown = salon(env, "pickup", "print", "PU-999999")
    assert unknown.returncode == 2 and "PU-999999" in unknown.stderr
    assert salon(env, "pickup", "hand-over").returncode == 2


def _cups_id(env: dict[str, str], salon: Transcript, job_id: int) -> int:
    jobs = ok(salon(env, "print-jobs", "--json"))
    assert isinstance(jobs, list)
    return int(next(j["cups_job_id"] for j in jobs if j["id"] == job_id))
