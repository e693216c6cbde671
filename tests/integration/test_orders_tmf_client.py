"""The console's order calls against the real sandbox over loopback, on TMF alone: every preview
and order figure the old `/v1` contract answered in one body is the same when gathered from
TMF663, TMF622, TMF637, TMF654, TMF635 and the x-salon main balance (the sandbox's `/v1` face
is the oracle here, and only here); a retry and a settle by `externalId`; 412 → reload; and
every request the client sends and every answer it reads held to TM Forum's published v4
documents ($TMF_DOCS, default ../shared/tmf/v4)."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from decimal import Decimal
from typing import Any

import httpx
import pytest

from app.errors import OrderRefused, VersionMismatch
from app.operator_api.client import OperatorClient
from models.orders import OrderAction, OrderPreview, OrderRequest, OrderResult
from sandbox.server import RunningSandbox
from tests.integration.test_sandbox_kit import TOKEN, start
from tests.support.pinned import RunningClock
from tests.support.tmf_docs import TmfDocs

MARIA = "+79161234567"  # SMART, GUARD and the Assistant
POPOVA = "+79121234567"  # mass tariff
KUBAN = "+79181234567"  # ONLINE, GUARD + ROAMING_PLUS
ORLOV = "+79261112233"  # corporate: R1
BLOCKED = "+79171234567"
ORDERS = "/tmf-api/productOrderingManagement/v4/productOrder"


class CheckedTransport(httpx.BaseTransport):
    """The network as the console uses it, with every message held to the documents."""

    def __init__(self, docs: TmfDocs) -> None:
        self._inner = httpx.HTTPTransport()
        self._docs = docs

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        self._docs.check_request(request)
        response = self._inner.handle_request(request)
        response.read()
        response.request = request
        self._docs.check_response(response)
        return response

    def close(self) -> None:
        self._inner.close()


@pytest.fixture(scope="module")
def docs() -> TmfDocs:
    return TmfDocs.from_folder()


@pytest.fixture(scope="module")
def sandbox(tmp_path_factory: pytest.TempPathFactory) -> Iterator[RunningSandbox]:
    """A world pinned to 23 November 2026 (then passing as real seconds do)."""
    with start(tmp_path_factory.mktemp("orders-tmf"), real_time=RunningClock().seconds) as running:
        yield running


@pytest.fixture(scope="module")
def client(sandbox: RunningSandbox, docs: TmfDocs) -> Iterator[OperatorClient]:
    made = OperatorClient(sandbox.url, TOKEN, clock=RunningClock(),
                          transport=CheckedTransport(docs), sleep=lambda _s: None)
    yield made
    made.close()


@pytest.fixture(scope="module")
def http(sandbox: RunningSandbox) -> Iterator[httpx.Client]:
    with httpx.Client(base_url=sandbox.url, timeout=30,
                      headers={"Authorization": f"Bearer {TOKEN}"}) as made:
        yield made


def money(value: dict[str, str]) -> Decimal:
    return Decimal(value["value"])


def v1_preview(http: httpx.Client, request: OrderRequest) -> dict[str, Any]:
    params = {"msisdn": request.msisdn, "action": request.action.value}
    if request.action is OrderAction.CHANGE_TARIFF:
        params["tariff_code"] = request.code or ""
    elif request.action is not OrderAction.CONNECT_ASSISTANT:
        params["service_code"] = request.code or ""
    answer = http.get("/v1/orders/preview", params=params)
    answer.raise_for_status()
    return dict(answer.json())


def same_as_v1(preview: OrderPreview, old: dict[str, Any]) -> None:
    assert preview.allowed is old["allowed"]
    assert preview.refusal_rule == (old["refusal"] or {}).get("rule")
    assert preview.monthly_cost_before.amount == money(old["monthly_cost_before"])
    assert preview.balance_before.amount == money(old["balance_before"])
    assert preview.subscriber_version == old["subscriber_version"]
    if not preview.allowed:  # TMF663 prices no refused cart: nothing would change
        return
    assert preview.fee.amount == money(old["fee"])
    assert preview.monthly_cost_after.amount == money(old["monthly_cost_after"])
    assert preview.balance_after.amount == money(old["balance_after"])
    assert [(s.code, s.name) for s in preview.dropped_services] == [
        (s["code"], s["name"]) for s in old["dropped_services"]]
    trial = old["trial"]
    assert (None if preview.trial is None else
            (preview.trial.start.isoformat(), preview.trial.end.isoformat())) == (
        None if trial is None else (trial["start"], trial["end"]))


def key() -> str:
    return f"salon-{uuid.uuid4().hex}"


def place(client: OperatorClient, preview: OrderPreview, order_key: str) -> OrderResult:
    return client.place_order(preview.request, key=order_key,
                              if_match=preview.subscriber_version, clerk="petrova",
                              salon="MSK-001", counter="2")


def same_as_v1_order(result: OrderResult, http: httpx.Client) -> None:
    old = http.get(f"/v1/orders/{result.order_id}").json()
    assert result.fee.amount == money(old["fee"])
    assert result.monthly_cost_after.amount == money(old["monthly_cost_after"])
    assert result.balance_after.amount == money(old["balance_after"])
    assert result.subscriber_version == old["subscriber_version"]
    assert result.completed_at.isoformat().replace("+00:00", "Z") == old["completed_at"]
    assert [(s.code, s.name) for s in result.dropped_services] == [
        (s["code"], s["name"]) for s in old["dropped_services"]]


@pytest.mark.parametrize("request_", [
    OrderRequest(MARIA, OrderAction.CHANGE_TARIFF, "BIZ_START"),  # drops the Assistant (R1)
    OrderRequest(MARIA, OrderAction.CHANGE_TARIFF, "SMART"),  # same_tariff
    OrderRequest(MARIA, OrderAction.CHANGE_TARIFF, "CLASSIC"),  # archived: not_available
    OrderRequest(MARIA, OrderAction.ADD_SERVICE, "FAVOURITE"),
    OrderRequest(MARIA, OrderAction.ADD_SERVICE, "GUARD"),  # already_connected
    OrderRequest(MARIA, OrderAction.REMOVE_SERVICE, "GUARD"),
    OrderRequest(MARIA, OrderAction.REMOVE_SERVICE, "BEEP"),  # not_connected
    OrderRequest(POPOVA, OrderAction.CONNECT_ASSISTANT),
    OrderRequest(ORLOV, OrderAction.CONNECT_ASSISTANT),  # R1
    OrderRequest(BLOCKED, OrderAction.ADD_SERVICE, "BEEP"),  # subscriber_blocked
    OrderRequest(KUBAN, OrderAction.CHANGE_TARIFF, "SMART"),
])
def test_every_preview_figure_is_the_old_contracts(client: OperatorClient, http: httpx.Client,
                                                  request_: OrderRequest) -> None:
    same_as_v1(client.preview(request_), v1_preview(http, request_))


def test_a_trial_service_shows_its_trial(client: OperatorClient, http: httpx.Client) -> None:
    """R5: whatever service the catalog has in trial operation is previewed with it."""
    offerings = http.get("/tmf-api/productCatalogManagement/v4/productOffering",
                         params={"category.id": "service"}).json()
    trials = [o["id"].removeprefix("service-") for o in offerings
              if o.get("productOfferingTerm")]
    assert trials
    for code in trials:
        for number in (POPOVA, KUBAN):
            request = OrderRequest(number, OrderAction.ADD_SERVICE, code)
            preview = client.preview(request)
            same_as_v1(preview, v1_preview(http, request))


def test_each_kind_of_change_is_applied_once_with_the_old_contracts_figures(
        client: OperatorClient, http: httpx.Client) -> None:
    for request in (OrderRequest(KUBAN, OrderAction.ADD_SERVICE, "FAVOURITE"),
                    OrderRequest(KUBAN, OrderAction.REMOVE_SERVICE, "GUARD"),
                    OrderRequest(POPOVA, OrderAction.CONNECT_ASSISTANT),
                    OrderRequest(MARIA, OrderAction.CHANGE_TARIFF, "BIZ_START")):
        preview = client.preview(request)
        assert preview.allowed, preview
        order_key = key()
        result = place(client, preview, order_key)
        assert result.subscriber_version == preview.subscriber_version + 1
        assert result.dropped_services == preview.dropped_services
        same_as_v1_order(result, http)
        # A retry under the key gets the same order; the key finds it too.
        assert place(client, preview, order_key) == result
        assert client.stored_order(order_key) == result
        found = http.get(ORDERS, params={"externalId": order_key}).json()
        assert [o["id"] for o in found] == [result.order_id]


def test_two_orders_in_one_second_each_answer_the_balance_after_itself(
        client: OperatorClient, http: httpx.Client) -> None:
    """The balance after an order counts every record of its second: a second order in the
    same second shows both fees, as the operator's own balance does."""
    results = []
    for code in ("WHO_CALLED", "MOBILE_TV"):
        preview = client.preview(OrderRequest(KUBAN, OrderAction.ADD_SERVICE, code))
        results.append(place(client, preview, key()))
    for result in results:
        same_as_v1_order(result, http)


