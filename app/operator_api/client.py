"""The operator API over HTTP: the reads (card, balances, catalog, usage) and the orders, their
answers validated into domain objects. The plumbing they share — the deadline, retries, size
caps and the one place where failures become app.errors' sentences — is
app/operator_api/plumbing.py; the access-code calls are app/operator_api/access_codes.py.
"""

from __future__ import annotations

import logging
from collections.abc import Iterator
from datetime import UTC, datetime
from typing import Any, Literal

import httpx

from app.errors import OperatorProtocolError, OrderRefused, VersionMismatch
from app.i18n import _
from app.operator_api.access_codes import AccessCodeCalls
from app.operator_api.bodies import text_field
from app.operator_api.plumbing import error_body, json_or_none
from app.operator_api.wire import (
    WireBalance,
    WireDemoList,
    WireHealth,
    WireOrder,
    WirePreview,
    WireServiceList,
    WireStoredAnswer,
    WireSubscriber,
    WireTariffList,
    WireUsagePage,
)
from app.order_rules import VERSION_MISMATCH, refusal_sentence
from models.domain import (
    Balances,
    CatalogService,
    CatalogTariff,
    DemoSubscriber,
    Subscriber,
    UsageRecord,
)
from models.orders import OrderAction, OrderPreview, OrderRequest, OrderResult

log = logging.getLogger(__name__)


class OperatorClient(AccessCodeCalls):
    """The operator API as the console's services use it (app/main.py builds one)."""

    # -- reads ---------------------------------------------------------------------------

    def health(self) -> None:
        """GET /health: the operator answers (raises OperatorUnavailable when it does not)."""
        self._get("/health", WireHealth)

    def subscriber(self, msisdn: str) -> Subscriber:
        path = f"/v1/subscribers/{msisdn}"
        wire = self._get(path, WireSubscriber, msisdn=msisdn)
        self._same_number(msisdn, wire.msisdn, path)
        return wire.domain()

    def balances(self, msisdn: str) -> Balances:
        path = f"/v1/subscribers/{msisdn}/balance"
        wire = self._get(path, WireBalance, msisdn=msisdn)
        self._same_number(msisdn, wire.msisdn, path)
        return self._convert(wire.domain)

    def tariffs(self) -> list[CatalogTariff]:
        return [t.domain() for t in self._get("/v1/catalog/tariffs", WireTariffList).items]

    def services(self) -> list[CatalogService]:
        return [s.domain() for s in self._get("/v1/catalog/services", WireServiceList).items]

    def usage_pages(
        self,
        msisdn: str,
        start: datetime,
        end: datetime,
        *,
        order: Literal["asc", "desc"] = "asc",
        page_size: int = 5000,
    ) -> Iterator[list[UsageRecord]]:
        """The usage records of [start, end), a page at a time, following the cursor."""
        params: dict[str, Any] = {
            "from": _utc(start), "to": _utc(end), "order": order, "limit": page_size,
        }
        while True:
            page = self._get(f"/v1/subscribers/{msisdn}/usage", WireUsagePage,
                             params=params, msisdn=msisdn, limit=self._limits.usage_page)
            yield [record.domain() for record in page.items]
            if not page.next_cursor:
                return
            params = {**params, "cursor": page.next_cursor}

    def demo_subscribers(self) -> list[DemoSubscriber]:
        return [d.domain() for d in self._get("/sandbox/subscribers", WireDemoList).items]

    # -- orders --------------------------------------------------------------------------

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

    # -- detalization reads (kept together at the end: other branches add writes above) ------

    def balances_at(self, msisdn: str, at: datetime) -> Balances:
        """The balances as of instant `at` (not in the future): a detalization's opening and
        closing main balance (the contract's balance identity)."""
        path = f"/v1/subscribers/{msisdn}/balance"
        wire = self._get(path, WireBalance, params={"at": _utc(at)}, msisdn=msisdn)
        self._same_number(msisdn, wire.msisdn, path)
        return self._convert(wire.domain)


def _codes(request: OrderRequest) -> dict[str, str]:
    """The order's code as the contract names it for this action."""
    if request.action is OrderAction.CHANGE_TARIFF:
        return {"tariff_code": request.code or ""}
    if request.action is OrderAction.CONNECT_ASSISTANT:
        return {}
    return {"service_code": request.code or ""}


def _utc(moment: datetime) -> str:
    if moment.tzinfo is None:
        raise ValueError("usage periods must be timezone-aware")
    return moment.astimezone(UTC).isoformat().replace("+00:00", "Z")
