"""The personal document archive (R8, R9): detalizations a subscriber ordered into it.

A document is kept `KEEP_S` = 3 days of the sandbox clock. After that it is gone: the metadata
stays (so a fetch answers 410 `document_expired`, not 404), the bytes are deleted. Deleting is
real: the database runs with `secure_delete=ON` (freed pages are zeroed) and the WAL is
checkpointed and truncated after a purge, so the content is not readable anywhere in the files.
Expired documents are purged whenever the archive is used, when the clock is moved, and when
the sandbox starts.
"""

from __future__ import annotations

import hashlib
import secrets
import sqlite3
from dataclasses import dataclass
from typing import Any
from urllib.parse import unquote

from sandbox.store import Store
from sandbox.wire import utc_iso

KEEP_S = 3 * 86400
MAX_BYTES = 50 * 1024 * 1024
MAX_NAME = 200
# R8: web page, text document (PDF, plain text), spreadsheet (XLSX, CSV).
CONTENT_TYPES = (
    "text/html",
    "application/pdf",
    "text/plain",
    "text/csv",
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
)


class BadDocument(ValueError):
    pass


@dataclass(frozen=True)
class Document:
    id: str
    msisdn: str
    name: str
    content_type: str
    size: int
    sha256: str
    uploaded_at: int
    expires_at: int

    def body(self) -> dict[str, Any]:
        return {"id": self.id, "name": self.name, "content_type": self.content_type,
                "size": self.size, "sha256": self.sha256, "uploaded_at": utc_iso(self.uploaded_at),
                "expires_at": utc_iso(self.expires_at)}


def document_name(header: str | None) -> str:
    """X-Document-Name: the file name, percent-encoded UTF-8 (headers are ASCII)."""
    if header is None or not header.strip():
        raise BadDocument("The X-Document-Name header is required (percent-encoded UTF-8).")
    try:
        name = unquote(header.strip(), errors="strict")
    except UnicodeDecodeError:
        raise BadDocument("X-Document-Name must be percent-encoded UTF-8.") from None
    return plain_name(name, "X-Document-Name")


def plain_name(name: str, what: str = "The document's name") -> str:
    """A file name the archive keeps: at most MAX_NAME characters, no slashes or control
    characters (the same rule for the /v1 header and the TMF667 `name`)."""
    if not name or len(name) > MAX_NAME or any(c in name for c in "/\\") or \
            any(ord(c) < 32 or ord(c) == 127 for c in name):
        raise BadDocument(f"{what} must be a plain file name of at most {MAX_NAME} "
                          "characters, without slashes or control characters.")
    return name


def content_type(header: str | None) -> str:
    """The Content-Type as sent, if its media type is one the archive keeps."""
    base = (header or "").split(";")[0].strip().lower()
    if base not in CONTENT_TYPES:
        raise BadDocument(f"The archive keeps {', '.join(CONTENT_TYPES)}; not {base or 'none'}.")
    return str(header).strip()


def insert(conn: sqlite3.Connection, msisdn: str, name: str, media_type: str, content: bytes,
           now: int) -> Document:
    doc = Document("doc_" + secrets.token_hex(12), msisdn, name, media_type, len(content),
                   hashlib.sha256(content).hexdigest(), now, now + KEEP_S)
    conn.execute("INSERT INTO documents VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                 (doc.id, doc.msisdn, doc.name, doc.content_type, doc.size, doc.sha256,
                  doc.uploaded_at, doc.expires_at))
    conn.execute("INSERT INTO document_bytes (document_id, content) VALUES (?, ?)",
                 (doc.id, content))
    return doc


_COLUMNS = "id, msisdn, name, content_type, size, sha256, uploaded_at, expires_at"


def find(store: Store, document_id: str) -> Document | None:
    row = store.conn().execute(f"SELECT {_COLUMNS} FROM documents WHERE id = ?",
                               (document_id,)).fetchone()
    return None if row is None else Document(*row)


def unexpired(store: Store, msisdn: str, now: int) -> list[Document]:
    rows = store.conn().execute(
        f"SELECT {_COLUMNS} FROM documents WHERE msisdn = ? AND expires_at > ? "
        "ORDER BY uploaded_at DESC, rowid DESC", (msisdn, now)).fetchall()
    return [Document(*row) for row in rows]


def all_unexpired(store: Store, now: int) -> list[Document]:
    """Every subscriber's unexpired documents, newest first."""
    rows = store.conn().execute(
        f"SELECT {_COLUMNS} FROM documents WHERE expires_at > ? "
        "ORDER BY uploaded_at DESC, rowid DESC", (now,)).fetchall()
    return [Document(*row) for row in rows]


def content(store: Store, document_id: str) -> bytes | None:
    row = store.conn().execute("SELECT content FROM document_bytes WHERE document_id = ?",
                               (document_id,)).fetchone()
    return None if row is None else bytes(row[0])


def purge_expired(store: Store, now: int) -> int:
    """Delete the bytes of every expired document; returns how many were deleted."""
    due = store.conn().execute(
        "SELECT 1 FROM document_bytes JOIN documents ON documents.id = document_id "
        "WHERE expires_at <= ? LIMIT 1", (now,)).fetchone()
    if due is None:
        return 0
    with store.write() as conn:
        deleted = conn.execute(
            "DELETE FROM document_bytes WHERE document_id IN "
            "(SELECT id FROM documents WHERE expires_at <= ?)", (now,)).rowcount
    if deleted:
        store.checkpoint()
    return int(deleted)
