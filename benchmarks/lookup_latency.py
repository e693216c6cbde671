"""A live lookup through an operator a network away: the embedded sandbox on loopback behind a
transport that adds `LATENCY` seconds each way to every request (a BSS in another city), so
what the lookup asks one after the other, and what it asks at once, shows in the time. The
cards of numbers looked up before (the operator's line id for them already known) and of
numbers seen for the first time in the session.

DESIGN §9's 100 ms is for a sandbox that answers at once (benchmarks/lookup.py, gui.py); the
figures here are against it all the same, for comparison."""

from __future__ import annotations

import tempfile
import time
from pathlib import Path

import httpx

from app.clock import SystemClock
from app.operator_api.client import OperatorClient
from app.services.connection import ConnectionState
from app.services.lookup import LookupService
from benchmarks.report import median_ms, ratio_line
from models.domain import ClerkRole, Session, SubscriberCard
from sandbox.server import start_in_background
from tests.support.identity import Identified

LATENCY = 0.010  # seconds each way: a 20 ms round trip
TOKEN = "bench-token"


class _Distant(httpx.BaseTransport):
    def __init__(self, inner: httpx.BaseTransport) -> None:
        self._inner = inner

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        time.sleep(LATENCY)
        response = self._inner.handle_request(request)
        time.sleep(LATENCY)
        return response

    def close(self) -> None:
        self._inner.close()


class _NoCache:
    def get(self, msisdn: str) -> SubscriberCard | None:
        return None

    def put(self, card: SubscriberCard) -> None:
        pass

    def forget(self, msisdn: str) -> None:
        pass


def run() -> list[str]:
    clock = SystemClock()
    with tempfile.TemporaryDirectory() as folder:
        sandbox = start_in_background(Path(folder) / "world.sqlite3", 2026, TOKEN)
        client = OperatorClient(sandbox.url, TOKEN, clock=clock,
                                transport=_Distant(httpx.HTTPTransport()))
        try:
            # The card in full, as after the visit's identity check (R10).
            lookup = LookupService(client, _NoCache(), ConnectionState(clock), clock,
                                   identity=Identified())
            clerk = Session("bench", "Benchmark", ClerkRole.CLERK, clock.now())
            known = median_ms(lambda: lookup.lookup("+79161234567", clerk), repeat=30)
            fresh = iter([d.msisdn for d in client.demo_subscribers()
                          if d.msisdn != "+79161234567"])
            first = median_ms(lambda: lookup.lookup(next(fresh), clerk), repeat=30)
        finally:
            client.close()
            sandbox.stop()
    return [
        ratio_line(f"live card, {LATENCY * 2000:.0f} ms round trips", known, 100.0),
        ratio_line("  the same, number first seen", first, 100.0),
    ]


if __name__ == "__main__":
    print("\n".join(run()))
