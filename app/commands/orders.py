"""salon tariff PHONE CODE;  salon service add|remove PHONE CODE;  salon assistant connect PHONE
— each with [--yes] [--json] [--queue-if-offline] [--deliver paper|email|archive …] (the slip).

The flow of the window's dialogs, on a terminal: the rules the card already shows (R1 first)
refuse before anything is asked of the operator; then the operator's preview (the fee, the
monthly cost before → after, the balance before → after, a trial notice, what a tariff change
disconnects: R4, R5); an explicit confirmation (y/N on a terminal; `--yes` otherwise); the
order through the outbox; the result and the confirmation slip's path.

Exit codes: 0 done; 1 the clerk declined; 2 bad input (number, code, no --yes without a
terminal); 3 refused, the rule named (also: the subscriber changed since the preview); 5 the
operator did not confirm — the message says whether the change was queued; 6 the change is
done but its slip was not printed (kept; its path given; `salon print` prints it again — the
slip only, never the change).
"""

from __future__ import annotations

import argparse
import sys
from typing import TYPE_CHECKING, Any, NoReturn, TextIO

from app import formatting
from app.cli import Wiring
from app.commands.delivering import Delivery, add_delivery_arguments
from app.commands.output import print_json, say, with_report
from app.errors import InputError, OperatorUnavailable, RuleRefused, SalonError
from app.i18n import _
from app.inputs import catalog_code
from app.phone import format_msisdn, parse_msisdn
from models.domain import Session, SubscriberCard
from models.order_codec import item_to_dict, preview_to_dict, request_to_dict, result_to_dict
from models.orders import (
    OrderAction,
    OrderPreview,
    SubmitOutcome,
    SubmitStatus,
)

if TYPE_CHECKING:
    from app.flows.orders import OrderFlow
    from app.services.delivery import Deliverable

ASSISTANT = "ASSISTANT"
YES = {"y", "yes", "д", "да"}


def register(commands: argparse._SubParsersAction) -> None:
    tariff = commands.add_parser("tariff", help="change a subscriber's tariff plan")
    tariff.add_argument("phone", help="the subscriber's number")
    tariff.add_argument("code", help="the new tariff's code (see `salon tariffs`)")
    _flags(tariff)
    tariff.set_defaults(handler=run_tariff)

    service = commands.add_parser("service", help="connect or disconnect a service")
    actions = service.add_subparsers(dest="service_command", metavar="add|remove",
                                     required=True)
    for name, text in (("add", "connect a service"), ("remove", "disconnect a service")):
        parser = actions.add_parser(name, help=text)
        parser.add_argument("phone", help="the subscriber's number")
        parser.add_argument("code", help="the service's code (see `salon services`)")
        _flags(parser)
        parser.set_defaults(handler=run_service)

    assistant = commands.add_parser("assistant", help="the Electronic Assistant")
    actions = assistant.add_subparsers(dest="assistant_command", metavar="connect",
                                       required=True)
    connect = actions.add_parser("connect", help="connect the Electronic Assistant (free; "
                                                 "not on corporate and VIP tariffs, R1)")
    connect.add_argument("phone", help="the subscriber's number")
    _flags(connect)
    connect.set_defaults(handler=run_assistant)


def _flags(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--yes", action="store_true",
                        help="confirm without asking (after the preview is printed)")
    parser.add_argument("--json", action="store_true", help="print one JSON object")
    parser.add_argument("--queue-if-offline", action="store_true",
                        help="if the operator does not confirm it, queue the change to be "
                             "sent when it answers (otherwise: asked on a terminal, else "
                             "cancelled when it surely never left)")
    add_delivery_arguments(parser, "confirmation slip")


def run_tariff(args: argparse.Namespace, wiring: Wiring, out: TextIO) -> None:
    _place(args, wiring, out, OrderAction.CHANGE_TARIFF, args.code)


def run_service(args: argparse.Namespace, wiring: Wiring, out: TextIO) -> None:
    code = catalog_code(args.code)
    if args.service_command == "remove":
        _place(args, wiring, out, OrderAction.REMOVE_SERVICE, code)
    elif code == ASSISTANT:  # the contract: the same as connecting the Assistant
        _place(args, wiring, out, OrderAction.CONNECT_ASSISTANT, None)
    else:
        _place(args, wiring, out, OrderAction.ADD_SERVICE, code)


def run_assistant(args: argparse.Namespace, wiring: Wiring, out: TextIO) -> None:
    _place(args, wiring, out, OrderAction.CONNECT_ASSISTANT, None)


# -- the flow ----------------------------------------------------------------------------------

