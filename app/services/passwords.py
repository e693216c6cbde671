"""Clerk passwords: the argon2 hasher (argon2-cffi) and the rules a new password must meet.

argon2-cffi is imported on first use: building the hasher is cheap, but the GUI's start-up
imports nothing it does not need (DESIGN §9).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Protocol, TypedDict, Unpack

from app.errors import WeakPassword
from app.i18n import _

if TYPE_CHECKING:
    import argon2

MIN_LENGTH = 8
MAX_LENGTH = 128  # argon2 takes any length; this only stops a pasted page


class PasswordHasher(Protocol):
    def hash(self, password: str) -> str: ...

    def verify(self, password_hash: str, password: str) -> bool: ...


class Argon2Cost(TypedDict, total=False):
    """argon2.PasswordHasher's cost parameters; those not given keep argon2-cffi's defaults."""

    time_cost: int
    memory_cost: int
    parallelism: int


class Argon2Hasher:
    """argon2id with argon2-cffi's recommended parameters (about 50 ms per check), or cheaper
    ones for tests (`Argon2Hasher(time_cost=1, memory_cost=8, parallelism=1)`)."""

    def __init__(self, **parameters: Unpack[Argon2Cost]) -> None:
        self._parameters = parameters
        self._hasher: argon2.PasswordHasher | None = None

    def _argon2(self) -> argon2.PasswordHasher:
        if self._hasher is None:
            import argon2

            self._hasher = argon2.PasswordHasher(**self._parameters)
        return self._hasher

    def hash(self, password: str) -> str:
        return self._argon2().hash(password)

    def verify(self, password_hash: str, password: str) -> bool:
        from argon2.exceptions import InvalidHashError, VerificationError

        try:
            return bool(self._argon2().verify(password_hash, password))
        except (VerificationError, InvalidHashError):  # a mismatch, or a damaged hash
            return False


def check_new_password(login: str, password: str) -> None:
    """Raise WeakPassword (nothing changed) unless the password may be used for `login`."""
    if len(password) < MIN_LENGTH:
        raise WeakPassword(_(
            "The password is too short: use at least {count} characters."
        ).format(count=MIN_LENGTH))
    if len(password) > MAX_LENGTH:
        raise WeakPassword(_(
            "The password is too long: use at most {count} characters."
        ).format(count=MAX_LENGTH))
    if password.strip().lower() == login.lower():
        raise WeakPassword(_("The password must not be the same as the login."))
