"""Schema migrations: numbered steps, each applied once, in order, in its own transaction.

A step must not use the current table classes (they change with later steps): it writes SQL
through peewee's schema tools against the table as it was at that version.
"""

from __future__ import annotations

from collections.abc import Callable

from peewee import Database, PostgresqlDatabase

Migration = Callable[[Database], None]

# Serialises start-up of several counters sharing one PostgreSQL store.
_PG_LOCK_KEY = 0x5A10


class SchemaTooNew(RuntimeError):
    """The database was written by a newer console than this one."""


def _v1_card_cache(db: Database) -> None:
    db.execute_sql(
        "CREATE TABLE IF NOT EXISTS cached_card ("
        " msisdn VARCHAR(16) NOT NULL PRIMARY KEY,"
        " payload TEXT NOT NULL,"
        " fetched_at TIMESTAMP NOT NULL)"
    )
    db.execute_sql("CREATE INDEX IF NOT EXISTS cached_card_fetched_at ON cached_card (fetched_at)")


def _v2_audit_journal(db: Database) -> None:
    """The audit journal (models/audit.py): append-only, so the database itself refuses to
    change or remove a row; the hash chain catches whoever drops these triggers first."""
    db.execute_sql(
        "CREATE TABLE IF NOT EXISTS audit_entry ("
        " seq INTEGER NOT NULL PRIMARY KEY,"
        " at TIMESTAMP NOT NULL,"
        " clerk TEXT NOT NULL,"
        " salon TEXT NOT NULL,"
        " counter TEXT NOT NULL,"
        " subscriber TEXT NOT NULL,"
        " action TEXT NOT NULL,"
        " result TEXT NOT NULL,"
        " detail TEXT NOT NULL,"
        " reason TEXT NOT NULL,"
        " prev_hash TEXT NOT NULL,"
        " hash TEXT NOT NULL UNIQUE)"
    )
    db.execute_sql("CREATE INDEX IF NOT EXISTS audit_entry_at ON audit_entry (at)")
    refusal = "the audit journal is append-only"
    if isinstance(db, PostgresqlDatabase):
        db.execute_sql(
            "CREATE OR REPLACE FUNCTION audit_entry_append_only() RETURNS trigger"
            f" LANGUAGE plpgsql AS $$ BEGIN RAISE EXCEPTION '{refusal}'; END $$"
        )
        db.execute_sql(
            "CREATE TRIGGER audit_entry_no_change BEFORE UPDATE OR DELETE ON audit_entry"
            " FOR EACH ROW EXECUTE FUNCTION audit_entry_append_only()"
        )
        db.execute_sql(
            "CREATE TRIGGER audit_entry_no_truncate BEFORE TRUNCATE ON audit_entry"
            " FOR EACH STATEMENT EXECUTE FUNCTION audit_entry_append_only()"
        )
        return
    for event in ("UPDATE", "DELETE"):
        db.execute_sql(
            f"CREATE TRIGGER IF NOT EXISTS audit_entry_no_{event.lower()}"
            f" BEFORE {event} ON audit_entry BEGIN SELECT RAISE(ABORT, '{refusal}'); END"
        )


def _v3_clerks(db: Database) -> None:
    # The login is the key: it never changes, and the journal names clerks by it.
    # TRUE works on both SQLite (3.23+) and PostgreSQL.
    db.execute_sql(
        "CREATE TABLE IF NOT EXISTS clerk ("
        " login VARCHAR(32) NOT NULL PRIMARY KEY,"
        " full_name VARCHAR(200) NOT NULL,"
        " role VARCHAR(16) NOT NULL,"
        " password_hash VARCHAR(255) NOT NULL,"
        " active BOOLEAN NOT NULL DEFAULT TRUE,"
        " failed_attempts INTEGER NOT NULL DEFAULT 0,"
        " locked_until TIMESTAMP NULL,"
        " created_at TIMESTAMP NOT NULL,"
        " password_changed_at TIMESTAMP NOT NULL,"
        " CONSTRAINT clerk_login_lower CHECK (login = LOWER(login)),"
        " CONSTRAINT clerk_role_known CHECK (role IN ('clerk', 'manager')),"
        " CONSTRAINT clerk_attempts_not_negative CHECK (failed_attempts >= 0))"
    )


