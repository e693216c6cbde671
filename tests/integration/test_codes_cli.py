"""`salon code …` and `salon sandbox sms|clock` as a script runs them: real processes against
`salon sandbox` started as its own server (the SMS outbox lives in that process, so the code a
command issued is on the phone for the next one), the token from a keyring, a real clerk.
Exit codes as README.md documents them: 0 done or correct, 1 wrong (attempts left), 2 bad
input, 3 refused by a rule, 4 locked, 5 the operator unreachable (nothing queued)."""

from __future__ import annotations

import json
import re
import subprocess
import time
from collections.abc import Iterator
from datetime import date, datetime, timedelta
from pathlib import Path

import httpx
import pytest

from app.clock import SystemClock
from app.services.credentials import KEYRING_SERVICE, OPERATOR_TOKEN
from tests.conftest import write_ini
from tests.integration.test_sandbox_command import free_port

REPO = Path(__file__).resolve().parents[2]
SALON = str(REPO / ".venv" / "bin" / "salon")
TOKEN = "codes-cli-token"
MARIA = "+7 916 123-45-67"
CORPORATE = "+7 926 111-22-33"
NO_ASSISTANT = "+7 912 123-45-67"


def salon(env: dict[str, str], *args: str, stdin: str = "") -> subprocess.CompletedProcess[str]:
    return subprocess.run([SALON, *args], env=env, input=stdin, capture_output=True,
                          text=True, timeout=120)


@pytest.fixture(scope="module")
def world(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[dict[str, str],
                                                                        subprocess.Popen[str]]]:
    """The sandbox server, and the environment of a console pointed at it with a signed-in
    clerk (the first manager of an empty store)."""
    import os

    folder = tmp_path_factory.mktemp("codes-cli")
    port = free_port()
    url = f"http://127.0.0.1:{port}"
    keyring = folder / "keyring.json"
    keyring.write_text(json.dumps({f"{KEYRING_SERVICE}/{OPERATOR_TOKEN}": TOKEN}))
    env = {k: v for k, v in os.environ.items() if not k.startswith("SALON_")}
    env.update(SALON_CONFIG=str(write_ini(folder, operator={"url": url, "read_retries": "1"})),
               PYTHONPATH=str(REPO),
               PYTHON_KEYRING_BACKEND="tests.support.keyring_file.FileKeyringForTests",
               SALON_TEST_KEYRING=str(keyring))
    server = subprocess.Popen(
        [SALON, "sandbox", "--port", str(port), "--db", str(folder / "world.db")],
        env={**env, "SALON_SANDBOX_TOKEN": TOKEN}, stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE, text=True)
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                if httpx.get(f"{url}/health", timeout=1).status_code == 200:
                    break
            except httpx.TransportError:
                pass
            assert server.poll() is None, server.communicate()[1]
            assert time.monotonic() < deadline, "the sandbox did not start within 30 s"
            time.sleep(0.1)
        first = salon({**env, "SALON_NEW_PASSWORD": "boss-pass-123"}, "clerk", "add", "boss",
                      "--name", "Игорь Белов", "--first")
        assert first.returncode == 0, first.stderr
        yield {**env, "SALON_CLERK": "boss", "SALON_PASSWORD": "boss-pass-123"}, server
    finally:
        if server.poll() is None:
            server.terminate()
            server.wait(timeout=15)


@pytest.fixture
def env(world: tuple[dict[str, str], subprocess.Popen[str]]) -> dict[str, str]:
    return world[0]


def code_on_the_phone(env: dict[str, str], phone: str = MARIA) -> str:
    done = salon(env, "sandbox", "sms", phone, "--json")
    assert done.returncode == 0, done.stderr
    latest = json.loads(done.stdout)[0]
    assert latest["from"] == "6262" and latest["to"] == "+79161234567"
    (code,) = re.findall(r"(?<!\d)\d{6}(?!\d)", latest["text"])
    return str(code)


