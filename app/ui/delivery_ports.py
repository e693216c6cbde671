"""What the delivery screens need from the services, as structural types (PEP 544).

PrintService (app/services/printing.py) and ArchiveService (app/services/archive.py) satisfy
these without naming them; the GUI tests pass fakes. The screens call them only on the
BackgroundRunner: each may wait on CUPS or the network (printing at most ~10 s).
"""

from __future__ import annotations

from pathlib import Path
from typing import Protocol, runtime_checkable

from models.archive import ArchivedDocument
from models.domain import Session
from models.printing import DocumentKind, PrinterChoice, PrinterInfo, PrintJob


@runtime_checkable
class PrintPort(Protocol):
    def printers(self) -> list[PrinterInfo]: ...

    def choice(self) -> PrinterChoice: ...

    def choose(self, clerk: Session, name: str | None) -> PrinterChoice: ...

    def print_document(self, clerk: Session, path: Path, *, kind: DocumentKind | None = None,
                       title: str = "", documents: str = "", subscriber: str = "",
                       printer: str | None = None) -> PrintJob:
        """DONE or still PRINTING; raises PrintFailed (the sentence, the kept path)."""
        ...

    def retry(self, clerk: Session, job_id: int, printer: str | None = None) -> PrintJob: ...

    def cancel(self, clerk: Session, job_id: int) -> PrintJob: ...

    def refresh(self) -> list[PrintJob]: ...

    def jobs(self, limit: int = 100) -> list[PrintJob]: ...


@runtime_checkable
class ArchivePort(Protocol):
    def upload(self, clerk: Session, phone: str, path: Path) -> ArchivedDocument: ...

    def documents(self, clerk: Session, phone: str) -> list[ArchivedDocument]: ...

    def fetch(self, clerk: Session, document_id: str, target: Path | None = None,
              subscriber: str = "") -> Path: ...
