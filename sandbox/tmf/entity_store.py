"""The generic store of entities that clients create through the TMF APIs.

Per API and resource, the posted JSON completed with `id` and `@type` is kept in the sandbox's
database (`tmf_entities`), with the instants it was created and last changed. It is beside the
world and never part of it: nothing here changes a subscriber's balance, tariff or usage. `href`
is not stored: it is made from each request's base URL when the entity is served.

Meant for the handful of entities a conformance kit or an integrator makes: a list reads every
entity of the resource and filters in Python (`StoredSource`).
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

from sandbox.errors import dumps
from sandbox.store import Store
from sandbox.tmf.links import Links
from sandbox.tmf.query import Query
from sandbox.tmf.sources import Selection, select_from

Json = dict[str, Any]


class EntityStore:
    def __init__(self, store: Store) -> None:
        self._store = store

    def create(self, api: str, resource: str, entity: Json, at: int) -> None:
        with self._store.write() as conn:
            conn.execute(
                "INSERT INTO tmf_entities (api, resource, id, created_at, updated_at, body) "
                "VALUES (?, ?, ?, ?, ?, ?)",
                (api, resource, entity["id"], at, at, dumps(_without_href(entity))))

    def get(self, api: str, resource: str, entity_id: str) -> Json | None:
        row = self._store.conn().execute(
            "SELECT body FROM tmf_entities WHERE api = ? AND resource = ? AND id = ?",
            (api, resource, entity_id)).fetchone()
        return None if row is None else _loaded(row[0])

    def all(self, api: str, resource: str) -> Iterator[Json]:
        """In creation order."""
        for (body,) in self._store.conn().execute(
                "SELECT body FROM tmf_entities WHERE api = ? AND resource = ? ORDER BY seq",
                (api, resource)):
            yield _loaded(body)

    def update(self, api: str, resource: str, entity_id: str, change: Callable[[Json], Json],
               at: int) -> Json | None:
        """The entity as `change` makes it, read and written in one transaction (so two
        changes at once both apply); None when there is no such entity."""
        with self._store.write() as conn:
            row = conn.execute(
                "SELECT body FROM tmf_entities WHERE api = ? AND resource = ? AND id = ?",
                (api, resource, entity_id)).fetchone()
            if row is None:
                return None
            changed = change(_loaded(row[0]))
            conn.execute(
                "UPDATE tmf_entities SET body = ?, updated_at = ? "
                "WHERE api = ? AND resource = ? AND id = ?",
                (dumps(_without_href(changed)), at, api, resource, entity_id))
        return changed

    def delete(self, api: str, resource: str, entity_id: str) -> bool:
        with self._store.write() as conn:
            gone = conn.execute(
                "DELETE FROM tmf_entities WHERE api = ? AND resource = ? AND id = ?",
                (api, resource, entity_id)).rowcount
        return gone > 0


@dataclass(frozen=True)
class StoredSource:
    """A resource's created entities as a `Source`, each with its href for this request."""

    entities: EntityStore
    api: str
    resource: str

    def select(self, query: Query, links: Links, offset: int, limit: int) -> Selection:
        made = (self._linked(e, links) for e in self.entities.all(self.api, self.resource))
        return select_from(made, query.filters, offset, limit)

    def get(self, entity_id: str, links: Links) -> Json | None:
        found = self.entities.get(self.api, self.resource, entity_id)
        return None if found is None else self._linked(found, links)

    def _linked(self, entity: Json, links: Links) -> Json:
        return with_href(entity, links.href(self.api, self.resource, str(entity["id"])))


def with_href(entity: Json, href: str) -> Json:
    """`id`, `href`, `@type` first (as every TMF sample writes them), then the rest."""
    head = {"id": entity["id"], "href": href}
    if "@type" in entity:
        head["@type"] = entity["@type"]
    return {**head, **{k: v for k, v in entity.items() if k not in head}}


def _without_href(entity: Json) -> Json:
    return {k: v for k, v in entity.items() if k != "href"}


def _loaded(body: str) -> Json:
    loaded: Json = json.loads(body)
    return loaded
