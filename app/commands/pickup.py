"""salon pickup list [--expired] [--json]
salon pickup print ORDER | --all-new [--json]
salon pickup hand-over ORDER [--json]
salon pickup destroy ORDER | --all-expired --yes [--json]

R11: paper detalizations ordered online for pick-up at this salon (app/services/pickup.py). The
hand-over needs this visit's identity check of the subscriber (R10: `salon identify` first),
and exits 3 naming R10 without it; an order another counter closed first exits 3 naming R11;
a printer failure exits 6 with the path of the kept document.
"""

from __future__ import annotations

import argparse
from typing import TYPE_CHECKING, Any, TextIO

from app import formatting
from app.cli import Wiring
from app.commands.output import print_json, say
from app.commands.progress import batch_progress, end_progress, order_progress
from app.errors import InputError
from app.i18n import _

if TYPE_CHECKING:  # the services import peewee: loaded when a command runs
    from app.services.pickup import HandedOver, PickupService, Printed, QueueEntry


def register(commands: argparse._SubParsersAction) -> None:
    pickup = commands.add_parser(
        "pickup", help="paper detalizations ordered online for pick-up here (R11)",
        description="This salon's queue of paper detalizations ordered online: print them "
                    "ahead, hand them over after the identity check (R10), destroy those not "
                    "collected within [pickup] keep_days.")
    actions = pickup.add_subparsers(dest="pickup_command", metavar="list|print|hand-over|"
                                                                   "destroy")
    actions.required = True
    listing = actions.add_parser("list", help="this salon's open orders")
    listing.add_argument("--expired", action="store_true",
                         help="only those not collected in time (the destroy list)")
    listing.add_argument("--json", action="store_true", help="print a JSON array")
    listing.set_defaults(handler=run_list)

    printing = actions.add_parser("print", help="print an order ahead (or again), with its "
                                                "cover sheet")
    printing.add_argument("order", nargs="?", help="the order number, e.g. PU-000007")
    printing.add_argument("--all-new", action="store_true", help="every new order")
    printing.add_argument("--json", action="store_true", help="print one JSON object")
    printing.set_defaults(handler=run_print)

    hand_over = actions.add_parser("hand-over", help="hand a printed order over (after "
                                                     "salon identify: R10)")
    hand_over.add_argument("order", help="the order number")
    hand_over.add_argument("--json", action="store_true", help="print one JSON object")
    hand_over.set_defaults(handler=run_hand_over)

    destroy = actions.add_parser("destroy", help="destroy an order not collected in time")
    destroy.add_argument("order", nargs="?", help="the order number")
    destroy.add_argument("--all-expired", action="store_true", help="the whole destroy list")
    destroy.add_argument("--yes", action="store_true",
                         help="the clerk confirms the destruction (required)")
    destroy.add_argument("--json", action="store_true", help="print one JSON object")
    destroy.set_defaults(handler=run_destroy)


def _service(wiring: Wiring) -> PickupService:
    return wiring.services().pickup


def _one_or_all(args: argparse.Namespace, every: str) -> None:
    if (args.order is None) == (not getattr(args, every)):
        flag = "--" + every.replace("_", "-")
        raise InputError(_("Name one order, or give {flag}; nothing was changed.").format(
            flag=flag))


# -- list ------------------------------------------------------------------------------------------

def run_list(args: argparse.Namespace, wiring: Wiring, out: TextIO) -> None:
    clerk = wiring.session()
    service = _service(wiring)
    entries = service.expired(clerk) if args.expired else service.queue(clerk)
    timezone = wiring.services().settings.salon.timezone
    if args.json:
        print_json([entry_dict(e) for e in entries], out)
        return
    if not entries:
        say(out, _("No orders for pick-up at this salon.") if not args.expired
            else _("No orders wait for destruction."))
        return
    from app.services.pickup import shown_state

    for entry in entries:
        order = entry.order
        say(out, f"{order.order_id}  {entry.masked_number}  {order.name}  "
                 f"{order.first:%d.%m.%Y}–{order.last:%d.%m.%Y}  "
                 f"{formatting.local_datetime(order.ordered_at, timezone)}  "
                 f"{shown_state(entry.state)}")
    say(out, _("{count} orders; kept {days} days from the order.").format(
        count=len(entries), days=service.keep_days))


