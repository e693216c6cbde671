"""The `salon` program: hands a command line to the warm console, or runs it itself.

A command answers at once (DESIGN §9: 0.5 s) only if it does not import the console first:
Python takes longer to import httpx, pydantic, peewee, Babel and our own modules than the
command takes to run. So the first command on a machine starts the *warm console*
(app/warm_console.py) beside itself and runs as before; the warm console imports everything
once and then, for every later command, forks a copy of itself that runs the command with the
caller's terminal (its standard input, output and error), environment, folder and umask. This
module is what runs in between: it imports nothing but the standard library's smallest parts,
passes the three file descriptors over a Unix socket and waits for the exit code, passing
Ctrl-C and the like on to the command.

Nothing is ever run twice: the command line is run here only when the warm console has not
said it started it. `salon` alone (the window), `--help`, and SALON_WARM=off run here.
"""

from __future__ import annotations

import contextlib
import io
import json
import os
import signal
import socket
import struct
import sys
from collections.abc import Mapping, Sequence
from pathlib import Path

PROTOCOL = 1  # in the socket's name: a launcher never talks to a warm console of another
HEADER = struct.Struct("!I")  # the request's length, sent with the three descriptors
# What a Python process takes from its environment as it starts, and a fork cannot change
# afterwards: a warm console serves only callers that agree with it on these.
_AT_START = ("LANG", "LC_ALL", "LC_CTYPE")
_AT_START_PREFIXES = ("PYTHON", "LD_", "FAKETIME")
MAX_SOCKET_PATH = 107  # bytes in a Unix socket's address (sun_path, less its terminating NUL)
_FORWARDED = (signal.SIGINT, signal.SIGTERM, signal.SIGHUP, signal.SIGQUIT)


def main() -> None:
    argv = sys.argv[1:]
    command = command_named(argv)
    # `salon warm stop` runs here: handed over, it would start a warm console to stop.
    if command not in (None, "warm") and os.environ.get("SALON_WARM", "on") != "off":
        code = through_warm_console(argv)
        if code is not None:
            sys.exit(code)
    from app.main import main as run_here

    sys.exit(run_here())


def command_named(argv: Sequence[str]) -> str | None:
    """The command word of a command line, past the global options (--clerk LOGIN); None
    when --help or -h comes first."""
    words = iter(argv)
    for word in words:
        if word == "--clerk":
            next(words, None)
        elif word.startswith("--clerk="):
            continue
        elif word.startswith("-"):
            return None
        else:
            return word
    return None


def socket_path(environ: Mapping[str, str]) -> Path | None:
    """Where this user's warm console for this interpreter and environment listens: in a
    folder only the user may enter (None when there is no such folder to be had)."""
    folder = _private_folder(environ)
    if folder is None:
        return None
    import hashlib

    started_with = sorted((name, value) for name, value in environ.items()
                          if name in _AT_START or name.startswith(_AT_START_PREFIXES))
    # The interpreter and the environment (venv) it runs in, whichever name started it.
    key = json.dumps([PROTOCOL, os.path.realpath(sys.executable), sys.prefix,
                      str(Path(__file__).resolve().parent), started_with])
    path = folder / f"console-{hashlib.sha256(key.encode()).hexdigest()[:16]}.sock"
    return path if len(os.fsencode(path)) <= MAX_SOCKET_PATH else None


def _private_folder(environ: Mapping[str, str]) -> Path | None:
    runtime = environ.get("XDG_RUNTIME_DIR")
    base = Path(runtime) if runtime and Path(runtime).is_dir() else Path("/tmp")
    folder = base / f"salon-{os.getuid()}"
    try:
        folder.mkdir(mode=0o700, exist_ok=True)
        seen = folder.lstat()
    except OSError:
        return None
    # Somebody else's folder, or one others may write in, is not ours to listen in.
    if seen.st_uid != os.getuid() or seen.st_mode & 0o077 or not folder.is_dir():
        return None
    return folder


def through_warm_console(argv: Sequence[str]) -> int | None:
    """The command's exit code from the warm console; None when it did not start the
    command (there is none yet: one is started for the next command; it is out of date)."""
    path = socket_path(os.environ)
    if path is None:
        return None
    connection = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    try:
        connection.connect(str(path))
    except OSError:
        connection.close()
        start_warm_console(path)
        return None
    with connection:
        umask = os.umask(0)
        os.umask(umask)
        request = json.dumps({"argv": list(argv), "env": dict(os.environ),
                              "cwd": os.getcwd(), "umask": umask}).encode()
        try:
            socket.send_fds(connection, [HEADER.pack(len(request))], [0, 1, 2])
            connection.sendall(request)
        except OSError:  # a closed standard descriptor, or the warm console went away
            return None
        answers = connection.makefile("rb")
        started = _answer(answers)
        if "started" not in started:
            if started.get("stale"):  # its code changed under it: it has gone, start anew
                start_warm_console(path)
            return None
        return _wait_for_exit(answers, started["started"])


def _wait_for_exit(answers: io.BufferedReader, pid: int) -> int:
    """The command's exit code, passing on the signals a terminal sends to the command."""
    def pass_on(number: int, _frame: object) -> None:
        with contextlib.suppress(ProcessLookupError):  # it has just ended
            os.kill(pid, number)

    before = {number: signal.signal(number, pass_on) for number in _FORWARDED}
    try:
        ended = _answer(answers)
    finally:
        for number, handler in before.items():
            signal.signal(number, handler)
    if "exit" not in ended:  # killed before it could say how it ended (kill -9, out of memory)
        from app.i18n import _
        from app.main import settings_and_language

        settings_and_language()  # the clerk's language, for this one sentence
        sys.stderr.write(_("The command was ended from outside before it finished; its log "
                           "and `salon outbox` show what it did.") + "\n")
        return 1
    return ended["exit"]


def _answer(answers: io.BufferedReader) -> dict[str, int]:
    line = answers.readline()
    try:
        answer = json.loads(line) if line else {}
    except ValueError:
        answer = {}
    # Only numbers are ever said: a pid, an exit code, or true (== 1) for "stale".
    if not isinstance(answer, dict):
        return {}
    return {key: int(value) for key, value in answer.items() if isinstance(value, int)}


def start_warm_console(path: Path) -> None:
    """Start one in the background for the commands after this one (two at once: the
    second finds the first holding the lock and leaves)."""
    import subprocess

    # -P, in "/": neither the caller's folder nor what is in it (an `app/`, a `json.py`) is
    # where the warm console finds its modules, nor a folder it keeps busy.
    subprocess.Popen(
        [sys.executable, "-P", "-m", "app.warm_console", str(path)], cwd="/",
        stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
        start_new_session=True, close_fds=True,
    )


if __name__ == "__main__":
    main()
