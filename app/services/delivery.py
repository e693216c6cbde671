"""Use case: a document the console made reaches the subscriber (R8) — on paper at the counter,
by e-mail, into the personal archive, or as a file where the clerk saved it.

    delivery.check(method, to=…, fmt=…) -> the address, normalized   (before anything is made)
    delivery.deliver(clerk, Deliverable(...), method, to=…, printer=…) -> Delivered

One entry for the CLI (`--deliver`) and the window's delivery step; each way is its own
service (printing, email, archive). Failures are the services' own errors: PrintFailed (exit
6, the document kept and its path given), InputError for a bad address, OperatorUnavailable
for the archive offline, SalonError for a relay that did not take the letter.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum
from pathlib import Path
from typing import Protocol

from app.config import SalonSettings
from app.errors import InputError, SalonError
from app.i18n import _
from app.services.archive import ARCHIVE_TYPES, ArchiveService
from app.services.email import EmailService, Letter, SentMail, detalization_letter, document_letter
from app.services.printing import PrintService
from models.archive import ArchivedDocument
from models.detalization import Period
from models.domain import Session
from models.printing import DocumentKind, PrintJob, PrintJobState


class DeliveryMethod(StrEnum):
    FILE = "file"
    PAPER = "paper"
    EMAIL = "email"
    ARCHIVE = "archive"


@dataclass(frozen=True)
class Deliverable:
    path: Path
    kind: DocumentKind
    subscriber: str = ""  # E.164: the archive's owner, the journal's subscriber
    documents: str = ""  # what it confirms ("detalization DET-…", "order ORD-…"); never re-run
    title: str = ""
    period: Period | None = None  # a detalization's, for the letter's subject
    document_id: str = ""


@dataclass(frozen=True)
class Delivered:
    method: DeliveryMethod
    path: Path
    sentence: str  # what the clerk is told
    print_job: PrintJob | None = None
    mail: SentMail | None = None
    archived: ArchivedDocument | None = None


class MadeDetalization(Protocol):
    """What a detalization order made (DocumentInfo of app/services/detalization.py)."""

    @property
    def path(self) -> Path: ...

    @property
    def msisdn(self) -> str: ...

    @property
    def document_id(self) -> str: ...

    @property
    def period(self) -> Period: ...


def for_detalization(info: MadeDetalization) -> Deliverable:
    return Deliverable(
        path=info.path, kind=DocumentKind.DETALIZATION, subscriber=info.msisdn,
        documents=f"detalization {info.document_id}",
        title=f"{info.document_id} {info.period.text()}", period=info.period,
        document_id=info.document_id)


class DeliveryService:
    def __init__(self, salon: SalonSettings, *, printing: PrintService | None = None,
                 email: EmailService | None = None, archive: ArchiveService | None = None
                 ) -> None:
        self._salon = salon
        self._printing = printing
        self._email = email
        self._archive = archive

    def available(self) -> tuple[DeliveryMethod, ...]:
        """The ways this console can deliver now (e-mail only once [email] is set up)."""
        methods = [DeliveryMethod.FILE]
        if self._printing is not None:
            methods.append(DeliveryMethod.PAPER)
        if self._email is not None and self._email.configured:
            methods.append(DeliveryMethod.EMAIL)
        if self._archive is not None:
            methods.append(DeliveryMethod.ARCHIVE)
        return tuple(methods)

    def check(self, method: DeliveryMethod, *, to: str | None = None,
              fmt: str | None = None, clerk: Session | None = None, subscriber: str = "",
              given: bool = False) -> str | None:
        """Refuse what cannot be delivered before the document is made; returns the e-mail
        address as it will be used (or None). With `clerk`, an e-mail address is also held to
        R10's delivery rule for `subscriber` ("" — the identified visit's): the operator's
        address, or one the holder gave at the counter (`given`)."""
        if method is DeliveryMethod.PAPER:
            if self._printing is None:
                raise SalonError(_("Printing is not available in this console."))
            if fmt is not None and fmt != "pdf":
                raise InputError(_("Paper is printed from the PDF: choose the pdf format to "
                                   "print it."))
        if method is DeliveryMethod.EMAIL:
            if self._email is None or not self._email.configured:
                raise InputError(_("E-mail is not set up at this salon: [email] host and from "
                                   "in salon.ini are empty."))
            if not to:
                raise InputError(_("Give the subscriber's e-mail address to send it to."))
            if clerk is not None:
                return self._email.recipient(clerk, subscriber, to, given=given)[1].address
            return self._email.check_address(to)
        if method is DeliveryMethod.ARCHIVE:
            if self._archive is None:
                raise SalonError(_("The personal archive is not available in this console."))
            if fmt is not None and fmt not in ARCHIVE_TYPES:
                raise InputError(_("The personal archive keeps PDF, HTML, text, CSV and XLSX "
                                   "documents."))
        return None

    def deliver(self, clerk: Session, doc: Deliverable, method: DeliveryMethod, *,
                to: str | None = None, printer: str | None = None,
                given: bool = False) -> Delivered:
        """`given`: the e-mail address was given by the holder at the counter (R10)."""
        if method is DeliveryMethod.FILE:
            return Delivered(method, doc.path, _("Saved: {path}").format(path=doc.path))
        self.check(method, to=to, fmt=doc.path.suffix.lower().lstrip("."))
        if method is DeliveryMethod.PAPER:
            assert self._printing is not None
            job = self._printing.print_document(
                clerk, doc.path, kind=doc.kind, title=doc.title or doc.path.name,
                documents=doc.documents, subscriber=doc.subscriber, printer=printer)
            return Delivered(method, doc.path, printed_sentence(job), print_job=job)
        if method is DeliveryMethod.EMAIL:
            assert self._email is not None and to is not None
            sent = self._email.send(clerk, doc.path, to, letter=self._letter(doc),
                                    subscriber=doc.subscriber, given=given)
            return Delivered(method, doc.path, _("Sent by e-mail to {address}.").format(
                address=sent.to_masked), mail=sent)
        assert self._archive is not None
        if not doc.subscriber:
            raise InputError(_("A document goes into a subscriber's personal archive: give "
                               "the number."))
        archived = self._archive.upload(clerk, doc.subscriber, doc.path)
        return Delivered(method, doc.path, _(
            "Put into the subscriber's personal archive as {id}; it can be fetched until "
            "{until} (the archive keeps documents 3 days, R9).").format(
            id=archived.id, until=self._archive.expires_text(archived)), archived=archived)

    def _letter(self, doc: Deliverable) -> Letter:
        if doc.kind is DocumentKind.DETALIZATION and doc.period is not None:
            return detalization_letter(doc.period, doc.document_id or doc.path.stem,
                                       doc.path.suffix.lstrip(".").lower(), self._salon)
        return document_letter(doc.path.name, self._salon)


def printed_sentence(job: PrintJob) -> str:
    if job.state is PrintJobState.DONE:
        return _("Printed on «{printer}» (print job {job}).").format(printer=job.printer,
                                                                    job=job.id)
    note = f" ({job.last_error})" if job.last_error else ""
    return _("Sent to «{printer}» (print job {job}); it is still printing{note}. The print "
             "queue shows how it ends.").format(printer=job.printer, job=job.id, note=note)