def _v4_outbox(db: Database) -> None:
    """The outbox (models/outbox.py): every order is a row before it is sent (DESIGN §5).
    `key` is the Idempotency-Key of every attempt; states change by compare-and-set."""
    ident = "SERIAL PRIMARY KEY" if isinstance(db, PostgresqlDatabase) else \
        "INTEGER PRIMARY KEY AUTOINCREMENT"  # ids never reused: they order a subscriber's rows
    db.execute_sql(
        "CREATE TABLE IF NOT EXISTS outbox ("
        f" id {ident},"
        " key VARCHAR(128) NOT NULL UNIQUE,"
        " msisdn VARCHAR(16) NOT NULL,"
        " action VARCHAR(32) NOT NULL,"
        " code VARCHAR(64) NULL,"
        " if_match INTEGER NOT NULL,"
        " clerk VARCHAR(64) NOT NULL,"
        " clerk_name VARCHAR(200) NOT NULL DEFAULT '',"
        " salon VARCHAR(64) NOT NULL,"
        " counter VARCHAR(16) NOT NULL,"
        " created_at TIMESTAMP NOT NULL,"
        " updated_at TIMESTAMP NOT NULL,"
        " state VARCHAR(16) NOT NULL,"
        " attempts INTEGER NOT NULL DEFAULT 0,"
        " maybe_delivered BOOLEAN NOT NULL DEFAULT FALSE,"
        " cancel_requested BOOLEAN NOT NULL DEFAULT FALSE,"
        " last_error TEXT NOT NULL DEFAULT '',"
        " result TEXT NULL,"
        " refusal_rule VARCHAR(64) NULL,"
        " preview TEXT NULL,"
        " context TEXT NULL,"
        " next_attempt_at TIMESTAMP NULL,"
        " last_attempt_at TIMESTAMP NULL,"
        " lease_until TIMESTAMP NULL,"
        " owner VARCHAR(200) NOT NULL DEFAULT '',"
        " slip_path TEXT NULL,"
        " CONSTRAINT outbox_state_known CHECK (state IN"
        " ('queued', 'sending', 'done', 'rejected', 'cancelled')),"
        " CONSTRAINT outbox_attempts_not_negative CHECK (attempts >= 0))"
    )
    db.execute_sql("CREATE INDEX IF NOT EXISTS outbox_state ON outbox (state, id)")
    db.execute_sql("CREATE INDEX IF NOT EXISTS outbox_msisdn ON outbox (msisdn, id)")

def _v5_usage_and_documents(db: Database) -> None:
    """Itemized usage fetched for detalizations (models/usage.py), the days of it that are
    complete, and the register of produced documents (models/documents.py).

    usage_record has one B-tree: its key (msisdn, started_at, id) is also the order a report
    reads and the range a purge or a re-fetch deletes. SQLite stores it WITHOUT ROWID so the
    bulk insert of a heavy month maintains a single index."""
    without_rowid = "" if isinstance(db, PostgresqlDatabase) else " WITHOUT ROWID"
    db.execute_sql(
        "CREATE TABLE IF NOT EXISTS usage_record ("
        " msisdn VARCHAR(16) NOT NULL,"
        " started_at BIGINT NOT NULL,"
        " id VARCHAR(40) NOT NULL,"
        " kind VARCHAR(8) NOT NULL,"
        " direction VARCHAR(3) NULL,"
        " counterpart TEXT NOT NULL,"
        " duration_s INTEGER NULL,"
        " volume_kb BIGINT NULL,"
        " amount_kop BIGINT NOT NULL,"
        " covered VARCHAR(8) NULL,"
        " PRIMARY KEY (msisdn, started_at, id))" + without_rowid
    )
    db.execute_sql(
        "CREATE TABLE IF NOT EXISTS usage_day ("
        " msisdn VARCHAR(16) NOT NULL,"
        " day DATE NOT NULL,"
        " start_at BIGINT NOT NULL,"
        " end_at BIGINT NOT NULL,"
        " complete BOOLEAN NOT NULL,"
        " fetched_at BIGINT NOT NULL,"
        " PRIMARY KEY (msisdn, day))"
    )
    db.execute_sql("CREATE INDEX IF NOT EXISTS usage_day_fetched_at ON usage_day (fetched_at)")
    db.execute_sql(
        "CREATE TABLE IF NOT EXISTS detalization_document ("
        " id VARCHAR(40) NOT NULL PRIMARY KEY,"
        " format VARCHAR(8) NOT NULL,"
        " sha256 CHAR(64) NOT NULL,"
        " created_at TIMESTAMP NOT NULL,"
        " period_from DATE NOT NULL,"
        " period_to DATE NOT NULL,"
        " msisdn_masked VARCHAR(32) NOT NULL,"
        " salon_id TEXT NOT NULL,"
        " counter TEXT NOT NULL)"
    )


