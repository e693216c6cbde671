"""The ids the world's entities carry on the TMF APIs (the console treats every id as opaque):

- a line (TMF637 product): `L-{msisdn digits}`;
- a service connected to a line (TMF637 product): `S-{msisdn digits}-{service code}`;
- a usage record (TMF635): `U-{msisdn digits}-{local day YYYYMMDD}-{sequence in the day}`;
- a phone's SMS (TMF681 communicationMessage): `SMS-{n}`.
Entities created through the APIs get UUIDs, which never look like these.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

_LINE = re.compile(r"^L-([1-9]\d{7,14})$")
_PRODUCT = re.compile(r"^(?:L-([1-9]\d{7,14})|S-([1-9]\d{7,14})-([A-Z][A-Z0-9_]{0,63}))$")
_USAGE = re.compile(r"^U-([1-9]\d{7,14})-(\d{8})-(\d{4,6})$")
_SMS = re.compile(r"^SMS-([1-9]\d{0,17})$")


def line_id(msisdn: str) -> str:
    return f"L-{msisdn.removeprefix('+')}"


def msisdn_of_line(entity_id: str) -> str | None:
    found = _LINE.match(entity_id)
    return None if found is None else f"+{found[1]}"


def resolve_product(entity_id: str) -> tuple[str, str | None] | None:
    """What a product id names: (msisdn, None) for a line `L-…`, (msisdn, service code) for a
    service on it `S-…-CODE`; None for any other id. Whether it exists is the world's to say."""
    found = _PRODUCT.match(entity_id)
    if found is None:
        return None
    if found[1] is not None:
        return f"+{found[1]}", None
    return f"+{found[2]}", found[3]


@dataclass(frozen=True)
class UsageKey:
    msisdn: str
    day: int  # local date ordinal
    index: int  # in the day's records, from 0


def usage_id(msisdn: str, label: str, index: int) -> str:
    """`label` is the day's YYYYMMDD (DayRecords.label)."""
    return f"U-{msisdn.removeprefix('+')}-{label}-{index + 1:04d}"


def usage_key(entity_id: str) -> UsageKey | None:
    found = _USAGE.match(entity_id)
    if found is None:
        return None
    try:
        day = date(int(found[2][:4]), int(found[2][4:6]), int(found[2][6:])).toordinal()
    except ValueError:
        return None
    sequence = int(found[3])
    return None if sequence < 1 else UsageKey(f"+{found[1]}", day, sequence - 1)


def sms_id(number: int) -> str:
    return f"SMS-{number}"


def sms_number(entity_id: str) -> int | None:
    found = _SMS.match(entity_id)
    return None if found is None else int(found[1])


# -- the catalog (TMF620), the lines' services (TMF637), the people (TMF632, TMF629) -----------
# A service connected to a line: `S-{msisdn digits}-{service code}`; the person who uses a line:
# `I-{msisdn digits}`; the customer who holds it: `C-{msisdn digits}` (one each per line: the
# world has one subscriber per number). Offerings: `tariff-{CODE}` / `service-{CODE}`; their
# prices: `pop-{offering}-{kind}`.

_SERVICE = re.compile(r"^S-([1-9]\d{7,14})-([A-Z][A-Z0-9_]*)$")
_INDIVIDUAL = re.compile(r"^I-([1-9]\d{7,14})$")
_CUSTOMER = re.compile(r"^C-([1-9]\d{7,14})$")
_REPRESENTATIVE = re.compile(r"^I-([1-9]\d{7,14})-R$")


def service_product_id(msisdn: str, service_code: str) -> str:
    return f"S-{msisdn.removeprefix('+')}-{service_code}"


def service_product_key(entity_id: str) -> tuple[str, str] | None:
    """(msisdn, service code) of a line's service product."""
    found = _SERVICE.match(entity_id)
    return None if found is None else (f"+{found[1]}", found[2])


def individual_id(msisdn: str) -> str:
    return f"I-{msisdn.removeprefix('+')}"


def msisdn_of_individual(entity_id: str) -> str | None:
    found = _INDIVIDUAL.match(entity_id)
    return None if found is None else f"+{found[1]}"


def representative_id(msisdn: str) -> str:
    """The individual the subscriber of `msisdn` authorised (TMF632), `I-{digits}-R`."""
    return f"I-{msisdn.removeprefix('+')}-R"


def msisdn_of_representative(entity_id: str) -> str | None:
    found = _REPRESENTATIVE.match(entity_id)
    return None if found is None else f"+{found[1]}"


def customer_id(msisdn: str) -> str:
    return f"C-{msisdn.removeprefix('+')}"


def msisdn_of_customer(entity_id: str) -> str | None:
    found = _CUSTOMER.match(entity_id)
    return None if found is None else f"+{found[1]}"


def billing_account_id(msisdn: str) -> str:
    return f"BA-{msisdn.removeprefix('+')}"


# R11: the offering of a paper detalization ordered online for pick-up at a salon (TMF620
# category `document`, so neither the tariffs' nor the services' list shows it).
PAPER_DETALIZATION = "paper-detalization"


def tariff_offering_id(code: str) -> str:
    return f"tariff-{code}"


def service_offering_id(code: str) -> str:
    return f"service-{code}"


def price_id(offering_id: str, kind: str) -> str:
    """`pop-tariff-SMART-recurring`, `pop-service-GUARD-oneTime`, `pop-tariff-SMART-usage-min`."""
    return f"pop-{offering_id}-{kind}"
