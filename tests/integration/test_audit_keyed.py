"""The audit journal keyed and anchored outside the database, on SQLite and on a real
PostgreSQL: the key is made once in the keyring and is nowhere else; without `--expect-hash`,
`salon audit verify` names a cut-off end, a journal rewritten with recomputed plain hashes, an
edited row, a deleted middle row, a row that is not valid text, and a tampered key record or
anchor; a journal written before the key still opens, and its old rows still verify."""

from __future__ import annotations

import io
import json
import logging
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from peewee import Database

from app import cli
from app.clock import FixedClock
from app.errors import ConfigError, RuleRefused
from app.services.audit import AuditJournal
from app.services.audit_keys import KeyringJournalKeys, entry_name
from app.services.credentials import KEYRING_SERVICE
from models import migrations
from models.audit import GENESIS, JournalEntry, compute_hash
from models.audit_seal import JournalSeal, store_scope
from models.db import connect_url, database, is_sqlite, open_store
from tests.integration.test_audit_journal import sql, without_guards
from tests.support.fake_wiring import FakeWiring
from tests.support.keyring_memory import MemoryKeyring
from tests.support.pinned import SequenceClock

T0 = datetime(2026, 11, 23, 7, 30, tzinfo=UTC)
FIELDS = ("seq, at, clerk, salon, counter, subscriber, action, result, detail, reason, "
          "prev_hash, hash")


def ticking() -> SequenceClock:
    return SequenceClock(T0 + timedelta(seconds=n) for n in range(10**6))


def keyring_seal(store_url: str, folder: Path) -> JournalSeal:
    """The console's own seal: the key in the (test's memory) keyring, the anchor in `folder`."""
    return JournalSeal(store_scope(store_url), KeyringJournalKeys(), folder)


@pytest.fixture
def seal(store_url: str, tmp_path: Path, memory_keyring: MemoryKeyring) -> JournalSeal:
    return keyring_seal(store_url, tmp_path / "counter-2")


def filled(seal: JournalSeal, count: int = 8, counter: str = "2") -> AuditJournal:
    journal = AuditJournal("MSK-TVERSKAYA-12", counter, ticking(),
                           seal=seal)
    for n in range(count):
        journal.record("ivanova", "lookup", subscriber="+79161234567", reason=f"step {n + 1}")
    return journal


def verify(journal: AuditJournal, *extra: str) -> tuple[int, dict, str]:
    """`salon audit verify --json` as the CLI runs it: (exit code, the JSON, stderr)."""
    args = cli.build_parser().parse_args(["audit", "verify", "--json", *extra])
    out, err = io.StringIO(), io.StringIO()
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr("sys.stderr", err)
        code = cli.run(args, FakeWiring(audit=journal), out)
    return code, json.loads(out.getvalue() or "null"), err.getvalue()


def rows(db: Database) -> list[JournalEntry]:
    cursor = db.execute_sql(f"SELECT {FIELDS} FROM audit_entry ORDER BY seq")
    return [JournalEntry(seq, at if isinstance(at, datetime) else datetime.fromisoformat(at),
                         *texts) for seq, at, *texts in cursor.fetchall()]


def rewrite(db: Database, entries: list[JournalEntry]) -> None:
    """What a forger without the key does: every row again, with plain recomputed hashes."""
    sql(db, "DELETE FROM audit_entry")
    for entry in entries:
        sql(db, f"INSERT INTO audit_entry ({FIELDS}) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            entry.seq, entry.at.replace(tzinfo=None), entry.clerk, entry.salon, entry.counter,
            entry.subscriber, entry.action, entry.result, entry.detail, entry.reason,
            entry.prev_hash, entry.hash)


def plain_chain(entries: list[JournalEntry]) -> list[JournalEntry]:
    prev, chained = GENESIS, []
    for entry in entries:
        draft = replace(entry, prev_hash=prev)
        chained.append(replace(draft, hash=compute_hash(draft)))
        prev = chained[-1].hash
    return chained


# -- the key ------------------------------------------------------------------------------------

