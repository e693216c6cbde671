"""`--deliver file|paper|email|archive [--email ADDRESS] [--printer NAME]` for every command
that makes a document: `salon detalization`, `salon code leaflet`, and the operations (`salon
tariff|service|assistant`), whose document is the confirmation slip.

One way for all of them (app/services/delivery.py does the work): the choice is checked
before anything is made or changed (a malformed address, no printing here, a format paper
cannot take), and the document is delivered after it is made. A reprint or a failed print
never repeats what the document confirms: only the file is sent again. A print that fails
raises PrintFailed (exit 6, the document kept and its path in the message).
"""

from __future__ import annotations

import argparse
from typing import TYPE_CHECKING, Any

from app.commands import arguments
from app.errors import InputError
from app.i18n import _
from app.phone import parse_msisdn

if TYPE_CHECKING:
    from app.cli import Wiring
    from app.flows.detalization import Sending
    from app.services.delivery import Deliverable, Delivered, DeliveryMethod, DeliveryService
    from models.domain import Session

DELIVERIES = ("file", "paper", "email", "archive")


def add_delivery_arguments(parser: argparse.ArgumentParser, document: str) -> None:
    parser.add_argument("--deliver", choices=DELIVERIES, default="file",
                        help=f"how the {document} reaches the subscriber: file (default); "
                             "paper: print it on the counter's printer (PDF; exit 6 if "
                             "printing fails, the document kept); email: send it to --email; "
                             "archive: the subscriber's personal archive (3 days)")
    parser.add_argument("--email", metavar="ADDRESS",
                        help="the address for --deliver email: one the operator holds for the "
                             "subscriber, or one the identified holder gives at the counter "
                             "(--given-by-holder); any other is refused (R10)")
    parser.add_argument("--given-by-holder", action="store_true",
                        help="the holder, identified in this visit, gave --email at the counter "
                             "(journaled masked; a representative cannot)")
    parser.add_argument("--printer", metavar="NAME", type=arguments.printer,
                        help="the CUPS queue for --deliver paper")


class Delivery:
    """The command's delivery choice, checked before the document is made."""

    def __init__(self, args: argparse.Namespace, wiring: Wiring, fmt: str = "pdf", *,
                 check: bool = True) -> None:
        """`check=False`: the flags only; the caller's flow checks the target before it makes
        the document (app/flows/detalization.py)."""
        from app.services.delivery import DeliveryMethod

        self.method: DeliveryMethod = DeliveryMethod(args.deliver)
        self._to: str | None = args.email
        self._printer: str | None = args.printer
        self._given: bool = args.given_by_holder
        self._service: DeliveryService | None = None
        if args.email and self.method is not DeliveryMethod.EMAIL:
            raise InputError(_("--email goes with --deliver email."))
        if self._given and self.method is not DeliveryMethod.EMAIL:
            raise InputError(_("--given-by-holder goes with --deliver email."))
        if args.printer and self.method is not DeliveryMethod.PAPER:
            raise InputError(_("--printer goes with --deliver paper."))
        if self.method is DeliveryMethod.FILE:
            return
        self._service = wiring.services().delivery
        if not check:
            return
        if self.method is DeliveryMethod.EMAIL and self._to:  # R10: only to the subscriber
            phone = getattr(args, "phone", None)
            self._service.check(self.method, to=self._to, fmt=fmt, clerk=wiring.session(),
                                subscriber=parse_msisdn(phone) if phone else "",
                                given=self._given)
        else:
            self._service.check(self.method, to=self._to, fmt=fmt)  # before anything is made

    @property
    def sending(self) -> Sending:
        from app.flows.detalization import Sending

        return Sending(self.method, to=self._to, given=self._given, printer=self._printer)

    @property
    def to_file(self) -> bool:
        return self._service is None

    def deliver(self, clerk: Session, document: Deliverable) -> Delivered | None:
        """Send the made document; None for --deliver file (it is where it was saved)."""
        if self._service is None:
            return None
        return self._service.deliver(clerk, document, self.method, to=self._to,
                                     printer=self._printer, given=self._given)

    def as_json(self, delivered: Delivered | None) -> dict[str, Any]:
        """`"delivery"` in a command's JSON: the print job, the letter or the archived
        document as `salon print-jobs`, `salon email` and `salon archive` show them."""
        from app.commands.delivery import archived_dict
        from app.commands.printing import job_dict

        result: dict[str, Any] = {"method": self.method.value, "message": None}
        if delivered is None:
            return result
        result["message"] = delivered.sentence
        if delivered.print_job is not None:
            result["print_job"] = job_dict(delivered.print_job)
        if delivered.mail is not None:
            result["email"] = {"to": delivered.mail.to_masked,
                               "kind": delivered.mail.kind.value if delivered.mail.kind else None,
                               "message_id": delivered.mail.message_id}
        if delivered.archived is not None:
            result["archive"] = archived_dict(delivered.archived)
        return result
