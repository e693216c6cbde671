"""Printing at the counter as plain data: the printers CUPS offers, a CUPS job's state, and the
console's own record of a print job (models/print_jobs.py keeps it, app/services/printing.py
drives it). No I/O here, so the GUI can name these without loading pycups or the store."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from enum import IntEnum, StrEnum
from pathlib import Path


class CupsJobState(IntEnum):
    """IPP job-state (RFC 8011 §5.3.7), as CUPS reports it."""

    PENDING = 3
    HELD = 4
    PROCESSING = 5
    STOPPED = 6  # processing-stopped: the printer was stopped under it
    CANCELED = 7
    ABORTED = 8
    COMPLETED = 9

    @property
    def final(self) -> bool:
        return self >= CupsJobState.CANCELED


class PrinterState(StrEnum):
    IDLE = "idle"
    PRINTING = "printing"
    STOPPED = "stopped"  # disabled (cupsdisable) or stopped by an error policy


@dataclass(frozen=True)
class PrinterInfo:
    name: str
    description: str
    location: str
    state: PrinterState
    accepting: bool  # False after cupsreject: new jobs are refused
    message: str  # printer-state-message: the printer's or the administrator's words
    is_default: bool = False


@dataclass(frozen=True)
class PrinterChoice:
    """Where this counter's documents go, and why."""

    name: str | None  # None: no printer at all
    source: str  # "counter" (the clerk's choice here), "salon.ini", "cups" (its default), ""


@dataclass(frozen=True)
class JobStatus:
    job_id: int
    state: CupsJobState
    reasons: tuple[str, ...]
    message: str  # job-printer-state-message: what the printer said while printing it
    printer: PrinterInfo | None = None  # the queue's state at the same moment


class DocumentKind(StrEnum):
    """What a printed document is; a reprint re-sends the file and never re-runs what made it."""

    DETALIZATION = "detalization"
    SLIP = "slip"
    LEAFLET = "leaflet"
    DAILY_LOG = "daily_log"
    FILE = "file"


class PrintJobState(StrEnum):
    QUEUED = "queued"  # recorded, not yet handed to CUPS
    PRINTING = "printing"  # CUPS has it and has not finished
    DONE = "done"  # CUPS completed it
    FAILED = "failed"  # it will not come out (the CUPS job, if any, was cancelled)
    CANCELLED = "cancelled"  # the clerk cancelled it

    @property
    def final(self) -> bool:
        return self in (PrintJobState.DONE, PrintJobState.FAILED, PrintJobState.CANCELLED)


@dataclass(frozen=True)
class PrintJob:
    id: int
    path: Path  # the document file, kept until printed (and until the R9 purge)
    kind: DocumentKind
    title: str
    documents: str  # the operation it documents ("order ORD-000001"), shown, never re-run
    subscriber: str  # E.164 or "" (for the journal)
    printer: str  # the queue it went (or was to go) to; "" before one was chosen
    cups_job_id: int | None
    state: PrintJobState
    attempts: int
    clerk: str
    created_at: datetime  # UTC
    updated_at: datetime  # UTC
    last_error: str  # the sentence the clerk got, or the printer's last note while printing

    @property
    def active(self) -> bool:
        return not self.state.final


@dataclass(frozen=True)
class NewPrintJob:
    path: Path
    kind: DocumentKind
    title: str
    documents: str
    subscriber: str
    printer: str
    clerk: str
    created_at: datetime
