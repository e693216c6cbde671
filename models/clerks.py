"""Clerk accounts in the local store: the `clerk` table and the store behind ClerkService.

Times are kept as naive UTC (like every table here) and come back timezone-aware. The rules
(who may do what, when an account locks) live in app/services/clerks.py; this module only
reads and writes rows, and gives the service one exclusive transaction to decide in.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from typing import overload

from peewee import (
    BooleanField,
    CharField,
    DateTimeField,
    IntegerField,
    IntegrityError,
    PostgresqlDatabase,
)

from models.db import database, is_sqlite
from models.domain import Clerk, ClerkAccount, ClerkRole
from models.tables import BaseModel

# Serialises clerk-account changes between counters sharing one PostgreSQL store.
_PG_CLERK_LOCK = 0x5A11


class ClerkRow(BaseModel):
    """One clerk account (schema: migrations step 3)."""

    login = CharField(primary_key=True, max_length=32)
    full_name = CharField(max_length=200)
    role = CharField(max_length=16)
    password_hash = CharField(max_length=255)
    active = BooleanField(default=True)
    failed_attempts = IntegerField(default=0)
    locked_until = DateTimeField(null=True)
    created_at = DateTimeField()
    password_changed_at = DateTimeField()

    class Meta:
        table_name = "clerk"


def _to_db(moment: datetime | None) -> datetime | None:
    return None if moment is None else moment.astimezone(UTC).replace(tzinfo=None)


@overload
def _from_db(moment: datetime) -> datetime: ...


@overload
def _from_db(moment: None) -> None: ...


def _from_db(moment: datetime | None) -> datetime | None:
    return None if moment is None else moment.replace(tzinfo=UTC)


def _clerk(row: ClerkRow) -> Clerk:
    return Clerk(
        login=row.login,
        full_name=row.full_name,
        role=ClerkRole(row.role),
        active=bool(row.active),
        created_at=_from_db(row.created_at),
        password_changed_at=_from_db(row.password_changed_at),
        failed_attempts=int(row.failed_attempts),
        locked_until=_from_db(row.locked_until),
    )


class StoreClerks:
    """The ClerkStore of app/services/clerks.py, backed by the `clerk` table."""

    @contextmanager
    def exclusive(self) -> Iterator[None]:
        """One transaction in which no other counter changes clerk accounts: the service
        reads, decides and writes in it (attempt counting, the last-manager rule)."""
        db = database.obj
        if is_sqlite(db):
            with database.atomic("IMMEDIATE"):  # take the write lock before reading
                yield
            return
        with database.atomic():
            if isinstance(db, PostgresqlDatabase):
                database.execute_sql("SELECT pg_advisory_xact_lock(%s)", (_PG_CLERK_LOCK,))
            yield

    def count(self) -> int:
        return int(ClerkRow.select().count())

    def get(self, login: str) -> ClerkAccount | None:
        row = ClerkRow.get_or_none(ClerkRow.login == login)
        return ClerkAccount(_clerk(row), row.password_hash) if row else None

    def all(self) -> list[Clerk]:
        return [_clerk(row) for row in ClerkRow.select().order_by(ClerkRow.login)]

    def add(self, account: ClerkAccount) -> bool:
        """False when the login is taken (the row is left as it was)."""
        clerk = account.clerk
        try:
            with database.atomic():  # a savepoint inside exclusive(): the failure stays local
                ClerkRow.insert(
                    login=clerk.login,
                    full_name=clerk.full_name,
                    role=clerk.role.value,
                    password_hash=account.password_hash,
                    active=clerk.active,
                    failed_attempts=clerk.failed_attempts,
                    locked_until=_to_db(clerk.locked_until),
                    created_at=_to_db(clerk.created_at),
                    password_changed_at=_to_db(clerk.password_changed_at),
                ).execute()
        except IntegrityError:
            return False
        return True

    def save_attempts(
        self, login: str, failed_attempts: int, locked_until: datetime | None
    ) -> None:
        ClerkRow.update(
            failed_attempts=failed_attempts, locked_until=_to_db(locked_until)
        ).where(ClerkRow.login == login).execute()

    def save_password(self, login: str, password_hash: str, changed_at: datetime) -> None:
        """A new password also clears the wrong-password count and any lock."""
        ClerkRow.update(
            password_hash=password_hash,
            password_changed_at=_to_db(changed_at),
            failed_attempts=0,
            locked_until=None,
        ).where(ClerkRow.login == login).execute()

    def save_active(self, login: str, active: bool) -> None:
        ClerkRow.update(active=active).where(ClerkRow.login == login).execute()
