"""The journal's anchor: its last hash and entry number, kept outside the database.

A hash chain shows a changed or removed entry, but not a cut-off end: the rows that are left
still chain. So after every append the counter writes where the chain ended into a small file
in its data folder, sealed with the journal's key (an HMAC over the file's fields), and
`salon audit verify` checks the journal still reaches that entry with that hash. Whoever can
edit the database cannot move the anchor back without the key.

The file is replaced atomically (a temporary file, fsync, rename; the folder is synced when the
first anchor is made), so a power cut leaves the old anchor or the new one, never half of one.
Several processes of one counter (the window and a `salon` command) share it: a lock file orders
them, and the anchor only moves forward, so a slower process never puts back an older end.
"""

from __future__ import annotations

import contextlib
import fcntl
import hashlib
import hmac
import json
import os
import tempfile
from collections.abc import Iterator
from dataclasses import asdict, dataclass
from pathlib import Path

ANCHOR_VERSION = 1


@dataclass(frozen=True)
class Anchor:
    scope: str  # the database it belongs to (models.audit_seal.store_scope)
    key_id: str  # the key that sealed it
    keyed_from: int  # the key record's boundary, as this counter saw it
    seq: int  # the last entry this counter saw committed
    hash: str  # and that entry's hash


class AnchorAltered(ValueError):
    """The file is there but is not an anchor this key sealed."""


class AnchorFile:
    def __init__(self, path: Path) -> None:
        self.path = path
        self._lock_path = path.with_suffix(".lock")

    def exists(self) -> bool:
        return self.path.exists()

    def read(self, key: bytes) -> Anchor | None:
        """The anchor, None when there is no file; AnchorAltered when its seal, form or key
        does not match."""
        try:
            text = self.path.read_text("utf-8")
        except FileNotFoundError:
            return None
        except (OSError, UnicodeDecodeError) as error:
            raise AnchorAltered(f"{self.path}: {error}") from error
        try:
            data = json.loads(text)
            mac = data.pop("mac")
            version = data.pop("v")
            anchor = Anchor(**data)
            valid = (version == ANCHOR_VERSION and isinstance(mac, str)
                     and hmac.compare_digest(mac.encode(), _mac(key, anchor).encode()))
        except (ValueError, TypeError, KeyError, AttributeError) as error:
            raise AnchorAltered(f"{self.path} is not an anchor") from error
        if not valid:
            raise AnchorAltered(f"{self.path} does not carry this key's seal")
        return anchor

    def advance(self, key: bytes, anchor: Anchor) -> None:
        """Write `anchor` unless the file already holds a later entry of the same chain."""
        with self.locked():
            try:
                current = self.read(key)
            except AnchorAltered:
                current = None  # verify reports it until then; a sealed write replaces it
            if (current is not None and current.key_id == anchor.key_id
                    and current.keyed_from == anchor.keyed_from and current.seq >= anchor.seq):
                return
            self._write(key, anchor)

    def write_locked(self, key: bytes, anchor: Anchor) -> None:
        """Write `anchor` as it is; the caller holds `locked()` (the journal is being keyed)."""
        self._write(key, anchor)

    @contextlib.contextmanager
    def locked(self) -> Iterator[None]:
        """Exclusive among the processes of this counter (an flock on a lock file beside)."""
        self.path.parent.mkdir(parents=True, exist_ok=True)
        descriptor = os.open(self._lock_path, os.O_RDWR | os.O_CREAT, 0o600)
        try:
            fcntl.flock(descriptor, fcntl.LOCK_EX)
            yield
        finally:
            os.close(descriptor)  # releases the lock

    def _write(self, key: bytes, anchor: Anchor) -> None:
        body = {"v": ANCHOR_VERSION, **asdict(anchor), "mac": _mac(key, anchor)}
        folder = self.path.parent
        first = not self.path.exists()
        descriptor, temp = tempfile.mkstemp(prefix=".anchor-", dir=folder)
        try:
            with os.fdopen(descriptor, "w", encoding="utf-8") as file:
                json.dump(body, file, sort_keys=True)
                file.flush()
                os.fsync(file.fileno())
            os.replace(temp, self.path)
        except BaseException:
            with contextlib.suppress(FileNotFoundError):
                os.unlink(temp)
            raise
        if not first:
            # A rename lost in a power cut leaves the previous anchor: whole, sealed, and still
            # true of the journal up to its entry. Only the first one's name must be synced,
            # or the counter would wake up without an anchor at all.
            return
        folder_descriptor = os.open(folder, os.O_RDONLY)
        try:
            os.fsync(folder_descriptor)
        finally:
            os.close(folder_descriptor)


def _mac(key: bytes, anchor: Anchor) -> str:
    fields = {"v": ANCHOR_VERSION, **asdict(anchor)}
    text = json.dumps(fields, sort_keys=True, ensure_ascii=True, separators=(",", ":"))
    return hmac.new(key, b"salon-audit-anchor\n" + text.encode(), hashlib.sha256).hexdigest()