def test_the_key_is_made_once_in_the_keyring_and_is_nowhere_else(
    any_store: Database, store_url: str, seal: JournalSeal, memory_keyring: MemoryKeyring,
    caplog: pytest.LogCaptureFixture,
) -> None:
    caplog.set_level(logging.DEBUG)
    journal = filled(seal, 3)
    assert list(memory_keyring.secrets) == [(KEYRING_SERVICE, entry_name(store_scope(store_url)))]
    key_hex = next(iter(memory_keyring.secrets.values()))
    assert len(bytes.fromhex(key_hex)) == 32
    # A second seal of the same store in this keyring finds the same key; nothing new is made.
    other = filled(keyring_seal(store_url, seal.anchor.path.parent), 2)
    assert len(memory_keyring.secrets) == 1 and other.verify().intact

    stored = [str(value) for row in any_store.execute_sql("SELECT * FROM audit_chain")
              for value in row] + [repr(entry) for entry in rows(any_store)]
    assert stored and not any(key_hex in text for text in stored)
    assert key_hex not in seal.anchor.path.read_text()
    assert key_hex not in repr(seal) and key_hex not in repr(seal.chain())
    assert all(key_hex not in record.getMessage() for record in caplog.records)
    if is_sqlite(any_store):
        everything = b"".join(path.read_bytes() for path in
                              Path(store_url[len("sqlite:///"):]).parent.glob("salon.db*"))
        assert key_hex.encode() not in everything and bytes.fromhex(key_hex) not in everything
    assert journal.verify().intact


def test_a_keyed_journal_without_its_key_is_a_clear_error(
    any_store: Database, store_url: str, seal: JournalSeal, memory_keyring: MemoryKeyring,
    tmp_path: Path,
) -> None:
    filled(seal, 3)
    key_hex = next(iter(memory_keyring.secrets.values()))
    memory_keyring.secrets.clear()  # another counter's keyring, or the entry was lost
    stranger = AuditJournal("MSK-TVERSKAYA-12", "3", ticking(),
                            seal=keyring_seal(store_url, tmp_path / "counter-3"))
    with pytest.raises(ConfigError) as missing:
        stranger.record("petrov", "sign_in")
    assert entry_name(store_scope(store_url)) in str(missing.value)
    assert "not at hand" in str(missing.value) and key_hex not in str(missing.value)
    with pytest.raises(ConfigError):
        stranger.verify()
    memory_keyring.set_password(KEYRING_SERVICE, entry_name(store_scope(store_url)), "ab" * 32)
    with pytest.raises(ConfigError, match="not the key this journal was created with"):
        stranger.record("petrov", "sign_in")
    assert len(rows(any_store)) == 3  # nothing was appended


def test_a_counter_given_the_key_joins_the_journal_with_its_own_anchor(
    any_store: Database, store_url: str, seal: JournalSeal, memory_keyring: MemoryKeyring,
    tmp_path: Path,
) -> None:
    """Several counters on one store: one key (copied into each keyring), an anchor each."""
    first = filled(seal, 3)
    key_hex = next(iter(memory_keyring.secrets.values()))
    second_keyring = MemoryKeyring()
    second_keyring.set_password(KEYRING_SERVICE, entry_name(store_scope(store_url)), key_hex)
    import keyring

    keyring.set_keyring(second_keyring)
    second_seal = keyring_seal(store_url, tmp_path / "counter-3")
    second = AuditJournal("MSK-TVERSKAYA-12", "3", ticking(),
                          seal=second_seal)
    assert not second_seal.anchor.path.exists() and second.verify().intact  # no own entries
    second.record("petrov", "sign_in")
    assert second_seal.anchor.path.exists() and seal.anchor.path != second_seal.anchor.path
    keyring.set_keyring(memory_keyring)
    first.record("ivanova", "sign_out")
    assert first.verify().intact
    keyring.set_keyring(second_keyring)
    assert second.verify().intact


# -- the four kinds of tampering, without --expect-hash ----------------------------------------

def test_a_truncated_journal_is_named(any_store: Database, seal: JournalSeal) -> None:
    journal = filled(seal)
    without_guards(any_store)
    sql(any_store, "DELETE FROM audit_entry WHERE seq >= 6")
    code, report, err = verify(journal)
    assert code == 3
    assert report["problem"] == {"kind": "truncated", "seq": 8, "other": 5}
    assert "ends at entry 5, but this counter recorded entry 8: its end was cut off" in err


def test_a_journal_rewritten_with_recomputed_plain_hashes_is_named(
    any_store: Database, seal: JournalSeal
) -> None:
    journal = filled(seal)
    forged = [replace(e, reason="all fine") if e.seq == 3 else e for e in rows(any_store)]
    without_guards(any_store)
    rewrite(any_store, plain_chain(forged))
    code, report, err = verify(journal)
    assert code == 3 and report["problem"]["kind"] == "edited"
    assert report["problem"]["seq"] == 1 and "entry 1 was edited" in err


def test_an_edited_row_is_named(any_store: Database, seal: JournalSeal) -> None:
    journal = filled(seal)
    without_guards(any_store)
    sql(any_store, "UPDATE audit_entry SET subscriber = ? WHERE seq = 4", "+79990000000")
    code, report, _err = verify(journal)
    assert code == 3 and report["problem"] == {"kind": "edited", "seq": 4, "other": None}


