"""The `clerk` table on SQLite and on a real PostgreSQL: the migration, the round trip, the
constraints, and the lockout counted right when several counters try at once."""

from __future__ import annotations

import threading
from datetime import UTC, datetime, timedelta

import pytest
from peewee import IntegrityError

from app.errors import ClerkLocked, WrongPassword
from app.services.clerks import ClerkService
from models import migrations
from models.clerks import StoreClerks
from models.db import connect_url, database, open_store
from models.domain import Clerk, ClerkAccount, ClerkRole
from tests.support.clerks import FAST_HASHER, T0
from tests.support.pinned import pinned_clock


def account(login: str = "anna", role: ClerkRole = ClerkRole.CLERK) -> ClerkAccount:
    clerk = Clerk(login, "Анна Соколова-Белова", role, True, T0, T0)
    return ClerkAccount(clerk, FAST_HASHER.hash("anna-pass-1"))


def test_the_clerk_table_arrives_with_step_3(store_url: str) -> None:
    db = connect_url(store_url)
    database.initialize(db)
    assert migrations.migrate(db, target=1) == 1  # a console from before clerk accounts
    assert "clerk" not in db.get_tables()
    db.close()
    db = open_store(store_url)
    try:
        assert migrations.current_version(db) == migrations.LATEST >= 3
        assert "clerk" in db.get_tables()
        assert "cached_card" in db.get_tables()
    finally:
        db.close()


def test_an_account_comes_back_as_it_was_written(store_url: str) -> None:
    db = open_store(store_url)
    try:
        store = StoreClerks()
        assert store.count() == 0 and store.get("anna") is None
        written = account()
        assert store.add(written)
        assert store.get("anna") == written
        assert store.get("anna").clerk.created_at.tzinfo is UTC
        assert not store.add(account())  # the login is taken: nothing changes
        assert store.count() == 1
        store.add(account("boss", ClerkRole.MANAGER))
        assert [clerk.login for clerk in store.all()] == ["anna", "boss"]

        until = T0 + timedelta(minutes=15)
        store.save_attempts("anna", 0, until)
        assert store.get("anna").clerk.locked_until == until
        store.save_attempts("anna", 3, None)
        assert (store.get("anna").clerk.failed_attempts, store.get("anna").clerk.locked_until) \
            == (3, None)
        later = T0 + timedelta(days=1)
        store.save_password("anna", "$argon2id$new", later)
        changed = store.get("anna")
        assert changed.password_hash == "$argon2id$new"
        assert changed.clerk.password_changed_at == later
        assert changed.clerk.failed_attempts == 0  # a new password starts afresh
        store.save_active("anna", False)
        assert store.get("anna").clerk.active is False
        assert store.get("boss").clerk.active is True
    finally:
        db.close()


@pytest.mark.parametrize(
    "login, role", [("Anna", "clerk"), ("anna", "boss")], ids=["upper-case", "unknown-role"]
)
def test_the_table_refuses_what_the_service_would(
    store_url: str, login: str, role: str
) -> None:
    db = open_store(store_url)
    try:
        with pytest.raises(IntegrityError), db.atomic():
            db.execute_sql(
                "INSERT INTO clerk (login, full_name, role, password_hash, created_at,"
                " password_changed_at) VALUES "
                f"({db.param}, 'X', {db.param}, 'h', {db.param}, {db.param})",
                (login, role, datetime(2026, 11, 23), datetime(2026, 11, 23)),
            )
        assert StoreClerks().count() == 0
    finally:
        db.close()


def test_wrong_passwords_from_several_counters_are_all_counted(
    store_url: str,
) -> None:
    """Four counters send a wrong password at the same moment: four failures, not one."""
    db = open_store(store_url)
    try:
        clock = pinned_clock()
        service = ClerkService(StoreClerks(), clock, hasher=FAST_HASHER)
        service.add_first_manager("anna", "Анна Соколова", "anna-pass-1")
        start = threading.Barrier(4)
        answers: list[BaseException] = []

        def counter() -> None:
            start.wait()
            try:
                service.sign_in("anna", "wrong-pass-1")
            except (WrongPassword, ClerkLocked) as error:
                answers.append(error)
            finally:
                database.close()  # this thread's connection

        threads = [threading.Thread(target=counter) for _ in range(4)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(30)
        assert sorted(a.attempts_left for a in answers) == [1, 2, 3, 4]  # type: ignore[attr-defined]
        assert StoreClerks().get("anna").clerk.failed_attempts == 4
        # Another counter (a new service on the same store) sees the same account state.
        other = ClerkService(StoreClerks(), clock, hasher=FAST_HASHER)
        with pytest.raises(ClerkLocked):
            other.sign_in("anna", "wrong-pass-1")
        with pytest.raises(ClerkLocked):
            service.sign_in("anna", "anna-pass-1")
    finally:
        db.close()
