"""salon lookup PHONE [--json]"""

from __future__ import annotations

import argparse
from typing import TextIO

from app.cli import Wiring
from app.commands.output import print_json
from app.phone import parse_msisdn
from models.card_codec import card_to_dict


def register(commands: argparse._SubParsersAction) -> None:
    lookup = commands.add_parser("lookup", help="show a subscriber's card")
    lookup.add_argument("phone", help="the number as written: +7 916 123-45-67, 8 (916) …")
    lookup.add_argument("--json", action="store_true", help="print one JSON object")
    lookup.set_defaults(handler=run)


def run(args: argparse.Namespace, wiring: Wiring, out: TextIO) -> None:
    parse_msisdn(args.phone)  # a typo is refused before anything is started
    clerk = wiring.session()
    card = wiring.services().lookup.lookup(args.phone, clerk)
    if args.json:
        print_json(card_to_dict(card), out)
        return
    from app.ui.presenters.card import card_text_lines, present_card  # no tkinter

    view = present_card(card, wiring.services().clock.now(),
                        wiring.services().settings.salon.timezone)
    for line in card_text_lines(view):
        print(line, file=out)
