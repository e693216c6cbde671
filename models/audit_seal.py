"""The journal's seal: its key and its anchor, both kept outside the database.

- **The key.** The chain is HMAC-SHA256 under 32 random bytes made on the journal's first use
  and kept by a `KeyStore` (the console's is the system keyring, app/services/audit_keys.py),
  found by the store's scope (its URL without a password). The database keeps only the key's
  id (an HMAC of a fixed text: it does not reveal the key) and the first entry the key hashes,
  in the one-row table `audit_chain` (migration 7), and that row is sealed with the key too, so
  nobody can move the boundary. Without the key nobody can write an entry that verifies: a
  rewritten journal fails even where every hash was recomputed.
- **Journals older than the key.** Their entries keep their plain SHA-256 hashes and are
  verified by that rule up to the recorded boundary (`keyed_from`); the first keyed entry chains
  to the last old one, and its HMAC covers that link, so the old part cannot be rewritten
  either once a keyed entry follows it.
- **The anchor** (models/audit_anchor.py): the last entry and its hash, written by this counter
  after each of its appends, sealed with the key. It catches a cut-off end.
- **Several counters on one PostgreSQL** share the journal, so they share its key (copied into
  each counter's keyring, README) but each keeps its own anchor, in its own data folder, named
  by the database's scope: an anchor vouches for the journal up to the last entry that counter
  wrote or saw. A counter that has written keyed entries must have its anchor; one that never
  wrote has none yet, and its first append makes it.

A journal with no key record is one from before the key, and is keyed on its next append,
unless this counter holds an anchor for this database, or a key for it while the journal has
entries: then the record was removed (or the database replaced), and the journal is not
continued until someone looks (README: The audit journal).
"""

from __future__ import annotations

import contextlib
import hashlib
import hmac
import logging
import secrets
import threading
from collections.abc import Callable, Iterator
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Literal, Protocol
from urllib.parse import urlsplit

from peewee import IntegerField, TextField

from models import audit
from models.audit import GENESIS, ChainKey, ChainProblem, ChainReport, JournalEntry
from models.audit_anchor import Anchor, AnchorAltered, AnchorFile
from models.db import database, is_sqlite
from models.tables import BaseModel

log = logging.getLogger(__name__)

KEY_BYTES = 32


class KeyStore(Protocol):
    """Where the journal's key lives, by the store's scope; never the database."""

    def get(self, scope: str) -> bytes | None: ...

    def put(self, scope: str, key: bytes) -> None: ...

    def where(self, scope: str) -> str:
        """Where the key for `scope` is looked for, for messages (never the key)."""
        ...


KeyProblemKind = Literal["missing_key", "wrong_key", "record_altered", "record_removed"]


class KeyProblem(Exception):
    """The journal cannot be continued or checked with the key at hand."""

    def __init__(self, kind: KeyProblemKind, where: str, anchor: Path) -> None:
        super().__init__(kind)
        self.kind = kind
        self.where = where  # the key's place (KeyStore.where)
        self.anchor = anchor  # the anchor file's path


class ChainRecordRow(BaseModel):
    """The `audit_chain` table (migration 7): one row, refused UPDATE and DELETE."""

    id = IntegerField(primary_key=True)
    key_id = TextField()
    keyed_from = IntegerField()
    mac = TextField()

    class Meta:
        table_name = "audit_chain"


@dataclass(frozen=True)
class _Record:
    key_id: str
    keyed_from: int
    mac: str


def store_scope(url: str) -> str:
    """The database's name for keys and anchors: its URL without password or options."""
    parts = urlsplit(url)
    if parts.scheme == "sqlite":
        path = url[len("sqlite:///"):]
        if path and path != ":memory:":
            path = str(Path(path).expanduser().resolve())
        return f"sqlite:///{path}"
    user = f"{parts.username}@" if parts.username else ""
    port = f":{parts.port}" if parts.port else ""
    scheme = "postgresql" if parts.scheme == "postgres" else parts.scheme
    return f"{scheme}://{user}{parts.hostname or ''}{port}{parts.path}"


def key_id(key: bytes) -> str:
    return hmac.new(key, b"salon-audit-key-id", hashlib.sha256).hexdigest()[:16]


