"""OAuth2 client credentials as the operator client's httpx.Auth (app/operator_api/auth.py),
against httpx.MockTransport: the token request as RFC 6749 §4.4 says, the token kept and
renewed before it expires, a 401 renewing it once and sending again only what is safe, and the
secret and tokens in no error or repr. The same against the real sandbox:
tests/integration/test_operator_settings.py."""

from __future__ import annotations

import base64
import json
from datetime import UTC, datetime
from urllib.parse import parse_qs

import httpx
import pytest

from app.clock import FixedClock
from app.errors import OperatorUnavailable
from app.operator_api.auth import (
    REFRESH_MARGIN_S,
    ClientCredentials,
    TokenEndpointUnreachable,
    TokenRefused,
    basic_credentials,
)
from app.operator_api.client import OperatorClient

TOKEN_URL = "https://idp.operator.test/oauth2/token"
API = "https://bss.operator.test"
SECRET = "s3cret:with/odd+chars"
NOW = datetime(2026, 11, 23, 10, 15, tzinfo=UTC)


class Elapsed:
    """A monotonic clock the test moves."""

    def __init__(self) -> None:
        self.seconds = 1000.0

    def __call__(self) -> float:
        return self.seconds


class FakeBss:
    """A token endpoint and an API behind it: tokens t1, t2, …; the API accepts the tokens in
    `valid` (each new one joins it unless `stale` says otherwise)."""

    def __init__(self, lifetime: int = 3600) -> None:
        self.lifetime = lifetime
        self.token_requests: list[httpx.Request] = []
        self.api_requests: list[httpx.Request] = []
        self.api_tokens: list[str] = []  # as each arrived (a request sent again is one object)
        self.valid: set[str] = set()
        self.token_answer: httpx.Response | None = None
        self.issued = 0
        self.stale = False  # tokens given from now on are refused by the API

    def __call__(self, request: httpx.Request) -> httpx.Response:
        if str(request.url) == TOKEN_URL:
            self.token_requests.append(request)
            if self.token_answer is not None:
                return self.token_answer
            self.issued += 1
            token = f"t{self.issued}"
            if not self.stale:
                self.valid.add(token)
            return httpx.Response(200, json={"access_token": token, "token_type": "Bearer",
                                             "expires_in": self.lifetime})
        self.api_requests.append(request)
        given = request.headers.get("Authorization", "").removeprefix("Bearer ")
        self.api_tokens.append(given)
        if given not in self.valid:
            return httpx.Response(401, json={"code": "unauthorized", "message": "no",
                                             "@type": "Error"})
        return httpx.Response(200, json=[{"id": "L-79161234567"}])


def auth_for(bss: FakeBss, elapsed: Elapsed | None = None, **options: str) -> ClientCredentials:
    return ClientCredentials(TOKEN_URL, "salon console", SECRET,
                             transport=httpx.MockTransport(bss),
                             monotonic=elapsed or Elapsed(), **options)  # type: ignore[arg-type]


def http_for(bss: FakeBss, auth: ClientCredentials) -> httpx.Client:
    return httpx.Client(base_url=API, auth=auth, transport=httpx.MockTransport(bss))


def test_the_token_request_is_rfc_6749_client_credentials_with_http_basic() -> None:
    bss = FakeBss()
    auth = auth_for(bss, scope="inventory.read usage.read")
    http = http_for(bss, auth)
    assert http.get("/product").status_code == 200
    assert http.get("/product").status_code == 200
    assert len(bss.token_requests) == 1  # kept in memory and used again
    sent = bss.token_requests[0]
    assert sent.method == "POST"
    assert sent.headers["Content-Type"] == "application/x-www-form-urlencoded"
    assert parse_qs(sent.content.decode()) == {"grant_type": ["client_credentials"],
                                               "scope": ["inventory.read usage.read"]}
    # §2.3.1: id and secret form-urlencoded before base64 ("salon console" → salon+console).
    pair = base64.b64decode(sent.headers["Authorization"].removeprefix("Basic ")).decode()
    assert pair == "salon+console:s3cret%3Awith%2Fodd%2Bchars"
    assert bss.api_tokens == ["t1"] * 2


def test_the_client_may_authenticate_in_the_form_body_instead() -> None:
    bss = FakeBss()
    http_for(bss, auth_for(bss, client_auth="body")).get("/product")
    sent = bss.token_requests[0]
    assert "Authorization" not in sent.headers
    assert parse_qs(sent.content.decode()) == {
        "grant_type": ["client_credentials"], "client_id": ["salon console"],
        "client_secret": [SECRET]}


def test_the_token_is_renewed_before_it_expires() -> None:
    bss, elapsed = FakeBss(lifetime=3600), Elapsed()
    http = http_for(bss, auth_for(bss, elapsed))
    http.get("/product")
    elapsed.seconds += 3600 - REFRESH_MARGIN_S - 1  # still a margin left: the same token
    http.get("/product")
    assert bss.issued == 1
    elapsed.seconds += 2  # within the margin: a new one before the old one runs out
    http.get("/product")
    assert bss.issued == 2
    assert bss.api_tokens[-1] == "t2"


def test_a_short_lived_token_is_renewed_a_fifth_of_its_life_early() -> None:
    bss, elapsed = FakeBss(lifetime=10), Elapsed()
    http = http_for(bss, auth_for(bss, elapsed))
    http.get("/product")
    elapsed.seconds += 7.9
    http.get("/product")
    assert bss.issued == 1
    elapsed.seconds += 0.2
    http.get("/product")
    assert bss.issued == 2


