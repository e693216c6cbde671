"""A real SMTP server on loopback for the suite (aiosmtpd): STARTTLS with a self-signed
certificate made for the test (openssl), AUTH only after TLS, and every letter kept so the
test can open it and its attachment.

The certificate is for `localhost`; a console under test trusts it through an SSLContext
(in-process) or SSL_CERT_FILE (a `salon` subprocess), exactly as OpenSSL lets any program.
"""

from __future__ import annotations

import email
import email.policy
import socket
import subprocess
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from email.message import EmailMessage
from pathlib import Path
from typing import Any

LOGIN = "salon-relay"
PASSWORD = "relay-secret-Ω-42"


@dataclass
class Received:
    mail_from: str
    rcpt_tos: list[str]
    message: EmailMessage
    tls: bool  # the letter came after STARTTLS
    login: str | None  # who signed in (None: nobody)


@dataclass
class MailServer:
    host: str
    port: int
    cert: Path
    received: list[Received] = field(default_factory=list)
    auth_failures: int = 0
    lock: threading.Lock = field(default_factory=threading.Lock)

    def letters(self) -> list[Received]:
        with self.lock:
            return list(self.received)


def make_certificate(folder: Path) -> tuple[Path, Path]:
    cert, key = folder / "relay-cert.pem", folder / "relay-key.pem"
    subprocess.run(
        ["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", str(key),
         "-out", str(cert), "-days", "2", "-subj", "/CN=localhost",
         "-addext", "subjectAltName=DNS:localhost,IP:127.0.0.1"],
        check=True, capture_output=True, timeout=60)
    return cert, key


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


class _Handler:
    def __init__(self, server: MailServer) -> None:
        self.server = server

    async def handle_DATA(self, smtp: Any, session: Any, envelope: Any) -> str:
        message = email.message_from_bytes(envelope.original_content or envelope.content,
                                           policy=email.policy.default)
        login = session.auth_data  # what the authenticator returned (the login)
        with self.server.lock:
            self.server.received.append(Received(
                envelope.mail_from, list(envelope.rcpt_tos), message,
                session.ssl is not None, login))
        return "250 Message accepted"


@contextmanager
def running_smtp(folder: Path, *, starttls: bool = True, require_auth: bool = True
                 ) -> Iterator[MailServer]:
    """An SMTP server on 127.0.0.1 (and a free port) with STARTTLS and AUTH as asked."""
    import ssl

    from aiosmtpd.controller import Controller
    from aiosmtpd.smtp import AuthResult, LoginPassword

    cert, key = make_certificate(folder)
    server = MailServer("localhost", _free_port(), cert)

    def authenticator(smtp: Any, session: Any, envelope: Any, mechanism: str,
                      data: Any) -> AuthResult:
        if isinstance(data, LoginPassword) and data.login.decode() == LOGIN and \
                data.password.decode() == PASSWORD:
            return AuthResult(success=True, auth_data=LOGIN)
        with server.lock:
            server.auth_failures += 1
        return AuthResult(success=False, handled=False)

    kwargs: dict[str, Any] = {}
    if starttls:
        context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
        context.load_cert_chain(cert, key)
        kwargs.update(tls_context=context, require_starttls=True)
    if require_auth:
        kwargs.update(authenticator=authenticator, auth_required=True,
                      auth_require_tls=starttls)
    controller = Controller(_Handler(server), hostname="127.0.0.1", port=server.port,
                            server_hostname="localhost", ready_timeout=10, **kwargs)
    controller.start()
    try:
        yield server
    finally:
        controller.stop()


def attachment(message: EmailMessage) -> tuple[str, str, bytes]:
    """(file name, content type, bytes) of the letter's only attachment."""
    [part] = list(message.iter_attachments())
    payload = part.get_payload(decode=True)  # bytes for a non-multipart part
    if not isinstance(payload, bytes):
        raise AssertionError(f"the attachment is not a single body: {type(payload).__name__}")
    return part.get_filename() or "", part.get_content_type(), payload
