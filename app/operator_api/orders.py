"""The operator's orders — a part of OperatorClient (app/operator_api/client.py): the fee preview
(TMF663 `POST /shoppingCart`), a change placed under its outbox key (TMF622
`POST /productOrder`), and the order that settles a retry or a crash
(`GET /productOrder?externalId={key}`).

A change is one item of one of three forms (resources/operator-api.md, "Changes to a line"):
a tariff is `modify` of the line with the offering `tariff-{CODE}`; a service (the Electronic
Assistant is `service-ASSISTANT`) is `add` of the offering `service-{CODE}` bundled with the
line; a service is disconnected by `delete` of its own product, whose id the line's `product[]`
gives (TMF637). The line's id comes from LineIds; every other id is the operator's.

What the old contract answered in one body is gathered here from the APIs that hold it, asked
in parallel: the monthly cost before from the line (TMF637), the main balance from its
buckets (TMF654), and an order's "main balance after" — the balance just after the second the
order took effect, its own fee and anything else of that second included — from the x-salon
main balance at that second plus the TMF635 usage records within it.

Exactly-once: every attempt of a write carries the outbox row's key as `Idempotency-Key` and
as `externalId`, with the same body; the operator answers a repeated key with its stored
answer (an order, or a stored refusal), so a retry or a resend after a crash never applies a
change twice. `stored_order` finds the applied order by its `externalId` without writing.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from datetime import datetime, timedelta
from decimal import Decimal
from typing import Any

import httpx

from app.errors import (
    OperatorProtocolError,
    OperatorUnavailable,
    OrderRefused,
    SubscriberNotFound,
    VersionMismatch,
)
from app.i18n import _
from app.operator_api.bodies import error_fields, text_field
from app.operator_api.line_ids import LineIds, utc_text
from app.operator_api.plumbing import error_body
from app.operator_api.wire_orders import (
    SERVICE_PREFIX,
    TARIFF_PREFIX,
    TmfBuckets,
    TmfCart,
    TmfItemProduct,
    TmfLine,
    TmfMainBalance,
    TmfProductOrder,
    TmfProductOrders,
    TmfUsages,
    kopecks,
    main_balance,
    price_of,
)
from app.order_rules import VERSION_MISMATCH, refusal_sentence
from app.phone import format_msisdn
from models.domain import Money
from models.orders import OrderAction, OrderPreview, OrderRequest, OrderResult

log = logging.getLogger(__name__)
Json = dict[str, Any]
ITEM = "1"  # the client's item: a request carries exactly one change
ASSISTANT = "ASSISTANT"
# More records than this within one second of one line is not an answer the console believes.
_MOST_IN_A_SECOND = 1000


class _KeyConflict(Exception):
    """409 idempotency_conflict: the operator holds another request under this key. Not
    retried (the same request gets the same answer); settled by the key instead."""


class OrderCalls(LineIds):
    # -- the preview (TMF663) --------------------------------------------------------------

    def preview(self, request: OrderRequest) -> OrderPreview:
        """What the order would cost and whether the rules allow it (R4); changes nothing.
        A refusal is a preview with allowed=False (nothing would change: no fee, the same
        monthly cost and balance), not an exception."""
        line_id = self.line_id(request.msisdn)
        preview = self._preview_once(request, line_id)
        if preview is None:  # the line changed between its reading and the cart: once more
            preview = self._preview_once(request, line_id)
        if preview is None:
            raise OperatorUnavailable(_(
                "The subscriber's data kept changing while the fee was being worked out; "
                "try again."))
        return preview

    def _preview_once(self, request: OrderRequest, line_id: str) -> OrderPreview | None:
        """None when the line's version and the cart's differ (a change in between)."""
        def balance() -> Money:
            return self._main_now(line_id, request.msisdn)

        if request.action is OrderAction.REMOVE_SERVICE:
            # The service's product id is on the line: read it first, the balance meanwhile.
            line_and_balance = _together(lambda: self._line(line_id, request.msisdn), balance)
            (line, line_version), balance_before = line_and_balance
            try:
                item = self._item(request, line_id, line)
            except OrderRefused as not_connected:  # no product to name: the rule is plain
                cart: tuple[TmfCart, int] | OrderRefused = not_connected
            else:
                cart = self._cart(item, request.msisdn)
        else:
            item = self._item(request, line_id, None)
            (line, line_version), balance_before, cart = _together(
                lambda: self._line(line_id, request.msisdn), balance,
                lambda: self._cart(item, request.msisdn))
        monthly_before = self._convert(line.monthly_cost)
        if isinstance(cart, OrderRefused):  # a rule (422): nothing would change
            return OrderPreview(
                request=request, allowed=False, refusal_rule=cart.rule,
                refusal_message=str(cart), fee=Money(_zero(), monthly_before.currency),
                monthly_cost_before=monthly_before, monthly_cost_after=monthly_before,
                balance_before=balance_before, balance_after=balance_before, trial=None,
                dropped_services=(), subscriber_version=line_version)
        priced, cart_version = cart
        if cart_version != line_version:
            log.info("preview of %s: the line moved %s → %s meanwhile", line_id, line_version,
                     cart_version)
            return None
        return self._convert(lambda: _preview(request, item, priced, line_id, monthly_before,
                                              balance_before, cart_version))

    def _cart(self, item: Json, msisdn: str) -> tuple[TmfCart, int] | OrderRefused:
        """The cart priced (with the line version the prices were made for, its ETag), or the
        rule that refuses the change. Not a write: a kept cart is only a record of a preview,
        so a retry after a lost answer costs nothing."""
        path = f"{self._api('shoppingCart')}/shoppingCart"
        response = self._with_retries(
            lambda: self._request("POST", path, json={"cartItem": [item]}))
        code, message = error_body(response)
        if response.status_code == 422:
            rule = code or "http_422"
            log.info("preview refused by %s: %s", rule, message)
            return OrderRefused(refusal_sentence(rule, message), rule=rule)
        if response.status_code == 400:
            log.warning("preview %s: 400 %s %s", item, code, message)
            raise OrderRefused(_(
                "The operator does not know this order: {message}"
            ).format(message=message or code), rule=code or "bad_request")
        if response.status_code == 404:
            raise self._no_line(msisdn)
        self._raise_for_refusal(response, msisdn)
        cart = self._validate(response, TmfCart, path)
        return cart, self._etag_version(response, path)

    # -- placing an order (TMF622) ---------------------------------------------------------

    def place_order(
        self, request: OrderRequest, *, key: str, if_match: int, clerk: str, salon: str,
        counter: str,
    ) -> OrderResult:
        """POST /productOrder under `key` (Idempotency-Key and externalId), retried (bounded,
        jittered) under the same key. Raises OrderRefused (a rule, the number unknown, or
        another final 4xx: nothing applied), VersionMismatch (412), OperatorUnavailable
        (`maybe_delivered` says whether an attempt may have reached the operator)."""
        try:
            line_id = self.line_id(request.msisdn)
        except SubscriberNotFound:
            raise _not_found_refusal(None) from None
        line = None
        if request.action is OrderAction.REMOVE_SERVICE:
            try:
                line = self._line(line_id, request.msisdn)[0]
            except SubscriberNotFound:
                raise _not_found_refusal(None) from None
        try:
            item = self._item(request, line_id, line)
        except OrderRefused:
            # The service is not on the line: an earlier attempt under this key may have
            # disconnected it (its answer lost). The operator's order for the key says so.
            settled = self.stored_order(key)
            if settled is not None:
                return settled
            raise
        body = {
            "externalId": key,
            "productOrderItem": [item],
            "channel": [{"id": salon, "name": counter}],
            "relatedParty": [{"id": clerk, "role": "clerk", "@referredType": "Individual"}],
        }
        headers = {"Idempotency-Key": key, "If-Match": f'"{if_match}"'}
        path = f"{self._api('productOrderingManagement')}/productOrder"
        try:
            response = self._with_retries(
                lambda: _no_key_conflict(self._request("POST", path, json=body,
                                                       headers=headers)), write=True)
        except _KeyConflict:
            log.error("order %s: the operator holds another request under this key", key)
            settled = self.stored_order(key)
            if settled is not None:
                return settled
            raise OrderRefused(refusal_sentence("idempotency_conflict", None),
                               rule="idempotency_conflict") from None
        return self._order_answer(response, request.msisdn, line_id, key, item)

    def stored_order(self, key: str) -> OrderResult | None:
        """The order the operator applied under this key (`GET /productOrder?externalId=`), as
        place_order returned it; None when it applied none — the key never arrived, or the
        order was refused (a refused order is not an order: its refusal is only the answer
        stored for its Idempotency-Key, which a resend with the key gets again).
        OperatorUnavailable (maybe_delivered False) when it cannot tell yet."""
        path = f"{self._api('productOrderingManagement')}/productOrder"
        response = self._with_retries(
            lambda: self._request("GET", path, params={"externalId": key}))
        self._raise_for_refusal(response, None)
        found = self._validate(response, TmfProductOrders, path).root
        if not found:
            return None
        if len(found) > 1 or found[0].externalId != key:
            log.warning("%s?externalId=%s: %d orders, or another key's", path, key, len(found))
            raise self._garbled()
        order = found[0]
        line_id = self._convert(lambda: order.line_id(ITEM))
        return self._result(order, line_id)

    def _order_answer(self, response: httpx.Response, msisdn: str, line_id: str,
                      key: str, item: Json) -> OrderResult:
        status = response.status_code
        error = error_fields(response)
        code, message = text_field(error, "code"), text_field(error, "message")
        if status in (200, 201):
            path = str(response.request.url.path)
            try:
                order = self._validate(response, TmfProductOrder, path)
                answered = self._convert(lambda: order.item(ITEM))
                if order.externalId not in (None, key) or answered.action != item["action"] \
                        or not _names(answered.product, line_id, item):
                    # Another line's order, or another key's: refused whole, as an answer
                    # about another number is.
                    self._same_number(msisdn, "", path)
                return self._result(order, line_id)
            except OperatorProtocolError as garbled:
                garbled.maybe_delivered = True  # a success we cannot read: it was applied
                raise
        if status == 412:
            current = error.get("currentVersion")
            raise VersionMismatch(refusal_sentence(VERSION_MISMATCH, message),
                                  current if isinstance(current, int)
                                  and not isinstance(current, bool) else None)
        if status == 404:
            self.forget_line(msisdn)
            raise _not_found_refusal(message)
        if status in (401, 403):
            raise self._token_refused()
        if status == 422:
            rule = code or "http_422"
            raise OrderRefused(refusal_sentence(rule, message), rule=rule)
        # Any other 4xx is final too: the contract applies nothing on a 4xx, and the same
        # request would get the same answer (a bad body, 428: a bug to log).
        log.error("order refused with %s %s: %s (msisdn %s)", status, code, message, msisdn)
        rule = str(code or f"http_{status}")
        raise OrderRefused(refusal_sentence(rule, message), rule=rule)

    def _result(self, order: TmfProductOrder, line_id: str) -> OrderResult:
        """The domain result of an applied order, with the main balance just after it. The
        order was applied: a failure to read that balance says so (maybe_delivered), so the
        outbox asks again under the same key rather than give the order up."""
        fee = self._convert(lambda: price_of(order.orderTotalPrice, "oneTime"))
        monthly_after = self._convert(lambda: price_of(order.orderTotalPrice, "recurring"))
        dropped = self._convert(lambda: order.dropped(ITEM))
        try:
            balance_after = self._balance_after(line_id, order.completionDate)
        except OperatorUnavailable as failed:
            failed.maybe_delivered = True
            raise
        return OrderResult(
            order_id=order.id, fee=fee, monthly_cost_after=monthly_after,
            balance_after=balance_after, completed_at=order.completionDate,
            subscriber_version=order.lineVersionAfter, dropped_services=dropped)

    # -- the items -------------------------------------------------------------------------

    def _item(self, request: OrderRequest, line_id: str, line: TmfLine | None) -> Json:
        """The one item of the change; `line` (read) for a disconnection: the service's
        product id is the line's. OrderRefused not_connected when the line has no such
        service."""
        code = request.code or ""
        if request.action is OrderAction.CHANGE_TARIFF:
            return {"id": ITEM, "action": "modify", "product": {"id": line_id},
                    "productOffering": {"id": TARIFF_PREFIX + code}}
        if request.action in (OrderAction.ADD_SERVICE, OrderAction.CONNECT_ASSISTANT):
            if request.action is OrderAction.CONNECT_ASSISTANT:
                code = ASSISTANT
            return {"id": ITEM, "action": "add",
                    "productOffering": {"id": SERVICE_PREFIX + code},
                    "product": {"productRelationship": [
                        {"relationshipType": "bundled", "product": {"id": line_id}}]}}
        assert line is not None
        product = self._convert(lambda: line.service_product(code))
        if product is None:
            raise OrderRefused(refusal_sentence("not_connected"), rule="not_connected")
        return {"id": ITEM, "action": "delete", "product": {"id": product},
                "productOffering": {"id": SERVICE_PREFIX + code}}

    # -- what a preview and a result need beside the cart and the order ---------------------

    def _line(self, line_id: str, msisdn: str) -> tuple[TmfLine, int]:
        """The line (TMF637 `GET /product/{id}`) and its version (ETag)."""
        path = f"{self._api('productInventory')}/product/{line_id}"
        response = self._with_retries(lambda: self._request("GET", path))
        if response.status_code == 404:
            raise self._no_line(msisdn)
        self._raise_for_refusal(response, msisdn)
        line = self._validate(response, TmfLine, path)
        if line.id != line_id:
            self._same_number(line_id, line.id, path)
        self._same_number(msisdn, line.productSerialNumber, path)
        return line, self._etag_version(response, path)

    def _main_now(self, line_id: str, msisdn: str) -> Money:
        """The main balance now: the line's `main` bucket (TMF654)."""
        path = f"{self._api('prepayBalanceManagement')}/bucket"
        buckets = self._get(path, TmfBuckets, params={"product.id": line_id, "name": "main"},
                            msisdn=msisdn)
        return self._convert(lambda: main_balance(buckets.root))

    def _balance_after(self, line_id: str, completed: datetime) -> Money:
        """The main balance just after the second `completed`: the x-salon main balance at
        that second (records before it) plus the usage records within it (TMF635) — the
        order's own fee, and any other order or usage of that very second."""
        second = completed.replace(microsecond=0)
        at, until = utc_text(second), utc_text(second + timedelta(seconds=1))
        balance_path = f"{self._api('x-salon')}/mainBalance"
        usage_path = f"{self._api('usageManagement')}/usage"
        before, records = _together(
            lambda: self._get(balance_path, TmfMainBalance,
                              params={"product.id": line_id, "at": at}),
            lambda: self._get(usage_path, TmfUsages, params={
                "ratedProductUsage.productRef.id": line_id, "usageDate.gte": at,
                "usageDate.lt": until, "limit": str(_MOST_IN_A_SECOND)}))
        if before.product.id != line_id or before.atDateTime != second:
            self._same_number(line_id, before.product.id, balance_path)
            raise self._garbled()
        if len(records.root) >= _MOST_IN_A_SECOND or any(
                not second <= r.usageDate < second + timedelta(seconds=1) for r in records.root):
            log.warning("%s: records outside the second asked for, or too many", usage_path)
            raise self._garbled()

        def total() -> Money:
            balance = kopecks(before.remainingValue)
            effects = [r.effect(line_id) for r in records.root]
            if any(e.currency != balance.currency for e in effects):
                raise ValueError("usage in another currency than the balance")
            return Money(balance.amount + sum((e.amount for e in effects), _zero()),
                         balance.currency)

        return self._convert(total)

    def _etag_version(self, response: httpx.Response, path: str) -> int:
        """The line's version from an ETag: `"7"` (or weak, `W/"7"`)."""
        tag = response.headers.get("ETag", "").removeprefix("W/").strip('"')
        if not tag.isascii() or not tag.isdigit() or len(tag) > 16:
            log.warning("%s: ETag %r is not a line version", path, tag)
            raise self._garbled()
        return int(tag)

    def _no_line(self, msisdn: str) -> SubscriberNotFound:
        """404 for a line id: the number moved to another line (or left); forget the id."""
        self.forget_line(msisdn)
        return SubscriberNotFound(_("There is no subscriber with the number {number}.")
                                  .format(number=format_msisdn(msisdn)))


