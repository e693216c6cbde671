"""A randomized trial of a few hundred orders through the console's own OrderService, outbox
and pump against the real sandbox with faults on (503s, drops before and after applying), a
fixed seed: every intended order ends applied exactly once, none lost (benchmarks/
outbox_faults.py runs the longer one)."""

from __future__ import annotations

from pathlib import Path

from benchmarks.outbox_faults import run_trial


def test_every_order_is_applied_exactly_once_through_faults(tmp_path: Path) -> None:
    report = run_trial(tmp_path, 240, seed=2026)
    assert report.orders == 240
    assert report.not_done == []
    assert (report.lost, report.doubled) == (0, 0)
    assert report.applied_once == 240
    assert report.fees_checked > 50 and report.balances_checked == 240
    # The faults really bit, on both paths: done in the submit, and queued then sent.
    assert report.done_in_submit > 100 and report.queued >= 5
    assert report.faults["maybe_delivered"] >= 1 and report.preview_retries >= 1
