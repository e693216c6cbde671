"""Operator API answers exactly as the contract (resources/operator-api.md) shows them."""

from __future__ import annotations

from typing import Any


def money(value: str) -> dict[str, str]:
    return {"value": value, "currency": "RUB"}


def usage_json(index: int) -> dict[str, Any]:
    return {
        "id": f"+79161234567-20261101-{index:04d}",
        "started_at": f"2026-11-01T08:{index // 60:02d}:{index % 60:02d}Z",
        "type": "call",
        "direction": "out",
        "counterpart": "+79035550101",
        "duration_s": 60 + index,
        "volume_kb": None,
        "amount": money("1.50"),
        "covered_by_package": None,
    }
