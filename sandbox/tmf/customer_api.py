"""TMF629 Customer Management at /tmf-api/customerManagement/v4/: `customer` — who holds each
line of the world (`C-{msisdn digits}`, world_people.py), its `engagedParty` the individual,
its `contactMedium` the e-mail address the operator holds (some have one); read-only; after
them, the customers clients created (kept beside the world)."""

from __future__ import annotations

from typing import Any

from sandbox.deps import Context
from sandbox.tmf import ids
from sandbox.tmf.links import Links
from sandbox.tmf.party_api import identities
from sandbox.tmf.resource import Api, Resource
from sandbox.tmf.sources import Source
from sandbox.tmf.world_people import CUSTOMER_API, customer_json
from sandbox.tmf.world_subscribers import Narrowing, Row, SubscriberSource

Json = dict[str, Any]
API = Api(CUSTOMER_API, "TMF629", "Customer Management")


def _world_customers(ctx: Context) -> Source:
    identity = identities(ctx)

    def make(row: Row, links: Links) -> Json:
        return customer_json(row[0], row[1], links, identity(row[0]))

    def lookup(entity_id: str, links: Links) -> Json | None:
        msisdn = ids.msisdn_of_customer(entity_id)
        rows = [] if msisdn is None else ctx.store.subscriber_rows([msisdn])
        return make(rows[0], links) if rows else None

    return SubscriberSource(ctx.store, make, lookup, {
        ("id",): Narrowing(number=ids.msisdn_of_customer),
        ("engagedParty", "id"): Narrowing(number=ids.msisdn_of_individual),
    })


CUSTOMER = Resource(
    API, "customer", "Customer", required=("engagedParty", "name"),
    world=_world_customers,
    world_doc="The world's customers: who holds each line (`C-{msisdn digits}`), in the "
              "world's order; `engagedParty` is the individual (`I-{msisdn digits}`); "
              "`contactMedium` the e-mail address the operator holds, if any (mediumType "
              "email, characteristic.emailAddress; made up, at .example); read-only.")
RESOURCES = (CUSTOMER,)
