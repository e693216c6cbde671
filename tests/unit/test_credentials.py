"""The operator API token lives in the keyring, and only in a keyring that keeps it safe:
the fail, null and plain-text backends are refused with a sentence, never used silently."""

from __future__ import annotations

from collections.abc import Iterator

import keyring
import pytest
from keyring.backend import KeyringBackend
from keyring.backends import chainer, fail, null

from app.errors import ConfigError
from app.services.credentials import (
    KEYRING_SERVICE,
    OPERATOR_TOKEN,
    operator_token,
    safe_keyring,
    set_operator_token,
    unsafe_reason,
)
from tests.support.keyring_memory import MemoryKeyring


class PlaintextKeyring(MemoryKeyring):
    """Named like keyrings.alt.file.PlaintextKeyring (the token would sit in a file)."""


class BrokenHereKeyring(MemoryKeyring):
    priority = 0  # type: ignore[assignment]  # what a backend says when it cannot work here


def chain_of(*members: KeyringBackend) -> chainer.ChainerBackend:
    class Chain(chainer.ChainerBackend):
        backends = tuple(members)  # type: ignore[assignment]

    return Chain()


@pytest.fixture
def use_backend() -> Iterator[object]:
    previous = keyring.get_keyring()

    def use(backend: KeyringBackend) -> KeyringBackend:
        keyring.set_keyring(backend)
        return backend

    yield use
    keyring.set_keyring(previous)


@pytest.mark.parametrize(
    "backend, why",
    [
        (fail.Keyring(), "no keyring backend"),
        (null.Keyring(), "stores nothing"),
        (PlaintextKeyring(), "plain-text file"),
        (BrokenHereKeyring(), "does not work"),
        (chain_of(), "no keyring backend"),
        (chain_of(MemoryKeyring(), PlaintextKeyring()), "plain-text file"),
    ],
    ids=["fail", "null", "plaintext", "priority-0", "empty-chain", "chain-with-plaintext"],
)
def test_unsafe_backends_are_refused_with_what_to_do(use_backend, backend, why) -> None:
    use_backend(backend)
    for call in (lambda: set_operator_token("s3cret-token"), lambda: operator_token("https://x")):
        with pytest.raises(ConfigError) as refused:
            call()
        message = str(refused.value)
        assert why in message
        assert "gnome-keyring" in message and "PYTHON_KEYRING_BACKEND" in message
        assert "s3cret-token" not in message
    assert refused.value.exit_code == 2
    if isinstance(backend, MemoryKeyring):
        assert backend.secrets == {}  # nothing was written to it


def test_an_explicitly_chosen_safe_backend_is_used(use_backend) -> None:
    backend = use_backend(MemoryKeyring())
    assert unsafe_reason(backend) is None
    assert unsafe_reason(chain_of(MemoryKeyring(), MemoryKeyring())) is None
    set_operator_token("  s3cret-token\n")
    assert backend.secrets == {(KEYRING_SERVICE, OPERATOR_TOKEN): "s3cret-token"}
    assert operator_token("https://api.operator.test") == "s3cret-token"
    assert safe_keyring() is backend


def test_no_token_says_how_to_set_one(memory_keyring) -> None:
    with pytest.raises(ConfigError, match="salon credentials set"):
        operator_token("https://api.operator.test")
    with pytest.raises(ConfigError, match="empty"):
        set_operator_token("   ")


def test_the_smtp_password_is_kept_as_typed_and_refused_in_an_unsafe_keyring(
        memory_keyring, use_backend) -> None:
    from app.services.credentials import SMTP_PASSWORD, set_smtp_password, smtp_password

    assert smtp_password() is None
    set_smtp_password(" pass word Ω \n")  # spaces may be part of it; the line end is not
    assert memory_keyring.secrets == {(KEYRING_SERVICE, SMTP_PASSWORD): " pass word Ω "}
    assert smtp_password() == " pass word Ω "
    with pytest.raises(ConfigError, match="empty"):
        set_smtp_password("\n")
    use_backend(PlaintextKeyring())
    with pytest.raises(ConfigError, match="plain-text"):
        set_smtp_password("secret")
