"""`make conformance`'s clerk's day (conformance/clerks_day.py), kept short here: the console's
own services against a sandbox over loopback, every exchange recorded and held to the
documents, and the table printed. The full day (the heavy month) runs in `make conformance`."""

from __future__ import annotations

import secrets
from collections.abc import Iterator
from pathlib import Path

import pytest

from conformance.clerks_day import Detalization, report, run_day, two_days_ago
from sandbox.server import RunningSandbox, start_in_background
from tests.support.tmf_docs import docs_folder


@pytest.fixture
def sandbox(tmp_path: Path) -> Iterator[RunningSandbox]:
    running = start_in_background(tmp_path / "world.sqlite3", 2026, secrets.token_hex(8))
    try:
        yield running
    finally:
        running.stop()


def test_the_days_table_is_produced(sandbox: RunningSandbox) -> None:
    result = run_day(sandbox.url, sandbox.token, docs_folder(),
                     detalization=Detalization("+79161234567", two_days_ago))
    assert result.failed_steps == []
    names = [step for step, _outcome in result.steps]
    for wanted in ("lookup +79161234567", "identity check +79121234567", "catalog: tariffs",
                   "change_tariff SMART_PLUS",
                   "add_service FAVOURITE", "remove_service FAVOURITE", "connect_assistant",
                   "detalization +79161234567", "archive: upload", "archive: list",
                   "archive: fetch", "access code: issue", "access code: state",
                   "training phone: SMS", "access code: check"):
        assert wanted in names
    validation = result.validation
    made = sum(row.requests for row in validation.rows.values())
    assert made >= 20  # every request the console made is on a row
    assert validation.deviations == [], validation.deviations
    text = report(result)
    assert "API" in text and "requests validated" in text and "responses validated" in text
    assert not result.failed
