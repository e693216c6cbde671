"""The warm console: the console's modules imported once, forked for every `salon` command.

`python -m app.warm_console SOCKET` (started by app/launcher.py, in a session of its own):
1. takes SOCKET's lock (one warm console per socket; a second one leaves at once);
2. imports what commands use (app/, models/, printing/ but not the window; pydantic's
   validators built) — and opens nothing: no database, no network, no thread, no keyring,
   so that every fork starts as clean as a new process;
3. listens on SOCKET (mode 0600 in a 0700 folder; a caller of another user is refused);
4. for each caller forks a child that takes the caller's three descriptors, environment,
   folder and umask, says "started", runs app.main.main(argv) and says its exit code.

It leaves after IDLE_SECONDS without a caller, on SIGTERM (`salon warm stop`), and when a
module it imported has changed on disk since (an upgrade): it then tells the caller it is
stale, and the caller runs the command itself and starts a new one.
"""

from __future__ import annotations

import atexit
import contextlib
import fcntl
import importlib
import io
import json
import os
import pkgutil
import signal
import site
import socket
import sys
import threading
import time
import traceback
from collections.abc import Iterator
from pathlib import Path
from typing import Any, TextIO

from app.launcher import HEADER

IDLE_SECONDS = 15 * 60
PACKAGES = ("app", "models", "printing")
NOT_PRELOADED = ("app.launcher", "app.warm_console")
# Imported inside functions of ours on a command's way (the clerk's password check, the log,
# the training sandbox's address, httpx's host names): imported here as well.
ALSO_PRELOADED = ("argon2", "argon2.exceptions", "logging.handlers", "sandbox.resident",
                  "encodings.idna")
ROOT = Path(__file__).resolve().parent.parent


def serve(path: Path) -> None:
    lock = _lock(path)
    if lock is None:
        return
    with lock:
        preload()
        stamp = code_stamp()
        with contextlib.suppress(FileNotFoundError):
            path.unlink()  # left by one that was killed (we hold the lock: it is gone)
        listener = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        old_umask = os.umask(0o177)
        try:
            listener.bind(str(path))
        finally:
            os.umask(old_umask)
        listener.listen(32)
        pid_file = path.with_suffix(".pid")
        pid_file.write_text(f"{os.getpid()}\n", encoding="ascii")
        signal.signal(signal.SIGTERM, _leave)
        try:
            _accept(listener, lock, stamp)
        except _Leaving:
            pass
        finally:
            listener.close()
            for own in (path, pid_file):
                with contextlib.suppress(FileNotFoundError):
                    own.unlink()


def stop(path: Path) -> bool:
    """End the warm console listening at `path`; False when none was there."""
    try:
        pid = int(path.with_suffix(".pid").read_text(encoding="ascii"))
        os.kill(pid, signal.SIGTERM)
    except (OSError, ValueError):
        return False
    deadline = time.monotonic() + 10
    while path.exists() and time.monotonic() < deadline:
        time.sleep(0.02)
    return True


class _Leaving(Exception):
    pass


def _leave(_number: int, _frame: object) -> None:
    raise _Leaving


def _lock(path: Path) -> io.TextIOWrapper | None:
    lock = open(path.with_suffix(".lock"), "a", encoding="ascii")  # noqa: SIM115 - held for life
    os.chmod(lock.name, 0o600)
    deadline = time.monotonic() + 5  # one that is stale is on its way out: wait for it
    while True:
        try:
            fcntl.flock(lock, fcntl.LOCK_EX | fcntl.LOCK_NB)
            return lock
        except BlockingIOError:
            if time.monotonic() > deadline:
                lock.close()
                return None
            time.sleep(0.05)


def preload() -> None:
    """Import what a command may use, and build pydantic's validators that the wire models
    defer (app/operator_api/tmf_wire.py: DEFERRED), so that no command pays for either."""
    for package in PACKAGES:
        module = importlib.import_module(package)
        for found in pkgutil.walk_packages(module.__path__, f"{package}."):
            if found.name.startswith(NOT_PRELOADED):
                continue
            _import(found.name)
    for name in ALSO_PRELOADED:
        _import(name)
    # Only to save each command the work: a command that meets a failure here meets it
    # again itself, and says it as it would by itself.
    with contextlib.suppress(Exception):
        _build_validators()
    with contextlib.suppress(Exception):
        _load_languages()


def _import(name: str) -> None:
    # An optional part (pycups) not installed, or a module broken: the command that needs it
    # imports it itself and says what is wrong.
    with contextlib.suppress(Exception):
        importlib.import_module(name)


def _load_languages() -> None:
    """The catalogs, Babel's locale data, the zone names and the phone numbering plan, each
    read on first use and kept for the process."""
    import phonenumbers
    from babel import localedata

    from app import formatting, i18n
    from app.operator_api.wire_values import known_zones

    known_zones()  # the IANA zone names an operator's answer is held to

    for language in i18n.LANGUAGES:
        i18n.translation(language)
    for locale in formatting.LOCALES.values():
        localedata.load(locale)
    phonenumbers.PhoneMetadata.metadata_for_region("RU")  # the plan numbers are read by


