"""What an attribute filter means on a JSON entity (see `query` for the syntax).

A dotted path walks into objects; an array on the way (or at the end) fans out, and the filter
holds when any value reached matches any of its values. Equality compares by kind: strings
exactly (or as the same instant when both read as instants), numbers by value (`450` = `450.0`),
booleans as `true` / `false`. Order operators compare instants with instants and numbers with
numbers; anything else does not match.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from datetime import datetime
from decimal import Decimal
from typing import Any

from sandbox.tmf.query import EQ, Filter, as_instant, as_number

Json = dict[str, Any]


def values_at(node: Any, path: Sequence[str]) -> Iterator[Any]:
    """Every scalar or object reached by `path` from `node`, arrays fanned out."""
    if isinstance(node, list):
        for item in node:
            yield from values_at(item, path)
    elif not path:
        yield node
    elif isinstance(node, dict) and path[0] in node:
        yield from values_at(node[path[0]], path[1:])


def matches(entity: Json, filters: Sequence[Filter]) -> bool:
    return all(holds(entity, f) for f in filters)


def holds(entity: Json, f: Filter) -> bool:
    return any(_value_matches(value, f.op, text)
               for value in values_at(entity, f.path) for text in f.values)


def _value_matches(value: Any, op: str, text: str) -> bool:
    if op == EQ:
        return _equal(value, text)
    left, right = _comparable(value, text)
    if left is None or right is None:
        return False
    if op == "gt":
        return bool(left > right)
    if op == "gte":
        return bool(left >= right)
    if op == "lt":
        return bool(left < right)
    return bool(left <= right)


def _equal(value: Any, text: str) -> bool:
    if isinstance(value, bool):
        return text.lower() == ("true" if value else "false")
    if isinstance(value, int | float):
        number = as_number(text)
        return number is not None and Decimal(str(value)) == number
    if isinstance(value, str):
        if value == text:
            return True
        mine, theirs = as_instant(value), as_instant(text)
        return mine is not None and mine == theirs
    if value is None:
        return text == "null"
    return False


def _comparable(value: Any, text: str) -> tuple[Any, Any]:
    """Both sides as instants, or both as numbers; (None, None) when they are not alike."""
    if isinstance(value, str):
        mine: datetime | None = as_instant(value)
        theirs = as_instant(text)
        if mine is not None and theirs is not None:
            return mine, theirs
        return None, None
    if isinstance(value, int | float) and not isinstance(value, bool):
        number = as_number(text)
        return (Decimal(str(value)), number) if number is not None else (None, None)
    return None, None
