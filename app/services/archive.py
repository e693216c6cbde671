"""Use case: the subscriber's personal archive at the operator (R8, R9).

    service.upload(clerk, msisdn, path) -> ArchivedDocument   (kept there 3 days)
    service.documents(msisdn) -> [ArchivedDocument]            (the unexpired ones, newest first)
    service.fetch(clerk, document_id, target) -> Path          (until it expires; then R9)

Uploads carry an Idempotency-Key made once per upload, so the client's retries never store a
document twice. Expiry is the operator's: 3 days of its clock. A fetch after that is refused
with the date it expired, from the console's note of its own uploads (models/archive.py), as
the 410 itself does not say. Journaled as ARCHIVE (the file's name and the document's id).
"""

from __future__ import annotations

import logging
import secrets
from datetime import datetime
from pathlib import Path
from typing import Protocol
from zoneinfo import ZoneInfo

from app import formatting
from app.clock import Clock
from app.errors import IdentityRequired, InputError, RuleRefused, SalonError
from app.i18n import _
from app.inputs import output_target
from app.phone import parse_msisdn
from app.services.clerks import require_clerk
from app.services.identity import IdentityGate
from app.services.journaling import Journal, journaled
from app.services.kept_files import KeptFiles
from models.archive import ArchivedDocument, FetchedDocument
from models.audit_codes import AuditAction
from models.detalization import mask_msisdn
from models.domain import Session
from models.identity import Need
from printing.atomic import atomic_output

log = logging.getLogger(__name__)

# What the archive keeps (R8: web page, text document, spreadsheet); text as UTF-8.
ARCHIVE_TYPES = {
    "pdf": "application/pdf",
    "html": "text/html; charset=utf-8",
    "txt": "text/plain; charset=utf-8",
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}
MAX_BYTES = 50 * 1024 * 1024


class ArchivePort(Protocol):
    def upload(self, msisdn: str, name: str, content_type: str, content: bytes, *,
               key: str) -> ArchivedDocument: ...

    def documents(self, msisdn: str) -> list[ArchivedDocument]: ...

    def fetch(self, document_id: str) -> FetchedDocument: ...


class ArchiveNotes(Protocol):
    def remember(self, doc: ArchivedDocument, msisdn_masked: str) -> None: ...

    def expiry(self, document_id: str) -> datetime | None: ...


