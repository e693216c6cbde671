"""The client's order calls against httpx.MockTransport speaking TMF: the preview (TMF663 cart,
the line from TMF637, the main balance from TMF654), the order (TMF622) with its key, If-Match
and body, typed refusals, 412, retries under the same key, whether a failed write may have
reached the operator, the balance after an order, and settling a key by `externalId`. Every
body the client sends is held to the published TMF622 / TMF663 documents."""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import UTC, datetime
from decimal import Decimal
from typing import Any

import httpx
import pytest

from app.clock import FixedClock
from app.errors import (
    OperatorProtocolError,
    OperatorUnavailable,
    OrderRefused,
    SubscriberNotFound,
    VersionMismatch,
)
from app.operator_api.client import OperatorClient
from models.domain import Money, ServiceRef
from models.orders import OrderAction, OrderRequest, OrderResult
from tests.support.tmf_docs import TmfDocs

MSISDN = "+79161234567"
LINE = "L-79161234567"
ADD = OrderRequest(MSISDN, OrderAction.ADD_SERVICE, "FAVOURITE")
REMOVE = OrderRequest(MSISDN, OrderAction.REMOVE_SERVICE, "GUARD")
KEY = "salon-0123456789abcdef"
INVENTORY = "/tmf-api/productInventory/v4/product"
CART = "/tmf-api/shoppingCart/v4/shoppingCart"
ORDER = "/tmf-api/productOrderingManagement/v4/productOrder"
BUCKET = "/tmf-api/prepayBalanceManagement/v4/bucket"
USAGE = "/tmf-api/usageManagement/v4/usage"
MAIN_AT = "/tmf-api/x-salon/v1/mainBalance"
# The console's clock: used only when an answer does not say what time the operator has.
NOW = datetime(2026, 11, 23, 10, 15, tzinfo=UTC)
Json = dict[str, Any]


def rub(value: str) -> Json:
    return {"unit": "RUB", "value": float(value)}


def prices(fee: str, monthly: str) -> list[Json]:
    return [{"name": "Fee", "priceType": "oneTime", "price": {"taxIncludedAmount": rub(fee)}},
            {"name": "Monthly cost after", "priceType": "recurring",
             "recurringChargePeriod": "month", "price": {"taxIncludedAmount": rub(monthly)}}]


def monthly(value: str) -> list[Json]:
    return [{"priceType": "recurring", "recurringChargePeriod": "month",
             "price": {"taxIncludedAmount": rub(value)}}]


def line_json(**overrides: Any) -> Json:
    data: Json = {
        "id": LINE, "@type": "Product", "productSerialNumber": MSISDN, "status": "active",
        "productOffering": {"id": "tariff-SMART", "name": "Смарт"},
        "productPrice": monthly("450.00"),
        "product": [{"id": "S-opaque-17", "productOffering": {"id": "service-GUARD"},
                     "productPrice": monthly("99.00")},
                    {"id": "S-opaque-18", "productOffering": {"id": "service-ASSISTANT"},
                     "productPrice": monthly("0.00")}],
    }
    data.update(overrides)
    return data


def main_bucket(value: str = "1197.00") -> list[Json]:
    return [{"id": "B-1", "name": "main", "usageType": "monetary",
             "remainingValue": {"amount": float(value), "units": "RUB"}}]


def dropped_item(code: str, name: str, relationship: str) -> Json:
    return {"id": "1.1", "action": "delete", "product": {
                "id": f"S-opaque-{code}", "productRelationship": [
                    {"relationshipType": "bundled", "product": {"id": LINE}}]},
            "productOffering": {"id": f"service-{code}", "name": name},
            relationship: [{"id": "1", "relationshipType": "reliesOn"}]}


