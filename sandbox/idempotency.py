"""Idempotent writes: the first answer per `Idempotency-Key` is stored and replayed.

A write runs as `Idempotency.run(key, fingerprint, process)`:

1. The key is claimed in memory. A second request with a key that is being processed right now
   gets 409 `request_in_progress` (or 422 `idempotency_key_reused` if its request differs).
   The claim is in memory on purpose: the sandbox is one process, and a crash loses the claim
   together with the uncommitted work, so a key can never stay stuck "in progress".
2. A stored answer for the key is replayed verbatim (same status, same bytes), flagged by the
   header `Idempotent-Replayed: true`, if the request's fingerprint matches; else 422
   `idempotency_key_reused`.
3. Otherwise `process` runs inside ONE `BEGIN IMMEDIATE` transaction together with storing its
   answer: the change, its ledger fee and the stored answer commit together or not at all, so
   a crash can never apply without recording, nor record without applying.

Stored: successes, and errors that are decisions (`ApiError.stored`: refusals, version
mismatches, unknown numbers). Not stored: malformed requests (rejected before this), injected
faults and internal errors (rolled back; a retry runs afresh).
"""

from __future__ import annotations

import hashlib
import json
import re
import sqlite3
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

from sandbox.clock import Clock
from sandbox.errors import ApiError, dumps
from sandbox.store import Store

KEY_PATTERN = re.compile(r"^[A-Za-z0-9_-]{16,128}$")
REPLAYED_HEADER = "Idempotent-Replayed"


@dataclass
class Answer:
    status: int
    body: Any
    after_commit: Callable[[], None] | None = None  # e.g. deliver the SMS, once, if committed


@dataclass(frozen=True)
class Outcome:
    """What to send: the stored text exactly, and whether it is a replay."""

    status: int
    text: str
    replayed: bool


class Write:
    """The transaction a write runs in, and its clock stamp (if it adds ledger records)."""

    def __init__(self, conn: sqlite3.Connection, clock: Clock) -> None:
        self.conn = conn
        self._clock = clock
        self.instant: int | None = None

    def stamp(self) -> int:
        if self.instant is None:
            self.instant = self._clock.stamp(self.conn)
        return self.instant


def fingerprint(method: str, path: str, body: Any, **extra: Any) -> str:
    """A request's identity for key reuse: the canonical JSON of everything that matters."""
    canonical = json.dumps({"method": method, "path": path, "body": body, **extra},
                           sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(canonical.encode()).hexdigest()


def check_key(key: str | None) -> str:
    if key is None:
        raise ApiError(400, "bad_request", "The Idempotency-Key header is required: a unique "
                       "string of 16 to 128 letters, digits, '-' or '_' per write.")
    if not KEY_PATTERN.match(key):
        raise ApiError(400, "bad_request", "The Idempotency-Key must be 16 to 128 letters, "
                       "digits, '-' or '_'.")
    return key


class Idempotency:
    def __init__(self, store: Store, clock: Clock) -> None:
        self._store = store
        self._clock = clock
        self._lock = threading.Lock()
        self._in_flight: dict[str, str] = {}  # key → fingerprint

    @contextmanager
    def _claim(self, key: str, fp: str) -> Iterator[None]:
        with self._lock:
            busy = self._in_flight.get(key)
            if busy is not None:
                if busy != fp:
                    raise _reused()
                raise ApiError(409, "request_in_progress",
                               "A request with this Idempotency-Key is still being processed; "
                               "retry it in a moment with the same key.",
                               headers={"Retry-After": "1"})
            self._in_flight[key] = fp
        try:
            yield
        finally:
            with self._lock:
                del self._in_flight[key]

    def lookup(self, key: str) -> tuple[str, int, str] | None:
        """The stored answer for `key`, or None when no request with it was ever processed.
        Raises 409 `request_in_progress` while one is being processed (its answer may still
        be a success). Under the claim lock, so no request can claim the key between the two
        checks and slip through them both."""
        with self._lock:
            if key in self._in_flight:
                raise ApiError(409, "request_in_progress",
                               "A request with this Idempotency-Key is still being processed; "
                               "ask again in a moment.", headers={"Retry-After": "1"})
            return self.stored(key)

    def stored(self, key: str) -> tuple[str, int, str] | None:
        row = self._store.conn().execute(
            "SELECT fingerprint, status, body FROM idempotent_answers WHERE key = ?",
            (key,)).fetchone()
        return None if row is None else (str(row[0]), int(row[1]), str(row[2]))

    def run(self, key: str, fp: str, process: Callable[[Write], Answer]) -> Outcome:
        with self._claim(key, fp):
            found = self.stored(key)
            if found is not None:
                return _replay(found, fp)
            answer, text = self._commit(key, fp, process)
        if answer.after_commit is not None:
            answer.after_commit()
        return Outcome(answer.status, text, replayed=False)

    def _commit(self, key: str, fp: str,
                process: Callable[[Write], Answer]) -> tuple[Answer, str]:
        committed = False
        write: Write | None = None
        try:
            with self._store.write() as conn:
                write = Write(conn, self._clock)
                try:
                    answer = process(write)
                except ApiError as error:
                    if not error.stored:
                        raise
                    # Decisions are made before anything is written, so storing the refusal
                    # commits nothing else.
                    answer = Answer(error.status, error.body())
                text = dumps(answer.body)  # exactly these bytes now and for every retry
                conn.execute(
                    "INSERT INTO idempotent_answers (key, fingerprint, status, body, created_at) "
                    "VALUES (?, ?, ?, ?, ?)", (key, fp, answer.status, text, self._clock.now()))
            committed = True
        finally:
            if write is not None and write.instant is not None:
                self._clock.stamped(write.instant, committed)
        return answer, text


def _replay(found: tuple[str, int, str], fp: str) -> Outcome:
    stored_fp, status, text = found
    if stored_fp != fp:
        raise _reused()
    return Outcome(status, text, replayed=True)


def _reused() -> ApiError:
    return ApiError(422, "idempotency_key_reused",
                    "This Idempotency-Key was already used for a different request; use a new "
                    "key for a new request.")
