"""`salon --clerk …` and `salon clerk …` as a person (or a script) runs them: real processes,
the real SQLite store, real argon2; exit codes as README.md documents them."""

from __future__ import annotations

import json
import os
import pty
import select
import subprocess
import time
from pathlib import Path

import pytest

from app.services.credentials import KEYRING_SERVICE, OPERATOR_TOKEN
from tests.conftest import write_ini

REPO = Path(__file__).resolve().parents[2]
SALON = str(REPO / ".venv" / "bin" / "salon")
PHONE = "+7 916 123-45-67"


def salon(env: dict[str, str], *args: str, stdin: str | None = None,
          **extra: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [SALON, *args], env={**env, **extra}, input=stdin if stdin is not None else "",
        capture_output=True, text=True, timeout=120,
    )


@pytest.fixture
def training_env(salon_env: dict[str, str]) -> dict[str, str]:
    """The embedded training sandbox (the default salon.ini), nobody signed in."""
    return {k: v for k, v in salon_env.items() if not k.startswith(("SALON_CLERK", "SALON_PASS"))}


@pytest.fixture
def real_env(tmp_path: Path, training_env: dict[str, str]) -> dict[str, str]:
    """A real configuration: an operator API URL (never called by these commands) whose token
    is in a test keyring backend, and a store that starts with no accounts at all."""
    folder = tmp_path / "real"  # its own salon.ini and data folder beside the training one
    folder.mkdir()
    keyring_file = folder / "keyring.json"
    keyring_file.write_text(json.dumps({f"{KEYRING_SERVICE}/{OPERATOR_TOKEN}": "t0ken"}))
    ini = write_ini(folder, operator={"url": "http://127.0.0.1:9"})
    return {
        **training_env,
        "SALON_CONFIG": str(ini),
        "PYTHONPATH": str(REPO),
        "PYTHON_KEYRING_BACKEND": "tests.support.keyring_file.FileKeyringForTests",
        "SALON_TEST_KEYRING": str(keyring_file),
    }


def test_a_lookup_needs_a_clerk(training_env: dict[str, str]) -> None:
    done = salon(training_env, "lookup", PHONE)
    assert done.returncode == 2
    assert "--clerk" in done.stderr and "SALON_CLERK" in done.stderr
    assert done.stdout == "" and "Traceback" not in done.stderr


def test_clerk_and_password_from_options_env_and_stdin(training_env: dict[str, str]) -> None:
    by_option = salon(training_env, "--clerk", "clerk", "lookup", PHONE, "--json",
                      SALON_PASSWORD="clerk-demo")
    assert by_option.returncode == 0, by_option.stderr
    assert json.loads(by_option.stdout)["msisdn"] == "+79161234567"
    by_env = salon(training_env, "lookup", PHONE, SALON_CLERK="manager",
                   SALON_PASSWORD="manager-demo")
    assert by_env.returncode == 0, by_env.stderr
    by_stdin = salon(training_env, "--clerk", "clerk", "lookup", PHONE, stdin="clerk-demo\n")
    assert by_stdin.returncode == 0, by_stdin.stderr
    no_password = salon(training_env, "--clerk", "clerk", "lookup", PHONE)
    assert no_password.returncode == 2 and "SALON_PASSWORD" in no_password.stderr


def test_wrong_passwords_then_the_lock(training_env: dict[str, str]) -> None:
    env = {**training_env, "SALON_CLERK": "clerk", "SALON_PASSWORD": "wrong-pass"}
    first = salon(env, "lookup", PHONE)
    assert first.returncode == 2
    assert "4 attempts left" in first.stderr and first.stdout == ""
    for left in (3, 2, 1):
        assert str(left) in salon(env, "lookup", PHONE).stderr
    locked = salon(env, "lookup", PHONE)
    assert locked.returncode == 4
    assert "locked" in locked.stderr and "until" in locked.stderr
    right = salon(env, "lookup", PHONE, SALON_PASSWORD="clerk-demo")
    assert right.returncode == 4  # the right password waits for the lock to end
    unknown = salon(env, "lookup", PHONE, SALON_CLERK="nobody")
    assert unknown.returncode == 2
    assert unknown.stderr == first.stderr  # logins cannot be probed


def test_training_accounts_exist_only_for_the_training_sandbox(
    training_env: dict[str, str], real_env: dict[str, str]
) -> None:
    listing = salon(training_env, "--clerk", "manager", "clerk", "list", "--json",
                    SALON_PASSWORD="manager-demo")
    assert listing.returncode == 0, listing.stderr
    assert {(c["login"], c["role"]) for c in json.loads(listing.stdout)} == {
        ("clerk", "clerk"), ("manager", "manager")}
    for login, password in (("clerk", "clerk-demo"), ("manager", "manager-demo")):
        done = salon(real_env, "--clerk", login, "clerk", "list", SALON_PASSWORD=password)
        assert done.returncode == 2, done.stderr  # no such account in a real store
        assert "Wrong login or password" in done.stderr


