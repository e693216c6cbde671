"""Every answer an httpx client receives, checked against an OpenAPI document (openapi-core).

`ContractCheck(document)` is an httpx response hook: for each answer it finds the operation by
path and method, and records a problem when the status is not documented for it or the body
(or a documented header) does not match the documented shape. It also remembers which
(operation, status) pairs were seen, so a test can tell a documented status nobody provoked.

The adapters are conformance/openapi_adapters.py's.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import httpx
from openapi_core import OpenAPI

from conformance.openapi_adapters import (
    HttpxOpenAPIRequest,
    HttpxOpenAPIResponse,
    causes,
    short,
)


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
            detail = "; ".join(short(e) for e in causes(error))
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