def _preview(request: OrderRequest, item: Json, cart: TmfCart, line_id: str,
             monthly_before: Money, balance_before: Money, version: int) -> OrderPreview:
    priced = cart.item(ITEM)
    if priced.action != item["action"] or not _names(priced.product, line_id, item):
        raise ValueError("the cart's item is not the change asked for")
    fee = price_of(priced.itemPrice, "oneTime")
    if fee.currency != balance_before.currency:
        raise ValueError("the fee and the balance in different currencies")
    return OrderPreview(
        request=request, allowed=True, refusal_rule=None, refusal_message=None, fee=fee,
        monthly_cost_before=monthly_before,
        monthly_cost_after=price_of(priced.itemPrice, "recurring"),
        balance_before=balance_before,
        balance_after=Money(balance_before.amount - fee.amount, fee.currency),
        trial=priced.trial(), dropped_services=cart.dropped(ITEM),
        subscriber_version=version)


def _names(product: TmfItemProduct | None, line_id: str, sent: Json) -> bool:
    """Whether an answer's item is about the line asked for: the line itself, a product
    bundled with it, or the very product the request named (a service being disconnected)."""
    if product is None:
        return False
    named = sent["product"].get("id")
    return product.names_line(line_id) or (named is not None and product.id == named)


def _no_key_conflict(response: httpx.Response) -> httpx.Response:
    if response.status_code == 409 and error_body(response)[0] == "idempotency_conflict":
        raise _KeyConflict()
    return response


def _not_found_refusal(message: str | None) -> OrderRefused:
    return OrderRefused(refusal_sentence("subscriber_not_found", message),
                        rule="subscriber_not_found")


def _zero() -> Decimal:
    return Decimal("0.00")


def _together(*calls: Callable[[], Any]) -> tuple[Any, ...]:
    """The calls made at once (each on its own thread with its own deadline and retries), their
    answers in order; the first failure, in order, is raised once all have ended."""
    with ThreadPoolExecutor(max_workers=len(calls), thread_name_prefix="operator") as pool:
        futures = [pool.submit(call) for call in calls]
        return tuple(future.result() for future in futures)
