"""R10 end to end: `salon` as a subprocess on the embedded training sandbox, the training clerk,
`[identity] require_for` at its default (everything). Before the visit's identity check the
card withholds its personal parts and every use case is refused (exit 3 naming R10); `salon
identify` reads the number from stdin, never argv; the visit holds for the next command at this
counter and ends with another subscriber or `--end`; more than five mismatches an hour lock the
subscriber's checks until a manager signs in. And the canary: a made-up document number typed
through the CLI is nowhere — database, logs, journal, exports, output — but its last 4.

The training world's documents come from `salon sandbox list --json`, as a trainee reads them;
the made-up canary is no one's, so the holder's check with it mismatches, and the
representative's check (which compares nothing) opens the visit."""

from __future__ import annotations

import json
import os
import subprocess
from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path

import pytest

from app.clock import SystemClock
from tests.conftest import write_ini
from tests.support.calendar import today_in

REPO = Path(__file__).resolve().parents[2]
SALON = str(REPO / ".venv" / "bin" / "salon")
MARIA, OLEG = "+79161234567", "+79261112233"
# The canary: a made-up RF passport number whose digits are in no demo phone number.
CANARY = "4510 730291"
CANARY_FORMS = ("4510 730291", "4510730291", "730291", "4510-730291", "510730")
TODAY = today_in(SystemClock())
POA = ("--representative", "--poa-number", "77 АБ 1234567", "--poa-date",
       (TODAY - timedelta(days=30)).isoformat())


@pytest.fixture
def env(tmp_path: Path) -> Iterator[dict[str, str]]:
    base = {k: v for k, v in os.environ.items() if not k.startswith("SALON_")}
    base.update(SALON_CONFIG=str(write_ini(tmp_path, identity={"require_for": "all"})),
                PYTHONPATH=str(REPO), SALON_CLERK="clerk", SALON_PASSWORD="clerk-demo",
                PYTHON_KEYRING_BACKEND="tests.support.keyring_file.FileKeyringForTests",
                SALON_TEST_KEYRING=str(tmp_path / "keyring.json"))
    yield base


class Transcript:
    """Every command's output, for the canary's scan."""

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


def demo(env: dict[str, str], salon: Transcript) -> list[dict[str, object]]:
    done = salon(env, "sandbox", "list", "--json")
    assert done.returncode == 0, done.stderr
    listed: list[dict[str, object]] = json.loads(done.stdout)
    return listed


DOCUMENT_OPTION = {"passportRF": "passport-rf", "foreignPassport": "foreign-passport",
                   "residencePermit": "residence-permit"}


def test_the_holders_own_document_matches_the_operators_record(
        env: dict[str, str], salon: Transcript) -> None:
    maria = next(d for d in demo(env, salon) if d["msisdn"] == MARIA)
    number = str(maria["document_number"])
    typed = number.replace(" ", "-")  # as written on the form: compared by letters and digits
    done = salon(env, "identify", MARIA, "--document",
                 DOCUMENT_OPTION[str(maria["document_type"])], "--json", stdin=typed + "\n")
    assert done.returncode == 0, done.stderr
    visit = json.loads(done.stdout)
    assert visit["presenter"] == "holder" and visit["last4"] == number[-4:]
    assert visit["verified"] is True
    card = json.loads(salon(env, "lookup", MARIA, "--json").stdout)
    assert card["identity"]["withheld"] == [] and card["balances"]["currency"] == "RUB"
    other = salon(env, "identify", MARIA, "--document", "foreign-passport", "--json",
                  stdin=number + "\n")  # the right number, another kind of document
    assert error_of(other)["code"] == "identity_mismatch"


def test_an_unverified_subscriber_is_shown_so_and_offered_only_the_check(
        env: dict[str, str], salon: Transcript) -> None:
    person = next(d for d in demo(env, salon)
                  if d["unverified"] and d["status"] == "active"
                  and d["document_type"] in DOCUMENT_OPTION)
    msisdn = str(person["msisdn"])
    card = json.loads(salon(env, "lookup", msisdn, "--json").stdout)
    assert card["identity"]["verified"] is False and card["balances"] is None
    assert "not confirmed by the operator (303-FZ)" in salon(env, "lookup", msisdn).stdout
    done = salon(env, "identify", msisdn, "--document",
                 DOCUMENT_OPTION[str(person["document_type"])],
                 stdin=str(person["document_number"]) + "\n")
    assert done.returncode == 0, done.stderr
    assert "303-FZ" in done.stdout
    refused = salon(env, "code", "status", msisdn, "--json")
    assert refused.returncode == 3 and "303-FZ" in refused.stderr
    assert json.loads(salon(env, "lookup", msisdn, "--json").stdout)["balances"] is None


def error_of(done: subprocess.CompletedProcess[str]) -> dict[str, object]:
    error: dict[str, object] = json.loads(done.stdout)["error"]
    return error


