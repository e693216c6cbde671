"""The world's access-code hashing key, kept apart from the world's database (R2).

A code is 6 digits, so its keyed hash is only as strong as the key is secret: with the key in
the same file, whoever copies the file tries all 10⁶ codes in seconds. So the key lives where an
operator keeps such a key:

- `$SALON_SANDBOX_CODE_KEY` (64 hex digits), when the one who runs the sandbox hands it in;
- else a key file beside the database, `<database>.code-key`, mode 0600, made atomically on the
  first open (written whole under a temporary name, then linked into place: two sandboxes
  starting on one world agree on one key).

A world made before this kept its key in its `meta` table. The first open moves that key into
the file (the world's code hashes stay valid), deletes the row and checkpoints the WAL, with
`secure_delete` on, so its bytes are gone from the database file.
"""

from __future__ import annotations

import contextlib
import logging
import os
import re
import secrets
import tempfile
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from sandbox.store import Store

log = logging.getLogger(__name__)

ENV = "SALON_SANDBOX_CODE_KEY"
LEGACY_META = "access_code_key"  # where a world made before kept it
_HEX_KEY = re.compile(r"[0-9a-f]{64}")


class BadCodeKey(ValueError):
    pass


def key_path(db_path: Path) -> Path:
    return db_path.with_name(db_path.name + ".code-key")


def load(store: Store) -> str:
    """The world's key as hex, moving a key kept in the database out of it first."""
    legacy = store.get_meta(LEGACY_META)
    given = os.environ.get(ENV, "").strip().lower()
    path = key_path(store.path)
    if given:
        if not _HEX_KEY.fullmatch(given):
            raise BadCodeKey(f"{ENV} must be 64 hexadecimal digits")
        key = given
        if legacy is not None and legacy != given:
            log.warning("%s replaces the key the world kept in its database: codes ordered "
                        "before no longer verify", ENV)
    elif legacy is not None:
        key = legacy
        if _read(path) != legacy:
            _write(path, legacy, replace=True)  # the world's hashes were made with this one
    else:
        key = _read(path) or _create(path)
    if legacy is not None:
        _forget_legacy(store)
    return key


def _read(path: Path) -> str | None:
    try:
        text = path.read_text("ascii").strip()
    except FileNotFoundError:
        return None
    if not _HEX_KEY.fullmatch(text):
        raise BadCodeKey(f"{path} is not a key (64 hexadecimal digits)")
    if path.stat().st_mode & 0o077:
        log.warning("%s was readable by others; made 0600", path)
        path.chmod(0o600)
    return text


def _create(path: Path) -> str:
    """A new random key, unless another process linked its own first: then that one."""
    key = secrets.token_hex(32)
    try:
        _write(path, key, replace=False)
    except FileExistsError:
        found = _read(path)
        assert found is not None
        return found
    return key


def _write(path: Path, key: str, *, replace: bool) -> None:
    """The whole key under a temporary name (0600, fsync), then into place: linked (fails if
    there is one) or replaced; then the folder is synced, so the name survives a power cut."""
    folder = path.parent
    descriptor, temp = tempfile.mkstemp(prefix=".code-key-", dir=folder)  # mode 0600
    try:
        try:
            os.write(descriptor, key.encode())
            os.fsync(descriptor)
        finally:
            os.close(descriptor)
        if replace:
            os.replace(temp, path)
        else:
            os.link(temp, path)
    finally:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(temp)
    folder_descriptor = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(folder_descriptor)
    finally:
        os.close(folder_descriptor)


def _forget_legacy(store: Store) -> None:
    """Delete the meta row and push the WAL into the file: with secure_delete on, the page is
    rewritten with zeros where the key was, and the WAL that held it is emptied."""
    with store.write() as conn:
        conn.execute("DELETE FROM meta WHERE key = ?", (LEGACY_META,))
    store.checkpoint()
    log.info("the access-code key moved out of %s into %s", store.path, key_path(store.path))
