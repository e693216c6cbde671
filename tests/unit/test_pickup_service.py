"""R11's rules in PickupService, with a fake operator at the adapter boundary and a pinned
clock: R7 (an order for a number of another home region, or another salon's, is never shown
or acted on, whatever the operator lists), the destroy list at exactly keep_days, destruction
only of an expired order and only when the clerk confirms, the hand-over only after R10, and
the state reports' Idempotency-Keys (one per clerk's action: the same after a restart, another
for another counter)."""

from __future__ import annotations

import dataclasses
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest

from app.clock import FixedClock
from app.config import SalonSettings
from app.errors import (
    IdentityRequired,
    InputError,
    OperatorUnavailable,
    PickupConflict,
    RuleRefused,
)
from app.services.identity import identity_required
from app.services.pickup import PickupService
from models.domain import ClerkRole, Session
from models.identity import DocumentType, Need, Presenter, Visit
from models.pickup import OperatorState, PickupOrder, PickupState

NOW = datetime(2026, 11, 23, 9, 30, tzinfo=UTC)
KEEP = 30
SALON = SalonSettings("MSK-TVERSKAYA-12", "Салон «Тверская, 12»", "RU-MOW", "Europe/Moscow",
                      "1", "en")
CLERK = Session("anna", "Анна Соколова", ClerkRole.CLERK, NOW)


def order(number: str, ordered: datetime, state: OperatorState = OperatorState.NEW, *,
          salon: str = SALON.id, region: str = "RU-MOW") -> PickupOrder:
    return PickupOrder(number, "+79161234567", "Иванова Мария Петровна", salon,
                       date(2026, 10, 1), date(2026, 10, 31), ordered, state, region)


class FakeApi:
    def __init__(self, *orders: PickupOrder) -> None:
        self.orders = {o.order_id: o for o in orders}
        self.reports: list[tuple[str, OperatorState, str]] = []
        self.asked_before: list[datetime] = []

    def pickup_queue(self, salon: str) -> list[PickupOrder]:
        return [o for o in self.orders.values() if o.state.open]

    def pickup_expired(self, salon: str, ordered_before: datetime) -> list[PickupOrder]:
        self.asked_before.append(ordered_before)
        return [o for o in self.pickup_queue(salon) if o.ordered_at < ordered_before]

    def pickup_order(self, order_id: str, *, listed: PickupOrder | None = None
                     ) -> PickupOrder:
        if order_id not in self.orders:
            raise InputError(f"no {order_id}")
        return self.orders[order_id]

    def report_pickup_state(self, order_id: str, state: OperatorState, key: str, *,
                            read: PickupOrder | None = None) -> PickupOrder:
        self.reports.append((order_id, state, key))
        changed = dataclasses.replace(self.orders[order_id], state=state)
        self.orders[order_id] = changed
        return changed


class NoVisit:
    def require(self, clerk: Session, msisdn: str, *needs: Need) -> None:
        raise identity_required(msisdn, needs[0])

    def visit_of(self, clerk: Session, msisdn: str) -> Visit | None:
        return None


def service(api: FakeApi, tmp_path: Path, *, counter: str = "1",
            identity: Any = None) -> PickupService:
    salon = dataclasses.replace(SALON, counter=counter)
    return PickupService(api, None, None, identity or NoVisit(),  # type: ignore[arg-type]
                         salon=salon, keep_days=KEEP, documents_dir=tmp_path,
                         clock=FixedClock(NOW))


def test_the_console_never_shows_an_order_of_another_home_region_or_salon(
        tmp_path: Path) -> None:
    api = FakeApi(order("PU-1", NOW - timedelta(days=2)),
                  order("PU-2", NOW - timedelta(days=3), region="RU-KO"),
                  order("PU-3", NOW - timedelta(days=4), salon="SPB-NEVSKY-28"))
    pickup = service(api, tmp_path)
    assert [e.order.order_id for e in pickup.queue(CLERK)] == ["PU-1"]
    with pytest.raises(RuleRefused, match="R7") as r7:
        pickup.entry(CLERK, "PU-2")
    assert r7.value.rule == "R7"
    with pytest.raises(InputError, match="another salon"):
        pickup.entry(CLERK, "PU-3")
    with pytest.raises(RuleRefused, match="R7"):
        pickup.hand_over(CLERK, "PU-2")
    assert api.reports == []


def test_an_order_expires_exactly_keep_days_after_it_was_ordered(tmp_path: Path) -> None:
    due = NOW - timedelta(days=KEEP)
    api = FakeApi(order("PU-1", due), order("PU-2", due + timedelta(seconds=1)),
                  order("PU-3", due - timedelta(days=5), OperatorState.PRINTED))
    pickup = service(api, tmp_path)
    states = {e.order.order_id: e.state for e in pickup.queue(CLERK)}
    assert states == {"PU-1": PickupState.EXPIRED, "PU-2": PickupState.NEW,
                      "PU-3": PickupState.EXPIRED}
    assert [e.order.order_id for e in pickup.expired(CLERK)] == ["PU-3"]
    assert api.asked_before == [due]  # the operator is asked for orderDate.lt = now − keep


