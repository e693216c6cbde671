"""`salon print`, `printers`, `print-jobs`, `email`, `archive`, `subscription`, `deliver-due`,
`detalization --deliver` and `purge` as subprocesses, against the real parts: the private
cupsd with its cups-pdf queue, an SMTP server with STARTTLS (the password set with
`salon credentials set --smtp`), and the embedded training sandbox."""

from __future__ import annotations

import json
import os
import sqlite3
import subprocess
from collections.abc import Iterator
from contextlib import closing
from pathlib import Path

import pytest

from app.clock import SystemClock
from tests.conftest import write_ini
from tests.support.calendar import last_month, ru, today_in
from tests.support.cups import FAILING_QUEUE, PDF_QUEUE, PrivateCups
from tests.support.pdf_compare import ascii_tokens, page_count, words
from tests.support.pinned import WORLD_AT
from tests.support.smtp import LOGIN, PASSWORD, MailServer, attachment, running_smtp

REPO = Path(__file__).resolve().parents[2]
SALON = str(REPO / ".venv" / "bin" / "salon")
MARIA = "+79161234567"


# Last month, by the clock the CLI runs on: always past, always in the world's history.
FIRST, LAST = (d.isoformat() for d in last_month(today_in(SystemClock())))


def salon(env: dict[str, str], *args: str, stdin: str = "") -> subprocess.CompletedProcess[str]:
    return subprocess.run([SALON, *args], env=env, input=stdin, capture_output=True, text=True,
                          timeout=300)


def env_for(tmp_path: Path, **sections: dict[str, str]) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("SALON_")}
    env.update(SALON_CONFIG=str(write_ini(tmp_path, **sections)), SALON_CLERK="clerk",
               SALON_PASSWORD="clerk-demo", PYTHONPATH=str(REPO),
               PYTHON_KEYRING_BACKEND="tests.support.keyring_file.FileKeyringForTests",
               SALON_TEST_KEYRING=str(tmp_path / "keyring.json"))
    return env


@pytest.fixture
def printing_env(cups: PrivateCups, tmp_path: Path) -> Iterator[dict[str, str]]:
    cups.cancel_all()
    yield env_for(tmp_path, printing={"server": str(cups.socket), "printer": PDF_QUEUE})
    for name in (PDF_QUEUE, FAILING_QUEUE):
        cups.enable(name)
        cups.accept(name)


def latin_pdf(path: Path, text: str) -> Path:
    from reportlab.pdfgen.canvas import Canvas

    canvas = Canvas(str(path))
    canvas.setFont("Helvetica", 14)
    canvas.drawString(72, 760, text)
    canvas.save()
    return path


def test_print_then_the_queue(printing_env: dict[str, str], cups: PrivateCups,
                              tmp_path: Path) -> None:
    listed = salon(printing_env, "printers", "--json")
    assert listed.returncode == 0, listed.stderr
    printers = {p["name"]: p for p in json.loads(listed.stdout)}
    assert printers[PDF_QUEUE]["chosen"] and printers[PDF_QUEUE]["state"] == "idle"
    document = latin_pdf(tmp_path / "Confirmation ORD-000009.pdf", "Order ORD-000009 done")
    done = salon(printing_env, "print", str(document), "--json")
    assert done.returncode == 0, done.stderr
    job = json.loads(done.stdout)
    assert job["state"] == "done" and job["printer"] == PDF_QUEUE and job["kind"] == "file"
    assert words(cups.printed(job["cups_job_id"])) == "Order ORD-000009 done"
    jobs = json.loads(salon(printing_env, "print-jobs", "--json").stdout)
    assert [(j["id"], j["state"]) for j in jobs] == [(job["id"], "done")]
    human = salon(printing_env, "print-jobs")
    assert "printed" in human.stdout and document.name in human.stdout


def test_a_failure_exits_6_with_the_kept_path_within_10_seconds(
        printing_env: dict[str, str], cups: PrivateCups, tmp_path: Path) -> None:
    document = latin_pdf(tmp_path / "slip.pdf", "slip")
    for break_it, fix_it, words_ in (
            (lambda: cups.reject(PDF_QUEUE, "Out of toner"), lambda: cups.accept(PDF_QUEUE),
             "not accepting jobs (Out of toner)"),
            (lambda: cups.disable(PDF_QUEUE, "Paper jam"), lambda: cups.enable(PDF_QUEUE),
             "is stopped (Paper jam)")):
        break_it()
        failed = salon(printing_env, "print", str(document))  # how soon: benchmarks/printing
        assert failed.returncode == 6 and words_ in failed.stderr
        assert f"The document is kept: {document}" in failed.stderr
        assert "Traceback" not in failed.stderr
        fix_it()
    jobs = json.loads(salon(printing_env, "print-jobs", "--json").stdout)
    assert [job["state"] for job in jobs] == ["failed", "failed"]
    again = salon(printing_env, "print-jobs", "retry", str(jobs[0]["id"]), "--json")
    assert again.returncode == 0, again.stderr
    assert json.loads(again.stdout)["state"] == "done"
    assert words(cups.printed(json.loads(again.stdout)["cups_job_id"])) == "slip"


