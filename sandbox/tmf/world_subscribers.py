"""One entity per subscriber of the world — a line (TMF637 product), the person using it (TMF632
individual), the customer holding it (TMF629 customer) — as a `Source` that asks SQLite first.

The equality filters the subscribers table can answer (an id, the number, the status) are
applied there, so `GET /product?productSerialNumber=+79161234567` reads one row and makes one
line; a page without other filters makes only the entities it shows. Any other filter is
checked on the made entities (the world has a few hundred subscribers).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from sandbox.store import Store
from sandbox.tmf.links import Links
from sandbox.tmf.query import EQ, Query
from sandbox.tmf.sources import Selection, select_from

Json = dict[str, Any]
Row = tuple[str, str, str]  # msisdn, name, stored status (active | blocked)
Path = tuple[str, ...]


@dataclass(frozen=True)
class Narrowing:
    """What an equality filter's value says about the subscriber: a number (`number`) or a
    stored status (`status`); None when no subscriber can have it."""

    number: Callable[[str], str | None] | None = None
    status: Callable[[str], str | None] | None = None


@dataclass(frozen=True)
class SubscriberSource:
    store: Store
    make: Callable[[Row, Links], Json | None]  # None: the subscriber is not there (any more)
    lookup: Callable[[str, Links], Json | None]  # an entity by id
    narrowing: Mapping[Path, Narrowing]

    def select(self, query: Query, links: Links, offset: int, limit: int) -> Selection:
        numbers: set[str] | None = None
        statuses: set[str] | None = None
        pushed = []
        for f in query.filters:
            how = self.narrowing.get(f.path)
            if how is None or f.op != EQ:
                continue
            if how.number is not None:
                found = {n for v in f.values if (n := how.number(v)) is not None}
                numbers = found if numbers is None else numbers & found
            elif how.status is not None:
                found = {s for v in f.values if (s := how.status(v)) is not None}
                statuses = found if statuses is None else statuses & found
            pushed.append(f)
        rows = self.store.subscriber_rows(numbers, statuses)
        residual = query.without(*pushed)
        if residual:
            made = (e for row in rows if (e := self.make(row, links)) is not None)
            return select_from(made, residual, offset, limit)
        shown = [e for row in rows[offset:offset + limit]
                 if (e := self.make(row, links)) is not None]
        return Selection(shown, len(rows))

    def get(self, entity_id: str, links: Links) -> Json | None:
        return self.lookup(entity_id, links)
