"""The register of documents this store's counters produced: what `salon verify-document`
checks a file against.

A row holds only what verification needs: the document's id, format, SHA-256 of its canonical
content (models/detalization.py), when and where it was made, the period, and the number
MASKED (+7 916 ***-**-67). No name, no records, no full number: the register is kept after the
R9 purge so a document can be checked later, and must then hold nothing personal.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime

from peewee import CharField, DateField, DateTimeField, TextField

from models.tables import BaseModel


class DetalizationDocument(BaseModel):
    id = CharField(primary_key=True, max_length=40)
    format = CharField(max_length=8)
    sha256 = CharField(max_length=64)
    created_at = DateTimeField()  # UTC, naive in the column
    period_from = DateField()
    period_to = DateField()
    msisdn_masked = CharField(max_length=32)
    salon_id = TextField()
    counter = TextField()

    class Meta:
        table_name = "detalization_document"


@dataclass(frozen=True)
class RegisteredDocument:
    id: str
    format: str
    sha256: str
    created_at: datetime  # UTC, aware
    period_from: date
    period_to: date
    msisdn_masked: str
    salon_id: str
    counter: str


class DocumentRegister:
    def add(self, doc: RegisteredDocument) -> None:
        DetalizationDocument.create(
            id=doc.id, format=doc.format, sha256=doc.sha256,
            created_at=doc.created_at.astimezone(UTC).replace(tzinfo=None),
            period_from=doc.period_from, period_to=doc.period_to,
            msisdn_masked=doc.msisdn_masked, salon_id=doc.salon_id, counter=doc.counter)

    def get(self, document_id: str) -> RegisteredDocument | None:
        row = DetalizationDocument.get_or_none(DetalizationDocument.id == document_id)
        if row is None:
            return None
        created = row.created_at
        if isinstance(created, str):
            created = datetime.fromisoformat(created)
        return RegisteredDocument(
            row.id, row.format, row.sha256, created.replace(tzinfo=UTC),
            _day(row.period_from), _day(row.period_to), row.msisdn_masked, row.salon_id,
            row.counter)


def _day(value: date | str) -> date:
    return value if isinstance(value, date) else date.fromisoformat(str(value))
