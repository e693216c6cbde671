"""Access codes of the Electronic Assistant (R1, R2, R3).

- R1: only on mass-class tariffs, only with the Assistant connected, not for blocked numbers.
- R2: a code is 6 digits from `secrets`, delivered only by SMS (from 6262) to the subscriber's
  own phone; the database keeps HMAC-SHA256(world key, "msisdn:code"), never the code, and no
  answer or log line ever carries it.
- R3: failures count per subscriber (not per counter or terminal). With a fresh count a
  subscriber has `MAX_ENTRIES` = 4 entries: a wrong one answers `attempts_left` 3, 2, 1, and
  the 4th consecutive wrong entry ("more than 3") locks access for 24 hours of the sandbox
  clock. A correct entry resets the count. While locked every entry, even the right code,
  answers `locked` and is not counted. When the lock ends the count is fresh and the same code
  works again. Ordering a new code replaces the old one (which stops working) but keeps the
  count and any lock: a new code is not a way around R3.

Every verification is one `BEGIN IMMEDIATE` transaction (read the count, compare, write the
count), so parallel guesses are serialized and never get more than the allowed tries.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
import sqlite3
from dataclasses import dataclass
from typing import Any

from sandbox.catalog import MASS, TARIFFS_BY_CODE
from sandbox.entities import BLOCKED, SubscriberState
from sandbox.errors import refused
from sandbox.wire import utc_iso

MAX_ENTRIES = 4  # R3: more than 3 wrong entries lock: the 4th consecutive wrong one
LOCK_S = 24 * 3600
SENDER = "6262"
CODE_DIGITS = 6


@dataclass(frozen=True)
class CodeRow:
    code_hash: str | None
    issued_at: int | None
    failures: int
    locked_until: int | None

    def locked(self, now: int) -> bool:
        return self.locked_until is not None and self.locked_until > now

    def current(self, now: int) -> CodeRow:
        """As of `now`: a lock that has ended leaves a fresh count."""
        if self.locked_until is not None and self.locked_until <= now:
            return CodeRow(self.code_hash, self.issued_at, 0, None)
        return self


NO_ROW = CodeRow(None, None, 0, None)


def check_eligible(state: SubscriberState, now: int) -> None:
    """Raise the refusal (422 rule_refused) if this number may not have an access code."""
    if state.status == BLOCKED:
        raise refused("subscriber_blocked", "The number is blocked; the Electronic Assistant "
                                            "is not available to it.")
    if TARIFFS_BY_CODE[state.tariff_code_at(now)].tariff_class != MASS:
        raise refused("R1", "The Electronic Assistant and its access code are not available on "
                            "corporate and VIP tariff plans.")
    if not any(p.service_code == "ASSISTANT" for p in state.services_at(now)):
        raise refused("assistant_not_connected", "The Electronic Assistant is not connected to "
                                                 "this number; connect it first (free).")


def code_hash(key: str, msisdn: str, code: str) -> str:
    return hmac.new(bytes.fromhex(key), f"{msisdn}:{code}".encode(), hashlib.sha256).hexdigest()


def new_code() -> str:
    return f"{secrets.randbelow(10 ** CODE_DIGITS):0{CODE_DIGITS}d}"


def sms_text(code: str) -> str:
    return (f"Код доступа к Электронному Помощнику: {code}. Никому не сообщайте его, "
            "сотрудники оператора его не спрашивают.")


def load(conn: sqlite3.Connection, msisdn: str) -> CodeRow:
    row = conn.execute("SELECT code_hash, issued_at, failures, locked_until FROM access_codes "
                       "WHERE msisdn = ?", (msisdn,)).fetchone()
    return NO_ROW if row is None else CodeRow(*row)


def save(conn: sqlite3.Connection, msisdn: str, row: CodeRow) -> None:
    conn.execute(
        "INSERT INTO access_codes (msisdn, code_hash, issued_at, failures, locked_until) "
        "VALUES (?, ?, ?, ?, ?) ON CONFLICT (msisdn) DO UPDATE SET code_hash = "
        "excluded.code_hash, issued_at = excluded.issued_at, failures = excluded.failures, "
        "locked_until = excluded.locked_until",
        (msisdn, row.code_hash, row.issued_at, row.failures, row.locked_until))


def issue(conn: sqlite3.Connection, key: str, msisdn: str, now: int) -> tuple[CodeRow, str]:
    """A new code replaces the old one; the count and any lock stay. Returns the new row and
    the code, which the caller hands to the SMS outbox and nowhere else."""
    code = new_code()
    row = load(conn, msisdn).current(now)
    row = CodeRow(code_hash(key, msisdn, code), now, row.failures, row.locked_until)
    save(conn, msisdn, row)
    return row, code


def verify(conn: sqlite3.Connection, key: str, msisdn: str, code: str, now: int) -> dict[str,
                                                                                        Any]:
    """One entry, inside the caller's BEGIN IMMEDIATE transaction."""
    stored = load(conn, msisdn)
    row = stored.current(now)
    if row.locked(now):
        assert row.locked_until is not None
        return {"result": "locked", "locked_until": utc_iso(row.locked_until)}
    if row.code_hash is None:
        result: dict[str, Any] = {"result": "no_code"}
    elif hmac.compare_digest(row.code_hash, code_hash(key, msisdn, code)):
        row = CodeRow(row.code_hash, row.issued_at, 0, None)
        result = {"result": "ok"}
    elif row.failures + 1 >= MAX_ENTRIES:
        row = CodeRow(row.code_hash, row.issued_at, MAX_ENTRIES, now + LOCK_S)
        result = {"result": "locked", "locked_until": utc_iso(now + LOCK_S)}
    else:
        row = CodeRow(row.code_hash, row.issued_at, row.failures + 1, None)
        result = {"result": "wrong", "attempts_left": MAX_ENTRIES - row.failures}
    if row != stored:
        save(conn, msisdn, row)
    return result


def state_body(row: CodeRow, now: int) -> dict[str, Any]:
    """The access-code resource: state none | active | locked, and the sandbox clock's `now`
    at the answer (a client counts a lock down from it, not from its own clock)."""
    row = row.current(now)
    locked = row.locked(now)
    return {
        "state": "locked" if locked else ("active" if row.code_hash else "none"),
        "issued_at": None if row.issued_at is None else utc_iso(row.issued_at),
        "attempts_left": 0 if locked else MAX_ENTRIES - row.failures,
        "locked_until": utc_iso(row.locked_until) if locked and row.locked_until else None,
        "now": utc_iso(now),
    }
