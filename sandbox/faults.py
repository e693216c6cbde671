"""Fault injection (sandbox only): latency, 503s, dropped connections, outages.

So the console's retries, idempotency keys and offline mode can be trained and tested against
a real server. Every request whose path starts with one of `paths` draws three numbers from a
`random.Random(seed)`, in a fixed order, so a sequential test run is reproducible:

- with probability `error_rate`: 503 `unavailable`, nothing applied;
- else with `drop_before_rate`: the connection breaks before the request reaches the API,
  nothing applied;
- else with `drop_after_rate`: the request is applied and committed, then the connection breaks
  before the answer is complete.

A "drop" is a real broken connection as the client sees it (httpx raises RemoteProtocolError
or ReadError), not an HTTP status: the middleware sends the response start, then raises, and
uvicorn, seeing an answer started but not finished, closes the connection. A client may see a
status line; it never sees a complete answer.

An outage refuses every request outside /sandbox (including /health) with 503 for a while, by
real time, not the sandbox clock (it is the network that is down, not the world that moved).
/sandbox itself is never faulted, so faults can always be cleared.
"""

from __future__ import annotations

import asyncio
import logging
import random
import threading
import time
from dataclasses import asdict, dataclass, field
from typing import Any

from starlette.types import ASGIApp, Message, Receive, Scope, Send

from sandbox.errors import dumps, error_body
from sandbox.tmf import errors as tmf

NEVER_FAULTED = "/sandbox"


@dataclass(frozen=True)
class FaultConfig:
    latency_ms: int = 0
    error_rate: float = 0.0
    drop_before_rate: float = 0.0
    drop_after_rate: float = 0.0
    paths: tuple[str, ...] = ("/v1", "/tmf-api")
    seed: int = 0

    def active(self) -> bool:
        return bool(self.latency_ms or self.error_rate or self.drop_before_rate
                    or self.drop_after_rate)


@dataclass(frozen=True)
class Decision:
    latency_s: float
    action: str | None  # error | drop_before | drop_after | None


@dataclass
class Faults:
    config: FaultConfig = field(default_factory=FaultConfig)
    _rng: random.Random = field(default_factory=lambda: random.Random(0))
    _outage_until: float = 0.0  # time.monotonic()
    _lock: threading.Lock = field(default_factory=threading.Lock)

    def set(self, config: FaultConfig) -> None:
        with self._lock:
            self.config = config
            self._rng = random.Random(config.seed)

    def clear(self) -> None:
        """No faults and no outage."""
        with self._lock:
            self.config = FaultConfig()
            self._rng = random.Random(0)
            self._outage_until = 0.0

    def start_outage(self, seconds: float) -> None:
        with self._lock:
            self._outage_until = time.monotonic() + seconds

    def outage_left(self) -> float:
        with self._lock:
            return max(0.0, self._outage_until - time.monotonic())

    def decide(self, path: str) -> Decision | None:
        with self._lock:
            config = self.config
            if not config.active() or not any(path.startswith(p) for p in config.paths):
                return None
            error, before, after = self._rng.random(), self._rng.random(), self._rng.random()
        action = None
        if error < config.error_rate:
            action = "error"
        elif before < config.drop_before_rate:
            action = "drop_before"
        elif after < config.drop_after_rate:
            action = "drop_after"
        return Decision(config.latency_ms / 1000, action)

    def body(self) -> dict[str, Any]:
        config = asdict(self.config)
        config["paths"] = list(self.config.paths)
        left = self.outage_left()
        return {**config, "outage_seconds_left": round(left, 3)}


class InjectedDrop(Exception):
    """Raised after the response has started: uvicorn closes the connection."""


class _QuietDrops(logging.Filter):
    """uvicorn logs every exception after a response start as an error; ours are on purpose."""

    def filter(self, record: logging.LogRecord) -> bool:
        return not (record.exc_info and isinstance(record.exc_info[1], InjectedDrop))


_quiet = _QuietDrops()


def quiet_uvicorn() -> None:
    logger = logging.getLogger("uvicorn.error")
    if _quiet not in logger.filters:
        logger.addFilter(_quiet)


class FaultMiddleware:
    def __init__(self, app: ASGIApp, faults: Faults) -> None:
        self.app = app
        self.faults = faults

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        path = scope.get("path", "") if scope["type"] == "http" else ""
        if not path or path.startswith(NEVER_FAULTED):
            await self.app(scope, receive, send)
            return
        left = self.faults.outage_left()
        if left > 0:
            await _unavailable(send, path, "The operator API is down (a sandbox outage).", left)
            return
        decision = self.faults.decide(path)
        if decision is None:
            await self.app(scope, receive, send)
            return
        if decision.latency_s:
            await asyncio.sleep(decision.latency_s)
        if decision.action == "error":
            await _unavailable(send, path, "The operator API failed (an injected fault); "
                                           "nothing was applied.", 1)
        elif decision.action == "drop_before":
            await send({"type": "http.response.start", "status": 200,
                        "headers": [(b"content-type", b"application/json"),
                                    (b"content-length", b"64")]})
            raise InjectedDrop("connection dropped before the request was applied")
        elif decision.action == "drop_after":
            await self._drop_after(scope, receive, send)
        else:
            await self.app(scope, receive, send)

    async def _drop_after(self, scope: Scope, receive: Receive, send: Send) -> None:
        start: Message | None = None

        async def hold(message: Message) -> None:
            nonlocal start
            if message["type"] == "http.response.start":
                start = message

        await self.app(scope, receive, hold)  # applied and committed when this returns
        if start is not None:
            await send(start)  # the real status and headers; the body never follows
        else:
            await send({"type": "http.response.start", "status": 200, "headers": []})
        raise InjectedDrop("connection dropped after the request was applied")


async def _unavailable(send: Send, path: str, message: str, retry_after: float) -> None:
    body = (tmf.error_body(503, "unavailable", message) if tmf.is_tmf(path)
            else error_body("unavailable", message))
    payload = dumps(body).encode()
    await send({"type": "http.response.start", "status": 503, "headers": [
        (b"content-type", b"application/json"), (b"content-length", str(len(payload)).encode()),
        (b"retry-after", str(max(1, round(retry_after))).encode())]})
    await send({"type": "http.response.body", "body": payload})
