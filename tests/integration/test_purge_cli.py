"""`salon purge` (R9) says what was purged, the purge at the console's start included, and the
journal says when each purge ran and what it removed (issue 12, point 10: `salon purge --json`
reported 0 right after the start-up purge had removed 114,040 records)."""

from __future__ import annotations

import json
import sqlite3
import subprocess
from contextlib import closing
from datetime import datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

SALON = str(Path(__file__).resolve().parents[2] / ".venv" / "bin" / "salon")
MARIA = "+79161234567"
RETENTION_DAYS = 3  # salon.ini's default [retention] days


def salon(env: dict[str, str], *args: str,
          clerk: str = "clerk") -> subprocess.CompletedProcess[str]:
    password = {"clerk": "clerk-demo", "manager": "manager-demo"}[clerk]
    done = subprocess.run([SALON, *args], env={**env, "SALON_CLERK": clerk,
                                               "SALON_PASSWORD": password},
                          stdin=subprocess.DEVNULL, capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr
    return done


def test_purge_reports_what_the_start_up_purge_removed_and_the_journal_says_when(
        salon_env: dict[str, str], tmp_path: Path) -> None:
    # A few days just before the sandbox's "today" in Moscow, computed from its clock.
    now = datetime.fromisoformat(json.loads(
        salon(salon_env, "sandbox", "clock", "--json").stdout)["now"].replace("Z", "+00:00"))
    last = now.astimezone(ZoneInfo("Europe/Moscow")).date() - timedelta(days=1)
    first = last - timedelta(days=2)
    ordered = json.loads(salon(
        salon_env, "detalization", MARIA, "--from", first.isoformat(), "--to", last.isoformat(),
        "-o", str(tmp_path / "report.csv"), "--json").stdout)
    assert ordered["records"] > 0
    fresh = json.loads(salon(salon_env, "purge", "--json").stdout)
    assert fresh["removed"] == 0  # fetched a moment ago: kept

    # Past the retention period. The usage was fetched at a time the console recorded, and the
    # purge decides by it: that time is moved back (the console's own clock is not movable from
    # outside a process).
    with closing(sqlite3.connect(tmp_path / "data" / "salon.db")) as db, db:
        moved = db.execute("UPDATE usage_day SET fetched_at = fetched_at - ?",
                           ((RETENTION_DAYS + 1) * 86400,)).rowcount
    assert moved == 3  # the three days of the period

    purged = json.loads(salon(salon_env, "purge", "--json").stdout)
    assert purged["removed"] == purged["usage"] == ordered["records"]
    assert purged["at_start"] == ordered["records"]  # this process's start-up purge did it
    again = json.loads(salon(salon_env, "purge", "--json").stdout)
    assert again["removed"] == again["at_start"] == 0

    entries = json.loads(salon(salon_env, "audit", "tail", "-n", "50", "--json",
                               clerk="manager").stdout)
    purges = [e["detail"] for e in entries if e["action"] == "purge"]
    assert purges == [f"at start: removed {ordered['records']} (usage records "
                      f"{ordered['records']}, local documents 0, print jobs 0, "
                      f"archive notes 0)"]
