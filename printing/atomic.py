"""Writing a document all or nothing: into a temporary file beside the target, then renamed.

A failed or interrupted export never leaves half a file under the name the user asked for, and
only a regular file is ever replaced: the rename would put a file in place of a device node
(as root, /dev/full), a FIFO or a socket. The console refuses such a target when it is given
(app/inputs.py, exit 2); this is the last check, just before the rename.
"""

from __future__ import annotations

import contextlib
import errno
import os
import secrets
import stat
from collections.abc import Iterator
from pathlib import Path


class NotARegularFile(OSError):
    """The target exists and is not a regular file (a device, FIFO, socket or folder)."""


def check_replaceable(path: Path) -> None:
    """NotARegularFile unless `path` is absent or a regular file (links followed)."""
    try:
        mode = os.stat(path).st_mode
    except FileNotFoundError:
        return
    if not stat.S_ISREG(mode):
        raise NotARegularFile(errno.EEXIST, "not a regular file; nothing was written",
                              str(path))


@contextlib.contextmanager
def atomic_output(path: Path) -> Iterator[Path]:
    """Yield a temporary path in `path`'s folder; on success it replaces `path` (fsynced).
    NotARegularFile (an OSError) when `path` is there and is not a regular file."""
    check_replaceable(path)
    temp = path.parent / f".{path.name}.{secrets.token_hex(6)}.part"
    # Created like any saved file (the user's umask applies), never over an existing one.
    os.close(os.open(temp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o666))
    try:
        yield temp
        with temp.open("rb+") as written:
            os.fsync(written.fileno())
        check_replaceable(path)  # it may have been made a FIFO while the document was written
        os.replace(temp, path)
    except BaseException:
        temp.unlink(missing_ok=True)
        raise
    with contextlib.suppress(OSError):  # the rename itself survives a power cut
        directory = os.open(path.parent, os.O_RDONLY)
        try:
            os.fsync(directory)
        finally:
            os.close(directory)
