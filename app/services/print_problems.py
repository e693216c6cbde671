"""What went wrong with a print, in the clerk's words: a CUPS job's state read as a problem
(or not), and each problem kind as a sentence (printing/cups_printer.py names the kinds;
it cannot translate, as printing/ imports only models)."""

from __future__ import annotations

from app.i18n import _
from models.printing import CupsJobState, JobStatus, PrinterState, PrintJob
from printing.cups_printer import PrintProblem, ProblemKind


def status_problem(status: JobStatus, printer: str) -> PrintProblem | None:
    """What is wrong with a job, if its state already says it will not print by itself."""
    words = status.message or (status.printer.message if status.printer else "")
    if status.state is CupsJobState.ABORTED:
        return PrintProblem(ProblemKind.ABORTED, words, printer)
    if status.state is CupsJobState.CANCELED:
        return PrintProblem(ProblemKind.CANCELED_AT_PRINTER, words, printer)
    if status.state is CupsJobState.HELD:
        return PrintProblem(ProblemKind.HELD, words, printer)
    queue_stopped = status.printer is not None and status.printer.state is PrinterState.STOPPED
    if status.state is CupsJobState.STOPPED or (
            queue_stopped and status.state is not CupsJobState.COMPLETED):
        return PrintProblem(ProblemKind.STOPPED, words, printer)
    return None


def problem_sentence(problem: PrintProblem) -> str:
    """The clerk's sentence for what went wrong, in the active language."""
    printer, detail = problem.printer, problem.detail.strip()
    said = f" ({detail})" if detail else ""
    kind = problem.kind
    if kind is ProblemKind.NO_CUPS:
        return _("Printing is not available: the pycups library is not installed.")
    if kind is ProblemKind.UNREACHABLE:
        return _("The print server (CUPS) cannot be reached: is it running? Ask the "
                 "administrator.")
    if kind is ProblemKind.TIMEOUT:
        return _("The print server (CUPS) did not answer within {seconds} seconds.").format(
            seconds=detail or "?")
    if kind is ProblemKind.NO_PRINTER:
        return _("No printer is chosen for this counter, and the print server has no default "
                 "one: choose a printer in the printer settings.")
    if kind is ProblemKind.UNKNOWN_PRINTER:
        return _("The print server has no printer named «{printer}».").format(printer=printer)
    if kind is ProblemKind.REJECTING:
        return _("The printer «{printer}» is not accepting jobs{said}.").format(
            printer=printer, said=said)
    if kind is ProblemKind.STOPPED:
        return _("The printer «{printer}» is stopped{said}: nothing is printed on it until "
                 "it is resumed.").format(printer=printer, said=said)
    if kind is ProblemKind.HELD:
        return _("The printer «{printer}» could not take the job{said}.").format(
            printer=printer, said=said)
    if kind is ProblemKind.ABORTED:
        return _("The printer «{printer}» failed to print the document{said}.").format(
            printer=printer, said=said)
    if kind is ProblemKind.CANCELED_AT_PRINTER:
        return _("The job was cancelled at the printer «{printer}»{said}.").format(
            printer=printer, said=said)
    if kind is ProblemKind.FORBIDDEN:
        return _("The print server does not let the console print on «{printer}».").format(
            printer=printer)
    if kind is ProblemKind.UNKNOWN_JOB:
        return _("The print server no longer knows this job; look at the printer's tray.")
    return _("The print server refused the job{said}.").format(said=said)


def kept_sentence(job: PrintJob) -> str:
    return _("Not printed: {problem} The document is kept: {path}").format(
        problem=job.last_error, path=job.path)
