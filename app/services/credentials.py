"""Secrets in the system keyring, never in salon.ini, logs or the store (DESIGN §2)."""

from __future__ import annotations

from app.errors import ConfigError
from app.i18n import _

KEYRING_SERVICE = "salon-console"
OPERATOR_TOKEN = "operator-api-token"


def operator_token(operator_url: str) -> str:
    """The token for a live operator API, or a sentence saying how to set it."""
    import keyring  # imported late: its backend discovery is slow and only needed here

    token = keyring.get_password(KEYRING_SERVICE, OPERATOR_TOKEN)
    if not token:
        raise ConfigError(_(
            "No access token is set for the operator API at {url}. "
            "Set it with `salon credentials set`."
        ).format(url=operator_url))
    return token


def set_operator_token(token: str) -> None:
    import keyring

    token = token.strip()
    if not token:
        raise ConfigError(_("The token is empty; nothing was changed."))
    keyring.set_password(KEYRING_SERVICE, OPERATOR_TOKEN, token)
