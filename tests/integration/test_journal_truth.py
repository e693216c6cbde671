"""The journal tells the truth about paper (issue 12, point 6): a confirmation slip that was only
saved is journaled as saved, never as printed; "print done" is written only for a CUPS job that
reached `completed` — against the suite's private cupsd, and with no cupsd at all.

Each case runs `salon service add … --yes` as a subprocess on the embedded training sandbox and
reads the journal back with `salon audit tail --json` as the training manager."""

from __future__ import annotations

import json
from pathlib import Path

from tests.integration.test_delivery_cli import env_for, salon
from tests.support.cups import FAILING_QUEUE, PDF_QUEUE, PrivateCups

KUBAN = "8 918 123-45-67"  # a mass-tariff number the training world serves


def journal(env: dict[str, str], since: int) -> list[dict[str, str]]:
    manager = {**env, "SALON_CLERK": "manager", "SALON_PASSWORD": "manager-demo"}
    tail = salon(manager, "audit", "tail", "-n", "50", "--json")
    assert tail.returncode == 0, tail.stderr
    return [e for e in json.loads(tail.stdout)
            if e["seq"] > since and e["action"] not in ("sign_in", "sign_out", "lookup")]


def last_seq(env: dict[str, str]) -> int:
    entries = journal(env, 0)
    return max((e["seq"] for e in entries), default=0)


def add_service(env: dict[str, str], *deliver: str) -> tuple[int, dict, str]:
    done = salon(env, "service", "add", KUBAN, "favourite", "--yes", "--json", *deliver)
    return done.returncode, json.loads(done.stdout), done.stderr


def actions(entries: list[dict[str, str]]) -> list[tuple[str, str]]:
    return [(e["action"], e["result"]) for e in entries]


def test_a_slip_only_saved_is_journaled_as_saved(tmp_path: Path) -> None:
    env = env_for(tmp_path)
    before = last_seq(env)
    code, report, err = add_service(env)
    assert code == 0, err
    entries = journal(env, before)
    assert actions(entries) == [("service_add", "done"), ("document_save", "done")]
    saved = entries[1]
    assert Path(report["slip_path"]).name in saved["detail"]
    assert "confirmation slip" in saved["detail"]


def test_print_done_only_for_a_completed_cups_job(cups: PrivateCups, tmp_path: Path) -> None:
    cups.cancel_all()
    env = env_for(tmp_path, printing={"server": str(cups.socket), "printer": PDF_QUEUE})
    before = last_seq(env)
    code, report, err = add_service(env, "--deliver", "paper")
    assert code == 0, err
    job = report["delivery"]["print_job"]
    assert job["state"] == "done"
    assert cups.printed(job["cups_job_id"]).is_file()  # it really came out of the queue
    entries = journal(env, before)
    assert actions(entries) == [("service_add", "done"), ("document_save", "done"),
                                ("print", "done")]
    assert f"CUPS job {job['cups_job_id']}" in entries[2]["detail"]


def test_a_job_cups_aborted_is_journaled_failed_not_done(cups: PrivateCups,
                                                         tmp_path: Path) -> None:
    cups.cancel_all()
    env = env_for(tmp_path, printing={"server": str(cups.socket), "printer": FAILING_QUEUE})
    before = last_seq(env)
    code, report, _err = add_service(env, "--deliver", "paper")
    assert code == 6  # the change is done, its slip kept, the paper failed
    assert report["status"] == "done" and Path(report["slip_path"]).is_file()
    assert actions(journal(env, before)) == [("service_add", "done"),
                                             ("document_save", "done"), ("print", "failed")]


def test_without_cupsd_the_slip_is_saved_and_the_print_failed(tmp_path: Path) -> None:
    env = env_for(tmp_path, printing={"server": str(tmp_path / "no-cups.sock"),
                                      "printer": PDF_QUEUE})
    before = last_seq(env)
    code, report, err = add_service(env, "--deliver", "paper")
    assert code == 6 and "cannot be reached" in err
    assert Path(report["slip_path"]).is_file()
    entries = journal(env, before)
    assert actions(entries) == [("service_add", "done"), ("document_save", "done"),
                                ("print", "failed")]
    assert all(e["action"] != "print" or e["result"] != "done" for e in entries)
