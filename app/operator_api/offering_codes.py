"""The console's code of a tariff or a service, and the TMF620 offering id it stands for.

The console's services, screens and CLI name tariffs and services by a code (`SMART`,
`ASSISTANT`); the operator's catalog names each by an offering id that says what it is:
`tariff-{CODE}` for a tariff, `service-{CODE}` for a service (the integrator's guide asks this
of an operator's ids, and the sandbox gives them so). The adapter turns one into the other at
the edge, so no offering id reaches a service.
"""

from __future__ import annotations

TARIFF_PREFIX = "tariff-"
SERVICE_PREFIX = "service-"
# The catalog's Electronic Assistant: the card shows it apart from the other services (R1).
ASSISTANT = "ASSISTANT"


def offering_code(offering_id: str) -> str:
    """`tariff-SMART` → `SMART`, `service-GUARD` → `GUARD`; ValueError for an id of neither
    form (the console could not name it back to the operator)."""
    for prefix in (TARIFF_PREFIX, SERVICE_PREFIX):
        if offering_id.startswith(prefix) and len(offering_id) > len(prefix):
            return offering_id[len(prefix):]
    raise ValueError(f"offering id {offering_id!r} is neither {TARIFF_PREFIX}<code> nor "
                     f"{SERVICE_PREFIX}<code>")


def tariff_offering_id(code: str) -> str:
    return TARIFF_PREFIX + code


def service_offering_id(code: str) -> str:
    return SERVICE_PREFIX + code
