"""The sandbox's access-code key lives beside the world's database, never in it (R2): a copied
database file alone gives no way to try the 10⁶ codes against their hashes."""

from __future__ import annotations

import secrets
from pathlib import Path

import pytest

from sandbox import access_codes as ac
from sandbox import code_key
from sandbox.store import Store
from tests.support.pinned import WORLD_AT

MSISDN = "+79161234567"
T0 = 1_795_420_800  # 2026-11-23T08:00:00Z


def file_bytes(db: Path) -> bytes:
    """The database as a thief copies it: the main file, its WAL and shared memory."""
    parts = [db, db.with_name(db.name + "-wal"), db.with_name(db.name + "-shm")]
    return b"".join(p.read_bytes() for p in parts if p.exists())


def test_a_new_world_keeps_its_key_in_a_0600_file_beside_the_database(tmp_path: Path,
                                                                   monkeypatch: pytest.MonkeyPatch
                                                                   ) -> None:
    monkeypatch.delenv(code_key.ENV, raising=False)
    db = tmp_path / "sandbox.db"
    store = Store.open(db, 2026, now=WORLD_AT)
    try:
        key = store.code_key
        path = code_key.key_path(db)
        assert path == tmp_path / "sandbox.db.code-key"
        assert path.read_text() == key and len(bytes.fromhex(key)) == 32
        assert path.stat().st_mode & 0o777 == 0o600
        assert store.get_meta(code_key.LEGACY_META) is None
        with store.write() as conn:
            ac.issue(conn, key, MSISDN, T0)
        store.checkpoint()
        everything = file_bytes(db)
        assert key.encode() not in everything and bytes.fromhex(key) not in everything
    finally:
        store.close()
    again = Store.open(db, 2026, now=WORLD_AT)
    try:
        assert again.code_key == key  # the same world, the same key
    finally:
        again.close()


def test_a_world_with_its_key_in_the_database_is_moved_out(tmp_path: Path,
                                                           monkeypatch: pytest.MonkeyPatch
                                                           ) -> None:
    """A world made by an older sandbox: the key in `meta`. The next open moves it into the
    file, deletes the row, and checkpoints with secure_delete, so its bytes are gone; the codes
    the world already hashed with it still verify."""
    monkeypatch.delenv(code_key.ENV, raising=False)
    db = tmp_path / "sandbox.db"
    old_key = secrets.token_hex(32)
    store = Store.open(db, 2026, now=WORLD_AT)
    try:
        code_key.key_path(db).unlink()  # as the older sandbox left it: no file...
        store.set_meta(code_key.LEGACY_META, old_key)  # ...the key in the database
        with store.write() as conn:
            _row, code = ac.issue(conn, old_key, MSISDN, T0)
        store.checkpoint()
        assert old_key.encode() in file_bytes(db)  # the scan sees it where it is
    finally:
        store.close()

    moved = Store.open(db, 2026, now=WORLD_AT)
    try:
        assert moved.code_key == old_key
        assert code_key.key_path(db).read_text() == old_key
        assert code_key.key_path(db).stat().st_mode & 0o777 == 0o600
        assert moved.get_meta(code_key.LEGACY_META) is None
        assert old_key.encode() not in file_bytes(db)
        with moved.write() as conn:
            assert ac.verify(conn, moved.code_key, MSISDN, code, T0 + 60) == {"result": "ok"}
    finally:
        moved.close()


def test_the_key_may_come_from_the_environment(tmp_path: Path,
                                               monkeypatch: pytest.MonkeyPatch) -> None:
    given = secrets.token_hex(32)
    monkeypatch.setenv(code_key.ENV, given.upper())
    store = Store.open(tmp_path / "sandbox.db", 2026, now=WORLD_AT)
    try:
        assert store.code_key == given
        assert not code_key.key_path(store.path).exists()
    finally:
        store.close()
    monkeypatch.setenv(code_key.ENV, "not-a-key")
    with pytest.raises(code_key.BadCodeKey, match="64 hexadecimal digits"):
        Store.open(tmp_path / "sandbox.db", 2026, now=WORLD_AT)


def test_two_openers_agree_on_one_key(tmp_path: Path) -> None:
    path = tmp_path / "world.db.code-key"
    first = code_key._create(path)
    assert code_key._create(path) == first  # the second finds the first one's file
    path.chmod(0o644)
    assert code_key._read(path) == first and path.stat().st_mode & 0o777 == 0o600
