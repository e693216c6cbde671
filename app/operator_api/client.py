"""The operator API over HTTP: reads with bounded, jittered retries; answers validated into
domain objects; every failure turned into one of app.errors' sentences.

The transport is injectable (httpx.MockTransport in unit tests, the real network otherwise).
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterator
from datetime import UTC, datetime
from typing import Any, Literal, TypeVar

import httpx
from pydantic import BaseModel, ValidationError
from tenacity import (
    RetryError,
    Retrying,
    retry_if_exception_type,
    stop_after_attempt,
    wait_exponential_jitter,
)

from app.errors import OperatorProtocolError, OperatorUnavailable, SubscriberNotFound
from app.i18n import _
from app.operator_api.wire import (
    WireBalance,
    WireDemoList,
    WireServiceList,
    WireSubscriber,
    WireTariffList,
    WireUsagePage,
)
from app.phone import format_msisdn
from models.domain import (
    Balances,
    CatalogService,
    CatalogTariff,
    DemoSubscriber,
    Subscriber,
    UsageRecord,
)

log = logging.getLogger(__name__)
W = TypeVar("W", bound=BaseModel)
USER_AGENT = "salon-console/0.1"


class _Retryable(Exception):
    """A read that may succeed if asked again: a network error or a 5xx answer."""

    def __init__(self, cause: Exception | httpx.Response) -> None:
        super().__init__(str(cause))
        self.cause = cause


class OperatorClient:
    def __init__(
        self,
        base_url: str,
        token: str,
        *,
        connect_timeout: float = 3.0,
        read_timeout: float = 10.0,
        read_retries: int = 3,
        transport: httpx.BaseTransport | None = None,
        sleep: Callable[[float], None] | None = None,
    ) -> None:
        self._http = httpx.Client(
            base_url=base_url,
            headers={"Authorization": f"Bearer {token}", "User-Agent": USER_AGENT},
            timeout=httpx.Timeout(read_timeout, connect=connect_timeout),
            transport=transport,
        )
        self._read_timeout = read_timeout
        self._retries = read_retries
        self._sleep = sleep

    def close(self) -> None:
        self._http.close()

    # -- reads ---------------------------------------------------------------------------

    def subscriber(self, msisdn: str) -> Subscriber:
        return self._get(f"/v1/subscribers/{msisdn}", WireSubscriber, msisdn=msisdn).domain()

    def balances(self, msisdn: str) -> Balances:
        wire = self._get(f"/v1/subscribers/{msisdn}/balance", WireBalance, msisdn=msisdn)
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
                             params=params, msisdn=msisdn)
            yield [record.domain() for record in page.items]
            if not page.next_cursor:
                return
            params = {**params, "cursor": page.next_cursor}

    def demo_subscribers(self) -> list[DemoSubscriber]:
        return [d.domain() for d in self._get("/sandbox/subscribers", WireDemoList).items]

    # -- plumbing ------------------------------------------------------------------------

    def _get(
        self,
        path: str,
        model: type[W],
        *,
        params: dict[str, Any] | None = None,
        msisdn: str | None = None,
    ) -> W:
        response = self._with_retries(lambda: self._http.get(path, params=params))
        self._raise_for_refusal(response, msisdn)
        try:
            return model.model_validate_json(response.content)
        except ValidationError as error:
            log.warning("GET %s: answer does not match the contract: %s", path, error)
            raise OperatorProtocolError(_(
                "The operator's system answered in an unexpected way; "
                "the details are in the log."
            )) from error

    def _convert(self, build: Callable[[], Any]) -> Any:
        try:
            return build()
        except ValueError as error:
            log.warning("answer does not match the contract: %s", error)
            raise OperatorProtocolError(_(
                "The operator's system answered in an unexpected way; "
                "the details are in the log."
            )) from error

    def _with_retries(self, send: Callable[[], httpx.Response]) -> httpx.Response:
        def attempt() -> httpx.Response:
            try:
                response = send()
            except httpx.TransportError as error:
                raise _Retryable(error) from error
            if response.status_code >= 500:
                raise _Retryable(response)
            return response

        retrying = Retrying(
            stop=stop_after_attempt(self._retries + 1),
            wait=wait_exponential_jitter(multiplier=0.2, max=2.0, jitter=0.3),
            retry=retry_if_exception_type(_Retryable),
            **({"sleep": self._sleep} if self._sleep else {}),
        )
        try:
            return retrying(attempt)
        except RetryError as final:
            failure = final.last_attempt.exception()
            assert isinstance(failure, _Retryable)
            raise self._unavailable(failure.cause) from failure

    def _unavailable(self, cause: Exception | httpx.Response) -> OperatorUnavailable:
        log.warning("operator API unavailable: %r", cause)
        if isinstance(cause, httpx.Response):
            return OperatorUnavailable(_(
                "The operator's system reported an internal error (HTTP {status})."
            ).format(status=cause.status_code))
        if isinstance(cause, httpx.TimeoutException):
            return OperatorUnavailable(_(
                "The operator's system did not answer within {seconds:g} seconds."
            ).format(seconds=self._read_timeout))
        if isinstance(cause, httpx.ConnectError):
            return OperatorUnavailable(_("The operator's system cannot be reached."))
        return OperatorUnavailable(_("The connection to the operator's system was broken."))

    def _raise_for_refusal(self, response: httpx.Response, msisdn: str | None) -> None:
        if response.status_code < 400:
            return
        code, message = _error_body(response)
        log.warning("%s %s → %s %s: %s", response.request.method, response.request.url.path,
                    response.status_code, code, message)
        if response.status_code in (401, 403):
            raise OperatorUnavailable(_(
                "The operator's system refused the console's access token; "
                "ask the administrator to set it with `salon credentials set`."
            ))
        if response.status_code == 404 and code == "subscriber_not_found" and msisdn:
            raise SubscriberNotFound(
                _("There is no subscriber with the number {number}.")
                .format(number=format_msisdn(msisdn))
            )
        raise OperatorProtocolError(
            _("The operator's system refused the request: {message}")
            .format(message=message or f"HTTP {response.status_code}")
        )

    # -- detalization reads (kept together at the end: other branches add writes above) ------

    def balances_at(self, msisdn: str, at: datetime) -> Balances:
        """The balances as of instant `at` (not in the future): a detalization's opening and
        closing main balance (the contract's balance identity)."""
        wire = self._get(f"/v1/subscribers/{msisdn}/balance", WireBalance,
                         params={"at": _utc(at)}, msisdn=msisdn)
        return self._convert(wire.domain)


def _error_body(response: httpx.Response) -> tuple[str | None, str | None]:
    try:
        error = response.json().get("error", {})
        return error.get("code"), error.get("message")
    except (ValueError, AttributeError):
        return None, None


def _utc(moment: datetime) -> str:
    if moment.tzinfo is None:
        raise ValueError("usage periods must be timezone-aware")
    return moment.astimezone(UTC).isoformat().replace("+00:00", "Z")
