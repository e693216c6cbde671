"""The world's people as TMF632 `Individual` and TMF629 `Customer` entities: one of each per
subscriber (the world has one person per number), `I-{msisdn digits}` and `C-{msisdn digits}`.

    {"id": "I-79161234567", "href": ".../party/v4/individual/I-79161234567",
     "@type": "Individual", "fullName": "Иванова Мария Петровна", "familyName": "Иванова",
     "givenName": "Мария", "middleName": "Петровна",
     "individualIdentification": [{"identificationType": "passportRF",
                                   "identificationId": "4509 785656",
                                   "issuingAuthority": "ГУ МВД России по г. Москве",
                                   "issuingDate": "2009-01-11T00:00:00Z",
                                   "validFor": {"startDateTime": "2009-01-11T00:00:00Z"}}],
     "status": "validated"}

    {"id": "C-79161234567", "href": ".../customerManagement/v4/customer/C-79161234567",
     "@type": "Customer", "name": "Иванова Мария Петровна", "status": "Approved",
     "engagedParty": {"id": "I-79161234567", "href": ..., "name": ...,
                      "@referredType": "Individual"},
     "contactMedium": [{"mediumType": "email", "preferred": true,
                        "characteristic": {"contactType": "email",
                                           "emailAddress": "polar.4567@mail.example"}}]}

The name is the world's "Фамилия Имя Отчество" (as on a contract), split at spaces: family
name, given name, and the rest as the patronymic (`middleName`; absent when the name has no
third part). The identity document, the representative, the 303-FZ verification and the e-mail
are the world's made-up records (`sandbox.identities`): `individualIdentification[]`, a
`relatedParty` of role `authorisedRepresentative` (itself an individual, `I-{digits}-R`, with
its own document), `status` `initialized` for a subscriber whose data the operator has not
confirmed (else `validated`), and the customer's `contactMedium[]`.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from sandbox.identities import Document, Identity
from sandbox.tmf import ids
from sandbox.tmf.links import Links

Json = dict[str, Any]
PARTY_API = "party"
CUSTOMER_API = "customerManagement"
VALIDATED = "validated"  # TMF632 IndividualStateType: the operator has checked who it is
INITIALIZED = "initialized"  # ... has not yet (303-FZ: the subscriber's data not confirmed)
REPRESENTATIVE_ROLE = "authorisedRepresentative"
APPROVED = "Approved"  # TMF629's customer status: a customer in good standing with a contract


@dataclass(frozen=True)
class PersonName:
    full: str
    family: str
    given: str
    middle: str | None


def split_name(full_name: str) -> PersonName:
    """"Фамилия Имя Отчество" → its parts (a name of one word is a family name alone)."""
    parts = full_name.split()
    family = parts[0] if parts else ""
    given = parts[1] if len(parts) > 1 else ""
    middle = " ".join(parts[2:]) or None
    return PersonName(" ".join(parts), family, given, middle)


def individual_json(msisdn: str, full_name: str, links: Links,
                    identity: Identity | None = None) -> Json:
    """The person using the line of `msisdn`, with their record (`identity`) if given."""
    identification = [] if identity is None else [identification_json(identity.document)]
    body = _person(ids.individual_id(msisdn), full_name, links, identification)
    if identity is not None and identity.representative is not None:
        body["relatedParty"] = [{
            "id": ids.representative_id(msisdn),
            "href": links.href(PARTY_API, "individual", ids.representative_id(msisdn)),
            "name": split_name(identity.representative.name).full,
            "role": REPRESENTATIVE_ROLE, "@referredType": "Individual"}]
    body["status"] = INITIALIZED if identity is not None and identity.unverified else VALIDATED
    return body


def representative_json(msisdn: str, identity: Identity, links: Links) -> Json | None:
    """The individual the subscriber of `msisdn` authorised, or None if there is none."""
    chosen = identity.representative
    if chosen is None:
        return None
    body = _person(ids.representative_id(msisdn), chosen.name, links,
                   [identification_json(chosen.document)])
    return {**body, "status": VALIDATED}


def identification_json(document: Document) -> Json:
    """TMF632 IndividualIdentification: the dates as instants (the document types them so),
    the day's UTC midnight."""
    issued = f"{document.issued_on.isoformat()}T00:00:00Z"
    valid: Json = {"startDateTime": issued}
    if document.valid_until is not None:
        valid["endDateTime"] = f"{document.valid_until.isoformat()}T00:00:00Z"
    return {"identificationType": document.type, "identificationId": document.number,
            "issuingAuthority": document.issuing_authority, "issuingDate": issued,
            "validFor": valid}


def _person(person_id: str, full_name: str, links: Links,
            identification: Sequence[Json]) -> Json:
    name = split_name(full_name)
    body: Json = {
        "id": person_id,
        "href": links.href(PARTY_API, "individual", person_id),
        "@type": "Individual",
        "fullName": name.full,
        "formattedName": name.full,
        "familyName": name.family,
        "givenName": name.given,
    }
    if name.middle is not None:
        body["middleName"] = name.middle
    if identification:
        body["individualIdentification"] = list(identification)
    return body


def customer_json(msisdn: str, full_name: str, links: Links,
                  identity: Identity | None = None) -> Json:
    customer = ids.customer_id(msisdn)
    body: Json = {
        "id": customer,
        "href": links.href(CUSTOMER_API, "customer", customer),
        "@type": "Customer",
        "name": split_name(full_name).full,
        "status": APPROVED,
        "engagedParty": individual_ref(msisdn, full_name, links),
    }
    if identity is not None and identity.email is not None:
        body["contactMedium"] = [{"mediumType": "email", "preferred": True,
                                  "characteristic": {"contactType": "email",
                                                     "emailAddress": identity.email}}]
    return body


def individual_ref(msisdn: str, full_name: str, links: Links, role: str | None = None) -> Json:
    person_id = ids.individual_id(msisdn)
    ref: Json = {"id": person_id, "href": links.href(PARTY_API, "individual", person_id),
                 "name": split_name(full_name).full}
    if role is not None:
        ref["role"] = role
    return {**ref, "@referredType": "Individual"}


def customer_ref(msisdn: str, full_name: str, links: Links, role: str | None = None) -> Json:
    customer = ids.customer_id(msisdn)
    ref: Json = {"id": customer, "href": links.href(CUSTOMER_API, "customer", customer),
                 "name": split_name(full_name).full}
    if role is not None:
        ref["role"] = role
    return {**ref, "@referredType": "Customer"}
