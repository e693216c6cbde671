"""How the console proves itself to the operator's APIs: an `httpx.Auth` on the operator client.

- `BearerToken`: a fixed token (`[operator] auth = token`, the keyring's `salon credentials
  set`, or the embedded sandbox's own).
- `ClientCredentials`: OAuth 2.0 client credentials (RFC 6749 §4.4; `[operator] auth =
  oauth2`): the console asks `token_url` for an access token with its client id and secret
  (HTTP Basic, §2.3.1, or in the form body), keeps it in memory only, and asks again before it
  expires. A call answered 401 gets a new token and is sent again, once, when sending it again
  is safe: a read, or a write under its Idempotency-Key (the operator answers a repeated key
  with the stored answer). Any other write's 401 goes back to the caller as it is.

Why not authlib's httpx integration: its client is a subclass of httpx.Client (ours is
DeadlineClient, which holds every socket operation to the call's deadline), it reads expiry
from the wall clock, and it refreshes on expiry only, not on a 401 (a server restarted or a
token revoked). What is left to write is small: one form POST and a lock.

Expiry is a duration ("expires_in": N seconds from the answer), so it is measured with
`time.monotonic`, not the console's Clock: in training that clock is the world's, which a
trainer moves forward by days, and under the month-end trial (libfaketime) the wall clock
is shifted; neither says how many real seconds the token has left. The token endpoint's
answer is read with a size cap, and neither the secret nor a token ever reaches a log, an
error or a repr.
"""

from __future__ import annotations

import base64
import logging
import threading
import time
from collections.abc import Callable, Generator, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any
from urllib.parse import quote_plus

import httpx

from app.errors import OperatorUnavailable
from app.i18n import _
from app.operator_api.bodies import (
    AnswerTooLarge,
    UnreadableJson,
    parse_json,
    read_capped,
    text_field,
)
from app.operator_api.deadline import DeadlineClient, time_left

log = logging.getLogger(__name__)

REFRESH_MARGIN_S = 60.0  # a token is renewed this long before it expires (a fifth of a short one)
UNSAID_LIFETIME_S = 300.0  # used when the answer has no expires_in (RFC 6749 only recommends it)
TOKEN_ANSWER_LIMIT = 64 * 1024  # a token answer is a few hundred bytes
RETRY_BODY_LIMIT = 4096  # a 401 read before sending again (httpx reads it whole): small only
_SAFE_METHODS = {"GET", "HEAD", "OPTIONS"}
IDEMPOTENCY_KEY = "Idempotency-Key"


class BearerToken(httpx.Auth):
    """`Authorization: Bearer <token>` on every request; a 401 is the caller's to report."""

    def __init__(self, token: str) -> None:
        self._token = token

    def auth_flow(self, request: httpx.Request) -> Generator[httpx.Request, httpx.Response, None]:
        request.headers["Authorization"] = f"Bearer {self._token}"
        yield request

    def __repr__(self) -> str:
        return "BearerToken(<hidden>)"


class TokenEndpointUnreachable(httpx.ConnectError):
    """No access token could be had: the token endpoint could not be reached, did not answer
    in time, or failed (5xx). Raised before the call itself was sent, so the operator surely
    never saw that call: the client's retries and "may it have arrived" treat it as a refused
    connection."""

    def __init__(self, token_url: str, detail: str) -> None:
        super().__init__(f"token endpoint {token_url}: {detail}")
        self.token_url = token_url
        self.detail = detail


class TokenRefused(OperatorUnavailable):
    """The token endpoint refused the console's client credentials (RFC 6749 §5.2), or gave an
    answer that is not a bearer token. `reason`: the endpoint's `error` code, or what was
    wrong with the answer (for the log and `salon operator check`)."""

    def __init__(self, message: str, reason: str, status: int | None) -> None:
        super().__init__(message)
        self.reason = reason
        self.status = status


