"""Who is sending an outbox row: this process, named so that a later start can tell it died.

A row a crashed console left `sending` goes back to the queue when its lease runs out. A
console restarted on the same machine need not wait that long when the process named in the
row is gone: the name is host, process id and the process's start time (so a reused pid is not
mistaken for the old process). Rows of other machines (several counters on one PostgreSQL)
always wait for the lease.
"""

from __future__ import annotations

import os
import socket
from functools import cache
from pathlib import Path


def _start_time(pid: int) -> str | None:
    """The running process's start time in clock ticks since boot (Linux /proc); None when
    there is no such process, or it has died and waits to be reaped (a zombie)."""
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return None
    # The command name (field 2) may hold spaces and parentheses: split after it. Then
    # field 3 is the state, field 22 the start time.
    fields = stat[stat.rfind(")") + 2:].split()
    if len(fields) <= 19 or fields[0] in ("Z", "X"):
        return None
    return fields[19]


@cache
def this_process() -> str:
    pid = os.getpid()
    return f"{socket.gethostname()}:{pid}:{_start_time(pid) or '?'}"


def gone(owner: str) -> bool:
    """True only when `owner` names a process of this machine that no longer runs."""
    try:
        host, pid_text, started = owner.rsplit(":", 2)
        pid = int(pid_text)
    except ValueError:
        return False
    if host != socket.gethostname() or started == "?":
        return False
    if pid == os.getpid():
        return started != _start_time(pid)
    return _start_time(pid) != started
