"""salon outbox [--json] [-n N];  salon outbox send [--json];  salon outbox queue|cancel ID

The outbox: every change made for a subscriber, from the moment it was confirmed — queued,
being sent, done, refused or cancelled. `send` does one pass of the pump on this terminal (the
window runs it in the background): rows a crashed console left behind are recovered, and what
is due is sent, in order per subscriber.
"""

from __future__ import annotations

import argparse
from typing import TextIO

from app import formatting
from app.cli import Wiring
from app.commands import arguments
from app.commands.output import print_json, say
from app.i18n import _
from app.phone import format_msisdn
from app.ui.presenters.outbox import state_name  # the same words as the queue view
from models.order_codec import item_to_dict
from models.orders import OrderAction, OutboxItem


def register(commands: argparse._SubParsersAction) -> None:
    outbox = commands.add_parser("outbox", help="queued and recent changes, and their state")
    outbox.add_argument("--json", action="store_true", help="print a JSON array")
    outbox.add_argument("-n", "--limit", type=arguments.count("-n"), default=50,
                        help="how many recent changes (default 50; queued ones always)")
    outbox.set_defaults(handler=run_list)
    actions = outbox.add_subparsers(dest="outbox_command", metavar="send|queue|cancel")
    send = actions.add_parser("send", help="send what is due now (one pass)")
    send.add_argument("--json", action="store_true", help="print the finished ones as JSON")
    send.set_defaults(handler=run_send)
    for name, text, handler in (("queue", "send this change when the operator answers",
                                 "queue"),
                                ("cancel", "cancel a change that never reached the operator",
                                 "cancel")):
        parser = actions.add_parser(name, help=text)
        parser.add_argument("id", type=arguments.row_id(_("The change's number")),
                            help="the change's number (#) in `salon outbox`")
        parser.add_argument("--json", action="store_true", help="print the row as JSON")
        parser.set_defaults(handler=run_decide, decision=handler)


def run_list(args: argparse.Namespace, wiring: Wiring, out: TextIO) -> None:
    wiring.session()  # the list names subscribers: a signed-in clerk only
    orders = wiring.services().orders
    items = {item.id: item for item in orders.recent(max(1, args.limit))}
    items.update({item.id: item for item in orders.pending()})
    rows = sorted(items.values(), key=lambda item: -item.id)
    if args.json:
        print_json([item_to_dict(item) for item in rows], out)
        return
    if not rows:
        say(out, _("The outbox is empty."))
        return
    zone = wiring.services().settings.salon.timezone
    for item in rows:
        say(out, item_line(item, zone))


def run_send(args: argparse.Namespace, wiring: Wiring, out: TextIO) -> None:
    wiring.session()
    services = wiring.services()
    finished = services.outbox_pump.run_once()
    pending = services.orders.pending()
    if args.json:
        print_json({"finished": [item_to_dict(i) for i in finished],
                    "pending": [item_to_dict(i) for i in pending]}, out)
        return
    zone = services.settings.salon.timezone
    for item in finished:
        say(out, item_line(item, zone))
    say(out, _("Finished now: {done}; still queued: {pending}.").format(
        done=len(finished), pending=len(pending)))


def run_decide(args: argparse.Namespace, wiring: Wiring, out: TextIO) -> None:
    from app.flows.orders import OrderFlow

    flow = OrderFlow(wiring.services().orders, wiring.session())
    settlement = flow.settle(args.id, keep=args.decision == "queue")
    settlement.raise_if_refused()  # exit 3 when it may have left: it stays queued
    item = settlement.item
    if args.json:
        print_json(item_to_dict(item), out)
    else:
        say(out, item_line(item, wiring.services().settings.salon.timezone))


def change_text(item: OutboxItem) -> str:
    request = item.request
    if request.action is OrderAction.CHANGE_TARIFF:
        return _("tariff → {code}").format(code=request.code)
    if request.action is OrderAction.REMOVE_SERVICE:
        return _("disconnect {code}").format(code=request.code)
    if request.action is OrderAction.CONNECT_ASSISTANT:
        return _("connect the Assistant")
    return _("connect {code}").format(code=request.code)


def item_line(item: OutboxItem, zone: str) -> str:
    fee = item.result.fee if item.result else (item.preview.fee if item.preview else None)
    notes = []
    if item.result is not None:
        notes.append(item.result.order_id)
    if item.refusal_rule:
        notes.append(item.refusal_rule)
    if item.pending and item.maybe_delivered:
        notes.append(_("may have reached the operator"))
    if item.pending and item.cancel_requested:
        notes.append(_("cancel requested"))
    if item.pending and item.last_error:
        notes.append(item.last_error)
    if item.slip_path:
        notes.append(item.slip_path)
    parts = [f"#{item.id}", state_name(item.state),
             formatting.local_datetime(item.created_at, zone),
             format_msisdn(item.request.msisdn), change_text(item),
             formatting.money(fee) if fee is not None else "",
             _("attempts: {n}").format(n=item.attempts), *notes]
    return "  ".join(part for part in parts if part)
