"""`make bench`: every benchmark's ratios against DESIGN.md §9, in one run.

Each benchmark runs in a process of its own: two Tk interpreters on two virtual screens in one
process end in an X I/O error once the first screen is gone, a thread pool or a peak of memory
left by one would weigh on the next, and a crash in one does not hide the others' figures."""

from __future__ import annotations

import importlib
import subprocess
import sys

BENCHMARKS = ["benchmarks.lookup", "benchmarks.lookup_latency", "benchmarks.gui",
              "benchmarks.daily_log", "benchmarks.usage_sync", "benchmarks.detalization",
              "benchmarks.detalization_memory",
              "benchmarks.outbox_faults", "benchmarks.printing", "benchmarks.pickup",
              "benchmarks.pickup_window"]


def main() -> int:
    names = [n if "." in n else f"benchmarks.{n}" for n in sys.argv[1:]] or BENCHMARKS
    if len(names) == 1:
        module = importlib.import_module(names[0])
        print(f"# {module.__name__}", flush=True)
        for line in module.run():
            print(line, flush=True)
        return 0
    failed = 0
    for name in names:
        failed += subprocess.run([sys.executable, "-m", "benchmarks", name]).returncode != 0
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