def test_a_deleted_middle_row_is_named(any_store: Database, seal: JournalSeal) -> None:
    journal = filled(seal)
    without_guards(any_store)
    sql(any_store, "DELETE FROM audit_entry WHERE seq = 4")
    code, report, err = verify(journal)
    assert code == 3 and report["problem"] == {"kind": "missing", "seq": 4, "other": 5}
    assert "entry 4 is missing" in err


def test_a_row_that_is_not_valid_text_is_named_not_a_traceback(
    any_store: Database, seal: JournalSeal
) -> None:
    journal = filled(seal)
    without_guards(any_store)
    if not is_sqlite(any_store):
        # PostgreSQL checks the encoding of every text value: such a row cannot exist there.
        with pytest.raises(Exception, match="invalid byte sequence"), database.atomic():
            sql(any_store, "UPDATE audit_entry SET reason = convert_from(?, 'UTF8') "
                "WHERE seq = 5", b"\xff\xfeok")
        assert verify(journal)[0] == 0
        return
    sql(any_store, "UPDATE audit_entry SET reason = CAST(? AS TEXT) WHERE seq = 5", b"\xff\xfeok")
    code, report, err = verify(journal)
    assert code == 3 and "Traceback" not in err
    assert report["problem"] == {"kind": "unreadable", "seq": 5, "other": None}
    assert "entry 5 is not valid text" in err
    with pytest.raises(RuleRefused, match="entry 5 is not valid text"):
        journal.latest(10)  # `salon audit tail` and the daily log say the same


def test_expect_hash_still_works(any_store: Database, seal: JournalSeal) -> None:
    journal = filled(seal)
    daily = journal.latest(3)[0]
    assert verify(journal, "--expect-hash", daily.hash.upper())[0] == 0
    assert verify(journal, "--expect-hash", "ab" * 32)[0] == 3


# -- the key record and the anchor --------------------------------------------------------------

def test_a_moved_boundary_is_named_and_nothing_more_is_appended(
    any_store: Database, seal: JournalSeal
) -> None:
    journal = filled(seal)
    forged = plain_chain(rows(any_store))
    guard = "audit_chain_no_update" if is_sqlite(any_store) else "audit_chain_no_change ON " \
        "audit_chain"
    any_store.execute_sql(f"DROP TRIGGER {guard}")
    without_guards(any_store)
    rewrite(any_store, forged)  # all plain, and the record claims every entry is old
    sql(any_store, "UPDATE audit_chain SET keyed_from = 100")
    code, report, err = verify(journal)
    assert code == 3 and report["problem"]["kind"] == "record_altered"
    assert "key record was altered" in err
    with pytest.raises(RuleRefused, match="key record was altered"):
        journal.record("ivanova", "lookup")
    assert len(rows(any_store)) == 8


def test_a_record_naming_another_key_is_altered_not_a_wrong_key(
    any_store: Database, store_url: str, seal: JournalSeal
) -> None:
    """This counter's anchor, sealed with its key, shows its key is the journal's: a record
    naming another key was altered (exit 3), not a counter given the wrong key (exit 2)."""
    filled(seal)
    guard = "audit_chain_no_update" if is_sqlite(any_store) else "audit_chain_no_change ON " \
        "audit_chain"
    any_store.execute_sql(f"DROP TRIGGER {guard}")
    sql(any_store, "UPDATE audit_chain SET key_id = ?", "0123456789abcdef")
    restarted = AuditJournal("MSK-TVERSKAYA-12", "2", ticking(),
                             seal=keyring_seal(store_url, seal.anchor.path.parent))
    code, report, err = verify(restarted)
    assert code == 3 and report["problem"]["kind"] == "record_altered"
    assert "key record was altered" in err and len(rows(any_store)) == 8


def test_a_removed_key_record_is_named(any_store: Database, seal: JournalSeal) -> None:
    journal = filled(seal)
    forged = plain_chain(rows(any_store))
    guard = "audit_chain_no_delete" if is_sqlite(any_store) else "audit_chain_no_change ON " \
        "audit_chain"
    any_store.execute_sql(f"DROP TRIGGER {guard}")
    without_guards(any_store)
    rewrite(any_store, forged)
    sql(any_store, "DELETE FROM audit_chain")  # "this journal never had a key"
    code, report, _err = verify(journal)
    assert code == 3 and report["problem"]["kind"] == "record_removed"
    with pytest.raises(RuleRefused, match="key record was removed"):
        journal.record("ivanova", "lookup")


