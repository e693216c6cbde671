"""Time is an input: nothing reads the wall clock for business time except app/clock.py (the
console's one clock) and sandbox/clock.py (the operator's, on the other side of the contract).
Tests pin the clock or compute what they expect from it; benchmarks use the clock module too.
`time.monotonic` / `perf_counter` measure durations and are not business time."""

from __future__ import annotations

import ast
import inspect
from pathlib import Path

import pytest

from app.clock import Clock, FixedClock, MovableClock, SystemClock

ROOT = Path(__file__).resolve().parents[2]
ALLOWED = {Path("app/clock.py"), Path("sandbox/clock.py")}
WALL_CLOCK = {("datetime", "now"), ("datetime", "utcnow"), ("datetime", "today"),
              ("date", "today"), ("time", "time"), ("time", "time_ns"), ("time", "localtime"),
              ("time", "gmtime"), ("time", "ctime")}


def wall_clock_reads(path: Path) -> list[str]:
    found = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Attribute) and isinstance(node.value, ast.Name) \
                and (node.value.id, node.attr) in WALL_CLOCK:
            found.append(f"{path.relative_to(ROOT)}:{node.lineno}: {node.value.id}.{node.attr}")
        if isinstance(node, ast.ImportFrom) and node.module == "time" \
                and {alias.name for alias in node.names} & {"time", "time_ns"}:
            found.append(f"{path.relative_to(ROOT)}:{node.lineno}: from time import time")
    return found


def test_only_the_clock_modules_read_the_wall_clock() -> None:
    reads = []
    for folder in ("app", "models", "printing", "sandbox", "benchmarks", "tests"):
        for path in sorted((ROOT / folder).rglob("*.py")):
            if path.relative_to(ROOT) not in ALLOWED:
                reads += wall_clock_reads(path)
    assert reads == []


def test_the_grep_would_see_a_read() -> None:
    sample = ROOT / "tests" / "unit" / "_wall_clock_sample.py"
    sample.write_text("from datetime import date, datetime\nimport time\n"
                      "a = datetime.now()\nb = date.today()\nc = time.time()\n",
                      encoding="utf-8")
    try:
        assert len(wall_clock_reads(sample)) == 3
    finally:
        sample.unlink()


@pytest.mark.parametrize("name", ["app.services", "app.ui", "app.commands", "app.operator_api"])
def test_no_constructor_defaults_to_the_wall_clock(name: str) -> None:
    """A part built without the clock is a type error, not a quiet read of the wall clock:
    every `clock` parameter is required."""
    import importlib
    import pkgutil

    package = importlib.import_module(name)
    defaults = []
    for info in pkgutil.iter_modules(package.__path__, f"{name}."):
        if info.name.startswith("app.ui.views") or info.name.startswith("app.ui.app"):
            continue  # tkinter widgets: their clocks come from the window, which requires one
        module = importlib.import_module(info.name)
        for cls_name, cls in inspect.getmembers(module, inspect.isclass):
            if cls.__module__ != module.__name__:
                continue
            for param in inspect.signature(cls.__init__).parameters.values():
                if param.name == "clock" and param.default is not param.empty:
                    defaults.append(f"{info.name}.{cls_name}")
    assert defaults == []


def test_the_clocks() -> None:
    from datetime import UTC, datetime, timedelta

    pinned = FixedClock(datetime(2026, 12, 31, 22, 30, tzinfo=UTC))
    assert pinned.now() == datetime(2026, 12, 31, 22, 30, tzinfo=UTC)
    pinned.advance(timedelta(hours=2))
    assert pinned.now().year == 2027
    with pytest.raises(ValueError):
        FixedClock(datetime(2026, 12, 31, 22, 30))  # naive: whose 22:30?
    world = MovableClock(pinned)
    world.follow(timedelta(hours=24))
    world.follow(timedelta(hours=1))  # an older offset never moves it back
    assert world.now() == pinned.now() + timedelta(hours=24)
    with pytest.raises(ValueError):
        world.advance(timedelta(seconds=-1))
    clocks: list[Clock] = [SystemClock(), pinned, world]
    assert all(c.now().tzinfo is not None for c in clocks)
