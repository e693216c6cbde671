"""The hash a document carries: SHA-256 of its canonical content (printing/canonical.py).

A document shows its own hash (and `SALON-DOC:<id>:<hash>`), which cannot be part of what the
hash covers: wherever it is shown, the canonical content holds PLACEHOLDER instead. A writer
computes the hash over exactly what it writes — with the placeholder — and fills the real hash
in last; a reader replaces the hash the file claims by the placeholder before hashing.

- `LineDigest`: content as lines of cells (a PDF's text layer, a workbook's cells); each line
  is hashed as a JSON array, so no text inside a cell can pose as a cell boundary.
- `HashedText`: a text file (HTML, CSV, plain text) hashed byte for byte as written; the
  places the hash goes are written as the placeholder and patched when the file is complete.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable, Iterable, Sequence
from json.encoder import encode_basestring
from pathlib import Path
from types import TracebackType

VERSION = "salon-document/2"
PLACEHOLDER = "0" * 64
PENDING_BYTES = 1 << 20  # a text file's bytes held before they are hashed and written


class LineDigest:
    def __init__(self, fmt: str) -> None:
        self._hash = hashlib.sha256(f"{VERSION} {fmt}\n".encode())
        self._buffer: list[str] = []

    def add(self, line: Sequence[str]) -> None:
        self._buffer.append(line_json(line))
        if len(self._buffer) >= 4096:
            self._flush()

    def add_json(self, lines: Iterable[str]) -> None:
        """Lines already as `line_json` gives them (a writer that makes a heavy document's
        table rows' JSON from pieces it keeps)."""
        self._buffer.extend(lines)
        if len(self._buffer) >= 4096:
            self._flush()

    def extend(self, lines: Iterable[Sequence[str]]) -> None:
        for line in lines:
            self.add(line)

    def hexdigest(self) -> str:
        self._flush()
        return self._hash.hexdigest()

    def _flush(self) -> None:
        if self._buffer:
            self._hash.update(("\n".join(self._buffer) + "\n").encode())
            self._buffer.clear()


def line_json(line: Sequence[str]) -> str:
    """A line of cells as it is hashed: `["a", "b"]`, each cell as `cell_json` gives it."""
    return json.dumps(list(line), ensure_ascii=False)


# One cell as `line_json` writes it (json.dumps quotes a str, when not ASCII-only, with this
# very function, in C): a writer can make a line's JSON from its cells'.
cell_json: Callable[[str], str] = encode_basestring


def text_digest(fmt: str, content: bytes) -> str:
    """The hash of a text document's bytes (the claimed hash already replaced)."""
    return hashlib.sha256(f"{VERSION} {fmt}\n".encode() + content).hexdigest()


class HashedText:
    """A text file written once, front to back, whose hash covers every byte written.

        with HashedText(path, "csv", bom=True) as out:
            out.write("…"); out.write_hash(); …
        out.sha256  # the hash; the file now shows it wherever write_hash() was called
    """

    def __init__(self, path: Path, fmt: str, *, bom: bool = False) -> None:
        self._path = path
        self._fmt = fmt
        self._file = path.open("wb")
        self._hash = hashlib.sha256(f"{VERSION} {fmt}\n".encode())
        self._spots: list[int] = []
        self._offset = 0
        self._pending: list[bytes] = []
        self._pending_bytes = 0
        self.sha256 = ""
        if bom:
            self._put(b"\xef\xbb\xbf")

    def write(self, text: str) -> int:
        self._put(text.encode("utf-8"))
        return len(text)

    def write_hash(self) -> None:
        self._spots.append(self._offset)
        self._put(PLACEHOLDER.encode())

    def _put(self, data: bytes) -> None:
        self._pending.append(data)
        self._offset += len(data)
        self._pending_bytes += len(data)
        # many small writes are joined (fast), but never more than PENDING_BYTES held: a
        # writer may hand over thousands of rows at once
        if len(self._pending) >= 2048 or self._pending_bytes >= PENDING_BYTES:
            self._drain()

    def _drain(self) -> None:
        data = b"".join(self._pending)
        self._pending.clear()
        self._pending_bytes = 0
        self._hash.update(data)
        self._file.write(data)

    def close(self) -> str:
        self._drain()
        self.sha256 = self._hash.hexdigest()
        for spot in self._spots:
            self._file.seek(spot)
            self._file.write(self.sha256.encode())
        self._file.close()
        return self.sha256

    def __enter__(self) -> HashedText:
        return self

    def __exit__(self, kind: type[BaseException] | None, error: BaseException | None,
                 trace: TracebackType | None) -> None:
        if kind is None:
            self.close()
        else:
            self._file.close()