def entry_dict(entry: QueueEntry) -> dict[str, Any]:
    order = entry.order
    return {"order": order.order_id, "number": entry.masked_number, "name": order.name,
            "period": {"from": order.first.isoformat(), "to": order.last.isoformat()},
            "ordered_at": _utc(order.ordered_at), "state": entry.state.value,
            "operator_state": order.state.value, "expires_at": _utc(entry.expires_at)}


# -- print -----------------------------------------------------------------------------------------

def run_print(args: argparse.Namespace, wiring: Wiring, out: TextIO) -> None:
    _one_or_all(args, "all_new")
    clerk = wiring.session()
    service = _service(wiring)
    if args.order is not None:
        try:
            printed = service.print_ahead(clerk, args.order, order_progress())
        finally:
            end_progress()
        if args.json:
            print_json(printed_dict(printed), out)
        else:
            say(out, _printed_sentence(printed))
        return
    try:
        batch = service.print_all_new(clerk, batch_progress())
    finally:
        end_progress()
    if args.json:
        print_json({"printed": [printed_dict(p) for p in batch.printed],
                    "skipped": [{"order": o, "reason": r} for o, r in batch.skipped]}, out)
        return
    for printed in batch.printed:
        say(out, _printed_sentence(printed))
    for order, reason in batch.skipped:
        say(out, _("{order}: skipped — {reason}").format(order=order, reason=reason))
    if not batch.printed and not batch.skipped:
        say(out, _("No new orders to print."))


def _printed_sentence(printed: Printed) -> str:
    order = printed.entry.order.order_id
    if printed.reprint:
        return _("{order} printed again ({document}); the operator already knows it is "
                 "printed.").format(order=order, document=printed.detalization_id)
    return _("{order} printed ({document}) with its cover sheet; reported to the operator "
             "as printed.").format(order=order, document=printed.detalization_id)


def printed_dict(printed: Printed) -> dict[str, Any]:
    return {**entry_dict(printed.entry), "detalization": printed.detalization_id,
            "files": [str(p) for p in printed.files], "reprint": printed.reprint,
            "print_jobs": [{"id": j.id, "state": j.state.value} for j in printed.jobs]}


# -- hand-over -------------------------------------------------------------------------------------

def run_hand_over(args: argparse.Namespace, wiring: Wiring, out: TextIO) -> None:
    clerk = wiring.session()
    handed = _service(wiring).hand_over(clerk, args.order)
    if args.json:
        print_json(handed_dict(handed), out)
        return
    say(out, _("{order} handed over; the receipt {receipt} went to the printer "
               "({path}).").format(order=handed.entry.order.order_id,
                                   receipt=handed.receipt_id, path=handed.receipt))


def handed_dict(handed: HandedOver) -> dict[str, Any]:
    presented = handed.presented
    return {**entry_dict(handed.entry), "receipt": handed.receipt_id,
            "receipt_path": str(handed.receipt),
            "print_job": {"id": handed.job.id, "state": handed.job.state.value},
            "presented_by": None if presented is None else {
                "presenter": presented.presenter.value, "document": presented.document.value,
                "last4": presented.last4}}


# -- destroy ---------------------------------------------------------------------------------------

def run_destroy(args: argparse.Namespace, wiring: Wiring, out: TextIO) -> None:
    _one_or_all(args, "all_expired")
    if not args.yes:
        raise InputError(_("Destroying needs the clerk's confirmation: add --yes (see the "
                           "list with salon pickup list --expired); nothing was changed."))
    clerk = wiring.session()
    service = _service(wiring)
    if args.order is not None:
        entry = service.destroy(clerk, args.order, confirmed=True)
        if args.json:
            print_json(entry_dict(entry), out)
        else:
            say(out, _("{order} destroyed; its local copies were deleted and the operator "
                       "told.").format(order=entry.order.order_id))
        return
    try:
        done, skipped = service.destroy_all_expired(clerk, confirmed=True,
                                                    progress=batch_progress())
    finally:
        end_progress()
    if args.json:
        print_json({"destroyed": [entry_dict(e) for e in done],
                    "skipped": [{"order": o, "reason": r} for o, r in skipped]}, out)
        return
    for entry in done:
        say(out, _("{order} destroyed; its local copies were deleted and the operator "
                   "told.").format(order=entry.order.order_id))
    for order, reason in skipped:
        say(out, _("{order}: skipped — {reason}").format(order=order, reason=reason))
    if not done and not skipped:
        say(out, _("No orders wait for destruction."))


# -- parts -----------------------------------------------------------------------------------------

def _utc(moment: Any) -> str:
    return str(moment.strftime("%Y-%m-%dT%H:%M:%SZ"))
