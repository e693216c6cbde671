"""The sandbox's wire formatting: money strings, UTC instants, cursors, the OpenAPI document."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from sandbox.ledger import Position
from sandbox.openapi import OPENAPI_PATH, document, render
from sandbox.wire import BadCursor, decimal_str, decode_cursor, encode_cursor, utc_iso


@given(st.integers(min_value=-10**12, max_value=10**12))
def test_decimal_str_is_the_exact_amount(kop: int) -> None:
    text = decimal_str(kop)
    assert Decimal(text) == Decimal(kop) / 100
    assert text.split(".")[1].isdigit() and len(text.split(".")[1]) == 2


def test_decimal_str_examples() -> None:
    assert [decimal_str(k) for k in (0, 5, 12345, -50, -100001)] == [
        "0.00", "0.05", "123.45", "-0.50", "-1000.01"]


@given(st.integers(min_value=0, max_value=4_102_444_800))  # up to 2100
def test_utc_iso_matches_datetime(instant: int) -> None:
    expected = datetime.fromtimestamp(instant, UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
    assert utc_iso(instant) == expected


def test_cursor_round_trip_and_binding() -> None:
    cursor = encode_cursor("+79161234567", True, 100, 200, Position(739900, 17))
    assert decode_cursor(cursor, "+79161234567", True, 100, 200) == Position(739900, 17)
    for other in [("+79161234568", True, 100, 200), ("+79161234567", False, 100, 200),
                  ("+79161234567", True, 101, 200), ("+79161234567", True, 100, 201)]:
        with pytest.raises(BadCursor, match="different query"):
            decode_cursor(cursor, *other)
    for junk in ["", "zzz", "!!!", cursor[:-3], "WzEsMiwzXQ"]:
        with pytest.raises(BadCursor):
            decode_cursor(junk, "+79161234567", True, 100, 200)


def test_committed_openapi_document_is_current() -> None:
    """resources/openapi.json is what the app serves; regenerate it with
    `python -m sandbox.openapi > resources/openapi.json` after changing the API."""
    generated = render(document())
    assert OPENAPI_PATH.read_text(encoding="utf-8") == generated
    paths = json.loads(generated)["paths"]
    assert {"/health", "/v1/subscribers/{msisdn}", "/v1/subscribers/{msisdn}/balance",
            "/v1/subscribers/{msisdn}/usage", "/v1/catalog/tariffs", "/v1/catalog/services",
            "/sandbox/subscribers", "/v1/orders", "/v1/orders/preview", "/v1/orders/{order_id}",
            "/v1/subscribers/{msisdn}/access-code", "/v1/subscribers/{msisdn}/access-code/verify",
            "/v1/subscribers/{msisdn}/documents", "/v1/documents/{document_id}",
            "/sandbox/faults", "/sandbox/faults/outage", "/sandbox/clock",
            "/sandbox/sms/{msisdn}"} <= set(paths)
    order = paths["/v1/orders"]["post"]
    assert {p["name"]: p["required"] for p in order["parameters"]} == {
        "Idempotency-Key": True, "If-Match": True}
    assert {"201", "409", "412", "422", "428"} <= set(order["responses"])
