"""OrderService, delivery and the pump over a fake operator (with the contract's idempotency and
scripted faults) and the in-memory outbox: previews, refusals, every way a submit ends, the
clerk's queue-or-cancel decision, 412 handling, crash recovery, the journal, the catalog cache.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from decimal import Decimal
from typing import Any

import pytest

from app.errors import (
    NotSignedIn,
    OperatorUnavailable,
    OrderRefused,
    RuleRefused,
    VersionMismatch,
)
from app.services.connection import ConnectionState
from app.services.orders import OrderService
from app.services.outbox_delivery import Delivery, Timing
from app.services.outbox_pump import OutboxPump
from models.domain import (
    Balances,
    ClerkRole,
    Money,
    Region,
    ServiceRef,
    Session,
    Subscriber,
    SubscriberCard,
    SubscriberStatus,
    TariffClass,
    TariffRef,
)
from models.orders import OrderAction, OrderRequest, OutboxItem, OutboxState, SubmitStatus
from tests.support.identity import IDENTIFIED
from tests.support.order_fakes import Account, Crash, FakeClock, FakeOrderOperator, MemoryOutbox

ANNA = Session("anna", "Анна Соколова", ClerkRole.CLERK, datetime(2026, 11, 23, tzinfo=UTC))
MARIA, ORLOV, VIP, BLOCKED = "+79161234567", "+79261112233", "+79031234500", "+79171234567"
TIMING = Timing(lease=timedelta(seconds=30), decision_hold=timedelta(minutes=2),
                settle_grace=timedelta(seconds=30), retry_first=timedelta(seconds=5))


class Journal:
    def __init__(self) -> None:
        self.entries: list[tuple[str, str, str, str, str, str]] = []

    def record(self, clerk: str, action: Any, result: Any = "done", *, subscriber: str = "",
               detail: str = "", reason: str = "") -> None:
        self.entries.append((clerk, str(action), str(result), subscriber, detail, reason))

    def actions(self) -> list[tuple[str, str]]:
        return [(action, result) for _c, action, result, *_rest in self.entries]


class Slips:
    def __init__(self) -> None:
        self.written: list[int] = []

    def write(self, item: OutboxItem) -> str:
        self.written.append(item.id)
        return f"/slips/{item.result.order_id if item.result else '?'}.pdf"


class World:
    def __init__(self) -> None:
        self.clock = FakeClock()
        self.operator = FakeOrderOperator({
            MARIA: Account(services={"GUARD", "ASSISTANT"}),
            ORLOV: Account(tariff="BIZ_START"),
            VIP: Account(tariff="PREMIUM"),
            BLOCKED: Account(blocked=True),
        }, clock=self.clock)
        self.outbox = MemoryOutbox()
        self.journal = Journal()
        self.slips = Slips()
        self.connection = ConnectionState(clock=self.clock)
        self.delivery = Delivery(self.operator, self.outbox, journal=self.journal,
                                 slips=self.slips, connection=self.connection,
                                 clock=self.clock, timing=TIMING)
        self.pump = OutboxPump(self.outbox, self.delivery, clock=self.clock,
                               owner_gone=lambda owner: False)
        self.finished: list[OutboxItem] = []
        self.pump.subscribe(self.finished.append)
        self.orders = OrderService(self.operator, self.outbox, self.delivery, self.pump,
                                   salon="MSK-001", counter="2", journal=self.journal,
                                   connection=self.connection, clock=self.clock,
                                       identity=IDENTIFIED)

    def order(self, msisdn: str, action: OrderAction, code: str | None = None) -> Any:
        preview = self.orders.preview(ANNA, OrderRequest(msisdn, action, code))
        return self.orders.submit(ANNA, preview)


@pytest.fixture
def world() -> World:
    return World()


def card(tariff_class: TariffClass = TariffClass.MASS, *, code: str = "SMART",
         services: tuple[str, ...] = ("GUARD",), assistant: bool = False,
         blocked: bool = False, main: str = "500.00", version: int = 3) -> SubscriberCard:
    names = {"GUARD": "Антивирус", "FAVOURITE": "Любимый номер"}
    subscriber = Subscriber(
        MARIA, "Иванова Мария Петровна",
        SubscriberStatus.BLOCKED if blocked else SubscriberStatus.ACTIVE,
        Region("RU-MOW", "Москва", "Moscow", "Europe/Moscow"),
        TariffRef(code, code.title(), tariff_class, Money(Decimal("450.00"))),
        tuple(ServiceRef(s, names.get(s, s)) for s in services), assistant, version)
    balances = Balances(Money(Decimal(main)), Money(Decimal("0.00")), Money(Decimal("0.00")),
                        None, ())
    return SubscriberCard(subscriber, balances, datetime(2026, 11, 23, tzinfo=UTC))


# -- options ---------------------------------------------------------------------------------

def test_options_name_the_rule_for_what_the_subscriber_cannot_have(world: World) -> None:
    mass = world.orders.options(card())
    assert mass.assistant.available and mass.assistant.reason == ""
    assert mass.assistant.trial is not None  # R5: the Assistant is in trial operation
    assert mass.assistant.one_off_fee.amount == 0 and mass.assistant.monthly_fee.amount == 0
    tariffs = {o.request.code: o for o in mass.tariffs}
    assert "SMART" not in tariffs  # not the current one
    assert not tariffs["CLASSIC"].available and "not_available" in tariffs["CLASSIC"].reason
    assert tariffs["CLASSIC"].rule == "not_available" and tariffs["SMART_PLUS"].rule == ""
    adds = {o.request.code: o for o in mass.add_services}
    assert "GUARD" not in adds and "ASSISTANT" not in adds
    assert adds["FAVOURITE"].available and adds["FAVOURITE"].one_off_fee.amount == 25
    assert not adds["CONFERENCE"].available and "not_available" in adds["CONFERENCE"].reason
    assert not adds["SMS_INFO"].available
    assert [o.request.code for o in mass.remove_services] == ["GUARD"]

    for tariff_class in (TariffClass.CORPORATE, TariffClass.VIP):
        refused = world.orders.options(card(tariff_class, code="BIZ"))
        assert not refused.assistant.available and "(R1)" in refused.assistant.reason
        assert refused.assistant.rule == "R1"
        assert {o.request.code: o for o in refused.add_services}["CONFERENCE"].available

    connected = world.orders.options(card(assistant=True))
    assert not connected.assistant.available
    assert "already_connected" in connected.assistant.reason
    assert [o.request.code for o in connected.remove_services] == ["GUARD", "ASSISTANT"]

    blocked = world.orders.options(card(blocked=True))
    every = [*blocked.tariffs, *blocked.add_services, *blocked.remove_services,
             blocked.assistant]
    assert all(not o.available and "subscriber_blocked" in o.reason for o in every)
    assert {o.rule for o in every} == {"subscriber_blocked"}


def test_options_need_no_network_once_the_catalog_is_cached(world: World) -> None:
    world.orders.options(card())
    world.operator.offline = True
    assert world.orders.options(card()).assistant.available  # from the cached catalog
    assert world.orders.tariffs(refresh=True)  # offline: the older catalog still serves
    fresh = World()
    fresh.operator.offline = True
    with pytest.raises(OperatorUnavailable):
        fresh.orders.options(card())


# -- previews and refusals -------------------------------------------------------------------

def test_a_refused_preview_is_refused_on_submit_without_sending(world: World) -> None:
    preview = world.orders.preview(ANNA, OrderRequest(ORLOV, OrderAction.CONNECT_ASSISTANT))
    assert not preview.allowed and preview.refusal_rule == "R1"
    with pytest.raises(OrderRefused) as refused:
        world.orders.submit(ANNA, preview)
    assert refused.value.rule == "R1" and refused.value.exit_code == 3
    assert world.operator.calls == [] and world.outbox.recent() == []
    assert world.journal.actions() == [("assistant_connect", "refused")]


def test_no_preview_offline_and_none_without_a_clerk(world: World) -> None:
    world.operator.offline = True
    with pytest.raises(OperatorUnavailable, match="nothing was sent or queued"):
        world.orders.preview(ANNA, OrderRequest(MARIA, OrderAction.ADD_SERVICE, "FAVOURITE"))
    assert world.connection.snapshot().online is False
    with pytest.raises(NotSignedIn):
        world.orders.preview(None, OrderRequest(MARIA, OrderAction.ADD_SERVICE,  # type: ignore[arg-type]
                                                "FAVOURITE"))


# -- submit ------------------------------------------------------------------------------------

def test_a_confirmed_order_is_done_once_with_its_slip_and_journal(world: World) -> None:
    outcome = world.order(MARIA, OrderAction.ADD_SERVICE, "FAVOURITE")
    assert outcome.status is SubmitStatus.DONE and outcome.item.state is OutboxState.DONE
    assert outcome.slip_path == "/slips/ORD-000001.pdf" == outcome.item.slip_path
    assert outcome.item.result is not None and outcome.item.result.fee.amount == 25
    assert "ORD-000001" in outcome.message
    assert world.operator.applied_keys() == [outcome.item.key]
    assert world.journal.actions() == [("service_add", "done"), ("document_save", "done")]
    clerk, _action, _result, subscriber, detail, _reason = world.journal.entries[0]
    assert (clerk, subscriber) == ("anna", MARIA)
    assert "FAVOURITE" in detail and "fee 25.00 RUB" in detail and "ORD-000001" in detail
    assert world.connection.snapshot().online is True


def test_a_rule_at_the_operator_rejects_it_naming_the_rule(world: World) -> None:
    preview = world.orders.preview(ANNA, OrderRequest(MARIA, OrderAction.CHANGE_TARIFF,
                                                      "BIZ_START"))
    world.operator.accounts[MARIA].balance = Decimal("10.00")  # spent meanwhile
    outcome = world.orders.submit(ANNA, preview)
    assert outcome.status is SubmitStatus.REJECTED
    assert outcome.item.state is OutboxState.REJECTED
    assert outcome.item.refusal_rule == "insufficient_balance"
    assert "insufficient_balance" in outcome.message
    assert world.operator.applied == [] and world.slips.written == []
    assert world.journal.actions() == [("tariff_change", "refused")]


def test_someone_elses_change_makes_it_stale(world: World) -> None:
    preview = world.orders.preview(ANNA, OrderRequest(MARIA, OrderAction.ADD_SERVICE,
                                                      "FAVOURITE"))
    world.operator.accounts[MARIA].version += 1  # another salon changed the subscriber
    outcome = world.orders.submit(ANNA, preview)
    assert outcome.status is SubmitStatus.STALE
    assert outcome.item.state is OutboxState.REJECTED
    assert outcome.item.refusal_rule == "version_mismatch"
    assert world.operator.applied == []


def test_our_own_earlier_order_moving_the_version_is_sent_again(world: World) -> None:
    """Offline, the clerk queued A; back online, they previewed B (A not applied yet). A goes
    first; B meets 412, but the chain of our done orders reaches the current version: B is
    sent again under a new key and applied — each exactly once."""
    world.operator.offline = True
    with pytest.raises(OperatorUnavailable):
        world.order(MARIA, OrderAction.ADD_SERVICE, "FAVOURITE")
    world.operator.offline = False
    first_preview = world.orders.preview(ANNA, OrderRequest(MARIA, OrderAction.ADD_SERVICE,
                                                            "FAVOURITE"))
    world.operator.faults.append("connect")
    a = world.orders.submit(ANNA, first_preview)
    assert a.status is SubmitStatus.UNREACHABLE and not a.item.maybe_delivered
    world.orders.keep_queued(ANNA, a.item.id)
    b = world.order(MARIA, OrderAction.REMOVE_SERVICE, "GUARD")  # previewed at A's version
    assert b.status is SubmitStatus.DONE, b.message
    assert world.outbox.get(a.item.id).state is OutboxState.DONE  # sent first, by run_for
    assert [x.action for x in world.operator.applied] == [OrderAction.ADD_SERVICE,
                                                          OrderAction.REMOVE_SERVICE]
    stale_keys = [k for k, (_fp, answer) in world.operator.stored.items()
                  if isinstance(answer, VersionMismatch)]
    assert len(stale_keys) == 1 and b.item.key not in stale_keys  # a new key for the resend
    assert b.item.if_match == world.outbox.get(a.item.id).result.subscriber_version
    assert world.finished == [world.outbox.get(a.item.id)]  # the listener heard A


def test_unreachable_then_queued_is_sent_by_the_pump(world: World) -> None:
    world.operator.faults.extend(["connect"])
    outcome = world.order(MARIA, OrderAction.ADD_SERVICE, "FAVOURITE")
    assert outcome.status is SubmitStatus.UNREACHABLE
    assert outcome.item.state is OutboxState.QUEUED and not outcome.item.maybe_delivered
    assert world.connection.snapshot().online is False
    assert world.pump.run_once() == []  # held for the clerk's decision
    assert world.orders.pending(MARIA) == [world.outbox.get(outcome.item.id)]
    queued = world.orders.keep_queued(ANNA, outcome.item.id)
    assert queued.next_attempt_at == world.clock.now()
    finished = world.pump.run_once()
    assert [i.state for i in finished] == [OutboxState.DONE]
    assert finished[0].slip_path and world.finished == finished
    assert world.operator.applied_keys() == [outcome.item.key]
    assert [a for a in world.journal.actions()] == [
        ("service_add", "failed"), ("order_queue", "done"), ("service_add", "done"),
        ("document_save", "done")]


def test_an_undecided_order_is_sent_anyway_after_the_hold(world: World) -> None:
    world.operator.faults.append("error")
    outcome = world.order(MARIA, OrderAction.ADD_SERVICE, "FAVOURITE")
    assert outcome.status is SubmitStatus.UNREACHABLE
    world.clock.advance_s(TIMING.decision_hold.total_seconds())
    assert [i.id for i in world.pump.run_once()] == [outcome.item.id]
    assert len(world.operator.applied) == 1


def test_cancel_of_a_surely_undelivered_order(world: World) -> None:
    world.operator.faults.append("connect")
    outcome = world.order(MARIA, OrderAction.ADD_SERVICE, "FAVOURITE")
    cancelled = world.orders.cancel(ANNA, outcome.item.id)
    assert cancelled.state is OutboxState.CANCELLED
    world.clock.advance_s(3600)
    assert world.pump.run_once() == [] and world.operator.applied == []
    assert ("order_cancel", "done") in world.journal.actions()
    with pytest.raises(RuleRefused) as again:
        world.orders.cancel(ANNA, outcome.item.id)
    assert again.value.rule == "not_pending"


def test_cancel_of_an_order_that_was_applied_settles_it_as_done(world: World) -> None:
    world.operator.faults.append("drop_after")  # applied, the answer lost (every retry too)
    outcome = world.order(MARIA, OrderAction.ADD_SERVICE, "FAVOURITE")
    assert outcome.status is SubmitStatus.UNREACHABLE and outcome.item.maybe_delivered
    with pytest.raises(RuleRefused) as refused:
        world.orders.cancel(ANNA, outcome.item.id)
    assert refused.value.rule == "maybe_delivered"
    assert world.pump.run_once() == []  # not before the grace: a request may still travel
    world.clock.advance_s(TIMING.settle_grace.total_seconds())
    finished = world.pump.run_once()
    assert [i.state for i in finished] == [OutboxState.DONE]
    assert finished[0].result is not None and finished[0].slip_path
    assert len(world.operator.applied) == 1
    assert world.operator.calls[-1].startswith("by-key")  # asked, not sent again
    assert any("applied before the cancel" in e[4] for e in world.journal.entries)


def test_cancel_of_an_order_that_never_arrived_settles_it_as_cancelled(world: World) -> None:
    world.operator.faults.append("drop_before")
    outcome = world.order(MARIA, OrderAction.ADD_SERVICE, "FAVOURITE")
    assert outcome.item.maybe_delivered
    with pytest.raises(RuleRefused):
        world.orders.cancel(ANNA, outcome.item.id)
    world.clock.advance_s(TIMING.settle_grace.total_seconds())
    finished = world.pump.run_once()
    assert [i.state for i in finished] == [OutboxState.CANCELLED]
    assert world.operator.applied == []
    assert ("order_cancel", "refused") in world.journal.actions()  # the request, then …
    assert world.journal.actions()[-1] == ("order_cancel", "done")  # … how it settled


def test_cancel_of_an_order_the_operator_refused_settles_it_as_cancelled(
        world: World) -> None:
    """Its refusal was stored for the key and the answer lost: the key finds no order (a
    refused order is not an order), so nothing was applied — cancelled, never sent again."""
    preview = world.orders.preview(ANNA, OrderRequest(MARIA, OrderAction.ADD_SERVICE,
                                                      "FAVOURITE"))
    world.operator.accounts[MARIA].blocked = True  # meanwhile: the operator will refuse it
    world.operator.faults.append("drop_after")  # refused and stored, the answer lost
    outcome = world.orders.submit(ANNA, preview)
    assert outcome.status is SubmitStatus.UNREACHABLE and outcome.item.maybe_delivered
    with pytest.raises(RuleRefused):
        world.orders.cancel(ANNA, outcome.item.id)
    world.operator.accounts[MARIA].blocked = False  # a resend now would apply it
    world.clock.advance_s(TIMING.settle_grace.total_seconds())
    finished = world.pump.run_once()
    assert [i.state for i in finished] == [OutboxState.CANCELLED]
    assert world.operator.applied == []
    assert world.operator.calls[-1].startswith("by-key")  # asked, not sent again
    assert any("not applied by the operator" in e[4] for e in world.journal.entries)


def test_a_crash_mid_send_is_recovered_and_applied_once(world: World) -> None:
    world.operator.faults.append("crash_after")
    with pytest.raises(Crash):
        world.order(MARIA, OrderAction.ADD_SERVICE, "FAVOURITE")
    item = world.outbox.recent()[0]
    assert item.state is OutboxState.SENDING and len(world.operator.applied) == 1
    assert world.pump.run_once() == []  # within the lease: maybe still being sent
    world.clock.advance_s(TIMING.lease.total_seconds() + 1)
    finished = world.pump.run_once()
    assert [i.state for i in finished] == [OutboxState.DONE]
    assert finished[0].attempts == 2 and finished[0].maybe_delivered
    assert finished[0].key == item.key and len(world.operator.applied) == 1


def test_keep_queued_and_cancel_of_finished_orders(world: World) -> None:
    done = world.order(MARIA, OrderAction.ADD_SERVICE, "FAVOURITE")
    with pytest.raises(RuleRefused) as refused:
        world.orders.keep_queued(ANNA, done.item.id)
    assert refused.value.rule == "not_queued"
    with pytest.raises(RuleRefused):
        world.orders.cancel(ANNA, done.item.id)
    assert world.journal.actions()[-2:] == [("order_queue", "refused"),
                                            ("order_cancel", "refused")]


def test_recent_and_pending_views(world: World) -> None:
    world.order(MARIA, OrderAction.ADD_SERVICE, "FAVOURITE")
    world.operator.faults.append("connect")
    queued = world.order(ORLOV, OrderAction.ADD_SERVICE, "GUARD")
    assert [i.id for i in world.orders.recent()] == [queued.item.id, 1]
    assert [i.id for i in world.orders.pending()] == [queued.item.id]
    assert world.orders.pending(MARIA) == []
    assert world.orders.item(queued.item.id) == queued.item


def test_the_catalog_is_cached_for_minutes(world: World) -> None:
    calls = []
    tariffs = world.operator.tariffs
    world.operator.tariffs = lambda: calls.append(1) or tariffs()  # type: ignore[method-assign]
    world.orders.tariffs()
    world.orders.services()
    world.orders.options(card())
    assert len(calls) == 1
    world.orders.tariffs(refresh=True)
    assert len(calls) == 2


def test_the_pump_thread_sends_when_woken_and_tells_the_listeners(world: World) -> None:
    import threading

    heard: list[tuple[int, str]] = []
    arrived = threading.Event()

    def listener(item: OutboxItem) -> None:
        heard.append((item.id, threading.current_thread().name))
        arrived.set()

    world.pump.subscribe(listener)
    world.pump._interval = 30.0  # only a wake can make it go before the test ends
    world.operator.faults.append("connect")
    outcome = world.order(MARIA, OrderAction.ADD_SERVICE, "FAVOURITE")
    world.pump.start()
    try:
        assert world.pump.running
        world.orders.keep_queued(ANNA, outcome.item.id)  # wakes it
        assert arrived.wait(5)
    finally:
        world.pump.stop()
    assert heard == [(outcome.item.id, "outbox-pump")]
    assert not world.pump.running
    assert world.outbox.get(outcome.item.id).state is OutboxState.DONE
