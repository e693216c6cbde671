"""A kit's outcome, read from the JSON report Newman writes (`jsonResults.json`)."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any


@dataclass(frozen=True)
class KitResult:
    code: str
    folder: str
    ran: bool  # False: no report (the kit stopped before Newman ran, or timed out)
    requests: int = 0
    assertions: int = 0
    failures: int = 0  # Newman's failures: failed assertions, script errors, request errors
    details: list[str] = field(default_factory=list)
    note: str = ""  # why it did not run

    @property
    def passed(self) -> bool:
        return self.ran and self.failures == 0 and self.assertions > 0


def read_report(code: str, folder: str, report: Path) -> KitResult:
    run: dict[str, Any] = json.loads(report.read_text(encoding="utf-8"))["run"]
    stats = run["stats"]
    details = [_describe(failure) for failure in run.get("failures", [])]
    return KitResult(code, folder, True, requests=int(stats["requests"]["total"]),
                     assertions=int(stats["assertions"]["total"]), failures=len(details),
                     details=details)


def _describe(failure: dict[str, Any]) -> str:
    source = failure.get("source") or {}
    error = failure.get("error") or {}
    where = source.get("name") or error.get("test") or "?"
    test = error.get("test")
    what = f"{test}: " if test and test != where else ""
    return f"{where} — {what}{error.get('message', error.get('name', 'failed'))}"


def table(results: list[KitResult]) -> str:
    head = ("API", "kit", "requests", "assertions", "failures")
    rows = [(r.code, r.folder, str(r.requests), str(r.assertions),
             str(r.failures) if r.ran else "did not run") for r in results]
    widths = [max(len(row[i]) for row in (head, *rows)) for i in range(len(head))]

    def line(row: tuple[str, ...]) -> str:
        return "  ".join(cell.ljust(w) if i < 2 else cell.rjust(w)
                         for i, (cell, w) in enumerate(zip(row, widths, strict=True)))

    return "\n".join([line(head), line(tuple("-" * w for w in widths)), *map(line, rows)])
