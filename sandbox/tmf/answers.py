"""The answers each TMF operation documents in the sandbox's OpenAPI document: exactly the
statuses it can send, errors always as TMF's `Error` (tests/integration/
test_sandbox_openapi_conformance.py provokes each one)."""

from __future__ import annotations

from typing import Any

from sandbox.tmf.models import TmfError

Answers = dict[int | str, dict[str, Any]]


def _error(description: str, headers: dict[str, Any] | None = None) -> dict[str, Any]:
    answer: dict[str, Any] = {"model": TmfError, "description": description}
    if headers:
        answer["headers"] = headers
    return answer


def _integer_header(description: str) -> dict[str, Any]:
    return {"description": description, "required": True, "schema": {"type": "integer"}}


COUNT_HEADERS = {
    "X-Total-Count": _integer_header("How many entities match the query in all"),
    "X-Result-Count": _integer_header("How many entities this answer carries"),
}
def etag(description: str) -> dict[str, Any]:
    """The `ETag` a retrieve answers with, when the resource has one (not required: an entity a
    client created has no version)."""
    if not description:
        return {}
    return {"headers": {"ETag": {"description": description, "required": False,
                                 "schema": {"type": "string"}}}}


LOCATION = {"Location": {"description": "The created entity's href", "required": True,
                         "schema": {"type": "string", "format": "uri"}}}

# Every TMF operation: a token is needed, the sandbox may fail, faults and outages answer 503.
COMMON: Answers = {
    401: _error("unauthorized: a missing or wrong token",
                {"WWW-Authenticate": {"description": "Bearer", "required": True,
                                      "schema": {"type": "string"}}}),
    500: _error("internal: the sandbox failed; nothing was applied"),
    503: _error("unavailable: an injected fault or an outage; nothing was applied",
                {"Retry-After": {"description": "Seconds to wait before asking again",
                                 "required": True, "schema": {"type": "integer"}}}),
}
BAD_QUERY: Answers = {400: _error("bad_request: an offset, limit or filter the sandbox cannot "
                                  "read")}
BAD_BODY: Answers = {400: _error("bad_request: the body is not a JSON object, lacks a "
                                 "mandatory attribute, or changes id or href")}
NOT_FOUND: Answers = {404: _error("not_found: no entity with this id")}
READ_ONLY: Answers = {405: _error(
    "read_only: the entity belongs to the sandbox's world (Allow: GET)",
    {"Allow": {"description": "GET", "required": True, "schema": {"type": "string"}}})}


def refusal(description: str) -> Answers:
    return {422: _error(description)}