def _record_mac(key: bytes, key_id_: str, keyed_from: int) -> str:
    text = f"salon-audit-chain\n{key_id_}\n{keyed_from}".encode()
    return hmac.new(key, text, hashlib.sha256).hexdigest()


def _read_record() -> _Record | None:
    row = ChainRecordRow.select().where(ChainRecordRow.id == 1).first()
    return None if row is None else _Record(str(row.key_id), int(row.keyed_from), str(row.mac))


class JournalSeal:
    """The key and anchor of one store's journal, as this counter holds them (models.audit's
    `Sealer`). One per process and store; threads share it."""

    def __init__(self, scope: str, keys: KeyStore, folder: Path) -> None:
        self.scope = scope
        self._keys = keys
        name = hashlib.sha256(scope.encode()).hexdigest()[:16]
        self.anchor = AnchorFile(folder / f"audit-anchor-{name}.json")
        self._lock = threading.Lock()
        self._known: dict[str, bytes] = {}  # key id → key, fetched once per process

    def __repr__(self) -> str:  # never the key
        return f"JournalSeal({self.scope!r}, anchor={str(self.anchor.path)!r})"

    # -- appending (models.audit.append) ---------------------------------------------------------

    def prepare(self) -> None:
        record = _read_record()
        with self._lock:
            if record is not None:
                self._checked(record)
                return
            with self.anchor.locked():  # the window and a command start at once: one keying
                self._start(nested=database.in_transaction())

    def _start(self, *, nested: bool) -> None:
        """Key a journal that has no key record yet: fetch or make the key, record it with the
        boundary, and anchor the journal as it is. A journal that has entries but no record is
        one from before the key, unless this counter already holds a key or an anchor for this
        store: then its record was removed, and the journal is not continued."""
        if _read_record() is None:
            if self.anchor.exists():
                raise self._problem("record_removed")
            key = self._keys.get(self.scope)
            created = key is None
            if key is None:
                key = secrets.token_bytes(KEY_BYTES)
                self._keys.put(self.scope, key)  # outside the database's lock: it may be slow
            with _append_lock():
                if _read_record() is None:  # another counter may have keyed it meanwhile
                    last = audit.last_seq()
                    if last and not created:
                        raise self._problem("record_removed")
                    if last:
                        log.warning("audit journal of %s: %d entries from before its key; "
                                    "keyed from %d", self.scope, last, last + 1)
                    ident = key_id(key)
                    ChainRecordRow.insert(id=1, key_id=ident, keyed_from=last + 1,
                                          mac=_record_mac(key, ident, last + 1)).execute()
        record = _read_record()
        assert record is not None
        chain = self._checked(record)
        if not nested:  # committed: from now on this counter vouches for the journal's end
            last_entry = audit.last_entry()
            seq, hash_ = (last_entry.seq, last_entry.hash) if last_entry else (0, GENESIS)
            self.anchor.write_locked(chain.key, Anchor(self.scope, chain.key_id,
                                                       chain.keyed_from, seq, hash_))

    def chain(self) -> ChainKey:
        record = _read_record()
        if record is None:  # removed since prepare(), or rolled back with a caller's transaction
            raise self._problem("record_removed")
        with self._lock:
            return self._checked(record)

    def appended(self, entry: JournalEntry, chain: ChainKey) -> None:
        anchor = Anchor(self.scope, chain.key_id, chain.keyed_from, entry.seq, entry.hash)
        try:
            self.anchor.advance(chain.key, anchor)
        except OSError:  # the entry is in; the journal's end is vouched for by the next one
            log.exception("the audit journal's anchor %s cannot be written", self.anchor.path)

    def _checked(self, record: _Record) -> ChainKey:
        """The key for this record (fetched once), or KeyProblem. Called under self._lock."""
        key = self._known.get(record.key_id)
        if key is None:
            key = self._keys.get(self.scope)
            if key is None:
                raise self._problem("missing_key")
            if len(key) != KEY_BYTES or key_id(key) != record.key_id:
                raise self._problem("record_altered" if self._anchored_by(key) else "wrong_key")
            self._known[record.key_id] = key
        expected = _record_mac(key, record.key_id, record.keyed_from)
        if not hmac.compare_digest(record.mac.encode(), expected.encode()):
            raise self._problem("record_altered")
        return ChainKey(key, record.key_id, record.keyed_from)

    def _anchored_by(self, key: bytes) -> bool:
        """Whether this counter's anchor says the journal is keyed with `key`: then a record
        naming another key was altered, and this key is not the wrong one."""
        try:
            anchor = self.anchor.read(key)
        except AnchorAltered:
            return False
        return anchor is not None and anchor.key_id == key_id(key)

    def _problem(self, kind: KeyProblemKind) -> KeyProblem:
        return KeyProblem(kind, self._keys.where(self.scope), self.anchor.path)

    # -- verifying ----------------------------------------------------------------------------

    def verify(self, expect_hash: str | None, *, salon: str, counter: str) -> ChainReport:
        """The whole chain under its rule, then its end against the anchor. KeyProblem
        (missing_key, wrong_key) when this counter cannot check it at all."""
        record = _read_record()
        if record is None:
            return self._verify_unkeyed(expect_hash)
        try:
            with self._lock:
                chain = self._checked(record)
        except KeyProblem as key_problem:
            if key_problem.kind != "record_altered":
                raise
            return ChainReport(audit.last_seq(), None, None, ChainProblem("record_altered", None))
        report = audit.verify_chain(audit.all_entries(), audit.entry_with_hash, expect_hash,
                                    chain.hash)
        if report.problem is not None:
            return report
        end = self._check_end(report, chain, lambda: _wrote_keyed(chain, salon, counter))
        return report if end is None else replace(report, problem=end)

    def _verify_unkeyed(self, expect_hash: str | None) -> ChainReport:
        """No key record: a journal older than the key (legacy rule), unless this counter's
        anchor or key says it had one."""
        if self.anchor.exists() or (audit.last_seq() and self._keys.get(self.scope)):
            return ChainReport(audit.last_seq(), None, None, ChainProblem("record_removed", None))
        return audit.verify_chain(audit.all_entries(), audit.entry_with_hash, expect_hash)

    def _check_end(self, report: ChainReport, chain: ChainKey,
                   wrote_keyed: Callable[[], bool]) -> ChainProblem | None:
        last = report.last_seq or 0
        if last < chain.keyed_from:  # the record and the first keyed entry are one commit
            return ChainProblem("truncated", chain.keyed_from, report.last_seq)
        try:
            anchor = self.anchor.read(chain.key)
        except AnchorAltered:
            return ChainProblem("anchor_altered", None)
        if anchor is None:
            return ChainProblem("anchor_missing", None) if wrote_keyed() else None
        if (anchor.scope, anchor.key_id, anchor.keyed_from) != (
                self.scope, chain.key_id, chain.keyed_from):
            return ChainProblem("anchor_altered", None)
        if anchor.seq > last:
            return ChainProblem("truncated", anchor.seq, report.last_seq)
        if anchor.seq == 0:  # anchored when the journal was still empty
            return None
        found = audit.entry_with_hash(anchor.hash)
        if found is None or found.seq != anchor.seq:
            return ChainProblem("edited", anchor.seq)
        return None


@contextlib.contextmanager
def _append_lock() -> Iterator[None]:
    """The transaction and lock every append takes (models.audit.append)."""
    db = database.obj
    with database.atomic("IMMEDIATE") if is_sqlite(db) else database.atomic():
        if not is_sqlite(db):
            database.execute_sql("SELECT pg_advisory_xact_lock(%s)", (audit.PG_APPEND_LOCK,))
        yield


def _wrote_keyed(chain: ChainKey, salon: str, counter: str) -> bool:
    """Whether this counter (salon.ini's salon and counter) has keyed entries: then it wrote
    an anchor for them. On a store of its own every entry is its own; on a shared one the
    other counters' entries are vouched for by their anchors."""
    row = audit.AuditEntryRow
    return bool(row.select(row.seq).where(
        (row.seq >= chain.keyed_from) & (row.salon == salon) & (row.counter == counter)).exists())
