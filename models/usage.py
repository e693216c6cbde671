"""Itemized usage fetched for detalizations, kept only as long as R9 allows.

Two tables (migration 5):
- `usage_record`: the operator's records, one row each, keyed (msisdn, started_at, id) — the
  order a report reads them in and the range a re-fetch or a purge deletes. Instants are
  integer UTC seconds, money integer kopecks: exact, compact and fast to bulk-insert.
- `usage_day`: which local days of a number are stored, since when (`fetched_at`), and whether
  complete. A day is marked (incomplete) in the same transaction that clears its range, before
  any of its records is written, so every stored record lies in a marked day and a purge of
  the marks reaches all of them, even after an interrupted fetch. A day becomes complete once
  it had ended when it was fetched; today never is, so it is fetched again every time.

R9: `purge` deletes the marks fetched before the cutoff and every record in their ranges. The
SQLite store runs with secure_delete (the freed bytes are zeroed) and the purge ends with a
TRUNCATE checkpoint, so no copy of a purged record stays in the WAL file either.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from datetime import date

from peewee import BigIntegerField, BooleanField, CharField, CompositeKey, DateField

from models.db import database, is_sqlite
from models.domain import UsageRecord
from models.tables import BaseModel

# A stored record as a report reads it (plain tuple: a heavy year has half a million of them):
# (started_at, kind, direction, counterpart, duration_s, volume_kb, amount_kop, covered, id)
UsageRow = tuple[int, str, str | None, str, int | None, int | None, int, str | None, str]
AT, KIND, DIRECTION, COUNTERPART, DURATION, VOLUME, AMOUNT, COVERED, ID = range(9)

COLUMNS = ("msisdn", "started_at", "id", "kind", "direction", "counterpart", "duration_s",
           "volume_kb", "amount_kop", "covered")
_FIELDS = ("SELECT started_at, kind, direction, counterpart, duration_s, volume_kb, amount_kop,"
           " covered, id FROM usage_record WHERE msisdn = {p} AND started_at >= {p}"
           " AND started_at < {p}")
_SELECT = _FIELDS + " ORDER BY started_at, id"
# PostgreSQL: the next chunk after (started_at, id), keyset paging on the primary key's order
# (its default cursor would fetch the whole result into memory at once).
_NEXT = _FIELDS + " AND (started_at, id) > ({p}, {p}) ORDER BY started_at, id LIMIT {n}"
_FIRST = _SELECT + " LIMIT {n}"
CHUNK = 5000  # rows a chunk: memory stays flat whatever the period, queries stay few
# The grouped totals a report needs: what topups and fees are (promised payment, switch fee)
# is told by their counterpart, so those two kinds are grouped by it too (a handful of groups).
_TOTALS = ("SELECT kind, CASE WHEN kind IN ('topup', 'fee') THEN counterpart END,"
           " covered IS NOT NULL, COUNT(*), COALESCE(SUM(amount_kop), 0) FROM usage_record"
           " WHERE msisdn = {p} AND started_at >= {p} AND started_at < {p}"
           " GROUP BY 1, 2, 3")
# Charges (every kind but topup) by BUCKET seconds: fine enough to fall inside one local day
# in any zone (offsets and DST shifts are whole quarter hours).
BUCKET = 900
_BUCKETS = ("SELECT started_at / {b}, SUM(amount_kop) FROM usage_record WHERE msisdn = {p}"
            " AND started_at >= {p} AND started_at < {p} AND kind <> 'topup'"
            " GROUP BY started_at / {b}")
_PG_PAGE = 2000  # rows per multi-row INSERT on PostgreSQL


class UsageDay(BaseModel):
    msisdn = CharField(max_length=16)
    day = DateField()
    start_at = BigIntegerField()  # UTC bounds of the local day
    end_at = BigIntegerField()
    complete = BooleanField()
    fetched_at = BigIntegerField()

    class Meta:
        table_name = "usage_day"
        primary_key = CompositeKey("msisdn", "day")


@dataclass(frozen=True)
class DaySpan:
    """A local day of the number's home region and its UTC bounds [start_at, end_at)."""

    day: date
    start_at: int
    end_at: int


@dataclass(frozen=True)
class Purged:
    records: int
    days: int


