"""Property tests of the outbox state machine (hypothesis): random sequences of submits through
faults (503, refused connections, drops before and after the operator applied, the console
dying before or after), pump passes, the clerk's queue or cancel, time passing (leases, holds),
the operator going away, and other salons changing a subscriber — against a fake operator
that records what it applied, over the real SQLite outbox and the in-memory one.

After every step: nothing is applied twice, every applied order belongs to exactly one outbox
row, a subscriber's orders apply in the order they were made, and a final state stays final.
At the end, once the operator answers again and time has passed: nothing is pending and
nothing is lost — a row is done exactly when its order was applied (once), and a cancelled or
rejected row was never applied.
"""

from __future__ import annotations

import contextlib
from collections import Counter
from datetime import timedelta
from typing import Any

from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, invariant, rule

from app.errors import OperatorUnavailable, OrderRefused, RuleRefused
from app.services.orders import OrderService
from app.services.outbox_delivery import Delivery, Timing
from app.services.outbox_pump import OutboxPump
from models.db import open_store
from models.domain import ClerkRole, Session
from models.orders import OrderAction, OrderRequest, OutboxState, SubmitStatus
from models.outbox import StoreOutbox
from tests.support.identity import IDENTIFIED
from tests.support.order_fakes import Account, Crash, FakeClock, FakeOrderOperator, MemoryOutbox

NUMBERS = ["+79160000001", "+79160000002", "+79160000003"]
FAULTS = ["ok", "ok", "ok", "error", "connect", "drop_before", "drop_after", "crash_before",
          "crash_after"]
TIMING = Timing(lease=timedelta(seconds=30), decision_hold=timedelta(seconds=120),
                settle_grace=timedelta(seconds=30), retry_first=timedelta(seconds=5),
                retry_max=timedelta(seconds=60))
CLERK = Session("anna", "Анна Соколова", ClerkRole.CLERK, FakeClock().now())
FINAL = (OutboxState.DONE, OutboxState.REJECTED, OutboxState.CANCELLED)


