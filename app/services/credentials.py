"""Secrets in the system keyring, never in salon.ini, logs or the store (DESIGN §2).

`keyring` picks a backend by itself, and on a machine without a desktop secret service it
falls back to one that stores nothing (null), fails every call (fail), or — with keyrings.alt
installed — writes the secret to a plain-text file. None of those is chosen silently: before
any read or write the backend is checked, and an unsafe one stops the console with a sentence
on what to install. A backend named explicitly (PYTHON_KEYRING_BACKEND, keyringrc.cfg,
`keyring.set_keyring`) is trusted unless it is one of those.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Protocol

from app.errors import ConfigError
from app.i18n import _

if TYPE_CHECKING:
    from keyring.backend import KeyringBackend

KEYRING_SERVICE = "salon-console"
OPERATOR_TOKEN = "operator-api-token"
# The OAuth2 client secret of [operator] client_id ([operator] auth = oauth2).
OPERATOR_CLIENT_SECRET = "operator-oauth-client-secret"
SMTP_PASSWORD = "smtp-password"  # of [email] username on [email] host

# Words in a backend's module or class name that mean the secret lies on disk in the clear
# (keyrings.alt.file.PlaintextKeyring and its kind).
_PLAIN_WORDS = ("plaintext", "unencrypted", "insecure")


class Keyring(Protocol):
    """Where the console keeps its secrets (the operator's token, the SMTP password, the audit
    journal's key): the system keyring (SystemKeyring), or what a test gives app/main.py's
    bootstrap in its place (an in-memory one)."""

    def get_password(self, service: str, username: str) -> str | None: ...

    def set_password(self, service: str, username: str, password: str) -> None: ...


class SystemKeyring:
    """The system keyring, checked (safe_keyring) at each read, not when the console starts:
    the SMTP password is read when a letter goes."""

    def get_password(self, service: str, username: str) -> str | None:
        return safe_keyring().get_password(service, username)

    def set_password(self, service: str, username: str, password: str) -> None:
        safe_keyring().set_password(service, username, password)


SYSTEM_KEYRING = SystemKeyring()


def operator_token(operator_url: str, keyring: Keyring = SYSTEM_KEYRING) -> str:
    """The token for a live operator API, or a sentence saying how to set it."""
    token = keyring.get_password(KEYRING_SERVICE, OPERATOR_TOKEN)
    if not token:
        raise ConfigError(_(
            "No access token is set for the operator API at {url}. "
            "Set it with `salon credentials set`."
        ).format(url=operator_url))
    return token


def set_operator_token(token: str) -> None:
    token = token.strip()
    if not token:
        raise ConfigError(_("The token is empty; nothing was changed."))
    safe_keyring().set_password(KEYRING_SERVICE, OPERATOR_TOKEN, token)


def operator_client_secret(client_id: str, keyring: Keyring = SYSTEM_KEYRING) -> str:
    """The OAuth2 client secret for [operator] client_id, or a sentence saying how to set it."""
    secret = keyring.get_password(KEYRING_SERVICE, OPERATOR_CLIENT_SECRET)
    if not secret:
        raise ConfigError(_(
            "No OAuth2 client secret is set for the client {client_id}. "
            "Set it with `salon credentials set --client-secret`."
        ).format(client_id=client_id))
    return secret


def set_operator_client_secret(secret: str) -> None:
    # Client secrets are visible ASCII (RFC 6749 appendix A.2); only the line end is dropped.
    secret = secret.rstrip("\r\n")
    if not secret:
        raise ConfigError(_("The client secret is empty; nothing was changed."))
    safe_keyring().set_password(KEYRING_SERVICE, OPERATOR_CLIENT_SECRET, secret)


def smtp_password(keyring: Keyring = SYSTEM_KEYRING) -> str | None:
    """The SMTP relay's password (`salon credentials set --smtp`), or None when none is set."""
    return keyring.get_password(KEYRING_SERVICE, SMTP_PASSWORD) or None


def set_smtp_password(password: str) -> None:
    # A password may legitimately start or end with a space: only the line end is dropped.
    password = password.rstrip("\r\n")
    if not password:
        raise ConfigError(_("The SMTP password is empty; nothing was changed."))
    safe_keyring().set_password(KEYRING_SERVICE, SMTP_PASSWORD, password)


def safe_keyring() -> KeyringBackend:
    """The keyring backend in use, or ConfigError when it would lose or expose secrets."""
    import keyring  # imported late: its backend discovery is slow and only needed here

    backend = keyring.get_keyring()
    reason = unsafe_reason(backend)
    if reason is not None:
        raise ConfigError(_(
            "The system keyring cannot keep secrets safely here ({backend}: {reason}). "
            "Install and unlock a secret service (on Debian: apt-get install gnome-keyring), "
            "or set PYTHON_KEYRING_BACKEND to a secure keyring backend; plain-text and empty "
            "keyrings are refused."
        ).format(backend=backend_name(backend), reason=reason))
    return backend


def unsafe_reason(backend: KeyringBackend) -> str | None:
    """Why this backend must not hold a secret, or None when it may."""
    from keyring.backends import chainer, fail, null

    if isinstance(backend, chainer.ChainerBackend):
        members = list(backend.backends)
        if not members:
            return _("no keyring backend is available")
        # The chain may write to any member when the first one fails: each must be safe.
        reasons = [unsafe_reason(member) for member in members]
        return next((reason for reason in reasons if reason is not None), None)
    if isinstance(backend, fail.Keyring):
        return _("no keyring backend is available")
    if isinstance(backend, null.Keyring):
        return _("the null keyring stores nothing")
    if any(word in backend_name(backend).lower() for word in _PLAIN_WORDS):
        return _("it keeps secrets in a plain-text file")
    try:
        priority = float(backend.priority)
    except Exception:  # a backend that cannot say whether it works here is not used
        return _("it does not work on this system")
    if priority <= 0:
        return _("it does not work on this system")
    return None


def backend_name(backend: KeyringBackend) -> str:
    kind = type(backend)
    return f"{kind.__module__}.{kind.__qualname__}"
