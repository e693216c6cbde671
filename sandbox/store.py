"""The sandbox's own SQLite database: the demo world, its later state, and caches.

On first open with a seed the world is generated and stored; reopening the same file gives the
same world and keeps everything that happened since: the clock offset, orders (their changes to
the tariff and service histories, their fees as ledger events, their answers for idempotent
retries), access codes (keyed hashes only, R2) and the personal document archive. Two things
are kept beside it, never in it: the key those hashes are made with (`code_key.py`: whoever has
the file must not also have the key), and the SMS the phones received (`sms.py`, its own file:
an SMS carries a code in clear).

Instants are INTEGER seconds since the epoch (UTC) and money INTEGER kopecks, as in `entities`.
One connection per thread (uvicorn serves sync endpoints from a thread pool), WAL so readers
never wait for the writer. Writes that must be all-or-nothing go through `write()`, one
`BEGIN IMMEDIATE` transaction: SQLite then has one writer at a time, which also serializes
every read-check-write inside (versions, lockout counts). `synchronous=FULL`: an answer is sent
only after its transaction is on disk. `secure_delete=ON`: deleted rows (expired documents) are
overwritten, not just unlinked.
"""

from __future__ import annotations

import json
import sqlite3
import threading
from collections import defaultdict
from collections.abc import Collection, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import asdict
from pathlib import Path

from sandbox import code_key, pickup
from sandbox.entities import (
    Activity,
    LedgerEvent,
    PromisedPayment,
    ServicePeriod,
    SubscriberState,
    TariffPeriod,
)
from sandbox.world import generate_world, world_reference

# 2: orders, idempotent answers, access codes, documents; 3: world_reference; 4: tmf_entities;
# 5: tmf_order_requests; 6: pickup_orders (R11, drawn for a world that has none). Every table
# is CREATE ... IF NOT EXISTS, so opening an older world adds what it lacks.
SCHEMA_VERSION = 6
# Worlds stored before the reference was kept were all drawn at this UTC midnight.
LEGACY_REFERENCE = 1_795_305_600  # 2026-11-22T00:00:00Z