def test_a_401_on_a_read_gets_a_new_token_and_is_sent_again_once() -> None:
    bss = FakeBss()
    http = http_for(bss, auth_for(bss))
    http.get("/product")
    bss.valid.clear()  # the server forgot its tokens (restart, revocation)
    assert http.get("/product").status_code == 200
    assert bss.issued == 2
    assert bss.api_tokens == ["t1", "t1", "t2"]

    bss.valid.clear()
    bss.stale = True  # even a new token is refused: one more try, then the 401 is the answer
    assert http.get("/product").status_code == 401
    assert bss.issued == 3
    assert len(bss.api_requests) == 5


def test_a_write_is_sent_again_after_a_401_only_under_its_idempotency_key() -> None:
    bss = FakeBss()
    http = http_for(bss, auth_for(bss))
    http.get("/product")
    bss.valid.clear()
    keyed = http.post("/productOrder", json={"externalId": "k"},
                      headers={"Idempotency-Key": "k" * 20})
    assert keyed.status_code == 200
    assert bss.api_tokens[1:] == ["t1", "t2"]
    assert [r.content for r in bss.api_requests[1:]] == [b'{"externalId":"k"}'] * 2

    bss.valid.clear()
    unkeyed = http.post("/accessCode/L-1/check", json={"code": "123456"})
    assert unkeyed.status_code == 401  # counted on arrival: not sent twice
    assert len(bss.api_requests) == 4
    assert bss.issued == 2  # …but the refused token is dropped: the next call gets a new one
    assert http.get("/product").status_code == 200
    assert bss.issued == 3


@pytest.mark.parametrize(("answer", "reason"), [
    (httpx.Response(401, json={"error": "invalid_client"},
                    headers={"WWW-Authenticate": "Basic"}), "invalid_client"),
    (httpx.Response(400, json={"error": "invalid_scope"}), "invalid_scope"),
    (httpx.Response(400, text="<html>nope</html>"), "HTTP 400"),
    (httpx.Response(400, json={"error": "\x1b[31mred " + "x" * 500}), "HTTP 400"),
    (httpx.Response(200, json={"access_token": "a", "token_type": "mac"}),
     "not_a_bearer_token"),
    (httpx.Response(200, json={"token_type": "Bearer"}), "no_access_token"),
    (httpx.Response(200, json={"access_token": "a\r\nX: y", "token_type": "Bearer"}),
     "no_access_token"),
    (httpx.Response(200, json={"access_token": "a", "token_type": "Bearer",
                               "expires_in": -5}), "bad_expires_in"),
    (httpx.Response(200, json=["a"]), "not_a_token_answer"),
    (httpx.Response(200, content=b"{" + b" " * 100_000 + b"}"), "answer_too_large"),
])
def test_a_refusal_or_a_strange_answer_of_the_token_endpoint_is_a_clear_sentence(
        answer: httpx.Response, reason: str) -> None:
    bss = FakeBss()
    bss.token_answer = answer
    with pytest.raises(TokenRefused) as refused:
        http_for(bss, auth_for(bss)).get("/product")
    assert refused.value.reason == reason
    assert "salon credentials set --client-secret" in str(refused.value)
    assert "client_id" in str(refused.value) and "token_url" in str(refused.value)
    assert SECRET not in str(refused.value) and "s3cret" not in repr(refused.value)
    assert bss.api_requests == []  # nothing was sent without a token


def test_an_unreachable_token_endpoint_is_a_connection_failure_before_anything_was_sent(
) -> None:
    calls: list[httpx.Request] = []

    def down(request: httpx.Request) -> httpx.Response:
        calls.append(request)
        if request.url.host == "idp.operator.test":
            raise httpx.ConnectError("Name or service not known", request=request)
        return httpx.Response(200, json=[])

    auth = ClientCredentials(TOKEN_URL, "c", SECRET, transport=httpx.MockTransport(down))
    client = OperatorClient(API, auth, clock=FixedClock(NOW), read_retries=2,
                            transport=httpx.MockTransport(down), sleep=lambda _s: None)
    with pytest.raises(OperatorUnavailable) as failed:
        client.line_id("+79161234567")
    assert "token endpoint" in str(failed.value) and TOKEN_URL in str(failed.value)
    assert "nothing was sent" in str(failed.value)
    assert failed.value.maybe_delivered is False
    assert {r.url.host for r in calls} == {"idp.operator.test"}  # retried, never the API
    assert len(calls) == 3
    with pytest.raises(TokenEndpointUnreachable), \
            httpx.Client(auth=auth, transport=httpx.MockTransport(down)) as http:
        http.get(f"{API}/product")


def test_a_token_refused_by_the_operator_client_says_what_to_check() -> None:
    bss = FakeBss()
    bss.stale = True
    client = OperatorClient(API, auth_for(bss), clock=FixedClock(NOW),
                            transport=httpx.MockTransport(bss), sleep=lambda _s: None)
    with pytest.raises(OperatorUnavailable, match="client_id") as refused:
        client.line_id("+79161234567")
    assert "salon operator check" in str(refused.value)
    assert bss.issued == 2  # the first token, and one more after the 401


def test_the_secret_and_the_tokens_are_in_no_repr() -> None:
    bss = FakeBss()
    auth = auth_for(bss)
    http_for(bss, auth).get("/product")
    shown = repr(auth) + str(vars(auth).keys())
    assert SECRET not in shown and "t1" not in repr(auth)
    client = OperatorClient(API, "fixed-token-value", clock=FixedClock(NOW))
    assert "fixed-token-value" not in repr(client._auth)


def test_basic_credentials_are_form_encoded_then_base64() -> None:
    header = basic_credentials("id é", "p:w")
    assert base64.b64decode(header.split()[1]).decode() == "id+%C3%A9:p%3Aw"
    assert json.dumps(header).isascii()
