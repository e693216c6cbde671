"""R11, the console's pick-up calls (app/operator_api/pickup.py) against the real sandbox over
loopback: this salon's queue and its destroy list with the numbers and home regions of their
lines, one order, the state reports under an Idempotency-Key (a retry is the same report, a
closed order refuses with R11 and its state), two counters handing over one order at once
(exactly one wins) — and every request and answer held to TM Forum's published v4 documents,
queries included ($TMF_DOCS, default ../shared/tmf/v4)."""

from __future__ import annotations

import threading
import uuid
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta

import httpx
import pytest

from app.errors import InputError, PickupConflict
from app.operator_api.client import OperatorClient
from models.pickup import OperatorState, PickupOrder
from sandbox.server import RunningSandbox
from tests.integration.test_sandbox_kit import TOKEN, start
from tests.support.pinned import RunningClock
from tests.support.tmf_checked import CheckedTransport
from tests.support.tmf_docs import TmfDocs

MOSCOW_SALON = "MSK-TVERSKAYA-12"
MARIA = "+79161234567"


@pytest.fixture(scope="module")
def docs() -> TmfDocs:
    return TmfDocs.from_folder()


@pytest.fixture(scope="module")
def sandbox(tmp_path_factory: pytest.TempPathFactory) -> Iterator[RunningSandbox]:
    with start(tmp_path_factory.mktemp("pickup-client"),
               real_time=RunningClock().seconds) as running:
        yield running


@pytest.fixture(scope="module")
def transport(docs: TmfDocs) -> CheckedTransport:
    return CheckedTransport(docs)


@pytest.fixture(scope="module")
def client(sandbox: RunningSandbox, transport: CheckedTransport) -> Iterator[OperatorClient]:
    made = OperatorClient(sandbox.url, TOKEN, clock=RunningClock(), transport=transport,
                          sleep=lambda _s: None)
    yield made
    made.close()


@pytest.fixture(scope="module")
def raw(sandbox: RunningSandbox) -> Iterator[httpx.Client]:
    with httpx.Client(base_url=f"{sandbox.url}/tmf-api/productOrderingManagement/v4",
                      timeout=30, headers={"Authorization": f"Bearer {TOKEN}"}) as made:
        yield made


def key() -> str:
    return f"pickup-test-{uuid.uuid4().hex}"


def drawn(sandbox: RunningSandbox) -> datetime:
    return datetime.fromtimestamp(sandbox.store.reference, UTC)


def new_one(client: OperatorClient) -> PickupOrder:
    return next(o for o in client.pickup_queue(MOSCOW_SALON) if o.state is OperatorState.NEW)


def test_the_salons_queue_names_each_number_and_its_home_region(
        client: OperatorClient, raw: httpx.Client, sandbox: RunningSandbox) -> None:
    queue = client.pickup_queue(MOSCOW_SALON)
    listed = raw.get("/productOrder", params={
        "productOrderItem.productOffering.id": "paper-detalization",
        "productOrderItem.product.place.id": MOSCOW_SALON,
        "state": "acknowledged,inProgress"}).json()
    assert [o.order_id for o in queue] == [o["id"] for o in listed]
    regions = sandbox.store.region_codes()
    for order in queue:
        assert order.salon == MOSCOW_SALON and order.state.open
        assert order.home_region == regions[order.msisdn] == "RU-MOW"
        assert order.first <= order.last < order.ordered_at.date()
        assert order.name  # the customer's name as the operator gives it
    assert MARIA in {o.msisdn for o in queue}


def test_the_destroy_list_is_the_open_orders_older_than_the_cutoff(
        client: OperatorClient, sandbox: RunningSandbox) -> None:
    cutoff = drawn(sandbox) - timedelta(days=30)
    expired = client.pickup_expired(MOSCOW_SALON, cutoff)
    assert expired and all(o.ordered_at < cutoff and o.state.open for o in expired)
    queue = client.pickup_queue(MOSCOW_SALON)
    assert {o.order_id for o in expired} == {o.order_id for o in queue if o.ordered_at < cutoff}


def test_one_order_and_an_unknown_one(client: OperatorClient) -> None:
    first = client.pickup_queue(MOSCOW_SALON)[0]
    assert client.pickup_order(first.order_id) == first
    with pytest.raises(InputError, match="PU-999999"):
        client.pickup_order("PU-999999")


