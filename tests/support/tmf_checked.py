"""An httpx transport that holds every message the console's OperatorClient exchanges to TM
Forum's published documents (tests/support/tmf_docs.py): the request before it is sent, the
answer once it is read — and keeps what was sent, so a test can say which calls were made.

The client takes an injected transport as given (app/operator_api/plumbing.py), so the real
network under it is httpx's own; paths no published document covers (the x-salon extension,
/sandbox) pass unchecked.
"""

from __future__ import annotations

import threading

import httpx

from tests.support.tmf_docs import TmfDocs


class CheckedTransport(httpx.BaseTransport):
    def __init__(self, docs: TmfDocs, inner: httpx.BaseTransport | None = None) -> None:
        self.docs = docs
        self.inner = inner or httpx.HTTPTransport()
        self.sent: list[httpx.Request] = []
        self._lock = threading.Lock()

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        request.read()
        with self._lock:
            self.sent.append(request)
            self.docs.check_request(request, queries=True)
        response = self.inner.handle_request(request)
        response.read()
        response.request = request
        with self._lock:
            self.docs.check_response(response)
        return response

    def close(self) -> None:
        self.inner.close()

    def calls(self) -> list[tuple[str, str]]:
        """(method, path) of every request sent, in order."""
        return [(request.method, request.url.path) for request in self.sent]
