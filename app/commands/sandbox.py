"""salon sandbox [--host] [--port] [--db] [--seed];  salon sandbox list [--json]"""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any, TextIO

from app.cli import Wiring
from app.commands.output import print_json
from app.errors import SalonError
from app.i18n import _
from models.domain import DemoSubscriber


def register(commands: argparse._SubParsersAction) -> None:
    sandbox = commands.add_parser(
        "sandbox", help="run the training operator API (or: sandbox list)",
        description="Without a subcommand: serve the sandbox operator API over HTTP. "
                    "The bearer token is $SALON_SANDBOX_TOKEN, or 'training'.",
    )
    sandbox.add_argument("--host", default="127.0.0.1")
    sandbox.add_argument("--port", type=int, default=8765)
    sandbox.add_argument("--db", type=Path, help="the demo world's database file")
    sandbox.add_argument("--seed", type=int, help="the demo world's seed (salon.ini by default)")
    sandbox.set_defaults(handler=serve)
    subcommands = sandbox.add_subparsers(dest="sandbox_command", metavar="SUBCOMMAND")
    demo = subcommands.add_parser("list", help="list the demo subscribers")
    demo.add_argument("--json", action="store_true")
    demo.set_defaults(handler=list_demo)


def serve(args: argparse.Namespace, wiring: Wiring, out: TextIO) -> None:
    wiring.serve_sandbox(args.host, args.port, args.db, args.seed)


def list_demo(args: argparse.Namespace, wiring: Wiring, out: TextIO) -> None:
    services = wiring.services()
    if services.demo_subscribers is None:
        raise SalonError(_("The configured operator API is not a training sandbox."))
    rows = services.demo_subscribers()
    if args.json:
        print_json([_as_json(row) for row in rows], out)
        return
    for row in rows:
        flags = [flag for flag, on in (("assistant", row.assistant_connected),
                                       ("debt", row.promised_payment_debt),
                                       ("heavy", row.heavy)) if on]
        print(f"{row.msisdn}  {row.tariff_class.value:<9} {row.region_code:<7} "
              f"{row.status.value:<7} {row.tariff_code:<10} {' '.join(flags)}".rstrip(), file=out)


def _as_json(row: DemoSubscriber) -> dict[str, Any]:
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