def _place(args: argparse.Namespace, wiring: Wiring, out: TextIO, action: OrderAction,
           code: str | None) -> None:
    msisdn = parse_msisdn(args.phone)  # a typo is refused before anything is started
    code = catalog_code(code) if code is not None else None
    delivery = Delivery(args, wiring)  # checked before anything is asked of the operator
    clerk = wiring.session()
    services = wiring.services()
    from app.flows.orders import OrderFlow

    flow = OrderFlow(services.orders, clerk)
    names = flow.catalog_names(action)
    request = flow.request(msisdn, action, code)
    report: dict[str, Any] = {"status": "refused", "message": "",
                              "request": request_to_dict(request), "preview": None,
                              "item": None, "result": None, "slip_path": None,
                              "queued": False, "changes": [], "delivery": None}
    card = services.lookup.lookup(msisdn, clerk)
    option = flow.option_for(flow.options(card), request)
    try:
        preview = flow.preview(option or request)
    except RuleRefused as ruled_out:  # R1 and the card's other rules, first
        _fail(args, out, report, str(ruled_out), ruled_out)
    report["preview"] = preview_to_dict(preview)
    if not args.json:
        for line in preview_lines(card, preview, names.get(code or "", "")):
            say(out, line)
    refusal = flow.refusal(preview)
    if refusal is not None:
        _fail(args, out, report, str(refusal), refusal)
    if not _confirmed(args):
        report["status"] = "declined"
        _fail(args, out, report, _("Nothing was changed."),
              SalonError(_("Nothing was changed.")))

    outcome = flow.submit(preview)
    report.update(status=outcome.status.value, message=outcome.message,
                  item=item_to_dict(outcome.item), slip_path=outcome.slip_path,
                  result=None if outcome.item.result is None
                  else result_to_dict(outcome.item.result))
    if outcome.status is SubmitStatus.DONE:
        _done(args, out, report, outcome, delivery, clerk)
        return
    if outcome.status is SubmitStatus.STALE:
        changes = flow.changed(card, services.lookup.lookup(msisdn, clerk)).changes
        report["changes"] = list(changes)
        _fail(args, out, report, outcome.message, RuleRefused(
            outcome.message, rule=outcome.item.refusal_rule or "version_mismatch"), lines=[
            _("What changed since the preview:"), *(f"  {c}" for c in changes)])
    if outcome.status is SubmitStatus.REJECTED:
        _fail(args, out, report, outcome.message,
              RuleRefused(outcome.message, rule=outcome.item.refusal_rule or "refused"))
    _unreachable(args, out, report, flow, outcome)


def preview_lines(card: SubscriberCard, preview: OrderPreview, target: str) -> list[str]:
    subscriber = card.subscriber
    request = preview.request
    who = f"{format_msisdn(subscriber.msisdn)} ({subscriber.name})"
    if request.action is OrderAction.CHANGE_TARIFF:
        what = _("Change of tariff for {who}: «{old}» → «{new}»").format(
            who=who, old=subscriber.tariff.name, new=target or request.code)
    elif request.action is OrderAction.REMOVE_SERVICE:
        what = _("Disconnect «{service}» for {who}").format(service=target or request.code,
                                                           who=who)
    elif request.action is OrderAction.CONNECT_ASSISTANT:
        what = _("Connect the Electronic Assistant for {who} (free, no monthly fee)").format(
            who=who)
    else:
        what = _("Connect «{service}» for {who}").format(service=target or request.code,
                                                        who=who)
    lines = [what,
             "  " + _("One-off fee: {fee}").format(fee=formatting.money(preview.fee)),
             "  " + _("Monthly cost: {before} → {after}").format(
                 before=formatting.money(preview.monthly_cost_before),
                 after=formatting.money(preview.monthly_cost_after)),
             "  " + _("Main balance: {before} → {after}").format(
                 before=formatting.money(preview.balance_before),
                 after=formatting.money(preview.balance_after))]
    if preview.trial is not None:
        lines.append("  " + _("Trial operation from {start} to {end}: proper service cannot "
                              "be guaranteed (R5).").format(
            start=preview.trial.start.strftime("%d.%m.%Y"),
            end=preview.trial.end.strftime("%d.%m.%Y")))
    if preview.dropped_services:
        lines.append("  " + _("The change disconnects: {services}").format(
            services=", ".join(f"«{s.name}»" for s in preview.dropped_services)))
    return lines


