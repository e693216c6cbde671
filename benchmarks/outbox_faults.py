"""Orders under faults: many orders through the console's own OrderService, outbox and pump
against the real sandbox on loopback, while the sandbox injects 503s, dropped connections
(before and after it applied the write) and latency. Each order either completes in the
clerk's submit or ends queued ("queue it") and is finished by the pump — concurrently while
the trial runs, and after the faults are cleared. Then the sandbox is asked: every intended
order applied exactly once (its list of orders, its version, one fee record per paid order,
and the balance each order answered with), none lost.

`run_trial` is shared by the suite (a bounded trial) and `run()` (the longer benchmark).
"""

from __future__ import annotations

import json
import logging
import random
import tempfile
import threading
import time
from collections import Counter
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from decimal import Decimal
from pathlib import Path

import httpx

from app.errors import OperatorUnavailable
from app.operator_api.client import OperatorClient
from app.services.audit import AuditJournal
from app.services.audit_keys import FileJournalKeys
from app.services.orders import OrderService
from app.services.outbox_delivery import Delivery, Timing
from app.services.outbox_pump import OutboxPump
from benchmarks.report import ratio_line
from models.audit_seal import JournalSeal, store_scope
from models.db import database, open_store
from models.domain import ClerkRole, Session
from models.orders import OrderAction, OrderRequest, OutboxState, SubmitStatus
from models.outbox import StoreOutbox
from tests.support.identity import Identified
from tests.support.pinned import PINNED, RunningClock

TOKEN = "fault-trial-token"
# What an order goes through: the preview's cart, the order (and its lookup by externalId),
# and the main balance an applied order is answered with.
FAULTED = ["/tmf-api/shoppingCart/v4/shoppingCart",
           "/tmf-api/productOrderingManagement/v4/productOrder",
           "/tmf-api/x-salon/v1/mainBalance"]
SERVICE = "FAVOURITE"  # 25.00 to connect on the mass tariffs, free to disconnect
FEE_COUNTERPART = "Подключение: Любимый номер"
FEE_KOP = 2500  # every other order connects «Любимый номер» (25 ₽)
CLERK = Session("trial", "Пробный Сотрудник", ClerkRole.CLERK, PINNED)


@dataclass
class TrialReport:
    orders: int = 0  # confirmed by the clerk (allowed previews, submitted)
    done_in_submit: int = 0
    queued: int = 0  # not confirmed in the submit: queued, finished by the pump
    applied_once: int = 0  # intended orders the sandbox applied exactly once
    lost: int = 0  # intended orders the sandbox never applied
    doubled: int = 0  # applied more than once, or applied without an outbox row
    not_done: list[str] = field(default_factory=list)  # rows that did not end done
    preview_retries: int = 0
    fees_checked: int = 0
    balances_checked: int = 0
    seconds: float = 0.0
    faults: Counter[str] = field(default_factory=Counter)

    @property
    def orders_per_second(self) -> float:
        return self.orders / self.seconds if self.seconds else 0.0


