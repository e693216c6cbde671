"""Delivery goes only to the subscriber (issue 14.5, R10), end to end: `salon` as a subprocess on
the embedded training sandbox (over loopback), a real SMTP server on loopback with STARTTLS,
`[identity] require_for` at everything. A document goes to the address the operator holds
(TMF629 `contactMedium`, read from the world as `salon sandbox list --json` shows it) after the
identity check, or to one the identified holder gives at the counter (journaled masked); a
representative cannot give one; any other address is refused (exit 3, R10) and nothing
reaches the relay; `salon email --to` without `--phone` is the identified visit's subscriber's;
the monthly mailing likewise. No address is written in full in the journal, the daily log's
exports, the database or the logs."""

from __future__ import annotations

import json
import os
import subprocess
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from app.clock import SystemClock
from app.formatting import mask_email
from tests.conftest import write_ini
from tests.support.calendar import today_in
from tests.support.smtp import LOGIN, PASSWORD, MailServer, running_smtp

REPO = Path(__file__).resolve().parents[2]
SALON = str(REPO / ".venv" / "bin" / "salon")
MARIA, OLEG = "+79161234567", "+79261112233"  # the showcase numbers with an address on file
STRANGER = "stranger.box@elsewhere.example"  # no one's
GIVEN = "new.mailbox.5521@mail.example"  # what the holder tells the clerk at the counter
TODAY = today_in(SystemClock())
CANARY = "4510 730291"  # no one's document: a representative's check opens the visit
POA = ("--representative", "--poa-number", "77 АБ 1234567", "--poa-date", TODAY.isoformat())


def salon(env: dict[str, str], *args: str, stdin: str = "") -> subprocess.CompletedProcess[str]:
    return subprocess.run([SALON, *args], env=env, input=stdin, capture_output=True, text=True,
                          timeout=300)


@pytest.fixture
def mail(tmp_path: Path) -> Iterator[tuple[MailServer, dict[str, str]]]:
    with running_smtp(tmp_path) as server:
        env = {k: v for k, v in os.environ.items() if not k.startswith("SALON_")}
        env.update(
            SALON_CONFIG=str(write_ini(tmp_path, identity={"require_for": "all"}, email={
                "host": server.host, "port": str(server.port), "username": LOGIN,
                "from": "salon@example.ru"})),
            SALON_CLERK="clerk", SALON_PASSWORD="clerk-demo", PYTHONPATH=str(REPO),
            PYTHON_KEYRING_BACKEND="tests.support.keyring_file.FileKeyringForTests",
            SALON_TEST_KEYRING=str(tmp_path / "keyring.json"),
            SSL_CERT_FILE=str(server.cert))  # the relay's certificate, trusted
        stored = salon(env, "credentials", "set", "--smtp", stdin=PASSWORD + "\n")
        assert stored.returncode == 0, stored.stderr
        yield server, env


def world(env: dict[str, str]) -> dict[str, dict[str, Any]]:
    """The training world's records by number, as a trainee reads them."""
    listed = salon(env, "sandbox", "list", "--json")
    assert listed.returncode == 0, listed.stderr
    return {row["msisdn"]: row for row in json.loads(listed.stdout)}


def identify_holder(env: dict[str, str], record: dict[str, Any]) -> None:
    option = {"passportRF": "passport-rf", "foreignPassport": "foreign-passport",
              "residencePermit": "residence-permit"}[record["document_type"]]
    done = salon(env, "identify", record["msisdn"], "--document", option, "--json",
                 stdin=f"{record['document_number']}\n")
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout)["presenter"] == "holder"


def error_of(done: subprocess.CompletedProcess[str]) -> dict[str, Any]:
    error: dict[str, Any] = json.loads(done.stdout)["error"]
    return error


def document(tmp_path: Path) -> Path:
    path = tmp_path / "note.txt"
    path.write_text("a document for the subscriber\n", "utf-8")
    return path


def journal(env: dict[str, str]) -> str:
    manager = {**env, "SALON_CLERK": "manager", "SALON_PASSWORD": "manager-demo"}
    tail = salon(manager, "audit", "tail", "-n", "60", "--json")
    assert tail.returncode == 0, tail.stderr
    return tail.stdout


