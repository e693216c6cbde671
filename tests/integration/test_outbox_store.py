"""The outbox store's contract, on SQLite, on a real PostgreSQL, and in memory (the fake the
GUI and unit tests use must behave the same): the row comes back as written, every state
change is a compare-and-set, a subscriber's rows go in order, a cancel only of what surely
never left, recovery of a crashed send by lease or by a dead owner, and many senders racing
for the same rows — each row is claimed by exactly one."""

from __future__ import annotations

import threading
from collections import Counter
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest

from models.db import connect_url, database, open_store
from models.domain import Money
from models.orders import NewOrder, OrderAction, OrderPreview, OrderRequest, OrderResult
from models.orders import OutboxState as S
from models.outbox import StoreOutbox
from tests.support.order_fakes import MemoryOutbox

T0 = datetime(2026, 11, 23, 10, 0, tzinfo=UTC)
LEASE = timedelta(seconds=30)
ANNA, BORIS = "+79161234567", "+79261112233"


@pytest.fixture(params=["memory", "sqlite", "postgresql"])
def outbox(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Any]:
    if request.param == "memory":
        yield MemoryOutbox()
        return
    url = f"sqlite:///{tmp_path / 'salon.db'}"
    if request.param == "postgresql":
        url = request.getfixturevalue("postgres_url")
    db = open_store(url)
    try:
        yield StoreOutbox()
    finally:
        db.close()
        if request.param == "postgresql":  # leave the shared server empty for the next test
            db = connect_url(url)
            db.execute_sql(f"DROP TABLE {', '.join(db.get_tables())} CASCADE")
            db.close()


def rub(value: str) -> Money:
    return Money(Decimal(value))


def order(msisdn: str = ANNA, code: str = "FAVOURITE", *, key: str | None = None,
          due: datetime = T0, version: int = 3) -> NewOrder:
    request = OrderRequest(msisdn, OrderAction.ADD_SERVICE, code)
    preview = OrderPreview(request, True, None, None, rub("25.00"), rub("549.00"),
                           rub("599.00"), rub("1197.00"), rub("1172.00"), None, (), version)
    return NewOrder(key or f"salon-{msisdn[1:]}-{code}-{version}", request, version, "anna",
                    "Анна Соколова", "MSK-001", "2", preview,
                    {"subscriber_name": "Иванова Мария Петровна", "timezone": "Europe/Moscow"},
                    T0, due)


def result(version: int = 4, order_id: str = "ORD-000001") -> OrderResult:
    return OrderResult(order_id, rub("25.00"), rub("599.00"), rub("1172.00"), T0, version, ())


def claim(outbox: Any, item_id: int, now: datetime = T0, owner: str = "me") -> Any:
    return outbox.claim(item_id, now, now + LEASE, owner)


def test_a_row_comes_back_as_written(outbox: Any) -> None:
    written = order()
    item = outbox.add(written)
    assert item.state is S.QUEUED and item.attempts == 0 and not item.maybe_delivered
    assert item.key == written.key and item.request == written.request
    assert item.if_match == 3 and item.clerk == "anna"
    assert item.preview == written.preview and item.created_at == T0
    assert item.next_attempt_at == T0 and item.created_at.tzinfo is not None
    assert outbox.get(item.id) == item
    extras = outbox.extras(item.id)
    assert (extras.clerk_name, extras.salon, extras.counter) == ("Анна Соколова", "MSK-001", "2")
    assert extras.context["subscriber_name"] == "Иванова Мария Петровна"
    assert outbox.pending() == [item] and outbox.recent() == [item]


def test_claim_and_settle_are_compare_and_set(outbox: Any) -> None:
    item = outbox.add(order())
    sending = claim(outbox, item.id)
    assert sending.state is S.SENDING and sending.attempts == 1
    assert claim(outbox, item.id) is None  # another sender: nothing
    done = outbox.finish_done(sending, result(), T0)
    assert done.state is S.DONE and done.result == result() and not done.pending
    assert outbox.finish_rejected(sending, "R1", "no", T0) is None  # final stays final
    assert outbox.release(sending, T0, "x", True, T0) is None
    assert outbox.get(item.id) == done
    outbox.set_slip(item.id, "/tmp/slip.pdf")
    assert outbox.get(item.id).slip_path == "/tmp/slip.pdf"


def test_a_subscribers_rows_go_in_order(outbox: Any) -> None:
    first = outbox.add(order(code="FAVOURITE"))
    second = outbox.add(order(code="GUARD"))
    other = outbox.add(order(BORIS, "GUARD"))
    assert [i.id for i in outbox.due_heads(T0)] == [first.id, other.id]
    assert claim(outbox, second.id) is None  # waits for the first
    assert claim(outbox, other.id) is not None  # another subscriber does not wait
    sending = claim(outbox, first.id)
    assert claim(outbox, second.id) is None  # still pending (sending)
    assert outbox.due_heads(T0) == []
    outbox.finish_rejected(sending, "insufficient_balance", "no money", T0)
    assert [i.id for i in outbox.due_heads(T0)] == [second.id]
    assert claim(outbox, second.id) is not None