def run_trial(folder: Path, orders: int, *, seed: int = 2026, workers: int = 4,
              subscribers: int = 16, error_rate: float = 0.15, drop_before_rate: float = 0.1,
              drop_after_rate: float = 0.15, latency_ms: int = 0,
              retries: int = 1) -> TrialReport:
    from sandbox.server import start_in_background  # the other side, started here only

    report = TrialReport()
    # A world pinned to a known instant (then passing as real seconds do): the same balances
    # and fees on any date the trial runs, so figures compare across runs.
    world_clock = RunningClock()
    sandbox = start_in_background(folder / "world.db", 2026, TOKEN,
                                  real_time=world_clock.seconds)
    store = open_store(f"sqlite:///{folder / 'salon.db'}")
    http = httpx.Client(base_url=sandbox.url, headers={"Authorization": f"Bearer {TOKEN}"},
                        timeout=30)
    # Jittered retries as the console makes them, at a twentieth of the waits.
    client = OperatorClient(sandbox.url, TOKEN, clock=world_clock, connect_timeout=2,
                            read_timeout=10, deadline=60,
                            read_retries=retries, sleep=lambda s: time.sleep(s / 20))
    outbox = StoreOutbox()
    url = f"sqlite:///{folder / 'salon.db'}"
    journal = AuditJournal("TRIAL-001", "1", world_clock, seal=JournalSeal(
        store_scope(url), FileJournalKeys(folder), folder))
    timing = Timing(lease=timedelta(seconds=60), decision_hold=timedelta(minutes=2),
                    settle_grace=timedelta(seconds=60), retry_first=timedelta(seconds=0.02),
                    retry_max=timedelta(seconds=0.2))
    delivery = Delivery(client, outbox, journal=journal, timing=timing, clock=world_clock)
    pump = OutboxPump(outbox, delivery, interval=0.05, on_thread_exit=database.close,
                      clock=world_clock)
    service = OrderService(client, outbox, delivery, pump, salon="TRIAL-001", counter="1",
                           journal=journal, clock=world_clock, identity=Identified())
    try:
        numbers = _subscribers(client, subscribers, orders)
        before = {m: _order_ids(http, m) for m in numbers}
        versions = {m: client.subscriber(m).version for m in numbers}
        started = datetime.fromisoformat(http.get("/sandbox/clock").json()["now"]) \
            - timedelta(seconds=1)
        http.put("/sandbox/faults", json={
            "error_rate": error_rate, "drop_before_rate": drop_before_rate,
            "drop_after_rate": drop_after_rate, "latency_ms": latency_ms,
            "paths": FAULTED, "seed": seed}).raise_for_status()
        pump.start()
        clock = time.perf_counter()
        items = _place_all(service, client, numbers, orders, workers, seed, report)
        http.delete("/sandbox/faults").raise_for_status()
        deadline = time.monotonic() + 120
        while service.pending() and time.monotonic() < deadline:
            pump.wake()
            time.sleep(0.02)
        pump.stop()
        pump.run_once()  # anything the thread left as it stopped
        report.seconds = time.perf_counter() - clock
        _verify(report, service, client, http, items, numbers, before, versions, started)
    finally:
        pump.stop()
        http.delete("/sandbox/faults")
        http.close()
        client.close()
        store.close()
        sandbox.stop()
    return report


