"""R11 with several counters of one salon sharing a PostgreSQL store (as the design's local
store allows) and one operator (the sandbox over loopback): two counters hand over the same
printed order at the same moment — each after its own identity check (R10) — and exactly one
wins; the other gets the R11 refusal naming the order's state, prints no receipt, and nothing
is journaled as handed over twice. The whole console is built by app/main.py on the parts
given (a fake print server at the adapter boundary; cupsd is the CLI test's)."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path

import pytest

from app.config import load_settings
from app.errors import PickupConflict
from app.main import Parts, build_services, console_clock
from app.services.credentials import KEYRING_SERVICE, OPERATOR_TOKEN
from app.services.pickup import HandedOver
from app.services.registry import Services
from models.domain import Session
from models.identity import DocumentType, PowerOfAttorney, Presenter
from models.pickup import PickupState
from sandbox.server import RunningSandbox, start_in_background
from tests.conftest import _emptied, write_ini
from tests.support.keyring_memory import MemoryKeyring
from tests.support.print_fakes import FakePrinter, queue

TOKEN = "two-counters-token"


@pytest.fixture
def sandbox(tmp_path: Path) -> Iterator[RunningSandbox]:
    running = start_in_background(tmp_path / "world.sqlite3", 2026, TOKEN)
    try:
        yield running
    finally:
        running.stop()


@pytest.fixture
def counters(sandbox: RunningSandbox, postgres_url: str,
             tmp_path: Path) -> Iterator[tuple[Services, Services, list[FakePrinter]]]:
    keyring = MemoryKeyring()
    keyring.set_password(KEYRING_SERVICE, OPERATOR_TOKEN, TOKEN)
    built: list[Services] = []
    printers: list[FakePrinter] = []
    try:
        for counter in ("1", "2"):
            folder = tmp_path / f"counter-{counter}"
            folder.mkdir()
            settings = load_settings(write_ini(
                folder, salon={"counter": counter}, database={"url": postgres_url},
                operator={"url": sandbox.url, "read_retries": "1"},
                identity={"require_for": "all"}))
            printer = FakePrinter(queue("Counter"), default="Counter")
            printers.append(printer)
            parts = Parts(operator_transport=None, printer=printer, relay=None,
                          keyring=keyring)
            built.append(build_services(settings, console_clock(settings), parts,
                                        start_pump=False))
        yield built[0], built[1], printers
    finally:
        for services in built:
            services.close()
        _emptied(postgres_url)


def test_two_counters_hand_over_one_order_at_once_exactly_one_wins(
        counters: tuple[Services, Services, list[FakePrinter]]) -> None:
    first, second, printers = counters
    first.clerks.add_first_manager("boss", "Игорь Белов", "boss-pass-1")
    boss_at_1 = first.clerks.sign_in("boss", "boss-pass-1")
    boss_at_2 = second.clerks.sign_in("boss", "boss-pass-1")
    printed = next(e for e in first.pickup.queue(boss_at_1) if e.state is PickupState.PRINTED)
    msisdn = printed.order.msisdn
    poa = PowerOfAttorney("77 АБ 1234567", printed.order.ordered_at.date() - timedelta(days=1))
    for services, clerk in ((first, boss_at_1), (second, boss_at_2)):
        services.identity.check(clerk, msisdn, Presenter.REPRESENTATIVE,
                                DocumentType.PASSPORT_RF, "4510 111222", poa)

    barrier = threading.Barrier(2)
    won: list[HandedOver] = []
    lost: list[PickupConflict] = []

    def hand_over(services: Services, clerk: Session) -> None:
        barrier.wait()
        try:
            won.append(services.pickup.hand_over(clerk, printed.order.order_id))
        except PickupConflict as refusal:
            lost.append(refusal)

    threads = [threading.Thread(target=hand_over, args=pair)
               for pair in ((first, boss_at_1), (second, boss_at_2))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
    assert len(won) == 1 and len(lost) == 1, (won, lost)
    assert lost[0].rule == "R11" and lost[0].current_state == "completed"
    # One receipt came out, at the winning counter only.
    assert sorted(len(p.submitted) for p in printers) == [0, 1]
    # The shared journal: one hand-over done, one refused with R11's sentence.
    day = first.clock.now()
    entries = first.audit.entries(day - timedelta(hours=1), day + timedelta(hours=1))
    handed = [e for e in entries if e.action == "pickup_hand_over"
              and e.detail.startswith(printed.order.order_id)]
    assert sorted(e.result for e in handed) == ["done", "refused"]
    assert {e.counter for e in handed} == {"1", "2"}
    refused = next(e for e in handed if e.result == "refused")
    assert "R11" in refused.reason
    assert first.pickup.entry(boss_at_1, printed.order.order_id).state is \
        PickupState.HANDED_OVER
