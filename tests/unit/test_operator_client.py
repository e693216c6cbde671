"""The HTTP client against httpx.MockTransport: the adapter boundary of the sync layer."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from decimal import Decimal

import httpx
import pytest

from app.clock import FixedClock
from app.errors import OperatorProtocolError, OperatorUnavailable, SubscriberNotFound
from app.operator_api.client import OperatorClient
from models.domain import PackageKind, SubscriberStatus, TariffClass
from tests.support.wire_samples import balance_json, subscriber_json

# The console's clock: used only when an answer does not say what time the operator has.
NOW = datetime(2026, 11, 23, 10, 15, tzinfo=UTC)


def client_for(handler, retries: int = 3) -> OperatorClient:
    return OperatorClient(
        "http://operator.test", "secret-token", clock=FixedClock(NOW), read_retries=retries,
        transport=httpx.MockTransport(handler), sleep=lambda _seconds: None,
    )


def test_subscriber_is_read_into_a_domain_object_with_the_bearer_token() -> None:
    seen: list[httpx.Request] = []

    def handler(request: httpx.Request) -> httpx.Response:
        seen.append(request)
        return httpx.Response(200, json=subscriber_json())

    subscriber = client_for(handler).subscriber("+79161234567")
    assert seen[0].url.path == "/v1/subscribers/+79161234567"
    assert seen[0].headers["Authorization"] == "Bearer secret-token"
    assert subscriber.name == "Иванова Мария Петровна"
    assert subscriber.status is SubscriberStatus.ACTIVE
    assert subscriber.tariff.tariff_class is TariffClass.MASS
    assert subscriber.tariff.monthly_fee.amount == Decimal("450.00")
    assert subscriber.region.timezone == "Europe/Moscow"
    assert subscriber.services[0].code == "GUARD"
    assert subscriber.assistant_connected is True
    assert subscriber.version == 3


def test_balance_buckets_become_balances_in_decimal() -> None:
    client = client_for(lambda r: httpx.Response(200, json=balance_json()))
    balances = client.balances("+79161234567")
    assert balances.main.amount == Decimal("123.45")
    assert balances.bonus.amount == Decimal("50.00")
    assert balances.promised_payment_debt.amount == Decimal("100.00")
    assert balances.promised_payment_due == datetime(2026, 11, 26, 21, tzinfo=UTC)
    assert [p.kind for p in balances.packages] == [PackageKind.MINUTES, PackageKind.DATA]
    assert balances.packages[0].remaining == Decimal("250")


def test_no_debt_bucket_means_zero_debt() -> None:
    answer = balance_json(debt=False)
    balances = client_for(lambda r: httpx.Response(200, json=answer)).balances("+79161234567")
    assert balances.promised_payment_debt.amount == Decimal("0.00")
    assert balances.promised_payment_due is None


def test_not_found_is_a_clerk_sentence() -> None:
    body = {"error": {"code": "subscriber_not_found", "message": "no such subscriber"}}
    client = client_for(lambda r: httpx.Response(404, json=body))
    with pytest.raises(SubscriberNotFound, match=r"\+7 916 123-45-67"):
        client.subscriber("+79161234567")


def test_server_errors_are_retried_then_answered() -> None:
    calls = []

    def handler(request: httpx.Request) -> httpx.Response:
        calls.append(request)
        if len(calls) < 3:
            return httpx.Response(503, json={"error": {"code": "internal", "message": "x"}})
        return httpx.Response(200, json=subscriber_json())

    assert client_for(handler).subscriber("+79161234567").name
    assert len(calls) == 3


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


@pytest.mark.parametrize(
    "body",
    [
        b"<html>gateway</html>",
        json.dumps({**subscriber_json(), "status": "sleeping"}).encode(),
        json.dumps({k: v for k, v in subscriber_json().items() if k != "tariff"}).encode(),
        json.dumps({**subscriber_json(), "msisdn": "not a number"}).encode(),
    ],
)
def test_a_broken_answer_is_a_protocol_error(body: bytes) -> None:
    client = client_for(lambda r: httpx.Response(200, content=body))
    with pytest.raises(OperatorProtocolError, match="unexpected way"):
        client.subscriber("+79161234567")


def test_a_balance_without_a_main_bucket_is_a_protocol_error() -> None:
    answer = balance_json()
    answer["buckets"] = [b for b in answer["buckets"] if b["kind"] != "main"]
    with pytest.raises(OperatorProtocolError):
        client_for(lambda r: httpx.Response(200, json=answer)).balances("+79161234567")


def test_money_as_a_float_with_too_many_places_is_refused() -> None:
    answer = balance_json()
    answer["buckets"][0]["amount"]["value"] = "1.23456"
    with pytest.raises(OperatorProtocolError):
        client_for(lambda r: httpx.Response(200, json=answer)).balances("+79161234567")


def test_a_refused_token_says_what_to_do() -> None:
    body = {"error": {"code": "unauthorized", "message": "bad token"}}
    with pytest.raises(OperatorUnavailable, match="credentials set"):
        client_for(lambda r: httpx.Response(401, json=body)).subscriber("+79161234567")

