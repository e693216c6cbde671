"""The sandbox's OAuth 2.0 authorization server, for the client credentials grant only
(RFC 6749 §4.4): `POST /sandbox/oauth/token` gives short-lived bearer tokens that /tmf-api,
/v1 and /sandbox then accept beside the sandbox's own token.

The client is `salon-console` (OAUTH_CLIENT_ID) and its secret is the sandbox's token, sent
with HTTP Basic (§2.3.1) or in the form body (`client_id`, `client_secret`), never both. A
token lives `lifetime_s` seconds of the sandbox's clock (`python -m sandbox --token-lifetime`,
`start_in_background(token_lifetime_s=…)`): moving the clock forward (POST /sandbox/clock)
expires the tokens given before, as the passing of that much time would. Tokens are kept in
memory only, as their SHA-256 (a restart forgets them, as a real server's key rotation would,
and a client must ask again); the endpoint's answers carry `Cache-Control: no-store`.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import hmac
import re
import secrets
import threading
from collections.abc import Callable
from dataclasses import dataclass
from urllib.parse import parse_qsl, unquote_plus

OAUTH_CLIENT_ID = "salon-console"
DEFAULT_TOKEN_LIFETIME_S = 3600
MAX_LIVE_TOKENS = 10_000  # the oldest is forgotten past this many (a client that never reuses)
_SCOPE = re.compile(r"[\x21\x23-\x5b\x5d-\x7e]+( [\x21\x23-\x5b\x5d-\x7e]+)*")
FORM = "application/x-www-form-urlencoded"


@dataclass(frozen=True)
class TokenError(Exception):
    """An error answer of the token endpoint (RFC 6749 §5.2)."""

    status: int
    error: str  # invalid_request, invalid_client, unsupported_grant_type, invalid_scope
    description: str
    basic: bool = False  # the client tried HTTP Basic: a 401 then says WWW-Authenticate


@dataclass(frozen=True)
class Issued:
    access_token: str
    expires_in: int
    scope: str


class IssuedTokens:
    """The access tokens given and not yet expired, by their SHA-256."""

    def __init__(self, client_secret: bytes, now: Callable[[], int],
                 lifetime_s: int = DEFAULT_TOKEN_LIFETIME_S) -> None:
        if lifetime_s < 1:
            raise ValueError("a token lives at least one second")
        self._secret = client_secret
        self._now = now  # the sandbox clock's seconds
        self.lifetime_s = lifetime_s
        self._lock = threading.Lock()
        self._expiry: dict[bytes, int] = {}
        self.issued = 0  # tokens given since the sandbox started (tests read it)

    def accepts(self, token: str) -> bool:
        digest = hashlib.sha256(token.encode()).digest()
        with self._lock:
            expires = self._expiry.get(digest)
            return expires is not None and self._now() < expires

    def grant(self, authorization: str | None, content_type: str | None, body: bytes) -> Issued:
        """The answer to one token request; TokenError for each way it can be wrong."""
        if (content_type or "").split(";")[0].strip().lower() != FORM:
            raise TokenError(400, "invalid_request",
                             f"The request body must be {FORM}.")
        form = _form(body)
        basic = _basic_client(authorization)
        if basic is not None and ("client_secret" in form or "client_id" in form):
            raise TokenError(400, "invalid_request",
                             "Use one client authentication: HTTP Basic or the form body.")
        if basic is not None:
            client_id, secret = basic
        else:
            client_id, secret = form.get("client_id", ""), form.get("client_secret", "")
        if not client_id and not secret:
            raise TokenError(401, "invalid_client", "Client authentication is required.",
                             basic=authorization is not None)
        if not (hmac.compare_digest(client_id.encode(), OAUTH_CLIENT_ID.encode())
                & hmac.compare_digest(secret.encode(), self._secret)):
            raise TokenError(401, "invalid_client", "Unknown client or wrong client secret.",
                             basic=basic is not None)
        grant_type = form.get("grant_type")
        if grant_type is None:
            raise TokenError(400, "invalid_request", "grant_type is required.")
        if grant_type != "client_credentials":
            raise TokenError(400, "unsupported_grant_type",
                             "Only the client_credentials grant is served.")
        scope = form.get("scope", "")
        if scope and not _SCOPE.fullmatch(scope):
            raise TokenError(400, "invalid_scope", "scope is space-separated names.")
        token = secrets.token_urlsafe(32)
        now = self._now()
        with self._lock:
            self._expiry = {d: e for d, e in self._expiry.items() if e > now}
            while len(self._expiry) >= MAX_LIVE_TOKENS:
                del self._expiry[next(iter(self._expiry))]
            self._expiry[hashlib.sha256(token.encode()).digest()] = now + self.lifetime_s
            self.issued += 1
        return Issued(token, self.lifetime_s, scope)


def _form(body: bytes) -> dict[str, str]:
    """The form's fields; a field given twice or a body that is not a form is refused
    (RFC 6749 §3.2: parameters MUST NOT be included more than once)."""
    try:
        pairs = parse_qsl(body.decode("utf-8"), keep_blank_values=True, strict_parsing=bool(body),
                          max_num_fields=20)
    except (UnicodeDecodeError, ValueError):
        raise TokenError(400, "invalid_request", "The body is not a form.") from None
    form: dict[str, str] = {}
    for name, value in pairs:
        if name in form:
            raise TokenError(400, "invalid_request", f"{name} is given more than once.")
        form[name] = value
    return form


def _basic_client(authorization: str | None) -> tuple[str, str] | None:
    """(client_id, secret) of `Authorization: Basic …`, each form-urlencoded (§2.3.1); None
    without Basic; a Basic that cannot be read is an invalid client."""
    if not authorization:
        return None
    scheme, _, credentials = authorization.strip().partition(" ")
    if scheme.lower() != "basic":
        return None
    try:
        decoded = base64.b64decode(credentials.strip(), validate=True).decode("utf-8")
    except (binascii.Error, UnicodeDecodeError):
        raise TokenError(401, "invalid_client", "Basic credentials cannot be read.",
                         basic=True) from None
    name, colon, secret = decoded.partition(":")
    if not colon:
        raise TokenError(401, "invalid_client", "Basic credentials cannot be read.", basic=True)
    return unquote_plus(name), unquote_plus(secret)
