"""`-o PATH` writes only regular files (issue 12, point 10: as root, `-o /dev/full` replaced the
device node, and a FIFO was replaced too). Every command that takes -o refuses an existing
path that is not a regular file — a device, a FIFO, a socket, a folder — with exit 2 and a
sentence, and writes nothing; the services check again, and the atomic writer once more just
before its rename."""

from __future__ import annotations

import os
import socket
import stat
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest

from app.errors import InputError
from app.inputs import output_target
from app.services.daily_log import DailyLogService
from app.services.detalization import checked_target
from printing.atomic import NotARegularFile, atomic_output

SALON = str(Path(__file__).resolve().parents[2] / ".venv" / "bin" / "salon")
MARIA = "+79161234567"
DAY = "2026-01-15"  # never read: the target is refused before the date is looked at

COMMANDS = {
    "detalization": ["detalization", MARIA, "--from", DAY, "--to", DAY, "-o"],
    "daily log": ["log", "export", "--date", DAY, "--format", "csv", "-o"],
    "leaflet": ["code", "leaflet", MARIA, "-o"],
    "archive fetch": ["archive", "fetch", "doc_0123456789abcdef", "-o"],
    "sandbox world": ["sandbox", "--port", "1", "--db"],  # refused before it would listen
}


@pytest.fixture
def specials(tmp_path: Path) -> Iterator[dict[str, Path]]:
    """A FIFO, a listening Unix socket, a folder, and the null device."""
    fifo = tmp_path / "pipe.csv"
    os.mkfifo(fifo)
    folder = tmp_path / "folder.pdf"
    folder.mkdir()
    listening = socket.socket(socket.AF_UNIX)
    listening.bind(str(tmp_path / "sock.pdf"))
    yield {"fifo": fifo, "socket": tmp_path / "sock.pdf", "folder": folder,
           "device": Path("/dev/null")}
    listening.close()


def kinds(paths: dict[str, Path]) -> dict[str, int]:
    return {name: stat.S_IFMT(os.stat(path).st_mode) for name, path in paths.items()}


@pytest.mark.parametrize("command", sorted(COMMANDS))
def test_every_minus_o_refuses_what_is_not_a_regular_file(
        salon_env: dict[str, str], specials: dict[str, Path], tmp_path: Path,
        command: str) -> None:
    env = {**salon_env, "SALON_CLERK": "manager", "SALON_PASSWORD": "manager-demo"}
    before = kinds(specials)
    files_before = sorted(tmp_path.iterdir())
    for kind, target in specials.items():
        done = subprocess.run([SALON, *COMMANDS[command], str(target)], env=env,
                              stdin=subprocess.DEVNULL, capture_output=True, text=True,
                              timeout=120)
        assert done.returncode == 2, (kind, done.stderr)
        assert "Traceback" not in done.stderr and "Nothing was written" in done.stderr
        assert str(target) in done.stderr and done.stdout == ""
    assert kinds(specials) == before  # /dev/null is still a device, the FIFO still a FIFO
    assert stat.S_ISCHR(os.stat("/dev/null").st_mode)
    assert sorted(tmp_path.iterdir()) == files_before  # no document, no .part left


def test_the_services_refuse_the_same_targets(specials: dict[str, Path]) -> None:
    for target in specials.values():
        with pytest.raises(InputError, match="not a file"):
            output_target(target)
        with pytest.raises(InputError):
            checked_target("csv", target)
        with pytest.raises(InputError):
            DailyLogService._checked_target("csv", target)


def test_the_atomic_writer_never_replaces_a_fifo_even_one_made_while_it_wrote(
        tmp_path: Path) -> None:
    target = tmp_path / "report.csv"
    with pytest.raises(NotARegularFile), atomic_output(target) as temp:
        temp.write_text("rows")
        os.mkfifo(target)  # someone made it a FIFO meanwhile
    assert stat.S_ISFIFO(os.stat(target).st_mode)
    assert [p.name for p in tmp_path.iterdir()] == ["report.csv"]  # no .part left behind
    with pytest.raises(NotARegularFile), atomic_output(Path("/dev/null")):
        pytest.fail("nothing is written for a device")
    assert stat.S_ISCHR(os.stat("/dev/null").st_mode)


def test_a_regular_file_or_a_new_name_is_written_as_before(tmp_path: Path) -> None:
    old = tmp_path / "old.csv"
    old.write_text("yesterday")
    for target in (old, tmp_path / "new.csv"):
        with atomic_output(output_target(target)) as temp:
            temp.write_text("today")
        assert target.read_text() == "today"