def test_the_operators_address_after_the_check_a_holders_given_one_and_no_other(
        mail: tuple[MailServer, dict[str, str]], tmp_path: Path) -> None:
    server, env = mail
    maria = world(env)[MARIA]
    held = maria["email"]
    assert held, "the showcase subscriber has an address on file"
    doc = document(tmp_path)
    before = salon(env, "email", str(doc), "--to", held, "--phone", MARIA, "--json")
    assert before.returncode == 3 and error_of(before)["rule"] == "R10"
    card = json.loads(salon(env, "lookup", MARIA, "--json").stdout)
    assert card["mailing"] is None and "address" in card["identity"]["withheld"]

    identify_holder(env, maria)
    card = json.loads(salon(env, "lookup", MARIA, "--json").stdout)
    assert card["mailing"] == [mask_email(held)]
    text = salon(env, "lookup", MARIA)
    assert mask_email(held) in text.stdout and held not in text.stdout

    to_held = salon(env, "email", str(doc), "--phone", MARIA, "--json")  # the operator's
    assert to_held.returncode == 0, to_held.stderr
    assert json.loads(to_held.stdout)["kind"] == "operator"
    assert [letter.rcpt_tos for letter in server.letters()] == [[held]]

    foreign = salon(env, "email", str(doc), "--to", STRANGER, "--phone", MARIA, "--json")
    assert foreign.returncode == 3, foreign.stderr
    assert (error_of(foreign)["code"], error_of(foreign)["rule"]) == ("address_refused", "R10")
    assert "R10" in foreign.stderr and "Nothing was sent" in foreign.stderr
    assert len(server.letters()) == 1

    given = salon(env, "email", str(doc), "--to", GIVEN, "--given-by-holder", "--phone", MARIA,
                  "--json")
    assert given.returncode == 0, given.stderr
    answer = json.loads(given.stdout)
    assert (answer["to"], answer["kind"]) == (mask_email(GIVEN), "counter")
    assert server.letters()[-1].rcpt_tos == [GIVEN]

    entries = [e for e in json.loads(journal(env)) if e["action"] == "email"]
    assert [(e["result"], e["detail"]) for e in entries] == [
        ("refused", f"note.txt → {mask_email(held)}"),
        ("done", f"note.txt → {mask_email(held)} (operator)"),
        ("refused", f"note.txt → {mask_email(STRANGER)}"),
        ("done", f"note.txt → {mask_email(GIVEN)} (counter)")]
    assert_nowhere_in_full(env, tmp_path, (held, GIVEN, STRANGER))


def assert_nowhere_in_full(env: dict[str, str], tmp_path: Path,
                           addresses: tuple[str, ...]) -> None:
    """The journal, the day's log in each format (read as a reader would), the database and
    the logs hold no address in full."""
    manager = {**env, "SALON_CLERK": "manager", "SALON_PASSWORD": "manager-demo"}
    exports = []
    for fmt in ("csv", "xlsx", "pdf"):
        target = tmp_path / f"day.{fmt}"
        done = salon(manager, "log", "export", "--date", TODAY.isoformat(), "--format", fmt,
                     "-o", str(target), "--language", "en")
        assert done.returncode == 0, done.stderr
        exports.append(target)
    csv_text = exports[0].read_text("utf-8-sig")
    assert f"{mask_email(addresses[1])} (given by the holder at the counter)" in csv_text
    texts = [journal(env), csv_text, *(_document_text(path) for path in exports[1:])]
    files = [path for path in (tmp_path / "data").rglob("*") if path.is_file()]
    for address in addresses:
        assert all(address not in text for text in texts), address
        for path in files:
            assert address.encode() not in path.read_bytes(), f"{address} in {path}"


def _document_text(path: Path) -> str:
    if path.suffix == ".pdf":
        return subprocess.run(["pdftotext", str(path), "-"], capture_output=True, text=True,
                              check=True).stdout
    import zipfile

    with zipfile.ZipFile(path) as archive:
        return " ".join(archive.read(name).decode("utf-8", "replace")
                        for name in archive.namelist())


def test_a_representative_cannot_give_a_new_address(
        mail: tuple[MailServer, dict[str, str]], tmp_path: Path) -> None:
    server, env = mail
    doc = document(tmp_path)
    visit = salon(env, "identify", MARIA, "--document", "passport-rf", *POA, stdin=CANARY + "\n")
    assert visit.returncode == 0, visit.stderr
    refused = salon(env, "email", str(doc), "--to", GIVEN, "--given-by-holder", "--phone",
                    MARIA, "--json")
    assert refused.returncode == 3 and error_of(refused)["code"] == "address_refused"
    assert "representative" in refused.stderr
    assert server.letters() == []
    held = salon(env, "email", str(doc), "--phone", MARIA, "--json")  # the operator's: yes
    assert held.returncode == 0, held.stderr
    assert server.letters()[-1].rcpt_tos == [world(env)[MARIA]["email"]]