def test_a_journal_made_to_look_older_than_its_key_is_not_continued(
    any_store: Database, seal: JournalSeal
) -> None:
    """Rewritten with plain hashes, its key record and this counter's anchor removed: the
    journal looks like one from before the key, but this counter's keyring holds its key."""
    journal = filled(seal)
    forged = plain_chain(rows(any_store))
    guard = "audit_chain_no_delete" if is_sqlite(any_store) else "audit_chain_no_change ON " \
        "audit_chain"
    any_store.execute_sql(f"DROP TRIGGER {guard}")
    without_guards(any_store)
    rewrite(any_store, forged)
    sql(any_store, "DELETE FROM audit_chain")
    seal.anchor.path.unlink()
    code, report, _err = verify(journal)
    assert code == 3 and report["problem"]["kind"] == "record_removed"
    with pytest.raises(RuleRefused, match="key record was removed"):
        journal.record("ivanova", "lookup")
    assert any_store.execute_sql("SELECT COUNT(*) FROM audit_chain").fetchone() == (0,)


def test_an_altered_or_missing_anchor_is_named(any_store: Database, seal: JournalSeal) -> None:
    journal = filled(seal)
    body = json.loads(seal.anchor.path.read_text())
    seal.anchor.path.write_text(json.dumps({**body, "seq": 3}))  # moved back, seal kept
    code, report, _err = verify(journal)
    assert code == 3 and report["problem"]["kind"] == "anchor_altered"
    seal.anchor.path.unlink()
    code, report, err = verify(journal)
    assert code == 3 and report["problem"]["kind"] == "anchor_missing"
    assert "anchor file" in err


def test_the_anchor_is_written_after_each_append_and_only_moves_forward(
    any_store: Database, seal: JournalSeal
) -> None:
    journal = filled(seal, 2)
    chain = seal.chain()
    assert seal.anchor.read(chain.key).seq == 2  # type: ignore[union-attr]
    third = journal.record("ivanova", "sign_out")
    anchor = seal.anchor.read(chain.key)
    assert anchor is not None and (anchor.seq, anchor.hash) == (3, third.hash)
    seal.appended(journal.latest(3)[0], chain)  # a slower process reports an older end
    assert seal.anchor.read(chain.key) == anchor
    assert oct(seal.anchor.path.stat().st_mode & 0o777) == "0o600"


# -- a journal from before the key --------------------------------------------------------------

def test_an_old_unkeyed_journal_opens_and_is_keyed_from_its_next_entry(
    store_url: str, seal: JournalSeal, memory_keyring: MemoryKeyring,
) -> None:
    old = connect_url(store_url)
    migrations.migrate(old, target=6)  # as the console before the key left it
    legacy = plain_chain([JournalEntry(n, T0 + timedelta(minutes=n), "ivanova", "MSK-1", "1",
                                       "", "lookup", "done", "", f"old {n}", "", "")
                          for n in range(1, 6)])
    rewrite(old, legacy)
    old.close()

    db = open_store(store_url)  # migration 7: the key record's table
    try:
        assert migrations.current_version(db) == migrations.LATEST
        journal = AuditJournal("MSK-1", "1", ticking(), seal=seal)
        assert journal.verify().intact  # the old rule, up to the end; then keyed from 6
        assert db.execute_sql("SELECT keyed_from FROM audit_chain").fetchone() == (6,)
        journal.record("ivanova", "sign_out")
        entries = rows(db)
        assert [e.hash for e in entries[:5]] == [e.hash for e in legacy]  # untouched
        assert entries[5].prev_hash == legacy[-1].hash
        assert entries[5].hash != compute_hash(entries[5])  # keyed from here on
        assert journal.verify().intact

        # Rewriting the old part wholesale (plain hashes are anyone's) breaks the keyed link.
        without_guards(db)
        tampered = plain_chain([replace(e, reason="nothing") if e.seq == 2 else e
                                for e in legacy])
        rewrite(db, tampered + entries[5:])
        code, report, err = verify(journal)
        # The old rows chain among themselves again, so the break shows where the first keyed
        # entry links to them: the last old entry is not the one it was.
        assert code == 3 and report["problem"] == {"kind": "edited", "seq": 5, "other": None}
        assert "entry 5 was edited" in err
    finally:
        db.close()


def test_the_daily_logs_last_hash_is_the_keyed_chains(
    any_store: Database, seal: JournalSeal
) -> None:
    from app.config import SalonSettings
    from app.services.daily_log import DailyLogService

    journal = filled(seal, 4)
    salon = SalonSettings("MSK-TVERSKAYA-12", "Салон", "RU-MOW", "Europe/Moscow", "2", "en")
    log = DailyLogService(journal, salon, clock=FixedClock(T0 + timedelta(hours=2))).daily_log(
        T0.date())
    assert (log.last_seq, log.last_hash) == (4, journal.latest(1)[0].hash)
    assert log.last_hash == seal.chain().hash(journal.latest(1)[0])
    assert verify(journal, "--expect-hash", log.last_hash)[0] == 0