def _confirmed(args: argparse.Namespace) -> bool:
    if args.yes:
        return True
    if not sys.stdin.isatty():
        raise InputError(_("Nothing was changed: add --yes to confirm the change "
                           "(there is no terminal to ask on)."))
    return _ask(_("Confirm the change? [y/N] "))


def _ask(prompt: str) -> bool:
    sys.stderr.write(prompt)
    sys.stderr.flush()
    return sys.stdin.readline().strip().lower() in YES


def _done(args: argparse.Namespace, out: TextIO, report: dict[str, Any],
          outcome: SubmitOutcome, delivery: Delivery, clerk: Session) -> None:
    """The change is done; then its slip is delivered. A delivery that fails is reported
    after the change (which stands: it is never repeated) and then raised (exit 6 for paper)."""
    lines = []
    failure: SalonError | None = None
    report["delivery"] = delivery.as_json(None)
    if outcome.slip_path:
        lines.append(_("Confirmation slip: {path}").format(path=outcome.slip_path))
        try:
            delivered = delivery.deliver(clerk, _slip(outcome, report))
        except SalonError as error:
            failure = error
            report["delivery"]["message"] = str(error)
        else:
            report["delivery"] = delivery.as_json(delivered)
            if delivered is not None:
                lines.append(delivered.sentence)
    else:
        lines.append(_("The confirmation slip could not be made; the change is done "
                       "all the same."))
        if not delivery.to_file:
            failure = SalonError(_("The change is done, but there is no slip to deliver."))
    if failure is not None:
        _fail(args, out, report, outcome.message, failure, lines=lines)
    _finish(args, out, report, outcome.message, lines=lines)


def _slip(outcome: SubmitOutcome, report: dict[str, Any]) -> Deliverable:
    from pathlib import Path

    from app.services.delivery import Deliverable  # loaded by now: the services are built
    from models.printing import DocumentKind

    assert outcome.slip_path is not None
    result = outcome.item.result
    order = result.order_id if result is not None else ""
    return Deliverable(Path(outcome.slip_path), DocumentKind.SLIP,
                       subscriber=report["request"]["msisdn"],
                       documents=f"order {order}".strip(), title=Path(outcome.slip_path).name)


def _unreachable(args: argparse.Namespace, out: TextIO, report: dict[str, Any],
                 flow: OrderFlow, outcome: SubmitOutcome) -> None:
    """The operator did not confirm it: queue it (--queue-if-offline, or the clerk's "yes" on
    a terminal), else cancel it — which only works when it surely never left; otherwise it
    stays queued and the outbox settles it."""
    keep = args.queue_if_offline or (sys.stdin.isatty() and _ask(
        _("The operator did not confirm the change. Queue it to be sent when it answers? "
          "[y/N] ")))
    from app.flows.orders import Settled

    settlement = flow.settle(outcome.item.id, keep=keep)
    item = settlement.item
    if settlement.kind is Settled.QUEUED:
        message = _("{reason} The change is queued (#{id}): it is sent when the operator "
                    "answers — by the console's window, or with `salon outbox send`.").format(
            reason=outcome.message, id=item.id)
    elif settlement.kind is Settled.CANCELLED:
        message = _("{reason} The change was cancelled; nothing reached the "
                    "operator.").format(reason=outcome.message)
    else:
        message = _("{reason} It may have reached the operator, so it was not cancelled: "
                    "it stays queued (#{id}) until the console learns what became of it "
                    "(`salon outbox send`, or the console's window).").format(
            reason=outcome.message, id=item.id)
    queued = settlement.kind is not Settled.CANCELLED
    report.update(item=item_to_dict(item), queued=queued)
    _fail(args, out, report, message,
          OperatorUnavailable(message, queued=queued, maybe_delivered=item.maybe_delivered))


def _fail(args: argparse.Namespace, out: TextIO, report: dict[str, Any], message: str,
          error: SalonError, lines: list[str] | None = None) -> NoReturn:
    """End with `error`: its sentence goes to stderr (app/cli.py); the report goes with it as
    the one --json object, or its lines are printed first."""
    report["message"] = message
    if args.json:
        raise with_report(error, report)
    if report["status"] == "done":
        say(out, message)
    for line in lines or []:
        say(out, line)
    raise error


def _finish(args: argparse.Namespace, out: TextIO, report: dict[str, Any], message: str,
            lines: list[str] | None = None) -> None:
    """Print the outcome: the JSON object with --json, else the sentence and any lines (a
    failure's sentence goes to stderr when the caller raises it)."""
    report["message"] = message
    if args.json:
        print_json(report, out)
        return
    if report["status"] == "done":
        say(out, message)
    for line in lines or []:
        say(out, line)
