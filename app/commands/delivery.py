"""salon email FILE [--to ADDRESS [--given-by-holder]] [--phone PHONE] [--json]
salon archive list PHONE [--json];  salon archive upload PHONE FILE [--json]
salon archive fetch ID [-o PATH] [--json]
salon subscription add PHONE --email ADDRESS [--format FMT];  … list [--json];  … remove ID
salon deliver-due [--json]

E-mail through the salon's relay, the operator's personal archive (3 days, R9), and the
monthly e-mail detalization: `deliver-due` sends what is due, each month once, for a
scheduler (the window does it at start and every hour).
"""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import TYPE_CHECKING, Any, TextIO

from app.cli import Wiring
from app.commands import arguments
from app.commands.output import print_json, say, with_report
from app.errors import InputError, SalonError
from app.formatting import mask_email
from app.i18n import _
from app.phone import format_msisdn, parse_msisdn

if TYPE_CHECKING:  # peewee modules: loaded when a command runs, not at the console's start
    from models.archive import ArchivedDocument
    from models.periodic import Subscription

FORMATS = ("pdf", "html", "xlsx", "csv", "txt")


def register(commands: argparse._SubParsersAction) -> None:
    mail = commands.add_parser("email", help="e-mail a document to a subscriber")
    mail.add_argument("file", type=Path)
    mail.add_argument("--to", metavar="ADDRESS",
                      help="an address the operator holds for the subscriber, or one the "
                           "identified holder gives at the counter (--given-by-holder); "
                           "default: the operator's (preferred) address")
    mail.add_argument("--given-by-holder", action="store_true",
                      help="the holder, identified in this visit, gave --to at the counter")
    mail.add_argument("--phone", help="the subscriber's number (default: the subscriber "
                                      "identified in this visit at this counter)")
    mail.add_argument("--json", action="store_true")
    mail.set_defaults(handler=run_email)

    archive = commands.add_parser("archive", help="the subscriber's personal archive (3 days)")
    actions = archive.add_subparsers(dest="archive_command", required=True,
                                     metavar="list|upload|fetch")
    listing = actions.add_parser("list", help="the documents kept for the number, with expiry")
    listing.add_argument("phone")
    listing.add_argument("--json", action="store_true")
    listing.set_defaults(handler=run_archive_list)
    upload = actions.add_parser("upload", help="put a document into the number's archive")
    upload.add_argument("phone")
    upload.add_argument("file", type=Path)
    upload.add_argument("--json", action="store_true")
    upload.set_defaults(handler=run_archive_upload)
    fetch = actions.add_parser("fetch", help="fetch a document again, until it expires")
    fetch.add_argument("id", type=arguments.document_id)
    fetch.add_argument("-o", "--output", type=arguments.output_file,
                       help="where to save it (default: the console's documents folder)")
    fetch.add_argument("--json", action="store_true")
    fetch.set_defaults(handler=run_archive_fetch)

    subscription = commands.add_parser(
        "subscription", help="monthly e-mail detalization for a number")
    sub = subscription.add_subparsers(dest="subscription_command", required=True,
                                      metavar="add|list|remove")
    add = sub.add_parser("add", help="send the number its detalization every month")
    add.add_argument("phone")
    add.add_argument("--email", metavar="ADDRESS",
                     help="an address the operator holds, or one the identified holder gives "
                          "(--given-by-holder); default: the operator's (preferred) address")
    add.add_argument("--given-by-holder", action="store_true",
                     help="the holder, identified in this visit, gave --email at the counter")
    add.add_argument("--format", choices=FORMATS, default="pdf")
    add.add_argument("--json", action="store_true")
    add.set_defaults(handler=run_subscribe)
    listed = sub.add_parser("list", help="the active subscriptions and their months")
    listed.add_argument("--json", action="store_true")
    listed.set_defaults(handler=run_subscriptions)
    remove = sub.add_parser("remove", help="stop a subscription (its address is forgotten)")
    remove.add_argument("id", type=arguments.row_id(_("The subscription's number")))
    remove.set_defaults(handler=run_unsubscribe)

    due = commands.add_parser(
        "deliver-due", help="send the monthly e-mail detalizations that are due (each once)")
    due.add_argument("--json", action="store_true")
    due.set_defaults(handler=run_deliver_due)




def run_email(args: argparse.Namespace, wiring: Wiring, out: TextIO) -> None:
    if args.given_by_holder and not args.to:
        raise InputError(_("--given-by-holder goes with --to: the address the holder gave."))
    subscriber = parse_msisdn(args.phone) if args.phone else ""
    if args.to:
        wiring.services().email.check_address(args.to)  # a typo is refused before all else
    clerk = wiring.session()
    services = wiring.services()
    email = services.email
    # R10 (app/services/recipients.py): the document goes only to the subscriber — without
    # --phone, the one identified in this visit; to the operator's address or the holder's.
    to = args.to or _held_address(email, clerk, subscriber)
    sent = email.send(clerk, args.file, to, letter=_letter(args.file.name, services),
                      subscriber=subscriber, given=args.given_by_holder)
    if args.json:
        print_json({"to": sent.to_masked, "kind": sent.kind.value if sent.kind else None,
                    "message_id": sent.message_id, "attachment": sent.attachment,
                    "size": sent.size}, out)
        return
    say(out, _("Sent by e-mail to {address} ({kind}).").format(
        address=sent.to_masked, kind=_kind_name(sent)))


def _held_address(email: Any, clerk: Any, subscriber: str) -> str:
    """The operator's (preferred) address of the subscriber ("": the visit's)."""
    return str(email.held_address(clerk, subscriber))


