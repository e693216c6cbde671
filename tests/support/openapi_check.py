"""Every answer an httpx client receives, checked against an OpenAPI document (openapi-core).

`ContractCheck(document)` is an httpx response hook: for each answer it finds the operation by
path and method, and records a problem when the status is not documented for it or the body
(or a documented header) does not match the documented shape. It also remembers which
(operation, status) pairs were seen, so a test can tell a documented status nobody provoked.

The adapters follow openapi-core's own for `requests` (openapi_core/contrib/requests).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any
from urllib.parse import parse_qs

import httpx
from openapi_core import OpenAPI
from openapi_core.datatypes import RequestParameters
from werkzeug.datastructures import Headers, ImmutableMultiDict


class HttpxOpenAPIRequest:
    def __init__(self, request: httpx.Request) -> None:
        self.request = request
        self.parameters = RequestParameters(
            query=ImmutableMultiDict(parse_qs(request.url.query.decode())),
            header=Headers(dict(request.headers)),
            cookie=ImmutableMultiDict(),
        )

    @property
    def host_url(self) -> str:
        return f"{self.request.url.scheme}://{self.request.url.netloc.decode()}"

    @property
    def path(self) -> str:
        return self.request.url.path

    @property
    def method(self) -> str:
        return self.request.method.lower()

    @property
    def body(self) -> bytes | None:
        return self.request.content or None

    @property
    def content_type(self) -> str:
        return str(self.request.headers.get("content-type", ""))


class HttpxOpenAPIResponse:
    def __init__(self, response: httpx.Response) -> None:
        self.response = response

    @property
    def data(self) -> bytes:
        return self.response.content

    @property
    def status_code(self) -> int:
        return self.response.status_code

    @property
    def content_type(self) -> str:
        return str(self.response.headers.get("content-type", ""))

    @property
    def headers(self) -> Headers:
        return Headers(dict(self.response.headers))


@dataclass
class ContractCheck:
    document: dict[str, Any]
    problems: list[str] = field(default_factory=list)
    seen: set[tuple[str, str, int]] = field(default_factory=set)
    checked: int = 0

    def __post_init__(self) -> None:
        self._openapi = OpenAPI.from_dict(self.document)

    def __call__(self, response: httpx.Response) -> None:
        response.read()
        request = response.request
        self.checked += 1
        operation = self.operation_of(request.method, request.url.path)
        if operation is not None:
            self.seen.add((*operation, response.status_code))
        try:
            self._openapi.validate_response(HttpxOpenAPIRequest(request),
                                            HttpxOpenAPIResponse(response))
        except Exception as error:  # every kind of mismatch is a finding, named
            detail = "; ".join(_short(e) for e in _causes(error))
            self.problems.append(f"{request.method} {request.url.path} → "
                                 f"{response.status_code}: {detail} — {response.text[:200]}")

    def operation_of(self, method: str, path: str) -> tuple[str, str] | None:
        """(method, path template) of the documented operation serving `path`."""
        parts = path.strip("/").split("/")
        matches = []
        for template, operations in self.document["paths"].items():
            pattern = template.strip("/").split("/")
            if len(pattern) == len(parts) and method.lower() in operations and all(
                    p.startswith("{") or p == q for p, q in zip(pattern, parts, strict=True)):
                matches.append((template.count("{"), template))
        # /v1/orders/preview before /v1/orders/{order_id}: the fewest placeholders wins.
        return (method.upper(), min(matches)[1]) if matches else None

    def documented(self) -> set[tuple[str, str, int]]:
        return {(method.upper(), template, int(status))
                for template, operations in self.document["paths"].items()
                for method, operation in operations.items()
                for status in operation["responses"]}


def _short(error: BaseException) -> str:
    """A schema error's own sentence (with where), else the error's first line."""
    message = getattr(error, "message", None)
    if isinstance(message, str):
        where = "/".join(str(p) for p in getattr(error, "absolute_path", ()))
        return f"{message} at /{where}"
    return f"{type(error).__name__}: {str(error).splitlines()[0][:160] if str(error) else ''}"


def _causes(error: BaseException) -> list[BaseException]:
    found = [error]
    while found[-1].__cause__ is not None and len(found) < 5:
        found.append(found[-1].__cause__)
    schema_errors = getattr(found[-1], "schema_errors", None)
    return found + list(schema_errors or [])