def cart_json(sent: Json, fee: str = "25.00", after: str = "599.00",
              extra: list[Json] | None = None, term: list[Json] | None = None) -> Json:
    item = {**sent["cartItem"][0], "status": "active", "itemPrice": prices(fee, after)}
    if term:
        item["itemTerm"] = term
    return {"id": "cart-1", "@type": "ShoppingCart", "cartItem": [item, *(extra or [])],
            "cartTotalPrice": prices(fee, after)}


def order_json(sent: Json | None = None, **overrides: Any) -> Json:
    item = (sent or {}).get("productOrderItem", [{
        "id": "1", "action": "add", "productOffering": {"id": "service-FAVOURITE"},
        "product": {"productRelationship": [{"relationshipType": "bundled",
                                             "product": {"id": LINE}}]}}])[0]
    product = item["product"]
    if item["action"] == "add":
        product = {**product, "id": "S-opaque-new"}
    if item["action"] == "delete":  # the operator names the line the service was on
        product = {**product, "productRelationship": [{"relationshipType": "bundled",
                                                       "product": {"id": LINE}}]}
    data: Json = {
        "id": "ORD-000001", "@type": "SalonProductOrder", "@baseType": "ProductOrder",
        "externalId": KEY, "state": "completed", "orderDate": "2026-11-23T10:15:00Z",
        "completionDate": "2026-11-23T10:15:00Z", "orderTotalPrice": prices("25.00", "599.00"),
        "productOrderItem": [{**item, "product": product, "state": "completed",
                              "itemPrice": prices("25.00", "599.00")}],
        "channel": [{"id": "MSK-001", "name": "2"}],
        "relatedParty": [{"id": "clerk", "role": "clerk", "@referredType": "Individual"}],
        "lineVersionBefore": 3, "lineVersionAfter": 4,
    }
    data.update(overrides)
    return data


def usage_record(usage_type: str, value: str, at: str = "2026-11-23T10:15:00Z") -> Json:
    return {"id": f"U-{usage_type}", "usageDate": at, "usageType": usage_type,
            "ratedProductUsage": [{"productRef": {"id": LINE},
                                   "taxIncludedRatingAmount": rub(value)}]}


class Operator:
    """A TMF operator for one line, answering from its attributes; `overrides` maps
    "METHOD path" to a function of the request that answers instead."""

    def __init__(self) -> None:
        self.seen: list[httpx.Request] = []
        self.line = line_json()
        self.line_version = 3
        self.cart_version = 3
        self.bucket = main_bucket()
        self.cart: Callable[[Json], Json] = cart_json
        self.orders: list[Json] = []
        self.main_at = "1222.00"  # before the second of the order
        self.usage_in_second = [usage_record("charge", "25.00")]
        self.overrides: dict[str, Callable[[httpx.Request], httpx.Response]] = {}

    def __call__(self, request: httpx.Request) -> httpx.Response:
        self.seen.append(request)
        path, method = request.url.path, request.method
        override = self.overrides.get(f"{method} {path}")
        if override is not None:
            return override(request)
        if path == INVENTORY:
            return httpx.Response(200, json=[{"id": LINE}])
        if path == f"{INVENTORY}/{LINE}":
            return httpx.Response(200, json=self.line,
                                  headers={"ETag": f'"{self.line_version}"'})
        if path == BUCKET:
            return httpx.Response(200, json=self.bucket)
        if path == CART:
            return httpx.Response(201, json=self.cart(json.loads(request.content)),
                                  headers={"ETag": f'"{self.cart_version}"'})
        if path == ORDER and method == "POST":
            return httpx.Response(201, json=order_json(json.loads(request.content)))
        if path == ORDER:
            return httpx.Response(200, json=self.orders)
        if path == MAIN_AT:
            return httpx.Response(200, json={
                "atDateTime": request.url.params["at"], "remainingValue": rub(self.main_at),
                "product": {"id": LINE}})
        if path == USAGE:
            return httpx.Response(200, json=self.usage_in_second)
        return httpx.Response(404, json={"code": "not_found", "message": path})

    def sent(self, method: str, path: str) -> list[httpx.Request]:
        return [r for r in self.seen if r.method == method and r.url.path == path]


