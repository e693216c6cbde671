"""The print queue as the clerk sees it (no tkinter): each job's row, what can be done with
it (retry a finished one, cancel one that is still printing), and the sentence for an
outcome. The CLI's `salon print-jobs` uses the same words."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from app import formatting
from app.i18n import _
from app.ui.presenters.errors import MessageView
from models.printing import DocumentKind, PrintJob, PrintJobState

QUEUE_COLUMNS = ("time", "document", "kind", "printer", "state", "attempts", "note")
MAX_ROWS = 200  # the view never holds more (DESIGN §6)
REFRESH_MS = 1500  # while a job is still printing


def state_name(state: PrintJobState) -> str:
    return {
        PrintJobState.QUEUED: _("waiting to be sent"),
        PrintJobState.PRINTING: _("printing"),
        PrintJobState.DONE: _("printed"),
        PrintJobState.FAILED: _("not printed"),
        PrintJobState.CANCELLED: _("cancelled"),
    }[state]


def kind_name(kind: DocumentKind) -> str:
    return {
        DocumentKind.DETALIZATION: _("Detalization"),
        DocumentKind.SLIP: _("Confirmation slip"),
        DocumentKind.LEAFLET: _("Leaflet about the Assistant"),
        DocumentKind.DAILY_LOG: _("Daily log"),
        DocumentKind.FILE: _("Document"),
    }[kind]


def documents_text(documents: str) -> str:
    """What a printed document is about, in words: the print job keeps it in a fixed form
    ("order ORD-000001", "detalization DET-…", "leaflet"); another form is shown as it is."""
    kind, _space, ident = documents.partition(" ")
    if kind == "order" and ident:
        return _("order {id}").format(id=ident)
    if kind == "detalization" and ident:
        return _("detalization {id}").format(id=ident)
    if documents == "leaflet":
        return _("the leaflet about the Assistant")
    return documents


def queue_headings() -> dict[str, str]:
    return {"time": _("Time"), "document": _("Document"), "kind": _("Kind"),
            "printer": _("Printer"), "state": _("State"), "attempts": _("Attempts"),
            "note": _("Note")}


@dataclass(frozen=True)
class PrintRow:
    job_id: int
    values: tuple[str, ...]
    tags: tuple[str, ...]
    can_retry: bool
    can_cancel: bool
    detail: str  # under the table: the whole path, what it confirms, the last error


def present_jobs(jobs: Iterable[PrintJob], timezone: str) -> list[PrintRow]:
    rows = []
    for job in list(jobs)[:MAX_ROWS]:
        tags: tuple[str, ...] = ()
        if job.state is PrintJobState.FAILED:
            tags = ("failed",)
        elif job.active:
            tags = ("pending",)
        elif job.state is PrintJobState.CANCELLED:
            tags = ("muted",)
        detail_parts = [str(job.path)]
        if job.documents:
            detail_parts.append(_("confirms: {what}").format(what=documents_text(job.documents)))
        if job.last_error:
            detail_parts.append(job.last_error)
        rows.append(PrintRow(
            job.id,
            (formatting.local_datetime(job.updated_at, timezone), job.path.name,
             kind_name(job.kind), job.printer or "—", state_name(job.state),
             str(job.attempts), job.last_error),
            tags,
            can_retry=not job.active and job.path.is_file(),
            can_cancel=job.active,
            detail=" · ".join(detail_parts)))
    return rows


def queue_summary(jobs: Iterable[PrintJob]) -> str:
    jobs = list(jobs)
    if not jobs:
        return _("Nothing has been printed at this counter yet.")
    printing = sum(1 for job in jobs if job.active)
    failed = sum(1 for job in jobs if job.state is PrintJobState.FAILED)
    done = sum(1 for job in jobs if job.state is PrintJobState.DONE)
    return _("Printing: {printing} · not printed: {failed} · printed: {done}").format(
        printing=printing, failed=failed, done=done)


def outcome_message(job: PrintJob) -> MessageView:
    """The sentence after a print, a retry or a cancel."""
    if job.state is PrintJobState.DONE:
        return MessageView(_("{document} is printed on «{printer}».").format(
            document=job.path.name, printer=job.printer), "done")
    if job.state is PrintJobState.CANCELLED:
        return MessageView(_("Print job {job} is cancelled.").format(job=job.id), "info")
    if job.state is PrintJobState.FAILED:
        return MessageView(_("Not printed: {problem} The document is kept: {path}").format(
            problem=job.last_error, path=job.path), "failure")
    note = f" ({job.last_error})" if job.last_error else ""
    return MessageView(_("{document} went to «{printer}» and is still printing{note}.").format(
        document=job.path.name, printer=job.printer, note=note), "info")


def any_active(jobs: Iterable[PrintJob]) -> bool:
    return any(job.active for job in jobs)
