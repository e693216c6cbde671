"""salon clerk add LOGIN --name NAME [--role clerk|manager] [--first];  salon clerk list [--json];
salon clerk disable LOGIN;  salon clerk passwd LOGIN

Managing accounts is for managers (rule C1); `add --first` creates the first manager of an
empty store without signing in (C3). New passwords come from $SALON_NEW_PASSWORD, a prompt
typed twice, or one line of stdin (after the signing-in password's line).
"""

from __future__ import annotations

import argparse
from datetime import datetime
from typing import Any, TextIO

from app import formatting
from app.cli import Wiring
from app.commands.output import print_json
from app.commands.passwords import read_new_password
from app.errors import InputError
from app.i18n import _
from app.ui.presenters.signin import role_name  # no tkinter
from models.domain import Clerk, ClerkRole


def register(commands: argparse._SubParsersAction) -> None:
    clerk = commands.add_parser("clerk", help="clerk accounts (managers only)")
    subcommands = clerk.add_subparsers(dest="clerk_command", required=True, metavar="SUBCOMMAND")

    add = subcommands.add_parser("add", help="add a clerk account")
    add.add_argument("login", help="2–32 Latin letters, digits, . _ -; starts with a letter")
    add.add_argument("--name", required=True, help='the full name, e.g. "Анна Соколова"')
    add.add_argument("--role", choices=[role.value for role in ClerkRole],
                     help="clerk (default) or manager")
    add.add_argument("--first", action="store_true",
                     help="create the first manager of a store that has no accounts yet")
    add.set_defaults(handler=add_clerk)

    listing = subcommands.add_parser("list", help="list the clerk accounts")
    listing.add_argument("--json", action="store_true", help="print a JSON array")
    listing.set_defaults(handler=list_clerks)

    disable = subcommands.add_parser("disable", help="disable an account (it cannot sign in)")
    disable.add_argument("login")
    disable.set_defaults(handler=disable_clerk)

    passwd = subcommands.add_parser(
        "passwd", help="set a new password (a manager for anyone, a clerk for themselves)"
    )
    passwd.add_argument("login")
    passwd.set_defaults(handler=change_password)


def add_clerk(args: argparse.Namespace, wiring: Wiring, out: TextIO) -> None:
    if args.first:
        if args.role == ClerkRole.CLERK.value:
            raise InputError(_("The first account is a manager's; leave out --role clerk."))
        password = _new_password()
        clerk = wiring.services().clerks.add_first_manager(args.login, args.name, password)
    else:
        actor = wiring.session()
        role = ClerkRole(args.role or ClerkRole.CLERK.value)
        password = _new_password()
        clerk = wiring.services().clerks.add(actor, args.login, args.name, role, password)
    print(_("The account {login} ({name}, {role}) is created.").format(
        login=clerk.login, name=clerk.full_name, role=role_name(clerk.role)), file=out)


def list_clerks(args: argparse.Namespace, wiring: Wiring, out: TextIO) -> None:
    actor = wiring.session()
    services = wiring.services()
    clerks = services.clerks.list(actor)
    if args.json:
        print_json([_as_json(clerk) for clerk in clerks], out)
        return
    now = services.clock.now()
    zone = services.settings.salon.timezone
    for clerk in clerks:
        print(f"{clerk.login:<16} {role_name(clerk.role):<12} "
              f"{_state(clerk, now, zone):<28} {clerk.full_name}".rstrip(), file=out)


def disable_clerk(args: argparse.Namespace, wiring: Wiring, out: TextIO) -> None:
    clerk = wiring.services().clerks.disable(wiring.session(), args.login)
    print(_("The account {login} is disabled.").format(login=clerk.login), file=out)


def change_password(args: argparse.Namespace, wiring: Wiring, out: TextIO) -> None:
    actor = wiring.session()
    own = args.login.strip().lower() == actor.login
    # A clerk proves the old password; they gave it to sign in a moment ago.
    old = wiring.password() if own and not actor.is_manager else None
    password = _new_password()
    wiring.services().clerks.change_password(actor, args.login, password, old_password=old)
    print(_("The password of {login} is changed.").format(login=args.login.strip().lower()),
          file=out)


def _new_password() -> str:
    return read_new_password(_("New password: "), _("The new password again: "))


def _state(clerk: Clerk, now: datetime, zone: str) -> str:
    if not clerk.active:
        return _("disabled")
    if clerk.locked_until is not None and now < clerk.locked_until:
        return _("locked until {time}").format(
            time=formatting.local_time(clerk.locked_until, zone))
    return _("active")


def _as_json(clerk: Clerk) -> dict[str, Any]:
    def utc(moment: datetime | None) -> str | None:
        return None if moment is None else moment.strftime("%Y-%m-%dT%H:%M:%SZ")

    return {
        "login": clerk.login,
        "full_name": clerk.full_name,
        "role": clerk.role.value,
        "active": clerk.active,
        "locked_until": utc(clerk.locked_until),
        "created_at": utc(clerk.created_at),
        "password_changed_at": utc(clerk.password_changed_at),
    }
