"""An httpx transport that keeps every exchange: the console's own client (app/main.py's
`Parts.operator_transport`) sends through it to the real network, and what went and came back
is checked afterwards (conformance/exchanges.py) — the console itself runs unchanged."""

from __future__ import annotations

import threading
from dataclasses import dataclass

import httpx


@dataclass(frozen=True)
class Exchange:
    request: httpx.Request
    response: httpx.Response  # read whole, decoded (its request is `request`)


class RecordingTransport(httpx.BaseTransport):
    def __init__(self, inner: httpx.BaseTransport | None = None) -> None:
        self._inner = inner or httpx.HTTPTransport()
        self._lock = threading.Lock()
        self.exchanges: list[Exchange] = []

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        request.read()
        answer = self._inner.handle_request(request)
        try:
            raw = b"".join(answer.iter_raw())  # as it came: the client decodes it itself
        finally:
            answer.close()
        kept = httpx.Response(answer.status_code, headers=answer.headers, content=raw,
                              request=request)
        kept.read()
        with self._lock:
            self.exchanges.append(Exchange(request, kept))
        return httpx.Response(answer.status_code, headers=answer.headers, content=raw,
                              request=request, extensions=answer.extensions)

    def close(self) -> None:
        self._inner.close()
