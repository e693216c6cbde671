"""openapi-core's view of an httpx exchange: the request and response adapters (after
openapi-core's own for `requests`, openapi_core/contrib/requests), and a sentence for each of
its findings. The tests' ContractCheck (tests/support/openapi_check.py) and `make
conformance`'s check of the x-salon extension (conformance/own_document.py) share them."""

from __future__ import annotations

from urllib.parse import parse_qs

import httpx
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


def short(error: BaseException) -> str:
    """A schema error's own sentence (with where), else the error's first line."""
    message = getattr(error, "message", None)
    if isinstance(message, str):
        where = "/".join(str(p) for p in getattr(error, "absolute_path", ()))
        return f"{message} at /{where}"
    return f"{type(error).__name__}: {str(error).splitlines()[0][:160] if str(error) else ''}"


def causes(error: BaseException) -> list[BaseException]:
    found = [error]
    while found[-1].__cause__ is not None and len(found) < 5:
        found.append(found[-1].__cause__)
    schema_errors = getattr(found[-1], "schema_errors", None)
    return found + list(schema_errors or [])
