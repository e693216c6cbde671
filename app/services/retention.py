"""R9 for everything the console keeps locally: on every start and with `salon purge`.

    retention.purge(at_start=…) -> PurgeReport

One journal entry per purge that removed anything, saying when it ran (at the console's start
or on request) and how much of each kind went.

- usage records fetched for detalizations and the detalizations' own copies
  (DetalizationService.purge; its count goes into this purge's journal entry);
- every other document under `<data_dir>/documents/` older than the retention period —
  confirmation slips, leaflets, documents fetched back from the archive, copies made for
  printing, e-mail or the archive — by the time the file was last written;
- finished print jobs last touched before then (their rows name the document files);
- the notes of archived documents that have expired.
Only files under the documents folder are ever deleted: a file the clerk printed from
elsewhere (`salon print FILE`) is theirs. SQLite's secure_delete zeroes what the rows held.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path
from typing import Protocol

from app.services.connection import Clock, utc_now
from app.services.journaling import Journal
from models.audit_codes import AuditAction, AuditResult

log = logging.getLogger(__name__)


class Purges(Protocol):
    def purge(self, before: datetime) -> object: ...


class UsagePurge(Protocol):
    def purge(self, *, journal: bool = True) -> int: ...


@dataclass(frozen=True)
class PurgeReport:
    usage: int  # usage records and detalization copies (DetalizationService.purge)
    documents: int  # other files under the documents folder
    print_jobs: int
    archive_notes: int

    @property
    def total(self) -> int:
        return self.usage + self.documents + self.print_jobs + self.archive_notes

    def __add__(self, other: PurgeReport) -> PurgeReport:
        return PurgeReport(self.usage + other.usage, self.documents + other.documents,
                           self.print_jobs + other.print_jobs,
                           self.archive_notes + other.archive_notes)


class RetentionService:
    def __init__(self, documents_dir: Path, retention_days: int, *,
                 usage: UsagePurge | None = None, print_jobs: Purges | None = None,
                 archive_notes: Purges | None = None, journal: Journal | None = None,
                 clock: Clock = utc_now) -> None:
        self._documents = documents_dir
        self._days = retention_days
        self._usage = usage
        self._print_jobs = print_jobs
        self._archive_notes = archive_notes
        self._journal = journal
        self._clock = clock

    def purge(self, *, at_start: bool = False) -> PurgeReport:
        """Remove what is past the retention period; `at_start`: the purge every start of the
        console does (the journal says which it was)."""
        now = self._clock()
        cutoff = now - timedelta(days=self._days)
        usage = self._usage.purge(journal=False) if self._usage is not None else 0
        files = self._purge_files(cutoff)
        jobs = _count(self._print_jobs.purge(cutoff)) if self._print_jobs is not None else 0
        notes = _count(self._archive_notes.purge(now)) if self._archive_notes is not None \
            else 0
        report = PurgeReport(usage, files, jobs, notes)
        if report.total and self._journal is not None:
            when = "at start" if at_start else "on request"
            self._journal.record("", AuditAction.PURGE, AuditResult.DONE, detail=(
                f"{when}: removed {report.total} (usage records and detalizations {usage}, "
                f"local documents {files}, print jobs {jobs}, archive notes {notes})"))
        return report

    def _purge_files(self, cutoff: datetime) -> int:
        if not self._documents.is_dir():
            return 0
        limit = cutoff.timestamp()
        removed = 0
        for path in sorted(self._documents.rglob("*")):
            try:
                if path.is_symlink() or not path.is_file():
                    continue
                if path.stat().st_mtime < limit:
                    path.unlink()
                    removed += 1
            except OSError as error:  # one stubborn file must not stop the rest
                log.warning("R9 purge: cannot remove %s: %s", path, error)
        return removed


def _count(result: object) -> int:
    if isinstance(result, int):
        return result
    return len(result) if isinstance(result, list | tuple) else 0
