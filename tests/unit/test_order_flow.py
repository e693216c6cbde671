"""The operation's steps (app/flows/orders.py) over the real OrderService and its outbox, with
the operator's order side scripted: what the window and `salon tariff|service` both run."""

from __future__ import annotations

from dataclasses import replace

import pytest

from app.errors import InputError, RuleRefused
from app.flows.orders import OrderFlow, Settled
from models.domain import TariffClass
from models.orders import OrderAction, OrderRequest, OutboxState, SubmitStatus
from tests.unit.test_orders_service import ANNA, MARIA, ORLOV, World, card


@pytest.fixture
def world() -> World:
    return World()


@pytest.fixture
def flow(world: World) -> OrderFlow:
    return OrderFlow(world.orders, ANNA)


def test_a_code_the_catalog_lacks_is_refused_before_the_operator_is_asked(
        world: World, flow: OrderFlow) -> None:
    with pytest.raises(InputError, match="NOPE"):
        flow.request(MARIA, OrderAction.CHANGE_TARIFF, "NOPE")
    with pytest.raises(InputError, match="salon services"):
        flow.request(MARIA, OrderAction.ADD_SERVICE, "NOPE")
    assert flow.request(MARIA, OrderAction.CHANGE_TARIFF, "SMART_PLUS").code == "SMART_PLUS"


def test_an_option_the_card_rules_out_never_reaches_the_operator(world: World,
                                                                 flow: OrderFlow) -> None:
    corporate = card(TariffClass.CORPORATE, code="BIZ_START")
    corporate = replace(corporate, subscriber=replace(corporate.subscriber, msisdn=ORLOV))
    assistant = flow.options(corporate).assistant
    assert not assistant.available and assistant.rule == "R1"
    world.operator.offline = True  # were the operator asked, this would be OperatorUnavailable
    with pytest.raises(RuleRefused) as refused:
        flow.preview(assistant)
    assert refused.value.rule == "R1"


def test_a_refused_preview_is_never_submitted(world: World, flow: OrderFlow) -> None:
    preview = flow.preview(OrderRequest(MARIA, OrderAction.ADD_SERVICE, "GUARD"))  # has it
    assert not preview.allowed
    refusal = flow.refusal(preview)
    assert refusal is not None and refusal.rule == preview.refusal_rule
    with pytest.raises(RuleRefused):
        flow.submit(preview)
    assert world.orders.pending() == [] and world.orders.recent() == []


def test_submit_then_a_412_says_what_changed_and_what_may_be_done_now(flow: OrderFlow) -> None:
    before = card(services=("GUARD",), main="500.00", version=3)
    after = card(code="SMART_PLUS", services=("FAVOURITE",), assistant=True, main="475.00",
                 version=5)
    changed = flow.changed(before, after)
    assert changed.card is after
    assert changed.changes == (
        "tariff «Smart» → «Smart_Plus»", "connected: «Любимый номер»",
        "disconnected: «Антивирус»", "the Electronic Assistant is connected",
        "main balance 500.00\u00a0₽ → 475.00\u00a0₽")
    assert changed.options == flow.options(after)
    same = flow.changed(before, replace(before, subscriber=replace(before.subscriber, version=4)))
    assert same.changes == ("the operator's record was updated (version 3 → 4)",)


@pytest.mark.parametrize("fault, keep, kind, state", [
    ("connect", True, Settled.QUEUED, OutboxState.QUEUED),
    ("connect", False, Settled.CANCELLED, OutboxState.CANCELLED),
    ("drop_before", False, Settled.CANCEL_REFUSED, OutboxState.QUEUED),
])
def test_an_unconfirmed_write_is_queued_or_cancelled_never_lost(
        world: World, flow: OrderFlow, fault: str, keep: bool, kind: Settled,
        state: OutboxState) -> None:
    world.operator.faults.append(fault)
    outcome = flow.submit(flow.preview(OrderRequest(MARIA, OrderAction.ADD_SERVICE,
                                                    "FAVOURITE")))
    assert outcome.status is SubmitStatus.UNREACHABLE
    settlement = flow.settle(outcome.item.id, keep=keep)
    assert settlement.kind is kind
    assert settlement.item.id == outcome.item.id and settlement.item.state is state
    if kind is Settled.CANCEL_REFUSED:  # it may have arrived: it stays to be settled
        assert settlement.refusal is not None
        with pytest.raises(RuleRefused):
            settlement.raise_if_refused()
    else:
        settlement.raise_if_refused()