def test_an_aborted_job_and_an_unknown_queue(printing_env: dict[str, str],
                                             tmp_path: Path) -> None:
    document = latin_pdf(tmp_path / "x.pdf", "x")
    aborted = salon(printing_env, "print", str(document), "--printer", FAILING_QUEUE)
    assert aborted.returncode == 6 and "failed to print the document" in aborted.stderr
    unknown = salon(printing_env, "print", str(document), "--printer", "Nowhere")
    assert unknown.returncode == 6 and "no printer named «Nowhere»" in unknown.stderr
    bad = salon(printing_env, "print", str(tmp_path / "missing.pdf"))
    assert bad.returncode == 2


def test_no_cupsd(tmp_path: Path) -> None:
    env = env_for(tmp_path, printing={"server": str(tmp_path / "no-cups.sock"),
                                      "printer": PDF_QUEUE})
    document = latin_pdf(tmp_path / "x.pdf", "x")
    failed = salon(env, "print", str(document))
    assert failed.returncode == 6 and "cannot be reached" in failed.stderr
    assert str(document) in failed.stderr
    listed = salon(env, "printers")
    assert listed.returncode == 1 and "cannot be reached" in listed.stderr


def test_the_counter_chooses_its_printer(printing_env: dict[str, str]) -> None:
    chosen = salon(printing_env, "printers", "choose", FAILING_QUEUE)
    assert chosen.returncode == 0 and FAILING_QUEUE in chosen.stdout
    printers = {p["name"]: p for p in json.loads(
        salon(printing_env, "printers", "--json").stdout)}
    assert printers[FAILING_QUEUE]["chosen"] and not printers[PDF_QUEUE]["chosen"]
    assert salon(printing_env, "printers", "choose", "Nowhere").returncode == 2
    assert salon(printing_env, "printers", "forget").returncode == 0
    printers = {p["name"]: p for p in json.loads(
        salon(printing_env, "printers", "--json").stdout)}
    assert printers[PDF_QUEUE]["chosen"]  # salon.ini's again


def test_a_detalization_on_paper(printing_env: dict[str, str], cups: PrivateCups) -> None:
    done = salon(printing_env, "detalization", MARIA, "--from", FIRST, "--to",
                 LAST, "--summary", "--deliver", "paper", "--json")
    assert done.returncode == 0, done.stderr
    info = json.loads(done.stdout)
    delivery = info["delivery"]
    assert delivery["method"] == "paper" and delivery["print_job"]["state"] == "done"
    assert Path(info["path"]).parent.name == "documents"  # the console's own copy, kept
    printed = cups.printed(delivery["print_job"]["cups_job_id"])
    sent = Path(info["path"])
    assert ascii_tokens(printed) == ascii_tokens(sent)
    assert ascii_tokens(printed)[info["document_id"].split("-")[2]] >= 1
    wrong = salon(printing_env, "detalization", MARIA, "--from", FIRST, "--to",
                  LAST, "--format", "csv", "--deliver", "paper")
    assert wrong.returncode == 2 and "pdf" in wrong.stderr


@pytest.fixture
def mail(tmp_path: Path) -> Iterator[tuple[MailServer, dict[str, str]]]:
    with running_smtp(tmp_path) as server:
        env = env_for(tmp_path, email={"host": server.host, "port": str(server.port),
                                       "username": LOGIN, "from": "salon@example.ru"})
        env["SSL_CERT_FILE"] = str(server.cert)  # the relay's certificate, trusted
        yield server, env


def test_email_with_the_password_from_the_keyring(mail, tmp_path: Path) -> None:
    server, env = mail
    document = latin_pdf(tmp_path / "report.pdf", "report")
    no_password = salon(env, "email", str(document), "--to", "ivanova@example.ru")
    assert no_password.returncode == 2 and "credentials set --smtp" in no_password.stderr
    stored = salon(env, "credentials", "set", "--smtp", stdin=PASSWORD + "\n")
    assert stored.returncode == 0, stored.stderr
    sent = salon(env, "email", str(document), "--to", "ivanova@example.ru", "--phone", MARIA,
                 "--json")
    assert sent.returncode == 0, sent.stderr
    assert json.loads(sent.stdout)["to"] == "i***@example.ru"
    [letter] = server.letters()
    assert letter.tls and letter.login == LOGIN
    assert attachment(letter.message)[2] == document.read_bytes()
    bad = salon(env, "email", str(document), "--to", "ivanova@")
    assert bad.returncode == 2 and "is not an e-mail address" in bad.stderr
    assert len(server.letters()) == 1
    tail = salon({**env, "SALON_CLERK": "manager", "SALON_PASSWORD": "manager-demo"},
                 "audit", "tail", "-n", "5", "--json")
    assert tail.returncode == 0, tail.stderr
    journal = tail.stdout
    assert "i***@example.ru" in journal and "ivanova@example.ru" not in journal
    assert PASSWORD not in journal
    for path in (tmp_path / "data").rglob("*"):
        if path.is_file():
            assert PASSWORD.encode() not in path.read_bytes(), path


