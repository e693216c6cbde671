"""The error answers each endpoint documents: exactly the statuses it can send, each with the
shape it sends (tests/integration/test_sandbox_openapi_conformance.py drives every endpoint and
holds each real answer to the served document).

- Every /v1 endpoint and /health: 503 `unavailable` with Retry-After (fault injection or an
  outage, FaultMiddleware: nothing applied); /sandbox is never faulted.
- Every endpoint: 500 `internal` when the sandbox itself fails.
- Every endpoint with a token: 401 with `WWW-Authenticate: Bearer`.
- 400 `bad_request` only where a path, query or header value can be wrong; 422 only where a
  JSON body can be (`bad_request`), a rule can refuse (`rule_refused`, with `rule`) or an
  Idempotency-Key can be reused (`idempotency_key_reused`).
"""

from __future__ import annotations

from typing import Any

from sandbox import schemas
from sandbox import schemas_orders as orders

Answers = dict[int | str, dict[str, Any]]

_RETRY_AFTER = {"Retry-After": {"description": "Seconds to wait before asking again",
                                "required": True, "schema": {"type": "integer"}}}
_BEARER = {"WWW-Authenticate": {"description": "Bearer", "required": True,
                                "schema": {"type": "string"}}}

FAILED: Answers = {500: {"model": schemas.Error,
                         "description": "internal: the sandbox failed; nothing was applied"}}
UNAVAILABLE: Answers = {503: {
    "model": schemas.Error, "headers": _RETRY_AFTER,
    "description": "unavailable: an injected fault or an outage (a real operator's gateway "
                   "answers the same way); nothing was applied"}}
UNAUTHORIZED: Answers = {401: {"model": schemas.Error, "headers": _BEARER,
                               "description": "unauthorized: a missing or wrong token"}}

OPERATOR: Answers = {**UNAUTHORIZED, **FAILED, **UNAVAILABLE}  # every /v1 endpoint
SANDBOX: Answers = {**UNAUTHORIZED, **FAILED}  # every /sandbox endpoint: never faulted

BAD_INPUT: Answers = {400: {"model": schemas.Error,
                            "description": "bad_request: a bad path, query or header value"}}
BAD_BODY: Answers = {422: {"model": schemas.Error,
                           "description": "bad_request: a bad JSON body"}}
NOT_FOUND: Answers = {404: {"model": schemas.Error,
                            "description": "subscriber_not_found: no such number"}}
IN_PROGRESS: Answers = {409: {
    "model": schemas.Error,
    "description": "request_in_progress: a write with this Idempotency-Key is being "
                   "processed; retry with the same key"}}


def refused_or(description: str, *, with_rule: bool = True) -> Answers:
    """422 whose body is either a refusal (`rule_refused` with its `rule`) or a plain error
    (`description` says which codes)."""
    model: Any = (orders.RefusalError | schemas.Error) if with_rule else schemas.Error
    return {422: {"model": model, "description": description}}
