"""Issue 14 for the window: a queue of 500 pick-up orders on screen within 1 s — from opening the
list (Ctrl+G) to its 500 rows drawn. The service answers at once with 500 entries (the time
the operator takes to list them is benchmarks/pickup.py's): this measures the window alone —
the runner's round trip, the presenter, the Treeview's rows, and Tk's layout and drawing."""

from __future__ import annotations

import gc
import statistics
import time
import tkinter as tk
from datetime import UTC, date, datetime, timedelta
from typing import Any

from app.i18n import set_language
from benchmarks.report import ratio_line
from benchmarks.xvfb import virtual_screen

QUEUE_SIZE = 500
LIMIT_MS = 1000.0
NOW = datetime(2026, 11, 23, 9, 25, tzinfo=UTC)


class ListedAtOnce:
    """PickupService.queue answering at once with `entries` (the rest is never asked)."""

    def __init__(self, entries: list[Any]) -> None:
        self.entries = entries

    def queue(self, clerk: object) -> list[Any]:
        return self.entries

    def __getattr__(self, name: str) -> Any:
        raise AssertionError(f"the benchmark's list used pickup.{name}")


def _entries() -> list[Any]:
    from app.services.pickup import QueueEntry
    from models.pickup import OperatorState, PickupOrder, PickupState

    entries = []
    for i in range(QUEUE_SIZE):
        ordered = NOW - timedelta(hours=i)
        order = PickupOrder(f"PU-{i + 1:06d}", f"+7916{i:07d}", "Иванова Мария Петровна",
                            "MSK-TVERSKAYA-12", date(2026, 10, 1), date(2026, 10, 31),
                            ordered, OperatorState.PRINTED if i % 3 else OperatorState.NEW,
                            "RU-MOW")
        entries.append(QueueEntry(order, PickupState.PRINTED if i % 3 else PickupState.NEW,
                                  ordered + timedelta(days=30)))
    return entries


def _open_ms(root: tk.Tk, pickup: Any) -> float:
    from app.ui.runner import BackgroundRunner
    from app.ui.views.pickup_dialog import PickupDialog
    from models.domain import ClerkRole, Session

    runner = BackgroundRunner(root)
    clerk = Session("clerk", "Анна Соколова", ClerkRole.CLERK, NOW)
    try:
        start = time.perf_counter()
        dialog = PickupDialog(root, pickup, runner, clerk, timezone="Europe/Moscow",
                              on_changed=lambda: None)
        deadline = start + 30
        while not (dialog.loaded and len(dialog.table.tree.get_children()) == QUEUE_SIZE):
            if time.perf_counter() > deadline:
                raise SystemExit("the pick-up list did not fill within 30 s")
            root.update()
        root.update_idletasks()  # its layout and drawing (Tk does both when idle)
        elapsed = (time.perf_counter() - start) * 1000
        dialog.destroy()
        root.update()
        return elapsed
    finally:
        runner.shutdown()


def run() -> list[str]:
    set_language("ru")
    with virtual_screen():
        root = tk.Tk()
        root.geometry("1280x800+0+0")
        try:
            from app.ui.theme import apply_theme

            apply_theme(root)
            root.update()
            pickup = ListedAtOnce(_entries())
            _open_ms(root, pickup)  # warm: the dialog's modules and fonts
            median = statistics.median(_open_ms(root, pickup) for _ in range(5))
        finally:
            root.destroy()
            # Freed here, on the thread that made them (as benchmarks/gui.py does): a later
            # collection on another benchmark's worker would abort Tcl.
            del root
            gc.collect()
    return [ratio_line("pick-up list: 500 orders on screen (median)", median, LIMIT_MS)]


if __name__ == "__main__":
    print("\n".join(run()))
