"""The local store on SQLite and on a real PostgreSQL started by the suite."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest
from peewee import Database

from models import migrations
from models.card_cache import StoreCardCache
from models.db import database, open_store
from models.domain import SubscriberCard
from tests.support.domain_samples import sample_balances, sample_subscriber


def sample_card(name: str = "Иванова Мария Петровна") -> SubscriberCard:
    return SubscriberCard(
        sample_subscriber(name=name),
        sample_balances(),
        fetched_at=datetime(2026, 11, 23, 10, 15, 30, tzinfo=UTC),
    )


def test_a_new_store_gets_the_latest_schema_and_records_it(store_url: str) -> None:
    db = open_store(store_url)
    try:
        assert migrations.current_version(db) == migrations.LATEST
        assert {"schema_version", "cached_card"} <= set(db.get_tables())
    finally:
        db.close()


def test_reopening_applies_nothing_twice(store_url: str) -> None:
    open_store(store_url).close()
    db = open_store(store_url)
    try:
        rows = db.execute_sql("SELECT COUNT(*), COUNT(DISTINCT version) FROM schema_version")
        assert rows.fetchone() == (migrations.LATEST, migrations.LATEST)
    finally:
        db.close()


def test_a_newer_console_upgrades_an_older_database(
    store_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Simulate a console one version ahead: its extra step runs on the old database."""
    old = open_store(store_url)
    old.close()

    def add_notes(db: Database) -> None:
        db.execute_sql("CREATE TABLE clerk_note (id INTEGER PRIMARY KEY, text TEXT)")

    newer = {**migrations.MIGRATIONS, migrations.LATEST + 1: add_notes}
    monkeypatch.setattr(migrations, "MIGRATIONS", newer)
    monkeypatch.setattr(migrations, "LATEST", migrations.LATEST + 1)
    db = open_store(store_url)
    try:
        assert migrations.current_version(db) == migrations.LATEST
        assert "clerk_note" in db.get_tables()
        assert "cached_card" in db.get_tables()
    finally:
        db.close()


def test_an_older_console_refuses_a_newer_database(store_url: str) -> None:
    db = open_store(store_url)
    db.execute_sql(
        f"INSERT INTO schema_version (version, applied_at) VALUES ({db.param}, {db.param})",
        (migrations.LATEST + 5, datetime(2027, 1, 1)),
    )
    db.close()
    with pytest.raises(migrations.SchemaTooNew):
        open_store(store_url).close()


def test_a_saved_card_comes_back_identical(store_url: str) -> None:
    db = open_store(store_url)
    try:
        cache = StoreCardCache()
        card = sample_card()
        cache.put(card)
        assert cache.get("+79161234567") == card
        newer = sample_card(name="Иванова-Смирнова Мария Петровна")
        cache.put(newer)  # the same number again replaces, never duplicates
        assert cache.get("+79161234567") == newer
        cache.forget("+79161234567")
        assert cache.get("+79161234567") is None
    finally:
        db.close()


def test_sqlite_runs_with_the_pragmas_design_asks_for(tmp_path: Path) -> None:
    db = open_store(f"sqlite:///{tmp_path / 'nested' / 'salon.db'}")
    try:
        pragma = lambda name: db.execute_sql(f"PRAGMA {name}").fetchone()[0]  # noqa: E731
        assert pragma("journal_mode") == "wal"
        assert pragma("synchronous") == 2  # FULL
        assert pragma("secure_delete") == 1
        assert pragma("foreign_keys") == 1
        assert database.obj is db
    finally:
        db.close()
