"""When the console put each file into its documents folder, by the console's clock (R9).

Retention decides by these times, never by the files' modification times: in training the
console's clock runs with the sandbox world's (moved +24 h), and a file's mtime says nothing
about that. Rows are per counter: counters of one store may share a PostgreSQL database while
each keeps its own folder (possibly at the same path on another machine).
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime

from peewee import CharField, CompositeKey, DateTimeField, TextField

from models.stored_time import from_stored, to_stored
from models.tables import BaseModel


class KeptFile(BaseModel):
    salon = CharField(max_length=64)
    counter = CharField(max_length=16)
    path = TextField()  # absolute, as the console wrote it
    kept_at = DateTimeField()

    class Meta:
        table_name = "kept_file"
        primary_key = CompositeKey("salon", "counter", "path")




class StoreKeptFiles:
    """The KeptFileStore of app/services/kept_files.py, for one counter."""

    def __init__(self, salon: str, counter: str) -> None:
        self._salon, self._counter = salon, counter

    def keep(self, path: str, at: datetime) -> None:
        KeptFile.insert(salon=self._salon, counter=self._counter, path=path,
                        kept_at=to_stored(at)).on_conflict(
            conflict_target=[KeptFile.salon, KeptFile.counter, KeptFile.path],
            update={KeptFile.kept_at: to_stored(at)}).execute()

    def times(self) -> dict[str, datetime]:
        rows = KeptFile.select(KeptFile.path, KeptFile.kept_at).where(
            (KeptFile.salon == self._salon) & (KeptFile.counter == self._counter))
        return {row.path: from_stored(row.kept_at) for row in rows}

    def forget(self, paths: Iterable[str]) -> None:
        chosen = list(paths)
        for start in range(0, len(chosen), 500):
            KeptFile.delete().where(
                (KeptFile.salon == self._salon) & (KeptFile.counter == self._counter)
                & KeptFile.path.in_(chosen[start:start + 500])).execute()