def client_for(handler: Callable[[httpx.Request], httpx.Response],
               retries: int = 3) -> OperatorClient:
    return OperatorClient("http://operator.test", "secret-token", clock=FixedClock(NOW),
                          read_retries=retries,
                          transport=httpx.MockTransport(handler), sleep=lambda _s: None)


def place(client: OperatorClient, request: OrderRequest = ADD) -> OrderResult:
    return client.place_order(request, key=KEY, if_match=3, clerk="clerk", salon="MSK-001",
                              counter="2")


def error(status: int, code: str, message: str = "no", **extra: Any) -> httpx.Response:
    return httpx.Response(status, json={"code": code, "reason": code, "message": message,
                                        "status": str(status), "@type": "Error", **extra})


@pytest.fixture(scope="module")
def docs() -> TmfDocs:
    return TmfDocs.from_folder()


def held_to_the_documents(docs: TmfDocs, requests: list[httpx.Request]) -> None:
    docs.deviations.clear()
    for request in requests:
        if request.method == "POST":
            docs.check_request(request)
    assert docs.deviations == []


# -- the preview ---------------------------------------------------------------------------------

@pytest.mark.parametrize(("request_", "item"), [
    (OrderRequest(MSISDN, OrderAction.CHANGE_TARIFF, "SMART_PLUS"),
     {"id": "1", "action": "modify", "product": {"id": LINE},
      "productOffering": {"id": "tariff-SMART_PLUS"}}),
    (ADD, {"id": "1", "action": "add", "productOffering": {"id": "service-FAVOURITE"},
           "product": {"productRelationship": [{"relationshipType": "bundled",
                                                "product": {"id": LINE}}]}}),
    (REMOVE, {"id": "1", "action": "delete", "product": {"id": "S-opaque-17"},
              "productOffering": {"id": "service-GUARD"}}),
    (OrderRequest(MSISDN, OrderAction.CONNECT_ASSISTANT),
     {"id": "1", "action": "add", "productOffering": {"id": "service-ASSISTANT"},
      "product": {"productRelationship": [{"relationshipType": "bundled",
                                           "product": {"id": LINE}}]}}),
])
def test_preview_prices_a_cart_with_the_change_as_its_one_item(
        request_: OrderRequest, item: Json, docs: TmfDocs) -> None:
    operator = Operator()
    preview = client_for(operator).preview(request_)
    [cart] = operator.sent("POST", CART)
    assert json.loads(cart.content) == {"cartItem": [item]}
    assert "Idempotency-Key" not in cart.headers  # a preview changes nothing
    # The line's id was found by its number once; its services' product ids are the line's.
    lookups = operator.sent("GET", INVENTORY)
    assert [dict(r.url.params) for r in lookups] == [
        {"productSerialNumber": MSISDN, "fields": "id,status"}]
    assert preview.request == request_ and preview.allowed
    assert preview.fee == Money(Decimal("25.00")) and preview.subscriber_version == 3
    held_to_the_documents(docs, operator.seen)


def test_preview_figures_come_from_the_cart_the_line_and_the_main_bucket() -> None:
    operator = Operator()
    trial = [{"name": "trial", "@type": "SalonCartTerm", "@baseType": "CartTerm",
              "duration": {"amount": 31, "units": "day"},
              "validFor": {"startDateTime": "2026-11-11T00:00:00Z",
                           "endDateTime": "2026-12-11T23:59:59Z"}}]
    operator.cart = lambda sent: cart_json(
        sent, fee="300.00", after="699.00", term=trial,
        extra=[dropped_item("ASSISTANT", "Электронный Помощник", "cartItemRelationship")])
    preview = client_for(operator).preview(
        OrderRequest(MSISDN, OrderAction.CHANGE_TARIFF, "BIZ_START"))
    assert preview.fee == Money(Decimal("300.00"))
    assert preview.monthly_cost_before == Money(Decimal("549.00"))  # 450 + 99 + 0
    assert preview.monthly_cost_after == Money(Decimal("699.00"))
    assert preview.balance_before == Money(Decimal("1197.00"))
    assert preview.balance_after == Money(Decimal("897.00"))
    assert preview.dropped_services == (ServiceRef("ASSISTANT", "Электронный Помощник"),)
    assert preview.trial is not None
    assert (preview.trial.start.isoformat(), preview.trial.end.isoformat()) == (
        "2026-11-11", "2026-12-11")
    [bucket] = operator.sent("GET", BUCKET)
    assert dict(bucket.url.params) == {"product.id": LINE, "name": "main"}


