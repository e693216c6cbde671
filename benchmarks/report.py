"""How every benchmark prints its result: measured, limit, and the ratio (≤ 1.0 is within)."""

from __future__ import annotations

import statistics
import time
from collections.abc import Callable

OVER = "OVER"  # the last word of a figure over its limit; `make bench` then exits 1


def ratio_line(name: str, measured: float, limit: float, unit: str = "ms") -> str:
    verdict = "ok" if measured <= limit else OVER
    return (f"{name:<44} {measured:10.2f} {unit}  limit {limit:8.2f} {unit}  "
            f"ratio {measured / limit:5.2f}  {verdict}")


def reference_line(name: str, measured: float, baseline: float, unit: str = "ms") -> str:
    """A figure printed for comparison only: no limit holds it (never OVER)."""
    return (f"{name:<44} {measured:10.2f} {unit}  against {baseline:6.2f} {unit}  "
            f"ratio {measured / baseline:5.2f}  reference")


def median_ms(action: Callable[[], object], repeat: int = 50, warmup: int = 3) -> float:
    for _ in range(warmup):
        action()
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        action()
        times.append((time.perf_counter() - start) * 1000)
    return statistics.median(times)


def over(line: str) -> bool:
    return line.rstrip().endswith(OVER)
