"""The audit journal (DESIGN §5): append-only, hash-chained, one row per thing a counter did.

Each entry's hash is SHA-256 over a canonical JSON of every field plus the previous entry's hash
(the first entry chains to 64 zeros). Editing, deleting, reordering or inserting a row therefore
breaks the chain at that row, and `verify_chain` names it. `seq` is the chain order: appends are
serialised (a PostgreSQL advisory lock, SQLite's write lock) so two counters writing at once can
neither fork the chain nor leave a gap.

What a chain alone cannot show is its end being cut off or its whole tail rewritten: the daily
log carries the day's last hash for that, and `verify_chain(expect_hash=...)` checks it is still
there. Text is stored verbatim (the canonical JSON escapes control characters, so a line break in
a reason cannot forge an entry); every renderer escapes it again for display.
"""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, replace
from datetime import UTC, datetime
from typing import Literal

from peewee import DateTimeField, IntegerField, TextField

# Re-exported: the journal's codes live apart so that light modules can name them.
from models.audit_codes import AuditAction as AuditAction
from models.audit_codes import AuditResult as AuditResult
from models.db import database, is_sqlite
from models.tables import BaseModel

GENESIS = "0" * 64
CANONICAL_VERSION = 1
# Serialises appends of every counter sharing one PostgreSQL store (migrations use 0x5A10).
_PG_APPEND_LOCK = 0x5A11


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


def canonical(entry: JournalEntry) -> bytes:
    """Every field but `hash`, as sorted-key ASCII JSON: one byte string per entry, no ambiguity
    about where one field ends (a quote or newline inside a value is escaped)."""
    body = {
        "v": CANONICAL_VERSION,
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


def compute_hash(entry: JournalEntry) -> str:
    return hashlib.sha256(canonical(entry)).hexdigest()


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
    clock: Callable[[], datetime], *, clerk: str, salon: str, counter: str, subscriber: str,
    action: str, result: str, detail: str, reason: str,
) -> JournalEntry:
    """Add one entry at the end of the chain, in its own transaction (or the caller's).

    The last hash is read and the new row written under one lock, so concurrent appends from
    several threads or counters queue up instead of chaining to the same predecessor. Inside a
    caller's transaction it joins it (a savepoint): on SQLite that transaction should then have
    begun IMMEDIATE, or upgrading its read lock may fail with "database is locked".
    """
    db = database.obj
    with database.atomic("IMMEDIATE") if is_sqlite(db) else database.atomic():
        if not is_sqlite(db):
            database.execute_sql("SELECT pg_advisory_xact_lock(%s)", (_PG_APPEND_LOCK,))
        last = (AuditEntryRow.select(AuditEntryRow.seq, AuditEntryRow.hash)
                .order_by(AuditEntryRow.seq.desc()).limit(1).tuples().first())
        seq, prev_hash = (last[0] + 1, last[1]) if last else (1, GENESIS)
        at = clock().astimezone(UTC)
        draft = JournalEntry(
            seq, at, storable(clerk), storable(salon), storable(counter), storable(subscriber),
            action, result, storable(detail), storable(reason), prev_hash, "",
        )
        entry = replace(draft, hash=compute_hash(draft))
        AuditEntryRow.insert(
            seq=entry.seq, at=at.replace(tzinfo=None), clerk=entry.clerk, salon=entry.salon,
            counter=entry.counter, subscriber=entry.subscriber, action=entry.action,
            result=entry.result, detail=entry.detail, reason=entry.reason,
            prev_hash=entry.prev_hash, hash=entry.hash,
        ).execute()
    return entry


def entries_between(start: datetime, end: datetime) -> list[JournalEntry]:
    """Entries with start <= at < end (aware datetimes), in chain order."""
    query = (AuditEntryRow.select(*_FIELDS)
             .where((AuditEntryRow.at >= _naive(start)) & (AuditEntryRow.at < _naive(end)))
             .order_by(AuditEntryRow.seq).tuples())
    return [_entry(row) for row in query]


