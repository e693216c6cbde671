"""`make bench`: every benchmark's ratios against DESIGN.md §9, in one run."""

from __future__ import annotations

import importlib
import sys

BENCHMARKS = ["benchmarks.lookup", "benchmarks.lookup_latency", "benchmarks.gui",
              "benchmarks.daily_log", "benchmarks.usage_sync", "benchmarks.detalization",
              "benchmarks.outbox_faults", "benchmarks.printing", "benchmarks.pickup",
              "benchmarks.pickup_window"]


def main() -> int:
    names = sys.argv[1:] or BENCHMARKS
    for name in names:
        module = importlib.import_module(name if "." in name else f"benchmarks.{name}")
        print(f"# {module.__name__}")
        for line in module.run():
            print(line)
    return 0


if __name__ == "__main__":
    sys.exit(main())
