"""salon print FILE [--printer NAME] [--json]
salon printers [--json];  salon printers choose NAME;  salon printers forget
salon print-jobs [--json] [-n N];  salon print-jobs retry ID [--printer NAME];  … cancel ID

Paper at the counter through CUPS. A failure exits 6 with the sentence and the path where the
document is kept; a job still printing when the wait ends exits 0 and says so.
"""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import TYPE_CHECKING, Any, TextIO

from app import formatting
from app.cli import Wiring
from app.commands import arguments
from app.commands.output import print_json, say
from app.i18n import _
from app.ui.presenters.print_queue import documents_text  # no tkinter
from models.printing import DocumentKind, PrinterInfo, PrintJob

if TYPE_CHECKING:  # the services import peewee: loaded when a command runs, not at start
    from app.services.printing import PrintService


def register(commands: argparse._SubParsersAction) -> None:
    print_file = commands.add_parser(
        "print", help="print a PDF on the counter's printer (exit 6 when it fails)",
        description="Sends the PDF to the chosen CUPS queue and follows the job for a few "
                    "seconds. A slip, a detalization or a leaflet is only printed again: the "
                    "operation it confirms is never repeated.")
    print_file.add_argument("file", type=Path)
    print_file.add_argument("--printer", metavar="NAME", type=arguments.printer,
                            help="this CUPS queue (default: the counter's choice, salon.ini, "
                                 "the server's default)")
    print_file.add_argument("--json", action="store_true", help="print the job as JSON")
    print_file.set_defaults(handler=run_print)

    printers = commands.add_parser("printers", help="the print server's printers")
    printers.add_argument("--json", action="store_true", help="print a JSON array")
    printers.set_defaults(handler=run_printers)
    choice = printers.add_subparsers(dest="printers_command", metavar="choose|forget")
    choose = choice.add_parser("choose", help="print at this counter on NAME")
    choose.add_argument("name", type=arguments.printer)
    choose.set_defaults(handler=run_choose)
    forget = choice.add_parser("forget", help="forget this counter's choice (back to "
                                              "salon.ini's [printing] printer)")
    forget.set_defaults(handler=run_choose, name=None)

    jobs = commands.add_parser("print-jobs", help="this counter's print jobs and their state")
    jobs.add_argument("--json", action="store_true", help="print a JSON array")
    jobs.add_argument("-n", "--limit", type=arguments.count("-n"), default=30,
                      help="how many (default 30)")
    jobs.set_defaults(handler=run_jobs)
    actions = jobs.add_subparsers(dest="jobs_command", metavar="retry|cancel")
    retry = actions.add_parser("retry", help="send the job's document to the printer again")
    retry.add_argument("id", type=arguments.row_id(_("The print job's number")))
    retry.add_argument("--printer", metavar="NAME", type=arguments.printer,
                       help="another queue this time")
    retry.add_argument("--json", action="store_true")
    retry.set_defaults(handler=run_retry)
    cancel = actions.add_parser("cancel", help="cancel a job that has not finished")
    cancel.add_argument("id", type=arguments.row_id(_("The print job's number")))
    cancel.add_argument("--json", action="store_true")
    cancel.set_defaults(handler=run_cancel)


def _service(wiring: Wiring) -> PrintService:
    return wiring.services().printing


def job_dict(job: PrintJob) -> dict[str, Any]:
    return {
        "id": job.id, "path": str(job.path), "kind": job.kind.value, "title": job.title,
        "documents": job.documents, "printer": job.printer, "cups_job_id": job.cups_job_id,
        "state": job.state.value, "attempts": job.attempts, "clerk": job.clerk,
        "created_at": _utc(job.created_at), "updated_at": _utc(job.updated_at),
        "last_error": job.last_error,
    }


def _utc(moment: Any) -> str:
    return moment.isoformat().replace("+00:00", "Z")


def run_print(args: argparse.Namespace, wiring: Wiring, out: TextIO) -> None:
    clerk = wiring.session()
    job = _service(wiring).print_document(clerk, args.file, printer=args.printer)
    _show(job, args.json, out)


def _show(job: PrintJob, as_json: bool, out: TextIO) -> None:
    if as_json:
        print_json(job_dict(job), out)
    else:
        from app.services.delivery import printed_sentence

        say(out, printed_sentence(job))


def run_printers(args: argparse.Namespace, wiring: Wiring, out: TextIO) -> None:
    service = _service(wiring)
    printers = service.printers()
    choice = service.choice()
    if args.json:
        print_json([{**_printer_dict(p), "chosen": p.name == choice.name} for p in printers],
                   out)
        return
    if not printers:
        say(out, _("The print server has no printers."))
    for printer in printers:
        marks = [kind_of(printer)]
        if printer.is_default:
            marks.append(_("the server's default"))
        if printer.name == choice.name:
            marks.append(_("chosen here"))
        line = f"{printer.name}: {', '.join(marks)}"
        if printer.message:
            line += f" — {printer.message}"
        say(out, line)


def kind_of(printer: PrinterInfo) -> str:
    from app.ui.presenters.printer_settings import printer_state_text  # the screen's words

    return printer_state_text(printer)


def _printer_dict(printer: PrinterInfo) -> dict[str, Any]:
    return {"name": printer.name, "description": printer.description,
            "location": printer.location, "state": printer.state.value,
            "accepting": printer.accepting, "message": printer.message,
            "default": printer.is_default}


def run_choose(args: argparse.Namespace, wiring: Wiring, out: TextIO) -> None:
    clerk = wiring.session()
    choice = _service(wiring).choose(clerk, args.name)
    if choice.name:
        say(out, _("Documents at this counter are printed on «{printer}».").format(
            printer=choice.name))
    else:
        say(out, _("No printer is chosen for this counter."))


def run_jobs(args: argparse.Namespace, wiring: Wiring, out: TextIO) -> None:
    wiring.session()
    service = _service(wiring)
    service.refresh()  # jobs still printing: one look at CUPS
    jobs = service.jobs(max(1, args.limit))
    if args.json:
        print_json([job_dict(job) for job in jobs], out)
        return
    if not jobs:
        say(out, _("No documents have been printed at this counter."))
        return
    zone = wiring.services().settings.salon.timezone
    for job in jobs:
        say(out, job_line(job, zone))


def job_line(job: PrintJob, zone: str) -> str:
    from app.ui.presenters.print_queue import kind_name, state_name  # the queue view's words

    when = formatting.local_datetime(job.updated_at, zone)
    parts = [f"#{job.id}", when, state_name(job.state), kind_name(job.kind), job.path.name,
             f"→ {job.printer or '—'}"]
    if job.kind is not DocumentKind.FILE and job.documents:
        parts.append(f"({documents_text(job.documents)})")
    line = " ".join(parts)
    return f"{line} — {job.last_error}" if job.last_error else line


def run_retry(args: argparse.Namespace, wiring: Wiring, out: TextIO) -> None:
    clerk = wiring.session()
    job = _service(wiring).retry(clerk, args.id, printer=args.printer)
    _show(job, args.json, out)


def run_cancel(args: argparse.Namespace, wiring: Wiring, out: TextIO) -> None:
    clerk = wiring.session()
    job = _service(wiring).cancel(clerk, args.id)
    if args.json:
        print_json(job_dict(job), out)
    else:
        say(out, _("Print job {job} is cancelled.").format(job=job.id))
