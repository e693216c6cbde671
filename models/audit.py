"""The audit journal (DESIGN §5): append-only, hash-chained, one row per thing a counter did.

Each entry's hash is HMAC-SHA256, under the journal's secret key, over a canonical JSON of every
field plus the previous entry's hash (the first entry chains to 64 zeros). Editing, deleting,
reordering or inserting a row therefore breaks the chain at that row, and `verify_chain` names
it; and since nobody without the key can compute a hash, a journal rewritten with recomputed
hashes fails too. The key lives outside the database (the system keyring), and so does the
chain's end (an anchor file): `models/audit_seal.py`. Journals written before the key came have
plain SHA-256 hashes up to a recorded boundary entry; `ChainKey.hash` picks the rule by entry.

`seq` is the chain order: appends are serialised (a PostgreSQL advisory lock, SQLite's write
lock) so two counters writing at once can neither fork the chain nor leave a gap. The daily log
also carries the day's last hash, and `verify_chain(expect_hash=...)` checks it is still there.
Text is stored verbatim (the canonical JSON escapes control characters, so a line break in a
reason cannot forge an entry); every renderer escapes it again for display.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import re
import sqlite3
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime
from typing import Literal, Protocol

from peewee import Cast, DateTimeField, IntegerField, OperationalError, Select, TextField

# Re-exported: the journal's codes live apart so that light modules can name them.
from models.audit_codes import AuditAction as AuditAction
from models.audit_codes import AuditResult as AuditResult
from models.db import database, is_sqlite
from models.tables import BaseModel

GENESIS = "0" * 64
LEGACY_VERSION = 1  # plain SHA-256: the journal before it had a key
KEYED_VERSION = 2  # HMAC-SHA256 under the journal's key
# Serialises appends of every counter sharing one PostgreSQL store (migrations use 0x5A10).
PG_APPEND_LOCK = 0x5A11


@dataclass(frozen=True, slots=True)
class JournalEntry:
    seq: int
    at: datetime  # UTC, aware
    clerk: str  # login, "" for the console itself
    salon: str
    counter: str
    subscriber: str  # E.164 or ""
    action: str  # an AuditAction value
    result: str  # an AuditResult value
    detail: str  # what exactly: a tariff or service code, a document's format and period
    reason: str  # why it was refused or failed; free text
    prev_hash: str
    hash: str


def canonical(entry: JournalEntry, version: int = LEGACY_VERSION) -> bytes:
    """Every field but `hash`, as sorted-key ASCII JSON: one byte string per entry, no ambiguity
    about where one field ends (a quote or newline inside a value is escaped). The version says
    which rule hashed it, so a keyed entry's bytes are never a legacy entry's."""
    body = {
        "v": version,
        "seq": entry.seq,
        "at": entry.at.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ"),
        "clerk": entry.clerk,
        "salon": entry.salon,
        "counter": entry.counter,
        "subscriber": entry.subscriber,
        "action": entry.action,
        "result": entry.result,
        "detail": entry.detail,
        "reason": entry.reason,
        "prev_hash": entry.prev_hash,
    }
    return json.dumps(body, sort_keys=True, ensure_ascii=True, separators=(",", ":")).encode()


def compute_hash(entry: JournalEntry, key: bytes | None = None) -> str:
    """HMAC-SHA256 under `key`; without a key, the legacy rule (plain SHA-256), which anyone
    can recompute and is only used for entries written before the journal had a key."""
    if key is None:
        return hashlib.sha256(canonical(entry)).hexdigest()
    return hmac.new(key, canonical(entry, KEYED_VERSION), hashlib.sha256).hexdigest()


Hasher = Callable[[JournalEntry], str]


@dataclass(frozen=True)
class ChainKey:
    """The journal's key, its public id, and the first entry it hashes: entries before
    `keyed_from` were written by a console without a key and keep the legacy rule."""

    key: bytes = field(repr=False)  # never printed, never logged
    key_id: str
    keyed_from: int

    def hash(self, entry: JournalEntry) -> str:
        return compute_hash(entry, None if entry.seq < self.keyed_from else self.key)


class Sealer(Protocol):
    """What `append` needs of the journal's seal (models/audit_seal.JournalSeal)."""

    def prepare(self) -> None:
        """Before the append's transaction: fetch the key (the keyring may be slow); on the
        journal's first use, key it (in a transaction of its own)."""

    def chain(self) -> ChainKey:
        """Inside the append's transaction, under its lock: the key as the store records it."""

    def appended(self, entry: JournalEntry, chain: ChainKey) -> None:
        """After the entry is committed: move the anchor outside the database to it."""


