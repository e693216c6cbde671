"""A TMF list request's query, parsed once: `fields`, `offset`, `limit` and attribute filters.

TMF630 (REST API design guidelines) filtering as the sandbox serves it:
- `attr=value` — equality; `a.b.c=value` walks into nested objects and, through arrays, matches
  when any element does; several values separated by commas mean OR (`status=a,b`);
- `attr.gt=`, `attr.gte=`, `attr.lt=`, `attr.lte=` — order on instants (ISO 8601) or numbers;
- several filters (also the same name twice) must all hold.
`fields=a,b.c` keeps only those attributes (plus `id`, `href`, `@type`); `offset` counts from 0;
`limit` is at most `max_limit` (0 answers no entities, only the counts).
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, datetime
from decimal import Decimal, InvalidOperation

RESERVED = frozenset({"fields", "offset", "limit"})
ORDER_OPERATORS = ("gt", "gte", "lt", "lte")
EQ = "eq"

# Strings that read as instants: a date, optionally a time, optionally a zone. A bare number
# ("20261123") is a number or a name, never a date, whatever datetime.fromisoformat allows.
_INSTANT = re.compile(r"^\d{4}-\d{2}-\d{2}([T ]\d{2}:\d{2}(:\d{2}(\.\d+)?)?"
                      r"(Z|[+-]\d{2}:?\d{2})?)?$")


class BadQuery(ValueError):
    """A query the sandbox cannot answer as asked (400 with this sentence)."""


@dataclass(frozen=True)
class Filter:
    path: tuple[str, ...]  # ("ratedProductUsage", "productRef", "id")
    op: str  # eq | gt | gte | lt | lte
    values: tuple[str, ...]  # any of them (OR)

    @property
    def name(self) -> str:
        return ".".join(self.path)


@dataclass(frozen=True)
class Query:
    fields: tuple[str, ...] | None  # None: every attribute
    offset: int
    limit: int
    filters: tuple[Filter, ...]

    def without(self, *pushed: Filter) -> tuple[Filter, ...]:
        """The filters left once a source has applied `pushed` itself."""
        return tuple(f for f in self.filters if f not in pushed)


def parse_query(params: Iterable[tuple[str, str]], *, default_limit: int,
                max_limit: int) -> Query:
    fields: tuple[str, ...] | None = None
    offset, limit = 0, default_limit
    filters: list[Filter] = []
    for name, value in params:
        if name == "fields":
            fields = tuple(f.strip() for f in value.split(",") if f.strip())
        elif name == "offset":
            offset = _count("offset", value, 0, None)
        elif name == "limit":
            limit = _count("limit", value, 0, max_limit)
        else:
            filters.append(parse_filter(name, value))
    return Query(fields, offset, limit, tuple(filters))


def parse_filter(name: str, value: str) -> Filter:
    path = tuple(name.split("."))
    op = EQ
    if len(path) > 1 and path[-1] in ORDER_OPERATORS:
        path, op = path[:-1], path[-1]
    if not all(path):
        raise BadQuery(f"'{name}' is not an attribute filter: name an attribute, like "
                       "usageDate or ratedProductUsage.productRef.id.")
    values = tuple(value.split(","))
    if op != EQ:
        for text in values:
            if as_instant(text) is None and as_number(text) is None:
                raise BadQuery(f"'{name}' compares instants or numbers: {text!r} is neither "
                               "(an instant looks like 2026-11-01T00:00:00Z).")
    return Filter(path, op, values)


def _count(name: str, text: str, lowest: int, highest: int | None) -> int:
    try:
        number = int(text)
    except ValueError:
        number = lowest - 1
    if number < lowest or (highest is not None and number > highest):
        top = "" if highest is None else f" and at most {highest}"
        raise BadQuery(f"'{name}' must be a whole number, at least {lowest}{top}; "
                       f"not {text!r}.")
    return number


def as_instant(text: str) -> datetime | None:
    """An ISO 8601 instant; without a zone it is taken as UTC."""
    if not _INSTANT.match(text):
        return None
    try:
        moment = datetime.fromisoformat(text)
    except ValueError:
        return None
    return moment if moment.tzinfo is not None else moment.replace(tzinfo=UTC)


def as_number(text: str) -> Decimal | None:
    try:
        number = Decimal(text.strip())
    except InvalidOperation:
        return None
    return number if number.is_finite() else None
