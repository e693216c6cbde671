"""salon credentials set"""

from __future__ import annotations

import argparse
from typing import TextIO

from app.cli import Wiring
from app.commands.passwords import read_secret_line
from app.i18n import _


def register(commands: argparse._SubParsersAction) -> None:
    credentials = commands.add_parser("credentials", help="secrets in the system keyring")
    subcommands = credentials.add_subparsers(dest="credentials_command", required=True)
    store = subcommands.add_parser(
        "set", help="store the operator API token (read from a hidden prompt or stdin)"
    )
    store.set_defaults(handler=set_token)


def set_token(args: argparse.Namespace, wiring: Wiring, out: TextIO) -> None:
    from app.services.credentials import safe_keyring, set_operator_token

    safe_keyring()  # refuse an unsafe keyring before the token is even typed
    set_operator_token(read_secret_line(_("Operator API token: ")))
    print(_("The operator API token is stored in the system keyring."), file=out)