def _v6_delivery(db: Database) -> None:
    """Delivery (R8, R9): print jobs with their kept document, the clerk's printer choice per
    counter, what this store put into the operator's personal archive (for the expiry date a
    410 does not repeat), and periodic e-mail delivery: subscriptions, and one row per
    (subscription, month) claimed before anything is sent (app/services/periodic.py)."""
    postgres = isinstance(db, PostgresqlDatabase)
    ident = "SERIAL PRIMARY KEY" if postgres else "INTEGER PRIMARY KEY AUTOINCREMENT"
    db.execute_sql(
        "CREATE TABLE IF NOT EXISTS print_job ("
        f" id {ident},"
        " path TEXT NOT NULL,"
        " kind VARCHAR(16) NOT NULL,"
        " title TEXT NOT NULL,"
        " documents TEXT NOT NULL DEFAULT '',"
        " subscriber VARCHAR(16) NOT NULL DEFAULT '',"
        " printer VARCHAR(200) NOT NULL DEFAULT '',"
        " cups_job_id INTEGER NULL,"
        " state VARCHAR(16) NOT NULL,"
        " attempts INTEGER NOT NULL DEFAULT 0,"
        " clerk VARCHAR(64) NOT NULL,"
        " salon VARCHAR(64) NOT NULL,"
        " counter VARCHAR(16) NOT NULL,"
        " created_at TIMESTAMP NOT NULL,"
        " updated_at TIMESTAMP NOT NULL,"
        " last_error TEXT NOT NULL DEFAULT '',"
        " CONSTRAINT print_job_state_known CHECK (state IN"
        " ('queued', 'printing', 'done', 'failed', 'cancelled')),"
        " CONSTRAINT print_job_kind_known CHECK (kind IN"
        " ('detalization', 'slip', 'leaflet', 'daily_log', 'file')))"
    )
    db.execute_sql("CREATE INDEX IF NOT EXISTS print_job_counter ON print_job"
                   " (salon, counter, id)")
    db.execute_sql("CREATE INDEX IF NOT EXISTS print_job_state ON print_job (state, id)")
    db.execute_sql(
        "CREATE TABLE IF NOT EXISTS counter_setting ("
        " salon VARCHAR(64) NOT NULL,"
        " counter VARCHAR(16) NOT NULL,"
        " name VARCHAR(64) NOT NULL,"
        " value TEXT NOT NULL,"
        " updated_at TIMESTAMP NOT NULL,"
        " updated_by VARCHAR(64) NOT NULL,"
        " PRIMARY KEY (salon, counter, name))"
    )
    db.execute_sql(
        "CREATE TABLE IF NOT EXISTS archive_document ("
        " id VARCHAR(64) NOT NULL PRIMARY KEY,"
        " msisdn_masked VARCHAR(32) NOT NULL,"
        " name TEXT NOT NULL,"
        " content_type TEXT NOT NULL,"
        " size BIGINT NOT NULL,"
        " sha256 CHAR(64) NOT NULL,"
        " uploaded_at TIMESTAMP NOT NULL,"
        " expires_at TIMESTAMP NOT NULL)"
    )
    db.execute_sql(
        "CREATE TABLE IF NOT EXISTS delivery_subscription ("
        f" id {ident},"
        " msisdn VARCHAR(16) NOT NULL,"
        " email VARCHAR(254) NOT NULL,"
        " format VARCHAR(8) NOT NULL,"
        " first_period CHAR(7) NOT NULL,"
        " created_by VARCHAR(64) NOT NULL,"
        " created_at TIMESTAMP NOT NULL,"
        " active BOOLEAN NOT NULL DEFAULT TRUE,"
        " removed_at TIMESTAMP NULL,"
        " removed_by VARCHAR(64) NULL)"
    )
    # One active subscription per number; a removed one keeps its history, not its address.
    db.execute_sql("CREATE UNIQUE INDEX IF NOT EXISTS delivery_subscription_active"
                   " ON delivery_subscription (msisdn) WHERE active")
    db.execute_sql(
        "CREATE TABLE IF NOT EXISTS periodic_delivery ("
        f" id {ident},"
        " subscription_id INTEGER NOT NULL REFERENCES delivery_subscription (id),"
        " period CHAR(7) NOT NULL,"
        " state VARCHAR(16) NOT NULL,"
        " attempts INTEGER NOT NULL DEFAULT 0,"
        " owner VARCHAR(200) NOT NULL DEFAULT '',"
        " claimed_at TIMESTAMP NOT NULL,"
        " lease_until TIMESTAMP NULL,"
        " next_attempt_at TIMESTAMP NULL,"
        " sent_at TIMESTAMP NULL,"
        " document_id VARCHAR(40) NULL,"
        " message_id VARCHAR(200) NULL,"
        " last_error TEXT NOT NULL DEFAULT '',"
        " CONSTRAINT periodic_delivery_once UNIQUE (subscription_id, period),"
        " CONSTRAINT periodic_delivery_state_known CHECK (state IN"
        " ('sending', 'sent', 'failed')))"
    )


