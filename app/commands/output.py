"""Printing for the command groups: JSON as the README documents it (UTF-8, not escaped), and
the one place a failure becomes JSON.

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

import json
import re
import sys
from datetime import UTC
from pathlib import Path
from typing import Any, TextIO

from app.errors import InputError, SalonError

_SPECIAL = {SalonError: "failed", InputError: "bad_input"}


def print_json(data: Any, out: TextIO) -> None:
    json.dump(data, out, ensure_ascii=False, indent=2)
    out.write("\n")


def with_report(error: SalonError, report: dict[str, Any]) -> SalonError:
    """`error`, carrying what the command had to say in --json: printed with the error."""
    error.json_report = report  # type: ignore[attr-defined]
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
    for name in ("attempts_left", "queued", "maybe_delivered", "current_version"):
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
    print(str(error), file=sys.stderr)
    if wants_json(args):
        report = getattr(error, "json_report", None) or {}
        print_json({**report, "error": error_object(error)}, out or sys.stdout)
    return error.exit_code
