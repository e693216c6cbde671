"""salon identify PHONE --document TYPE [--representative --poa-number N --poa-date YYYY-MM-DD]
[--json] — R10, the identity check of this visit; salon identify --end PHONE ends it.

The document's number is typed at a hidden prompt, or comes as one line of standard input:
never on the command line, where the shell's history and the process list would keep it.
The visit is kept in the local store for this counter, so the next `salon` command here sees
it (app/services/identity.py).
"""

from __future__ import annotations

import argparse
from typing import Any, TextIO

from app.cli import Wiring
from app.commands.output import print_json, say
from app.errors import InputError
from app.i18n import _
from app.phone import format_msisdn, parse_msisdn
from models.identity import DOCUMENT_OPTIONS, Visit


def register(commands: argparse._SubParsersAction) -> None:
    identify = commands.add_parser(
        "identify", help="record the identity check of this visit (R10)",
        description="The clerk checks the identity document of the holder, or of their "
                    "representative with a power of attorney. The document's number is typed "
                    "at a hidden prompt (or one line of standard input), never on the command "
                    "line; only a keyed hash and its last 4 characters are kept.")
    identify.add_argument("phone", nargs="?", help="the subscriber's number")
    identify.add_argument("--document", choices=sorted(DOCUMENT_OPTIONS), metavar="TYPE",
                          help="the document presented: " + ", ".join(sorted(DOCUMENT_OPTIONS)))
    identify.add_argument("--representative", action="store_true",
                          help="a representative presents it, with a power of attorney")
    identify.add_argument("--poa-number", metavar="N", help="the power of attorney's number")
    identify.add_argument("--poa-date", metavar="YYYY-MM-DD",
                          help="the power of attorney's date")
    identify.add_argument("--end", metavar="PHONE", dest="end",
                          help="end this counter's visit of PHONE (the subscriber left)")
    identify.add_argument("--json", action="store_true", help="print one JSON object")
    # A number typed after the others by mistake is refused without being repeated
    # (app/cli.py Parser.parse_args).
    identify.set_defaults(handler=run, secret_leftovers=True)


def run(args: argparse.Namespace, wiring: Wiring, out: TextIO) -> None:
    if getattr(args, "leftovers", None):
        raise InputError(_(
            "A document's number is never given on the command line (it would stay in the "
            "shell's history): type it at the prompt, or send it as one line of standard "
            "input. Nothing was recorded."))
    if args.end is not None:
        _end(args, wiring, out)
        return
    if args.phone is None:
        raise InputError(_("Name the subscriber's number: salon identify PHONE --document "
                           "TYPE, or salon identify --end PHONE."))
    msisdn = parse_msisdn(args.phone)  # a typo is refused before anything is asked
    if not args.representative and (args.poa_number is not None or args.poa_date is not None):
        raise InputError(_("--poa-number and --poa-date go with --representative; nothing "
                           "was recorded."))
    if args.representative and (args.poa_number is None or args.poa_date is None):
        raise InputError(_("A representative's check needs --poa-number and --poa-date "
                           "(the power of attorney's number and date); nothing was recorded."))
    if args.document is None:
        raise InputError(_("Name the document presented: --document {types}.").format(
            types=", ".join(sorted(DOCUMENT_OPTIONS))))
    from app.flows.identity import IdentityFlow, presented

    who = presented(DOCUMENT_OPTIONS[args.document], representative=args.representative,
                    poa_number=args.poa_number, poa_date=args.poa_date)
    clerk = wiring.session()  # the password first: on stdin its line comes before the number's
    from app.commands.passwords import read_secret_line

    number = read_secret_line(_("Document number (not shown): "))
    visit = IdentityFlow(wiring.services().identity, clerk).check(msisdn, who, number)
    del number
    if args.json:
        print_json(visit_dict(visit), out)
        return
    from app.ui.presenters.identity import visit_sentence  # no tkinter

    say(out, visit_sentence(visit, wiring.services().settings.salon.timezone))


def _end(args: argparse.Namespace, wiring: Wiring, out: TextIO) -> None:
    msisdn = parse_msisdn(args.end)
    from app.flows.identity import IdentityFlow

    ended = IdentityFlow(wiring.services().identity, wiring.session()).end(msisdn)
    if args.json:
        print_json({"msisdn": msisdn, "ended": ended}, out)
        return
    say(out, (_("The visit of {number} has ended: its identity check no longer holds.")
              if ended else _("There is no visit of {number} at this counter."))
        .format(number=format_msisdn(msisdn)))


def visit_dict(visit: Visit) -> dict[str, Any]:
    """`salon identify --json`: never the number, only its last 4 characters."""
    return {
        "msisdn": visit.msisdn,
        "presenter": visit.presenter.value,
        "document": visit.document.value,
        "last4": visit.last4,
        "power_of_attorney": None if visit.poa_date is None else {
            "number": visit.poa_number, "date": visit.poa_date.isoformat()},
        "verified": visit.verified,
        "started_at": _utc(visit),
        "ends_at": visit.ends_at.strftime("%Y-%m-%dT%H:%M:%SZ"),
    }


def _utc(visit: Visit) -> str:
    return visit.started_at.strftime("%Y-%m-%dT%H:%M:%SZ")
