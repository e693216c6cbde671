"""The x-salon extension held to the sandbox's own OpenAPI document (resources/openapi.json):
what TMF has no API for (access codes, the main balance at an instant) is documented there, and
openapi-core checks each request the console sends and each answer it gets against it."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import httpx
from openapi_core import OpenAPI

from conformance.openapi_adapters import (
    HttpxOpenAPIRequest,
    HttpxOpenAPIResponse,
    causes,
    short,
)

OWN_DOCUMENT = Path(__file__).resolve().parent.parent / "resources" / "openapi.json"


class OwnDocument:
    def __init__(self, document: dict[str, Any] | None = None) -> None:
        self.document = document if document is not None else json.loads(
            OWN_DOCUMENT.read_text(encoding="utf-8"))
        self._openapi = OpenAPI.from_dict(self.document)

    def request_problems(self, request: httpx.Request) -> list[str]:
        request.read()
        try:
            self._openapi.validate_request(HttpxOpenAPIRequest(request))
        except Exception as error:  # every kind of mismatch is a finding, named
            return [f"{request.method} {request.url.path} request: {_detail(error)}"]
        return []

    def response_problems(self, response: httpx.Response) -> list[str]:
        request = response.request
        try:
            self._openapi.validate_response(HttpxOpenAPIRequest(request),
                                            HttpxOpenAPIResponse(response))
        except Exception as error:
            return [f"{request.method} {request.url.path} → {response.status_code}: "
                    f"{_detail(error)} — {response.text[:200]}"]
        return []


def _detail(error: BaseException) -> str:
    return "; ".join(short(e) for e in causes(error))
