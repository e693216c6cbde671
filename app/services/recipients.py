"""Delivery goes only to the subscriber (issue 14.5, under R10): a subscriber's document is
e-mailed, and the monthly detalization subscribed, only to

- an address the operator holds for the subscriber (TMF629 `contactMedium`,
  app/operator_api/contacts.py), or
- an address the identified holder gives at the counter in this visit — the holder, not a
  representative: a power of attorney to act for the subscriber is not the subscriber's word
  on where their calls go. The clerk says so (`--given-by-holder`, or the dialog's tick);
  the journal keeps it masked, with its kind.

Anything else is refused (AddressRefused, exit 3, naming R10) before anything is made or
sent. When salon.ini's `[identity] require_for` leaves `delivery` out, the salon has chosen
not to check who stands at the counter for delivery, so the address is not checked either
(its kind says "unchecked" in the journal).
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum
from typing import Protocol

from app.errors import AddressRefused, IdentityRequired
from app.formatting import mask_email
from app.i18n import _
from app.services.identity import IdentityGate
from models.domain import Session
from models.identity import Need, Presenter


class AddressKind(StrEnum):
    OPERATOR = "operator"  # the operator holds it for the subscriber
    COUNTER = "counter"  # the identified holder gave it at the counter
    UNCHECKED = "unchecked"  # [identity] require_for leaves delivery out


class ContactReads(Protocol):
    """The operator's addresses of a subscriber (OperatorClient.email_addresses)."""

    def email_addresses(self, msisdn: str) -> tuple[str, ...]: ...


@dataclass(frozen=True)
class Recipient:
    address: str  # as it will be used
    kind: AddressKind

    @property
    def masked(self) -> str:
        return mask_email(self.address)

    @property
    def journal_text(self) -> str:
        """"i***@mail.ru (operator)": the journal's and the daily log's words, never more."""
        return f"{self.masked} ({self.kind.value})"


def kind_name(kind: AddressKind) -> str:
    """The clerk's words for where an address came from."""
    names = {AddressKind.OPERATOR: _("the address the operator holds"),
             AddressKind.COUNTER: _("given by the holder at the counter"),
             AddressKind.UNCHECKED: _("not checked")}
    return names[kind]


def same_address(one: str, other: str) -> bool:
    """One mailbox, however its letters' case is written (mail systems treat it so)."""
    return one.strip().casefold() == other.strip().casefold()


class Recipients:
    def __init__(self, contacts: ContactReads | None, identity: IdentityGate) -> None:
        """`contacts`: None when the console has no operator to ask (then only an address the
        holder gives at the counter can be used)."""
        self._contacts = contacts
        self._identity = identity

    def held(self, clerk: Session, msisdn: str) -> tuple[str, ...]:
        """The addresses the operator holds for `msisdn` (after R10's `address`)."""
        self._identity.require(clerk, msisdn, Need.ADDRESS)
        return self._contacts.email_addresses(msisdn) if self._contacts is not None else ()

    def subscriber_of_visit(self, clerk: Session, need: Need = Need.DELIVERY) -> str:
        """The subscriber whose identity was checked in this visit: a document named without a
        number (`salon email FILE --to …`) is that subscriber's, or it is refused."""
        msisdn = self._identity.visit_subscriber(clerk)
        if msisdn is None:
            raise IdentityRequired(_(
                "R10: a document goes by e-mail only to the subscriber whose identity was "
                "checked in this visit; check it first (F2, or salon identify PHONE "
                "--document TYPE) and name the number (--phone)."), need=need.value)
        return msisdn

    def allowed(self, clerk: Session, msisdn: str, address: str, *,
                given: bool = False) -> Recipient:
        """`address` (already checked as an address) as a recipient of `msisdn`'s document,
        or AddressRefused / IdentityRequired. `given`: the clerk says the holder gave it at
        the counter now."""
        self._identity.require(clerk, msisdn, Need.DELIVERY)
        if not self._identity.needed(Need.DELIVERY):
            return Recipient(address, AddressKind.UNCHECKED)
        held = self._contacts.email_addresses(msisdn) if self._contacts is not None else ()
        if any(same_address(address, one) for one in held):
            return Recipient(address, AddressKind.OPERATOR)
        if not given:
            raise AddressRefused(_(
                "R10: {address} is not an address the operator holds for this subscriber. A "
                "document goes only to the subscriber: to the operator's address, or to one "
                "the holder gives at the counter (tick it, or --given-by-holder). Nothing was "
                "sent.").format(address=mask_email(address)))
        visit = self._identity.visit_of(clerk, msisdn)
        if visit is None or visit.presenter is not Presenter.HOLDER:
            raise AddressRefused(_(
                "R10: only the holder, identified in this visit, may give a new address; a "
                "representative may have documents sent only to the address the operator "
                "holds. Nothing was sent."))
        return Recipient(address, AddressKind.COUNTER)
