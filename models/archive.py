"""The operator's personal archive (R8, R9) as the console sees it: a document kept there for
3 days, and the console's own note of what it put there (schema: migrations step 6).

The note exists because a fetch after expiry answers only 410: the note keeps the expiry date
the clerk is told ("it expired on …"). It holds the number masked, the file name and the
dates — nothing of the content — and goes in the R9 purge once the document has expired.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from peewee import BigIntegerField, CharField, DateTimeField, TextField

from models.stored_time import from_stored, to_stored
from models.tables import BaseModel


@dataclass(frozen=True)
class ArchivedDocument:
    id: str
    name: str
    content_type: str
    size: int
    sha256: str
    uploaded_at: datetime  # UTC
    expires_at: datetime  # UTC: from then on the operator answers 410 and has deleted it


@dataclass(frozen=True)
class FetchedDocument:
    name: str
    content_type: str
    content: bytes


class ArchiveNote(BaseModel):
    id = CharField(primary_key=True, max_length=64)
    msisdn_masked = CharField(max_length=32)
    name = TextField()
    content_type = TextField()
    size = BigIntegerField()
    sha256 = CharField(max_length=64)
    uploaded_at = DateTimeField()
    expires_at = DateTimeField()

    class Meta:
        table_name = "archive_document"




class StoreArchiveNotes:
    """The ArchiveNotes of app/services/archive.py."""

    def remember(self, doc: ArchivedDocument, msisdn_masked: str) -> None:
        values = {"msisdn_masked": msisdn_masked, "name": doc.name,
                  "content_type": doc.content_type, "size": doc.size, "sha256": doc.sha256,
                  "uploaded_at": to_stored(doc.uploaded_at),
                  "expires_at": to_stored(doc.expires_at)}
        ArchiveNote.insert(id=doc.id, **values).on_conflict(
            conflict_target=[ArchiveNote.id], update=values).execute()

    def expiry(self, document_id: str) -> datetime | None:
        row = ArchiveNote.get_or_none(ArchiveNote.id == document_id)
        return None if row is None else from_stored(row.expires_at)

    def purge(self, before: datetime) -> int:
        """Forget documents that expired before `before`."""
        return int(ArchiveNote.delete().where(ArchiveNote.expires_at < to_stored(before))
                   .execute())
