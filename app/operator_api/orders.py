"""The operator's orders: the fee preview, a change placed under its outbox key, and the stored
answer that settles a retry or a crash — a part of OperatorClient
(app/operator_api/client.py)."""

from __future__ import annotations

import logging
from typing import Any

import httpx

from app.errors import OperatorProtocolError, OrderRefused, VersionMismatch
from app.i18n import _
from app.operator_api.bodies import text_field
from app.operator_api.line_ids import LineIds
from app.operator_api.plumbing import error_body, json_or_none
from app.operator_api.wire import WireOrder, WirePreview, WireStoredAnswer
from app.order_rules import VERSION_MISMATCH, refusal_sentence
from models.orders import OrderAction, OrderPreview, OrderRequest, OrderResult

log = logging.getLogger(__name__)


class OrderCalls(LineIds):
    def preview(self, request: OrderRequest) -> OrderPreview:
        """What the order would cost and whether the rules allow it (R4); changes nothing.
        A refusal is a preview with allowed=False, not an exception."""
        params = {"msisdn": request.msisdn, "action": request.action.value,
                  **_codes(request)}
        response = self._with_retries(lambda: self._request("GET", "/v1/orders/preview",
                                                            params=params))
        if response.status_code == 400:
            code, message = error_body(response)
            log.warning("preview %s: 400 %s %s", params, code, message)
            raise OrderRefused(_(
                "The operator does not know this order: {message}"
            ).format(message=message or code), rule=code or "bad_request")
        self._raise_for_refusal(response, request.msisdn)
        wire = self._validate(response, WirePreview, "/v1/orders/preview")
        refusal = wire.refusal
        sentence = None if refusal is None else refusal_sentence(refusal.rule, refusal.message)
        return self._convert(lambda: wire.domain(request, sentence))

    def place_order(
        self, request: OrderRequest, *, key: str, if_match: int, clerk: str, salon: str,
        counter: str,
    ) -> OrderResult:
        """POST /v1/orders under `key`, retried (bounded, jittered) under the same key.
        Raises OrderRefused (a rule, or another final 4xx: nothing applied), VersionMismatch
        (412), SubscriberNotFound, OperatorUnavailable (`maybe_delivered` says whether an
        attempt may have reached the operator)."""
        body = {"msisdn": request.msisdn, "action": request.action.value, **_codes(request),
                "clerk": clerk, "salon": salon, "counter": counter}
        headers = {"Idempotency-Key": key, "If-Match": f'"{if_match}"'}
        response = self._with_retries(
            lambda: self._request("POST", "/v1/orders", json=body, headers=headers),
            write=True)
        return self._order_answer(response.status_code, response, request.msisdn)

    def stored_order(self, key: str) -> OrderResult | None:
        """The operator's stored answer to the write with this key, as place_order would have
        returned or raised it; None when that key never reached the operator (404
        unknown_key). OperatorUnavailable (maybe_delivered False) when it cannot tell yet."""
        response = self._with_retries(
            lambda: self._request("GET", f"/v1/orders/by-key/{key}"), conflicts=True)
        if response.status_code == 404 and error_body(response)[0] == "unknown_key":
            return None
        self._raise_for_refusal(response, None)
        stored = self._validate(response, WireStoredAnswer, "/v1/orders/by-key")
        return self._order_answer(stored.status, stored.body, None)

    def _order_answer(self, status: int, answer: httpx.Response | dict[str, Any],
                      msisdn: str | None) -> OrderResult:
        body = answer if isinstance(answer, dict) else json_or_none(answer)
        error = body.get("error") if isinstance(body, dict) else None
        error = error if isinstance(error, dict) else {}
        code, message = text_field(error, "code"), text_field(error, "message")
        if status in (200, 201):
            try:
                wire = self._convert(lambda: WireOrder.model_validate(body))
                if msisdn is not None:
                    self._same_number(msisdn, wire.msisdn, "/v1/orders")
                return self._convert(wire.domain)
            except OperatorProtocolError as garbled:
                garbled.maybe_delivered = True  # a success we cannot read: it was applied
                raise
        if status == 412:
            current = error.get("current_version")
            raise VersionMismatch(refusal_sentence(VERSION_MISMATCH, message),
                                  current if isinstance(current, int) else None)
        if status == 404 and code == "subscriber_not_found":
            raise OrderRefused(refusal_sentence("subscriber_not_found", message),
                               rule="subscriber_not_found")
        if status in (401, 403):
            raise self._token_refused()
        if status == 422 and code == "rule_refused":
            rule = text_field(error, "rule") or "rule_refused"
            raise OrderRefused(refusal_sentence(rule, message), rule=rule)
        # Any other 4xx is final too: the contract applies nothing on a 4xx, and the same
        # request would get the same answer (a bad body, 428, a reused key: a bug to log).
        log.error("order refused with %s %s: %s (msisdn %s)", status, code, message, msisdn)
        rule = str(code or f"http_{status}")
        raise OrderRefused(refusal_sentence(rule, message), rule=rule)


def _codes(request: OrderRequest) -> dict[str, str]:
    """The order's code as the contract names it for this action."""
    if request.action is OrderAction.CHANGE_TARIFF:
        return {"tariff_code": request.code or ""}
    if request.action is OrderAction.CONNECT_ASSISTANT:
        return {}
    return {"service_code": request.code or ""}
