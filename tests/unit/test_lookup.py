"""The lookup use case with a fake operator API and the real card cache on SQLite."""

from __future__ import annotations

import threading
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from app.clock import FixedClock
from app.errors import BadPhoneNumber, NotSignedIn, OperatorUnavailable, SubscriberNotFound
from app.services.connection import ConnectionState
from app.services.lookup import LookupService
from models.card_cache import StoreCardCache
from models.db import open_store
from models.domain import Balances, ClerkRole, Session, Subscriber
from tests.support.domain_samples import sample_balances, sample_subscriber
from tests.support.identity import IDENTIFIED


class FakeOperator:
    def __init__(self) -> None:
        self.down = False
        self.missing: set[str] = set()
        self.calls: list[str] = []
        self.meeting: threading.Barrier | None = None  # the card and the balances must meet

    def subscriber(self, msisdn: str) -> Subscriber:
        self._call(msisdn)
        return sample_subscriber(msisdn)

    def balances(self, msisdn: str) -> Balances:
        self._call(msisdn)
        return sample_balances()

    def health(self) -> None:
        self._call("/health")

    def _call(self, msisdn: str) -> None:
        self.calls.append(msisdn)
        if self.meeting is not None:
            self.meeting.wait(timeout=5)  # BrokenBarrierError unless both are asked at once
        if self.down:
            raise OperatorUnavailable("The operator's system cannot be reached.")
        if msisdn in self.missing:
            raise SubscriberNotFound(f"There is no subscriber with the number {msisdn}.")


CLERK = Session("anna", "Анна Соколова", ClerkRole.CLERK, datetime(2026, 11, 23, 9, 0, tzinfo=UTC))


class Clock(FixedClock):
    def __init__(self) -> None:
        super().__init__(datetime(2026, 11, 23, 10, 0, tzinfo=UTC))


@pytest.fixture
def world(tmp_path: Path):
    db = open_store(f"sqlite:///{tmp_path / 'store.db'}")
    clock = Clock()
    api, connection = FakeOperator(), ConnectionState(clock)
    yield LookupService(api, StoreCardCache(), connection, clock,
        identity=IDENTIFIED), api, clock, connection
    db.close()


def test_a_live_lookup_returns_the_card_and_saves_it(world) -> None:
    service, _api, clock, connection = world
    card = service.lookup("8 (916) 123-45-67", CLERK)
    assert card.source == "api"
    assert card.fetched_at == clock.now()
    assert card.subscriber.msisdn == "+79161234567"
    assert connection.snapshot().online is True
    assert service.saved_card("+79161234567", CLERK) is not None


def test_offline_serves_the_saved_card_marked_with_its_age(world) -> None:
    service, api, clock, connection = world
    live = service.lookup("+79161234567", CLERK)
    api.down = True
    clock.advance(timedelta(minutes=15))
    cached = service.lookup("+7 916 123 45 67", CLERK)
    assert cached.source == "cache"
    assert cached.fetched_at == live.fetched_at  # the age shows how old it is
    assert cached.subscriber == live.subscriber
    assert cached.balances == live.balances
    snapshot = connection.snapshot()
    assert snapshot.online is False
    assert "cannot be reached" in (snapshot.reason or "")


def test_offline_without_a_saved_card_says_so(world) -> None:
    service, api, _clock, _connection = world
    api.down = True
    with pytest.raises(OperatorUnavailable, match="no saved card"):
        service.lookup("+79161234567", CLERK)


def test_a_bad_number_never_reaches_the_api(world) -> None:
    service, api, _clock, _connection = world
    with pytest.raises(BadPhoneNumber):
        service.lookup("916-ABC", CLERK)
    assert api.calls == []


def test_a_number_that_left_forgets_its_saved_card(world) -> None:
    service, api, _clock, _connection = world
    service.lookup("+79161234567", CLERK)
    api.missing.add("+79161234567")
    with pytest.raises(SubscriberNotFound):
        service.lookup("+79161234567", CLERK)
    assert service.saved_card("+79161234567", CLERK) is None


def test_nothing_is_looked_up_without_a_signed_in_clerk(world) -> None:
    service, api, _clock, _connection = world
    with pytest.raises(NotSignedIn):
        service.lookup("+79161234567", None)  # type: ignore[arg-type]
    with pytest.raises(NotSignedIn):
        service.saved_card("+79161234567", None)  # type: ignore[arg-type]
    assert api.calls == []


def test_the_connection_is_checked_before_any_lookup(world) -> None:
    service, api, _clock, connection = world
    api.down = True
    service.check_connection()  # never raises: the window's dot is the answer
    assert connection.snapshot().online is False
    api.down = False
    service.check_connection()
    assert connection.snapshot().online is True
    assert api.calls == ["/health", "/health"]


def test_the_card_and_the_balances_are_asked_at_once(world) -> None:
    """Asked one after the other, the first would wait at the meeting for ever (here: until
    the barrier's timeout breaks it and the lookup fails)."""
    service, api, _clock, _connection = world
    api.meeting = threading.Barrier(2)
    card = service.lookup("+79161234567", CLERK)
    assert card.subscriber == sample_subscriber() and card.balances == sample_balances()
    assert api.calls == ["+79161234567", "+79161234567"]


def test_when_both_fail_the_cards_error_is_the_one_shown(world) -> None:
    """A number that left: the card says so (and the saved card is forgotten), whatever the
    balances said at the same moment."""
    service, api, _clock, _connection = world
    service.lookup("+79161234567", CLERK)

    def balances(msisdn: str) -> Balances:
        raise OperatorUnavailable("The operator's system cannot be reached.")

    api.missing.add("+79161234567")
    api.balances = balances  # type: ignore[method-assign]
    with pytest.raises(SubscriberNotFound):
        service.lookup("+79161234567", CLERK)
    assert service.saved_card("+79161234567", CLERK) is None
