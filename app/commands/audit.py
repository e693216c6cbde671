"""salon audit verify [--json] [--expect-hash HASH];  salon audit tail [-n N] [--json]"""

from __future__ import annotations

import argparse
from typing import TYPE_CHECKING, Any, TextIO

from app.cli import Wiring
from app.commands import arguments
from app.commands.output import print_json, say, with_report
from app.errors import InputError, RuleRefused
from app.i18n import _

if TYPE_CHECKING:  # the parser is built on every start, the store only when a command runs
    from app.services.audit import AuditJournal
    from models.audit import ChainReport, JournalEntry



def manager(wiring: Wiring) -> str:
    """The signed-in manager's login: the journal is the managers' to read."""
    from app.services.clerks import require_manager

    return require_manager(wiring.session(), _(
        "Only a manager can read or check the audit journal (C1).")).login


def register(commands: argparse._SubParsersAction) -> None:
    audit = commands.add_parser("audit", help="the audit journal: verify it, show its end")
    subcommands = audit.add_subparsers(dest="audit_command", required=True, metavar="SUBCOMMAND")
    verify = subcommands.add_parser(
        "verify", help="check the hash chain; exit 3 naming the first bad entry",
        description="Exit 0 when every entry is intact; 3 when an entry was edited, deleted, "
                    "reordered or inserted (the message names the first one).",
    )
    verify.add_argument("--expect-hash", metavar="HASH",
                        help="a daily log's last hash: also check that entry is still there")
    verify.add_argument("--json", action="store_true", help="print one JSON object")
    verify.set_defaults(handler=run_verify)
    tail = subcommands.add_parser("tail", help="show the newest entries")
    tail.add_argument("-n", type=arguments.count("-n"), default=20, metavar="N",
                      help="how many (default 20)")
    tail.add_argument("--json", action="store_true", help="print a JSON array")
    tail.set_defaults(handler=run_tail)


def journal(wiring: Wiring) -> AuditJournal:
    return wiring.services().audit


def run_verify(args: argparse.Namespace, wiring: Wiring, out: TextIO) -> None:
    from app.services.audit import describe_problem, intact_text

    report = journal(wiring).verify(manager(wiring), expect_hash=args.expect_hash)
    message = (intact_text(report) if report.problem is None
               else describe_problem(report.problem, args.expect_hash))
    if report.problem is not None:
        raise with_report(RuleRefused(message, rule="audit-chain"),
                          _report_json(report, message))
    if args.json:
        print_json(_report_json(report, message), out)
    else:
        say(out, message)


def run_tail(args: argparse.Namespace, wiring: Wiring, out: TextIO) -> None:
    from printing.text import visible

    if not 1 <= args.n <= 10_000:
        raise InputError(_("-n takes a number from 1 to 10000."))
    manager(wiring)
    entries = journal(wiring).latest(args.n)
    if args.json:
        print_json([entry_json(entry) for entry in entries], out)
        return
    for entry in entries:
        # Escaped: a line break typed into a reason must not print as a line of its own.
        fields = [str(entry.seq), entry.at.strftime("%Y-%m-%dT%H:%M:%SZ"), entry.clerk or "-",
                  f"{entry.salon}/{entry.counter}", entry.subscriber or "-", entry.action,
                  entry.result, entry.detail, entry.reason]
        say(out, "  ".join(visible(field) for field in fields).rstrip())


def entry_json(entry: JournalEntry) -> dict[str, Any]:
    return {
        "seq": entry.seq, "at": entry.at.strftime("%Y-%m-%dT%H:%M:%S.%fZ"),
        "clerk": entry.clerk, "salon": entry.salon, "counter": entry.counter,
        "subscriber": entry.subscriber, "action": entry.action, "result": entry.result,
        "detail": entry.detail, "reason": entry.reason, "prev_hash": entry.prev_hash,
        "hash": entry.hash,
    }


def _report_json(report: ChainReport, message: str) -> dict[str, Any]:
    problem = report.problem
    return {
        "intact": problem is None,
        "entries": report.entries,
        "last_seq": report.last_seq,
        "last_hash": report.last_hash,
        "problem": None if problem is None else {
            "kind": problem.kind, "seq": problem.seq, "other": problem.other,
        },
        "message": message,
    }