def test_a_refused_preview_is_not_an_exception_and_names_the_rule() -> None:
    operator = Operator()
    operator.overrides[f"POST {CART}"] = lambda r: error(422, "R1", "Not on VIP.")
    preview = client_for(operator).preview(OrderRequest(MSISDN, OrderAction.CONNECT_ASSISTANT))
    assert not preview.allowed and preview.refusal_rule == "R1"
    assert preview.refusal_message and "(R1)" in preview.refusal_message
    # Nothing would change: no fee, the same monthly cost and balance, the line's version.
    assert preview.fee == Money(Decimal("0.00"))
    assert preview.monthly_cost_after == preview.monthly_cost_before
    assert preview.balance_after == preview.balance_before
    assert preview.subscriber_version == 3 and preview.dropped_services == ()


def test_disconnecting_a_service_the_line_does_not_have_is_a_refused_preview() -> None:
    operator = Operator()
    preview = client_for(operator).preview(
        OrderRequest(MSISDN, OrderAction.REMOVE_SERVICE, "FAVOURITE"))
    assert not preview.allowed and preview.refusal_rule == "not_connected"
    assert operator.sent("POST", CART) == []  # there is no product to name


def test_an_unknown_code_in_a_preview_is_a_refusal_not_a_crash() -> None:
    operator = Operator()
    operator.overrides[f"POST {CART}"] = lambda r: error(400, "bad_request",
                                                         "There is no service 'NOPE'.")
    with pytest.raises(OrderRefused, match="NOPE") as raised:
        client_for(operator).preview(ADD)
    assert raised.value.rule == "bad_request"


def test_a_line_that_moved_between_its_reading_and_the_cart_is_read_again() -> None:
    operator = Operator()
    lines, carts = iter([3, 5]), iter([4, 5])
    operator.overrides[f"GET {INVENTORY}/{LINE}"] = lambda r: httpx.Response(
        200, json=operator.line, headers={"ETag": f'"{next(lines)}"'})
    operator.overrides[f"POST {CART}"] = lambda r: httpx.Response(
        201, json=cart_json(json.loads(r.content)), headers={"ETag": f'"{next(carts)}"'})
    preview = client_for(operator).preview(ADD)
    assert preview.subscriber_version == 5
    assert len(operator.sent("POST", CART)) == 2


@pytest.mark.parametrize("answer", [
    lambda r: httpx.Response(201, json={"id": "c", "cartItem": [{
        "id": "1", "action": "add", "product": {"productRelationship": [{
            "relationshipType": "bundled", "product": {"id": "L-79990000000"}}]},
        "itemPrice": prices("25.00", "599.00")}]}, headers={"ETag": '"3"'}),
    lambda r: httpx.Response(201, json=cart_json(json.loads(r.content)),
                             headers={"ETag": "opaque-tag"}),
    lambda r: httpx.Response(201, content=json.dumps(cart_json(json.loads(r.content)))
                             .replace("25.0", "1e999"), headers={"ETag": '"3"'}),
])
def test_a_garbled_or_foreign_cart_is_refused_whole(
        answer: Callable[[httpx.Request], httpx.Response]) -> None:
    operator = Operator()
    operator.overrides[f"POST {CART}"] = answer
    with pytest.raises(OperatorProtocolError):
        client_for(operator).preview(ADD)


