"""The console's codes of tariffs and services (SMART, GUARD, ASSISTANT: what the clerk sees,
the journal records and the rules name) and the operator's offering ids (TMF620
`productOffering.id`).

The sandbox, and the integrator's guide for any BSS, name a tariff's offering
`tariff-{CODE}` and a service's `service-{CODE}`; the code is the id without that prefix. An
id without either prefix is its own code, so a BSS whose ids are the codes needs no mapping.
"""

from __future__ import annotations

TARIFF_PREFIX = "tariff-"
SERVICE_PREFIX = "service-"
# The catalog's Electronic Assistant: the card shows it apart from the other services (R1).
ASSISTANT = "ASSISTANT"


def offering_code(offering_id: str) -> str:
    """The console's code of a tariff or service offering."""
    for prefix in (TARIFF_PREFIX, SERVICE_PREFIX):
        if offering_id.startswith(prefix) and len(offering_id) > len(prefix):
            return offering_id[len(prefix):]
    return offering_id


def tariff_offering_id(code: str) -> str:
    return f"{TARIFF_PREFIX}{code}"


def service_offering_id(code: str) -> str:
    return f"{SERVICE_PREFIX}{code}"
