"""The usage store on SQLite and PostgreSQL: bulk insert, reading a period back in order,
complete days, and the R9 purge that leaves nothing readable in the SQLite file."""

from __future__ import annotations

from datetime import UTC, date, datetime
from decimal import Decimal
from pathlib import Path

from models.db import open_store
from models.domain import PackageKind, UsageKind, UsageRecord
from models.usage import DaySpan, UsageStore

MSISDN = "+79161234567"
SECRET = "+79990001122"  # a counterpart that must not survive the purge
DAY1 = DaySpan(date(2026, 10, 1), 1790802000, 1790888400)
DAY2 = DaySpan(date(2026, 10, 2), 1790888400, 1790974800)


def records(span: DaySpan, count: int, counterpart: str = "+79035550101") -> list[UsageRecord]:
    return [UsageRecord(
        f"{MSISDN}-{span.day:%Y%m%d}-{i + 1:04d}",
        datetime.fromtimestamp(span.start_at + 7 * i, UTC), UsageKind.CALL, "out",
        counterpart, 61 + i, None, Decimal("4.00") if i % 2 else Decimal("0.00"),
        PackageKind.MINUTES if i % 2 == 0 else None) for i in range(count)]


def test_store_reads_back_in_order_and_keeps_day_marks(any_store) -> None:
    store = UsageStore()
    store.begin_fetch(MSISDN, [DAY1, DAY2], fetched_at=1_000)
    assert store.add(MSISDN, records(DAY2, 5)) == 5
    assert store.add(MSISDN, records(DAY1, 3)) == 3
    assert store.add(MSISDN, records(DAY1, 3)) == 3  # a repeated page changes nothing
    rows = store.rows(MSISDN, DAY1.start_at, DAY2.end_at)
    assert [r[0] for r in rows] == sorted(r[0] for r in rows) and len(rows) == 8
    first = rows[0]
    assert first[1:8] == ("call", "out", "+79035550101", 61, None, 0, "minutes")
    assert rows[1][6] == 400  # kopecks, exact
    assert store.complete_days(MSISDN, DAY1.day, DAY2.day, fresh_since=0) == set()
    store.mark_complete(MSISDN, [DAY1.day], fetched_at=1_000)
    assert store.complete_days(MSISDN, DAY1.day, DAY2.day, fresh_since=0) == {DAY1.day}
    assert store.complete_days(MSISDN, DAY1.day, DAY2.day, fresh_since=1_001) == set()
    # a re-fetch of a day clears its range first
    store.begin_fetch(MSISDN, [DAY2], fetched_at=2_000)
    assert len(store.rows(MSISDN, DAY1.start_at, DAY2.end_at)) == 3
    purged = store.purge(cutoff=1_500)
    assert (purged.records, purged.days) == (3, 1)
    assert store.rows(MSISDN, DAY1.start_at, DAY2.end_at) == []


def test_purge_leaves_nothing_readable_in_the_sqlite_file(tmp_path: Path) -> None:
    """R9: secure_delete zeroes the freed bytes, the TRUNCATE checkpoint empties the WAL."""
    db_path = tmp_path / "salon.db"
    db = open_store(f"sqlite:///{db_path}")
    try:
        store = UsageStore()
        store.begin_fetch(MSISDN, [DAY1], fetched_at=1_000)
        store.add(MSISDN, records(DAY1, 2000, counterpart=SECRET))
        db.execute_sql("PRAGMA wal_checkpoint(TRUNCATE)")
        assert SECRET.encode() in db_path.read_bytes()  # the scan below can see it
        purged = store.purge(cutoff=5_000)
        assert purged.records == 2000
        raw = b"".join(p.read_bytes() for p in tmp_path.glob("salon.db*"))
        assert SECRET.encode() not in raw
        assert SECRET[1:].encode() not in raw
    finally:
        db.close()


def _mixed(span: DaySpan) -> list[UsageRecord]:
    """Calls (some covered), topups (one a promised payment), a switch fee and a monthly fee,
    spread over the day so they fall in many quarter-hour buckets."""
    def at(i: int) -> datetime:
        return datetime.fromtimestamp(span.start_at + 997 * i, UTC)

    found = records(span, 40)
    found += [
        UsageRecord(f"{MSISDN}-t1", at(3), UsageKind.TOPUP, None, "promised_payment", None,
                    None, Decimal("100.00"), None),
        UsageRecord(f"{MSISDN}-t2", at(50), UsageKind.TOPUP, None, "Карта", None, None,
                    Decimal("250.00"), None),
        UsageRecord(f"{MSISDN}-f1", at(60), UsageKind.FEE, None, "Смена тарифа: «Смарт»",
                    None, None, Decimal("50.00"), None),
        UsageRecord(f"{MSISDN}-f2", at(61), UsageKind.FEE, None, "Тариф «Смарт»",
                    None, None, Decimal("25.00"), None),
    ]
    return found


def test_a_period_streams_in_chunks_and_sums_in_sql(any_store, monkeypatch) -> None:
    """A report reads the store as a stream of chunks (never the whole period in one fetch)
    and takes its totals from SQL (GROUP BY), equal to summing the rows; it never iterates
    the rows for them."""
    from app.services.detalization_build import totals_of
    from models import usage
    from models.usage import StoredRecords

    store = UsageStore()
    store.begin_fetch(MSISDN, [DAY1, DAY2], fetched_at=1_000)
    store.add(MSISDN, _mixed(DAY1) + records(DAY2, 25))
    every = store.rows(MSISDN, DAY1.start_at, DAY2.end_at)
    fetched: list[int] = []
    real = usage.database.obj.execute_sql

    class Counted:
        """The cursor, counting the rows each fetch hands over."""

        def __init__(self, cursor) -> None:  # type: ignore[no-untyped-def]
            self._cursor = cursor

        def fetchall(self) -> list:
            rows = self._cursor.fetchall()
            fetched.append(len(rows))
            return rows

        def fetchmany(self, size: int) -> list:
            rows = self._cursor.fetchmany(size)
            fetched.append(len(rows))
            return rows

        def close(self) -> None:
            self._cursor.close()

    def counting(sql: str, params: tuple = ()):  # type: ignore[no-untyped-def]
        return Counted(real(sql, params))

    monkeypatch.setattr(usage.database.obj, "execute_sql", counting)
    streamed = StoredRecords(MSISDN, DAY1.start_at, DAY2.end_at, chunk=7)
    assert list(streamed) == every and len(every) == 69
    assert max(fetched) == 7 and sum(fetched) == 69  # never more than a chunk at once
    monkeypatch.undo()

    class Unread(StoredRecords):
        def __iter__(self):  # type: ignore[no-untyped-def]
            raise AssertionError("the totals must come from SQL, not from the rows")

    spans = [DAY1, DAY2]
    from_sql = totals_of(Unread(MSISDN, DAY1.start_at, DAY2.end_at), spans)
    assert from_sql == totals_of(every, spans)
    assert from_sql.records == 69 and from_sql.payments == 35000 and from_sql.promised == 10000
    assert from_sql.switches == 5000 and from_sql.by_day[1] == sum(
        r[6] for r in every if r[0] >= DAY2.start_at)
    fees = StoredRecords(MSISDN, DAY1.start_at, DAY2.end_at).fees()
    assert [r[8] for r in fees] == [f"{MSISDN}-f1", f"{MSISDN}-f2"]