def test_a_refused_order_is_not_an_order(client: OperatorClient, http: httpx.Client) -> None:
    request = OrderRequest(ORLOV, OrderAction.CONNECT_ASSISTANT)
    version = client.preview(OrderRequest(ORLOV, OrderAction.ADD_SERVICE,
                                          "FAVOURITE")).subscriber_version
    order_key = key()
    for _attempt in range(2):  # the second is the stored refusal, replayed
        with pytest.raises(OrderRefused) as refused:
            client.place_order(request, key=order_key, if_match=version, clerk="petrova",
                               salon="MSK-001", counter="2")
        assert refused.value.rule == "R1" and "(R1)" in str(refused.value)
    assert client.stored_order(order_key) is None
    assert client.stored_order(key()) is None  # a key never sent


def test_a_stale_version_is_412_then_the_reloaded_preview_goes_through(
        client: OperatorClient, http: httpx.Client) -> None:
    first = client.preview(OrderRequest(POPOVA, OrderAction.ADD_SERVICE, "FAVOURITE"))
    place(client, client.preview(OrderRequest(POPOVA, OrderAction.ADD_SERVICE, "BEEP")), key())
    with pytest.raises(VersionMismatch) as stale:
        place(client, first, key())
    assert stale.value.current_version == first.subscriber_version + 1
    again = client.preview(first.request)
    assert again.subscriber_version == stale.value.current_version
    assert place(client, again, key()).subscriber_version == again.subscriber_version + 1


def test_every_message_was_as_the_published_document_says(docs: TmfDocs) -> None:
    assert docs.checked > 50
    assert docs.deviations == []
