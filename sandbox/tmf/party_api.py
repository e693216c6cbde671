"""TMF632 Party Management at /tmf-api/party/v4/: `individual` — the person who uses each line
of the world (`I-{msisdn digits}`, world_people.py) with their identity document, 303-FZ status
and authorised representative (`sandbox.identities`), read-only; after them, the individuals
clients created (kept beside the world). A representative (`I-{msisdn digits}-R`) is served at
its href, as the person's `relatedParty` names it; the list holds the people using the lines."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from sandbox.deps import Context
from sandbox.identities import Identity, identity_of
from sandbox.tmf import ids
from sandbox.tmf.links import Links
from sandbox.tmf.resource import Api, Resource
from sandbox.tmf.sources import Source
from sandbox.tmf.world_people import PARTY_API, individual_json, representative_json
from sandbox.tmf.world_subscribers import Narrowing, Row, SubscriberSource

Json = dict[str, Any]
API = Api(PARTY_API, "TMF632", "Party Management")


def identities(ctx: Context) -> Callable[[str], Identity]:
    """The world's record of a number (the regions read once, when first needed)."""
    regions: dict[str, str] = {}

    def of(msisdn: str) -> Identity:
        if not regions:
            regions.update(ctx.store.region_codes())
        return identity_of(ctx.store.seed, msisdn, regions[msisdn])

    return of


def _world_people(ctx: Context) -> Source:
    identity = identities(ctx)

    def make(row: Row, links: Links) -> Json:
        return individual_json(row[0], row[1], links, identity(row[0]))

    def lookup(entity_id: str, links: Links) -> Json | None:
        represented = ids.msisdn_of_representative(entity_id)
        if represented is not None:
            known = ctx.store.subscriber_rows([represented])
            return representative_json(represented, identity(represented), links) if known \
                else None
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
              "into `familyName`, `givenName` and `middleName` (the patronymic); the identity "
              "document (`individualIdentification`: passportRF, foreignPassport or "
              "residencePermit; made up), `status` validated or initialized (303-FZ: data not "
              "confirmed), an authorised representative as `relatedParty` (role "
              "authorisedRepresentative, `I-{msisdn digits}-R`, served at its href); "
              "read-only.")
RESOURCES = (INDIVIDUAL,)