def test_before_the_check_the_card_withholds_and_every_use_case_is_refused(
        env: dict[str, str], salon: Transcript, tmp_path: Path) -> None:
    card = json.loads(salon(env, "lookup", MARIA, "--json").stdout)
    assert card["name"] and card["tariff"]["code"]  # enough to match person and document
    assert card["balances"] is None and card["services"] is None and card["assistant"] is None
    assert card["identity"] == {"withheld": ["address", "balances", "code", "services"],
                                "verified": True}
    text = salon(env, "lookup", MARIA).stdout
    assert "waits for the identity check (R10)" in text and "Main balance" not in text
    refused = [
        salon(env, "detalization", MARIA, "--from", TODAY.isoformat(), "--to",
              TODAY.isoformat(), "-o", str(tmp_path / "d.csv"), "--json"),
        salon(env, "code", "status", MARIA, "--json"),
        salon(env, "code", "issue", MARIA, "--json"),
        salon(env, "service", "add", MARIA, "FAVOURITE", "--yes", "--json"),
        salon(env, "tariff", MARIA, "SMART_PLUS", "--yes", "--json"),
        salon(env, "archive", "list", MARIA, "--json"),
    ]
    for done in refused:
        assert done.returncode == 3, done.stderr
        assert error_of(done)["rule"] == "R10", done.stdout
        assert error_of(done)["code"] == "identity_required"
        assert "identity" in done.stderr
    assert not (tmp_path / "d.csv").exists()


def test_the_check_holds_for_the_visit_at_this_counter_until_another_subscriber(
        env: dict[str, str], salon: Transcript, tmp_path: Path) -> None:
    done = salon(env, "identify", MARIA, "--document", "passport-rf", *POA, "--json",
                 stdin=CANARY + "\n")
    assert done.returncode == 0, done.stderr
    visit = json.loads(done.stdout)
    assert (visit["presenter"], visit["document"], visit["last4"]) == (
        "representative", "passportRF", "0291")
    assert visit["power_of_attorney"]["number"] == "77 АБ 1234567"
    card = json.loads(salon(env, "lookup", MARIA, "--json").stdout)  # the next command sees it
    assert card["balances"] is not None and card["identity"]["withheld"] == []
    assert salon(env, "code", "status", MARIA).returncode == 0
    made = salon(env, "detalization", MARIA, "--from", TODAY.isoformat(), "--to",
                 TODAY.isoformat(), "-o", str(tmp_path / "d.csv"))
    assert made.returncode == 0, made.stderr
    salon(env, "lookup", OLEG)  # another subscriber at this counter: the visit ends
    assert salon(env, "code", "status", MARIA).returncode == 3
    assert json.loads(salon(env, "lookup", MARIA, "--json").stdout)["balances"] is None
    salon(env, "identify", MARIA, "--document", "passport-rf", *POA, stdin=CANARY + "\n")
    ended = salon(env, "identify", "--end", MARIA, "--json")
    assert json.loads(ended.stdout) == {"msisdn": MARIA, "ended": True}
    assert salon(env, "code", "status", MARIA).returncode == 3


def test_a_number_on_the_command_line_is_refused_and_not_repeated(
        env: dict[str, str], salon: Transcript) -> None:
    done = salon(env, "identify", MARIA, "--document", "passport-rf", "4510", "730291",
                 "--json")
    assert done.returncode == 2
    assert "never given on the command line" in done.stderr
    assert "730291" not in done.stdout + done.stderr
    other = salon(env, "identify", MARIA, "--document", "passport-rf", "--representative",
                  "--json", stdin=CANARY + "\n")  # no power of attorney
    assert other.returncode == 2 and "--poa-number" in other.stderr