class UnreadableEntry(ValueError):
    """A row whose text is not valid UTF-8: written with SQL outside the console."""

    def __init__(self, seq: int) -> None:
        super().__init__(f"audit entry {seq} is not valid text")
        self.seq = seq


class AuditEntryRow(BaseModel):
    """The `audit_entry` table (migration 2). Triggers refuse UPDATE, DELETE and TRUNCATE."""

    seq = IntegerField(primary_key=True)
    at = DateTimeField(index=True)  # naive UTC, like every timestamp in the store
    clerk = TextField()
    salon = TextField()
    counter = TextField()
    subscriber = TextField()
    action = TextField()
    result = TextField()
    detail = TextField()
    reason = TextField()
    prev_hash = TextField()
    hash = TextField(unique=True)

    class Meta:
        table_name = "audit_entry"


_FIELDS = (AuditEntryRow.seq, AuditEntryRow.at, AuditEntryRow.clerk, AuditEntryRow.salon,
           AuditEntryRow.counter, AuditEntryRow.subscriber, AuditEntryRow.action,
           AuditEntryRow.result, AuditEntryRow.detail, AuditEntryRow.reason,
           AuditEntryRow.prev_hash, AuditEntryRow.hash)
# PostgreSQL text cannot hold NUL, and no UTF-8 store can hold a lone surrogate.
_UNSTORABLE = re.compile("[\x00\ud800-\udfff]")


def storable(text: str) -> str:
    return _UNSTORABLE.sub("\ufffd", text)


def _entry(row: tuple) -> JournalEntry:
    seq, at, *texts = row
    if not isinstance(at, datetime):  # a hand-edited SQLite row may hold anything
        try:
            at = datetime.fromisoformat(str(at))
        except ValueError:
            at = datetime(1970, 1, 1)  # cannot match its hash: verify reports it as edited
    return JournalEntry(seq, at.replace(tzinfo=UTC), *(str(text) for text in texts))


def append(
    clock: Callable[[], datetime], seal: Sealer, *, clerk: str, salon: str, counter: str,
    subscriber: str, action: str, result: str, detail: str, reason: str,
) -> JournalEntry:
    """Add one entry at the end of the chain, in its own transaction (or the caller's).

    The last hash is read and the new row written under one lock, so concurrent appends from
    several threads or counters queue up instead of chaining to the same predecessor. Inside a
    caller's transaction it joins it (a savepoint): on SQLite that transaction should then have
    begun IMMEDIATE, or upgrading its read lock may fail with "database is locked". The anchor
    outside the database moves only once the entry's own transaction commits: inside a
    caller's transaction it stays where it was (the next append moves it past this entry).
    """
    db = database.obj
    nested = database.in_transaction()
    seal.prepare()
    with database.atomic("IMMEDIATE") if is_sqlite(db) else database.atomic():
        if not is_sqlite(db):
            database.execute_sql("SELECT pg_advisory_xact_lock(%s)", (PG_APPEND_LOCK,))
        chain = seal.chain()
        last = (AuditEntryRow.select(AuditEntryRow.seq, AuditEntryRow.hash)
                .order_by(AuditEntryRow.seq.desc()).limit(1).tuples().first())
        seq, prev_hash = (last[0] + 1, last[1]) if last else (1, GENESIS)
        at = clock().astimezone(UTC)
        draft = JournalEntry(
            seq, at, storable(clerk), storable(salon), storable(counter), storable(subscriber),
            action, result, storable(detail), storable(reason), prev_hash, "",
        )
        entry = replace(draft, hash=chain.hash(draft))
        AuditEntryRow.insert(
            seq=entry.seq, at=at.replace(tzinfo=None), clerk=entry.clerk, salon=entry.salon,
            counter=entry.counter, subscriber=entry.subscriber, action=entry.action,
            result=entry.result, detail=entry.detail, reason=entry.reason,
            prev_hash=entry.prev_hash, hash=entry.hash,
        ).execute()
    if not nested:
        seal.appended(entry, chain)
    return entry


