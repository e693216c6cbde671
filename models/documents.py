"""The register of documents this store's counters produced: what `salon verify-document`
checks a file against — detalizations, confirmation slips, Assistant leaflets, daily logs.

A row holds only what verification needs: the document's id, kind, format, the SHA-256 of its
canonical content (printing/canonical.py) and which rules computed it (`hash_version`), when
and where it was made, the dates it covers (a detalization's period; a slip's or leaflet's day;
a daily log's day), and the number MASKED (+7 916 ***-**-67) or "". No name, no records, no
full number: the register is kept after the R9 purge so a document can be checked later, and
must then hold nothing personal.

Every document carries its id and hash as `SALON-DOC:<id>:<sha256>`: in its QR code and PDF
keywords, its HTML meta tags, its workbook's keywords, or a line of its text.
"""

from __future__ import annotations

import re
import secrets
from dataclasses import dataclass
from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

from peewee import CharField, DateField, DateTimeField, IntegerField, TextField

from models.printing import DocumentKind
from models.tables import BaseModel

# 1: a detalization's summary and rows only (before issue 12); 2: everything a reader sees.
HASH_VERSION = 2
PAYLOAD_PREFIX = "SALON-DOC"
_ID = r"[A-Z]{3}-\d{8}-[A-Z0-9]{8}"
PAYLOAD = re.compile(rf"{PAYLOAD_PREFIX}:({_ID}):([0-9a-f]{{64}})")
_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"


# The kinds the console makes and registers (a FILE is anyone's PDF: never registered).
ID_PREFIXES = {DocumentKind.DETALIZATION: "DET", DocumentKind.SLIP: "SLP",
               DocumentKind.LEAFLET: "LFT", DocumentKind.DAILY_LOG: "LOG"}


def new_document_id(kind: DocumentKind, now: datetime, zone: ZoneInfo) -> str:
    """<prefix>-<local date>-<8 random characters>: unguessable, sortable by day."""
    tail = "".join(secrets.choice(_ALPHABET) for _ in range(8))
    return f"{ID_PREFIXES[kind]}-{now.astimezone(zone):%Y%m%d}-{tail}"


def qr_payload(document_id: str, sha256: str) -> str:
    """What the QR code carries (and the metadata, or a text line): id and hash, nothing
    personal."""
    return f"{PAYLOAD_PREFIX}:{document_id}:{sha256}"


def parse_qr_payload(text: str) -> tuple[str, str] | None:
    """The first `SALON-DOC:<id>:<sha256>` in `text`, as (id, sha256)."""
    found = PAYLOAD.search(text)
    return (found.group(1), found.group(2)) if found else None


class DetalizationDocument(BaseModel):
    id = CharField(primary_key=True, max_length=40)
    kind = CharField(max_length=16, default=DocumentKind.DETALIZATION.value)
    format = CharField(max_length=8)
    sha256 = CharField(max_length=64)
    hash_version = IntegerField(default=1)
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
    kind: DocumentKind = DocumentKind.DETALIZATION
    hash_version: int = HASH_VERSION


class DocumentRegister:
    def add(self, doc: RegisteredDocument) -> None:
        DetalizationDocument.create(
            id=doc.id, kind=doc.kind.value, format=doc.format, sha256=doc.sha256,
            hash_version=doc.hash_version,
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
            row.counter, DocumentKind(row.kind), int(row.hash_version))


def _day(value: date | str) -> date:
    return value if isinstance(value, date) else date.fromisoformat(str(value))
