"""salon sandbox [--host] [--port] [--db] [--seed];  salon sandbox list [--json];
salon sandbox sms PHONE [--json];  salon sandbox clock [--advance DURATION] [--json];
salon sandbox order-paper PHONE --from YYYY-MM-DD --to YYYY-MM-DD [--salon ID] [--json]

`list` shows the demo subscribers with their made-up identity documents, representatives and
e-mail addresses (training data, to practise the identity check, R10); `sms` shows what the
subscriber's phone received (in training the only place an access code is seen, R2); `clock`
shows the sandbox's clock and moves it forward (a 24-hour lock ends, R3); `order-paper` orders
a paper detalization for pick-up at a salon (R11; salon.ini's by default), as the subscriber
would online. They need no clerk, and refuse (exit 3) when the operator is not the training
sandbox.
"""

from __future__ import annotations

import argparse
from datetime import timedelta
from typing import TYPE_CHECKING, Any, TextIO
from zoneinfo import ZoneInfo

from app import formatting
from app.cli import Wiring
from app.commands import arguments
from app.commands.log import parse_day
from app.commands.output import print_json, say
from app.errors import SalonError
from app.i18n import _
from app.phone import format_msisdn, parse_msisdn
from models.access_codes import utc_text
from models.domain import DemoDocument, DemoSubscriber

if TYPE_CHECKING:
    from app.services.registry import Services
    from app.services.training_world import TrainingWorld


def register(commands: argparse._SubParsersAction) -> None:
    sandbox = commands.add_parser(
        "sandbox", help="run the training operator API (or: sandbox list)",
        description="Without a subcommand: serve the sandbox operator API over HTTP. "
                    "The bearer token is $SALON_SANDBOX_TOKEN, or 'training'.",
    )
    sandbox.add_argument("--host", default="127.0.0.1")
    sandbox.add_argument("--port", type=arguments.number("--port", 1, 65535), default=8765)
    sandbox.add_argument("--db", type=arguments.output_file,
                         help="the demo world's database file")
    sandbox.add_argument("--seed", type=arguments.number("--seed", 0, 2**31),
                         help="the demo world's seed (salon.ini by default)")
    sandbox.set_defaults(handler=serve)
    subcommands = sandbox.add_subparsers(dest="sandbox_command", metavar="SUBCOMMAND")
    demo = subcommands.add_parser("list", help="list the demo subscribers")
    demo.add_argument("--json", action="store_true")
    demo.set_defaults(handler=list_demo)
    sms = subcommands.add_parser("sms", help="what the subscriber's phone received (training)")
    sms.add_argument("phone", help="the subscriber's number")
    sms.add_argument("--json", action="store_true", help="print a JSON array, newest first")
    sms.set_defaults(handler=show_sms)
    clock = subcommands.add_parser("clock", help="the sandbox clock; --advance moves it "
                                                 "forward (never back)")
    clock.add_argument("--advance", metavar="DURATION",
                       help="how far to move it: 90s, 15m, 24h, 1d, 1h30m")
    clock.add_argument("--json", action="store_true", help="print one JSON object")
    clock.set_defaults(handler=show_clock)
    paper = subcommands.add_parser(
        "order-paper", help="order a paper detalization for pick-up at a salon (training)")
    paper.add_argument("phone", help="the subscriber's number")
    paper.add_argument("--from", dest="start", required=True, metavar="YYYY-MM-DD",
                       help="the period's first day")
    paper.add_argument("--to", dest="end", required=True, metavar="YYYY-MM-DD",
                       help="the period's last day")
    paper.add_argument("--salon", metavar="ID",
                       help="the salon to pick it up at (salon.ini's [salon] id by default)")
    paper.add_argument("--json", action="store_true", help="print one JSON object")
    paper.set_defaults(handler=order_paper)
    stop = subcommands.add_parser(
        "stop", help="stop this data folder's training sandbox (the next command starts it "
                     "again)")
    stop.set_defaults(handler=stop_resident)


def serve(args: argparse.Namespace, wiring: Wiring, out: TextIO) -> None:
    wiring.serve_sandbox(args.host, args.port, args.db, args.seed)


