"""salon code issue|status|verify PHONE [--json];  salon code leaflet [PHONE] [-o PATH] [--json]
    [--deliver file|paper|email|archive] [--email ADDRESS] [--printer NAME]

The Electronic Assistant's access code (R1, R2, R3). The code goes by SMS to the subscriber's
phone only; the console never prints it and never takes it on the command line: `verify`
reads the subscriber's entry from a hidden prompt on a terminal, else one line of standard
input (after the clerk's password line, when SALON_PASSWORD is not set).

Exit codes: 0 done / correct; 1 wrong code (the message says how many attempts are left);
2 bad input (a malformed number, an entry that is not 6 digits: not sent, not counted);
3 refused by a rule (R1, subscriber_blocked, assistant_not_connected, no_code);
4 locked (R3: until when); 5 the operator cannot be reached (nothing is ever queued);
6 the leaflet was not printed (it is kept; the message gives its path).
"""

from __future__ import annotations

import argparse
from datetime import datetime
from typing import TYPE_CHECKING, Any, TextIO

from app.cli import Wiring
from app.commands import arguments
from app.commands.delivering import Delivery, add_delivery_arguments
from app.commands.output import print_json, say, with_report
from app.errors import (
    CodeLocked,
    InputError,
    OperatorUnavailable,
    RuleRefused,
    SalonError,
    WrongCode,
)
from app.i18n import _
from app.phone import format_msisdn, parse_msisdn
from models.access_codes import CodeState, VerifyOutcome, state_to_dict, utc_text
from models.domain import Session, SubscriberCard

if TYPE_CHECKING:
    from app.services.access_codes import AccessCodeService
    from app.services.registry import Services


def register(commands: argparse._SubParsersAction) -> None:
    code = commands.add_parser(
        "code", help="the Electronic Assistant's access code (issue, status, verify, leaflet)",
        description="The access code goes by SMS to the subscriber's phone only (R2). It is "
                    "never printed and never given on the command line.")
    actions = code.add_subparsers(dest="code_command", metavar="issue|status|verify|leaflet",
                                  required=True)
    issue = actions.add_parser("issue", help="send a new code by SMS to the subscriber")
    issue.add_argument("phone", help="the subscriber's number")
    issue.add_argument("--json", action="store_true", help="print one JSON object")
    issue.set_defaults(handler=run_issue)

    status = actions.add_parser("status", help="when issued, attempts left, locked until")
    status.add_argument("phone", help="the subscriber's number")
    status.add_argument("--json", action="store_true", help="print one JSON object")
    status.set_defaults(handler=run_status)

    verify = actions.add_parser(
        "verify", help="check the code the subscriber types (hidden prompt, or stdin)",
        description="The subscriber types the code at a hidden prompt; without a terminal it "
                    "is one line of standard input. There is no option to give it on the "
                    "command line.")
    verify.add_argument("phone", help="the subscriber's number")
    verify.add_argument("--json", action="store_true", help="print one JSON object")
    # Anything after the number (a code typed there by mistake) is refused without being
    # echoed, which argparse's own "unrecognized arguments" message would do.
    verify.add_argument("extra", nargs=argparse.REMAINDER, help=argparse.SUPPRESS)
    verify.set_defaults(handler=run_verify)

    leaflet = actions.add_parser("leaflet", help="the customer leaflet (PDF): how to connect "
                                                 "the Assistant and order a code")
    leaflet.add_argument("phone", nargs="?", help="the subscriber's number (printed masked); "
                                                  "without it, a blank leaflet")
    leaflet.add_argument("-o", "--output", type=arguments.output_file, metavar="PATH",
                         help="where to save it (default: <data_dir>/documents/leaflets/)")
    leaflet.add_argument("--json", action="store_true", help="print one JSON object")
    add_delivery_arguments(leaflet, "leaflet")
    leaflet.set_defaults(handler=run_leaflet)


# -- issue -----------------------------------------------------------------------------------

def run_issue(args: argparse.Namespace, wiring: Wiring, out: TextIO) -> None:
    msisdn = parse_msisdn(args.phone)  # a typo is refused before anything is started
    clerk = wiring.session()
    services = wiring.services()
    codes = _codes(services)
    card = _card(services, msisdn, clerk)
    zone = _zone(services, card)
    report: dict[str, Any] = {"status": "done", "message": "", "msisdn": msisdn, "rule": None,
                              "state": None}
    try:
        state = codes.issue(clerk, msisdn, card)
    except SalonError as error:
        _failed(report, error)
        raise
    from app.ui.presenters.access_codes import issued_message

    report.update(message=issued_message(state, format_msisdn(msisdn), zone).text,
                  state=state_to_dict(state))
    if args.json:
        print_json(report, out)
        return
    say(out, report["message"])
    for line in state_lines(state, zone):
        say(out, line)


# -- status ----------------------------------------------------------------------------------

def run_status(args: argparse.Namespace, wiring: Wiring, out: TextIO) -> None:
    msisdn = parse_msisdn(args.phone)
    clerk = wiring.session()
    services = wiring.services()
    codes = _codes(services)
    card = _card(services, msisdn, clerk)
    availability = codes.availability(card) if card is not None else None
    state = codes.state(clerk, msisdn)
    zone = _zone(services, card)
    refusal = None
    if availability is not None and not availability.available:
        refusal = {"rule": availability.rule, "message": availability.reason}
    if args.json:
        print_json({**state_to_dict(state), "available": refusal is None, "refusal": refusal},
                   out)
        return
    say(out, format_msisdn(msisdn))
    for line in state_lines(state, zone):
        say(out, line)
    if refusal is not None:
        say(out, _("Not available: {reason}").format(reason=refusal["message"]))


