"""Printing at the counter (issue 7): how long the clerk waits for the sentence, against the
10 seconds the issue allows for every failure — and, for comparison, a print that works.

Runs a private cupsd with a cups-pdf queue (tests/support/cups.py: needs root and the
packages `make test` installs) and the real PrintService on a SQLite store. Each case is timed
from `print_document` to its answer (done, or PrintFailed with the sentence)."""

from __future__ import annotations

import tempfile
import time
from collections.abc import Callable, Iterator
from pathlib import Path

from benchmarks.report import ratio_line

FAILURE_LIMIT_S = 10.0  # issue 7: every failure reaches the clerk within 10 seconds


def _pdf(path: Path) -> Path:
    from reportlab.pdfgen.canvas import Canvas

    canvas = Canvas(str(path))
    canvas.drawString(72, 760, "Confirmation ORD-000001")
    canvas.save()
    return path


def run() -> Iterator[str]:
    from app.clock import SystemClock
    from app.errors import PrintFailed
    from app.services.printing import PrintService
    from models.db import open_store
    from models.print_jobs import StoreCounterSettings, StorePrintJobs
    from printing.cups_printer import CupsPrinter
    from tests.support.cups import FAILING_QUEUE, PDF_QUEUE, running_cups
    from tests.support.fake_wiring import CLERK

    with tempfile.TemporaryDirectory() as folder, running_cups() as cups:
        base = Path(folder)
        db = open_store(f"sqlite:///{base / 'salon.db'}")
        document = _pdf(base / "slip.pdf")

        def service(server: str) -> PrintService:
            return PrintService(CupsPrinter(server), StorePrintJobs("S-1", "1"),
                                StoreCounterSettings("S-1", "1"), configured=PDF_QUEUE,
                                clock=SystemClock())  # cupsd's jobs run on real time

        live = service(str(cups.socket))

        def timed(action: Callable[[], object]) -> tuple[float, str]:
            started = time.perf_counter()
            try:
                action()
                outcome = "done"
            except PrintFailed:
                outcome = "failed"
            return time.perf_counter() - started, outcome

        cases: list[tuple[str, Callable[[], object], Callable[[], None], Callable[[], None]]] = [
            ("printed (submit → completed)", lambda: live.print_document(CLERK, document),
             lambda: None, lambda: None),
            ("stopped queue (cupsdisable)", lambda: live.print_document(CLERK, document),
             lambda: cups.disable(PDF_QUEUE, "Paper jam"), lambda: cups.enable(PDF_QUEUE)),
            ("rejecting queue (cupsreject)", lambda: live.print_document(CLERK, document),
             lambda: cups.reject(PDF_QUEUE, "No toner"), lambda: cups.accept(PDF_QUEUE)),
            ("unknown printer", lambda: live.print_document(CLERK, document,
                                                            printer="Nowhere"),
             lambda: None, lambda: None),
            ("aborted job (backend fails)", lambda: live.print_document(
                CLERK, document, printer=FAILING_QUEUE), lambda: None, lambda: None),
            ("no cupsd", lambda: service(str(base / "none.sock")).print_document(
                CLERK, document), lambda: None, lambda: None),
        ]
        for name, action, before, after in cases:
            before()
            try:
                seconds, outcome = timed(action)
            finally:
                after()
            yield ratio_line(f"{name}: {outcome}", seconds, FAILURE_LIMIT_S, "s")
        db.close()


if __name__ == "__main__":
    for line in run():
        print(line)
