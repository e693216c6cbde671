"""Issue 12: a part built without the clock is a type error. `make test` and `make lint` run
mypy over the project; here mypy (its API, the project's own configuration) checks a small file
that builds the audit journal three ways, and reports exactly the two wrong ones: the clock
forgotten, and a wall-clock callable where a `Clock` is wanted.

test_one_clock.py checks the same rule from the other side (no `clock` parameter has a
default); this test shows that the type checker, not only a convention, holds it."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from mypy import api

ROOT = Path(__file__).resolve().parents[2]

SNIPPET = '''\
from datetime import UTC, datetime

from app.clock import SystemClock
from app.services.audit import AuditJournal
from models.audit_seal import JournalSeal


def forgotten(seal: JournalSeal) -> AuditJournal:
    return AuditJournal("S-1", "1", seal=seal)  # line 9


def wall_clock(seal: JournalSeal) -> AuditJournal:
    return AuditJournal("S-1", "1", lambda: datetime.now(UTC), seal=seal)  # line 13


def given(seal: JournalSeal) -> AuditJournal:
    return AuditJournal("S-1", "1", SystemClock(), seal=seal)
'''


def test_building_the_journal_without_its_clock_is_a_type_error(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    snippet = tmp_path / "builds_the_journal.py"
    snippet.write_text(SNIPPET, encoding="utf-8")
    monkeypatch.chdir(ROOT)  # where mypy finds the project's packages
    report, errors, status = api.run([
        str(snippet), "--config-file", str(ROOT / "pyproject.toml"),
        "--cache-dir", str(tmp_path / "mypy-cache"), "--no-error-summary",
    ])
    assert errors == ""
    found = {(int(line), code) for line, code in
             re.findall(r"builds_the_journal\.py:(\d+): error: .*\[([a-z-]+)\]$", report, re.M)}
    assert found == {(9, "call-arg"), (13, "arg-type")}, report
    assert 'Missing positional argument "clock"' in report
    assert 'expected "Clock"' in report
    assert status == 1
