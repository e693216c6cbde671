"""The warm console (app/warm_console.py) runs a `salon` command as the command would run by
itself: the same output, exit code, terminal, environment and standard input; Ctrl-C and a
killed `salon` reach it; an upgrade retires it; it keeps nothing of what it was handed.

Each test has a runtime folder of its own (short: a Unix socket's path is at most 107 bytes),
and stops what it started."""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

import app
from app import launcher
from tests.conftest import stop_warm_consoles
from tests.integration.test_lookup_end_to_end import SALON
from tests.integration.test_sandbox_command import free_port
from tests.support.processes import alive

PHONE = "+79161234567"


@pytest.fixture
def warm_env(salon_env: dict[str, str]) -> Iterator[dict[str, str]]:
    folder = Path(tempfile.mkdtemp(prefix="salon-w-"))
    env = {**salon_env, "XDG_RUNTIME_DIR": str(folder), "SALON_WARM": "on",
           "SALON_CLERK": "clerk", "SALON_PASSWORD": "clerk-demo"}
    try:
        yield env
    finally:
        stop_warm_consoles(folder)
        shutil.rmtree(folder, ignore_errors=True)


def salon(args: list[str], env: dict[str, str],
          stdin: str = "") -> subprocess.CompletedProcess[str]:
    return subprocess.run([SALON, *args], env=env, input=stdin, capture_output=True, text=True,
                          timeout=120)


def warm_pid(env: dict[str, str]) -> int:
    """The pid of the warm console the commands in `env` reach, once it listens."""
    path = launcher.socket_path(env)
    assert path is not None
    deadline = time.monotonic() + 60
    while not (path.exists() and path.with_suffix(".pid").exists()):
        assert time.monotonic() < deadline, "no warm console listened within 60 s"
        time.sleep(0.05)
    return int(path.with_suffix(".pid").read_text(encoding="ascii"))


def serving_from(folder: Path) -> list[int]:
    """The warm consoles (and their commands) listening in `folder`, by their command lines."""
    found = []
    for process in Path("/proc").iterdir():
        try:
            line = (process / "cmdline").read_bytes()
        except OSError:
            continue
        if b"app.warm_console" in line and os.fsencode(folder) in line:
            found.append(int(process.name))
    return found


def test_a_command_answers_there_as_it_answers_alone(warm_env: dict[str, str]) -> None:
    alone = salon(["tariffs"], {**warm_env, "SALON_WARM": "off"})
    first = salon(["tariffs"], warm_env)  # starts the warm console, and runs by itself
    warm_pid(warm_env)
    warm = salon(["tariffs"], warm_env)
    assert alone.returncode == first.returncode == warm.returncode == 0, warm.stderr
    assert "SMART" in alone.stdout and alone.stdout == first.stdout == warm.stdout

    # The environment is the command's own: another language, another clerk's password.
    russian = salon(["tariffs"], {**warm_env, "SALON_LANGUAGE": "ru"})
    assert "Тариф" in russian.stdout and russian.stdout != warm.stdout
    wrong = salon(["lookup", PHONE], {**warm_env, "SALON_PASSWORD": "not-the-password"})
    assert wrong.returncode == 2 and "password" in wrong.stderr.lower()
    # Bad usage: argparse's message on stderr and exit 2, as alone.
    usage = salon(["tariff"], warm_env)
    assert usage.returncode == 2 and "required: phone, code" in usage.stderr
    # Standard input reaches the command: the password as one line of it.
    piped = salon(["lookup", PHONE, "--json"],
                  {k: v for k, v in warm_env.items() if k != "SALON_PASSWORD"},
                  stdin="clerk-demo\n")
    assert piped.returncode == 0 and '"msisdn"' in piped.stdout


def test_the_launcher_hands_the_command_over(warm_env: dict[str, str],
                                             monkeypatch: pytest.MonkeyPatch,
                                             capfd: pytest.CaptureFixture[str]) -> None:
    salon(["tariffs"], warm_env)
    warm_pid(warm_env)
    for name, value in warm_env.items():
        monkeypatch.setenv(name, value)
    # Not None: the warm console said it started the command, and this is its exit code.
    assert launcher.through_warm_console(["tariffs"]) == 0
    assert "SMART" in capfd.readouterr().out
    assert launcher.through_warm_console(["tariff", PHONE, "NO-SUCH", "--yes"]) == 2


