"""The SMS outbox (sandbox only): what each subscriber's phone has received.

It stands for the phones, not for the operator's system, so it is not in the world's database:
an SMS with an access code carries the code in clear, and the operator's database never holds
a code in clear (R2). The phones keep their own SQLite file beside the world's
(`sandbox.db` → `sandbox-phones.db`, mode 0600), and it lives as long as the world does: a code
ordered by one `salon` command is on the phone for the next one, whether each command starts its
own embedded sandbox on the same data folder or all talk to one `salon sandbox`. Training mode
shows it to a new clerk; tests read the codes from it. The last `KEEP` messages per number are
kept; older ones are deleted with `secure_delete` and the WAL checkpointed, so their text is
overwritten, not left over.

Each call opens its own short connection: several processes share the file, and an SMS is
rare enough that a connection per message costs nothing a clerk would notice.
"""

from __future__ import annotations

import contextlib
import os
import sqlite3
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sandbox.wire import utc_iso

KEEP = 100

SCHEMA = """
CREATE TABLE IF NOT EXISTS sms (
    id INTEGER PRIMARY KEY AUTOINCREMENT,  -- never reused: newest first is id order
    sender TEXT NOT NULL,
    recipient TEXT NOT NULL,
    text TEXT NOT NULL,
    sent_at INTEGER NOT NULL               -- epoch seconds, the world's clock
);
CREATE INDEX IF NOT EXISTS sms_recipient ON sms (recipient, id);
"""


@dataclass(frozen=True)
class Sms:
    id: int
    sender: str
    to: str
    text: str
    sent_at: int

    def body(self) -> dict[str, Any]:
        return {"id": self.id, "from": self.sender, "to": self.to, "text": self.text,
                "sent_at": utc_iso(self.sent_at)}


def phones_path(world: Path) -> Path:
    """The phones' file beside the world's: sandbox.db → sandbox-phones.db."""
    return world.with_name(f"{world.stem}-phones{world.suffix}")


class SmsOutbox:
    def __init__(self, path: Path) -> None:
        self.path = path
        if not path.exists():  # the codes in it are the subscriber's: only this user reads it
            with contextlib.suppress(FileExistsError):
                os.close(os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600))
        with self._connection() as conn:
            conn.executescript(SCHEMA)

    def send(self, sender: str, to: str, text: str, at: int) -> Sms:
        with self._connection() as conn:
            conn.execute("BEGIN IMMEDIATE")
            sms_id = conn.execute(
                "INSERT INTO sms (sender, recipient, text, sent_at) VALUES (?, ?, ?, ?)",
                (sender, to, text, at)).lastrowid
            dropped = conn.execute(
                "DELETE FROM sms WHERE recipient = ? AND id NOT IN "
                "(SELECT id FROM sms WHERE recipient = ? ORDER BY id DESC LIMIT ?)",
                (to, to, KEEP)).rowcount
            conn.execute("COMMIT")
            if dropped:  # the old pages' images in the WAL go too, not only the rows
                conn.execute("PRAGMA wal_checkpoint(TRUNCATE)").fetchone()
        assert sms_id is not None
        return Sms(sms_id, sender, to, text, at)

    def received(self, msisdn: str) -> list[Sms]:
        """Newest first."""
        with self._connection() as conn:
            rows = conn.execute(
                "SELECT id, sender, recipient, text, sent_at FROM sms WHERE recipient = ? "
                "ORDER BY id DESC LIMIT ?", (msisdn, KEEP)).fetchall()
        return [Sms(*row) for row in rows]

    def everything(self) -> list[Sms]:
        """Every SMS the phones keep, newest first (TMF681's list)."""
        with self._connection() as conn:
            rows = conn.execute("SELECT id, sender, recipient, text, sent_at FROM sms "
                                "ORDER BY id DESC").fetchall()
        return [Sms(*row) for row in rows]

    def by_id(self, sms_id: int) -> Sms | None:
        with self._connection() as conn:
            row = conn.execute("SELECT id, sender, recipient, text, sent_at FROM sms "
                               "WHERE id = ?", (sms_id,)).fetchone()
        return None if row is None else Sms(*row)

    @contextlib.contextmanager
    def _connection(self) -> Iterator[sqlite3.Connection]:
        conn = sqlite3.connect(self.path, timeout=30, isolation_level=None)
        try:
            conn.execute("PRAGMA journal_mode=WAL")
            conn.execute("PRAGMA synchronous=FULL")  # an SMS answered as sent is on disk
            conn.execute("PRAGMA secure_delete=ON")
            yield conn
        finally:
            conn.close()
