"""What every endpoint shares: the sandbox's parts (`Context`), the bearer token check, the
subscriber from the path, and the write headers (Idempotency-Key, If-Match)."""

from __future__ import annotations

import hmac
import math
import re
from dataclasses import dataclass
from datetime import datetime
from typing import Annotated

from fastapi import Depends, Header, Path, Request, Response, Security
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer

from sandbox.clock import Clock
from sandbox.entities import SubscriberState
from sandbox.errors import ApiError, bad_request, subscriber_not_found
from sandbox.faults import Faults
from sandbox.idempotency import REPLAYED_HEADER, Idempotency, Outcome, check_key
from sandbox.ledger import Ledger
from sandbox.oauth import DEFAULT_TOKEN_LIFETIME_S, IssuedTokens
from sandbox.sms import SmsOutbox, phones_path
from sandbox.store import Store
from sandbox.tmf.entity_store import EntityStore

E164 = re.compile(r"^\+[1-9]\d{7,14}$")


@dataclass
class Context:
    store: Store
    clock: Clock
    ledger: Ledger
    idempotency: Idempotency
    faults: Faults
    sms: SmsOutbox
    token: bytes
    code_key: str  # hex of the world's HMAC key for access codes (R2): code_key.py
    entities: EntityStore  # what clients created through the TMF APIs (never the world)
    oauth: IssuedTokens  # access tokens given by POST /sandbox/oauth/token (sandbox/oauth.py)

    @classmethod
    def build(cls, store: Store, clock: Clock, token: str,
              token_lifetime_s: int = DEFAULT_TOKEN_LIFETIME_S) -> Context:
        return cls(store, clock, Ledger(store, clock), Idempotency(store, clock), Faults(),
                   SmsOutbox(phones_path(store.path)), token.encode(), store.code_key,
                   EntityStore(store), IssuedTokens(token.encode(), clock.now, token_lifetime_s))

    def accepts(self, secret: str) -> bool:
        """The sandbox's own token, or an access token it gave and that has not expired."""
        return hmac.compare_digest(secret.encode(), self.token) or self.oauth.accepts(secret)


def context(request: Request) -> Context:
    ctx: Context = request.app.state.ctx
    return ctx


Ctx = Annotated[Context, Depends(context)]
_bearer = HTTPBearer(auto_error=False, description="The sandbox token, or an access token from "
                                                  "POST /sandbox/oauth/token")


def require_token(
    ctx: Ctx, credentials: Annotated[HTTPAuthorizationCredentials | None, Security(_bearer)],
) -> None:
    if credentials is None or not ctx.accepts(credentials.credentials):
        raise ApiError(401, "unauthorized", "A valid bearer token is required.")


def checked_msisdn(msisdn: str) -> str:
    if not E164.match(msisdn):
        raise bad_request(f"{msisdn!r} is not an E.164 phone number like +79161234567.")
    return msisdn


def subscriber_state(
    ctx: Ctx,
    msisdn: Annotated[str, Path(description="E.164, literally", examples=["+79161234567"])],
) -> SubscriberState:
    state = ctx.ledger.state(checked_msisdn(msisdn))
    if state is None:
        raise ApiError(404, "subscriber_not_found", f"No subscriber with number {msisdn}.")
    return state


Subscriber = Annotated[SubscriberState, Depends(subscriber_state)]


def idempotency_key(
    key: Annotated[str | None, Header(
        alias="Idempotency-Key",
        description="Required on every write: 16–128 of [A-Za-z0-9_-], unique per write; a "
                    "retry of the same write sends the same key.")] = None,
) -> str:
    return check_key(key)


IdempotencyKey = Annotated[str, Depends(idempotency_key)]


def if_match_version(
    if_match: Annotated[str | None, Header(
        alias="If-Match",
        description='The subscriber\'s version as last seen (its ETag), e.g. "7".')] = None,
) -> int:
    if if_match is None:
        raise ApiError(428, "precondition_required",
                       'If-Match is required: send the subscriber\'s version (ETag) as last '
                       'seen, e.g. If-Match: "7".')
    text = if_match.strip().removeprefix("W/").strip('"')
    if not text.isdigit():
        raise bad_request('If-Match must be the subscriber\'s version as its ETag, e.g. "7".')
    return int(text)


IfMatch = Annotated[int, Depends(if_match_version)]


def load_for_write(ctx: Context, msisdn: str) -> SubscriberState:
    """The subscriber as of now, inside a write transaction (a stored 404 if unknown)."""
    state = ctx.store.load(msisdn)
    if state is None:
        raise subscriber_not_found(msisdn)
    return state


def send(outcome: Outcome, headers: dict[str, str] | None = None) -> Response:
    """An idempotent write's answer: the stored text exactly."""
    all_headers = dict(headers or {})
    if outcome.replayed:
        all_headers[REPLAYED_HEADER] = "true"
    return Response(outcome.text, outcome.status, all_headers, media_type="application/json")


def parse_instant(name: str, text: str) -> int:
    """A UTC instant from the query, as whole epoch seconds (rounded up, so that a bound with a
    fraction keeps its meaning for records that start on whole seconds)."""
    try:
        moment = datetime.fromisoformat(text)
    except ValueError:
        raise bad_request(f"'{name}' must be an ISO 8601 instant like 2026-11-01T00:00:00Z, "
                          f"not {text!r}.") from None
    if moment.tzinfo is None:
        raise bad_request(f"'{name}' must say its time zone (end it with Z for UTC).")
    return math.ceil(moment.timestamp())