SCHEMA = """
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS subscribers (
    msisdn TEXT PRIMARY KEY,
    name TEXT NOT NULL,
    region_code TEXT NOT NULL,
    status TEXT NOT NULL CHECK (status IN ('active', 'blocked')),
    activated_at INTEGER NOT NULL,
    blocked_at INTEGER,
    topups_stop_at INTEGER,
    anchor_kop INTEGER NOT NULL,
    bonus_kop INTEGER NOT NULL,
    heavy INTEGER NOT NULL,
    version INTEGER NOT NULL,      -- bumped by every change; the API's ETag
    activity TEXT NOT NULL         -- JSON of entities.Activity
);
CREATE TABLE IF NOT EXISTS tariff_periods (
    msisdn TEXT NOT NULL REFERENCES subscribers(msisdn),
    start_at INTEGER NOT NULL,
    tariff_code TEXT NOT NULL,
    PRIMARY KEY (msisdn, start_at)
);
CREATE TABLE IF NOT EXISTS service_periods (
    id INTEGER PRIMARY KEY,
    msisdn TEXT NOT NULL REFERENCES subscribers(msisdn),
    service_code TEXT NOT NULL,
    connected_at INTEGER NOT NULL,
    disconnected_at INTEGER
);
CREATE INDEX IF NOT EXISTS service_periods_msisdn ON service_periods(msisdn);
-- One-off charges and credits (switch and connection fees, promised-payment credits). `source`
-- says where one came from: 'world' now, an order id later.
CREATE TABLE IF NOT EXISTS ledger_events (
    id INTEGER PRIMARY KEY,
    msisdn TEXT NOT NULL REFERENCES subscribers(msisdn),
    at INTEGER NOT NULL,
    type TEXT NOT NULL CHECK (type IN ('fee', 'topup')),
    counterpart TEXT NOT NULL,
    amount_kop INTEGER NOT NULL CHECK (amount_kop >= 0),
    source TEXT NOT NULL DEFAULT 'world'
);
CREATE INDEX IF NOT EXISTS ledger_events_msisdn ON ledger_events(msisdn, at);
CREATE TABLE IF NOT EXISTS promised_payments (
    id INTEGER PRIMARY KEY,
    msisdn TEXT NOT NULL REFERENCES subscribers(msisdn),
    amount_kop INTEGER NOT NULL,
    taken_at INTEGER NOT NULL,
    due_at INTEGER NOT NULL,
    repaid_at INTEGER
);
CREATE INDEX IF NOT EXISTS promised_payments_msisdn ON promised_payments(msisdn);
-- Cache: sums of each complete local day of usage (a pure function of the history), so a
-- balance is the closing of yesterday plus today's records, not a sum over months of records.
CREATE TABLE IF NOT EXISTS day_totals (
    msisdn TEXT NOT NULL,
    day INTEGER NOT NULL,          -- local date ordinal
    net_kop INTEGER NOT NULL,      -- top-ups − charges of the day
    closing_kop INTEGER NOT NULL,  -- the main balance at the day's end
    covered_min INTEGER NOT NULL,
    covered_sms INTEGER NOT NULL,
    covered_kb INTEGER NOT NULL,
    records INTEGER NOT NULL,
    PRIMARY KEY (msisdn, day)
) WITHOUT ROWID;
-- Applied orders (TMF622): `body` is the order resource exactly as first answered.
CREATE TABLE IF NOT EXISTS orders (
    seq INTEGER PRIMARY KEY,
    order_id TEXT NOT NULL UNIQUE,
    msisdn TEXT NOT NULL REFERENCES subscribers(msisdn),
    idempotency_key TEXT NOT NULL UNIQUE,
    completed_at INTEGER NOT NULL,
    body TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS orders_msisdn ON orders(msisdn, seq);
-- The first answer to every write with an Idempotency-Key, replayed verbatim to retries.
CREATE TABLE IF NOT EXISTS idempotent_answers (
    key TEXT PRIMARY KEY,
    fingerprint TEXT NOT NULL,     -- sha256 of method, path, If-Match and the canonical body
    status INTEGER NOT NULL,
    body TEXT NOT NULL,
    created_at INTEGER NOT NULL
) WITHOUT ROWID;
-- R2/R3: one code per subscriber, kept only as HMAC-SHA256 under the world's key, which is
-- kept apart from this file (code_key.py).
CREATE TABLE IF NOT EXISTS access_codes (
    msisdn TEXT PRIMARY KEY REFERENCES subscribers(msisdn),
    code_hash TEXT,                -- NULL: no code (never ordered, or the Assistant was removed)
    issued_at INTEGER,
    failures INTEGER NOT NULL DEFAULT 0,  -- consecutive wrong entries
    locked_until INTEGER
);
-- R8/R9: the personal archive; the bytes live apart so that expiry deletes them outright.
CREATE TABLE IF NOT EXISTS documents (
    id TEXT PRIMARY KEY,
    msisdn TEXT NOT NULL REFERENCES subscribers(msisdn),
    name TEXT NOT NULL,
    content_type TEXT NOT NULL,
    size INTEGER NOT NULL,
    sha256 TEXT NOT NULL,
    uploaded_at INTEGER NOT NULL,
    expires_at INTEGER NOT NULL
);
CREATE INDEX IF NOT EXISTS documents_msisdn ON documents(msisdn, uploaded_at);
CREATE TABLE IF NOT EXISTS document_bytes (
    document_id TEXT PRIMARY KEY REFERENCES documents(id),
    content BLOB NOT NULL
);
-- Entities that clients (TM Forum's conformance kits, integrators) created through the TMF
-- APIs: kept beside the world, never part of it (sandbox/tmf/entity_store.py). `body` is the
-- entity's JSON without `href`, which is made from each request's base URL.
CREATE TABLE IF NOT EXISTS tmf_entities (
    seq INTEGER PRIMARY KEY,       -- creation order: the order they are listed in
    api TEXT NOT NULL,             -- usageManagement, communicationManagement, ...
    resource TEXT NOT NULL,        -- usage, usageSpecification, communicationMessage, ...
    id TEXT NOT NULL,
    created_at INTEGER NOT NULL,
    updated_at INTEGER NOT NULL,
    body TEXT NOT NULL,
    UNIQUE (api, resource, id)
);
-- What a TMF622 client said of an order it placed through productOrder (its externalId, its
-- item's id, channel, related parties, notes: sandbox/tmf/ordering_api.py); the order itself
-- is its row in `orders`, the same as an order placed through /v1.
CREATE TABLE IF NOT EXISTS tmf_order_requests (
    order_id TEXT PRIMARY KEY REFERENCES orders(order_id),
    external_id TEXT,
    body TEXT NOT NULL
) WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS tmf_order_requests_external ON tmf_order_requests(external_id);
"""
SCHEMA += pickup.SCHEMA
DayTotal = tuple[int, int, int, int, int, int, int]  # day, net, closing, min, sms, kb, records


