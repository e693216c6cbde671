"""The local store's connection: one peewee DatabaseProxy, initialised from a URL.

sqlite:///path (one counter) or postgresql://user@host/db (several counters of a store).
SQLite runs in WAL with synchronous=FULL (the outbox and the journal must survive a power cut),
secure_delete (R9: purged personal data must not stay readable in the file), foreign keys on.
"""

from __future__ import annotations

from pathlib import Path
from urllib.parse import urlparse

from peewee import Database, DatabaseProxy, SqliteDatabase
from playhouse.db_url import connect

database = DatabaseProxy()

SQLITE_PRAGMAS = {
    "journal_mode": "wal",
    "synchronous": "full",
    "secure_delete": "on",
    "foreign_keys": 1,
    "busy_timeout": 5000,
}


def connect_url(url: str) -> Database:
    """A peewee Database for the URL, with the store's pragmas; not yet bound to the proxy."""
    scheme = urlparse(url).scheme
    if scheme == "sqlite":
        path = url[len("sqlite:///"):]
        if path and path != ":memory:":
            Path(path).expanduser().parent.mkdir(parents=True, exist_ok=True)
        return connect(url, pragmas=SQLITE_PRAGMAS)
    if scheme in {"postgresql", "postgres"}:
        return connect(url)
    raise ValueError(f"unsupported database URL scheme {scheme!r}")


def open_store(url: str) -> Database:
    """Connect, bind the proxy, bring the schema up to date. Returns the bound database."""
    from models.migrations import migrate

    db = connect_url(url)
    database.initialize(db)
    migrate(db)
    return db


def is_sqlite(db: Database) -> bool:
    return isinstance(db, SqliteDatabase)
