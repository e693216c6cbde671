"""The client's order calls against httpx.MockTransport: previews, the write's headers and
body, typed refusals, 412, retries under the same key, and whether a failed write may have
reached the operator."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from decimal import Decimal
from typing import Any

import httpx
import pytest

from app.clock import FixedClock
from app.errors import OperatorUnavailable, OrderRefused, VersionMismatch
from app.operator_api.client import OperatorClient
from models.orders import OrderAction, OrderRequest
from tests.support.wire_samples import money

ADD = OrderRequest("+79161234567", OrderAction.ADD_SERVICE, "FAVOURITE")
KEY = "salon-0123456789abcdef"


# The console's clock: used only when an answer does not say what time the operator has.
NOW = datetime(2026, 11, 23, 10, 15, tzinfo=UTC)


def client_for(handler, retries: int = 3) -> OperatorClient:
    return OperatorClient("http://operator.test", "secret-token", clock=FixedClock(NOW),
                          read_retries=retries,
                          transport=httpx.MockTransport(handler), sleep=lambda _s: None)


def preview_json(**overrides: Any) -> dict[str, Any]:
    data: dict[str, Any] = {
        "allowed": True, "refusal": None, "fee": money("25.00"),
        "monthly_cost_before": money("549.00"), "monthly_cost_after": money("599.00"),
        "balance_before": money("1197.00"), "balance_after": money("1172.00"),
        "trial": None, "dropped_services": [], "subscriber_version": 3,
    }
    data.update(overrides)
    return data


def order_json(**overrides: Any) -> dict[str, Any]:
    data: dict[str, Any] = {
        "order_id": "ORD-000001", "state": "completed", "msisdn": "+79161234567",
        "action": "add_service", "tariff_code": None, "service_code": "FAVOURITE",
        "fee": money("25.00"), "monthly_cost_after": money("599.00"),
        "balance_after": money("1172.00"), "completed_at": "2026-11-23T10:15:00Z",
        "subscriber_version": 4, "dropped_services": [], "clerk": "clerk",
        "salon": "MSK-001", "counter": "2",
    }
    data.update(overrides)
    return data


def place(client: OperatorClient, request: OrderRequest = ADD):  # type: ignore[no-untyped-def]
    return client.place_order(request, key=KEY, if_match=3, clerk="clerk", salon="MSK-001",
                              counter="2")


@pytest.mark.parametrize(("request_", "params"), [
    (OrderRequest("+79161234567", OrderAction.CHANGE_TARIFF, "SMART_PLUS"),
     {"action": "change_tariff", "tariff_code": "SMART_PLUS"}),
    (ADD, {"action": "add_service", "service_code": "FAVOURITE"}),
    (OrderRequest("+79161234567", OrderAction.REMOVE_SERVICE, "GUARD"),
     {"action": "remove_service", "service_code": "GUARD"}),
    (OrderRequest("+79161234567", OrderAction.CONNECT_ASSISTANT),
     {"action": "connect_assistant"}),
])
def test_preview_asks_with_the_contract_parameters(request_: OrderRequest,
                                                   params: dict[str, str]) -> None:
    seen: list[httpx.Request] = []

    def handler(request: httpx.Request) -> httpx.Response:
        seen.append(request)
        return httpx.Response(200, json=preview_json())

    preview = client_for(handler).preview(request_)
    assert seen[0].url.path == "/v1/orders/preview"
    assert dict(seen[0].url.params) == {"msisdn": "+79161234567", **params}
    assert preview.request == request_ and preview.allowed
    assert preview.fee.amount == Decimal("25.00")
    assert preview.subscriber_version == 3


def test_a_refused_preview_is_not_an_exception_and_names_the_rule() -> None:
    answer = preview_json(allowed=False, refusal={"rule": "R1", "message": "Not on VIP."},
                          trial={"start": "2026-11-11", "end": "2026-12-11"},
                          dropped_services=[{"code": "ASSISTANT", "name": "Электронный Помощник"}])
    preview = client_for(lambda r: httpx.Response(200, json=answer)).preview(ADD)
    assert not preview.allowed and preview.refusal_rule == "R1"
    assert preview.refusal_message and "(R1)" in preview.refusal_message
    assert preview.trial is not None and preview.trial.end.isoformat() == "2026-12-11"
    assert preview.dropped_services[0].code == "ASSISTANT"


def test_an_unknown_code_in_a_preview_is_a_refusal_not_a_crash() -> None:
    body = {"error": {"code": "bad_request", "message": "There is no service 'NOPE'."}}
    with pytest.raises(OrderRefused, match="NOPE") as raised:
        client_for(lambda r: httpx.Response(400, json=body)).preview(ADD)
    assert raised.value.rule == "bad_request"


def test_place_order_sends_key_if_match_and_body() -> None:
    seen: list[httpx.Request] = []

    def handler(request: httpx.Request) -> httpx.Response:
        seen.append(request)
        return httpx.Response(201, json=order_json())

    result = place(client_for(handler))
    request = seen[0]
    assert request.method == "POST" and request.url.path == "/v1/orders"
    assert request.headers["Idempotency-Key"] == KEY
    assert request.headers["If-Match"] == '"3"'
    assert json.loads(request.content) == {
        "msisdn": "+79161234567", "action": "add_service", "service_code": "FAVOURITE",
        "clerk": "clerk", "salon": "MSK-001", "counter": "2"}
    assert result.order_id == "ORD-000001" and result.subscriber_version == 4
    assert result.completed_at.tzinfo is not None


def test_refusal_version_mismatch_and_unknown_number_are_typed() -> None:
    refusal = {"error": {"code": "rule_refused", "rule": "insufficient_balance",
                         "message": "The main balance is less than the fee."}}
    with pytest.raises(OrderRefused) as refused:
        place(client_for(lambda r: httpx.Response(422, json=refusal)))
    assert refused.value.rule == "insufficient_balance" and refused.value.exit_code == 3

    stale = {"error": {"code": "version_mismatch", "message": "changed", "current_version": 9}}
    with pytest.raises(VersionMismatch) as mismatch:
        place(client_for(lambda r: httpx.Response(412, json=stale)))
    assert mismatch.value.current_version == 9 and mismatch.value.rule == "version_mismatch"

    missing = {"error": {"code": "subscriber_not_found", "message": "no"}}
    with pytest.raises(OrderRefused) as unknown:
        place(client_for(lambda r: httpx.Response(404, json=missing)))
    assert unknown.value.rule == "subscriber_not_found"


def test_retries_keep_the_same_key_through_5xx_drops_and_409() -> None:
    keys: list[str] = []
    script: list[Any] = [httpx.Response(503), httpx.RemoteProtocolError("dropped"),
                         httpx.Response(409), httpx.Response(201, json=order_json())]

    def handler(request: httpx.Request) -> httpx.Response:
        keys.append(request.headers["Idempotency-Key"])
        step = script.pop(0)
        if isinstance(step, Exception):
            raise step
        return step

    assert place(client_for(handler)).order_id == "ORD-000001"
    assert keys == [KEY] * 4


@pytest.mark.parametrize(("failures", "maybe"), [
    ([httpx.ConnectError("refused")] * 4, False),
    ([httpx.ConnectTimeout("slow")] * 4, False),
    ([httpx.Response(503)] * 4, False),
    ([httpx.ConnectError("refused"), httpx.ReadTimeout("late"), httpx.Response(503),
      httpx.ConnectError("refused")], True),
    ([httpx.RemoteProtocolError("dropped after")] + [httpx.Response(503)] * 3, True),
    ([httpx.Response(502)] * 4, True),
    ([httpx.Response(409)] * 4, True),
])
def test_a_failed_write_says_whether_it_may_have_arrived(failures: list[Any],
                                                        maybe: bool) -> None:
    script = list(failures)

    def handler(request: httpx.Request) -> httpx.Response:
        step = script.pop(0)
        if isinstance(step, Exception):
            raise step
        return step

    with pytest.raises(OperatorUnavailable) as failed:
        place(client_for(handler))
    assert failed.value.maybe_delivered is maybe
    assert not script  # bounded: every attempt used, no more


def test_stored_order_settles_a_key() -> None:
    answers = {
        "applied": httpx.Response(200, json={"key": KEY, "status": 201, "body": order_json()}),
        "refused": httpx.Response(200, json={"key": KEY, "status": 422, "body": {"error": {
            "code": "rule_refused", "rule": "R1", "message": "no"}}}),
        "unknown": httpx.Response(404, json={"error": {"code": "unknown_key", "message": "?"}}),
    }
    for name, response in answers.items():
        client = client_for(lambda r, response=response: response)
        if name == "applied":
            result = client.stored_order(KEY)
            assert result is not None and result.order_id == "ORD-000001"
        elif name == "refused":
            with pytest.raises(OrderRefused, match=r"\(R1\)"):
                client.stored_order(KEY)
        else:
            assert client.stored_order(KEY) is None


def test_stored_order_waits_out_a_write_in_progress() -> None:
    script = [httpx.Response(409), httpx.Response(404, json={"error": {"code": "unknown_key",
                                                                       "message": "?"}})]
    seen: list[str] = []

    def handler(request: httpx.Request) -> httpx.Response:
        seen.append(request.url.path)
        return script.pop(0)

    assert client_for(handler).stored_order(KEY) is None
    assert seen == [f"/v1/orders/by-key/{KEY}"] * 2
