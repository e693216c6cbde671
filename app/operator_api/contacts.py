"""The e-mail addresses the operator holds for a subscriber — a part of OperatorClient
(app/operator_api/client.py), for delivery that goes only to the subscriber (issue 14.5) and
the card's mailing address after R10.

- the line's customer: TMF637 `GET /product/{line id}?fields=id,productSerialNumber,
  relatedParty` (`relatedParty` role `customer`);
- their contact media: TMF629 `GET /customer/{id}?fields=id,engagedParty,contactMedium`: each
  `contactMedium[]` of `mediumType` `email` gives `characteristic.emailAddress`; other media
  (a postal address, a phone) are not read. The preferred one comes first. `engagedParty` is
  asked too: the published document requires it of every Customer it answers.

An address is personal data: the answer is validated as secret (the log names where it is
wrong, never a value), and the addresses stay in memory for the comparison and the masked
card.
"""

from __future__ import annotations

from pydantic import Field

from app.operator_api.line_parties import LineParties
from app.operator_api.tmf_wire import TmfWire

CUSTOMER_ROLE = "customer"
EMAIL_MEDIUM = "email"
MAX_MEDIA = 50  # a customer's contact media; more is not an answer a counter can use


class _MediumCharacteristic(TmfWire):
    email: str | None = Field(None, alias="emailAddress", max_length=320)


class _ContactMedium(TmfWire):
    """TMF629 `ContactMedium`: the kind, whether preferred, and its characteristic."""

    kind: str | None = Field(None, alias="mediumType", max_length=64)
    preferred: bool | None = None
    characteristic: _MediumCharacteristic | None = None


class _CustomerContacts(TmfWire):
    id: str = Field(min_length=1, max_length=200)
    media: list[_ContactMedium] = Field(default_factory=list, alias="contactMedium",
                                        max_length=MAX_MEDIA)

    def emails(self) -> tuple[str, ...]:
        """The e-mail addresses, the preferred first, each once (as the operator wrote it)."""
        emails = [m for m in self.media if (m.kind or "").lower() == EMAIL_MEDIUM
                  and m.characteristic is not None and m.characteristic.email]
        emails.sort(key=lambda m: not m.preferred)  # stable: the operator's order otherwise
        seen: dict[str, str] = {}
        for medium in emails:
            assert medium.characteristic is not None and medium.characteristic.email
            address = medium.characteristic.email.strip()
            seen.setdefault(address.casefold(), address)
        return tuple(seen.values())


class ContactCalls(LineParties):
    def email_addresses(self, msisdn: str) -> tuple[str, ...]:
        """The e-mail addresses the operator holds for the customer of the line with this
        number (E.164), the preferred first; () when it holds none. SubscriberNotFound when
        there is no live line; OperatorProtocolError when an answer is about another line or
        customer, or not TMF's."""
        customer = self._line_party(msisdn, CUSTOMER_ROLE)
        answer, customer_path = self._party_record(
            msisdn, "customerManagement", "customer", customer.id, "id,engagedParty,contactMedium")
        contacts = self._validate(answer, _CustomerContacts, customer_path, secret=True)
        self._same_number(customer.id, contacts.id, customer_path)
        return contacts.emails()
