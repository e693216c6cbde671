"""Use case: paper at the counter (R8) — a PDF to a CUPS queue, followed to its end.

    service.print_document(clerk, path, kind=…, documents=…) -> PrintJob   (or PrintFailed)
    service.retry(clerk, job_id) / cancel(clerk, job_id) / refresh() / jobs()

Every attempt is a print_job row before it reaches CUPS. The service then follows the CUPS job
for at most `wait_s` seconds (each call to CUPS is bounded by the adapter's own timeout), so a
failure reaches the clerk as a sentence within 10 seconds: no cupsd, an unknown printer, a
stopped or rejecting queue, a held or aborted job. A job that failed is cancelled in CUPS as
well (a stopped queue would otherwise print it when someone resumes it, after the clerk has
printed it elsewhere): FAILED always means "nothing will come out". A job that is still printing
when the wait ends stays PRINTING; `refresh()` (the print queue view) follows it further.

A retry re-sends the same file — a reprint never repeats the order or the report it documents.
The document is never deleted here: it stays where it was made (and the R9 purge removes the
console's own copies after the retention period). Journaled as PRINT with the file's name and
the queue, never the content.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from datetime import datetime
from pathlib import Path
from typing import Protocol

from app.clock import Clock
from app.errors import InputError, PrintFailed, SalonError
from app.i18n import _
from app.services.clerks import require_clerk
from app.services.journaling import Journal
from app.services.print_problems import kept_sentence, problem_sentence, status_problem
from models.audit_codes import AuditAction, AuditResult
from models.domain import Session
from models.printing import (
    CupsJobState,
    DocumentKind,
    JobStatus,
    NewPrintJob,
    PrinterChoice,
    PrinterInfo,
    PrinterState,
    PrintJob,
    PrintJobState,
)
from printing.cups_printer import Printer, PrintProblem, ProblemKind

log = logging.getLogger(__name__)

PRINTER_SETTING = "printer"
WAIT_S = 6.0  # following a job; with the adapter's 3 s per call, a sentence within 10 s
POLL_S = 0.25


class PrintJobStore(Protocol):
    def add(self, job: NewPrintJob) -> PrintJob: ...

    def get(self, job_id: int) -> PrintJob | None: ...

    def update(self, job_id: int, when: datetime, *, expect: PrintJobState | None = None,
               **fields: object) -> PrintJob | None: ...

    def recent(self, limit: int = 100) -> list[PrintJob]: ...

    def active(self) -> list[PrintJob]: ...


class CounterSettings(Protocol):
    def get(self, name: str) -> str | None: ...

    def set(self, name: str, value: str | None, clerk: str, when: datetime) -> None: ...


class PrintService:
    def __init__(self, printer: Printer, jobs: PrintJobStore, choices: CounterSettings, *,
                 configured: str = "", documents_dir: Path | None = None,
                 journal: Journal | None = None, clock: Clock,
                 wait_s: float = WAIT_S, poll_s: float = POLL_S,
                 sleep: Callable[[float], None] = time.sleep,
                 monotonic: Callable[[], float] = time.monotonic) -> None:
        self._printer = printer
        self._jobs = jobs
        self._choices = choices
        self._configured = configured
        self._documents = documents_dir
        self._journal = journal
        self._clock = clock
        self._wait_s, self._poll_s = wait_s, poll_s
        self._sleep, self._monotonic = sleep, monotonic

    # -- printers ----------------------------------------------------------------------------

    def printers(self) -> list[PrinterInfo]:
        """The print server's queues; SalonError with the sentence when it cannot say."""
        try:
            return self._printer.printers()
        except PrintProblem as problem:
            raise SalonError(problem_sentence(problem)) from problem

    def choice(self) -> PrinterChoice:
        """Where documents go: the clerk's choice at this counter, else salon.ini's
        [printing] printer, else the print server's default queue (asked only then)."""
        chosen = self._choices.get(PRINTER_SETTING)
        if chosen:
            return PrinterChoice(chosen, "counter")
        if self._configured:
            return PrinterChoice(self._configured, "salon.ini")
        try:
            default = self._printer.default_printer()
        except PrintProblem:
            default = None
        return PrinterChoice(default, "cups" if default else "")

    def _choice_or_default(self) -> str | None:
        """As choice(), but a print server that cannot be asked for its default says so."""
        chosen = self._choices.get(PRINTER_SETTING) or self._configured
        return chosen or self._printer.default_printer()

    def choose(self, clerk: Session, name: str | None) -> PrinterChoice:
        """Remember `name` for this counter (None: forget it, back to salon.ini's)."""
        require_clerk(clerk)
        if name is not None:
            try:
                self._printer.printer(name)  # only a queue the server has
            except PrintProblem as problem:
                unknown = problem.kind is ProblemKind.UNKNOWN_PRINTER
                error = InputError if unknown else SalonError
                raise error(problem_sentence(problem)) from problem
        self._choices.set(PRINTER_SETTING, name, clerk.login, self._clock.now())
        log.info("printer for this counter: %r (by %s)", name, clerk.login)
        return self.choice()

    # -- printing ----------------------------------------------------------------------------

    def print_document(self, clerk: Session, path: Path, *, kind: DocumentKind | None = None,
                       title: str = "", documents: str = "", subscriber: str = "",
                       printer: str | None = None) -> PrintJob:
        """Print the PDF at `path` on `printer` (default: `choice()`). Returns the job, DONE or
        still PRINTING; raises InputError (not a PDF file: nothing recorded) or PrintFailed
        (exit 6: the sentence, and the path where the document is kept)."""
        require_clerk(clerk)
        path = check_pdf(path)
        job = self._jobs.add(NewPrintJob(
            path, kind or guess_kind(path, self._documents), title or path.name, documents,
            subscriber, printer or "", clerk.login, self._clock.now()))
        return self._attempt(clerk, job, printer)

    def retry(self, clerk: Session, job_id: int, printer: str | None = None) -> PrintJob:
        """Send a finished job's file again (to `printer`, else the same queue). Never runs
        again what the document documents. Raises InputError for a job still printing or a
        file that is gone, PrintFailed when this attempt fails."""
        require_clerk(clerk)
        job = self._job(job_id)
        if job.active:
            raise InputError(_("Print job {job} is still being printed; cancel it first, or "
                               "wait for it to finish.").format(job=job.id))
        if not job.path.is_file():
            raise InputError(_("The document of print job {job} is no longer there ({path}): "
                               "local copies are deleted after the retention period (R9).")
                             .format(job=job.id, path=job.path))
        again = self._jobs.update(job.id, self._clock.now(), expect=job.state,
                                  state=PrintJobState.QUEUED, last_error="",
                                  printer=printer or job.printer)
        if again is None:
            raise InputError(_("Print job {job} was just changed at this counter; look at the "
                               "queue again.").format(job=job.id))
        return self._attempt(clerk, again, printer or job.printer or None)

    def cancel(self, clerk: Session, job_id: int) -> PrintJob:
        """Cancel a job that has not finished (in CUPS too)."""
        require_clerk(clerk)
        job = self._job(job_id)
        if not job.active:
            raise InputError(_("Print job {job} has already ended ({state}).").format(
                job=job.id, state=job.state.value))
        if job.cups_job_id is not None:
            try:
                self._printer.cancel(job.cups_job_id)
            except PrintProblem as problem:
                if problem.kind is not ProblemKind.UNKNOWN_JOB:
                    raise SalonError(problem_sentence(problem)) from problem
        cancelled = self._jobs.update(job.id, self._clock.now(), expect=job.state,
                                      state=PrintJobState.CANCELLED)
        if cancelled is None:
            return self._job(job_id)
        self._record(clerk.login, cancelled, AuditResult.REFUSED,
                     _("The clerk cancelled the print job."))
        return cancelled

    def refresh(self) -> list[PrintJob]:
        """Follow every job of this counter that is still printing one step (no waiting): the
        print queue view calls it; returns the jobs that changed."""
        changed = []
        for job in self._jobs.active():
            if job.cups_job_id is None:
                continue
            try:
                status = self._printer.job_status(job.cups_job_id, job.printer)
            except PrintProblem as problem:
                if problem.kind is ProblemKind.UNKNOWN_JOB:
                    changed.append(self._fail(job.clerk, job, problem))
                continue  # the server is away: nothing is known yet
            outcome = self._settle(job, status, waiting_over=False)
            if outcome is not None:
                changed.append(outcome)
        return changed

    def jobs(self, limit: int = 100) -> list[PrintJob]:
        return self._jobs.recent(limit)

    def job(self, job_id: int) -> PrintJob:
        return self._job(job_id)

    # -- one attempt -------------------------------------------------------------------------

    def _attempt(self, clerk: Session, job: PrintJob, printer: str | None) -> PrintJob:
        started = self._monotonic()
        try:
            name = printer or self._choice_or_default()
            if not name:
                raise PrintProblem(ProblemKind.NO_PRINTER)
            job = self._jobs.update(job.id, self._clock.now(), printer=name) or job
            queue = self._printer.printer(name)
            if not queue.accepting:
                raise PrintProblem(ProblemKind.REJECTING, queue.message, name)
            if queue.state is PrinterState.STOPPED:
                raise PrintProblem(ProblemKind.STOPPED, queue.message, name)
            cups_id = self._printer.submit(job.path, name, job.title)
        except PrintProblem as problem:
            failed = self._fail(clerk.login, job, problem)
            raise PrintFailed(kept_sentence(failed), failed.path) from problem
        job = self._jobs.update(job.id, self._clock.now(), state=PrintJobState.PRINTING,
                                cups_job_id=cups_id, attempts_plus=1) or job
        log.info("print job %s: CUPS job %s on %s", job.id, cups_id, job.printer)
        return self._follow(clerk, job, started)

    def _follow(self, clerk: Session, job: PrintJob, started: float) -> PrintJob:
        assert job.cups_job_id is not None
        while True:
            waiting_over = self._monotonic() - started >= self._wait_s
            try:
                status = self._printer.job_status(job.cups_job_id, job.printer)
            except PrintProblem as problem:
                failed = self._fail(clerk.login, job, problem)
                raise PrintFailed(kept_sentence(failed), failed.path) from problem
            outcome = self._settle(job, status, waiting_over=waiting_over)
            if outcome is not None:
                if outcome.state is PrintJobState.FAILED:
                    raise PrintFailed(kept_sentence(outcome), outcome.path)
                return outcome
            self._sleep(self._poll_s)

    def _settle(self, job: PrintJob, status: JobStatus, *, waiting_over: bool
                ) -> PrintJob | None:
        """The job's new record when `status` decides it (or the wait is over); else None."""
        problem = status_problem(status, job.printer)
        if status.state is CupsJobState.COMPLETED:
            done = self._jobs.update(job.id, self._clock.now(), expect=job.state,
                                     state=PrintJobState.DONE, last_error="")
            if done is None:  # another window of this counter settled it first
                return self._job(job.id)
            self._record(job.clerk, done, AuditResult.DONE)
            return done
        if problem is not None:
            if not status.state.final:  # held or stopped: make sure it never comes out later
                try:
                    self._printer.cancel(status.job_id)
                except PrintProblem:
                    log.warning("could not cancel CUPS job %s after %s", status.job_id,
                                problem.kind)
            return self._fail(job.clerk, job, problem)
        if waiting_over:
            note = status.message or (status.printer.message if status.printer else "")
            still = self._jobs.update(job.id, self._clock.now(), last_error=note)
            return still or job
        return None

    def _fail(self, clerk: str, job: PrintJob, problem: PrintProblem) -> PrintJob:
        sentence = problem_sentence(problem)
        log.warning("print job %s failed: %s (%s)", job.id, problem.kind, problem.detail)
        failed = self._jobs.update(job.id, self._clock.now(), expect=job.state,
                                   state=PrintJobState.FAILED, last_error=sentence)
        if failed is None:  # another window of this counter settled it first
            return self._job(job.id)
        self._record(clerk, failed, AuditResult.FAILED, sentence)
        return failed

    def _record(self, clerk: str, job: PrintJob, result: AuditResult, reason: str = "") -> None:
        if self._journal is None:
            return
        where = job.printer or "—"
        detail = f"{job.kind.value} {job.path.name} → {where}"
        if job.cups_job_id is not None:
            detail += f", CUPS job {job.cups_job_id}"
        if job.attempts > 1:
            detail += f", attempt {job.attempts}"
        try:
            self._journal.record(clerk, AuditAction.PRINT, result, subscriber=job.subscriber,
                                 detail=detail, reason=reason)
        except SalonError:
            log.exception("print job %s could not be journaled", job.id)

    def _job(self, job_id: int) -> PrintJob:
        job = self._jobs.get(job_id)
        if job is None:
            raise InputError(_("There is no print job {job} at this counter.").format(
                job=job_id))
        return job


def check_pdf(path: Path) -> Path:
    """An existing PDF file (by its first bytes, whatever its name), or InputError."""
    path = path.expanduser()
    if not path.is_file():
        raise InputError(_("There is no file {path} to print.").format(path=path))
    try:
        with path.open("rb") as handle:
            head = handle.read(1024)
    except OSError as error:
        raise InputError(_("{path} cannot be read: {error}").format(
            path=path, error=error.strerror or error)) from error
    if b"%PDF-" not in head:
        raise InputError(_("Only PDF documents are printed at the counter, and {name} is not "
                           "a PDF.").format(name=path.name))
    return path.resolve()


def guess_kind(path: Path, documents: Path | None) -> DocumentKind:
    """What a file is, from where the console puts each kind and how it names them."""
    name = path.name
    if name.startswith("DET-"):
        return DocumentKind.DETALIZATION
    if name.startswith("slip-") or path.parent.name == "slips":
        return DocumentKind.SLIP
    if "leaflet" in name or path.parent.name == "leaflets":
        return DocumentKind.LEAFLET
    if name.startswith("journal-"):
        return DocumentKind.DAILY_LOG
    return DocumentKind.FILE