def state_lines(state: CodeState, zone: str) -> list[str]:
    from app.ui.presenters.access_codes import state_fields

    lines = []
    for field in state_fields(state, state.as_of, zone):
        lines.append(f"  {field.label}: {field.value}")
        if field.note:
            lines.append(f"  {' ' * len(field.label)}  {field.note}")
    return lines


# -- verify ----------------------------------------------------------------------------------

def run_verify(args: argparse.Namespace, wiring: Wiring, out: TextIO) -> None:
    msisdn = parse_msisdn(args.phone)
    extra = [word for word in args.extra if word != "--json"]
    json_out = args.json or "--json" in args.extra
    if extra:
        raise InputError(_(
            "The access code is never given on the command line (it would stay in the "
            "shell's history): the subscriber types it at the prompt, or a script sends it "
            "as one line of standard input. Nothing was checked."))
    clerk = wiring.session()  # the password first: on stdin its line comes before the code's
    services = wiring.services()
    codes = _codes(services)
    card = _card(services, msisdn, clerk)
    zone = _zone(services, card)
    report: dict[str, Any] = {"status": "", "message": "", "msisdn": msisdn,
                              "attempts_left": None, "locked_until": None, "rule": None}
    try:
        if card is not None and not codes.availability(card).available:
            # The card's rule refuses before the subscriber is asked to type anything; the
            # service checks the card before it looks at the (empty) entry, and journals it.
            codes.verify(clerk, msisdn, "", card)
        from app.commands.passwords import read_secret_line

        result = codes.verify(clerk, msisdn, read_secret_line(
            _("Access code (the subscriber types it; it is not shown): ")), card)
    except SalonError as error:
        _failed(report, error)
        raise
    from app.ui.presenters.access_codes import verify_message

    now = _operator_now(services, codes, clerk, msisdn)
    message = verify_message(result, now, zone).text
    report.update(status=result.outcome.value, message=message,
                  attempts_left=result.attempts_left, locked_until=utc_text(result.locked_until))
    if result.outcome is VerifyOutcome.OK:
        if json_out:
            print_json(report, out)
        else:
            say(out, message)
        return
    if result.outcome is VerifyOutcome.WRONG:
        raise with_report(WrongCode(message, result.attempts_left or 0), report)
    if result.outcome is VerifyOutcome.LOCKED:
        raise with_report(CodeLocked(message, result.locked_until), report)
    raise with_report(RuleRefused(message, rule="no_code"), report)


# -- leaflet ---------------------------------------------------------------------------------

def run_leaflet(args: argparse.Namespace, wiring: Wiring, out: TextIO) -> None:
    msisdn = parse_msisdn(args.phone) if args.phone else None
    if args.deliver == "archive" and msisdn is None:
        raise InputError(_("A document goes into a subscriber's personal archive: give "
                           "the number."))
    delivery = Delivery(args, wiring)  # checked before the leaflet is made
    clerk = wiring.session()
    leaflets = wiring.services().leaflets
    made = leaflets.make(clerk, msisdn, args.output.expanduser() if args.output else None)
    from app.services.delivery import Deliverable  # loaded by now: the services are built
    from models.printing import DocumentKind

    trial = None if made.trial is None else {"start": made.trial.start.isoformat(),
                                             "end": made.trial.end.isoformat()}
    report = {"path": str(made.path), "document_id": made.document_id, "sha256": made.sha256,
              "subscriber": made.subscriber or None, "trial": trial,
              "catalog_reached": made.catalog_reached, "delivery": delivery.as_json(None)}
    try:
        delivered = delivery.deliver(clerk, Deliverable(
            made.path, DocumentKind.LEAFLET, subscriber=msisdn or "", documents="leaflet"))
    except SalonError as error:  # the leaflet is made; --json says where it is
        with_report(error, report)
        raise
    if args.json:
        print_json({**report, "delivery": delivery.as_json(delivered)}, out)
        return
    say(out, _("Leaflet saved: {path}").format(path=made.path))
    if not made.catalog_reached:
        say(out, _("The catalog could not be read, so the trial-operation dates are not on it."))
    if delivered is not None:
        say(out, delivered.sentence)


# -- shared ----------------------------------------------------------------------------------

def _codes(services: Services) -> AccessCodeService:
    return services.access_codes


def _card(services: Services, msisdn: str, clerk: Session) -> SubscriberCard | None:
    """The card (its rules refuse first); None when the operator cannot be reached and no
    card is saved — then the code service itself says that codes are live only."""
    try:
        return services.lookup.lookup(msisdn, clerk)
    except OperatorUnavailable:
        return None


def _zone(services: Services, card: SubscriberCard | None) -> str:
    return card.subscriber.region.timezone if card is not None \
        else services.settings.salon.timezone


def _operator_now(services: Services, codes: AccessCodeService, clerk: Session,
                  msisdn: str) -> datetime:
    """The operator's clock for a lock's countdown (the sandbox's may run ahead)."""
    try:
        return codes.state(clerk, msisdn).as_of
    except SalonError:
        return services.clock.now()


def _failed(report: dict[str, Any], error: SalonError) -> SalonError:
    """The failure, carrying the command's object for --json (app/commands/output.py prints
    it, with the error, once)."""
    if isinstance(error, OperatorUnavailable):
        status = "unreachable"
    elif isinstance(error, InputError):
        status = "malformed"  # an entry that is not 6 digits: not sent, not counted
    elif isinstance(error, RuleRefused):
        status = "refused"
    else:
        status = "failed"
    report.update(status=status, message=str(error), rule=getattr(error, "rule", None))
    return with_report(error, report)