def last_seq() -> int:
    """The newest entry's number, 0 for an empty journal."""
    row = AuditEntryRow.select(AuditEntryRow.seq).order_by(AuditEntryRow.seq.desc()).first()
    return int(row.seq) if row else 0


def entries_between(start: datetime, end: datetime) -> list[JournalEntry]:
    """Entries with start <= at < end (aware datetimes), in chain order."""
    query = (AuditEntryRow.select(*_FIELDS)
             .where((AuditEntryRow.at >= _naive(start)) & (AuditEntryRow.at < _naive(end)))
             .order_by(AuditEntryRow.seq))
    return list(_read(query))


def last_entry(before: datetime | None = None) -> JournalEntry | None:
    """The newest entry in chain order, or the newest of those with at < `before`."""
    query = AuditEntryRow.select(*_FIELDS)
    if before is not None:
        query = query.where(AuditEntryRow.at < _naive(before))
    return next(_read(query.order_by(AuditEntryRow.seq.desc()).limit(1)), None)


def latest_entries(count: int) -> list[JournalEntry]:
    """The newest `count` entries, oldest first."""
    query = AuditEntryRow.select(*_FIELDS).order_by(AuditEntryRow.seq.desc()).limit(count)
    return list(reversed(list(_read(query))))


def entry_with_hash(hash_: str) -> JournalEntry | None:
    query = AuditEntryRow.select(*_FIELDS).where(AuditEntryRow.hash == hash_)
    return next(_read(query), None)


def all_entries(batch: int = 5000) -> Iterator[JournalEntry]:
    """Every entry in chain order, read in keyset pages so memory stays flat on a big journal.
    A row that is not valid text raises UnreadableEntry when the walk reaches it."""
    after: int | None = None
    while True:
        query = AuditEntryRow.select(*_FIELDS)
        if after is not None:
            query = query.where(AuditEntryRow.seq > after)
        entries = []
        for entry in _read(query.order_by(AuditEntryRow.seq).limit(batch)):
            entries.append(entry)
            yield entry
        if len(entries) < batch:
            return
        after = entries[-1].seq


def _read(query: Select) -> Iterator[JournalEntry]:
    """The query's entries, in its order. SQLite stores whatever bytes an SQL statement put in
    a text column, and its driver then fails on the whole page; so on that failure the page is
    read again as raw bytes and decoded here, up to the first row that is not UTF-8, which is
    named (UnreadableEntry) instead of a traceback."""
    try:
        rows = list(query.tuples())
    except (sqlite3.OperationalError, OperationalError) as error:
        if "decode" not in str(error):
            raise
    else:
        yield from (_entry(row) for row in rows)
        return
    raw = query.select(AuditEntryRow.seq, *(Cast(column, "BLOB") for column in _FIELDS[1:]))
    for seq, *values in list(raw.tuples()):
        try:
            texts = [value.decode() if isinstance(value, bytes) else value for value in values]
        except UnicodeDecodeError:
            raise UnreadableEntry(seq) from None
        yield _entry((seq, *texts))


def _naive(moment: datetime) -> datetime:
    return moment.astimezone(UTC).replace(tzinfo=None)


# --- verification ----------------------------------------------------------------------------

ProblemKind = Literal[
    "edited", "missing", "out_of_order", "inserted", "cut", "unreadable",
    # found by the seal (models/audit_seal.py): the chain's end and its key record
    "truncated", "anchor_missing", "anchor_altered", "record_altered", "record_removed",
]
_RENUMBER_WINDOW = 1000  # how far from its place a moved entry is looked for


