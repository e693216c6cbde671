"""salon operator check [--json]: does each operator API the console needs answer where
salon.ini says it lives (app/services/operator_check.py)? Exit 0 when all do, 5 when the
operator cannot be reached, 2 when a setting is wrong, 1 when an answer is not TMF's."""

from __future__ import annotations

import argparse
from typing import TextIO

from app.cli import Wiring
from app.commands.output import print_json, say, with_report
from app.i18n import _


def register(commands: argparse._SubParsersAction) -> None:
    operator = commands.add_parser("operator", help="the operator's systems the console uses")
    subcommands = operator.add_subparsers(dest="operator_command", required=True)
    check = subcommands.add_parser(
        "check", help="does each API the console needs answer, in its version, to the "
                      "console's credentials? (and what to set when not)")
    check.add_argument("--json", action="store_true", help="print one JSON object")
    check.set_defaults(handler=run_check)


def run_check(args: argparse.Namespace, wiring: Wiring, out: TextIO) -> None:
    report = wiring.services().operator_check.run()
    if args.json:
        if report.exit_code != 0:
            raise with_report(report.failure(), report.as_json())
        print_json(report.as_json(), out)
        return
    if report.auth == "embedded":
        say(out, _("Operator: {url} (the embedded training sandbox)").format(
            url=report.operator_url))
    elif report.auth == "oauth2":
        say(out, _("Operator: {url} (OAuth2 client credentials)").format(url=report.operator_url))
    else:
        say(out, _("Operator: {url} (a bearer token)").format(url=report.operator_url))
    if report.token is not None:
        if report.token_problem is None:
            say(out, _("  token endpoint {url}: a token for {seconds:g} s").format(
                url=report.token.token_url, seconds=report.token.lifetime or 0))
        else:
            say(out, _("  token endpoint {url}: no token").format(url=report.token.token_url))
            say(out, "      " + report.token_problem)
    for line in report.apis:
        finding = line.finding
        version = f"v{finding.version}" if finding.version else "v?"
        if finding.server_version:
            version += f" ({finding.server_version})"
        state = _("answers") if finding.answers else (
            f"HTTP {finding.status}" if finding.status else _("no answer"))
        say(out, f"  {finding.api.standard:<8} {finding.api.name:<26} {version:<6} "
                 f"{state:<10} {finding.base_url}")
        say(out, f"      {line.need}")
        if line.problem is not None:
            say(out, "      " + line.problem)
    if report.exit_code != 0:
        raise report.failure()  # the verdict, on stderr as every failure's sentence
    say(out, report.verdict())
