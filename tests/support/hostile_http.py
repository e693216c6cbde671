"""A hostile HTTP server on loopback: it reads a request like any server, then answers the way
a broken or malicious operator would — a byte every few tenths of a second, a body that never
ends, a Content-Length of gigabytes, a gzip bomb.

Plain sockets and a thread per connection, on purpose: a real HTTP framework would refuse to
misbehave like this. `HostileServer(behaviour)` runs `behaviour(conn, request)` for every
request; `stop()` ends the drips and closes everything.
"""

from __future__ import annotations

import contextlib
import socket
import threading
import time
import zlib
from collections.abc import Callable
from dataclasses import dataclass, field

Behaviour = Callable[["Connection", bytes], None]


class Gone(Exception):
    """The client hung up, or the server is stopping."""


@dataclass
class Connection:
    sock: socket.socket
    stopping: threading.Event

    def send(self, data: bytes) -> None:
        if self.stopping.is_set():
            raise Gone
        try:
            self.sock.sendall(data)
        except OSError as error:
            raise Gone from error

    def drip(self, data: bytes, every: float) -> None:
        """`data` one byte at a time, `every` seconds apart."""
        for byte in data:
            self.send(bytes([byte]))
            if self.stopping.wait(every):
                raise Gone

    def drip_forever(self, head: bytes, every: float) -> None:
        """`head` at once, then one space every `every` seconds until the client leaves."""
        self.send(head)
        while True:
            self.drip(b" ", every)

    def stream_forever(self, head: bytes, chunk: bytes) -> None:
        """`head`, then `chunk` as HTTP/1.1 chunks, as fast as the client reads, for ever."""
        self.send(head)
        framed = f"{len(chunk):x}\r\n".encode() + chunk + b"\r\n"
        while True:
            self.send(framed)


@dataclass
class HostileServer:
    behaviour: Behaviour
    requests: list[bytes] = field(default_factory=list)
    _stopping: threading.Event = field(default_factory=threading.Event)
    _listener: socket.socket = field(init=False)
    _threads: list[threading.Thread] = field(default_factory=list)

    def __post_init__(self) -> None:
        self._listener = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        self._listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        self._listener.bind(("127.0.0.1", 0))
        self._listener.listen(16)
        self._listener.settimeout(0.2)
        accepting = threading.Thread(target=self._accept, name="hostile-http", daemon=True)
        accepting.start()
        self._threads.append(accepting)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self._listener.getsockname()[1]}"

    def stop(self) -> None:
        self._stopping.set()
        for thread in self._threads:
            thread.join(5)
        self._listener.close()

    def __enter__(self) -> HostileServer:
        return self

    def __exit__(self, *_: object) -> None:
        self.stop()

    def _accept(self) -> None:
        while not self._stopping.is_set():
            try:
                sock, _address = self._listener.accept()
            except TimeoutError:
                continue
            except OSError:
                return
            serving = threading.Thread(target=self._serve, args=(sock,), daemon=True)
            serving.start()
            self._threads.append(serving)

    def _serve(self, sock: socket.socket) -> None:
        with sock:
            sock.settimeout(5)
            try:
                request = _read_request(sock)
            except OSError:
                return
            self.requests.append(request)
            with contextlib.suppress(Gone):
                self.behaviour(Connection(sock, self._stopping), request)


def _read_request(sock: socket.socket) -> bytes:
    """The request line, headers and a Content-Length body."""
    data = b""
    while b"\r\n\r\n" not in data:
        chunk = sock.recv(65536)
        if not chunk:
            return data
        data += chunk
    head, _sep, body = data.partition(b"\r\n\r\n")
    length = 0
    for line in head.split(b"\r\n")[1:]:
        name, _colon, value = line.partition(b":")
        if name.strip().lower() == b"content-length":
            length = int(value.strip())
    while len(body) < length:
        chunk = sock.recv(65536)
        if not chunk:
            break
        body += chunk
    return head + b"\r\n\r\n" + body


def head(status: str = "200 OK", **headers: str | int) -> bytes:
    """A status line and headers (`content_type="x"` → `Content-Type: x`)."""
    lines = [f"HTTP/1.1 {status}"]
    lines += [f"{name.replace('_', '-').title()}: {value}" for name, value in headers.items()]
    return ("\r\n".join(lines) + "\r\n\r\n").encode()


def gzip_of_zeros(size: int) -> bytes:
    """`size` zero bytes gzip-compressed: a thousandth of the size on the wire."""
    compressor = zlib.compressobj(9, zlib.DEFLATED, 31)
    block = bytes(2**20)
    parts = [compressor.compress(block) for _ in range(size // len(block))]
    return b"".join(parts) + compressor.flush()


def elapsed(since: float) -> float:
    return time.monotonic() - since