@dataclass(frozen=True)
class ChainProblem:
    """The first place the chain breaks. `seq` is the first bad entry's number (None for "cut":
    the expected hash is nowhere); `other` is the number it was recorded as (out_of_order), the
    next number present (missing), the last number present (truncated: `seq` is the entry the
    anchor vouches for), or None."""

    kind: ProblemKind
    seq: int | None
    other: int | None = None


@dataclass(frozen=True)
class ChainReport:
    entries: int
    last_seq: int | None
    last_hash: str | None
    problem: ChainProblem | None

    @property
    def intact(self) -> bool:
        return self.problem is None


def verify_chain(
    entries: Iterable[JournalEntry],
    find_by_hash: Callable[[str], JournalEntry | None],
    expect_hash: str | None = None,
    hasher: Hasher = compute_hash,
) -> ChainReport:
    """Walk the chain in seq order; report the first broken entry and what happened to it.
    `hasher` is the chain's rule: `ChainKey.hash` for a keyed journal, else the legacy one."""
    prev: JournalEntry | None = None
    count, seen_expected = 0, expect_hash is None
    try:
        for entry in entries:
            count += 1
            problem = _check(entry, prev, find_by_hash, hasher)
            if problem is not None:
                return ChainReport(count, entry.seq, entry.hash, problem)
            seen_expected = seen_expected or entry.hash == expect_hash
            prev = entry
    except UnreadableEntry as bad:
        return ChainReport(count, bad.seq, None, ChainProblem("unreadable", bad.seq))
    last_seq, last_hash = (prev.seq, prev.hash) if prev else (None, None)
    problem = None if seen_expected else ChainProblem("cut", None)
    return ChainReport(count, last_seq, last_hash, problem)


def _check(
    entry: JournalEntry, prev: JournalEntry | None,
    find_by_hash: Callable[[str], JournalEntry | None], hasher: Hasher,
) -> ChainProblem | None:
    expected_seq = prev.seq + 1 if prev else 1
    link = prev.hash if prev else GENESIS
    if entry.seq < expected_seq:  # only a first row numbered 0 or below gets here
        return ChainProblem("inserted", entry.seq)
    if entry.seq > expected_seq:
        return ChainProblem("missing", expected_seq, entry.seq)
    self_consistent = hasher(entry) == entry.hash
    if self_consistent and entry.prev_hash == link:
        return None
    if self_consistent:
        # Its own content is intact but it chains to something other than the row before it.
        if prev is not None and entry.prev_hash == prev.prev_hash:
            return ChainProblem("inserted", prev.seq)  # the row before claims its predecessor
        if find_by_hash(entry.prev_hash) is None:
            # The row it chained to is gone: the one before it was rewritten, or removed.
            return ChainProblem("edited", prev.seq) if prev else ChainProblem("missing", 1)
        return ChainProblem("out_of_order", entry.seq)
    recorded_as = _recorded_seq(entry, hasher)
    if recorded_as is None:
        return ChainProblem("edited", entry.seq)
    if (recorded_as == entry.seq - 1 and prev is not None
            and entry.prev_hash == prev.prev_hash):
        return ChainProblem("inserted", prev.seq)  # everything after was shifted up by one
    if recorded_as > entry.seq and find_by_hash(entry.prev_hash) is None:
        return ChainProblem("missing", entry.seq)  # deleted, and the rest renumbered down
    return ChainProblem("out_of_order", entry.seq, recorded_as)


def _recorded_seq(entry: JournalEntry, hasher: Hasher) -> int | None:
    """The number this entry was hashed with, if it was merely renumbered."""
    for distance in range(1, _RENUMBER_WINDOW + 1):
        for candidate in (entry.seq - distance, entry.seq + distance):
            if candidate >= 1 and hasher(replace(entry, seq=candidate)) == entry.hash:
                return candidate
    return None
