"""A long command's progress on one line of the terminal (standard error, rewritten in place);
nothing when standard error is not a terminal (a script reads the result, not the progress)."""

from __future__ import annotations

import sys
from collections.abc import Callable

from app.i18n import _


def order_progress() -> Callable[[str, int, int], None] | None:
    """A detalization's stages: the usage fetched day by day, then its rows written."""
    if not sys.stderr.isatty():
        return None
    stages = {"fetch": _("Fetching usage: day {done} of {total}"),
              "render": _("Writing: row {done} of {total}")}

    def show(stage: str, done: int, total: int) -> None:
        _line(stages[stage].format(done=done, total=total))

    return show


def batch_progress() -> Callable[[int, int, str], None] | None:
    """Several orders one after another: which one of how many."""
    if not sys.stderr.isatty():
        return None

    def show(done: int, total: int, order: str) -> None:
        _line(_("Order {done} of {total} {order}").format(done=done, total=total, order=order))

    return show


def end_progress() -> None:
    """The line after the progress, so what comes next starts on its own."""
    if sys.stderr.isatty():
        print(file=sys.stderr)


def _line(text: str) -> None:
    print("\r" + text + " " * 8, end="", file=sys.stderr, flush=True)
