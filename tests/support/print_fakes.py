"""Fakes at the printing boundary: a print server whose queues and jobs a test scripts, and
in-memory print-job and counter-setting stores (the real ones are in models/print_jobs.py)."""

from __future__ import annotations

import itertools
import threading
from collections.abc import Iterable
from dataclasses import replace
from datetime import datetime
from pathlib import Path
from typing import Any

from models.printing import (
    CupsJobState,
    JobStatus,
    NewPrintJob,
    PrinterInfo,
    PrinterState,
    PrintJob,
    PrintJobState,
)
from printing.cups_printer import PrintProblem, ProblemKind


def queue(name: str, *, state: PrinterState = PrinterState.IDLE, accepting: bool = True,
          message: str = "", description: str = "", location: str = "",
          is_default: bool = False) -> PrinterInfo:
    return PrinterInfo(name, description or name, location, state, accepting, message,
                       is_default)


class FakePrinter:
    """Jobs go through the states given by `script(printer, states)` (the last one stays);
    `unreachable = True` is a stopped cupsd."""

    def __init__(self, *queues: PrinterInfo, default: str | None = None) -> None:
        self.queues = {q.name: q for q in queues}
        self.default = default
        self.unreachable = False
        self.submitted: list[tuple[Path, str, str, int]] = []
        self.cancelled: list[int] = []
        self._scripts: dict[str, list[CupsJobState]] = {}
        self._messages: dict[str, str] = {}
        self._jobs: dict[int, tuple[str, list[CupsJobState], str]] = {}
        self._ids = itertools.count(101)
        self._lock = threading.Lock()

    def script(self, printer: str, states: Iterable[CupsJobState], message: str = "") -> None:
        self._scripts[printer] = list(states)
        self._messages[printer] = message

    def set(self, name: str, **changes: Any) -> None:
        self.queues[name] = replace(self.queues[name], **changes)

    def _check(self) -> None:
        if self.unreachable:
            raise PrintProblem(ProblemKind.UNREACHABLE, "failed to connect to server")

    def printers(self) -> list[PrinterInfo]:
        self._check()
        return [replace(q, is_default=q.name == self.default) for q in self.queues.values()]

    def printer(self, name: str) -> PrinterInfo:
        self._check()
        if name not in self.queues:
            raise PrintProblem(ProblemKind.UNKNOWN_PRINTER, "client-error-not-found", name)
        return self.queues[name]

    def default_printer(self) -> str | None:
        self._check()
        return self.default

    def submit(self, path: Path, printer: str, title: str) -> int:
        info = self.printer(printer)
        if not info.accepting:
            raise PrintProblem(ProblemKind.REJECTING, info.message, printer)
        with self._lock:
            job_id = next(self._ids)
            states = list(self._scripts.get(printer, [CupsJobState.COMPLETED]))
            message = self._messages.get(printer, "")
            self._jobs[job_id] = (printer, states, message)
            self.submitted.append((path, printer, title, job_id))
        return job_id

    def job_status(self, job_id: int, printer: str) -> JobStatus:
        self._check()
        with self._lock:
            if job_id not in self._jobs:
                raise PrintProblem(ProblemKind.UNKNOWN_JOB, str(job_id), printer)
            name, states, message = self._jobs[job_id]
            state = states.pop(0) if len(states) > 1 else states[0]
        return JobStatus(job_id, state, (), message, self.queues.get(name))

    def cancel(self, job_id: int) -> None:
        self._check()
        with self._lock:
            self.cancelled.append(job_id)
            if job_id in self._jobs:
                name, states, message = self._jobs[job_id]
                if not states[0].final:
                    self._jobs[job_id] = (name, [CupsJobState.CANCELED], message)


class MemoryPrintJobs:
    def __init__(self) -> None:
        self.rows: dict[int, PrintJob] = {}
        self._ids = itertools.count(1)
        self._lock = threading.Lock()

    def add(self, job: NewPrintJob) -> PrintJob:
        with self._lock:
            job_id = next(self._ids)
            row = PrintJob(job_id, job.path, job.kind, job.title, job.documents, job.subscriber,
                           job.printer, None, PrintJobState.QUEUED, 0, job.clerk,
                           job.created_at, job.created_at, "")
            self.rows[job_id] = row
            return row

    def get(self, job_id: int) -> PrintJob | None:
        return self.rows.get(job_id)

    def update(self, job_id: int, when: datetime, *, expect: PrintJobState | None = None,
               **fields: Any) -> PrintJob | None:
        with self._lock:
            row = self.rows.get(job_id)
            if row is None or (expect is not None and row.state is not expect):
                return None
            plus = fields.pop("attempts_plus", 0)
            row = replace(row, updated_at=when, attempts=row.attempts + plus, **fields)
            self.rows[job_id] = row
            return row

    def recent(self, limit: int = 100) -> list[PrintJob]:
        return sorted(self.rows.values(), key=lambda job: -job.id)[:limit]

    def active(self) -> list[PrintJob]:
        return [job for job in sorted(self.rows.values(), key=lambda j: j.id) if job.active]


class MemorySettings:
    def __init__(self) -> None:
        self.values: dict[str, str] = {}

    def get(self, name: str) -> str | None:
        return self.values.get(name)

    def set(self, name: str, value: str | None, clerk: str, when: object) -> None:
        if value is None:
            self.values.pop(name, None)
        else:
            self.values[name] = value


class ListJournal:
    """The Journal protocol as a list of (clerk, action, result, subscriber, detail, reason)."""

    def __init__(self) -> None:
        self.entries: list[tuple[str, str, str, str, str, str]] = []

    def record(self, clerk: str, action: Any, result: Any = "done", *, subscriber: str = "",
               detail: str = "", reason: str = "") -> None:
        self.entries.append((clerk, str(action), str(result), subscriber, detail, reason))

    def of(self, action: str) -> list[tuple[str, str, str, str, str, str]]:
        return [entry for entry in self.entries if entry[1] == action]
