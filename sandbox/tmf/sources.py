"""Where a resource's entities come from, and one paging rule over all of them.

A resource lists its entities from several sources in a fixed order — first those clients
created (the generic store), then the world's own (derived on the fly: usage records, the
phones' SMS, ...). Each source answers `select(query, links, offset, limit)`: the entities at
[offset, offset + limit) of those it holds that pass the query's filters, in its own order, and
how many pass in all. `page()` walks the sources, so `offset` runs across them as if they were
one list and `X-Total-Count` is the sum.

A small source is an `IterableSource`: it makes every entity and the filters run here. A large
one (the world's usage) implements `select` itself, applying the filters it can cheaply (a line,
a time window) and handing the rest back to `matching`.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from typing import Any, Protocol

from sandbox.tmf.links import Links
from sandbox.tmf.matching import matches
from sandbox.tmf.query import Filter, Query

Json = dict[str, Any]


@dataclass(frozen=True)
class Selection:
    items: list[Json]  # the requested slice, complete (fields are projected later)
    total: int  # how many pass the filters in this source


class Source(Protocol):
    def select(self, query: Query, links: Links, offset: int, limit: int) -> Selection: ...

    def get(self, entity_id: str, links: Links) -> Json | None: ...


@dataclass(frozen=True)
class IterableSource:
    """A source small enough to make every entity per request and filter them here."""

    entities: Callable[[Links], Iterable[Json]]
    lookup: Callable[[str, Links], Json | None] | None = None  # a faster get, if there is one

    def select(self, query: Query, links: Links, offset: int, limit: int) -> Selection:
        return select_from(self.entities(links), query.filters, offset, limit)

    def get(self, entity_id: str, links: Links) -> Json | None:
        if self.lookup is not None:
            return self.lookup(entity_id, links)
        return next((e for e in self.entities(links) if e.get("id") == entity_id), None)


@dataclass(frozen=True)
class Chain:
    """Several sources listed as one, in order (the world's applied orders, then its pick-up
    orders)."""

    parts: tuple[Source, ...]

    def select(self, query: Query, links: Links, offset: int, limit: int) -> Selection:
        items: list[Json] = []
        total = 0
        for part in self.parts:
            chosen = part.select(query, links, offset, max(0, limit - len(items)))
            items.extend(chosen.items)
            offset = max(0, offset - chosen.total)
            total += chosen.total
        return Selection(items, total)

    def get(self, entity_id: str, links: Links) -> Json | None:
        return find(self.parts, entity_id, links)


def select_from(entities: Iterable[Json], filters: Sequence[Filter], offset: int,
                limit: int) -> Selection:
    """The generic filter-count-slice over entities made in order."""
    items: list[Json] = []
    total = 0
    for entity in entities:
        if matches(entity, filters):
            if offset <= total < offset + limit:
                items.append(entity)
            total += 1
    return Selection(items, total)


def page(sources: Sequence[Source], query: Query, links: Links) -> Selection:
    """The query's page over the sources in order, and the total over all of them."""
    items: list[Json] = []
    total = 0
    offset = query.offset
    for source in sources:
        wanted = max(0, query.limit - len(items))
        chosen = source.select(query, links, offset, wanted)
        items.extend(chosen.items)
        offset = max(0, offset - chosen.total)
        total += chosen.total
    return Selection(items, total)


def find(sources: Sequence[Source], entity_id: str, links: Links) -> Json | None:
    for source in sources:
        found = source.get(entity_id, links)
        if found is not None:
            return found
    return None