def insert_sql(param: str) -> str:
    return (f"INSERT INTO usage_record ({', '.join(COLUMNS)}) VALUES "
            f"({', '.join([param] * len(COLUMNS))}) ON CONFLICT DO NOTHING")


def record_row(msisdn: str, record: UsageRecord) -> tuple:
    """A domain record as a usage_record row (in COLUMNS order)."""
    kop = record.amount.scaleb(2)
    if kop != kop.to_integral_value():
        raise ValueError(f"record {record.id}: amount {record.amount} is not whole kopecks")
    return (msisdn, int(record.started_at.timestamp()), record.id, record.kind.value,
            record.direction, record.counterpart, record.duration_s, record.volume_kb, int(kop),
            None if record.covered_by_package is None else record.covered_by_package.value)


class UsageStore:
    """The usage tables through the store's connection (models.db.database)."""

    def complete_days(self, msisdn: str, first: date, last: date, fresh_since: int) -> set[date]:
        """The days of [first, last] stored complete and fetched at or after `fresh_since`."""
        query = (UsageDay.select(UsageDay.day)
                 .where((UsageDay.msisdn == msisdn) & (UsageDay.day >= first)
                        & (UsageDay.day <= last) & (UsageDay.complete == True)  # noqa: E712
                        & (UsageDay.fetched_at >= fresh_since)))
        return {_as_date(row.day) for row in query}

    def begin_fetch(self, msisdn: str, spans: Sequence[DaySpan], fetched_at: int) -> None:
        """Clear the days' range of records and mark each day stored-but-incomplete."""
        if not spans:
            return
        with database.atomic():
            database.execute_sql(
                f"DELETE FROM usage_record WHERE msisdn = {database.param}"
                f" AND started_at >= {database.param} AND started_at < {database.param}",
                (msisdn, spans[0].start_at, spans[-1].end_at))
            UsageDay.delete().where((UsageDay.msisdn == msisdn)
                                    & (UsageDay.day.in_([s.day for s in spans]))).execute()
            UsageDay.insert_many(
                [(msisdn, s.day, s.start_at, s.end_at, False, fetched_at) for s in spans],
                fields=[UsageDay.msisdn, UsageDay.day, UsageDay.start_at, UsageDay.end_at,
                        UsageDay.complete, UsageDay.fetched_at]).execute()

    def add(self, msisdn: str, records: Iterable[UsageRecord]) -> int:
        """Store records in one transaction; returns how many were given."""
        return self.add_rows([record_row(msisdn, record) for record in records])

    def add_rows(self, rows: Sequence[tuple]) -> int:
        """Bulk insert rows in COLUMNS order in one transaction: the DB-API's executemany on
        SQLite (one prepared statement), multi-row INSERTs on PostgreSQL (one round trip per
        page instead of per row)."""
        if not rows:
            return 0
        db = database.obj
        with database.atomic():
            cursor = database.cursor()
            if is_sqlite(db):
                cursor.executemany(insert_sql("?"), rows)
            else:
                from psycopg2.extras import execute_values

                sql = (f"INSERT INTO usage_record ({', '.join(COLUMNS)}) VALUES %s"
                       " ON CONFLICT DO NOTHING")
                execute_values(cursor, sql, rows, page_size=_PG_PAGE)
        return len(rows)

    def mark_complete(self, msisdn: str, days: Sequence[date], fetched_at: int) -> None:
        if not days:
            return
        (UsageDay.update(complete=True, fetched_at=fetched_at)
         .where((UsageDay.msisdn == msisdn) & (UsageDay.day.in_(list(days)))).execute())

    def rows(self, msisdn: str, start: int, end: int) -> list[UsageRow]:
        """Every stored record with start <= started_at < end, oldest first (ties by id), as
        one list: for small ranges and tests; a report reads `records` instead."""
        cursor = database.execute_sql(_SELECT.format(p=database.param), (msisdn, start, end))
        return cursor.fetchall()

    def records(self, msisdn: str, start: int, end: int) -> StoredRecords:
        """The records of [start, end) as a report reads them: streamed in chunks, totals by
        SQL."""
        return StoredRecords(msisdn, start, end)

    def purge(self, cutoff: int) -> Purged:
        """R9: forget every day fetched before `cutoff` (UTC seconds) and its records."""
        with database.atomic():
            # peewee's stubs type .tuples() as yielding models still; it yields tuples.
            expired: list[tuple[str, int, int]] = list(
                UsageDay.select(  # type: ignore[arg-type]
                    UsageDay.msisdn, UsageDay.start_at, UsageDay.end_at)
                .where(UsageDay.fetched_at < cutoff).tuples())
            records = 0
            for msisdn, start_at, end_at in expired:
                cursor = database.execute_sql(
                    f"DELETE FROM usage_record WHERE msisdn = {database.param}"
                    f" AND started_at >= {database.param} AND started_at < {database.param}",
                    (msisdn, start_at, end_at))
                records += max(cursor.rowcount, 0)
            days = UsageDay.delete().where(UsageDay.fetched_at < cutoff).execute()
        if expired:
            scrub_free_space()
        return Purged(records, days)