def wrong(code: str, shift: int = 0) -> str:
    return f"{(int(code) + 500_001 + shift) % 10**6:06d}"


def test_issue_verify_lock_and_its_end(env: dict[str, str]) -> None:
    issued = salon(env, "code", "issue", MARIA, "--json")
    assert issued.returncode == 0, issued.stderr
    report = json.loads(issued.stdout)
    assert report["status"] == "done" and report["state"]["state"] == "active"
    assert report["state"]["attempts_left"] == 4
    code = code_on_the_phone(env)
    assert code not in issued.stdout + issued.stderr

    first = salon(env, "code", "verify", MARIA, stdin=wrong(code) + "\n")
    assert first.returncode == 1
    assert "3 attempts left" in first.stderr and first.stdout == ""
    right = salon(env, "code", "verify", MARIA, "--json", stdin=code + "\n")
    assert right.returncode == 0, right.stderr
    assert json.loads(right.stdout) == {
        "status": "ok", "message": "Correct: the access code is right.",
        "msisdn": "+79161234567", "attempts_left": None, "locked_until": None, "rule": None}

    for shift, left in ((0, "3 attempts"), (1, "2 attempts"), (2, "1 attempt ")):
        assert left in salon(env, "code", "verify", MARIA, stdin=wrong(code, shift)).stderr
    locked = salon(env, "code", "verify", MARIA, "--json", stdin=wrong(code, 3) + "\n")
    assert locked.returncode == 4
    answer = json.loads(locked.stdout)
    assert answer["status"] == "locked" and answer["locked_until"].endswith("Z")
    assert "24 h 0 min" in answer["message"] or "23 h 59 min" in answer["message"]
    assert salon(env, "code", "verify", MARIA, stdin=code).returncode == 4  # even the right one
    status = json.loads(salon(env, "code", "status", MARIA, "--json").stdout)
    assert (status["state"], status["attempts_left"], status["locked_until"]) == (
        "locked", 0, answer["locked_until"])
    assert status["available"] is True and status["refusal"] is None
    text = salon(env, "code", "status", MARIA).stdout
    assert "Locked until" in text and "(UTC+3)" in text

    moved = salon(env, "sandbox", "clock", "--advance", "1d", "--json")
    assert moved.returncode == 0, moved.stderr
    assert json.loads(moved.stdout)["offset_seconds"] >= 86400
    assert salon(env, "code", "verify", MARIA, stdin=code + "\n").returncode == 0  # same code
    everything = "".join(d.stdout + d.stderr for d in (first, right, locked))
    assert code not in everything


def test_the_lock_counts_down_by_the_sandboxs_clock_moved_ahead(env: dict[str, str]) -> None:
    """`salon sandbox` started apart, its clock moved a day ahead of the console's: the time
    left of a lock comes from the operator's own "now" in each answer, never from the
    console's clock set against the operator's "locked until" (the probe saw "48 h left" with
    40 s to go)."""
    assert salon(env, "sandbox", "clock", "--advance", "24h").returncode == 0
    assert salon(env, "code", "issue", MARIA).returncode == 0
    code = code_on_the_phone(env)
    for shift in range(3):
        assert salon(env, "code", "verify", MARIA, stdin=wrong(code, shift)).returncode == 1
    locked = salon(env, "code", "verify", MARIA, "--json", stdin=wrong(code, 3) + "\n")
    assert locked.returncode == 4
    message = json.loads(locked.stdout)["message"]
    assert "24 h 0 min" in message or "23 h 59 min" in message, message
    text = salon(env, "code", "status", MARIA).stdout
    assert "24 h 0 min" in text or "23 h 59 min" in text, text

    status = json.loads(salon(env, "code", "status", MARIA, "--json").stdout)
    world = json.loads(salon(env, "sandbox", "clock", "--json").stdout)
    until = datetime.fromisoformat(status["locked_until"])
    to_go = int((until - datetime.fromisoformat(world["now"])).total_seconds()) - 40
    assert salon(env, "sandbox", "clock", "--advance", f"{to_go}s").returncode == 0
    text = salon(env, "code", "status", MARIA).stdout
    assert "less than a minute of the lock left" in text, text