class OutboxMachine(RuleBasedStateMachine):
    memory = False

    def __init__(self) -> None:
        super().__init__()
        self.db = None if self.memory else open_store("sqlite:///:memory:")
        self.clock = FakeClock()
        self.operator = FakeOrderOperator({m: Account(balance=10**6) for m in NUMBERS},
                                          clock=self.clock)
        self.outbox: Any = MemoryOutbox() if self.memory else StoreOutbox()
        self.delivery = Delivery(self.operator, self.outbox, clock=self.clock, timing=TIMING)
        self.pump = OutboxPump(self.outbox, self.delivery, clock=self.clock,
                               owner_gone=lambda owner: False)
        self.orders = OrderService(self.operator, self.outbox, self.delivery, self.pump,
                                   salon="MSK-001", counter="2", clock=self.clock,
                                       identity=IDENTIFIED)
        self.final: dict[int, tuple[OutboxState, str | None]] = {}

    # -- what the clerk and the world do ------------------------------------------------------

    @rule(number=st.sampled_from(NUMBERS), fault=st.sampled_from(FAULTS),
          service=st.sampled_from(["FAVOURITE", "GUARD"]))
    def submit(self, number: str, fault: str, service: str) -> None:
        connected = service in self.operator.accounts[number].services
        action = OrderAction.REMOVE_SERVICE if connected else OrderAction.ADD_SERVICE
        try:
            preview = self.orders.preview(CLERK, OrderRequest(number, action, service))
        except OperatorUnavailable:
            return
        if not preview.allowed:
            return
        self.operator.faults.append(fault)
        try:
            outcome = self.orders.submit(CLERK, preview)
        except Crash:  # the console died; its row stays as it was
            return
        assert outcome.status in SubmitStatus

    @rule(index=st.integers(0, 20), queue=st.booleans())
    def decide(self, index: int, queue: bool) -> None:
        pending = self.orders.pending()
        if not pending:
            return
        item = pending[index % len(pending)]
        try:
            if queue:
                self.orders.keep_queued(CLERK, item.id)
            else:
                self.orders.cancel(CLERK, item.id)
        except RuleRefused:
            pass  # maybe delivered (settled later by key), or no longer queued

    @rule(faults=st.lists(st.sampled_from(FAULTS), max_size=4))
    def pump_pass(self, faults: list[str]) -> None:
        self.operator.faults.extend(faults)
        with contextlib.suppress(Crash):  # the console died mid-pass
            self.pump.run_once()
        self.operator.faults.clear()

    @rule(seconds=st.sampled_from([1, 6, 31, 61, 121]))
    def time_passes(self, seconds: int) -> None:
        self.clock.advance_s(seconds)

    @rule(offline=st.booleans())
    def network(self, offline: bool) -> None:
        self.operator.offline = offline

    @rule(number=st.sampled_from(NUMBERS))
    def another_salon_changes_the_subscriber(self, number: str) -> None:
        self.operator.accounts[number].version += 1

    # -- what must always hold ----------------------------------------------------------------

    @invariant()
    def nothing_twice_and_every_application_is_a_rows(self) -> None:
        applied = Counter(self.operator.applied_keys())
        assert all(count == 1 for count in applied.values()), applied
        rows = self.outbox.recent(10_000)
        keys = {item.key: item for item in rows}
        for key in applied:
            assert key in keys, f"an applied order {key} has no outbox row"
        for item in rows:
            if item.state in (OutboxState.REJECTED, OutboxState.CANCELLED):
                assert item.key not in applied, item
            if item.state is OutboxState.DONE:
                assert item.key in applied and item.result is not None
                applied_id = next(a.order_id for a in self.operator.applied if a.key == item.key)
                assert item.result.order_id == applied_id

    @invariant()
    def a_subscribers_orders_apply_in_the_order_they_were_made(self) -> None:
        row_of = {item.key: item.id for item in self.outbox.recent(10_000)}
        for number in NUMBERS:
            ids = [row_of[a.key] for a in self.operator.applied if a.msisdn == number]
            assert ids == sorted(ids), (number, ids)

    @invariant()
    def final_states_stay_final(self) -> None:
        for item in self.outbox.recent(10_000):
            order_id = item.result.order_id if item.result else None
            if item.id in self.final:
                assert (item.state, order_id) == self.final[item.id], item
            elif item.state in FINAL:
                self.final[item.id] = (item.state, order_id)

    def teardown(self) -> None:
        try:
            self.settle_everything()
        finally:
            if self.db is not None:
                self.db.close()

    def settle_everything(self) -> None:
        """The operator answers again and time passes: every row must reach a final state,
        and exactly the done ones were applied, once."""
        self.operator.offline = False
        self.operator.faults.clear()
        for _ in range(20):
            self.clock.advance_s(TIMING.retry_max.total_seconds() + TIMING.decision_hold
                               .total_seconds())
            self.pump.run_once()
            if not self.orders.pending():
                break
        assert self.orders.pending() == []
        self.nothing_twice_and_every_application_is_a_rows()
        self.a_subscribers_orders_apply_in_the_order_they_were_made()
        self.final_states_stay_final()
        done = {i.key for i in self.outbox.recent(10_000) if i.state is OutboxState.DONE}
        assert done == set(self.operator.applied_keys())


class MemoryOutboxMachine(OutboxMachine):
    memory = True


PROFILE = settings(max_examples=60, stateful_step_count=25, deadline=None,
                   suppress_health_check=[HealthCheck.too_slow])
TestOutboxOnSqlite = OutboxMachine.TestCase
TestOutboxOnSqlite.settings = PROFILE
TestOutboxInMemory = MemoryOutboxMachine.TestCase
TestOutboxInMemory.settings = settings(PROFILE, max_examples=40)


def test_refusals_are_never_sent() -> None:
    """A preview the rules refuse is refused on submit, without an outbox row or a call."""
    machine = OutboxMachine()
    try:
        machine.operator.accounts[NUMBERS[0]].blocked = True
        preview = machine.orders.preview(CLERK, OrderRequest(NUMBERS[0],
                                                             OrderAction.ADD_SERVICE, "GUARD"))
        try:
            machine.orders.submit(CLERK, preview)
        except OrderRefused as refused:
            assert refused.rule == "subscriber_blocked"
        else:
            raise AssertionError("a refused preview was submitted")
        assert machine.outbox.recent() == [] and machine.operator.calls == []
    finally:
        machine.teardown()