def _v7_kept_files(db: Database) -> None:
    """R9 by the console's clock: when each file in the documents folder was written
    (models/kept_files.py), so retention never goes by modification times."""
    db.execute_sql(
        "CREATE TABLE IF NOT EXISTS kept_file ("
        " salon VARCHAR(64) NOT NULL,"
        " counter VARCHAR(16) NOT NULL,"
        " path TEXT NOT NULL,"
        " kept_at TIMESTAMP NOT NULL,"
        " PRIMARY KEY (salon, counter, path))"
    )
    db.execute_sql("CREATE INDEX IF NOT EXISTS kept_file_at ON kept_file (kept_at)")


def _v8_audit_key(db: Database) -> None:
    """The audit journal's key record (models/audit_seal.py): which key keys the chain (its id,
    never the key) and from which entry on, sealed with that key. Entries already in the
    journal were written without a key: they stay as they are and are verified by the old
    rule up to `keyed_from`. The row is written by the first append after this step (the
    key comes from the keyring, which a migration does not touch), and never changed."""
    db.execute_sql(
        "CREATE TABLE IF NOT EXISTS audit_chain ("
        " id INTEGER NOT NULL PRIMARY KEY CHECK (id = 1),"
        " key_id TEXT NOT NULL,"
        " keyed_from INTEGER NOT NULL CHECK (keyed_from >= 1),"
        " mac TEXT NOT NULL)"
    )
    refusal = "the audit key record is never changed"
    if isinstance(db, PostgresqlDatabase):
        db.execute_sql(
            "CREATE OR REPLACE FUNCTION audit_chain_unchanged() RETURNS trigger"
            f" LANGUAGE plpgsql AS $$ BEGIN RAISE EXCEPTION '{refusal}'; END $$"
        )
        db.execute_sql(
            "CREATE TRIGGER audit_chain_no_change BEFORE UPDATE OR DELETE ON audit_chain"
            " FOR EACH ROW EXECUTE FUNCTION audit_chain_unchanged()"
        )
        db.execute_sql(
            "CREATE TRIGGER audit_chain_no_truncate BEFORE TRUNCATE ON audit_chain"
            " FOR EACH STATEMENT EXECUTE FUNCTION audit_chain_unchanged()"
        )
        return
    for event in ("UPDATE", "DELETE"):
        db.execute_sql(
            f"CREATE TRIGGER IF NOT EXISTS audit_chain_no_{event.lower()}"
            f" BEFORE {event} ON audit_chain BEGIN SELECT RAISE(ABORT, '{refusal}'); END"
        )


def _v9_document_register(db: Database) -> None:
    """The register holds every kind of document the console makes (models/documents.py):
    detalizations, confirmation slips, leaflets and daily logs, and which hash rules each was
    registered under (1: a detalization's summary and rows, before issue 12; 2: everything a
    reader sees)."""
    db.execute_sql("ALTER TABLE detalization_document ADD COLUMN kind VARCHAR(16) NOT NULL"
                   " DEFAULT 'detalization'")
    db.execute_sql("ALTER TABLE detalization_document ADD COLUMN hash_version INTEGER NOT NULL"
                   " DEFAULT 1")


