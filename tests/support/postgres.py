"""A throw-away PostgreSQL server for the suite: initdb in a temp folder, pg_ctl on loopback.

It is the real server from Debian's `postgresql` package (installed by `make test`). The
server refuses to run as root, so under root it runs as the `postgres` system user.
"""

from __future__ import annotations

import glob
import os
import shutil
import socket
import subprocess
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path


def _bin(name: str) -> str:
    found = sorted(glob.glob(f"/usr/lib/postgresql/*/bin/{name}"))
    if found:
        return found[-1]
    on_path = shutil.which(name)
    if on_path:
        return on_path
    raise RuntimeError(
        f"PostgreSQL's {name} was not found: install Debian's `postgresql` package "
        "(`make test` does it)."
    )


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@contextmanager
def running_postgres() -> Iterator[str]:
    """Yield a postgresql:// URL of a fresh server with an empty database `salon_test`."""
    as_root = os.geteuid() == 0
    base = Path(tempfile.mkdtemp(prefix="salon-pg-"))
    data = base / "data"
    data.mkdir()
    wrap: list[str] = []
    if as_root:
        wrap = ["runuser", "-u", "postgres", "--"]
        shutil.chown(base, "postgres")
        shutil.chown(data, "postgres")
        base.chmod(0o755)
    port = _free_port()

    def run(*cmd: str) -> None:
        subprocess.run([*wrap, *cmd], check=True, capture_output=True, cwd=base)

    run(_bin("initdb"), "-D", str(data), "-A", "trust", "-U", "salon", "--no-sync",
        "-E", "UTF8", "--locale=C")
    options = f"-c listen_addresses=127.0.0.1 -p {port} -k {base} -c fsync=off"
    run(_bin("pg_ctl"), "-D", str(data), "-o", options, "-l", str(base / "log"), "-w", "start")
    try:
        run(_bin("createdb"), "-h", "127.0.0.1", "-p", str(port), "-U", "salon", "salon_test")
        yield f"postgresql://salon@127.0.0.1:{port}/salon_test"
    finally:
        subprocess.run([*wrap, _bin("pg_ctl"), "-D", str(data), "-m", "immediate", "stop"],
                       capture_output=True, cwd=base)
        shutil.rmtree(base, ignore_errors=True)