def test_a_line_the_operator_no_longer_has_is_forgotten_and_not_found() -> None:
    operator = Operator()
    client = client_for(operator)
    client.preview(ADD)
    operator.overrides[f"GET {INVENTORY}/{LINE}"] = lambda r: error(404, "not_found")
    with pytest.raises(SubscriberNotFound):
        client.preview(ADD)
    del operator.overrides[f"GET {INVENTORY}/{LINE}"]
    client.preview(ADD)
    assert len(operator.sent("GET", INVENTORY)) == 2  # looked up again


# -- placing an order ----------------------------------------------------------------------------

def test_place_order_sends_key_if_match_and_body(docs: TmfDocs) -> None:
    operator = Operator()
    result = place(client_for(operator))
    [request] = operator.sent("POST", ORDER)
    assert request.headers["Idempotency-Key"] == KEY
    assert request.headers["If-Match"] == '"3"'
    assert json.loads(request.content) == {
        "externalId": KEY,
        "productOrderItem": [{"id": "1", "action": "add",
                              "productOffering": {"id": "service-FAVOURITE"},
                              "product": {"productRelationship": [
                                  {"relationshipType": "bundled", "product": {"id": LINE}}]}}],
        "channel": [{"id": "MSK-001", "name": "2"}],
        "relatedParty": [{"id": "clerk", "role": "clerk", "@referredType": "Individual"}]}
    assert result.order_id == "ORD-000001" and result.subscriber_version == 4
    assert result.fee == Money(Decimal("25.00"))
    assert result.monthly_cost_after == Money(Decimal("599.00"))
    assert result.completed_at == datetime(2026, 11, 23, 10, 15, tzinfo=UTC)
    held_to_the_documents(docs, operator.seen)


def test_disconnecting_names_the_services_product_from_the_line(docs: TmfDocs) -> None:
    operator = Operator()
    result = place(client_for(operator), REMOVE)
    [request] = operator.sent("POST", ORDER)
    assert json.loads(request.content)["productOrderItem"] == [
        {"id": "1", "action": "delete", "product": {"id": "S-opaque-17"},
         "productOffering": {"id": "service-GUARD"}}]
    assert result.order_id == "ORD-000001"
    held_to_the_documents(docs, operator.seen)


def test_the_balance_after_is_the_main_balance_just_after_the_orders_second() -> None:
    """main(at = the order's second) plus every record within that second: its own fee and
    another order's fee of the same second, a payment."""
    operator = Operator()
    operator.usage_in_second = [usage_record("charge", "25.00"),
                                usage_record("charge", "30.00"),
                                usage_record("payment", "100.00"),
                                usage_record("voice", "0.00")]
    result = place(client_for(operator))
    assert result.balance_after == Money(Decimal("1267.00"))  # 1222 − 25 − 30 + 100
    [at] = operator.sent("GET", MAIN_AT)
    assert dict(at.url.params) == {"product.id": LINE, "at": "2026-11-23T10:15:00Z"}
    [usage] = operator.sent("GET", USAGE)
    assert dict(usage.url.params) == {
        "ratedProductUsage.productRef.id": LINE, "usageDate.gte": "2026-11-23T10:15:00Z",
        "usageDate.lt": "2026-11-23T10:15:01Z", "limit": "1000"}


def test_the_services_a_tariff_change_dropped_are_in_the_result() -> None:
    operator = Operator()
    operator.overrides[f"POST {ORDER}"] = lambda r: httpx.Response(201, json=order_json(
        json.loads(r.content), productOrderItem=[
            {**json.loads(r.content)["productOrderItem"][0], "state": "completed"},
            dropped_item("ASSISTANT", "Электронный Помощник", "productOrderItemRelationship")]))
    result = place(client_for(operator),
                   OrderRequest(MSISDN, OrderAction.CHANGE_TARIFF, "BIZ_START"))
    assert result.dropped_services == (ServiceRef("ASSISTANT", "Электронный Помощник"),)


