"""The `salon` command: parses, calls a service, prints text or --json. Nothing else.

Exit codes (DESIGN §7): 0 done; 2 bad usage or input; 3 refused by a business rule;
4 locked; 5 operator API unreachable; 6 printing failed; 1 anything else.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any, Protocol, TextIO

from app.errors import SalonError
from app.i18n import _
from app.phone import parse_msisdn
from app.services.registry import Services
from models.card_codec import card_to_dict


class Wiring(Protocol):
    """What app/main.py hands the CLI: the services, and the sandbox server for `salon sandbox`."""

    def services(self) -> Services: ...

    def serve_sandbox(self, host: str, port: int, db: Path | None, seed: int | None) -> None: ...


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="salon",
        description="Salon console. Without a command it opens the window.",
    )
    commands = parser.add_subparsers(dest="command", metavar="COMMAND")

    lookup = commands.add_parser("lookup", help="show a subscriber's card")
    lookup.add_argument("phone", help="the number as written: +7 916 123-45-67, 8 (916) …")
    lookup.add_argument("--json", action="store_true", help="print one JSON object")

    sandbox = commands.add_parser(
        "sandbox", help="run the training operator API (or: sandbox list)",
        description="Without a subcommand: serve the sandbox operator API over HTTP. "
                    "The bearer token is $SALON_SANDBOX_TOKEN, or 'training'.",
    )
    sandbox.add_argument("--host", default="127.0.0.1")
    sandbox.add_argument("--port", type=int, default=8765)
    sandbox.add_argument("--db", type=Path, help="the demo world's database file")
    sandbox.add_argument("--seed", type=int, help="the demo world's seed (salon.ini by default)")
    sandbox_commands = sandbox.add_subparsers(dest="sandbox_command", metavar="SUBCOMMAND")
    demo = sandbox_commands.add_parser("list", help="list the demo subscribers")
    demo.add_argument("--json", action="store_true")

    credentials = commands.add_parser("credentials", help="secrets in the system keyring")
    credential_commands = credentials.add_subparsers(dest="credentials_command", required=True)
    credential_commands.add_parser(
        "set", help="store the operator API token (read from a hidden prompt or stdin)"
    )
    return parser


def run(args: argparse.Namespace, wiring: Wiring, out: TextIO = sys.stdout) -> int:
    handler = _HANDLERS[args.command]
    try:
        handler(args, wiring, out)
    except SalonError as error:
        print(str(error), file=sys.stderr)
        return error.exit_code
    return 0


def _lookup(args: argparse.Namespace, wiring: Wiring, out: TextIO) -> None:
    parse_msisdn(args.phone)  # a typo is refused before anything is started
    card = wiring.services().lookup.lookup(args.phone)
    if args.json:
        _print_json(card_to_dict(card), out)
        return
    from app.ui.presenters.card import present_card  # plain text, no tkinter

    view = present_card(card)
    for line in view.as_text_lines():
        print(line, file=out)


def _sandbox(args: argparse.Namespace, wiring: Wiring, out: TextIO) -> None:
    if args.sandbox_command == "list":
        services = wiring.services()
        if services.demo_subscribers is None:
            raise SalonError(_("The configured operator API is not a training sandbox."))
        rows = services.demo_subscribers()
        if args.json:
            _print_json([_demo_row(row) for row in rows], out)
            return
        for row in rows:
            flags = " ".join(
                flag for flag, on in (
                    ("assistant", row.assistant_connected),
                    ("debt", row.promised_payment_debt),
                    ("heavy", row.heavy),
                ) if on
            )
            print(f"{row.msisdn}  {row.tariff_class.value:<9} {row.region_code:<7} "
                  f"{row.status.value:<7} {row.tariff_code:<10} {flags}".rstrip(), file=out)
        return
    wiring.serve_sandbox(args.host, args.port, args.db, args.seed)


def _credentials(args: argparse.Namespace, wiring: Wiring, out: TextIO) -> None:
    from app.services.credentials import set_operator_token

    if sys.stdin.isatty():
        import getpass

        token = getpass.getpass(_("Operator API token: "))
    else:
        token = sys.stdin.readline()
    set_operator_token(token)
    print(_("The operator API token is stored in the system keyring."), file=out)


def _demo_row(row: Any) -> dict[str, Any]:
    return {
        "msisdn": row.msisdn,
        "name": row.name,
        "tariff_code": row.tariff_code,
        "tariff_class": row.tariff_class.value,
        "home_region": row.region_code,
        "status": row.status.value,
        "assistant_connected": row.assistant_connected,
        "promised_payment_debt": row.promised_payment_debt,
        "heavy": row.heavy,
    }


def _print_json(data: Any, out: TextIO) -> None:
    json.dump(data, out, ensure_ascii=False, indent=2)
    out.write("\n")


_HANDLERS: dict[str, Callable[[argparse.Namespace, Wiring, TextIO], None]] = {
    "lookup": _lookup,
    "sandbox": _sandbox,
    "credentials": _credentials,
}
