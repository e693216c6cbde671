"""What a fault probe did to the `salon` command line (issue 12, point 10), as real processes
on the embedded training sandbox: odd typed values exit 2 with a sentence and change nothing;
names with terminal escapes and line breaks reach neither the terminal nor salon.log raw; a
reader that goes away (`| head -c1`) after a change was applied is no traceback and loses
nothing."""

from __future__ import annotations

import json
import re
import sqlite3
import subprocess
from contextlib import closing
from pathlib import Path

import pytest

from tests.conftest import stop_training_sandboxes

SALON = str(Path(__file__).resolve().parents[2] / ".venv" / "bin" / "salon")
MARIA = "+79161234567"
HOSTILE = "Мария\x1b[2J\x1b]0;owned\x07\u202eанираМ\n2026-11-23 09:00:00,000 ERROR salon: forged"
RECORD_START = re.compile(r"\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2},\d{3} [A-Z]+ ")
HUGE = "9" * 5000
TOO_BIG_FOR_THE_STORE = "99999999999999999999"


def salon(env: dict[str, str], *args: str, clerk: str = "clerk",
          **extra: str) -> subprocess.CompletedProcess[bytes]:
    password = {"clerk": "clerk-demo", "manager": "manager-demo"}[clerk]
    return subprocess.run([SALON, *args], env={**env, "SALON_CLERK": clerk,
                                               "SALON_PASSWORD": password, **extra},
                          stdin=subprocess.DEVNULL, capture_output=True, timeout=300)


def refused_cleanly(done: subprocess.CompletedProcess[bytes]) -> str:
    """Exit 2, a sentence on stderr, no traceback, nothing on stdout; the sentence."""
    err = done.stderr.decode()
    assert done.returncode == 2, err
    assert "Traceback" not in err and err.strip()
    assert done.stdout == b""
    return err


@pytest.fixture
def data(salon_env: dict[str, str], tmp_path: Path) -> Path:
    return tmp_path / "data"


CLOCK, OUTBOX = "clock", "outbox"


@pytest.mark.parametrize(("argv", "unchanged"), [
    (["sandbox", "clock", "--advance", "²"], CLOCK),
    (["sandbox", "clock", "--advance", HUGE], CLOCK),
    (["sandbox", "clock", "--advance", "٣h"], CLOCK),
    (["outbox", "-n", TOO_BIG_FOR_THE_STORE], None),
    (["outbox", "-n", HUGE], None),
    (["outbox", "cancel", TOO_BIG_FOR_THE_STORE], None),
    (["outbox", "queue", TOO_BIG_FOR_THE_STORE], None),
    (["outbox", "cancel", "٣"], None),
    (["print-jobs", "-n", TOO_BIG_FOR_THE_STORE], None),
    (["print-jobs", "retry", TOO_BIG_FOR_THE_STORE], None),
    (["print-jobs", "cancel", HUGE], None),
    (["subscription", "remove", TOO_BIG_FOR_THE_STORE], None),
    (["audit", "tail", "-n", HUGE], None),
    (["lookup", "+٧٩١٦١٢٣٤٥٦٧"], None),
    (["lookup", "+7 916\u2028123-45-67"], None),
    (["lookup", "+7 916 123-45-67\u2029"], None),
    (["lookup", HUGE], None),
    (["service", "add", "+7 916 123-45-67\u2028", "WHO_CALLED", "--yes"], OUTBOX),
    (["tariff", MARIA, "ＳＭＡＲＴ", "--yes"], OUTBOX),
    (["detalization", MARIA, "--from", "٢٠٢٦-١٠-٠١", "--to", "2026-10-31", "-o", "x.csv"], None),
    (["sandbox", "--port", "99999"], None),
])
def test_odd_input_exits_2_with_a_sentence_and_changes_nothing(
        salon_env: dict[str, str], argv: list[str], unchanged: str | None) -> None:
    refused_cleanly(salon(salon_env, *argv))
    if unchanged == CLOCK:
        clock = salon(salon_env, "sandbox", "clock", "--json")
        assert clock.returncode == 0, clock.stderr
        assert json.loads(clock.stdout)["offset_seconds"] == 0  # the clock was not moved
    if unchanged == OUTBOX:
        assert json.loads(salon(salon_env, "outbox", "--json").stdout) == []  # nothing ordered