@dataclass(frozen=True)
class Group:
    """Records of one kind (and, for topups and fees, one counterpart) with or without a
    covering package: how many and their sum."""

    kind: str
    counterpart: str | None  # topups and fees only
    covered: bool
    count: int
    amount_kop: int


@dataclass(frozen=True)
class StoredRecords:
    """A number's stored records of [start, end): iterated afresh each time, CHUNK rows at a
    time (never the whole period in memory); totals grouped by SQL."""

    msisdn: str
    start: int
    end: int
    chunk: int = CHUNK

    def __iter__(self) -> Iterator[UsageRow]:
        p = database.param
        if is_sqlite(database.obj):
            # SQLite reads a statement's rows as they are fetched: one cursor, CHUNK at a time
            # (as fast as fetching them all; other statements may run meanwhile)
            cursor = database.execute_sql(_SELECT.format(p=p), (self.msisdn, self.start,
                                                               self.end))
            try:
                while rows := cursor.fetchmany(self.chunk):
                    yield from rows
            finally:
                cursor.close()
            return
        # PostgreSQL's default cursor would fetch the whole result at once: keyset pages
        rows = database.execute_sql(_FIRST.format(p=p, n=self.chunk),
                                    (self.msisdn, self.start, self.end)).fetchall()
        while rows:
            yield from rows
            if len(rows) < self.chunk:
                return
            last = rows[-1]
            rows = database.execute_sql(
                _NEXT.format(p=p, n=self.chunk),
                (self.msisdn, self.start, self.end, last[AT], last[ID])).fetchall()

    def groups(self) -> list[Group]:
        cursor = database.execute_sql(_TOTALS.format(p=database.param),
                                      (self.msisdn, self.start, self.end))
        return [Group(kind, counterpart, bool(covered), int(count), int(amount))
                for kind, counterpart, covered, count, amount in cursor.fetchall()]

    def charges_by_bucket(self) -> list[tuple[int, int]]:
        """(bucket start in UTC seconds, charges in kopecks) of every BUCKET with records."""
        cursor = database.execute_sql(_BUCKETS.format(p=database.param, b=BUCKET),
                                      (self.msisdn, self.start, self.end))
        return [(int(bucket) * BUCKET, int(amount)) for bucket, amount in cursor.fetchall()]

    def fees(self) -> list[UsageRow]:
        """The fee records (a few a month): what tells which tariff billed when."""
        cursor = database.execute_sql(
            _FIELDS.format(p=database.param) + f" AND kind = {database.param}"
            " ORDER BY started_at, id", (self.msisdn, self.start, self.end, "fee"))
        return cursor.fetchall()


def scrub_free_space() -> None:
    """After deleting personal data: with secure_delete the freed bytes are already zeroed in
    the pages; the TRUNCATE checkpoint copies those pages home and empties the WAL file, which
    would otherwise still hold the old page images. PostgreSQL: VACUUM marks the dead rows'
    space free (overwriting it is the server's business; its files are not the counter's)."""
    db = database.obj
    if is_sqlite(db):
        db.execute_sql("PRAGMA wal_checkpoint(TRUNCATE)")
    elif not db.in_transaction():
        db.execute_sql("VACUUM usage_record")


def _as_date(value: date | str) -> date:
    return value if isinstance(value, date) else date.fromisoformat(str(value))