def test_refusal_version_mismatch_and_unknown_number_are_typed() -> None:
    cases: list[tuple[httpx.Response, type[Exception], str]] = [
        (error(422, "insufficient_balance", "The main balance is less than the fee."),
         OrderRefused, "insufficient_balance"),
        (httpx.Response(412, json={"code": "version_mismatch", "reason": "Precondition Failed",
                                   "message": "changed", "status": "412",
                                   "@type": "SalonVersionMismatch", "@baseType": "Error",
                                   "currentVersion": 9}),
         VersionMismatch, "version_mismatch"),
        (error(404, "not_found"), OrderRefused, "subscriber_not_found"),
        (error(428, "precondition_required"), OrderRefused, "precondition_required"),
    ]
    for answer, kind, rule in cases:
        operator = Operator()
        operator.overrides[f"POST {ORDER}"] = lambda r, answer=answer: answer
        with pytest.raises(kind) as raised:
            place(client_for(operator))
        assert getattr(raised.value, "rule", None) == rule
        assert len(operator.sent("POST", ORDER)) == 1  # a decision: never asked again
    operator = Operator()
    operator.overrides[f"POST {ORDER}"] = lambda r: cases[1][0]
    with pytest.raises(VersionMismatch) as mismatch:
        place(client_for(operator))
    assert mismatch.value.current_version == 9
    operator.overrides[f"POST {ORDER}"] = lambda r: cases[0][0]
    with pytest.raises(OrderRefused) as refused:
        place(client_for(operator))
    assert refused.value.exit_code == 3 and "(insufficient_balance)" in str(refused.value)


def test_a_refused_token_says_so() -> None:
    operator = Operator()
    operator.overrides[f"POST {ORDER}"] = lambda r: error(401, "unauthorized")
    with pytest.raises(OperatorUnavailable, match="access token"):
        place(client_for(operator))


def test_an_unknown_number_is_a_refused_order_not_a_crash() -> None:
    operator = Operator()
    operator.overrides[f"GET {INVENTORY}"] = lambda r: httpx.Response(200, json=[])
    with pytest.raises(OrderRefused) as raised:
        place(client_for(operator))
    assert raised.value.rule == "subscriber_not_found"


def test_retries_keep_the_same_key_through_5xx_drops_and_409() -> None:
    operator = Operator()
    script: list[Any] = [error(503, "unavailable"), httpx.RemoteProtocolError("dropped"),
                         error(409, "request_in_progress")]

    def answer(request: httpx.Request) -> httpx.Response:
        if script:
            step = script.pop(0)
            if isinstance(step, Exception):
                raise step
            return step
        return httpx.Response(201, json=order_json(json.loads(request.content)))

    operator.overrides[f"POST {ORDER}"] = answer
    assert place(client_for(operator)).order_id == "ORD-000001"
    sent = operator.sent("POST", ORDER)
    assert [r.headers["Idempotency-Key"] for r in sent] == [KEY] * 4
    assert len({r.content for r in sent}) == 1  # the same request every time


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

    def answer(request: httpx.Request) -> httpx.Response:
        step = script.pop(0)
        if isinstance(step, Exception):
            raise step
        return step

    operator = Operator()
    operator.overrides[f"POST {ORDER}"] = answer
    with pytest.raises(OperatorUnavailable) as failed:
        place(client_for(operator))
    assert failed.value.maybe_delivered is maybe
    assert not script  # bounded: every attempt used, no more


