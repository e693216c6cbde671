"""The plumbing every operator call shares: the HTTP client, one overall deadline, bounded and
jittered retries, answers read with a size cap and validated — and every failure turned, in
this one place, into one of app.errors' sentences.

A write is retried only under its own Idempotency-Key (the caller's outbox row keeps it), so a
retry can never apply it twice: the operator answers a repeated key with the stored answer.
When a write finally fails, `OperatorUnavailable.maybe_delivered` says whether any attempt may
have reached the operator: a refused connection surely did not; a connection that broke after
the request was written may have.

Every call has one overall deadline (`deadline` seconds: connect, send and the whole answer,
every retry and wait included; app/operator_api/deadline.py), and every answer is read with a
size cap by its kind and parsed defensively (app/operator_api/bodies.py): a server that drips
bytes, sends gigabytes or nests its JSON a million deep gets a clerk's sentence, not a hang, a
full memory or a traceback.

The transport is injectable (httpx.MockTransport in unit tests, the real network otherwise).
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable, Mapping
from typing import Any, TypeVar

import httpx
from pydantic import BaseModel, ValidationError
from tenacity import (
    RetryCallState,
    RetryError,
    Retrying,
    retry_if_exception_type,
    stop_after_attempt,
    wait_exponential_jitter,
)
from tenacity.nap import sleep as tenacity_sleep
from tenacity.stop import stop_base

from app.clock import Clock
from app.errors import OperatorProtocolError, OperatorUnavailable, SubscriberNotFound
from app.i18n import _
from app.operator_api.apis import api_bases
from app.operator_api.auth import BearerToken, ClientCredentials, TokenEndpointUnreachable
from app.operator_api.bodies import (
    AnswerLimits,
    AnswerTooLarge,
    UnreadableJson,
    error_fields,
    float_exact,
    parse_exact,
    parse_json,
    read_capped,
    text_field,
)
from app.operator_api.deadline import DeadlineClient, deadline_scope, time_left
from app.operator_api.kept_lines import KeptLines
from app.phone import format_msisdn

log = logging.getLogger(__name__)
DEFAULT_LIMITS = AnswerLimits()
W = TypeVar("W", bound=BaseModel)
USER_AGENT = "salon-console/0.1"


class _Retryable(Exception):
    """A request that may succeed if asked again: a network error, a 5xx answer, or (writes
    only) 409 "the same key is still being processed"."""

    def __init__(self, cause: Exception | httpx.Response) -> None:
        super().__init__(str(cause))
        self.cause = cause


class _MayHaveArrived(Exception):
    """A failed attempt of a request that must not be repeated once it may have reached the
    operator (an access-code entry counts every time it arrives)."""

    def __init__(self, cause: Exception | httpx.Response) -> None:
        super().__init__(str(cause))
        self.cause = cause


# Connection failures before a byte of the request left: the operator surely never saw it.
_NEVER_SENT = (httpx.ConnectError, httpx.ConnectTimeout, httpx.PoolTimeout,
               httpx.UnsupportedProtocol)
# 5xx answers the contract defines as "nothing applied, nothing stored" (the change and its
# stored answer commit in one transaction). A gateway's 502/504 promises nothing.
_APPLIED_NOTHING = (500, 503)


def _may_have_arrived(cause: Exception | httpx.Response) -> bool:
    """Whether a failed attempt may have reached the operator (and so may have applied)."""
    if isinstance(cause, httpx.Response):
        # A 409 means the operator is processing this very key right now: it arrived.
        return cause.status_code not in _APPLIED_NOTHING
    return not isinstance(cause, _NEVER_SENT)


class OperatorPlumbing:
    """What every operator call shares; OperatorClient (app/operator_api/client.py) adds
    the calls themselves."""

    def __init__(
        self,
        base_url: str,
        token: str | httpx.Auth,
        *,
        clock: Clock,
        connect_timeout: float = 3.0,
        read_timeout: float = 10.0,
        read_retries: int = 3,
        deadline: float = 30.0,
        limits: AnswerLimits = DEFAULT_LIMITS,
        transport: httpx.BaseTransport | None = None,
        sleep: Callable[[float], None] | None = None,
        apis: Mapping[str, str] | None = None,
    ) -> None:
        """`clock`: the console's, for the rare answer that does not say what time the operator
        has (see AccessCodeCalls._operator_time); `deadline`: seconds one call may take in
        all (connect, the whole answer, every retry); `limits`: the most bytes read of an
        answer, by kind; `apis`: base URLs of APIs that do not live at their standard path
        under `base_url` (app/operator_api/apis.py); `token`: a bearer token, or an httpx.Auth
        (app/operator_api/auth.py: OAuth2 client credentials), which the client then owns."""
        self._auth = BearerToken(token) if isinstance(token, str) else token
        self._apis = api_bases(apis or {})
        # Plain-http URLs (loopback only: app/config.py) never do TLS, and redirects are not
        # followed: loading the CA bundle for them would cost ~20 ms of every command.
        tls = any(url.startswith("https:") for url in [base_url, *self._apis.values()])
        self._http = DeadlineClient(
            base_url=base_url,
            headers={"User-Agent": USER_AGENT},
            auth=self._auth,
            timeout=httpx.Timeout(read_timeout, connect=connect_timeout),
            transport=transport,
            verify=tls,
        )
        self._clock = clock
        self._read_timeout = read_timeout
        self._retries = read_retries
        self._deadline = deadline
        self._limits = limits
        self._sleep = sleep
        self._line_ids = KeptLines()  # number → line id (app/operator_api/line_ids.py)

    def close(self) -> None:
        self._http.close()
        if isinstance(self._auth, ClientCredentials):
            self._auth.close()

    def _api(self, name: str) -> str:
        """Where API `name` lives: a path under the root, or its own absolute base URL."""
        return self._apis[name]

    def _get(
        self,
        path: str,
        model: type[W],
        *,
        params: dict[str, Any] | None = None,
        msisdn: str | None = None,
        limit: int | None = None,
    ) -> W:
        response = self._with_retries(
            lambda: self._request("GET", path, params=params, limit=limit))
        self._raise_for_refusal(response, msisdn)
        return self._validate(response, model, path)

    def _request(self, method: str, path: str, *, limit: int | None = None,
                 **options: Any) -> httpx.Response:
        """One attempt: the answer streamed and read whole, but never past `limit` bytes (the
        kind's cap; JSON answers by default). AnswerTooLarge past it."""
        request = self._http.build_request(method, path, **options)
        response = self._http.send(request, stream=True)
        return read_capped(response, self._limits.json if limit is None else limit)

    def _validate(self, response: httpx.Response, model: type[W], path: str, *,
                  secret: bool = False) -> W:
        """`secret`: the answer may carry an access code (the sandbox's SMS outbox), so the
        log names only where it is wrong, never a value, and the error is not chained."""
        try:
            if float_exact(response.content):  # the fast reading gives the same Decimals
                return model.model_validate_json(response.content)
            return model.model_validate(parse_exact(response.content))
        except RecursionError:
            log.warning("%s: answer nested too deep to read", path)
        except ValidationError as error:
            if not secret:
                log.warning("%s: answer does not match the contract: %s", path, error)
                raise self._garbled() from error
            # Raised after the handler, so the error (which holds the values) is not chained.
            where = [".".join(map(str, e["loc"])) for e in error.errors(include_input=False)]
            log.warning("%s: answer does not match the contract at %s", path, where)
        except ValueError:
            log.warning("%s: answer is not JSON", path)
        raise self._garbled()

    @staticmethod
    def _same_number(asked: str, answered: str, path: str) -> None:
        """An answer about another number than the one asked is refused whole: shown, it would
        put someone else's contract on this subscriber's card (and in its cache)."""
        if answered == asked:
            return
        log.warning("%s: the answer is about another number than the one asked", path)
        raise OperatorProtocolError(_(
            "The operator's system answered about another number than the one asked for; "
            "nothing of that answer is shown or kept. The details are in the log."))

    @staticmethod
    def _garbled() -> OperatorProtocolError:
        return OperatorProtocolError(_(
            "The operator's system answered in an unexpected way; "
            "the details are in the log."
        ))

    def _convert(self, build: Callable[[], Any]) -> Any:
        try:
            return build()
        except ValueError as error:
            log.warning("answer does not match the contract: %s", error)
            raise OperatorProtocolError(_(
                "The operator's system answered in an unexpected way; "
                "the details are in the log."
            )) from error

    def _with_retries(
        self, send: Callable[[], httpx.Response], *, write: bool = False,
        conflicts: bool = False, at_most_once: bool = False,
    ) -> httpx.Response:
        """`send` with bounded, jittered retries on network errors and 5xx answers (and 409
        for a write, or when `conflicts`); a write's final OperatorUnavailable says whether
        any attempt may have reached the operator. `at_most_once` (a request without an
        Idempotency-Key whose every arrival counts): retried only while no attempt can have
        reached the operator; the first that may have ends it (`maybe_delivered`)."""
        reached = False

        def attempt() -> httpx.Response:
            nonlocal reached
            try:
                response = send()
            except AnswerTooLarge as error:
                raise self._too_large(error, write or at_most_once) from None
            except httpx.TransportError as error:
                if at_most_once and _may_have_arrived(error):
                    raise _MayHaveArrived(error) from error
                reached = reached or _may_have_arrived(error)
                raise _Retryable(error) from error
            if response.status_code >= 500 or (response.status_code == 409
                                               and (write or conflicts)):
                if at_most_once and _may_have_arrived(response):
                    raise _MayHaveArrived(response)
                reached = reached or _may_have_arrived(response)
                raise _Retryable(response)
            return response

        retrying = Retrying(
            stop=stop_after_attempt(self._retries + 1) | _NoTimeToWait(),
            wait=wait_exponential_jitter(multiplier=0.2, max=2.0, jitter=0.3),
            retry=retry_if_exception_type(_Retryable),
            sleep=self._sleep or tenacity_sleep,  # tenacity's own unless a test gave one
        )
        ends = time.monotonic() + self._deadline
        try:
            with deadline_scope(self._deadline):
                return retrying(attempt)
        except _MayHaveArrived as arrived:
            unavailable = self._unavailable(arrived.cause, time.monotonic() >= ends - 0.1)
            unavailable.maybe_delivered = True
            raise unavailable from arrived
        except RetryError as final:
            failure = final.last_attempt.exception()
            assert isinstance(failure, _Retryable)
            # The deadline ended it if it passed, or if it left no time for the retries due.
            cut_short = final.last_attempt.attempt_number <= self._retries
            unavailable = self._unavailable(failure.cause,
                                            cut_short or time.monotonic() >= ends - 0.1)
            unavailable.maybe_delivered = (write or at_most_once) and reached
            raise unavailable from failure

    def _unavailable(self, cause: Exception | httpx.Response,
                     deadline_passed: bool = False) -> OperatorUnavailable:
        log.warning("operator API unavailable: %r", cause)
        if isinstance(cause, httpx.Response) and cause.status_code == 409:
            return OperatorUnavailable(_(
                "The operator's system is still processing this change; "
                "its result is not known yet."
            ))
        if isinstance(cause, httpx.Response):
            return OperatorUnavailable(_(
                "The operator's system reported an internal error (HTTP {status})."
            ).format(status=cause.status_code))
        if isinstance(cause, httpx.TimeoutException):
            # The overall deadline when it is what ended the call, else one read's timeout.
            return OperatorUnavailable(_(
                "The operator's system did not answer within {seconds:g} seconds."
            ).format(seconds=self._deadline if deadline_passed else self._read_timeout))
        if isinstance(cause, TokenEndpointUnreachable):
            return OperatorUnavailable(_(
                "The operator's token endpoint ({url}) gave no access token ({detail}); "
                "nothing was sent to the operator's system."
            ).format(url=cause.token_url, detail=cause.detail))
        if isinstance(cause, httpx.ConnectError):
            return OperatorUnavailable(_("The operator's system cannot be reached."))
        return OperatorUnavailable(_("The connection to the operator's system was broken."))

    @staticmethod
    def _too_large(error: AnswerTooLarge, arrived: bool) -> OperatorProtocolError:
        """An answer past its kind's cap: it is not read further, and nothing of it is used.
        The request did reach the operator (it answered): a write may have been applied."""
        log.warning("operator answer refused: %s", error)
        refused = OperatorProtocolError(_(
            "The operator's system sent an answer far larger than expected ({size} MB at "
            "most); it was not read. The details are in the log."
        ).format(size=max(1, error.limit // 2**20)))
        refused.maybe_delivered = arrived
        return refused

    def _token_refused(self) -> OperatorUnavailable:
        if isinstance(self._auth, ClientCredentials):
            return OperatorUnavailable(_(
                "The operator's system refused the access token its token endpoint gave the "
                "console; ask the administrator to check that [operator] client_id may use "
                "this API (`salon operator check`)."
            ))
        return OperatorUnavailable(_(
            "The operator's system refused the console's access token; "
            "ask the administrator to set it with `salon credentials set`."
        ))

    def _raise_for_refusal(self, response: httpx.Response, msisdn: str | None) -> None:
        if response.status_code < 400:
            return
        code, message = error_body(response)
        log.warning("%s %s → %s %s: %s", response.request.method, response.request.url.path,
                    response.status_code, code, message)
        if response.status_code in (401, 403):
            raise self._token_refused()
        if response.status_code == 404 and code == "subscriber_not_found" and msisdn:
            raise SubscriberNotFound(
                _("There is no subscriber with the number {number}.")
                .format(number=format_msisdn(msisdn))
            )
        raise OperatorProtocolError(
            _("The operator's system refused the request: {message}")
            .format(message=message or f"HTTP {response.status_code}")
        )


class _NoTimeToWait(stop_base):
    """Stop retrying when the wait before the next attempt would use up the call's deadline."""

    def __call__(self, retry_state: RetryCallState) -> bool:
        left = time_left()
        upcoming = retry_state.upcoming_sleep or 0.0
        return left is not None and left <= upcoming + 0.05


def json_or_none(response: httpx.Response) -> Any:
    try:
        return parse_json(response.content)
    except UnreadableJson:
        return None


def error_body(response: httpx.Response) -> tuple[str | None, str | None]:
    """The error object's code and message (None where absent, not text, or unreadable)."""
    error = error_fields(response)
    return text_field(error, "code"), text_field(error, "message")
