"""Running the sandbox: blocking (`salon sandbox`, `python -m sandbox`) or on a loopback port in
a background thread (the console's embedded mode, and the tests)."""

from __future__ import annotations

import logging
import socket
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import httpx
import uvicorn

from sandbox.api import create_app
from sandbox.clock import Clock, wall_seconds
from sandbox.oauth import DEFAULT_TOKEN_LIFETIME_S
from sandbox.store import Store

log = logging.getLogger(__name__)


def serve(host: str, port: int, db_path: Path, seed: int, token: str, *,
          token_lifetime_s: int = DEFAULT_TOKEN_LIFETIME_S) -> None:
    """Serve until interrupted (Ctrl+C)."""
    store = Store.open(Path(db_path), seed, now=wall_seconds())
    try:
        log.info("sandbox of seed %d on http://%s:%d (database %s)", seed, host, port, db_path)
        uvicorn.run(create_app(store, token, token_lifetime_s=token_lifetime_s), host=host,
                    port=port, log_level="info")
    finally:
        store.close()


@dataclass
class RunningSandbox:
    url: str  # e.g. http://127.0.0.1:40123
    token: str
    store: Store
    _server: uvicorn.Server = field(repr=False)
    _thread: threading.Thread = field(repr=False)
    _socket: socket.socket = field(repr=False)
    _clock: Clock = field(repr=False)  # the world's clock, the one the app's context holds

    def clock_offset_s(self) -> int:
        """How far the world's clock runs ahead of real time (moved by training or tests)."""
        return self._clock.offset_s

    def stop(self, timeout: float = 10.0) -> None:
        self._server.should_exit = True
        self._thread.join(timeout)
        self._socket.close()
        self.store.close()

    def __enter__(self) -> RunningSandbox:
        return self

    def __exit__(self, *_: object) -> None:
        self.stop()


def start_in_background(db_path: Path, seed: int, token: str,
                        startup_timeout: float = 30.0, *,
                        real_time: Callable[[], float] | None = None,
                        token_lifetime_s: int = DEFAULT_TOKEN_LIFETIME_S) -> RunningSandbox:
    """Start the sandbox on 127.0.0.1 and a free port, in a daemon thread; return once it
    answers. The socket is bound here, before the server starts, so no other process can take
    the port in between. `real_time`: the seconds its clock runs on (tests pin a world to an
    instant with it); the wall clock by default. `token_lifetime_s`: how long its OAuth2
    access tokens live (sandbox/oauth.py)."""
    store = Store.open(Path(db_path), seed,
                       now=wall_seconds() if real_time is None else int(real_time()))
    clock = Clock(store) if real_time is None else Clock(store, real_time=real_time)
    # IPPROTO_TCP explicitly: asyncio sets TCP_NODELAY only on sockets whose proto says TCP, and
    # without it every keep-alive response waits ~40 ms for Nagle and delayed ACKs.
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM, socket.IPPROTO_TCP)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.bind(("127.0.0.1", 0))
    port = sock.getsockname()[1]
    app = create_app(store, token, clock, token_lifetime_s=token_lifetime_s)
    config = uvicorn.Config(app, log_level="warning", access_log=False, lifespan="off")
    server = uvicorn.Server(config)
    thread = threading.Thread(target=server.run, kwargs={"sockets": [sock]},
                              name=f"sandbox-{port}", daemon=True)
    thread.start()
    running = RunningSandbox(f"http://127.0.0.1:{port}", token, store, server, thread, sock,
                             clock)
    deadline = time.monotonic() + startup_timeout
    while True:
        try:
            if httpx.get(f"{running.url}/health", timeout=1.0).status_code == 200:
                return running
        except httpx.TransportError:
            pass
        if not thread.is_alive() or time.monotonic() > deadline:
            running.stop(timeout=1.0)
            raise RuntimeError(f"the sandbox did not start on {running.url}")
        time.sleep(0.02)
