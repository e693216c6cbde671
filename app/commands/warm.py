"""salon warm stop

Stops this user's warm console (app/warm_console.py) for the environment the command runs in:
after an upgrade it leaves by itself, and after 15 minutes unused; this is for the engineer
who wants it gone now. The next command starts it again (SALON_WARM=off: never)."""

from __future__ import annotations

import argparse
import os
from typing import TextIO

from app.cli import Wiring
from app.commands.output import say
from app.i18n import _


def register(commands: argparse._SubParsersAction) -> None:
    warm = commands.add_parser("warm", help="the warm console that runs commands at once")
    subcommands = warm.add_subparsers(dest="warm_command", metavar="SUBCOMMAND", required=True)
    stop = subcommands.add_parser("stop", help="stop it (the next command starts it again)")
    stop.set_defaults(handler=stop_warm_console)


def stop_warm_console(args: argparse.Namespace, wiring: Wiring, out: TextIO) -> None:
    from app.launcher import socket_path
    from app.warm_console import stop

    path = socket_path(os.environ)
    if path is not None and stop(path):
        say(out, _("The warm console is stopped; the next command starts it again."))
    else:
        say(out, _("No warm console is running."))