def _serving(env: dict[str, str], folder: Path) -> tuple[subprocess.Popen[str], str]:
    """`salon sandbox --port P` through the warm console, once it answers."""
    port = free_port()
    process = subprocess.Popen([SALON, "sandbox", "--port", str(port), "--db",
                                str(folder / "world.db")], env=env, text=True,
                               stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    url = f"http://127.0.0.1:{port}/health"
    deadline = time.monotonic() + 60
    while True:
        try:
            if httpx.get(url, timeout=1).status_code == 200:
                return process, url
        except httpx.TransportError:
            pass
        assert process.poll() is None, process.communicate()
        assert time.monotonic() < deadline, "the sandbox did not answer within 60 s"
        time.sleep(0.1)


def _stops_answering(url: str) -> bool:
    deadline = time.monotonic() + 15
    while time.monotonic() < deadline:
        try:
            httpx.get(url, timeout=1)
        except httpx.TransportError:
            return True
        time.sleep(0.1)
    return False


@pytest.mark.parametrize("how", [signal.SIGINT, signal.SIGKILL])
def test_ctrl_c_and_a_killed_salon_end_the_command(warm_env: dict[str, str], tmp_path: Path,
                                                   how: signal.Signals) -> None:
    salon(["tariffs"], warm_env)
    pid = warm_pid(warm_env)
    process, url = _serving(warm_env, tmp_path)
    try:
        process.send_signal(how)  # Ctrl-C is passed on; kill -9 closes the connection
        process.wait(timeout=15)
        assert _stops_answering(url), "the command outlived its salon"
        assert alive(pid), "the warm console itself must stay"
    finally:
        process.kill()
        process.communicate()


def test_a_command_killed_from_outside_is_said(warm_env: dict[str, str],
                                              tmp_path: Path) -> None:
    salon(["tariffs"], warm_env)
    pid = warm_pid(warm_env)
    process, _url = _serving({**warm_env, "SALON_LANGUAGE": "ru"}, tmp_path)
    children = Path(f"/proc/{pid}/task/{pid}/children").read_text().split()
    assert len(children) == 1, children  # the command: the warm console's one child
    os.kill(int(children[0]), signal.SIGKILL)
    _out, err = process.communicate(timeout=30)
    assert process.returncode == 1
    assert "Команду остановили извне" in err


def test_an_upgrade_retires_the_warm_console(warm_env: dict[str, str]) -> None:
    salon(["tariffs"], warm_env)
    old = warm_pid(warm_env)
    module = Path(app.__file__).with_name("launcher.py")
    seen = module.stat()
    try:
        os.utime(module, ns=(seen.st_atime_ns, seen.st_mtime_ns + 1_000_000_000))
        upgraded = salon(["tariffs"], warm_env)  # told "stale": runs alone, starts anew
        assert upgraded.returncode == 0 and "SMART" in upgraded.stdout
        deadline = time.monotonic() + 30
        while alive(old) or warm_pid(warm_env) == old:
            assert time.monotonic() < deadline, "the stale warm console stayed"
            time.sleep(0.05)
    finally:
        os.utime(module, ns=(seen.st_atime_ns, seen.st_mtime_ns))


def test_warm_stop_and_nothing_kept(warm_env: dict[str, str]) -> None:
    salon(["tariffs"], warm_env)
    pid = warm_pid(warm_env)
    assert salon(["lookup", PHONE], warm_env).returncode == 0
    folder = Path(warm_env["XDG_RUNTIME_DIR"]) / f"salon-{os.getuid()}"
    for file in folder.iterdir():  # the socket, its lock and the pid: no environment
        if file.is_file():
            assert b"clerk-demo" not in file.read_bytes()
    assert {file.suffix for file in folder.iterdir()} == {".sock", ".lock", ".pid"}
    stopped = salon(["warm", "stop"], warm_env)
    assert stopped.returncode == 0 and "stopped" in stopped.stdout
    deadline = time.monotonic() + 15
    while alive(pid):
        assert time.monotonic() < deadline, "the warm console did not stop"
        time.sleep(0.05)
    assert not list(folder.glob("*.sock"))
    again = salon(["warm", "stop"], warm_env)
    assert again.returncode == 0 and "No warm console" in again.stdout
    time.sleep(1)
    assert not serving_from(folder), "`warm stop` started one"


def test_a_folder_others_may_enter_is_not_used(warm_env: dict[str, str]) -> None:
    folder = Path(warm_env["XDG_RUNTIME_DIR"]) / f"salon-{os.getuid()}"
    folder.mkdir(mode=0o700)
    folder.chmod(0o777)
    try:
        assert launcher.socket_path(warm_env) is None
        done = salon(["tariffs"], warm_env)
        assert done.returncode == 0 and "SMART" in done.stdout
        assert not list(folder.iterdir())
    finally:
        folder.chmod(0o700)


def test_the_callers_folder_shadows_no_module(warm_env: dict[str, str], tmp_path: Path) -> None:
    """The warm console and the training sandbox started from a folder with a `json.py` and
    an `app/` in it still find their own modules (python -P, started in /)."""
    here = tmp_path / "here"
    (here / "app").mkdir(parents=True)
    for module in (here / "json.py", here / "app" / "__init__.py"):
        module.write_text("raise SystemExit('shadowed')\n", encoding="utf-8")
    runs = []
    for _ in range(2):  # the first starts both; the second is handed to the warm console
        runs.append(subprocess.run([SALON, "tariffs"], cwd=here, env=warm_env, text=True,
                                   capture_output=True, timeout=120))
        warm_pid(warm_env)
    for run in runs:
        assert run.returncode == 0 and "SMART" in run.stdout, run.stderr