def last_entry(before: datetime | None = None) -> JournalEntry | None:
    """The newest entry in chain order, or the newest of those with at < `before`."""
    query = AuditEntryRow.select(*_FIELDS)
    if before is not None:
        query = query.where(AuditEntryRow.at < _naive(before))
    row = query.order_by(AuditEntryRow.seq.desc()).limit(1).tuples().first()
    return _entry(row) if row else None


def latest_entries(count: int) -> list[JournalEntry]:
    """The newest `count` entries, oldest first."""
    rows = AuditEntryRow.select(*_FIELDS).order_by(AuditEntryRow.seq.desc()).limit(count).tuples()
    return [_entry(row) for row in reversed(list(rows))]


def entry_with_hash(hash_: str) -> JournalEntry | None:
    row = AuditEntryRow.select(*_FIELDS).where(AuditEntryRow.hash == hash_).tuples().first()
    return _entry(row) if row else None


def all_entries(batch: int = 5000) -> Iterator[JournalEntry]:
    """Every entry in chain order, read in keyset pages so memory stays flat on a big journal."""
    after: int | None = None
    while True:
        query = AuditEntryRow.select(*_FIELDS)
        if after is not None:
            query = query.where(AuditEntryRow.seq > after)
        rows = list(query.order_by(AuditEntryRow.seq).limit(batch).tuples())
        for row in rows:
            yield _entry(row)
        if len(rows) < batch:
            return
        after = rows[-1][0]


def _naive(moment: datetime) -> datetime:
    return moment.astimezone(UTC).replace(tzinfo=None)


# --- verification ----------------------------------------------------------------------------

ProblemKind = Literal["edited", "missing", "out_of_order", "inserted", "cut"]
_RENUMBER_WINDOW = 1000  # how far from its place a moved entry is looked for


@dataclass(frozen=True)
class ChainProblem:
    """The first place the chain breaks. `seq` is the first bad entry's number (None for "cut":
    the expected hash is nowhere); `other` is the number it was recorded as (out_of_order), the
    next number present (missing), or None."""

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
) -> ChainReport:
    """Walk the chain in seq order; report the first broken entry and what happened to it."""
    prev: JournalEntry | None = None
    count, seen_expected = 0, expect_hash is None
    for entry in entries:
        count += 1
        problem = _check(entry, prev, find_by_hash)
        if problem is not None:
            return ChainReport(count, entry.seq, entry.hash, problem)
        seen_expected = seen_expected or entry.hash == expect_hash
        prev = entry
    last_seq, last_hash = (prev.seq, prev.hash) if prev else (None, None)
    problem = None if seen_expected else ChainProblem("cut", None)
    return ChainReport(count, last_seq, last_hash, problem)


def _check(
    entry: JournalEntry, prev: JournalEntry | None,
    find_by_hash: Callable[[str], JournalEntry | None],
) -> ChainProblem | None:
    expected_seq = prev.seq + 1 if prev else 1
    link = prev.hash if prev else GENESIS
    if entry.seq < expected_seq:  # only a first row numbered 0 or below gets here
        return ChainProblem("inserted", entry.seq)
    if entry.seq > expected_seq:
        return ChainProblem("missing", expected_seq, entry.seq)
    self_consistent = compute_hash(entry) == entry.hash
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
    recorded_as = _recorded_seq(entry)
    if recorded_as is None:
        return ChainProblem("edited", entry.seq)
    if (recorded_as == entry.seq - 1 and prev is not None
            and entry.prev_hash == prev.prev_hash):
        return ChainProblem("inserted", prev.seq)  # everything after was shifted up by one
    if recorded_as > entry.seq and find_by_hash(entry.prev_hash) is None:
        return ChainProblem("missing", entry.seq)  # deleted, and the rest renumbered down
    return ChainProblem("out_of_order", entry.seq, recorded_as)


def _recorded_seq(entry: JournalEntry) -> int | None:
    """The number this entry was hashed with, if it was merely renumbered."""
    for distance in range(1, _RENUMBER_WINDOW + 1):
        for candidate in (entry.seq - distance, entry.seq + distance):
            if candidate >= 1 and compute_hash(replace(entry, seq=candidate)) == entry.hash:
                return candidate
    return None
