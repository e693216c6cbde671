"""The HTTP client against httpx.MockTransport: the adapter boundary of the sync layer (the
card's and the balances' own reads: tests/unit/test_operator_lines.py)."""

from __future__ import annotations

from datetime import UTC, datetime

import httpx
import pytest

from app.clock import FixedClock
from app.errors import OperatorUnavailable
from app.operator_api.client import OperatorClient
from tests.support.tmf_samples import CardOperator

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

