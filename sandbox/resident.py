"""The training sandbox of a data folder, shared by every console process that uses the folder.

On the embedded default (`[operator] url = embedded`) the first `salon` command, or the window,
starts the sandbox as a process of its own and leaves it running; later commands reach it over
loopback instead of importing FastAPI and building the world again (a command then answers in a
fraction of a second: DESIGN §9). One sandbox per data folder, whoever starts it:

- `sandbox.run` (mode 0600, beside the world's `sandbox.db`) says where it listens, its pid,
  its seed and its bearer token. The token is made by the sandbox at start and lives only as
  long as it runs; whoever can read this file can read the training world itself.
- `sandbox.users`: every console process using the sandbox holds a shared lock on it (the
  kernel lets go when the process ends, even if it crashed). The sandbox ends only when it can
  take the lock exclusively, i.e. nobody uses it, and has been unused for `idle_s` seconds;
  it removes `sandbox.run` while it holds the lock, so a console never reads the file of a
  sandbox that is going away.
- `sandbox.lock`: one starter at a time; a second waits and then reaches the first's.

This module imports nothing heavy: reaching a running sandbox is a file read and two locks.
The server side (`python -m sandbox.resident`) imports the FastAPI app only in the child.
"""

from __future__ import annotations

import contextlib
import fcntl
import json
import logging
import os
import secrets
import signal
import sys
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import IO

log = logging.getLogger(__name__)

RUN_FILE = "sandbox.run"
USERS_FILE = "sandbox.users"
LOCK_FILE = "sandbox.lock"
FAILED_FILE = "sandbox.failed"  # why the last start failed (the parent reports it)
WORLD_FILE = "sandbox.db"
# How long a sandbox nobody uses stays for the next command: a clerk's commands come minutes
# apart; a day's last one does not keep it all night.
DEFAULT_IDLE_S = 15 * 60
_POLL_S = 1.0


@dataclass(frozen=True)
class _Running:
    """What `sandbox.run` says."""

    url: str
    token: str
    pid: int
    seed: int


class ResidentFailed(RuntimeError):
    """The sandbox did not start. `reason` says why, for the console to say it in the
    clerk's language (one of REASONS); the message is the sandbox's own words, for the log."""

    def __init__(self, reason: str, detail: str) -> None:
        super().__init__(detail)
        self.reason = reason


# Why a start failed: its world file is of another seed; its access-code key is broken;
# it ended at start for another reason (its log says which); it did not start in time.
REASONS = ("another_seed", "bad_code_key", "ended", "timeout")


@dataclass
class Resident:
    """A running sandbox this process uses until `release()`."""

    url: str
    token: str
    pid: int
    seed: int
    _users: IO[str]

    def release(self) -> None:
        """This process no longer uses it (the sandbox may end once nobody does)."""
        self._users.close()


def reach(data_dir: Path, seed: int, *, idle_s: int = DEFAULT_IDLE_S,
          start_timeout: float = 60.0) -> Resident:
    """The data folder's sandbox: the running one, or one started now and left running. A
    sandbox of another seed (salon.ini changed) is stopped and started again on this one."""
    data_dir.mkdir(parents=True, exist_ok=True)
    users = _open_locked(data_dir / USERS_FILE, fcntl.LOCK_SH)
    try:
        found = _running(data_dir)
        if found is None or found.seed != seed:
            with _starting(data_dir):
                found = _running(data_dir)  # another process may have started it meanwhile
                if found is not None and found.seed != seed:
                    _stop(data_dir, found)
                    found = None
                if found is None:
                    found = _start(data_dir, seed, idle_s, start_timeout)
        return Resident(found.url, found.token, found.pid, found.seed, users)
    except BaseException:
        users.close()
        raise


def stop(data_dir: Path, timeout: float = 30.0) -> bool:
    """Stop the data folder's sandbox (`salon sandbox stop`); False when none was running.
    It ends at once, whoever uses it: their next call says the operator is unreachable."""
    found = _running(data_dir)
    if found is None:
        return False
    _stop(data_dir, found, timeout)
    return True


def _open_locked(path: Path, how: int) -> IO[str]:
    handle = open(path, "a+", encoding="utf-8")  # noqa: SIM115 — held until release()
    try:
        fcntl.flock(handle, how)
    except BaseException:
        handle.close()
        raise
    return handle


@contextlib.contextmanager
def _starting(data_dir: Path) -> Iterator[None]:
    with _open_locked(data_dir / LOCK_FILE, fcntl.LOCK_EX):
        yield


def _running(data_dir: Path) -> _Running | None:
    """What `sandbox.run` says, if its process is alive."""
    try:
        fields = json.loads((data_dir / RUN_FILE).read_text(encoding="utf-8"))
        found = _Running(str(fields["url"]), str(fields["token"]), int(fields["pid"]),
                         int(fields["seed"]))
        os.kill(found.pid, 0)
    except (OSError, ValueError, KeyError, TypeError):
        return None
    return found


