"""Writing a document all or nothing: into a temporary file beside the target, then renamed.

A failed or interrupted export never leaves half a file under the name the user asked for.
"""

from __future__ import annotations

import contextlib
import os
import secrets
from collections.abc import Iterator
from pathlib import Path


@contextlib.contextmanager
def atomic_output(path: Path) -> Iterator[Path]:
    """Yield a temporary path in `path`'s folder; on success it replaces `path` (fsynced)."""
    temp = path.parent / f".{path.name}.{secrets.token_hex(6)}.part"
    # Created like any saved file (the user's umask applies), never over an existing one.
    os.close(os.open(temp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o666))
    try:
        yield temp
        with temp.open("rb+") as written:
            os.fsync(written.fileno())
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
