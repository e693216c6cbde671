"""The HTTP client against httpx.MockTransport: the adapter boundary of the sync layer (the
card's and the balances' own reads: tests/unit/test_operator_lines.py)."""

from __future__ import annotations

from datetime import UTC, datetime
from decimal import Decimal

import httpx
import pytest

from app.clock import FixedClock
from app.errors import OperatorUnavailable
from app.operator_api.client import OperatorClient
from models.domain import UsageKind
from tests.support.tmf_samples import CardOperator
from tests.support.wire_samples import usage_json

# The console's clock: used only when an answer does not say what time the operator has.
NOW = datetime(2026, 11, 23, 10, 15, tzinfo=UTC)


def client_for(handler, retries: int = 3) -> OperatorClient:
    return OperatorClient(
        "http://operator.test", "secret-token", clock=FixedClock(NOW), read_retries=retries,
        transport=httpx.MockTransport(handler), sleep=lambda _seconds: None,
    )


def test_server_errors_are_retried_then_answered() -> None:
    calls = []
    card = CardOperator()

    def handler(request: httpx.Request) -> httpx.Response:
        calls.append(request)
        if len(calls) < 3:
            return httpx.Response(503, json={"code": "unavailable", "reason": "Unavailable",
                                             "message": "x", "status": "503", "@type": "Error"})
        return card(request)

    assert client_for(handler).subscriber("+79161234567").name
    assert len(calls) == 5  # the line's lookup twice refused, then the line and its tariff


def test_retries_are_bounded_and_end_in_a_sentence() -> None:
    calls = []

    def handler(request: httpx.Request) -> httpx.Response:
        calls.append(request)
        return httpx.Response(500)

    with pytest.raises(OperatorUnavailable, match="internal error"):
        client_for(handler, retries=2).subscriber("+79161234567")
    assert len(calls) == 3


def test_a_dead_network_is_unavailable_not_a_traceback() -> None:
    def handler(request: httpx.Request) -> httpx.Response:
        raise httpx.ConnectError("connection refused", request=request)

    with pytest.raises(OperatorUnavailable, match="cannot be reached") as caught:
        client_for(handler).subscriber("+79161234567")
    assert caught.value.exit_code == 5
    assert caught.value.queued is False


def test_a_timeout_says_how_long_it_waited() -> None:
    def handler(request: httpx.Request) -> httpx.Response:
        raise httpx.ReadTimeout("slow", request=request)

    with pytest.raises(OperatorUnavailable, match="10 seconds"):
        client_for(handler, retries=0).subscriber("+79161234567")


def test_a_refused_token_says_what_to_do() -> None:
    body = {"code": "unauthorized", "reason": "Unauthorized", "message": "bad token",
            "status": "401", "@type": "Error"}
    with pytest.raises(OperatorUnavailable, match="credentials set"):
        client_for(lambda r: httpx.Response(401, json=body)).subscriber("+79161234567")


def test_usage_pages_follow_the_cursor_to_the_end() -> None:
    pages = {None: ([usage_json(i) for i in range(3)], "c1"),
             "c1": ([usage_json(i) for i in range(3, 5)], None)}
    seen_params = []

    def handler(request: httpx.Request) -> httpx.Response:
        seen_params.append(dict(request.url.params))
        items, following = pages[request.url.params.get("cursor")]
        return httpx.Response(200, json={"items": items, "next_cursor": following})

    start = datetime(2026, 11, 1, tzinfo=UTC)
    end = datetime(2026, 12, 1, tzinfo=UTC)
    got = [r for page in client_for(handler).usage_pages("+79161234567", start, end) for r in page]
    assert [r.id[-4:] for r in got] == ["0000", "0001", "0002", "0003", "0004"]
    assert got[0].kind is UsageKind.CALL and got[0].amount == Decimal("1.50")
    assert seen_params[0]["from"] == "2026-11-01T00:00:00Z"
    assert seen_params[0]["to"] == "2026-12-01T00:00:00Z"
    assert seen_params[1]["cursor"] == "c1"
