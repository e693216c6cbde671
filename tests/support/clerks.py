"""Clerk accounts for tests: an in-memory ClerkStore (the real one is models/clerks.py) and a
cheap argon2 hasher, so a test signs in in a millisecond instead of ~50 ms."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import replace
from datetime import UTC, datetime
from typing import Any

from app.clock import Clock
from app.services.clerks import ClerkService
from app.services.passwords import Argon2Hasher
from models.domain import Clerk, ClerkAccount, ClerkRole, Session

FAST_HASHER = Argon2Hasher(time_cost=1, memory_cost=8, parallelism=1)
T0 = datetime(2026, 11, 23, 9, 0, tzinfo=UTC)


class MemoryClerkStore:
    def __init__(self) -> None:
        self.accounts: dict[str, ClerkAccount] = {}
        self._lock = threading.RLock()

    @contextmanager
    def exclusive(self) -> Iterator[None]:
        with self._lock:
            yield

    def count(self) -> int:
        return len(self.accounts)

    def get(self, login: str) -> ClerkAccount | None:
        return self.accounts.get(login)

    def all(self) -> list[Clerk]:
        return [self.accounts[login].clerk for login in sorted(self.accounts)]

    def add(self, account: ClerkAccount) -> bool:
        with self._lock:
            if account.clerk.login in self.accounts:
                return False
            self.accounts[account.clerk.login] = account
            return True

    def save_attempts(
        self, login: str, failed_attempts: int, locked_until: datetime | None
    ) -> None:
        self._change(login, failed_attempts=failed_attempts, locked_until=locked_until)

    def save_password(self, login: str, password_hash: str, changed_at: datetime) -> None:
        with self._lock:
            account = self.accounts[login]
            clerk = replace(account.clerk, password_changed_at=changed_at, failed_attempts=0,
                            locked_until=None)
            self.accounts[login] = ClerkAccount(clerk, password_hash)

    def save_active(self, login: str, active: bool) -> None:
        self._change(login, active=active)

    def _change(self, login: str, **changes: Any) -> None:
        with self._lock:
            account = self.accounts[login]
            self.accounts[login] = replace(account, clerk=replace(account.clerk, **changes))


def clerk_service(
    clock: Clock,
    accounts: tuple[tuple[str, str, ClerkRole, str], ...] = (),
    store: MemoryClerkStore | None = None,
) -> ClerkService:
    """A ClerkService over a memory store holding these (login, name, role, password)."""
    service = ClerkService(store or MemoryClerkStore(), clock, hasher=FAST_HASHER)
    setup = Session("setup", "Setup", ClerkRole.MANAGER, clock.now())  # as a manager would
    for login, name, role, password in accounts:
        service.add(setup, login, name, role, password)
    return service