def stop_resident(args: argparse.Namespace, wiring: Wiring, out: TextIO) -> None:
    """Without building the services: they would reach (and so start) the sandbox."""
    if wiring.stop_training_sandbox():
        say(out, _("The training sandbox of this data folder is stopped; the next command "
                   "starts it again."))
    else:
        say(out, _("No training sandbox is running for this data folder."))


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
                                       ("heavy", row.heavy),
                                       ("unverified", row.unverified)) if on]
        # Training data, made up: the documents a trainee types at the identity check (R10).
        papers = [] if row.document is None else [_document(row.document)]
        if row.representative is not None:
            papers.append(f"rep: {row.representative.name} "
                          f"({_document(row.representative.document)})")
        if row.email is not None:
            papers.append(f"email: {row.email}")
        say(out, f"{row.msisdn}  {row.tariff_class.value:<9} {row.region_code:<7} "
                 f"{row.status.value:<7} {row.tariff_code:<10} {' '.join(flags):<10} "
                 f"{'  '.join(papers)}".rstrip())


def _document(document: DemoDocument) -> str:
    return f"{document.type} {document.number}"


def _as_json(row: DemoSubscriber) -> dict[str, Any]:
    chosen = row.representative
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
        "document_type": None if row.document is None else row.document.type,
        "document_number": None if row.document is None else row.document.number,
        "unverified": row.unverified,
        "representative": None if chosen is None else {
            "name": chosen.name, "document_type": chosen.document.type,
            "document_number": chosen.document.number},
        "email": row.email,
    }


def order_paper(args: argparse.Namespace, wiring: Wiring, out: TextIO) -> None:
    msisdn = parse_msisdn(args.phone)
    start, end = parse_day(args.start), parse_day(args.end)
    services = wiring.services()
    salon = services.settings.salon
    today = services.clock.now().astimezone(ZoneInfo(salon.timezone)).date()
    placed = _world(services).order_paper(msisdn, start, end, args.salon or salon.id, today)
    if args.json:
        print_json({"order_id": placed.order_id, "msisdn": placed.msisdn,
                    "salon": placed.salon, "period_start": placed.period_start.isoformat(),
                    "period_end": placed.period_end.isoformat(),
                    "ordered_at": utc_text(placed.ordered_at), "state": placed.state}, out)
        return
    say(out, _("Order {order}: a paper detalization of {number} for {start} – {end}, to pick "
               "up at the salon {salon}.").format(
        order=placed.order_id, number=format_msisdn(placed.msisdn),
        start=placed.period_start.isoformat(), end=placed.period_end.isoformat(),
        salon=placed.salon))


def show_sms(args: argparse.Namespace, wiring: Wiring, out: TextIO) -> None:
    msisdn = parse_msisdn(args.phone)
    services = wiring.services()
    messages = _world(services).sms(msisdn)
    if args.json:
        print_json([{"id": m.id, "from": m.sender, "to": m.to, "text": m.text,
                     "sent_at": utc_text(m.sent_at)} for m in messages], out)
        return
    if not messages:
        say(out, _("The phone of {number} has received no SMS.")
                 .format(number=format_msisdn(msisdn)))
        return
    zone = services.settings.salon.timezone
    for message in messages:
        when = formatting.local_datetime(message.sent_at, zone, with_zone=True)
        say(out, f"{when}  {_('SMS from {sender}').format(sender=message.sender)}: {message.text}")


def show_clock(args: argparse.Namespace, wiring: Wiring, out: TextIO) -> None:
    from app.services.training_world import parse_duration

    seconds = parse_duration(args.advance) if args.advance is not None else None
    services = wiring.services()
    world = _world(services)
    time = world.clock() if seconds is None else world.advance(seconds)
    if args.json:
        print_json({"now": utc_text(time.now), "offset_seconds": time.offset_seconds}, out)
        return
    when = formatting.local_datetime(time.now, services.settings.salon.timezone,
                                     with_zone=True)
    if time.offset_seconds > 0:
        say(out, _("Sandbox time: {when} (ahead of real time by {offset}).").format(
            when=when, offset=formatting.age(timedelta(seconds=time.offset_seconds))))
    else:
        say(out, _("Sandbox time: {when} (the same as real time).").format(when=when))


def _world(services: Services) -> TrainingWorld:
    """The training world; on a real operator its calls refuse with `not_sandbox`."""
    return services.sandbox