def _kind_name(sent: Any) -> str:
    from app.services.recipients import kind_name

    return kind_name(sent.kind) if sent.kind is not None else "—"


def archived_dict(doc: ArchivedDocument) -> dict[str, Any]:
    return {"id": doc.id, "name": doc.name, "content_type": doc.content_type,
            "size": doc.size, "sha256": doc.sha256,
            "uploaded_at": doc.uploaded_at.isoformat().replace("+00:00", "Z"),
            "expires_at": doc.expires_at.isoformat().replace("+00:00", "Z")}


def run_archive_list(args: argparse.Namespace, wiring: Wiring, out: TextIO) -> None:
    clerk = wiring.session()  # a subscriber's documents: a signed-in clerk only
    archive = wiring.services().archive
    documents = archive.documents(clerk, args.phone)
    if args.json:
        print_json([archived_dict(doc) for doc in documents], out)
        return
    if not documents:
        say(out, _("The personal archive of {phone} is empty.").format(
            phone=format_msisdn(parse_msisdn(args.phone))))
    for doc in documents:
        say(out, _("{id}  {name}  kept until {until}").format(
            id=doc.id, name=doc.name, until=archive.expires_text(doc)))


def run_archive_upload(args: argparse.Namespace, wiring: Wiring, out: TextIO) -> None:
    clerk = wiring.session()
    archive = wiring.services().archive
    doc = archive.upload(clerk, args.phone, args.file)
    if args.json:
        print_json(archived_dict(doc), out)
        return
    say(out, _("Put into the personal archive as {id}; it can be fetched until {until}.").format(
        id=doc.id, until=archive.expires_text(doc)))


def run_archive_fetch(args: argparse.Namespace, wiring: Wiring, out: TextIO) -> None:
    clerk = wiring.session()
    archive = wiring.services().archive
    path = archive.fetch(clerk, args.id, args.output)
    if args.json:
        print_json({"id": args.id, "path": str(path)}, out)
        return
    say(out, _("Fetched from the archive: {path}").format(path=path))


def subscription_dict(sub: Subscription, months: list[dict[str, Any]]) -> dict[str, Any]:
    return {"id": sub.id, "msisdn": sub.msisdn, "email": mask_email(sub.email),
            "format": sub.format, "first_period": sub.first_period,
            "created_by": sub.created_by,
            "created_at": sub.created_at.isoformat().replace("+00:00", "Z"),
            "months": months}


def run_subscribe(args: argparse.Namespace, wiring: Wiring, out: TextIO) -> None:
    clerk = wiring.session()
    periodic = wiring.services().periodic
    if args.given_by_holder and not args.email:
        raise InputError(_("--given-by-holder goes with --email: the address the holder "
                           "gave."))
    sub = periodic.subscribe(clerk, args.phone, args.email or "", args.format,
                             given=args.given_by_holder)
    if args.json:
        print_json(subscription_dict(sub, []), out)
        return
    say(out, _("Subscription {id}: {phone} gets its detalization ({format}) by e-mail at "
               "{address} every month, from {first} on.").format(
        id=sub.id, phone=format_msisdn(sub.msisdn), format=sub.format,
        address=mask_email(sub.email), first=sub.first_period))


def run_subscriptions(args: argparse.Namespace, wiring: Wiring, out: TextIO) -> None:
    wiring.session()
    periodic = wiring.services().periodic
    subs = periodic.subscriptions()
    runs = periodic.runs()
    months = {sub.id: [{"period": r.period, "state": r.state, "attempts": r.attempts,
                        "document_id": r.document_id, "last_error": r.last_error}
                       for r in runs if r.subscription_id == sub.id] for sub in subs}
    if args.json:
        print_json([subscription_dict(sub, months[sub.id]) for sub in subs], out)
        return
    if not subs:
        say(out, _("No number is subscribed to the monthly detalization."))
    for sub in subs:
        sent = ", ".join(f"{m['period']} {m['state']}" for m in months[sub.id]) or "—"
        say(out, f"#{sub.id} {format_msisdn(sub.msisdn)} → {mask_email(sub.email)} "
                 f"({sub.format}, {sub.first_period}…): {sent}")


def run_unsubscribe(args: argparse.Namespace, wiring: Wiring, out: TextIO) -> None:
    clerk = wiring.session()
    periodic = wiring.services().periodic
    sub = periodic.unsubscribe(clerk, args.id)
    say(out, _("Subscription {id} is removed; its address is forgotten.").format(id=sub.id))


def run_deliver_due(args: argparse.Namespace, wiring: Wiring, out: TextIO) -> None:
    periodic = wiring.services().periodic
    report = periodic.deliver_due()
    as_json = {"sent": [{"subscription": s, "period": p, "to": to} for s, p, to in report.sent],
               "failed": [{"subscription": s, "period": p, "error": e}
                          for s, p, e in report.failed]}
    if args.json and not report.failed:
        print_json(as_json, out)
    elif not args.json:
        for sub_id, period, to in report.sent:
            say(out, _("Sent: subscription {id}, {period}, to {address}.").format(
                id=sub_id, period=period, address=to))
        for sub_id, period, error in report.failed:
            say(out, _("Not sent: subscription {id}, {period}: {error}").format(
                id=sub_id, period=period, error=error))
        if report.nothing:
            say(out, _("Nothing is due."))
    if report.failed:
        raise with_report(SalonError(_(
            "{count} monthly letters were not sent; they are tried again in an hour."
        ).format(count=len(report.failed))), as_json)


def _letter(name: str, services: Any) -> Any:
    from app.services.email import document_letter

    return document_letter(name, services.settings.salon)