def _build_validators() -> None:
    from pydantic import BaseModel, TypeAdapter

    for name, module in list(sys.modules.items()):
        if not name.startswith("app.operator_api"):
            continue
        for value in list(vars(module).values()):
            if isinstance(value, type) and issubclass(value, BaseModel) \
                    and value.__module__ == name:
                value.model_rebuild(force=True)
            elif isinstance(value, TypeAdapter):
                value.rebuild(force=True)


def code_stamp() -> dict[str, int]:
    """When each of our modules, catalogs and the installed packages last changed."""
    stamp = {}
    for file in [*_our_files(), *map(str, ROOT.glob("resources/locale/*/LC_MESSAGES/*.po"))]:
        with contextlib.suppress(OSError):
            stamp[file] = os.stat(file).st_mtime_ns
    for folder in site.getsitepackages():
        with contextlib.suppress(OSError):
            stamp[folder] = os.stat(folder).st_mtime_ns
    return stamp


def _our_files() -> Iterator[str]:
    root = str(ROOT)
    for module in list(sys.modules.values()):
        file = getattr(module, "__file__", None)
        if file and file.startswith(root):
            yield file


def _accept(listener: socket.socket, lock: io.TextIOWrapper, stamp: dict[str, int]) -> None:
    listener.settimeout(60)
    last = time.monotonic()
    while True:
        _reap()
        try:
            connection, _address = listener.accept()
        except TimeoutError:
            if time.monotonic() - last > IDLE_SECONDS:
                return
            continue
        last = time.monotonic()
        with connection:
            connection.settimeout(None)
            if _caller_uid(connection) != os.getuid():
                continue
            if code_stamp() != stamp:
                connection.sendall(b'{"stale": true}\n')
                return
            if os.fork() == 0:
                listener.close()
                lock.close()  # the parent's copy keeps the lock; a child's must not
                _child(connection)  # never returns


def _caller_uid(connection: socket.socket) -> int:
    import struct

    credentials = connection.getsockopt(socket.SOL_SOCKET, socket.SO_PEERCRED,
                                        struct.calcsize("3i"))
    return struct.unpack("3i", credentials)[1]


def _reap() -> None:
    with contextlib.suppress(ChildProcessError):
        while os.waitpid(-1, os.WNOHANG)[0]:
            pass


def _child(connection: socket.socket) -> None:
    code = 1
    try:
        signal.signal(signal.SIGTERM, signal.SIG_DFL)
        request = _take_request(connection)
        connection.sendall(json.dumps({"started": os.getpid()}).encode() + b"\n")
        threading.Thread(target=_end_with_caller, args=(connection,), daemon=True).start()
        code = _run(list(request["argv"]))
        connection.sendall(json.dumps({"exit": code}).encode() + b"\n")
    finally:
        os._exit(code)


def _end_with_caller(connection: socket.socket) -> None:
    """A command ends when its `salon` is killed (kill -9, a closed terminal's session), as
    it would if it ran there itself: the caller says nothing more, so this read returns
    only when it has gone."""
    with contextlib.suppress(OSError):
        connection.recv(1)
    os.kill(os.getpid(), signal.SIGKILL)


def _take_request(connection: socket.socket) -> dict[str, Any]:
    header, fds, _flags, _address = socket.recv_fds(connection, HEADER.size, 3)
    (length,) = HEADER.unpack(header)
    body = b""
    while len(body) < length:
        more = connection.recv(length - len(body))
        if not more:
            raise ConnectionError("the caller left")
        body += more
    request = json.loads(body)
    for target, fd in zip((0, 1, 2), fds, strict=True):
        os.dup2(fd, target)
        os.close(fd)
    os.environ.clear()
    os.environ.update(request["env"])
    time.tzset()
    os.chdir(request["cwd"])
    os.umask(int(request["umask"]))
    sys.stdin = _text(0, "r", sys.stdin)
    sys.stdout = _text(1, "w", sys.stdout)
    sys.stderr = _text(2, "w", sys.stderr, line_buffering=True)
    sys.argv = ["salon", *request["argv"]]
    return request


def _text(fd: int, mode: str, like: TextIO, *, line_buffering: bool = False) -> TextIO:
    """A text stream on `fd` as Python makes its own at start: the same encoding, line
    buffered when it is a terminal."""
    raw = open(fd, f"{mode}b", closefd=False)  # noqa: SIM115 - the process's own stream
    return io.TextIOWrapper(raw, encoding=like.encoding, errors=like.errors,
                            line_buffering=line_buffering or os.isatty(fd))


def _run(argv: list[str]) -> int:
    """What `python -m app.main ARGV` would exit with, as Python itself reports it."""
    from app.main import main

    try:
        code: object = main(argv)
    except SystemExit as leaving:
        code = leaving.code
    except KeyboardInterrupt:
        traceback.print_exc()
        code = 130
    except BaseException:
        traceback.print_exc()
        code = 1
    with contextlib.suppress(BaseException):
        atexit._run_exitfuncs()
    if code is None:
        code = 0
    elif not isinstance(code, int):
        print(code, file=sys.stderr)
        code = 1
    for stream in (sys.stdout, sys.stderr):
        with contextlib.suppress(OSError, ValueError):
            stream.flush()
    return code


if __name__ == "__main__":
    serve(Path(sys.argv[1]))
