"""Operator API answers exactly as the contract (resources/operator-api.md) shows them."""

from __future__ import annotations

from typing import Any


def money(value: str) -> dict[str, str]:
    return {"value": value, "currency": "RUB"}


def subscriber_json(msisdn: str = "+79161234567", **overrides: Any) -> dict[str, Any]:
    data: dict[str, Any] = {
        "msisdn": msisdn,
        "name": "Иванова Мария Петровна",
        "status": "active",
        "home_region": {"code": "RU-MOW", "name": "Москва", "name_en": "Moscow",
                        "timezone": "Europe/Moscow"},
        "tariff": {"code": "SMART", "name": "Смарт", "class": "mass",
                   "monthly_fee": money("450.00")},
        "services": [{"code": "GUARD", "name": "Антивирус",
                      "connected_at": "2026-01-02T09:00:00Z"}],
        "assistant": {"connected": True},
        "version": 3,
    }
    data.update(overrides)
    return data


def balance_json(msisdn: str = "+79161234567", *, debt: bool = True) -> dict[str, Any]:
    buckets: list[dict[str, Any]] = [
        {"kind": "main", "amount": money("123.45")},
        {"kind": "bonus", "amount": money("50.00")},
        {"kind": "package", "package": "minutes", "remaining": "250", "total": "500",
         "unit": "min", "expires_at": "2026-11-30T21:00:00Z"},
        {"kind": "package", "package": "data", "remaining": "10240", "total": "20480",
         "unit": "MB", "expires_at": "2026-11-30T21:00:00Z"},
    ]
    if debt:
        buckets.append({"kind": "promised_payment_debt", "amount": money("100.00"),
                        "due_at": "2026-11-26T21:00:00Z"})
    return {"msisdn": msisdn, "as_of": "2026-11-23T10:15:00Z", "buckets": buckets}


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