def test_a_clerk_s_name_with_escapes_and_line_breaks_is_shown_escaped(
        salon_env: dict[str, str], data: Path) -> None:
    # A new name with control characters is refused at the door...
    refused = salon(salon_env, "clerk", "add", "ivanova", "--name", HOSTILE, clerk="manager",
                    SALON_NEW_PASSWORD="Ivanova-2026-pass")
    assert refused.returncode == 2 and b"control or formatting" in refused.stderr
    # ... and one that got into the store (an older console, a restored backup) is escaped.
    with closing(sqlite3.connect(data / "salon.db")) as db, db:
        db.execute("UPDATE clerk SET full_name = ? WHERE login = 'clerk'", (HOSTILE,))
    for json_out in ([], ["--json"]):
        listed = salon(salon_env, "clerk", "list", *json_out, clerk="manager")
        assert listed.returncode == 0, listed.stderr
        assert b"\x1b" not in listed.stdout and b"\x07" not in listed.stdout
        assert "\u202e".encode() not in listed.stdout
        text = listed.stdout.decode()
        assert "Мария" in text and "анираМ" in text  # Cyrillic as it is
    rows = salon(salon_env, "clerk", "list", clerk="manager").stdout.decode().splitlines()
    assert len(rows) == 2  # the name's line break did not make a row of its own
    assert next(r for r in rows if r.startswith("clerk")).endswith(
        "\\u202eанираМ\\n2026-11-23 09:00:00,000 ERROR salon: forged")
    listed = json.loads(salon(salon_env, "clerk", "list", "--json", clerk="manager").stdout)
    assert {c["login"]: c["full_name"] for c in listed}["clerk"] == HOSTILE  # the same data


def test_a_subscriber_s_name_reaches_neither_the_terminal_nor_the_log_raw(
        salon_env: dict[str, str], data: Path) -> None:
    assert salon(salon_env, "lookup", MARIA).returncode == 0  # the world is made
    stop_training_sandboxes(data)  # the world is changed in its file, then started again
    with closing(sqlite3.connect(data / "sandbox.db")) as db, db:
        db.execute("UPDATE subscribers SET name = ? WHERE msisdn = ?", (HOSTILE, MARIA))
    for json_out in ([], ["--json"]):
        shown = salon(salon_env, "lookup", MARIA, *json_out)
        # Whether the operator's answer is taken or refused, nothing raw reaches the terminal.
        assert b"\x1b" not in shown.stdout + shown.stderr
        assert "\u202e".encode() not in shown.stdout + shown.stderr
        assert b"Traceback" not in shown.stderr
        if shown.returncode == 0 and not json_out:
            assert "Мария\\x1b[2J" in shown.stdout.decode()
    log = (data / "logs" / "salon.log").read_text(encoding="utf-8")
    assert "\x1b" not in log and "\u202e" not in log
    assert all(RECORD_START.match(line) or line.startswith("  | ")
               for line in log.splitlines())


def test_a_reader_that_goes_away_after_the_change_is_no_traceback_and_loses_nothing(
        salon_env: dict[str, str]) -> None:
    env = {**salon_env, "SALON_CLERK": "clerk", "SALON_PASSWORD": "clerk-demo"}
    for argv in (["service", "add", MARIA, "WHO_CALLED", "--yes"], ["tariffs"]):
        # `| head -c1`, certainly: the reading end is closed before the console writes.
        reader_gone = subprocess.Popen([SALON, *argv], env=env, stdin=subprocess.DEVNULL,
                                       stdout=subprocess.PIPE, stderr=subprocess.PIPE)
        assert reader_gone.stdout is not None and reader_gone.stderr is not None
        reader_gone.stdout.close()
        err = reader_gone.stderr.read().decode()
        assert reader_gone.wait(timeout=300) == 0, err
        assert "Traceback" not in err and "BrokenPipeError" not in err
        assert "Exception ignored" not in err
    outbox = json.loads(salon(salon_env, "outbox", "--json").stdout)
    assert [(row["code"], row["state"]) for row in outbox] == [("WHO_CALLED", "done")]
