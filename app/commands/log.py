"""salon log export --date YYYY-MM-DD --format xlsx|csv|pdf -o PATH"""

from __future__ import annotations

import argparse
import re
from datetime import date
from typing import TextIO

from app.cli import Wiring
from app.commands import arguments
from app.commands.output import say
from app.errors import InputError
from app.i18n import _
from app.inputs import shown

FORMATS = ("xlsx", "csv", "pdf")


def register(commands: argparse._SubParsersAction) -> None:
    log = commands.add_parser("log", help="the manager's daily log")
    subcommands = log.add_subparsers(dest="log_command", required=True, metavar="SUBCOMMAND")
    export = subcommands.add_parser(
        "export", help="write one day's log as XLSX, CSV or PDF",
        description="Every journal entry of the salon's local day, totals per clerk and per "
                    "operation, refusals and failures, and the journal's last hash for the day. "
                    "A day without entries gives an empty log; a day to come is refused. "
                    "The file is written whole or not at all.",
    )
    export.add_argument("--date", required=True, metavar="YYYY-MM-DD",
                        help="the day, in the salon's time zone")
    export.add_argument("--format", choices=FORMATS, metavar="{xlsx,csv,pdf}",
                        help="default: from the file name's extension")
    export.add_argument("-o", "--output", required=True, type=arguments.output_file,
                        metavar="PATH",
                        help="the file to write (replaced if it exists)")
    export.add_argument("--language", choices=("ru", "en"), default="ru",
                        help="the document's language (default ru)")
    export.set_defaults(handler=run_export)


def parse_day(text: str) -> date:
    """Exactly YYYY-MM-DD in ASCII digits (date.fromisoformat alone would also take 20261123,
    and `\\d` would take Arabic-Indic digits)."""
    cleaned = text.strip(" \t")
    if re.fullmatch(r"[0-9]{4}-[0-9]{2}-[0-9]{2}", cleaned):
        try:
            return date.fromisoformat(cleaned)
        except ValueError:
            pass
    raise InputError(_("{text} is not a date: write it as YYYY-MM-DD, e.g. 2026-11-23.")
                     .format(text=shown(cleaned)))


def run_export(args: argparse.Namespace, wiring: Wiring, out: TextIO) -> None:
    day = parse_day(args.date)
    fmt = args.format or args.output.suffix.lower().lstrip(".")
    if fmt not in FORMATS:
        raise InputError(_("Give --format xlsx, csv or pdf, or a file name ending in one."))
    service = wiring.services().daily_log
    from app.services.clerks import require_manager

    actor = require_manager(wiring.session(), _("Only a manager can export the daily log (C1)."))
    written = service.export(day, fmt, args.output, clerk=actor.login, language=args.language)
    say(out, _("The log for {day} is saved: {path}").format(day=day.isoformat(), path=written))