def test_a_detalization_by_email(mail, tmp_path: Path) -> None:
    server, env = mail
    assert salon(env, "credentials", "set", "--smtp", stdin=PASSWORD + "\n").returncode == 0
    refused = salon(env, "detalization", MARIA, "--from", FIRST, "--to", LAST,
                    "--format", "xlsx", "--deliver", "email", "--email", "not an address")
    assert refused.returncode == 2 and "is not an e-mail address" in refused.stderr
    assert not list((tmp_path / "data" / "documents").glob("DET-*"))  # nothing was made
    done = salon(env, "detalization", MARIA, "--from", FIRST, "--to", LAST,
                 "--format", "xlsx", "--deliver", "email", "--email", "ivanova@example.ru")
    assert done.returncode == 0, done.stderr
    assert "Sent by e-mail to i***@example.ru" in done.stdout
    [letter] = server.letters()
    first, last = last_month(today_in(SystemClock()))
    assert letter.message["Subject"] == f"Детализация за {ru(first)} — {ru(last)}"
    name, content_type, content = attachment(letter.message)
    assert name.startswith("DET-") and name.endswith(".xlsx")
    assert content_type.endswith("spreadsheetml.sheet") and content[:2] == b"PK"


def advance_embedded_sandbox(data_dir: Path, seconds: int) -> None:
    """Move the training sandbox's clock, as `POST /sandbox/clock` would, in its file: the
    data folder's sandbox is stopped first (the next command starts it on the moved clock)."""
    from sandbox.clock import Clock
    from sandbox.resident import stop
    from sandbox.store import Store

    stop(data_dir)

    store = Store.open(data_dir / "sandbox.db", 2026, now=WORLD_AT)
    try:
        Clock(store).advance(seconds)
    finally:
        store.close()


def test_the_personal_archive(tmp_path: Path) -> None:
    env = env_for(tmp_path)
    document = latin_pdf(tmp_path / "Детализация.pdf", "archived")
    up = salon(env, "archive", "upload", "8 916 123-45-67", str(document), "--json")
    assert up.returncode == 0, up.stderr
    doc = json.loads(up.stdout)
    listed = json.loads(salon(env, "archive", "list", MARIA, "--json").stdout)
    assert [(d["id"], d["expires_at"]) for d in listed] == [(doc["id"], doc["expires_at"])]
    target = tmp_path / "again.pdf"
    fetched = salon(env, "archive", "fetch", doc["id"], "-o", str(target))
    assert fetched.returncode == 0 and target.read_bytes() == document.read_bytes()
    advance_embedded_sandbox(tmp_path / "data", 3 * 86400 + 60)
    expired = salon(env, "archive", "fetch", doc["id"])
    assert expired.returncode == 3
    assert "expired on" in expired.stderr and "3 days" in expired.stderr
    assert json.loads(salon(env, "archive", "list", MARIA, "--json").stdout) == []


def test_a_subscription_and_deliver_due(mail, tmp_path: Path) -> None:
    server, env = mail
    assert salon(env, "credentials", "set", "--smtp", stdin=PASSWORD + "\n").returncode == 0
    added = salon(env, "subscription", "add", MARIA, "--email", "ivanova@example.ru",
                  "--json")
    assert added.returncode == 0, added.stderr
    sub = json.loads(added.stdout)
    today = today_in(SystemClock())  # the CLI runs on real time too
    this_month, previous = today.strftime("%Y-%m"), last_month(today)[0].strftime("%Y-%m")
    assert sub["email"] == "i***@example.ru" and sub["first_period"] == this_month
    nothing = salon(env, "deliver-due", "--json")
    assert nothing.returncode == 0 and json.loads(nothing.stdout) == {"sent": [], "failed": []}
    # As if it had been made last month: last month is due now, once.
    with closing(sqlite3.connect(tmp_path / "data" / "salon.db")) as db, db:
        db.execute("UPDATE delivery_subscription SET first_period = ?", (previous,))
    due = salon(env, "deliver-due", "--json")
    assert due.returncode == 0, due.stderr
    assert json.loads(due.stdout)["sent"] == [{"subscription": sub["id"], "period": previous,
                                               "to": "i***@example.ru"}]
    assert json.loads(salon(env, "deliver-due", "--json").stdout)["sent"] == []
    assert len(server.letters()) == 1
    listed = json.loads(salon(env, "subscription", "list", "--json").stdout)
    assert listed[0]["months"][0]["state"] == "sent"
    assert salon(env, "subscription", "remove", str(sub["id"])).returncode == 0
    assert json.loads(salon(env, "subscription", "list", "--json").stdout) == []


