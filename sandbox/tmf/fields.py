"""The `fields` projection: only the attributes asked for, plus `id`, `href` and `@type`.

A dotted field (`ratedProductUsage.productRef`) keeps that part of a nested attribute: through
arrays, every element keeps its own part. Fields that an entity does not have are left out.
"""

from __future__ import annotations

from typing import Any

Json = dict[str, Any]
ALWAYS = ("id", "href", "@type")
Tree = dict[str, "Tree"]  # an empty tree: keep the whole value


def field_tree(fields: tuple[str, ...]) -> Tree:
    tree: Tree = {}
    for name in (*ALWAYS, *fields):
        node = tree
        parts = name.split(".")
        for i, part in enumerate(parts):
            if part in node and not node[part]:
                break  # the whole of it is kept already
            child = node.setdefault(part, {})
            if i == len(parts) - 1:
                child.clear()  # the whole attribute, whatever deeper fields asked
            node = child
    return tree


def project(entity: Json, fields: tuple[str, ...] | None) -> Json:
    if fields is None:
        return entity
    picked = _apply(entity, field_tree(fields))
    return picked if isinstance(picked, dict) else {}


_MISSING = object()


def _apply(value: Any, tree: Tree) -> Any:
    if not tree:
        return value
    if isinstance(value, list):
        return [kept for item in value if (kept := _apply(item, tree)) is not _MISSING]
    if not isinstance(value, dict):
        return _MISSING
    out: Json = {}
    for name, sub in tree.items():
        if name in value:
            kept = _apply(value[name], sub)
            if kept is not _MISSING:
                out[name] = kept
    return out
