"""JSON Merge Patch (RFC 7386), what TMF's PATCH takes by default
(`application/merge-patch+json`): objects merge key by key, `null` removes a key, anything
else replaces. The RFC's own algorithm, line for line."""

from __future__ import annotations

from typing import Any


def merge_patch(target: Any, patch: Any) -> Any:
    if not isinstance(patch, dict):
        return patch
    result = dict(target) if isinstance(target, dict) else {}
    for name, value in patch.items():
        if value is None:
            result.pop(name, None)
        else:
            result[name] = merge_patch(result.get(name), value)
    return result