def test_purge_removes_old_local_documents(tmp_path: Path) -> None:
    """R9 by the console's clock: the training world's clock moved three days on takes the
    leaflet the console made before it and a file found in the folder then, whatever their
    modification times; what is newer stays, and a file outside the folder is the clerk's."""
    env = env_for(tmp_path)
    documents = tmp_path / "data" / "documents"

    def leaflet() -> Path:
        made = salon(env, "code", "leaflet")
        assert made.returncode == 0, made.stderr
        return Path(made.stdout.split(": ", 1)[1].strip())

    old = leaflet()
    stray = documents / "slips" / "put here by hand.pdf"
    stray.parent.mkdir(parents=True, exist_ok=True)
    stray.write_bytes(b"%PDF-1.7")
    mine = latin_pdf(tmp_path / "mine.pdf", "the clerk's own file")
    assert salon(env, "purge").returncode == 0  # the stray file is seen (and dated) now
    assert old.exists() and stray.exists()
    advance_embedded_sandbox(tmp_path / "data", 3 * 86400 + 60)
    done = salon(env, "purge", "--json")
    assert done.returncode == 0, done.stderr
    # The console purges at every start; the command counts what that start removed too.
    report = json.loads(done.stdout)
    assert report["documents"] == report["at_start"] == 2
    assert not old.exists() and not stray.exists() and mine.exists()
    fresh = leaflet()  # made on the moved clock: a period from now
    again = json.loads(salon(env, "purge", "--json").stdout)
    assert again["documents"] == again["at_start"] == 0 and fresh.exists()


def test_an_operation_s_slip_on_paper_and_a_failed_print_never_repeats_it(
        printing_env: dict[str, str], cups: PrivateCups) -> None:
    """`--deliver paper` on an operation prints its slip; when the print fails the change
    stands (reported as done, exit 6 with the kept slip's path) and is not sent again."""
    done = salon(printing_env, "service", "add", MARIA, "WHO_CALLED", "--yes", "--json",
                 "--deliver", "paper")
    assert done.returncode == 0, done.stderr
    report = json.loads(done.stdout)
    assert report["status"] == "done"
    job = report["delivery"]["print_job"]
    assert report["delivery"]["method"] == "paper" and job["state"] == "done"
    assert ascii_tokens(cups.printed(job["cups_job_id"])) == ascii_tokens(
        Path(report["slip_path"]))

    cups.disable(PDF_QUEUE, "Paper jam")
    try:
        failed = salon(printing_env, "service", "remove", MARIA, "WHO_CALLED", "--yes",
                       "--deliver", "paper")
    finally:
        cups.enable(PDF_QUEUE)
    assert failed.returncode == 6, failed.stderr
    assert "Paper jam" in failed.stderr and "Traceback" not in failed.stderr
    slip = next(line.split(": ", 1)[1] for line in failed.stdout.splitlines()
                if line.startswith("Confirmation slip: "))
    assert f"The document is kept: {slip}" in failed.stderr
    outbox = json.loads(salon(printing_env, "outbox", "--json").stdout)
    mine = [item for item in outbox if item["msisdn"] == MARIA]
    assert [(i["action"], i["state"]) for i in mine] == [
        ("remove_service", "done"), ("add_service", "done")]  # each exactly once

    # Asked before anything is changed: a slip cannot go by e-mail without an address.
    refused = salon(printing_env, "service", "add", MARIA, "WHO_CALLED", "--yes",
                    "--email", "x@example.ru")
    assert refused.returncode == 2 and "--deliver email" in refused.stderr


def test_the_leaflet_on_paper(printing_env: dict[str, str], cups: PrivateCups) -> None:
    done = salon(printing_env, "code", "leaflet", MARIA, "--deliver", "paper", "--json")
    assert done.returncode == 0, done.stderr
    made = json.loads(done.stdout)
    job = made["delivery"]["print_job"]
    assert job["state"] == "done" and job["printer"] == PDF_QUEUE
    assert page_count(cups.printed(job["cups_job_id"])) == page_count(Path(made["path"]))
    kinds = [j["kind"] for j in json.loads(salon(printing_env, "print-jobs", "--json").stdout)]
    assert kinds[0] == "leaflet"
