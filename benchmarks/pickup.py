"""R11 pick-up at this salon (issue 14): printing 50 orders ahead with progress, against the same
50 detalizations made and printed one at a time as `salon detalization --deliver paper` does
(the baseline: what the salon would do without the queue), in rounds of 10 orders a side taken
in turn (the median round of each compared); and a queue of 500 orders listed
(the operator's pages, the lines' numbers and home regions, R7, the states) against the second
the issue gives the window to show it.

The whole console is built by app/main.py over a sandbox on loopback, with a print server that
completes every job at once (tests/support/print_fakes.py): the printer's own speed is not
the console's. Orders are placed as the operator's web shop places them (TMF622 POST). The
subscribers' usage is fetched into the store once before either side is timed, so both make
their documents from the same stored records."""

from __future__ import annotations

import statistics
import tempfile
import time
from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path

from benchmarks.report import ratio_line

ORDERS_PRINTED = 50
ROUND = 10  # orders a round, each side
QUEUE_SIZE = 500
PRINT_RATIO_LIMIT = 1.5  # per order, against the baseline: the cover sheet and the reports
QUEUE_LIMIT_MS = 1000.0  # issue 14: a queue of 500 orders on screen within 1 s
TOKEN = "bench-pickup-token"


def run() -> Iterator[str]:
    from app.config import load_settings
    from app.main import Parts, build_services, console_clock
    from app.operator_api.client import OperatorClient
    from app.services.credentials import KEYRING_SERVICE, OPERATOR_TOKEN
    from models.detalization import Options, Period
    from models.domain import SubscriberStatus
    from sandbox.server import start_in_background
    from tests.conftest import write_ini
    from tests.support.calendar import today_in
    from tests.support.keyring_memory import MemoryKeyring
    from tests.support.print_fakes import FakePrinter, queue

    with tempfile.TemporaryDirectory() as folder:
        base = Path(folder)
        sandbox = start_in_background(base / "world.sqlite3", 2026, TOKEN)
        keyring = MemoryKeyring()
        keyring.set_password(KEYRING_SERVICE, OPERATOR_TOKEN, TOKEN)
        settings = load_settings(write_ini(base, operator={"url": sandbox.url}))
        parts = Parts(operator_transport=None, printer=FakePrinter(queue("Bench"),
                                                                   default="Bench"),
                      relay=None, keyring=keyring)
        services = build_services(settings, console_clock(settings), parts, start_pump=False)
        try:
            services.clerks.add_first_manager("boss", "Игорь Белов", "boss-pass-1")
            clerk = services.clerks.sign_in("boss", "boss-pass-1")
            world = services.sandbox  # training: places orders as the web shop does
            operator = OperatorClient(sandbox.url, TOKEN, clock=services.clock)
            numbers = [d.msisdn for d in operator.demo_subscribers()
                       if d.region_code == settings.salon.region and not d.heavy
                       and d.status is SubscriberStatus.ACTIVE]
            operator.close()
            today = today_in(services.clock, settings.salon.timezone)
            last = today - timedelta(days=1)
            first = last - timedelta(days=6)
            chosen = [numbers[i % len(numbers)] for i in range(ORDERS_PRINTED)]

            for msisdn in set(chosen):  # both sides then find the usage in the store
                services.detalization.order(clerk, msisdn, Period(first, last), Options(),
                                            "pdf")
            # In rounds, each side's orders in turn, so that a burst of the machine's load
            # weighs on both alike; the median round of each side is compared.
            baseline: list[float] = []
            ahead: list[float] = []
            printed = skipped = 0
            steps: list[int] = []
            for at in range(0, ORDERS_PRINTED, ROUND):
                round_numbers = chosen[at:at + ROUND]
                started = time.perf_counter()
                for msisdn in round_numbers:  # the baseline: one at a time, on paper
                    made = services.detalization.order(clerk, msisdn, Period(first, last),
                                                       Options(), "pdf")
                    services.printing.print_document(clerk, made.path, subscriber=msisdn)
                baseline.append((time.perf_counter() - started) / len(round_numbers))
                for msisdn in round_numbers:
                    world.order_paper(msisdn, first, last, settings.salon.id, today)
                started = time.perf_counter()
                batch = services.pickup.print_all_new(
                    clerk, lambda done, total, _order: steps.append(done))
                ahead.append((time.perf_counter() - started) / max(len(batch.printed), 1))
                printed += len(batch.printed)
                skipped += len(batch.skipped)
            yield (f"pick-up: {printed} new orders printed ahead in {len(ahead)} rounds, "
                   f"{len(steps)} progress reports, {skipped} skipped")
            per_order, one = statistics.median(ahead), statistics.median(baseline)
            yield ratio_line("print ahead, per order vs one detalization", per_order * 1000,
                             one * 1000 * PRINT_RATIO_LIMIT)
            yield f"{'  (ratio to the baseline itself)':<44} {per_order / one:10.2f} ×"

            for i in range(QUEUE_SIZE - len(services.pickup.queue(clerk))):
                world.order_paper(numbers[i % len(numbers)], first, last, settings.salon.id,
                                  today)
            services.pickup.queue(clerk)  # warm: the client's connections
            times = []
            for _ in range(5):
                started = time.perf_counter()
                listed = services.pickup.queue(clerk)
                times.append((time.perf_counter() - started) * 1000)
            yield f"pick-up: a queue of {len(listed)} orders"
            yield ratio_line("queue of 500 listed (median of 5)", sorted(times)[2],
                             QUEUE_LIMIT_MS)
        finally:
            services.close()
            sandbox.stop()
