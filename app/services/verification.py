"""Use case: is this document genuine? (`salon verify-document FILE`)

Detalizations (PDF, HTML, XLSX, CSV, text), confirmation slips, Assistant leaflets and daily
logs (XLSX, CSV, PDF) are checked alike: the file is read back into its canonical content —
everything a reader of it sees (printing/canonical.py) — and the SHA-256 recomputed; the id it
states is looked up in the local register.
- genuine: registered here, and the recomputed hash is the registered one (and the one the
  file states);
- altered: registered, but what the file shows hashes differently — any text, amount, cell,
  element or script was changed, added or removed (or the stated hash was);
- unknown: no id, or an id this store never registered (not made at this salon);
- outdated: registered by an earlier console whose hash covered only part of a detalization;
  it cannot be checked by today's rules (a new one can be made).
Nothing personal is needed or shown: the register holds the number masked.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from enum import StrEnum
from pathlib import Path

from app.errors import InputError
from app.i18n import _
from models.documents import HASH_VERSION, DocumentRegister, RegisteredDocument

log = logging.getLogger(__name__)


class Verdict(StrEnum):
    GENUINE = "genuine"
    ALTERED = "altered"
    UNKNOWN = "unknown"
    OUTDATED = "outdated"


@dataclass(frozen=True)
class Verification:
    verdict: Verdict
    format: str
    document_id: str | None
    sha256: str  # recomputed from the file's content
    claimed_sha256: str | None
    registered: RegisteredDocument | None

    @property
    def genuine(self) -> bool:
        return self.verdict is Verdict.GENUINE


class VerificationService:
    def __init__(self, register: DocumentRegister) -> None:
        self._register = register

    def verify(self, path: Path) -> Verification:
        """InputError (exit 2) for a missing file or an unsupported/unreadable one."""
        from printing.canonical import UnreadableDocument, detect_format, read

        path = path.expanduser()
        if not path.is_file():
            raise InputError(_("{path} is not a file.").format(path=path))
        if detect_format(path) is None:
            raise InputError(_("{name}: only PDF, HTML, XLSX, CSV and TXT documents can be "
                               "checked.").format(name=path.name))
        try:
            back = read(path)
        except UnreadableDocument as error:
            raise InputError(_("{name} cannot be read: {error}").format(
                name=path.name, error=error)) from error
        registered = self._register.get(back.document_id) if back.document_id else None
        if registered is None:
            verdict = Verdict.UNKNOWN
        elif registered.hash_version != HASH_VERSION:
            verdict = Verdict.OUTDATED
        elif (back.sha256 == registered.sha256 == back.claimed_sha256
              and registered.format == back.format):
            verdict = Verdict.GENUINE
        else:
            verdict = Verdict.ALTERED
        log.info("verify-document: %s %s → %s", back.format, back.document_id, verdict)
        return Verification(verdict, back.format, back.document_id, back.sha256,
                            back.claimed_sha256, registered)