def test_a_report_retried_under_its_key_is_the_same_report(client: OperatorClient) -> None:
    order = new_one(client)
    same = key()
    printed = client.report_pickup_state(order.order_id, OperatorState.PRINTED, same)
    assert printed.state is OperatorState.PRINTED
    assert client.report_pickup_state(order.order_id, OperatorState.PRINTED, same) == printed
    # A reprint under a new key: the same state again on an open order changes nothing.
    again = client.report_pickup_state(order.order_id, OperatorState.PRINTED, key())
    assert again.state is OperatorState.PRINTED and again.closed_at is None
    handed = client.report_pickup_state(order.order_id, OperatorState.HANDED_OVER, key())
    assert handed.state is OperatorState.HANDED_OVER and handed.closed_at is not None
    with pytest.raises(PickupConflict, match="R11") as refused:
        client.report_pickup_state(order.order_id, OperatorState.DESTROYED, key())
    assert refused.value.rule == "R11" and refused.value.current_state == "completed"
    assert order.order_id not in {o.order_id for o in client.pickup_queue(MOSCOW_SALON)}


def test_a_report_of_an_order_just_read_asks_nothing_more(
        client: OperatorClient, transport: CheckedTransport) -> None:
    """Reported with the order as just read, the answer keeps its number and home region
    (one request: the report); without it, the number is looked up from its line too.
    Either way the same order comes back."""
    order = new_one(client)
    read = client.pickup_order(order.order_id)
    before = len(transport.calls())
    printed = client.report_pickup_state(order.order_id, OperatorState.PRINTED, key(),
                                         read=read)
    assert [method for method, _path in transport.calls()[before:]] == ["PATCH"]
    assert printed == client.report_pickup_state(order.order_id, OperatorState.PRINTED, key())
    assert printed.msisdn == read.msisdn and printed.home_region == read.home_region
    assert printed.state is OperatorState.PRINTED
    other = new_one(client)  # another order's reading is not taken for this one's
    assert other.order_id != order.order_id
    again = client.report_pickup_state(other.order_id, OperatorState.PRINTED, key(), read=read)
    assert again == client.pickup_order(other.order_id)


def test_an_order_read_again_from_a_list_keeps_its_listed_number(
        client: OperatorClient, transport: CheckedTransport) -> None:
    """Read again as a batch goes down its queue: one request (its state), the number and
    home region as the list named them; the same order as read without the list."""
    listed = new_one(client)
    before = len(transport.calls())
    again = client.pickup_order(listed.order_id, listed=listed)
    assert [method for method, _path in transport.calls()[before:]] == ["GET"]
    assert again == client.pickup_order(listed.order_id)
    other = next(o for o in client.pickup_queue(MOSCOW_SALON) if o.order_id != listed.order_id)
    assert client.pickup_order(other.order_id, listed=listed) == other  # not another's


def test_two_counters_hand_over_one_order_at_once_exactly_one_wins(
        client: OperatorClient) -> None:
    order = new_one(client)
    barrier = threading.Barrier(2)
    won: list[PickupOrder] = []
    lost: list[PickupConflict] = []
    keys = [key(), key()]

    def counter(report_key: str) -> None:
        barrier.wait()
        try:
            won.append(client.report_pickup_state(order.order_id, OperatorState.HANDED_OVER,
                                                  report_key))
        except PickupConflict as refusal:
            lost.append(refusal)

    threads = [threading.Thread(target=counter, args=(k,)) for k in keys]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(30)
    assert len(won) == 1 and len(lost) == 1
    assert lost[0].current_state == "completed" and "handed over" in str(lost[0])
    # Each counter's retry gets its own answer again.
    for report_key in keys:
        try:
            again = client.report_pickup_state(order.order_id, OperatorState.HANDED_OVER,
                                               report_key)
        except PickupConflict:
            continue
        assert again == won[0]


def test_every_message_was_as_the_published_document_says(
        docs: TmfDocs, transport: CheckedTransport) -> None:
    assert ("PATCH", "/tmf-api/productOrderingManagement/v4/productOrder/PU-999999") not in \
        transport.calls()
    assert any(method == "PATCH" for method, _path in transport.calls())
    assert docs.checked > 10
    assert docs.deviations == []