def test_more_than_five_mismatches_lock_until_a_manager_signs_in(
        env: dict[str, str], salon: Transcript, tmp_path: Path) -> None:
    for _ in range(5):
        done = salon(env, "identify", MARIA, "--document", "passport-rf", "--json",
                     stdin="4510 000001\n")
        assert done.returncode == 3 and error_of(done)["code"] == "identity_mismatch"
    locked = salon(env, "identify", MARIA, "--document", "passport-rf", "--json",
                   stdin="4510 000001\n")
    assert locked.returncode == 3 and error_of(locked)["code"] == "identity_locked"
    assert "manager" in locked.stderr
    # A representative's check is locked too: the lock is the subscriber's.
    assert salon(env, "identify", MARIA, "--document", "passport-rf", *POA,
                 stdin=CANARY + "\n").returncode == 3
    manager = {**env, "SALON_CLERK": "manager", "SALON_PASSWORD": "manager-demo"}
    tail = salon(manager, "audit", "tail", "-n", "20", "--json")
    assert tail.returncode == 0, tail.stderr
    entries = json.loads(tail.stdout)
    checks = [e for e in entries if e["action"] == "identity_check"]
    assert [e["reason"] for e in checks].count("mismatch") == 5
    assert [e["reason"] for e in checks].count("locked") == 2
    assert all(e["clerk"] == "clerk" for e in checks)
    assert all(e["detail"].endswith("*0001")
               or e["detail"].startswith("representative passportRF *0291") for e in checks)
    again = salon(env, "identify", MARIA, "--document", "passport-rf", "--json",
                  stdin="4510 000001\n")
    assert error_of(again)["code"] == "identity_mismatch"  # compared again, not locked
    log = tmp_path / "day.csv"
    exported = salon(manager, "log", "export", "--date", TODAY.isoformat(), "--format", "csv",
                     "-o", str(log), "--language", "en")
    assert exported.returncode == 0, exported.stderr
    rows = [line.split(";") for line in log.read_text("utf-8-sig").splitlines()]
    start = next(i for i, row in enumerate(rows) if row[0] == "Identity checks by clerk (R10)")
    # The clerk's checks of the day: 8 in all, every one refused (5 + 1 mismatches, 2 locked).
    assert rows[start + 2][1:] == ["8", "0", "8", "0"], rows[start:start + 4]


def test_the_canary_number_is_nowhere_but_its_last_4(
        env: dict[str, str], salon: Transcript, tmp_path: Path) -> None:
    assert all(CANARY not in str(d["document_number"]) for d in demo(env, salon))
    holder = salon(env, "identify", MARIA, "--document", "passport-rf", "--json",
                   stdin=CANARY + "\n")
    assert holder.returncode == 3  # no one's document
    visit = salon(env, "identify", MARIA, "--document", "passport-rf", *POA,
                  stdin=CANARY + "\n")
    assert visit.returncode == 0 and "0291" in visit.stdout
    salon(env, "lookup", MARIA, "--json")
    manager = {**env, "SALON_CLERK": "manager", "SALON_PASSWORD": "manager-demo"}
    journal = salon(manager, "audit", "tail", "-n", "50", "--json")
    assert "*0291" in journal.stdout
    exports = []
    for fmt in ("csv", "xlsx", "pdf"):
        target = tmp_path / f"log.{fmt}"
        done = salon(manager, "log", "export", "--date", TODAY.isoformat(), "--format", fmt,
                     "-o", str(target), "--language", "en")
        assert done.returncode == 0, done.stderr
        exports.append(target)
    csv_text = exports[0].read_text("utf-8-sig")
    assert "ending in 0291" in csv_text and "Identity checks by clerk (R10)" in csv_text
    files = [path for path in (tmp_path / "data").rglob("*") if path.is_file()]
    files += exports
    assert any(path.name == "salon.db" for path in files)
    for path in files:
        content = path.read_bytes()
        for form in CANARY_FORMS:
            for encoded in (form.encode(), form.encode("utf-16-le")):
                assert encoded not in content, f"{form} in {path}"
    for form in CANARY_FORMS:
        assert all(form not in text for text in salon.text), form
    for fmt_path in exports[1:]:  # compressed: the text inside, read as a reader would
        text = _document_text(fmt_path)
        assert "0291" in text and all(form not in text for form in CANARY_FORMS)


def _document_text(path: Path) -> str:
    if path.suffix == ".pdf":
        done = subprocess.run(["pdftotext", str(path), "-"], capture_output=True, text=True,
                              check=True)
        return done.stdout
    import zipfile

    with zipfile.ZipFile(path) as archive:
        return " ".join(archive.read(name).decode("utf-8", "replace")
                        for name in archive.namelist())


def test_an_archive_document_named_by_its_id_is_its_identified_owners_only(
        env: dict[str, str], salon: Transcript, tmp_path: Path) -> None:
    document = tmp_path / "note.txt"
    document.write_text("a note for the personal archive\n", "utf-8")
    salon(env, "identify", MARIA, "--document", "passport-rf", *POA, stdin=CANARY + "\n")
    upload = salon(env, "archive", "upload", MARIA, str(document), "--json")
    assert upload.returncode == 0, upload.stderr
    document_id = json.loads(upload.stdout)["id"]
    fetched = salon(env, "archive", "fetch", document_id, "-o", str(tmp_path / "got.txt"))
    assert fetched.returncode == 0, fetched.stderr
    salon(env, "identify", "--end", MARIA)
    nobody = salon(env, "archive", "fetch", document_id, "--json")
    assert nobody.returncode == 3 and error_of(nobody)["rule"] == "R10"
    salon(env, "identify", OLEG, "--document", "passport-rf", *POA, stdin=CANARY + "\n")
    other = salon(env, "archive", "fetch", document_id, "--json")  # not Oleg's document
    assert other.returncode == 3 and document_id in str(error_of(other)["message"])