def _subscribers(client: OperatorClient, count: int, orders: int) -> list[str]:
    """The `count` best-funded active mass-tariff subscribers, each with money for every
    connection fee the trial may charge them (no refusals: each intended order must end
    applied). Balances follow the world's clock — right after the monthly fees of the 1st many
    are low — so the richest are taken, not the first."""
    funded = []
    for demo in client.demo_subscribers():
        if demo.status.value == "active" and demo.tariff_code in ("SMART", "BASIC", "ONLINE") \
                and not demo.heavy:
            funded.append((client.balances(demo.msisdn).main.amount, demo.msisdn))
    funded.sort(reverse=True)
    # Each number gets about orders / count orders (a worker picks among its numbers at
    # random), half of them connections; half as much again covers the luckiest.
    needed = Decimal(3 * FEE_KOP * (orders // count // 2 + 1)) / 200
    numbers = [msisdn for amount, msisdn in funded[:count] if amount >= needed]
    if len(numbers) < count:
        raise RuntimeError(f"the demo world has fewer than {count} subscribers with "
                           f"{needed} ₽ for the trial's fees")
    return numbers


def _order_ids(http: httpx.Client, msisdn: str) -> list[str]:
    """The line's applied orders (TMF622), whoever placed them."""
    line = f"L-{msisdn.removeprefix('+')}"
    answer = http.get("/tmf-api/productOrderingManagement/v4/productOrder",
                      params={"productOrderItem.product.id": line, "limit": "10000"})
    answer.raise_for_status()
    return [o["id"] for o in answer.json()]


def _place_all(service: OrderService, client: OperatorClient, numbers: list[str],
               orders: int, workers: int, seed: int, report: TrialReport) -> list[int]:
    items: list[int] = []
    lock = threading.Lock()
    quota = [orders // workers + (1 if i < orders % workers else 0) for i in range(workers)]
    failures: list[BaseException] = []

    def worker(index: int) -> None:
        rng = random.Random(seed * 100 + index)
        mine = numbers[index::workers]
        placed = 0
        try:
            while placed < quota[index]:
                free = [m for m in mine if not service.pending(m)]
                if not free:  # the clerk waits for the queue to go out
                    time.sleep(0.01)
                    continue
                msisdn = rng.choice(free)
                connected = any(s.code == SERVICE for s in client.subscriber(msisdn).services)
                action = OrderAction.REMOVE_SERVICE if connected else OrderAction.ADD_SERVICE
                request = OrderRequest(msisdn, action, SERVICE)
                while True:
                    try:
                        preview = service.preview(CLERK, request)
                        break
                    except OperatorUnavailable:
                        with lock:
                            report.preview_retries += 1
                if not preview.allowed:
                    raise AssertionError(f"{msisdn}: refused {preview.refusal_rule}")
                outcome = service.submit(CLERK, preview)
                with lock:
                    report.orders += 1
                    items.append(outcome.item.id)
                    report.faults[outcome.status.value] += 1
                if outcome.status is SubmitStatus.DONE:
                    with lock:
                        report.done_in_submit += 1
                elif outcome.status is SubmitStatus.UNREACHABLE:
                    with lock:
                        report.queued += 1
                        report.faults["maybe_delivered"] += outcome.item.maybe_delivered
                    service.keep_queued(CLERK, outcome.item.id)
                else:
                    raise AssertionError(f"{msisdn}: {outcome.status} {outcome.message}")
                placed += 1
        except BaseException as error:  # reported on the main thread
            failures.append(error)
        finally:
            database.close()

    threads = [threading.Thread(target=worker, args=(i,), name=f"clerk-{i}")
               for i in range(workers)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(600)
    if failures:
        raise failures[0]
    return items


def _verify(report: TrialReport, service: OrderService, client: OperatorClient,
            http: httpx.Client, items: list[int], numbers: list[str],
            before: dict[str, list[str]], versions: dict[str, int],
            started: datetime) -> None:
    rows = [service.item(i) for i in items]
    report.not_done = [f"#{r.id} {r.state.value} {r.last_error}" for r in rows
                       if r.state is not OutboxState.DONE]
    mine = Counter(r.result.order_id for r in rows if r.result is not None)
    now = datetime.fromisoformat(http.get("/sandbox/clock").json()["now"])
    for msisdn in numbers:
        new = [o for o in _order_ids(http, msisdn) if o not in set(before[msisdn])]
        ours = [r for r in rows if r.request.msisdn == msisdn]
        for order_id in new:
            if mine[order_id] != 1:  # applied with no outbox row, or twice
                report.doubled += 1
        applied = Counter(new)
        for row in ours:
            found = applied[row.result.order_id] if row.result else 0
            if found == 1:
                report.applied_once += 1
            elif found == 0:
                report.lost += 1
            else:
                report.doubled += 1
        if client.subscriber(msisdn).version != versions[msisdn] + len(new):
            report.doubled += 1
        # One fee record per paid order: nothing charged twice.
        fees = Counter(r.started_at for page in client.usage_pages(
            msisdn, started, now + timedelta(seconds=2)) for r in page
            if r.kind.value == "fee" and r.counterpart == FEE_COUNTERPART)
        paid = Counter(r.result.completed_at for r in ours
                       if r.result is not None and r.result.fee.amount > 0)
        report.fees_checked += sum(paid.values())
        if fees != paid:
            report.doubled += 1
        # The balance each order answered with is the sandbox's balance just after it (its
        # second over: every record of that second counted).
        for row in ours:
            if row.result is None:
                continue
            at = row.result.completed_at + timedelta(seconds=1)
            main = http.get("/tmf-api/x-salon/v1/mainBalance", params={
                "product.id": f"L-{msisdn.removeprefix('+')}",
                "at": at.strftime("%Y-%m-%dT%H:%M:%SZ")})
            main.raise_for_status()
            value = json.loads(main.content, parse_float=Decimal)["remainingValue"]["value"]
            report.balances_checked += 1
            if value != row.result.balance_after.amount:
                report.doubled += 1


ORDERS = 2000
LIMIT_SECONDS_PER_ORDER = 0.1  # ten orders a second through faults, on this 2-core machine


def run() -> list[str]:
    # Every injected fault is logged as a warning by design; the report says what matters.
    logging.getLogger("app").setLevel(logging.ERROR)
    with tempfile.TemporaryDirectory() as folder:
        report = run_trial(Path(folder), ORDERS, seed=7, subscribers=60, workers=6)
    per_order = report.seconds / max(1, report.orders)
    return [
        ratio_line(f"{report.orders} orders through faults (per order)", per_order * 1000,
                   LIMIT_SECONDS_PER_ORDER * 1000),
        f"{'orders per second':<44} {report.orders_per_second:10.1f}",
        f"{'done in the submit / queued, sent by pump':<44} "
        f"{report.done_in_submit:>6} / {report.queued}",
        f"{'applied exactly once':<44} {report.applied_once}/{report.orders}  "
        f"{'ok' if report.applied_once == report.orders and not report.doubled else 'FAIL'}",
        f"{'lost / doubled / not done':<44} {report.lost} / {report.doubled} / "
        f"{len(report.not_done)}",
        f"{'fee records and balances checked':<44} {report.fees_checked} / "
        f"{report.balances_checked}",
    ]


if __name__ == "__main__":
    print("\n".join(run()))