def test_email_without_a_number_is_the_identified_visits_subscribers_only(
        mail: tuple[MailServer, dict[str, str]], tmp_path: Path) -> None:
    """The hole `salon email FILE --to ADDRESS` (no --phone) left open: closed."""
    server, env = mail
    records = world(env)
    doc = document(tmp_path)
    nobody = salon(env, "email", str(doc), "--to", STRANGER, "--json")
    assert nobody.returncode == 3, nobody.stdout + nobody.stderr
    assert error_of(nobody)["rule"] == "R10" and server.letters() == []

    identify_holder(env, records[OLEG])
    marias = salon(env, "email", str(doc), "--to", records[MARIA]["email"], "--json")
    assert marias.returncode == 3 and error_of(marias)["code"] == "address_refused"
    stranger = salon(env, "email", str(doc), "--to", STRANGER, "--json")
    assert stranger.returncode == 3 and server.letters() == []
    olegs = salon(env, "email", str(doc), "--json")  # Oleg's own address, from the operator
    assert olegs.returncode == 0, olegs.stderr
    assert [letter.rcpt_tos for letter in server.letters()] == [[records[OLEG]["email"]]]
    entries = [e for e in json.loads(journal(env)) if e["action"] == "email"]
    assert entries[-1]["subscriber"] == OLEG and entries[-1]["result"] == "done"


def test_the_monthly_mailing_after_the_check_and_to_the_subscribers_address_only(
        mail: tuple[MailServer, dict[str, str]]) -> None:
    _server, env = mail
    maria = world(env)[MARIA]
    before = salon(env, "subscription", "add", MARIA, "--email", maria["email"], "--json")
    assert before.returncode == 3 and error_of(before)["code"] == "identity_required"
    salon(env, "identify", MARIA, "--document", "passport-rf", *POA, stdin=CANARY + "\n")
    represented = salon(env, "subscription", "add", MARIA, "--email", GIVEN,
                        "--given-by-holder", "--json")
    assert represented.returncode == 3 and error_of(represented)["code"] == "address_refused"
    identify_holder(env, maria)
    foreign = salon(env, "subscription", "add", MARIA, "--email", STRANGER, "--json")
    assert foreign.returncode == 3 and error_of(foreign)["code"] == "address_refused"
    listed = salon(env, "subscription", "list", "--json")
    assert json.loads(listed.stdout) == []
    added = salon(env, "subscription", "add", MARIA, "--json")  # the operator's address
    assert added.returncode == 0, added.stderr
    assert json.loads(added.stdout)["email"] == mask_email(maria["email"])
    entries = [e for e in json.loads(journal(env)) if e["action"] == "email"]
    assert entries[-1]["detail"].endswith(
        f"→ {mask_email(maria['email'])} (operator), from {entries[-1]['detail'][-7:]}")


def test_a_document_made_for_one_subscriber_goes_to_no_other(
        mail: tuple[MailServer, dict[str, str]], tmp_path: Path) -> None:
    """A detalization e-mailed with `--deliver email` goes to its subscriber's address after
    the check (a foreign one is refused before the report is made); the same file, named by
    its id as the console wrote it, is refused for the next subscriber's visit."""
    from tests.support.calendar import last_month

    server, env = mail
    records = world(env)
    first, last = (day.isoformat() for day in last_month(TODAY))
    identify_holder(env, records[MARIA])
    foreign = salon(env, "detalization", MARIA, "--from", first, "--to", last, "--format",
                    "csv", "--deliver", "email", "--email", STRANGER, "--json")
    assert foreign.returncode == 3 and error_of(foreign)["code"] == "address_refused"
    assert server.letters() == []
    made = salon(env, "detalization", MARIA, "--from", first, "--to", last, "--format", "csv",
                 "--deliver", "email", "--email", records[MARIA]["email"], "--json")
    assert made.returncode == 0, made.stderr
    report = json.loads(made.stdout)
    assert report["delivery"]["email"]["kind"] == "operator"
    assert [letter.rcpt_tos for letter in server.letters()] == [[records[MARIA]["email"]]]
    path = Path(report["path"])
    assert path.stem == report["document_id"]

    identify_holder(env, records[OLEG])  # the next subscriber at this counter
    other = salon(env, "email", str(path), "--json")  # to Oleg's own address: not his
    assert other.returncode == 3, other.stdout + other.stderr
    assert error_of(other)["code"] == "address_refused" and path.name in other.stderr
    assert len(server.letters()) == 1