class SeedMismatch(ValueError):
    pass


class Store:
    """Open with `Store.open(path, seed, now=…)`; close with `close()`."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self._local = threading.local()
        self._all: list[sqlite3.Connection] = []
        self._lock = threading.Lock()
        self.seed = 0
        self.reference = LEGACY_REFERENCE  # the UTC midnight the world was drawn at
        self.code_key = ""  # hex of the world's HMAC key for access codes (R2), never stored here

    @classmethod
    def open(cls, path: Path, seed: int, *, now: int) -> Store:
        """Open the world in `path`, drawing it from `seed` at `now` (the sandbox clock's
        seconds) if the file is new: a new world is always current (world.py)."""
        store = cls(Path(path))
        conn = store._conn()
        with conn:
            conn.executescript(SCHEMA)
        stored = store.get_meta("seed")
        if stored is None:
            store._save_world(seed, world_reference(now))
        elif int(stored) != seed:
            store.close()
            raise SeedMismatch(f"{path} holds the world of seed {stored}, not {seed}")
        try:
            store.code_key = code_key.load(store)  # per world, random, beside the file
        except BaseException:
            store.close()
            raise
        reference = store.get_meta("world_reference")
        if reference is None:  # a world from before the reference was kept
            store.set_meta("world_reference", str(LEGACY_REFERENCE))
        store.reference = int(reference or LEGACY_REFERENCE)
        if store.get_meta("pickup_orders_drawn") is None:  # a new world, or one from before R11
            store._draw_pickup_orders(seed)
        store.set_meta("schema_version", str(SCHEMA_VERSION))
        store.seed = seed
        return store

    def _conn(self) -> sqlite3.Connection:
        conn: sqlite3.Connection | None = getattr(self._local, "conn", None)
        if conn is None:
            conn = sqlite3.connect(self.path, check_same_thread=False, timeout=30)
            conn.execute("PRAGMA journal_mode=WAL")
            conn.execute("PRAGMA synchronous=FULL")
            conn.execute("PRAGMA foreign_keys=ON")
            conn.execute("PRAGMA secure_delete=ON")
            self._local.conn = conn
            with self._lock:
                self._all.append(conn)
        return conn

    def conn(self) -> sqlite3.Connection:
        """This thread's connection, for reads (writes go through `write()`)."""
        return self._conn()

    def close(self) -> None:
        with self._lock:
            for conn in self._all:
                conn.close()
            self._all.clear()
        self._local = threading.local()

    @contextmanager
    def write(self) -> Iterator[sqlite3.Connection]:
        """One all-or-nothing write: BEGIN IMMEDIATE (waits for the single writer slot), commit
        on leaving, roll back on any exception. Everything read inside is current."""
        conn = self._conn()
        conn.execute("BEGIN IMMEDIATE")
        try:
            yield conn
        except BaseException:
            conn.rollback()
            raise
        conn.commit()

    def in_transaction(self) -> bool:
        return self._conn().in_transaction

    def checkpoint(self) -> None:
        """Move the WAL into the database file and empty it, so that deleted content does not
        linger in old WAL frames (waits for readers, up to the busy timeout)."""
        self._conn().execute("PRAGMA wal_checkpoint(TRUNCATE)").fetchone()

    # -- meta ---------------------------------------------------------------------------------

    def get_meta(self, key: str) -> str | None:
        row = self._conn().execute("SELECT value FROM meta WHERE key = ?", (key,)).fetchone()
        return None if row is None else str(row[0])

    def set_meta(self, key: str, value: str) -> None:
        with self._conn() as conn:
            conn.execute("INSERT INTO meta (key, value) VALUES (?, ?) ON CONFLICT (key) "
                         "DO UPDATE SET value = excluded.value", (key, value))

    # -- the world ----------------------------------------------------------------------------

    def _save_world(self, seed: int, reference: int) -> None:
        world = generate_world(seed, reference)
        with self._conn() as conn:
            for state in world.subscribers:
                self._insert(conn, state)
            conn.executemany("INSERT INTO meta (key, value) VALUES (?, ?)",
                             [("seed", str(seed)), ("schema_version", str(SCHEMA_VERSION)),
                              ("clock_offset_s", "0"), ("world_reference", str(reference))])

    @staticmethod
    def _insert(conn: sqlite3.Connection, s: SubscriberState) -> None:
        conn.execute(
            "INSERT INTO subscribers VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (s.msisdn, s.name, s.region_code, s.status, s.activated_at, s.blocked_at,
             s.topups_stop_at, s.anchor_kop, s.bonus_kop, int(s.heavy), s.version,
             json.dumps(asdict(s.activity), ensure_ascii=False)))
        conn.executemany("INSERT INTO tariff_periods VALUES (?, ?, ?)",
                         [(s.msisdn, p.start_at, p.tariff_code) for p in s.tariffs])
        conn.executemany(
            "INSERT INTO service_periods (msisdn, service_code, connected_at, disconnected_at) "
            "VALUES (?, ?, ?, ?)",
            [(s.msisdn, p.service_code, p.connected_at, p.disconnected_at) for p in s.services])
        conn.executemany(
            "INSERT INTO ledger_events (msisdn, at, type, counterpart, amount_kop) "
            "VALUES (?, ?, ?, ?, ?)",
            [(s.msisdn, e.at, e.type, e.counterpart, e.amount_kop) for e in s.events])
        conn.executemany(
            "INSERT INTO promised_payments (msisdn, amount_kop, taken_at, due_at, repaid_at) "
            "VALUES (?, ?, ?, ?, ?)",
            [(s.msisdn, p.amount_kop, p.taken_at, p.due_at, p.repaid_at) for p in s.promised])

    def _draw_pickup_orders(self, seed: int) -> None:
        """The world's pick-up orders (R11), once: checked again inside the writer's slot, as
        several `salon` commands may open one new world at the same moment."""
        with self.write() as conn:
            if self.get_meta("pickup_orders_drawn") is not None:
                return
            people = [pickup.Person(*row) for row in conn.execute(
                "SELECT msisdn, region_code, status, activated_at FROM subscribers "
                "ORDER BY rowid")]
            for order in pickup.draw(seed, self.reference, people):
                pickup.insert(conn, order)
            conn.execute("INSERT INTO meta (key, value) VALUES ('pickup_orders_drawn', '1')")

    def version(self, msisdn: str) -> int | None:
        row = self._conn().execute("SELECT version FROM subscribers WHERE msisdn = ?",
                                   (msisdn,)).fetchone()
        return None if row is None else int(row[0])

    def load(self, msisdn: str) -> SubscriberState | None:
        found = self._load_where("WHERE msisdn = ?", (msisdn,))
        return found[0] if found else None

    def load_all(self) -> list[SubscriberState]:
        return self._load_where("", ())

    def _load_where(self, where: str, args: tuple[str, ...]) -> list[SubscriberState]:
        conn = self._conn()
        children: dict[str, dict[str, list]] = defaultdict(lambda: defaultdict(list))
        for msisdn, start_at, code in conn.execute(
                f"SELECT msisdn, start_at, tariff_code FROM tariff_periods {where} "
                "ORDER BY start_at", args):
            children[msisdn]["tariffs"].append(TariffPeriod(start_at, code))
        for msisdn, code, connected, disconnected in conn.execute(
                "SELECT msisdn, service_code, connected_at, disconnected_at FROM service_periods "
                f"{where} ORDER BY connected_at, id", args):
            children[msisdn]["services"].append(ServicePeriod(code, connected, disconnected))
        for msisdn, at, kind, counterpart, amount in conn.execute(
                f"SELECT msisdn, at, type, counterpart, amount_kop FROM ledger_events {where} "
                "ORDER BY at, id", args):
            children[msisdn]["events"].append(LedgerEvent(at, kind, counterpart, amount))
        for msisdn, amount, taken, due, repaid in conn.execute(
                "SELECT msisdn, amount_kop, taken_at, due_at, repaid_at FROM promised_payments "
                f"{where} ORDER BY taken_at, id", args):
            children[msisdn]["promised"].append(PromisedPayment(amount, taken, due, repaid))
        states = []
        for row in conn.execute(f"SELECT * FROM subscribers {where} ORDER BY rowid", args):
            kids = children[row[0]]
            activity = json.loads(row[11])
            activity["contacts"] = tuple(activity["contacts"])
            states.append(SubscriberState(
                msisdn=row[0], name=row[1], region_code=row[2], status=row[3],
                activated_at=row[4], blocked_at=row[5], topups_stop_at=row[6],
                anchor_kop=row[7], bonus_kop=row[8], heavy=bool(row[9]), version=row[10],
                activity=Activity(**activity), tariffs=tuple(kids["tariffs"]),
                services=tuple(kids["services"]), events=tuple(kids["events"]),
                promised=tuple(kids["promised"])))
        return states

    # -- the day-totals cache -----------------------------------------------------------------

    def last_day_total(self, msisdn: str, before_day: int) -> tuple[int, int] | None:
        """(day, closing_kop) of the latest cached day before `before_day`."""
        row = self._conn().execute(
            "SELECT day, closing_kop FROM day_totals WHERE msisdn = ? AND day < ? "
            "ORDER BY day DESC LIMIT 1", (msisdn, before_day)).fetchone()
        return None if row is None else (int(row[0]), int(row[1]))

    def add_day_totals(self, msisdn: str, rows: Iterable[DayTotal]) -> None:
        conn = self._conn()
        sql = "INSERT OR REPLACE INTO day_totals VALUES (?, ?, ?, ?, ?, ?, ?, ?)"
        values = [(msisdn, *row) for row in rows]
        if conn.in_transaction:  # inside write(): part of it, never a commit of it
            conn.executemany(sql, values)
            return
        with conn:
            conn.executemany(sql, values)

    def covered_sums(self, msisdn: str, first_day: int, before_day: int) -> tuple[int, int, int]:
        """Package use (minutes, SMS, KB) of the cached days in [first_day, before_day)."""
        row = self._conn().execute(
            "SELECT COALESCE(SUM(covered_min), 0), COALESCE(SUM(covered_sms), 0), "
            "COALESCE(SUM(covered_kb), 0) FROM day_totals "
            "WHERE msisdn = ? AND day >= ? AND day < ?",
            (msisdn, first_day, before_day)).fetchone()
        return int(row[0]), int(row[1]), int(row[2])

    def day_record_counts(self, msisdn: str, first_day: int, last_day: int) -> dict[int, int]:
        """Records of each cached day in [first_day, last_day] (usage paging skips whole days
        by these, without generating them)."""
        return {int(day): int(records) for day, records in self._conn().execute(
            "SELECT day, records FROM day_totals WHERE msisdn = ? AND day BETWEEN ? AND ?",
            (msisdn, first_day, last_day))}

    def msisdns(self) -> list[str]:
        """Every subscriber's number, in the world's order."""
        return [str(row[0]) for row in
                self._conn().execute("SELECT msisdn FROM subscribers ORDER BY rowid")]

    def region_codes(self) -> dict[str, str]:
        """Every subscriber's home region by number (the world has a few hundred)."""
        return {str(m): str(r) for m, r in
                self._conn().execute("SELECT msisdn, region_code FROM subscribers")}

    def subscriber_names(self, msisdns: Collection[str]) -> list[tuple[str, str]]:
        """(msisdn, name) of those numbers."""
        chosen = sorted(set(msisdns))
        if not chosen:
            return []
        return [(str(m), str(n)) for m, n in self._conn().execute(
            f"SELECT msisdn, name FROM subscribers WHERE msisdn IN "
            f"({', '.join('?' * len(chosen))})", chosen)]

    def subscriber_rows(self, msisdns: Collection[str] | None = None,
                        statuses: Collection[str] | None = None) -> list[tuple[str, str, str]]:
        """(msisdn, name, status) of the subscribers with those numbers and statuses (None: any),
        in the world's order: what the TMF lists filter on before making any entity."""
        where, args = [], []
        for column, wanted in (("msisdn", msisdns), ("status", statuses)):
            if wanted is not None:
                chosen = sorted(set(wanted))
                if not chosen:
                    return []
                where.append(f"{column} IN ({', '.join('?' * len(chosen))})")
                args.extend(chosen)
        sql = "SELECT msisdn, name, status FROM subscribers"
        if where:
            sql += " WHERE " + " AND ".join(where)
        return [(str(m), str(n), str(s))
                for m, n, s in self._conn().execute(sql + " ORDER BY rowid", args)]