def test_the_code_is_never_taken_from_the_command_line(env: dict[str, str]) -> None:
    for argv in (["123456"], ["--code", "123456"], ["--json", "123456"], ["--code=123456"]):
        done = salon(env, "code", "verify", MARIA, *argv)
        assert done.returncode == 2, (argv, done.stderr)
        assert "123456" not in done.stdout + done.stderr  # not echoed either
        assert "never given on the command line" in done.stderr
    help_text = salon(env, "code", "verify", "--help").stdout
    assert "--code" not in help_text and "hidden prompt" in help_text


def test_bad_entries_and_rules(env: dict[str, str]) -> None:
    for entry in ("12345", "1234567", "abcdef", ""):
        done = salon(env, "code", "verify", MARIA, stdin=entry + "\n")
        assert done.returncode == 2, (entry, done.stderr)
        assert "not sent" in done.stderr
    assert salon(env, "code", "issue", "12345").returncode == 2  # not a phone number
    corporate = salon(env, "code", "issue", CORPORATE, "--json")
    assert corporate.returncode == 3
    assert json.loads(corporate.stdout)["rule"] == "R1" and "(R1)" in corporate.stderr
    not_connected = salon(env, "code", "verify", NO_ASSISTANT)
    assert not_connected.returncode == 3 and "assistant_not_connected" in not_connected.stderr
    status = json.loads(salon(env, "code", "status", CORPORATE, "--json").stdout)
    assert status["available"] is False and status["refusal"]["rule"] == "R1"
    assert salon(env, "sandbox", "clock", "--advance", "2 weeks").returncode == 2


def test_leaflets(env: dict[str, str], tmp_path: Path) -> None:
    target = tmp_path / "pamyatka.pdf"
    done = salon(env, "code", "leaflet", MARIA, "-o", str(target), "--json")
    assert done.returncode == 0, done.stderr
    report = json.loads(done.stdout)
    assert report.pop("document_id").startswith("LFT-") and len(report.pop("sha256")) == 64
    trial = report.pop("trial")  # R5: from 11 days before the world was drawn (today), 30 days
    start, end = date.fromisoformat(trial["start"]), date.fromisoformat(trial["end"])
    assert end - start == timedelta(days=30) and start < SystemClock().now().date() < end
    assert report == {"path": str(target), "subscriber": "+7 916 ***-**-67",
                      "catalog_reached": True,
                      "delivery": {"method": "file", "message": None}}
    assert target.read_bytes().startswith(b"%PDF")
    blank = salon(env, "code", "leaflet")
    assert blank.returncode == 0, blank.stderr
    path = Path(blank.stdout.split(": ", 1)[1].strip())
    assert path.parent.name == "leaflets" and path.parent.parent.name == "documents"
    assert path.exists()
    assert salon(env, "code", "leaflet", "-o", str(tmp_path / "x.txt")).returncode == 2


def test_offline_nothing_is_sent_or_queued(
        world: tuple[dict[str, str], subprocess.Popen[str]]) -> None:
    """Last in this module: it stops the sandbox."""
    env, server = world
    server.terminate()
    server.wait(timeout=15)
    issued = salon(env, "code", "issue", MARIA)  # the saved card says so up front
    assert issued.returncode == 5
    assert "only live, never queued" in issued.stderr
    checked = salon(env, "code", "verify", MARIA, stdin="123456\n")
    assert checked.returncode == 5 and "never queued" in checked.stderr
    status = salon(env, "code", "status", MARIA)
    assert status.returncode == 5 and "only while the operator answers" in status.stderr
    unknown = salon(env, "code", "issue", "+7 916 555-00-01")  # no saved card: asked, refused
    assert unknown.returncode == 5
    assert "nothing was sent and nothing was queued" in unknown.stderr
    assert json.loads(salon(env, "outbox", "--json").stdout) == []
