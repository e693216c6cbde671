"""The training sandbox of a data folder (sandbox/resident.py): started once by the first user,
reached by the next ones, kept while anyone uses it, gone after `idle_s` unused, and stopped on
request. Real processes on loopback; no timing is asserted, only what happens."""

from __future__ import annotations

import json
import os
import stat
import subprocess
import time
from pathlib import Path

import httpx
import pytest

from sandbox.resident import RUN_FILE, ResidentFailed, reach, stop
from sandbox.store import Store
from tests.conftest import write_ini
from tests.integration.test_lookup_end_to_end import SALON
from tests.support.pinned import WORLD_AT
from tests.support.processes import alive

SEED = 2026


def _gone_within(pid: int, seconds: float) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if not alive(pid):
            return True
        time.sleep(0.1)
    return False


def test_the_first_user_starts_it_and_the_next_reaches_the_same(tmp_path: Path) -> None:
    first = reach(tmp_path, SEED)
    try:
        second = reach(tmp_path, SEED)
        assert (second.pid, second.url, second.token) == (first.pid, first.url, first.token)
        answer = httpx.get(f"{first.url}/tmf-api/productInventory/v4/product?limit=1",
                           headers={"Authorization": f"Bearer {first.token}"})
        assert answer.status_code == 200
        unsigned = httpx.get(f"{first.url}/tmf-api/productInventory/v4/product?limit=1")
        assert unsigned.status_code == 401  # the token is the sandbox's own
        # The token is in a file only this user can read, never in salon.ini.
        mode = stat.S_IMODE((tmp_path / RUN_FILE).stat().st_mode)
        assert mode == 0o600
        assert json.loads((tmp_path / RUN_FILE).read_text())["pid"] == first.pid
        second.release()
    finally:
        first.release()
        assert stop(tmp_path)
    assert not (tmp_path / RUN_FILE).exists()
    assert _gone_within(first.pid, 10)
    assert not stop(tmp_path)  # nothing left to stop


def test_it_stays_while_used_and_ends_when_unused(tmp_path: Path) -> None:
    user = reach(tmp_path, SEED, idle_s=1)
    try:
        time.sleep(3)  # well past idle_s: still used, so still there
        assert alive(user.pid)
        assert (tmp_path / RUN_FILE).exists()
    finally:
        user.release()
    assert _gone_within(user.pid, 20)
    assert not (tmp_path / RUN_FILE).exists()
    again = reach(tmp_path, SEED, idle_s=1)  # the next user starts a new one
    try:
        assert again.pid != user.pid and alive(again.pid)
    finally:
        again.release()
        stop(tmp_path)


def test_a_sandbox_of_another_seed_is_stopped_for_salon_inis(tmp_path: Path) -> None:
    """salon.ini's seed changed: the running sandbox (of the old seed) is stopped; this
    world's file keeps its seed, so the new one refuses it with a sentence, not a hang."""
    old = reach(tmp_path, SEED)
    old.release()
    with pytest.raises(ResidentFailed, match=r"seed"):
        reach(tmp_path, SEED + 1)
    assert _gone_within(old.pid, 10)
    assert not (tmp_path / RUN_FILE).exists()


def test_a_world_of_another_seed_is_a_sentence_not_a_hang(tmp_path: Path) -> None:
    store = Store.open(tmp_path / "sandbox.db", SEED + 5, now=WORLD_AT)
    store.close()
    with pytest.raises(ResidentFailed) as failed:
        reach(tmp_path, SEED, start_timeout=60)
    assert failed.value.reason == "another_seed" and "seed" in str(failed.value)
    assert not (tmp_path / RUN_FILE).exists()


def test_a_bad_code_key_is_a_sentence_not_a_hang(tmp_path: Path,
                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    """The key handed in (SALON_SANDBOX_CODE_KEY) is not 64 hex digits: the sandbox says
    so and ends; no sandbox is left for the next command."""
    monkeypatch.setenv("SALON_SANDBOX_CODE_KEY", "not-a-key")
    with pytest.raises(ResidentFailed) as failed:
        reach(tmp_path, SEED, start_timeout=60)
    assert failed.value.reason == "bad_code_key" and "64 hexadecimal" in str(failed.value)
    assert not (tmp_path / RUN_FILE).exists()


def test_a_sandbox_not_started_in_time_is_a_timeout_and_stopped(tmp_path: Path) -> None:
    """Not up within `start_timeout`: the caller hears "timeout", and the late sandbox is
    stopped rather than left running for nobody."""
    with pytest.raises(ResidentFailed) as failed:
        reach(tmp_path, SEED, start_timeout=0.01)
    assert failed.value.reason == "timeout"
    deadline = time.monotonic() + 20
    while _started_for(tmp_path) and time.monotonic() < deadline:
        time.sleep(0.1)
    assert not _started_for(tmp_path), "the late sandbox was left running"
    assert not (tmp_path / RUN_FILE).exists()


def _started_for(data_dir: Path) -> list[int]:
    """The training sandboxes started for `data_dir` still running (by command line)."""
    found = subprocess.run(["pgrep", "-f", f"sandbox.resident {data_dir.resolve()} "],
                           capture_output=True, text=True).stdout.split()
    return [int(pid) for pid in found if alive(int(pid))]


def test_the_clerk_reads_why_in_the_consoles_language(tmp_path: Path) -> None:
    """The sandbox's own words go to the log; the clerk reads a sentence in Russian."""
    data = tmp_path / "data"
    data.mkdir()
    Store.open(data / "sandbox.db", SEED + 5, now=WORLD_AT).close()
    env = {**os.environ, "SALON_CONFIG": str(write_ini(tmp_path, salon={"language": "ru"}))}
    env.pop("SALON_LANGUAGE", None)
    done = subprocess.run([SALON, "tariffs"], env=env, capture_output=True, text=True,
                          timeout=120)
    assert done.returncode == 2
    assert "Учебный мир не открывается" in done.stderr and "другого" in done.stderr
    assert "holds the world" not in done.stderr  # the sandbox's English stays in the log
    assert "holds the world of seed" in (data / "logs" / "salon.log").read_text("utf-8")
