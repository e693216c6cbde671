"""TMF635 Usage Management at /tmf-api/usageManagement/v4/: `usage` (the world's records, read
only, after those clients created) and `usageSpecification` (one per usage type the world has:
voice, sms, data, charge, payment; plus created ones)."""

from __future__ import annotations

from typing import Any

from sandbox.deps import Context
from sandbox.errors import ApiError
from sandbox.tmf import ids
from sandbox.tmf.links import Links
from sandbox.tmf.matching import values_at
from sandbox.tmf.resource import Api, Resource
from sandbox.tmf.sources import IterableSource, Source
from sandbox.tmf.world_usage import LINE, SPEC_NAMES, USAGE_API, WorldUsage

Json = dict[str, Any]
API = Api(USAGE_API, "TMF635", "Usage Management")

_SPEC_TEXT = {
    "voice": "A call, incoming or outgoing; duration in seconds, counted in whole minutes",
    "sms": "A text message, incoming or outgoing",
    "data": "A mobile data session; volume in kilobytes",
    "charge": "A fee: the tariff's or a service's monthly fee, a connection or a switch",
    "payment": "Money in: a top-up or a promised-payment credit",
}
_CHARACTERISTICS = {
    "direction": ("string", "in | out (voice and sms)"),
    "counterpart": ("string", "The other number, 'internet', the fee's name, or "
                              "'payment' / 'promised_payment'"),
    "duration": ("integer", "Seconds (voice)"),
    "volume": ("integer", "Kilobytes (data)"),
    "coveredBy": ("string", "minutes | sms | data: the package that covered it (amount 0)"),
}
_USED = {"voice": ("direction", "counterpart", "duration", "coveredBy"),
         "sms": ("direction", "counterpart", "coveredBy"),
         "data": ("counterpart", "volume", "coveredBy"),
         "charge": ("counterpart",), "payment": ("counterpart",)}


def specification_json(spec_id: str, links: Links) -> Json:
    return {
        "id": spec_id, "href": links.href(USAGE_API, "usageSpecification", spec_id),
        "@type": "UsageSpecification", "name": SPEC_NAMES[spec_id],
        "description": _SPEC_TEXT[spec_id], "lifecycleStatus": "Active", "isBundle": False,
        "specCharacteristic": [
            {"name": name, "valueType": _CHARACTERISTICS[name][0],
             "description": _CHARACTERISTICS[name][1], "configurable": False}
            for name in _USED[spec_id]],
    }


def _world_specifications(_ctx: Context) -> Source:
    return IterableSource(
        lambda links: (specification_json(s, links) for s in SPEC_NAMES),
        lambda entity_id, links: (specification_json(entity_id, links)
                                  if entity_id in SPEC_NAMES else None))


def _world_usage(ctx: Context) -> Source:
    return WorldUsage(ctx.ledger, ctx.store)


def _refuse_world_lines(ctx: Context, body: Json) -> None:
    """A created usage stays beside the world: it may not claim a world line, or the line's
    usage would no longer add up to its balance (R6)."""
    for line in values_at(body, LINE):
        msisdn = ids.msisdn_of_line(line) if isinstance(line, str) else None
        if msisdn is not None and ctx.store.version(msisdn) is not None:
            raise ApiError(422, "world_line",
                           f"{line} is a line of the sandbox's world, whose usage the world "
                           "generates: a created usage may not refer to it.",
                           reason="Refers to a world line")


USAGE = Resource(
    API, "usage", "Usage",
    world=_world_usage, check_create=_refuse_world_lines,
    refusal_doc="world_line: ratedProductUsage names a line of the sandbox's world",
    world_doc="The world's usage: every line's records up to the sandbox clock, line by line, "
              "oldest first (read-only). Page a line's period with "
              "`ratedProductUsage.productRef.id=L-…&usageDate.gte=…&usageDate.lt=…`: those "
              "filters and `id` are applied before records are made.")
USAGE_SPECIFICATION = Resource(
    API, "usageSpecification", "UsageSpecification",
    world=_world_specifications,
    world_doc="The world's specifications: voice, sms, data, charge, payment (read-only).")
RESOURCES = (USAGE, USAGE_SPECIFICATION)
