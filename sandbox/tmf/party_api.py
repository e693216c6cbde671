"""TMF632 Party Management at /tmf-api/party/v4/: `individual` — the person who uses each line
of the world (`I-{msisdn digits}`, world_people.py), read-only; after them, the individuals
clients created (kept beside the world)."""

from __future__ import annotations

from typing import Any

from sandbox.deps import Context
from sandbox.tmf import ids
from sandbox.tmf.links import Links
from sandbox.tmf.resource import Api, Resource
from sandbox.tmf.sources import Source
from sandbox.tmf.world_people import PARTY_API, individual_json
from sandbox.tmf.world_subscribers import Narrowing, Row, SubscriberSource

Json = dict[str, Any]
API = Api(PARTY_API, "TMF632", "Party Management")


def _world_people(ctx: Context) -> Source:
    def make(row: Row, links: Links) -> Json:
        return individual_json(row[0], row[1], links)

    def lookup(entity_id: str, links: Links) -> Json | None:
        msisdn = ids.msisdn_of_individual(entity_id)
        rows = [] if msisdn is None else ctx.store.subscriber_rows([msisdn])
        return make(rows[0], links) if rows else None

    return SubscriberSource(ctx.store, make, lookup,
                            {("id",): Narrowing(number=ids.msisdn_of_individual)})


INDIVIDUAL = Resource(
    API, "individual", "Individual", required=("givenName", "familyName"),
    world=_world_people,
    world_doc="The world's people: the person using each line (`I-{msisdn digits}`), in the "
              "world's order: `fullName` as on the contract (\"Фамилия Имя Отчество\"), split "
              "into `familyName`, `givenName` and `middleName` (the patronymic); read-only.")
RESOURCES = (INDIVIDUAL,)
