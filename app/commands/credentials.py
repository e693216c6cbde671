"""salon credentials set"""

from __future__ import annotations

import argparse
import sys
from typing import TextIO

from app.cli import Wiring
from app.i18n import _


def register(commands: argparse._SubParsersAction) -> None:
    credentials = commands.add_parser("credentials", help="secrets in the system keyring")
    subcommands = credentials.add_subparsers(dest="credentials_command", required=True)
    store = subcommands.add_parser(
        "set", help="store the operator API token (read from a hidden prompt or stdin)"
    )
    store.set_defaults(handler=set_token)


def set_token(args: argparse.Namespace, wiring: Wiring, out: TextIO) -> None:
    from app.services.credentials import set_operator_token

    if sys.stdin.isatty():
        import getpass

        token = getpass.getpass(_("Operator API token: "))
    else:
        token = sys.stdin.readline()
    set_operator_token(token)
    print(_("The operator API token is stored in the system keyring."), file=out)