@dataclass(frozen=True)
class _Token:
    value: str
    renew_at: float  # on the monotonic clock
    lifetime: float


class ClientCredentials(httpx.Auth):
    """OAuth 2.0 client credentials as an httpx.Auth: see the module's docstring.

    One instance serves every thread of the console (the window's workers, the outbox pump):
    the token is fetched under a lock, and a 401 renews it only if no other thread has
    already done so since the call took it."""

    requires_request_body = True  # a request sent again after a 401 needs its body

    def __init__(
        self,
        token_url: str,
        client_id: str,
        client_secret: str,
        *,
        scope: str = "",
        client_auth: str = "basic",
        timeout: httpx.Timeout | None = None,
        transport: httpx.BaseTransport | None = None,
        monotonic: Callable[[], float] = time.monotonic,
    ) -> None:
        """`client_auth`: `basic` (HTTP Basic, RFC 6749 §2.3.1) or `body` (client_id and
        client_secret in the form); `transport`: tests give an httpx.MockTransport; `monotonic`:
        the seconds expiry is measured on (tests move it)."""
        if client_auth not in ("basic", "body"):
            raise ValueError(f"client_auth must be basic or body, not {client_auth!r}")
        self.token_url = token_url
        self._client_id = client_id
        self._secret = client_secret
        self._scope = scope
        self._client_auth = client_auth
        self._monotonic = monotonic
        self._http = DeadlineClient(timeout=timeout or httpx.Timeout(10.0, connect=3.0),
                                    transport=transport,
                                    headers={"User-Agent": "salon-console/0.1"})
        self._lock = threading.Lock()
        self._token: _Token | None = None
        self.fetched = 0  # tokens obtained so far (the check and the tests read it)

    def __repr__(self) -> str:
        return f"ClientCredentials({self.token_url!r}, client_id={self._client_id!r})"

    def close(self) -> None:
        self._http.close()

    def auth_flow(self, request: httpx.Request) -> Generator[httpx.Request, httpx.Response, None]:
        token = self._current()
        request.headers["Authorization"] = f"Bearer {token.value}"
        response = yield request
        if response.status_code != 401:
            return
        if not _safe_to_send_again(request, response):
            self._forget(token)  # the next call asks for a new one
            return
        log.info("the operator refused the access token (401): asking %s for a new one",
                 self.token_url)
        renewed = self._renewed(token)
        request.headers["Authorization"] = f"Bearer {renewed.value}"
        yield request

    def token_lifetime(self) -> float:
        """Fetches a token now (whatever the one in hand) and says for how many seconds the
        endpoint gave it: `salon operator check`."""
        with self._holding():
            self._token = self._fetch()
            return self._token.lifetime

    def _current(self) -> _Token:
        with self._holding():
            token = self._token
            if token is None or self._monotonic() >= token.renew_at:
                token = self._token = self._fetch()
            return token

    def _forget(self, refused: _Token) -> None:
        with self._holding():
            if self._token is refused:
                self._token = None

    def _renewed(self, refused: _Token) -> _Token:
        with self._holding():
            if self._token is refused or self._token is None:
                self._token = self._fetch()
            return self._token

    @contextmanager
    def _holding(self) -> Iterator[None]:
        """The lock, waited for no longer than the call's deadline leaves: another thread
        fetching a token from a slow endpoint does not hold this call past its own."""
        left = time_left()
        if not self._lock.acquire(timeout=-1 if left is None else left):
            raise TokenEndpointUnreachable(self.token_url, "no token within the deadline")
        try:
            yield
        finally:
            self._lock.release()

    def _fetch(self) -> _Token:
        form = {"grant_type": "client_credentials"}
        if self._scope:
            form["scope"] = self._scope
        headers = {"Accept": "application/json"}
        if self._client_auth == "basic":
            headers["Authorization"] = basic_credentials(self._client_id, self._secret)
        else:
            form.update(client_id=self._client_id, client_secret=self._secret)
        started = self._monotonic()  # the lifetime counts from before the request left
        try:
            request = self._http.build_request("POST", self.token_url, data=form,
                                               headers=headers)
            answer = read_capped(self._http.send(request, stream=True), TOKEN_ANSWER_LIMIT)
        except AnswerTooLarge as error:
            raise self._refused("answer_too_large", None) from error
        except httpx.HTTPError as error:
            log.warning("token endpoint %s: %r", self.token_url, error)
            raise TokenEndpointUnreachable(self.token_url, type(error).__name__) from None
        if answer.status_code >= 500:
            log.warning("token endpoint %s answered %s", self.token_url, answer.status_code)
            raise TokenEndpointUnreachable(self.token_url, f"HTTP {answer.status_code}")
        try:
            body = parse_json(answer.content)
        except UnreadableJson:
            body = None
        if answer.status_code != 200:
            code = text_field(body, "error") if isinstance(body, dict) else None
            if code and self._secret in code:  # never repeated, whoever sends it back
                code = None
            raise self._refused(_short(code) or f"HTTP {answer.status_code}", answer.status_code)
        token = self._token_of(body, answer.status_code, started)
        self.fetched += 1
        return token

    def _token_of(self, body: Any, status: int, started: float) -> _Token:
        """The access token of a 200 answer (RFC 6749 §5.1), or TokenRefused saying what is
        wrong with it. Only the answer's shape is logged, never a value."""
        if not isinstance(body, dict):
            raise self._refused("not_a_token_answer", status)
        value = body.get("access_token")
        kind = body.get("token_type")
        if not isinstance(value, str) or not value or not value.isascii() \
                or not value.isprintable() or " " in value:
            raise self._refused("no_access_token", status)
        if not isinstance(kind, str) or kind.lower() != "bearer":
            raise self._refused("not_a_bearer_token", status)
        lifetime = body.get("expires_in", UNSAID_LIFETIME_S)
        if isinstance(lifetime, str) and lifetime.isdigit():
            lifetime = int(lifetime)  # some servers send it as a string
        if isinstance(lifetime, bool) or not isinstance(lifetime, int | float) \
                or not 0 < lifetime <= 10**8:
            raise self._refused("bad_expires_in", status)
        margin = min(REFRESH_MARGIN_S, lifetime / 5)
        return _Token(value, started + lifetime - margin, float(lifetime))

    def _refused(self, reason: str, status: int | None) -> TokenRefused:
        log.warning("token endpoint %s refused the client credentials or answered "
                    "unexpectedly: %s (HTTP %s)", self.token_url, reason, status)
        return TokenRefused(_(
            "The operator's token endpoint did not give the console an access token ({reason}). "
            "Check [operator] token_url and client_id in salon.ini and set the client secret "
            "again with `salon credentials set --client-secret`."
        ).format(reason=reason), reason, status)


def _short(code: str | None) -> str | None:
    """The endpoint's error code as the console repeats it: RFC 6749's codes are short ASCII
    words; anything else is not repeated (it is the other side's text)."""
    if code and len(code) <= 40 and code.isascii() and code.replace("_", "").isalnum():
        return code
    return None


def basic_credentials(client_id: str, secret: str) -> str:
    """RFC 6749 §2.3.1: the id and the secret each form-urlencoded, then HTTP Basic."""
    pair = f"{quote_plus(client_id)}:{quote_plus(secret)}"
    return "Basic " + base64.b64encode(pair.encode()).decode("ascii")


def _safe_to_send_again(request: httpx.Request, response: httpx.Response) -> bool:
    """A read, or a write under its Idempotency-Key; and a 401 whose body is small enough for
    httpx to read whole before sending again (it does not stream it)."""
    if request.method not in _SAFE_METHODS and IDEMPOTENCY_KEY not in request.headers:
        return False
    declared = response.headers.get("content-length", "")
    return declared.isdigit() and int(declared) <= RETRY_BODY_LIMIT
