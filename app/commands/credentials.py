"""salon credentials set [--smtp | --client-secret]"""

from __future__ import annotations

import argparse
from typing import TextIO

from app.cli import Wiring
from app.commands.output import say
from app.commands.passwords import read_secret_line
from app.i18n import _


def register(commands: argparse._SubParsersAction) -> None:
    credentials = commands.add_parser("credentials", help="secrets in the system keyring")
    subcommands = credentials.add_subparsers(dest="credentials_command", required=True)
    store = subcommands.add_parser(
        "set", help="store the operator API token, or with --smtp the SMTP relay's password, "
                    "or with --client-secret the OAuth2 client secret (read from a hidden "
                    "prompt or stdin)"
    )
    which = store.add_mutually_exclusive_group()
    which.add_argument("--smtp", action="store_true",
                       help="the password of [email] username on the salon's SMTP relay")
    which.add_argument("--client-secret", action="store_true",
                       help="the OAuth2 client secret of [operator] client_id "
                            "([operator] auth = oauth2)")
    store.set_defaults(handler=set_token)


def set_token(args: argparse.Namespace, wiring: Wiring, out: TextIO) -> None:
    from app.services.credentials import (
        safe_keyring,
        set_operator_client_secret,
        set_operator_token,
        set_smtp_password,
    )

    safe_keyring()  # refuse an unsafe keyring before the secret is even typed
    if args.smtp:
        set_smtp_password(read_secret_line(_("SMTP password: ")))
        say(out, _("The SMTP password is stored in the system keyring."))
        return
    if args.client_secret:
        set_operator_client_secret(read_secret_line(_("OAuth2 client secret: ")))
        say(out, _("The OAuth2 client secret is stored in the system keyring."))
        return
    set_operator_token(read_secret_line(_("Operator API token: ")))
    say(out, _("The operator API token is stored in the system keyring."))