class ArchiveService:
    def __init__(self, api: ArchivePort, notes: ArchiveNotes | None = None, *,
                 documents_dir: Path, timezone: str = "Europe/Moscow",
                 journal: Journal | None = None, clock: Clock, identity: IdentityGate,
                 kept: KeptFiles | None = None) -> None:
        self._identity = identity  # R10: the personal archive needs the visit's check
        self._kept = kept  # where copies fetched into the documents folder are recorded (R9)
        self._api = api
        self._notes = notes
        self._folder = documents_dir / "archive"
        self._timezone = timezone
        self._journal = journal
        self._clock = clock

    def upload(self, clerk: Session, phone: str, path: Path) -> ArchivedDocument:
        """Put `path` into the subscriber's archive. InputError for a file the archive does
        not keep (nothing sent), OperatorUnavailable / SubscriberNotFound from the API."""
        require_clerk(clerk)
        msisdn = parse_msisdn(phone)
        with journaled(self._journal, clerk.login, AuditAction.ARCHIVE, subscriber=msisdn,
                       detail=f"upload {path.name}") as outcome:
            self._identity.require(clerk, msisdn, Need.ARCHIVE)
            content_type = ARCHIVE_TYPES.get(path.suffix.lower().lstrip("."))
            if content_type is None:
                raise InputError(_("The personal archive keeps PDF, HTML, text, CSV and XLSX "
                                   "documents; {name} is none of them.").format(name=path.name))
            if not path.is_file():
                raise InputError(_("There is no file {path} to put into the archive.")
                                 .format(path=path))
            if path.stat().st_size > MAX_BYTES:
                raise InputError(_("{name} is larger than the archive's {limit} MB.").format(
                    name=path.name, limit=MAX_BYTES // 2**20))
            content = path.read_bytes()
            key = f"archive-{secrets.token_hex(16)}"  # one upload, however many retries
            doc = self._api.upload(msisdn, path.name, content_type, content, key=key)
            if self._notes is not None:
                self._notes.remember(doc, mask_msisdn(msisdn))
            outcome.detail = f"upload {path.name} → {doc.id}, until {_utc(doc)}"
        return doc

    def documents(self, clerk: Session, phone: str) -> list[ArchivedDocument]:
        """The subscriber's unexpired documents, newest first (also remembered locally).
        IdentityRequired (R10) without this visit's identity check."""
        require_clerk(clerk)
        msisdn = parse_msisdn(phone)
        self._identity.require(clerk, msisdn, Need.ARCHIVE)
        documents = self._api.documents(msisdn)
        if self._notes is not None:
            for doc in documents:
                self._notes.remember(doc, mask_msisdn(msisdn))
        return documents

    def fetch(self, clerk: Session, document_id: str, target: Path | None = None,
              subscriber: str = "") -> Path:
        """Save the document at `target` (default: the console's documents folder, purged
        after the retention period), whole or not at all. RuleRefused R9 (exit 3) once it has
        expired; InputError when `target` is there and is not a regular file."""
        require_clerk(clerk)
        if target is not None:
            output_target(target)  # before the operator is asked
        with journaled(self._journal, clerk.login, AuditAction.ARCHIVE, subscriber=subscriber,
                       detail=f"fetch {document_id}"):
            if subscriber:  # a document fetched for the subscriber at the counter
                self._identity.require(clerk, subscriber, Need.ARCHIVE)
            elif self._identity.needed(Need.ARCHIVE):
                self._only_the_visits(clerk, document_id)
            try:
                fetched = self._api.fetch(document_id)
            except RuleRefused as refused:
                if refused.rule != "R9":
                    raise
                # The 410 says only that it expired; the note of the upload says when.
                raise RuleRefused(self._expired_sentence(document_id) or str(refused),
                                  rule="R9") from refused
            path = target or self._folder / f"{document_id}-{_safe(fetched.name)}"
            output_target(path)  # a device, FIFO or socket is refused: nothing is written
            try:
                path.parent.mkdir(parents=True, exist_ok=True)
                with atomic_output(path) as temp:
                    temp.write_bytes(fetched.content)
                if self._kept is not None:
                    self._kept.written(path)
            except OSError as error:
                raise SalonError(_("The document could not be saved to {path}: {error}")
                                 .format(path=path, error=error.strerror or error)) from error
        return path

    def _expired_sentence(self, document_id: str) -> str | None:
        expires = self._notes.expiry(document_id) if self._notes is not None else None
        if expires is None:
            return None
        when = formatting.local_datetime(expires, self._timezone)
        return _("The operator's archive kept document {id} 3 days (R9); it expired on "
                 "{when} and was deleted. Make the document again if it is needed.").format(
            id=document_id, when=when)

    def _only_the_visits(self, clerk: Session, document_id: str) -> None:
        """R10 for a document named by its id alone (`salon archive fetch ID`): it must be in
        the archive of the subscriber whose identity was checked in this visit."""
        msisdn = self._identity.visit_subscriber(clerk)
        if msisdn is None:
            raise IdentityRequired(_(
                "R10: a document of the personal archive is given after the identity check of "
                "its owner in this visit (F2, or salon identify PHONE --document TYPE)."),
                need=Need.ARCHIVE.value)
        self._identity.require(clerk, msisdn, Need.ARCHIVE)  # e.g. an unverified subscriber
        if document_id not in {doc.id for doc in self._api.documents(msisdn)}:
            raise IdentityRequired(_(
                "R10: {id} is not a document of the subscriber whose identity was checked in "
                "this visit; check the identity of its owner first.").format(id=document_id),
                need=Need.ARCHIVE.value)

    def expires_text(self, doc: ArchivedDocument) -> str:
        return formatting.local_datetime(doc.expires_at, self._timezone)


def _utc(doc: ArchivedDocument) -> str:
    return doc.expires_at.astimezone(ZoneInfo("UTC")).strftime("%Y-%m-%dT%H:%M:%SZ")


def _safe(name: str) -> str:
    cleaned = "".join(c if c.isprintable() and c not in "/\\" else "_" for c in name)
    return cleaned[:150] or "document"
