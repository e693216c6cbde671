"""Everything a command prints goes through here.

- `say(out, text)`: one line. Text the console did not write itself — a subscriber's or a
  clerk's name, an operator's message, a file name, what was typed — may hold an ANSI escape,
  an OSC title sequence, BEL, a C1 control, a bidi override or a line break. Printed raw it
  would drive the terminal or pose as a line of its own; here each such character is shown as
  an escape (`\\x1b`, `\\u202e`, `\\n`). Cyrillic and every other printable letter stay as they
  are. The check is per character, so a whole line can be passed.
- `print_json(data, out)`: JSON as the README documents it (UTF-8, not ASCII-escaped), with
  those same characters as `\\uXXXX` escapes: valid JSON with the same values, safe to look at.
- `ReaderSafe`: the stream commands write to. When the reader has gone (`salon … | head -c1`)
  the rest of the output is dropped, quietly, and the command finishes what it was doing: a
  change already applied stays applied (it is in the journal and the outbox) and the exit code
  is the command's own, not a traceback's.

With `--json`, every refusal and failure of every command prints one object on stdout, the
command's exit code unchanged and the sentence on stderr as always:

    {"error": {"code": "rule_refused", "rule": "R7", "message": "…", "exit_code": 3}}

`code` names the kind of error (app/errors.py's class, snake_case: bad_phone_number,
subscriber_not_found, rule_refused, order_refused, code_locked, operator_unavailable,
print_failed, …; `failed` for a plain SalonError, `bad_input` for a plain InputError); `rule`
is the business rule a refusal names (R1, R7, before_activation, altered…) or null; a few
errors add what they know (`path` of a kept document, `until` of a lock, `attempts_left`,
`queued`). A command that had gathered a report before it failed (an order's preview and
outbox item, a verification's verdict) attaches it with `with_report`: its fields come first,
beside "error", in the same one object.
"""

from __future__ import annotations

import io
import json
import os
import re
import sys
import unicodedata
from datetime import UTC
from pathlib import Path
from typing import TYPE_CHECKING, Any, TextIO

from app.errors import InputError, SalonError
from printing.text import visible

if TYPE_CHECKING:
    from _typeshed import SupportsWrite

_SPECIAL = {SalonError: "failed", InputError: "bad_input"}

# What JSON itself leaves raw with ensure_ascii=False and a terminal must not get raw.
_UNSAFE_CATEGORIES = {"Cc", "Cf", "Zl", "Zp", "Cs", "Co", "Cn"}


def terminal_text(text: str) -> str:
    """`text` with every character that could drive a terminal shown as an escape."""
    return visible(text, backslashes=False)


def say(out: SupportsWrite[str], text: str = "") -> None:
    """Print one line of a command's output (see the module's docstring)."""
    out.write(terminal_text(text) + "\n")


def print_json(data: Any, out: SupportsWrite[str]) -> None:
    out.write(json_text(data) + "\n")


def json_text(data: Any) -> str:
    text = json.dumps(data, ensure_ascii=False, indent=2)
    if text.isascii() and "\x7f" not in text:  # json.dumps escaped the other controls
        return text
    # json escapes C0 controls inside strings itself, so a raw line break is the indentation's;
    # the rest can only be inside a string (outside, JSON is ASCII): escaping it there keeps
    # the value.
    return "".join(_json_escape(c) if c != "\n" and unicodedata.category(c) in _UNSAFE_CATEGORIES
                   else c for c in text)


def _json_escape(char: str) -> str:
    code = ord(char)
    if code < 0x10000:
        return f"\\u{code:04x}"
    code -= 0x10000
    return f"\\u{0xD800 + (code >> 10):04x}\\u{0xDC00 + (code & 0x3FF):04x}"


class ReaderSafe(io.TextIOBase):
    """A text stream that stops writing, without an error, once its reader has gone."""

    def __init__(self, stream: TextIO | io.TextIOBase) -> None:
        super().__init__()
        self._stream = stream
        self.reader_gone = False

    def write(self, text: str) -> int:
        if not self.reader_gone:
            try:
                self._stream.write(text)
            except BrokenPipeError:
                self._silence()
        return len(text)

    def flush(self) -> None:
        if not self.reader_gone:
            try:
                self._stream.flush()
            except BrokenPipeError:
                self._silence()

    def isatty(self) -> bool:
        return not self.reader_gone and self._stream.isatty()

    def writable(self) -> bool:
        return True

    # typeshed declares TextIOBase.encoding a plain attribute; it is a read-only property.
    @property
    def encoding(self) -> str:  # type: ignore[override]
        return getattr(self._stream, "encoding", None) or "utf-8"

    def _silence(self) -> None:
        self.reader_gone = True
        silence(self._stream)


def silence(stream: TextIO | io.TextIOBase) -> None:
    """Point `stream`'s file descriptor at /dev/null: what is still buffered in it (and the
    interpreter's flush at exit) then goes nowhere instead of raising BrokenPipeError."""
    try:
        descriptor = stream.fileno()
    except (AttributeError, OSError, ValueError):  # not a real file: nothing to redirect
        return
    null = os.open(os.devnull, os.O_WRONLY)
    try:
        os.dup2(null, descriptor)
    finally:
        os.close(null)


def flush_quietly(stream: TextIO) -> None:
    """Flush at the end of a command; a reader that has gone is no error."""
    try:
        stream.flush()
    except BrokenPipeError:
        silence(stream)
    except (OSError, ValueError):  # closed by the caller: nothing left to flush
        pass



def with_report(error: SalonError, report: dict[str, Any]) -> SalonError:
    """`error`, carrying what the command had to say in --json: printed with the error."""
    error.json_report = report
    return error


def wants_json(args: object) -> bool:
    return bool(getattr(args, "json", False)) or "--json" in (getattr(args, "extra", None)
                                                              or ())


def error_object(error: SalonError) -> dict[str, Any]:
    found: dict[str, Any] = {"code": error_code(error), "rule": getattr(error, "rule", None),
                             "message": str(error), "exit_code": error.exit_code}
    path = getattr(error, "path", None)
    if isinstance(path, Path):
        found["path"] = str(path)
    until = getattr(error, "until", None)
    if until is not None:
        found["until"] = until.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
    for name in ("attempts_left", "queued", "maybe_delivered", "current_version",
                 "current_state"):
        if hasattr(error, name):
            found[name] = getattr(error, name)
    return found


def error_code(error: SalonError) -> str:
    kind = type(error)
    if kind in _SPECIAL:
        return _SPECIAL[kind]
    return re.sub(r"(?<!^)(?=[A-Z])", "_", kind.__name__).lower()


def report_failure(args: object, error: SalonError, out: TextIO | None = None) -> int:
    """Say why a command failed: the sentence on stderr; with --json also the one object on
    stdout. Returns the exit code."""
    say(ReaderSafe(sys.stderr), str(error))
    if wants_json(args):
        report = error.json_report or {}
        print_json({**report, "error": error_object(error)}, ReaderSafe(out or sys.stdout))
    return error.exit_code
