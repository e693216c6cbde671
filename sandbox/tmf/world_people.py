"""The world's people as TMF632 `Individual` and TMF629 `Customer` entities: one of each per
subscriber (the world has one person per number), `I-{msisdn digits}` and `C-{msisdn digits}`.

    {"id": "I-79161234567", "href": ".../party/v4/individual/I-79161234567",
     "@type": "Individual", "fullName": "Иванова Мария Петровна", "familyName": "Иванова",
     "givenName": "Мария", "middleName": "Петровна", "status": "validated"}

    {"id": "C-79161234567", "href": ".../customerManagement/v4/customer/C-79161234567",
     "@type": "Customer", "name": "Иванова Мария Петровна", "status": "Approved",
     "engagedParty": {"id": "I-79161234567", "href": ..., "name": ...,
                      "@referredType": "Individual"}}

The name is the world's "Фамилия Имя Отчество" (as on a contract), split at spaces: family
name, given name, and the rest as the patronymic (`middleName`; absent when the name has no
third part). The identity document (issue 14) will be `individualIdentification[]`, made by
`individual_json`'s `identification` from the subscriber's record; until then it is left out.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from sandbox.tmf import ids
from sandbox.tmf.links import Links

Json = dict[str, Any]
PARTY_API = "party"
CUSTOMER_API = "customerManagement"
VALIDATED = "validated"  # TMF632 IndividualStateType: the operator has checked who it is
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
                    identification: Sequence[Json] = ()) -> Json:
    person_id = ids.individual_id(msisdn)
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
    body["status"] = VALIDATED
    return body


def customer_json(msisdn: str, full_name: str, links: Links) -> Json:
    customer = ids.customer_id(msisdn)
    return {
        "id": customer,
        "href": links.href(CUSTOMER_API, "customer", customer),
        "@type": "Customer",
        "name": split_name(full_name).full,
        "status": APPROVED,
        "engagedParty": individual_ref(msisdn, full_name, links),
    }


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