def test_due_times_and_the_next_due(outbox: Any) -> None:
    later = outbox.add(order(due=T0 + timedelta(minutes=2)))
    assert outbox.due_heads(T0) == [] and outbox.next_due() == T0 + timedelta(minutes=2)
    assert outbox.make_due(later.id, T0).next_attempt_at == T0
    assert [i.id for i in outbox.due_heads(T0)] == [later.id]
    sending = claim(outbox, later.id)
    assert outbox.make_due(later.id, T0) is None  # not queued any more
    back = outbox.release(sending, T0, "The operator's system cannot be reached.", False,
                          T0 + timedelta(seconds=5))
    assert back.state is S.QUEUED and back.last_error.startswith("The operator")
    assert back.attempts == 1 and not back.maybe_delivered
    assert outbox.due_heads(T0) == [] and outbox.due_heads(T0 + timedelta(seconds=5)) == [back]


def test_maybe_delivered_only_turns_on_and_blocks_a_plain_cancel(outbox: Any) -> None:
    item = outbox.add(order())
    sending = claim(outbox, item.id)
    back = outbox.release(sending, T0, "broken", True, T0)
    assert back.maybe_delivered
    again = outbox.release(claim(outbox, item.id), T0, "refused", False, T0)
    assert again.maybe_delivered and again.attempts == 2
    assert outbox.cancel(item.id, T0) is None
    asked = outbox.request_cancel(item.id, T0, T0 + timedelta(seconds=60))
    assert asked.cancel_requested and asked.state is S.QUEUED
    assert asked.next_attempt_at == T0 + timedelta(seconds=60)
    settling = claim(outbox, item.id, T0 + timedelta(seconds=60))
    assert settling.cancel_requested
    assert outbox.finish_cancelled(settling, T0).state is S.CANCELLED


def test_a_surely_undelivered_row_is_cancelled_at_once(outbox: Any) -> None:
    item = outbox.add(order())
    cancelled = outbox.cancel(item.id, T0)
    assert cancelled.state is S.CANCELLED and not cancelled.pending
    assert claim(outbox, item.id) is None and outbox.cancel(item.id, T0) is None
    assert outbox.request_cancel(item.id, T0, T0) is None
    assert outbox.pending() == []


def test_a_crashed_send_is_recovered_by_lease_or_dead_owner(outbox: Any) -> None:
    item = outbox.add(order())
    crashed = claim(outbox, item.id, owner="host:1:1")
    assert outbox.recover(T0 + LEASE - timedelta(seconds=1), lambda owner: False) == 0
    assert outbox.get(item.id).state is S.SENDING
    assert outbox.recover(T0 + timedelta(seconds=1), lambda owner: owner == "host:1:1") == 1
    back = outbox.get(item.id)
    assert back.state is S.QUEUED and back.maybe_delivered and back.attempts == 1
    # The crashed sender cannot record anything over the recovered row.
    assert outbox.finish_done(crashed, result(), T0) is None
    resent = claim(outbox, item.id, T0 + timedelta(seconds=2))
    assert resent.attempts == 2 and resent.key == item.key  # the same key again
    assert outbox.recover(T0 + timedelta(seconds=3), lambda owner: False) == 0
    assert outbox.recover(T0 + 2 * LEASE + timedelta(seconds=3), lambda owner: False) == 1


def test_rekey_and_applied_versions(outbox: Any) -> None:
    first = outbox.add(order(version=3))
    outbox.finish_done(claim(outbox, first.id), result(version=4), T0)
    second = outbox.add(order(code="GUARD", version=3))
    sending = claim(outbox, second.id)
    assert outbox.applied_versions(ANNA) == {3: 4}
    moved = outbox.rekey(sending, "salon-a-new-key-0001", 4, T0)
    assert moved.key == "salon-a-new-key-0001" and moved.if_match == 4
    assert moved.state is S.SENDING and not moved.maybe_delivered
    assert outbox.applied_versions(BORIS) == {}


def test_racing_senders_claim_each_row_exactly_once(outbox: Any) -> None:
    numbers = [f"+7916555{n:04d}" for n in range(12)]
    ids = [outbox.add(order(m, key=f"salon-race-{m[1:]}")).id for m in numbers]
    wins: Counter[int] = Counter()
    lock = threading.Lock()
    start = threading.Barrier(6)

    def sender(name: str) -> None:
        start.wait()
        try:
            for item_id in ids:
                if claim(outbox, item_id, owner=name) is not None:
                    with lock:
                        wins[item_id] += 1
        finally:
            if not isinstance(outbox, MemoryOutbox):
                database.close()  # this thread's own connection

    threads = [threading.Thread(target=sender, args=(f"pump-{n}",)) for n in range(6)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
    assert wins == Counter(dict.fromkeys(ids, 1))
    assert all(outbox.get(i).attempts == 1 for i in ids)