def _start(data_dir: Path, seed: int, idle_s: int, timeout: float) -> _Running:
    import subprocess  # only to start one: reaching a running one is the common case

    (data_dir / FAILED_FILE).unlink(missing_ok=True)
    logs = data_dir / "logs"
    logs.mkdir(exist_ok=True)
    with open(logs / "sandbox.log", "ab") as output:
        child = subprocess.Popen(
            # -P, in "/": the caller's folder (a `json.py` in it) is not where it finds
            # its modules, nor a folder it keeps busy.
            [sys.executable, "-P", "-m", "sandbox.resident", str(data_dir.resolve()),
             str(seed), str(idle_s)], cwd="/",
            stdin=subprocess.DEVNULL, stdout=output, stderr=output,
            start_new_session=True,  # not ended by the terminal's Ctrl+C meant for a command
            close_fds=True)
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        found = _running(data_dir)
        if found is not None and found.pid == child.pid:
            return found
        if child.poll() is not None:
            raise _failure(data_dir, child.returncode)
        time.sleep(0.02)
    child.terminate()
    raise ResidentFailed("timeout", f"the sandbox did not start within {timeout:.0f} s")


def _failure(data_dir: Path, returncode: int) -> ResidentFailed:
    """What the child wrote of its failure (serve()), or that it ended without a word."""
    with contextlib.suppress(OSError, ValueError, KeyError, TypeError):
        why = json.loads((data_dir / FAILED_FILE).read_text(encoding="utf-8"))
        if why["reason"] in REASONS:
            return ResidentFailed(str(why["reason"]), str(why["detail"]))
    return ResidentFailed("ended", f"the sandbox ended at start (exit {returncode}); see "
                                   f"{data_dir / 'logs' / 'sandbox.log'}")


def _stop(data_dir: Path, found: _Running, timeout: float = 30.0) -> None:
    pid = found.pid
    with contextlib.suppress(ProcessLookupError):
        os.kill(pid, signal.SIGTERM)
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if _ended(pid):
            break
        time.sleep(0.02)
    else:
        with contextlib.suppress(ProcessLookupError):
            os.kill(pid, signal.SIGKILL)
    _remove_run_file(data_dir, pid)


def _ended(pid: int) -> bool:
    """Whether the process is gone. Started by this very process (a window, a test), it is
    reaped here: until then the kernel keeps it as a zombie that signals still reach."""
    try:
        if os.waitpid(pid, os.WNOHANG)[0] == pid:
            return True
    except ChildProcessError:  # not ours: whoever started it reaps it
        pass
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return True
    return False


def _remove_run_file(data_dir: Path, pid: int) -> None:
    """Only its own: a run file another sandbox wrote since is left alone."""
    with contextlib.suppress(OSError, ValueError, KeyError, TypeError):
        if int(json.loads((data_dir / RUN_FILE).read_text(encoding="utf-8"))["pid"]) == pid:
            (data_dir / RUN_FILE).unlink()


def _write_run_file(data_dir: Path, fields: dict[str, object]) -> None:
    """Atomically, readable by this user alone (it holds the token)."""
    temporary = data_dir / f"{RUN_FILE}.{os.getpid()}"
    descriptor = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(descriptor, "w", encoding="utf-8") as handle:
        json.dump(fields, handle)
    os.replace(temporary, data_dir / RUN_FILE)


def serve(data_dir: Path, seed: int, idle_s: int) -> int:
    """The child: the sandbox on a loopback port until nobody has used it for `idle_s`."""
    from sandbox.code_key import BadCodeKey
    from sandbox.server import start_in_background
    from sandbox.store import SeedMismatch

    token = secrets.token_urlsafe(24)
    try:
        running = start_in_background(data_dir / WORLD_FILE, seed, token)
    except (SeedMismatch, BadCodeKey) as error:
        reason = "another_seed" if isinstance(error, SeedMismatch) else "bad_code_key"
        (data_dir / FAILED_FILE).write_text(json.dumps({"reason": reason, "detail": str(error)}),
                                            encoding="utf-8")
        return 1
    stopping = threading.Event()
    signal.signal(signal.SIGTERM, lambda *_: stopping.set())
    signal.signal(signal.SIGINT, lambda *_: stopping.set())
    _write_run_file(data_dir, {"pid": os.getpid(), "url": running.url, "token": token,
                               "seed": seed})
    log.info("training sandbox of %s on %s", data_dir, running.url)
    unused_since: float | None = None
    try:
        while not stopping.wait(_POLL_S):
            with open(data_dir / USERS_FILE, "a+", encoding="utf-8") as users:
                try:
                    fcntl.flock(users, fcntl.LOCK_EX | fcntl.LOCK_NB)
                except BlockingIOError:
                    unused_since = None  # a console uses it
                    continue
                now = time.monotonic()
                unused_since = now if unused_since is None else unused_since
                if now - unused_since >= idle_s:
                    # Gone from the run file while nobody can be reading it.
                    _remove_run_file(data_dir, os.getpid())
                    break
    finally:
        _remove_run_file(data_dir, os.getpid())
        running.stop()
    return 0


if __name__ == "__main__":
    logging.basicConfig(level=logging.INFO,
                        format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    sys.exit(serve(Path(sys.argv[1]), int(sys.argv[2]), int(sys.argv[3])))
