"""`make bench`: every benchmark's ratios against DESIGN.md §9, in one run.

Each benchmark runs in a process of its own: two Tk interpreters on two virtual screens in one
process end in an X I/O error once the first screen is gone, a thread pool or a peak of memory
left by one would weigh on the next, and a crash in one does not hide the others' figures.

Exits 1 when a figure is over its limit or a benchmark failed (each is named at the end);
every figure is measured against the wall clock of this run only, so it runs on any date."""

from __future__ import annotations

import importlib
import subprocess
import sys

from benchmarks.report import over

BENCHMARKS = ["benchmarks.cli_start", "benchmarks.lookup", "benchmarks.lookup_latency",
              "benchmarks.gui",
              "benchmarks.daily_log", "benchmarks.usage_sync", "benchmarks.detalization",
              "benchmarks.detalization_memory",
              "benchmarks.outbox_faults", "benchmarks.printing", "benchmarks.pickup",
              "benchmarks.pickup_window"]


def main() -> int:
    names = [n if "." in n else f"benchmarks.{n}" for n in sys.argv[1:]] or BENCHMARKS
    if len(names) == 1:
        module = importlib.import_module(names[0])
        print(f"# {module.__name__}", flush=True)
        anything_over = False
        for line in module.run():  # printed as it comes: a long one shows its progress
            print(line, flush=True)
            anything_over |= over(line)
        return 1 if anything_over else 0
    failed = [name for name in names
              if subprocess.run([sys.executable, "-m", "benchmarks", name]).returncode != 0]
    if failed:
        print(f"# over a limit or failed: {', '.join(failed)}", flush=True)
        return 1
    print(f"# all {len(names)} benchmarks within their limits", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
