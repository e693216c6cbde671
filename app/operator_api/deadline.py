"""One overall deadline for a call to the operator: connect, send and the whole answer, every
retry included.

httpx's timeouts are per operation: a server that sends one byte every few seconds never lets
a read time out, and a command waits for ever. So the call sets a deadline (`deadline_scope`),
and the network backend under httpx's own transport (`DeadlineTransport`) gives every socket
operation — connect, TLS handshake, each read and write — no more than the time left to it.
Once none is left the operation fails at once as the timeout of its kind (httpx maps it:
ConnectTimeout, ReadTimeout, WriteTimeout), so the client's retry and "may it have arrived"
logic sees exactly what a slow network would have caused.

The deadline lives in a context variable: each thread (the window's workers, the outbox pump)
has its own, and a call made outside any scope has none (only httpx's own timeouts).
Deadlines are durations, not business time: `time.monotonic`.
"""

from __future__ import annotations

import time
import typing
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar

import httpcore
import httpx

_DEADLINE: ContextVar[float | None] = ContextVar("operator_call_deadline", default=None)


@contextmanager
def deadline_scope(seconds: float) -> Iterator[None]:
    """Every socket operation inside ends by `seconds` from now."""
    token = _DEADLINE.set(time.monotonic() + seconds)
    try:
        yield
    finally:
        _DEADLINE.reset(token)


def time_left() -> float | None:
    """Seconds left to the current deadline (never negative); None outside a scope."""
    deadline = _DEADLINE.get()
    return None if deadline is None else max(0.0, deadline - time.monotonic())


def _clamped(timeout: float | None, expired: type[Exception]) -> float | None:
    """The operation's own timeout, cut to the time left; `expired` when none is left (a
    socket timeout of 0 would mean "non-blocking", not "no time")."""
    left = time_left()
    if left is None:
        return timeout
    if left <= 0.001:
        raise expired("the call's overall deadline has passed")
    return left if timeout is None else min(timeout, left)


class _DeadlineStream(httpcore.NetworkStream):
    def __init__(self, stream: httpcore.NetworkStream) -> None:
        self._stream = stream

    def read(self, max_bytes: int, timeout: float | None = None) -> bytes:
        return self._stream.read(max_bytes, _clamped(timeout, httpcore.ReadTimeout))

    def write(self, buffer: bytes, timeout: float | None = None) -> None:
        # httpcore sends a buffer in pieces, each with this timeout: the clamp is per call,
        # and a large upload is written in many calls, each clamped again.
        self._stream.write(buffer, _clamped(timeout, httpcore.WriteTimeout))

    def close(self) -> None:
        self._stream.close()

    def start_tls(self, ssl_context: typing.Any, server_hostname: str | None = None,
                  timeout: float | None = None) -> httpcore.NetworkStream:
        return _DeadlineStream(self._stream.start_tls(
            ssl_context, server_hostname, _clamped(timeout, httpcore.ConnectTimeout)))

    def get_extra_info(self, info: str) -> typing.Any:
        return self._stream.get_extra_info(info)


class DeadlineBackend(httpcore.NetworkBackend):
    """httpcore's own socket backend, every operation held to the call's deadline."""

    def __init__(self, backend: httpcore.NetworkBackend | None = None) -> None:
        self._backend = backend or httpcore.SyncBackend()

    def connect_tcp(self, host: str, port: int, timeout: float | None = None,
                    local_address: str | None = None,
                    socket_options: typing.Iterable[typing.Any] | None = None,
                    ) -> httpcore.NetworkStream:
        return _DeadlineStream(self._backend.connect_tcp(
            host, port, _clamped(timeout, httpcore.ConnectTimeout), local_address,
            socket_options))

    def connect_unix_socket(self, path: str, timeout: float | None = None,
                            socket_options: typing.Iterable[typing.Any] | None = None,
                            ) -> httpcore.NetworkStream:
        return _DeadlineStream(self._backend.connect_unix_socket(
            path, _clamped(timeout, httpcore.ConnectTimeout), socket_options))

    def sleep(self, seconds: float) -> None:
        self._backend.sleep(seconds)


class DeadlineTransport(httpx.HTTPTransport):
    """httpx's transport as it is (connection pool, TLS, proxy, error mapping), on a network
    backend that keeps every socket operation within the current call's deadline. httpx takes
    no backend, so the pool it built — direct, HTTP or SOCKS proxy alike — gets ours wrapped
    around its own before it opens any connection."""

    def __init__(self, **options: typing.Any) -> None:
        super().__init__(**options)
        pool = self._pool
        pool._network_backend = DeadlineBackend(pool._network_backend)


class DeadlineClient(httpx.Client):
    """httpx.Client whose own transports — the direct one and one per proxy the environment
    names (HTTPS_PROXY...) — are DeadlineTransports; an injected transport is used as given."""

    # httpx calls both hooks with keywords only; passing **options on keeps up with whatever
    # transport options its version has, at the cost of the hooks' exact (private) signatures.
    def _init_transport(  # type: ignore[override]
            self, *, transport: httpx.BaseTransport | None = None,
            **options: typing.Any) -> httpx.BaseTransport:
        return transport if transport is not None else DeadlineTransport(**options)

    def _init_proxy_transport(  # type: ignore[override]
            self, proxy: httpx.Proxy, **options: typing.Any) -> httpx.BaseTransport:
        return DeadlineTransport(proxy=proxy, **options)
