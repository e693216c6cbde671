"""The console's own documents folder and when each file in it was written (R9).

Every service that writes into `<data_dir>/documents/` (detalization copies, slips, leaflets,
documents fetched back from the archive) says so here, and the time is the console's clock's.
`purge(cutoff)` deletes the files written before the cutoff by those recorded times — never
by modification times, which in training (the world's clock moved +24 h) or after a copy
from a backup say nothing about when the console made a file. A file found in the folder with
no record (written by an older console, or put there by hand) is recorded when first seen, so
it goes one retention period later: never early, never kept for ever.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable
from datetime import datetime
from pathlib import Path
from typing import Protocol

from app.clock import Clock

log = logging.getLogger(__name__)


class KeptFileStore(Protocol):
    def keep(self, path: str, at: datetime) -> None: ...

    def times(self) -> dict[str, datetime]: ...

    def forget(self, paths: Iterable[str]) -> None: ...


class KeptFiles:
    def __init__(self, folder: Path, store: KeptFileStore, clock: Clock) -> None:
        self.folder = folder
        self._store = store
        self._clock = clock

    def written(self, path: Path) -> None:
        """`path` was just written (a file inside the documents folder; others are the
        clerk's own and never purged)."""
        if self._inside(path):
            self._store.keep(str(path.absolute()), self._clock.now())

    def purge(self, cutoff: datetime) -> int:
        """Delete the folder's files written before `cutoff`; the number deleted."""
        if not self.folder.is_dir():
            return 0
        times = self._store.times()
        now = self._clock.now()
        removed, seen, gone = 0, set(), []
        for path in sorted(self.folder.rglob("*")):
            try:
                if path.is_symlink() or not path.is_file():
                    continue
                key = str(path.absolute())
                seen.add(key)
                kept_at = times.get(key)
                if kept_at is None:
                    self._store.keep(key, now)  # first seen: goes a retention period from now
                elif kept_at < cutoff:
                    path.unlink()
                    gone.append(key)
                    removed += 1
            except OSError as error:  # one stubborn file must not stop the rest
                log.warning("R9 purge: cannot remove %s: %s", path, error)
        self._store.forget([*gone, *(key for key in times if key not in seen)])
        return removed

    def _inside(self, path: Path) -> bool:
        try:
            path.absolute().relative_to(self.folder.absolute())
        except ValueError:
            return False
        return True
