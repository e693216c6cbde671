"""Where the audit journal's key lives (models/audit_seal.py says what it keys).

- `KeyringJournalKeys`: the system keyring, like the operator API token and the SMTP password
  (app/services/credentials.py, which refuses keyrings that would lose or expose it). One
  entry per store: service `salon-console`, user `audit-journal-key <store scope>`. Counters
  sharing one PostgreSQL store copy that entry from the counter that made it (README).
- `FileJournalKeys`: a 0600 file in the data folder. Training only (`url = embedded`), and
  only where the machine has no keyring that keeps secrets: a demo world's journal holds no
  one's data, and a new clerk's first `make run` should not stop at a keyring.

The key is 32 random bytes, kept as hex; it is never printed, logged, or put in the store.
"""

from __future__ import annotations

import contextlib
import hashlib
import logging
import os
import secrets
from pathlib import Path

from app.config import Settings
from app.errors import ConfigError
from app.i18n import _
from app.services.credentials import (
    KEYRING_SERVICE,
    SYSTEM_KEYRING,
    Keyring,
    SystemKeyring,
    safe_keyring,
)
from models.audit_seal import KEY_BYTES, JournalSeal, KeyStore, store_scope

log = logging.getLogger(__name__)

AUDIT_KEY = "audit-journal-key"
# R10: the key of the identity documents' hashes (app/services/identity.py), kept the same way.
IDENTITY_KEY = "identity-check-key"
_FILE_PREFIX = {AUDIT_KEY: "audit-key", IDENTITY_KEY: "identity-key"}


class KeyringJournalKeys:
    def __init__(self, keyring: Keyring = SYSTEM_KEYRING, entry: str = AUDIT_KEY) -> None:
        self.keyring = keyring
        self._entry = entry

    def get(self, scope: str) -> bytes | None:
        text = self.keyring.get_password(KEYRING_SERVICE, entry_name(scope, self._entry))
        return None if text is None else _key_from_text(text, self.where(scope))

    def put(self, scope: str, key: bytes) -> None:
        self.keyring.set_password(KEYRING_SERVICE, entry_name(scope, self._entry), key.hex())

    def where(self, scope: str) -> str:
        return _("the keyring entry “{service}” / “{name}”").format(
            service=KEYRING_SERVICE, name=entry_name(scope, self._entry))


class FileJournalKeys:
    def __init__(self, folder: Path, entry: str = AUDIT_KEY) -> None:
        self._folder = folder
        self._prefix = _FILE_PREFIX[entry]

    def path(self, scope: str) -> Path:
        return self._folder / \
            f"{self._prefix}-{hashlib.sha256(scope.encode()).hexdigest()[:16]}"

    def get(self, scope: str) -> bytes | None:
        try:
            text = self.path(scope).read_text("ascii")
        except FileNotFoundError:
            return None
        except (OSError, UnicodeDecodeError) as error:
            raise ConfigError(_("The audit journal's key file {path} cannot be read: {error}")
                              .format(path=self.path(scope), error=error)) from error
        return _key_from_text(text, self.where(scope))

    def put(self, scope: str, key: bytes) -> None:
        """Created with 0600 and never replaced: O_EXCL makes two processes agree on one."""
        path = self.path(scope)
        path.parent.mkdir(parents=True, exist_ok=True)
        descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        try:
            os.write(descriptor, key.hex().encode())
            os.fsync(descriptor)
        finally:
            os.close(descriptor)

    def where(self, scope: str) -> str:
        return _("the key file {path}").format(path=self.path(scope))


class TrainingJournalKeys:
    """The keyring where it keeps secrets safely, else a key file (see the module's text)."""

    def __init__(self, folder: Path, keyring: Keyring = SYSTEM_KEYRING,
                 entry: str = AUDIT_KEY) -> None:
        self._keyring = KeyringJournalKeys(keyring, entry)
        self._file = FileJournalKeys(folder, entry)

    def get(self, scope: str) -> bytes | None:
        if self._file.path(scope).exists():  # chosen before, when there was no keyring
            return self._file.get(scope)
        return self._keyring.get(scope) if self._keyring_usable() else None

    def put(self, scope: str, key: bytes) -> None:
        if self._keyring_usable():
            self._keyring.put(scope, key)
            return
        log.warning("training: no safe keyring here; the audit journal's key is kept in %s",
                    self._file.path(scope))
        self._file.put(scope, key)

    def where(self, scope: str) -> str:
        if self._file.path(scope).exists() or not self._keyring_usable():
            return self._file.where(scope)
        return self._keyring.where(scope)

    def _keyring_usable(self) -> bool:
        if not isinstance(self._keyring.keyring, SystemKeyring):
            return True  # one the bootstrap was given (a test's): it keeps what it is given
        try:
            safe_keyring()
        except ConfigError:
            return False
        return True


def entry_name(scope: str, entry: str = AUDIT_KEY) -> str:
    return f"{entry} {scope}"


def journal_keys(settings: Settings, keyring: Keyring = SYSTEM_KEYRING,
                 entry: str = AUDIT_KEY) -> KeyStore:
    if settings.operator.embedded:
        return TrainingJournalKeys(settings.data_dir, keyring, entry)
    return KeyringJournalKeys(keyring, entry)


def identity_key(settings: Settings, keyring: Keyring = SYSTEM_KEYRING) -> bytes:
    """R10: the key of the identity documents' hashes — 32 random bytes made on first use and
    kept like the journal's (the keyring, or a 0600 file in training without one; never in
    the store, so the store's hashes cannot be tried against guessed numbers by whoever
    copies the database file). Counters sharing a PostgreSQL store may each have their own:
    a hash is only ever compared at the counter that wrote it."""
    keys = journal_keys(settings, keyring, IDENTITY_KEY)
    scope = store_scope(settings.database_url)
    key = keys.get(scope)
    if key is None:
        with contextlib.suppress(FileExistsError):  # another process made it meanwhile
            keys.put(scope, secrets.token_bytes(KEY_BYTES))
        key = keys.get(scope)
    if key is None:
        raise ConfigError(_("The identity check's key could not be kept in {where}.").format(
            where=keys.where(scope)))
    return key


def journal_seal(settings: Settings, keyring: Keyring = SYSTEM_KEYRING) -> JournalSeal:
    """The seal of the configured store's journal: its key's home (in `keyring`, or a file in
    training without a safe one) and this counter's anchor."""
    return JournalSeal(store_scope(settings.database_url), journal_keys(settings, keyring),
                       settings.data_dir)


def _key_from_text(text: str, where: str) -> bytes:
    with contextlib.suppress(ValueError):
        key = bytes.fromhex(text.strip())
        if len(key) == KEY_BYTES:
            return key
    raise ConfigError(_("The audit journal's key in {where} is not a key "
                        "(64 hexadecimal digits).").format(where=where))