def test_destruction_needs_the_clerks_yes_and_an_expired_order(tmp_path: Path) -> None:
    api = FakeApi(order("PU-1", NOW - timedelta(days=KEEP + 1)),
                  order("PU-2", NOW - timedelta(days=1)))
    pickup = service(api, tmp_path)
    (tmp_path / "pickup").mkdir()
    copy = tmp_path / "pickup" / "PU-1-DET-20261020-ABCDEFGH.pdf"
    copy.write_bytes(b"%PDF-1.4 personal data")
    with pytest.raises(InputError, match="--yes"):
        pickup.destroy(CLERK, "PU-1", confirmed=False)
    assert copy.exists()
    with pytest.raises(RuleRefused, match="R11"):
        pickup.destroy(CLERK, "PU-2", confirmed=True)
    destroyed = pickup.destroy(CLERK, "PU-1", confirmed=True)
    assert destroyed.state is PickupState.DESTROYED and not copy.exists()  # R9
    with pytest.raises(PickupConflict, match="destroyed"):
        pickup.destroy(CLERK, "PU-1", confirmed=True)
    assert [(o, s) for o, s, _k in api.reports] == [("PU-1", OperatorState.DESTROYED)]


def test_the_hand_over_needs_r10_first(tmp_path: Path) -> None:
    api = FakeApi(order("PU-1", NOW - timedelta(days=1), OperatorState.PRINTED))
    with pytest.raises(IdentityRequired, match="R10") as refused:
        service(api, tmp_path).hand_over(CLERK, "PU-1")
    assert refused.value.need == Need.PICKUP.value
    assert api.reports == []


def test_a_report_key_is_one_per_clerks_action(tmp_path: Path) -> None:
    api = FakeApi()
    one = service(api, tmp_path).report_key(CLERK, "PU-1", OperatorState.HANDED_OVER)
    after_restart = service(api, tmp_path).report_key(CLERK, "PU-1", OperatorState.HANDED_OVER)
    other_counter = service(api, tmp_path, counter="2").report_key(
        CLERK, "PU-1", OperatorState.HANDED_OVER)
    other_state = service(api, tmp_path).report_key(CLERK, "PU-1", OperatorState.PRINTED)
    assert one == after_restart
    assert len({one, other_counter, other_state}) == 3
    assert 16 <= len(one) <= 128 and one.replace("-", "").isalnum()


@pytest.mark.parametrize("typed", ["", "   ", "PU-1/../x", "x" * 65, "PU-\x1b[2J"])
def test_a_malformed_order_number_is_refused(typed: str, tmp_path: Path) -> None:
    with pytest.raises(InputError):
        service(FakeApi(), tmp_path).entry(CLERK, typed)


class KeyedApi(FakeApi):
    """Reports as the operator answers them: a key's answer is stored (a retry gets it again),
    a closed order refuses another key with R11; `lose_next`: the next report is applied and
    stored, and its answer lost on the way back (a timeout)."""

    def __init__(self, *orders: PickupOrder) -> None:
        super().__init__(*orders)
        self.answers: dict[str, PickupOrder] = {}
        self.lose_next = False

    def report_pickup_state(self, order_id: str, state: OperatorState, key: str, *,
                            read: PickupOrder | None = None) -> PickupOrder:
        if key in self.answers:
            return self.answers[key]
        if not self.orders[order_id].state.open:
            raise PickupConflict("R11: closed", self.orders[order_id].state.value)
        self.answers[key] = super().report_pickup_state(order_id, state, key, read=read)
        if self.lose_next:
            self.lose_next = False
            error = OperatorUnavailable("no answer")
            error.maybe_delivered = True
            raise error
        return self.answers[key]


class Checked:
    def __init__(self) -> None:
        self.visit = Visit(SALON.id, SALON.counter, "+79161234567", CLERK.login,
                           Presenter.HOLDER, DocumentType.PASSPORT_RF, "hash", "3456", NOW,
                           NOW + timedelta(minutes=15))

    def require(self, clerk: Session, msisdn: str, *needs: Need) -> None:
        pass

    def visit_of(self, clerk: Session, msisdn: str) -> Visit | None:
        return self.visit


class Printing:
    def __init__(self) -> None:
        self.printed: list[Path] = []

    def print_document(self, clerk: Session, path: Path, **_what: object) -> str:
        self.printed.append(path)
        return f"job {len(self.printed)}"


def test_a_hand_over_whose_answer_was_lost_is_finished_by_the_same_action(
        tmp_path: Path) -> None:
    api = KeyedApi(order("PU-1", NOW - timedelta(days=1), OperatorState.PRINTED))
    printing = Printing()
    pickup = PickupService(api, None, printing, Checked(),  # type: ignore[arg-type]
                           salon=SALON, keep_days=KEEP, documents_dir=tmp_path,
                           clock=FixedClock(NOW))
    api.lose_next = True
    with pytest.raises(OperatorUnavailable):
        pickup.hand_over(CLERK, "PU-1")
    assert printing.printed == []  # no receipt for a hand-over not known to be done
    handed = pickup.hand_over(CLERK, "PU-1")  # the clerk tries again: the same report
    assert handed.entry.state is PickupState.HANDED_OVER
    assert [p.name for p in printing.printed] == [handed.receipt.name]
    assert len({key for _o, _s, key in api.reports}) == 1
    # Once its receipt is here, the order is closed for this counter too: no second one.
    with pytest.raises(PickupConflict, match="already been handed over"):
        pickup.hand_over(CLERK, "PU-1")
    # Another counter's attempt is refused by the operator (its key is another).
    other = PickupService(api, None, Printing(), Checked(),  # type: ignore[arg-type]
                          salon=dataclasses.replace(SALON, counter="2"), keep_days=KEEP,
                          documents_dir=tmp_path / "two", clock=FixedClock(NOW))
    with pytest.raises(PickupConflict):
        other.hand_over(CLERK, "PU-1")
