"""R9 for everything the console keeps locally: on every start and with `salon purge`.

    retention.purge() -> PurgeReport

- usage records fetched for detalizations (DetalizationService.purge, which journals what it
  removed);
- every document under `<data_dir>/documents/` written more than the retention period ago —
  detalization copies, confirmation slips, leaflets, documents fetched back from the archive —
  by the time the console recorded with its clock when it wrote the file (kept_files.py),
  never by modification times;
- finished print jobs last touched before then (their rows name the document files);
- the notes of archived documents that have expired.
Only files under the documents folder are ever deleted: a file the clerk printed from
elsewhere (`salon print FILE`) is theirs. SQLite's secure_delete zeroes what the rows held.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Protocol

from app.clock import Clock
from app.services.journaling import Journal
from app.services.kept_files import KeptFiles
from models.audit_codes import AuditAction, AuditResult

log = logging.getLogger(__name__)


class Purges(Protocol):
    def purge(self, before: datetime) -> object: ...


class UsagePurge(Protocol):
    def purge(self) -> int: ...


@dataclass(frozen=True)
class PurgeReport:
    usage: int  # usage records and detalization copies (DetalizationService.purge)
    documents: int  # other files under the documents folder
    print_jobs: int
    archive_notes: int

    @property
    def total(self) -> int:
        return self.usage + self.documents + self.print_jobs + self.archive_notes


class RetentionService:
    def __init__(self, files: KeptFiles, retention_days: int, *,
                 usage: UsagePurge | None = None, print_jobs: Purges | None = None,
                 archive_notes: Purges | None = None, journal: Journal | None = None,
                 clock: Clock) -> None:
        self._files = files
        self._days = retention_days
        self._usage = usage
        self._print_jobs = print_jobs
        self._archive_notes = archive_notes
        self._journal = journal
        self._clock = clock

    def purge(self) -> PurgeReport:
        now = self._clock.now()
        cutoff = now - timedelta(days=self._days)
        usage = self._usage.purge() if self._usage is not None else 0
        files = self._files.purge(cutoff)
        jobs = _count(self._print_jobs.purge(cutoff)) if self._print_jobs is not None else 0
        # A note outlives its document by one period, so the clerk can still be told when
        # it expired (the operator's 410 does not say).
        notes = _count(self._archive_notes.purge(cutoff)) if self._archive_notes is not None \
            else 0
        report = PurgeReport(usage, files, jobs, notes)
        if (files or jobs) and self._journal is not None:
            self._journal.record("", AuditAction.PURGE, AuditResult.DONE,
                                 detail=f"local documents {files}, print jobs {jobs}")
        return report


def _count(result: object) -> int:
    if isinstance(result, int):
        return result
    return len(result) if isinstance(result, list | tuple) else 0
