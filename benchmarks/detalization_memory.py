"""Flat memory (issue 15, point 3): peak RSS of `salon detalization` for the heavy number's last
three complete months (about 345,000 rows) on the embedded default, in every format, against
200 MB and against 1.3× the peak of a ~10,000-row report of the same format, measured in the
same run; and the seconds of both, so "time stays linear" can be read off (seconds per 1,000
rows, large against small).

How it is measured: each order is the real command (`.venv/bin/salon … detalization`) in a
child process on a data folder of its own (`[operator] url = embedded`, R10 relaxed as in the
tests). Its peak is the kernel's high-water mark of that process alone — `VmHWM` in
/proc/PID/status, sampled every 20 ms while it runs (a high-water mark only grows, so the last
sample before exit is the peak up to there). Not `ru_maxrss` from wait4: that folds in the
peaks of the child's own children, and the embedded sandbox is becoming one (the console's
process is what must stay small; the sandbox streams its pages too, see sandbox/ledger.py).

The usage is fetched once (a first, unmeasured order fills the store, the operator's pages
streamed into it), then each format is ordered twice from the store: the large period and the
small one. The dates follow the clock (last three complete months in Moscow), so it runs on any
date; the row counts are printed.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from datetime import date, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

from app.clock import SystemClock
from benchmarks.report import ratio_line

MSISDN = "+79160000100"  # the heavy subscriber of the training world (Moscow)
FORMATS = ("pdf", "xlsx", "csv", "html", "txt")
LIMIT_MB = 200.0
FLAT = 1.3  # the large report's peak within 1.3× the small one's
SMALL_DAYS = 3  # ~11,000 rows of the heavy number
SALON = Path(sys.executable).with_name("salon")


def periods(today: date) -> tuple[tuple[date, date], tuple[date, date]]:
    """(the last three complete months, the first SMALL_DAYS days of the last of them)."""
    last = today.replace(day=1) - timedelta(days=1)
    first = (last.replace(day=1) - timedelta(days=1)).replace(day=1)
    first = (first - timedelta(days=1)).replace(day=1)
    small_first = last.replace(day=1)
    return (first, last), (small_first, small_first + timedelta(days=SMALL_DAYS - 1))


def _ini(folder: Path) -> Path:
    path = folder / "salon.ini"
    path.write_text("[salon]\nlanguage = en\n"
                    f"[paths]\ndata_dir = {folder / 'data'}\n"
                    "[operator]\nurl = embedded\nread_timeout = 120\ndeadline = 600\n"
                    "[identity]\nrequire_for = none\n", encoding="utf-8")
    return path


def order(env: dict[str, str], period: tuple[date, date], fmt: str, target: Path
          ) -> tuple[float, float, int]:
    """(peak RSS in MB of the console's process, seconds, rows) of one `salon detalization`."""
    began = time.perf_counter()
    child = subprocess.Popen(
        [str(SALON), "detalization", MSISDN, "--from", period[0].isoformat(), "--to",
         period[1].isoformat(), "--format", fmt, "-o", str(target), "--json"],
        env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    status = Path(f"/proc/{child.pid}/status")
    peak_kb = 0
    while child.poll() is None:
        try:
            text = status.read_text()
        except OSError:
            break
        if "VmHWM:" in text:
            peak_kb = max(peak_kb, int(text.split("VmHWM:")[1].split()[0]))
        time.sleep(0.02)
    out, err = child.communicate()
    seconds = time.perf_counter() - began
    if child.returncode != 0:
        raise RuntimeError(f"salon detalization {fmt} failed ({child.returncode}): {err}")
    return peak_kb / 1024, seconds, int(json.loads(out)["rows"])


def run() -> Iterator[str]:
    """The figures, each line as soon as it is measured (a run takes several minutes)."""
    today = SystemClock().now().astimezone(ZoneInfo("Europe/Moscow")).date()
    large, small = periods(today)
    with tempfile.TemporaryDirectory(prefix="salon-bench-mem-") as name:
        folder = Path(name)
        # SALON_WARM=off: the command does its work in the process measured. Through a warm
        # console (app/launcher.py) `salon` only hands the command over, and the work runs
        # in a fork of the warm console: the launcher's own peak (~15 MB) says nothing.
        env = {**os.environ, "SALON_CONFIG": str(_ini(folder)), "SALON_CLERK": "clerk",
               "SALON_PASSWORD": "clerk-demo", "SALON_WARM": "off"}
        env.pop("SALON_LANGUAGE", None)
        fetch_peak, fetch_s, _rows = order(env, large, "csv", folder / "fetch.csv")
        yield ratio_line("fetch 3 months into the store + CSV: peak", fetch_peak, LIMIT_MB,
                         "MB")
        yield f"{'':<44} ({fetch_s:.1f} s, the operator's pages streamed into the store)"
        for fmt in FORMATS:
            small_peak, small_s, small_rows = order(env, small, fmt, folder / f"small.{fmt}")
            large_peak, large_s, large_rows = order(env, large, fmt, folder / f"large.{fmt}")
            yield ratio_line(f"{fmt}: {large_rows:,} rows, peak vs 200 MB", large_peak,
                             LIMIT_MB, "MB")
            yield ratio_line(f"{fmt}: vs 1.3 × {small_rows:,}-row peak ({small_peak:.0f} MB)",
                             large_peak, FLAT * small_peak, "MB")
            # linear: a row of the large report costs no more than one of the small (whose
            # start-up the large one shares out over 30 times the rows)
            yield ratio_line(f"{fmt}: s / 1,000 rows vs the small ({large_s:.0f} s in all)",
                             large_s / large_rows * 1000, small_s / small_rows * 1000, "s")


if __name__ == "__main__":
    for line in run():
        print(line, flush=True)
