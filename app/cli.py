"""The `salon` command: parses, calls a service, prints text or --json. Nothing else.

Each command group lives in app/commands/ and registers itself here.
Exit codes (DESIGN §7): 0 done; 2 bad usage or input (also: not signed in, wrong password);
3 refused by a business rule; 4 locked (access code, clerk account); 5 operator API
unreachable; 6 printing failed; 1 anything else.

Commands that act for a subscriber or manage accounts run as a named clerk:
`salon --clerk LOGIN …` (or $SALON_CLERK), the password from $SALON_PASSWORD, a hidden prompt,
or one line of stdin.
"""

from __future__ import annotations

import argparse
import importlib
import io
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, NoReturn, Protocol, TextIO

from app.commands.output import ReaderSafe, say, terminal_text
from app.errors import SalonError
from app.launcher import command_named

if TYPE_CHECKING:
    from _typeshed import SupportsWrite

    from app.services.registry import Services
    from models.domain import Session

# Each command and the module in app/commands/ that registers it, in the order `salon --help`
# lists them. A command line that names one imports that module alone (a command answers at
# once: DESIGN §9); --help, no command or an unknown one imports them all.
COMMANDS = {
    "lookup": "lookup", "identify": "identify", "tariffs": "catalog", "services": "catalog",
    "tariff": "orders", "service": "orders", "assistant": "orders", "code": "codes",
    "outbox": "outbox", "detalization": "detalization", "verify-document": "detalization",
    "purge": "detalization", "sandbox": "sandbox", "credentials": "credentials",
    "clerk": "clerk", "audit": "audit", "log": "log", "print": "printing",
    "printers": "printing", "print-jobs": "printing", "email": "delivery",
    "archive": "delivery", "subscription": "delivery", "deliver-due": "delivery",
    "operator": "operator", "pickup": "pickup", "warm": "warm",
}
COMMAND_GROUPS = list(dict.fromkeys(COMMANDS.values()))


class Wiring(Protocol):
    """What app/main.py hands the CLI: the services, the signed-in clerk (signed in on first
    use), and the sandbox server for `salon sandbox`."""

    def services(self) -> Services: ...

    def session(self) -> Session: ...

    def password(self) -> str: ...

    def serve_sandbox(self, host: str, port: int, db: Path | None, seed: int | None) -> None: ...

    def stop_training_sandbox(self) -> bool: ...


class Parser(argparse.ArgumentParser):
    """argparse, with what it repeats of the command line ("unrecognized arguments: …",
    a bad value) made safe for the terminal like every other line the console prints.
    Subcommands' parsers are of the same class."""

    def error(self, message: str) -> NoReturn:
        super().error(terminal_text(message))

    def parse_args(self, args: Sequence[str] | None = None,  # type: ignore[override]
                   namespace: argparse.Namespace | None = None) -> argparse.Namespace:
        """argparse's, except that a command which may be handed a secret by mistake
        (`set_defaults(secret_leftovers=True)`: `salon identify PHONE … 4510 123456`) gets the
        words it does not know as `leftovers`, to refuse them without repeating them;
        argparse's "unrecognized arguments: …" would print them."""
        parsed, leftovers = self.parse_known_args(args, namespace)
        if leftovers:
            if not getattr(parsed, "secret_leftovers", False):
                from gettext import gettext  # argparse's own words, as its parse_args says them

                self.error(gettext("unrecognized arguments: %s") % " ".join(leftovers))
            parsed.leftovers = leftovers
        return parsed

    def _print_message(self, message: str, file: SupportsWrite[str] | None = None) -> None:
        # argparse names no file (stderr) or sys.stdout (--help): text streams, kept reader-safe.
        stream = file or sys.stderr
        super()._print_message(message, ReaderSafe(stream)
                               if isinstance(stream, io.TextIOBase) else stream)


def build_parser(argv: Sequence[str] | None = None) -> argparse.ArgumentParser:
    """The whole parser, or (given the command line) just enough of it for the command named."""
    parser = Parser(
        prog="salon",
        description="Salon console. Without a command it opens the window.",
    )
    parser.add_argument(
        "--clerk", metavar="LOGIN",
        help="the clerk doing the work (default: $SALON_CLERK); the password comes from "
             "$SALON_PASSWORD, a hidden prompt, or one line of stdin",
    )
    commands = parser.add_subparsers(dest="command", metavar="COMMAND")
    named = command_named(sys.argv[1:] if argv is None else argv)
    for group in [COMMANDS[named]] if named in COMMANDS else COMMAND_GROUPS:
        importlib.import_module(f"app.commands.{group}").register(commands)
    return parser


def run(args: argparse.Namespace, wiring: Wiring, out: TextIO = sys.stdout) -> int:
    """Run the command; a SalonError is said on stderr and, with --json, as one JSON object
    on stdout (app/commands/output.py) — for every command alike."""
    try:
        args.handler(args, wiring, ReaderSafe(out))
    except SalonError as error:
        from app.commands.output import report_failure

        return report_failure(args, error, out)
    return 0


def report(error: SalonError) -> None:
    """The clerk's sentence on stderr (never a traceback; the log has the details)."""
    say(ReaderSafe(sys.stderr), str(error))