def test_the_first_manager_then_the_managers_rules(real_env: dict[str, str]) -> None:
    first = salon(real_env, "clerk", "add", "boss", "--name", "Игорь Белов", "--first",
                  SALON_NEW_PASSWORD="boss-pass-1")
    assert first.returncode == 0, first.stderr
    assert "boss" in first.stdout and "manager" in first.stdout
    again = salon(real_env, "clerk", "add", "boss2", "--name", "Второй", "--first",
                  SALON_NEW_PASSWORD="boss-pass-2")
    assert again.returncode == 3 and "C3" in again.stderr

    boss = {**real_env, "SALON_CLERK": "boss"}
    # The signing-in password, then the new clerk's, one line each on stdin.
    added = salon(boss, "clerk", "add", "anna", "--name", "Анна Соколова",
                  stdin="boss-pass-1\nanna-pass-1\n")
    assert added.returncode == 0, added.stderr
    taken = salon(boss, "clerk", "add", "anna", "--name", "Ещё Анна",
                  SALON_PASSWORD="boss-pass-1", SALON_NEW_PASSWORD="anna-pass-9")
    assert taken.returncode == 2 and "taken" in taken.stderr
    weak = salon(boss, "clerk", "add", "ivan", "--name", "Иван", SALON_PASSWORD="boss-pass-1",
                 SALON_NEW_PASSWORD="short")
    assert weak.returncode == 2 and "at least 8" in weak.stderr

    anna = {**real_env, "SALON_CLERK": "anna", "SALON_PASSWORD": "anna-pass-1"}
    for command in (["clerk", "list"], ["clerk", "disable", "boss"],
                    ["clerk", "add", "ivan", "--name", "Иван Петров"],
                    ["clerk", "passwd", "boss"]):
        refused = salon(anna, *command, SALON_NEW_PASSWORD="ivan-pass-1")
        assert refused.returncode == 3, (command, refused.stderr)
        assert "C1" in refused.stderr and "manager" in refused.stderr
    own = salon(anna, "clerk", "passwd", "anna", SALON_NEW_PASSWORD="anna-pass-2")
    assert own.returncode == 0, own.stderr
    assert salon(anna, "clerk", "passwd", "anna").returncode == 2  # the old one is gone

    last = salon(boss, "clerk", "disable", "boss", SALON_PASSWORD="boss-pass-1")
    assert last.returncode == 3 and "C2" in last.stderr
    disabled = salon(boss, "clerk", "disable", "anna", SALON_PASSWORD="boss-pass-1")
    assert disabled.returncode == 0, disabled.stderr
    barred = salon(anna, "clerk", "list", SALON_PASSWORD="anna-pass-2")
    assert barred.returncode == 3 and "C4" in barred.stderr

    listing = salon(boss, "clerk", "list", "--json", SALON_PASSWORD="boss-pass-1")
    rows = {row["login"]: row for row in json.loads(listing.stdout)}
    assert rows["anna"]["active"] is False and rows["anna"]["full_name"] == "Анна Соколова"
    assert rows["boss"]["role"] == "manager" and rows["boss"]["locked_until"] is None
    assert all("hash" not in key for row in rows.values() for key in row)
    text = salon(boss, "clerk", "list", SALON_PASSWORD="boss-pass-1")
    assert "disabled" in text.stdout and "Игорь Белов" in text.stdout


def test_russian_sentences_on_the_command_line(training_env: dict[str, str]) -> None:
    done = salon(training_env, "--clerk", "clerk", "lookup", PHONE,
                 SALON_LANGUAGE="ru", SALON_PASSWORD="wrong-pass")
    assert done.returncode == 2
    assert "Неверный логин или пароль" in done.stderr and "осталось 4 попытки" in done.stderr


def on_a_terminal(env: dict[str, str], args: list[str], answers: list[tuple[bytes, bytes]],
                  ) -> tuple[int, bytes]:
    """Run `salon` on a pseudo-terminal; answer each prompt as it appears. (exit code, all
    the terminal showed)"""
    pid, terminal = pty.fork()
    if pid == 0:  # the child: salon, with the terminal as its controlling tty
        os.execve(SALON, [SALON, *args], env)
    shown = b""

    def read_until(marker: bytes | None) -> None:
        nonlocal shown
        deadline = time.monotonic() + 60
        while (marker is None or marker not in shown) and time.monotonic() < deadline:
            ready, _, _ = select.select([terminal], [], [], 0.2)
            if ready:
                try:
                    chunk = os.read(terminal, 4096)
                except OSError:  # the child is gone
                    return
                if not chunk:
                    return
                shown += chunk

    for prompt, answer in answers:
        read_until(prompt)
        assert prompt in shown, shown
        os.write(terminal, answer + b"\n")
    read_until(None)
    _, status = os.waitpid(pid, 0)
    os.close(terminal)
    return os.waitstatus_to_exitcode(status), shown


def test_passwords_are_asked_on_a_terminal_without_echo(training_env: dict[str, str]) -> None:
    code, shown = on_a_terminal(training_env, ["--clerk", "clerk", "lookup", PHONE],
                                [(b"Password for clerk: ", b"clerk-demo")])
    assert code == 0, shown
    assert b"+7 916 123-45-67" in shown
    assert b"clerk-demo" not in shown  # typed, never echoed

    code, shown = on_a_terminal(
        training_env, ["--clerk", "manager", "clerk", "add", "ivan", "--name", "Иван Петров"],
        [(b"Password for manager: ", b"manager-demo"), (b"New password: ", b"ivan-pass-1"),
         (b"The new password again: ", b"ivan-pass-2")],
    )
    assert code == 2, shown
    assert b"differ" in shown and b"ivan-pass" not in shown