def _v10_identity(db: Database) -> None:
    """R10 (models/identity_store.py): the identity check of the visit at each counter, and
    the mismatches that lock a subscriber's checks. Never a document number: a keyed hash
    and its last 4 characters."""
    db.execute_sql(
        "CREATE TABLE IF NOT EXISTS identity_visit ("
        " salon VARCHAR(64) NOT NULL,"
        " counter VARCHAR(16) NOT NULL,"
        " msisdn VARCHAR(16) NOT NULL,"
        " clerk VARCHAR(64) NOT NULL,"
        " presenter VARCHAR(16) NOT NULL,"
        " document VARCHAR(40) NOT NULL,"
        " number_hash VARCHAR(64) NOT NULL,"
        " last4 VARCHAR(4) NOT NULL,"
        " poa_number VARCHAR(64) NOT NULL DEFAULT '',"
        " poa_date DATE NULL,"
        " verified BOOLEAN NOT NULL DEFAULT TRUE,"
        " started_at TIMESTAMP NOT NULL,"
        " ends_at TIMESTAMP NOT NULL,"
        " PRIMARY KEY (salon, counter),"
        " CONSTRAINT identity_visit_presenter CHECK (presenter IN ('holder', 'representative')))"
    )
    ident = "SERIAL PRIMARY KEY" if isinstance(db, PostgresqlDatabase) else \
        "INTEGER PRIMARY KEY AUTOINCREMENT"
    db.execute_sql(
        "CREATE TABLE IF NOT EXISTS identity_mismatch ("
        f" id {ident},"
        " msisdn VARCHAR(16) NOT NULL,"
        " salon VARCHAR(64) NOT NULL,"
        " counter VARCHAR(16) NOT NULL,"
        " clerk VARCHAR(64) NOT NULL,"
        " at TIMESTAMP NOT NULL,"
        " cleared BOOLEAN NOT NULL DEFAULT FALSE)"
    )
    db.execute_sql("CREATE INDEX IF NOT EXISTS identity_mismatch_msisdn"
                   " ON identity_mismatch (msisdn, at)")


MIGRATIONS: dict[int, Migration] = {
    1: _v1_card_cache,
    2: _v2_audit_journal,
    3: _v3_clerks,
    4: _v4_outbox,
    5: _v5_usage_and_documents,
    6: _v6_delivery,
    7: _v7_kept_files,
    8: _v8_audit_key,
    9: _v9_document_register,
    10: _v10_identity,
}
LATEST = max(MIGRATIONS)


def current_version(db: Database) -> int:
    if not db.table_exists("schema_version"):
        return 0
    row = db.execute_sql("SELECT MAX(version) FROM schema_version").fetchone()
    return int(row[0] or 0)


def migrate(db: Database, target: int | None = None) -> int:
    """Apply every step above the recorded version up to `target` (default: the latest);
    return the new version."""
    target = LATEST if target is None else target
    with db.atomic():
        if isinstance(db, PostgresqlDatabase):
            db.execute_sql("SELECT pg_advisory_xact_lock(%s)", (_PG_LOCK_KEY,))
        db.execute_sql(
            "CREATE TABLE IF NOT EXISTS schema_version ("
            " version INTEGER NOT NULL PRIMARY KEY, applied_at TIMESTAMP NOT NULL)"
        )
    version = current_version(db)
    if version > LATEST:
        raise SchemaTooNew(
            f"the database has schema version {version}, this console knows up to {LATEST}"
        )
    for step in range(version + 1, target + 1):
        with db.atomic():
            if isinstance(db, PostgresqlDatabase):
                db.execute_sql("SELECT pg_advisory_xact_lock(%s)", (_PG_LOCK_KEY,))
            if current_version(db) >= step:  # another counter got there first
                continue
            MIGRATIONS[step](db)
            # The database's own clock: when a schema step ran is the machine's record, not
            # business time (the console's clock may be a training world's).
            db.execute_sql(
                "INSERT INTO schema_version (version, applied_at) "
                f"VALUES ({db.param}, CURRENT_TIMESTAMP)", (step,),
            )
    return current_version(db)