@pytest.mark.parametrize("answer", [
    lambda r: httpx.Response(201, json={"id": "ORD-1", "state": "completed"}),
    lambda r: httpx.Response(201, json=order_json(json.loads(r.content), externalId="other")),
    lambda r: httpx.Response(201, json=order_json(None, productOrderItem=[{
        "id": "1", "action": "modify", "product": {"id": "L-79990000000"},
        "productOffering": {"id": "tariff-SMART"}}])),
])
def test_an_applied_order_the_console_cannot_read_may_have_been_delivered(
        answer: Callable[[httpx.Request], httpx.Response]) -> None:
    operator = Operator()
    operator.overrides[f"POST {ORDER}"] = answer
    with pytest.raises(OperatorProtocolError) as garbled:
        place(client_for(operator))
    assert garbled.value.maybe_delivered is True


def test_a_balance_that_cannot_be_read_after_an_applied_order_keeps_it_pending() -> None:
    """The order was applied: the outbox must ask again under the key, never give it up."""
    operator = Operator()
    operator.overrides[f"GET {MAIN_AT}"] = lambda r: httpx.Response(503)
    with pytest.raises(OperatorUnavailable) as failed:
        place(client_for(operator))
    assert failed.value.maybe_delivered is True


def test_a_key_held_for_another_request_is_settled_by_the_key_not_retried() -> None:
    operator = Operator()
    operator.overrides[f"POST {ORDER}"] = lambda r: error(409, "idempotency_conflict")
    with pytest.raises(OrderRefused) as refused:
        place(client_for(operator))
    assert refused.value.rule == "idempotency_conflict"
    assert len(operator.sent("POST", ORDER)) == 1
    operator.orders = [order_json()]
    assert place(client_for(operator)).order_id == "ORD-000001"


def test_a_disconnection_resent_after_it_was_applied_is_settled_by_its_key() -> None:
    """The first attempt disconnected the service and its answer was lost: the line no longer
    names the product, so the same item cannot be written again; the key's order says it was
    applied."""
    operator = Operator()
    operator.line = line_json(product=[])
    operator.orders = [order_json(None, productOrderItem=[{
        "id": "1", "action": "delete", "state": "completed", "product": {
            "id": "S-opaque-17", "productRelationship": [{"relationshipType": "bundled",
                                                          "product": {"id": LINE}}]},
        "productOffering": {"id": "service-GUARD"}}], orderTotalPrice=prices("0", "450"))]
    result = place(client_for(operator), REMOVE)
    assert result.order_id == "ORD-000001" and result.fee == Money(Decimal("0.00"))
    assert operator.sent("POST", ORDER) == []
    operator.orders = []
    with pytest.raises(OrderRefused) as refused:
        place(client_for(operator), REMOVE)
    assert refused.value.rule == "not_connected"


# -- settling a key ------------------------------------------------------------------------------

def test_stored_order_finds_the_order_by_its_external_id() -> None:
    operator = Operator()
    operator.orders = [order_json()]
    result = client_for(operator).stored_order(KEY)
    assert result is not None and result.order_id == "ORD-000001"
    assert result.balance_after == Money(Decimal("1197.00"))
    [asked] = operator.sent("GET", ORDER)
    assert dict(asked.url.params) == {"externalId": KEY}


def test_stored_order_is_none_when_nothing_was_applied_under_the_key() -> None:
    """Never arrived, or refused: a refused order is not an order."""
    assert client_for(Operator()).stored_order(KEY) is None


@pytest.mark.parametrize("orders", [
    [order_json(), order_json(id="ORD-000002")],
    [order_json(externalId="salon-another-key-0000")],
])
def test_stored_order_refuses_an_answer_about_other_keys(orders: list[Json]) -> None:
    operator = Operator()
    operator.orders = orders
    with pytest.raises(OperatorProtocolError):
        client_for(operator).stored_order(KEY)


def test_stored_order_asks_again_through_a_5xx() -> None:
    operator = Operator()
    script = [httpx.Response(503)]
    def answer(request: httpx.Request) -> httpx.Response:
        return script.pop(0) if script else httpx.Response(200, json=[])

    operator.overrides[f"GET {ORDER}"] = answer
    assert client_for(operator).stored_order(KEY) is None
    assert len(operator.sent("GET", ORDER)) == 2
