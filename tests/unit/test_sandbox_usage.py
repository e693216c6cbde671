"""Usage records and balances of the sandbox: pure per day, consistent with the balance."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, date, datetime
from itertools import pairwise
from pathlib import Path

import pytest

from sandbox.clock import Clock
from sandbox.entities import SubscriberState
from sandbox.ledger import Ledger
from sandbox.localtime import day_of
from sandbox.store import SeedMismatch, Store
from sandbox.usage import (
    CALL,
    COVERED,
    DATA,
    FEE,
    SMS,
    TOPUP,
    TYPE,
    generate_day,
    signed_amount,
)
from sandbox.world import HEAVY_MSISDN, generate_world
from tests.support.pinned import WORLD_AT

SEED = 2026
NOW = int(datetime(2026, 11, 23, 12, 0, tzinfo=UTC).timestamp())  # a fixed sandbox "now"


def instant(year: int, month: int, day: int, hour: int = 0, minute: int = 0,
            second: int = 0) -> int:
    return int(datetime(year, month, day, hour, minute, second, tzinfo=UTC).timestamp())


@pytest.fixture(scope="module")
def states() -> dict[str, SubscriberState]:
    return {s.msisdn: s for s in generate_world(SEED, WORLD_AT).subscribers}


@pytest.fixture(scope="module")
def ledger(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Ledger]:
    store = Store.open(tmp_path_factory.mktemp("ledger") / "sandbox.sqlite3", SEED, now=WORLD_AT)
    yield Ledger(store, Clock(store, real_time=lambda: NOW))
    store.close()


def test_a_day_is_a_pure_function(states: dict[str, SubscriberState]) -> None:
    maria = states["+79161234567"]
    day = date(2026, 10, 14).toordinal()
    first = generate_day(SEED, maria, day, 50_000)
    assert generate_day(SEED, maria, day, 50_000) == first
    assert generate_day(SEED, maria, day + 1, 50_000).records != first.records
    assert generate_day(SEED + 1, maria, day, 50_000).records != first.records
    assert first.records, "an active subscriber uses the phone every day"
    assert first.times == sorted(first.times)
    assert all(first.start <= t < first.end for t in first.times)


def test_usage_has_every_type_and_sane_fields(states: dict[str, SubscriberState]) -> None:
    maria = states["+79161234567"]
    days = [generate_day(SEED, maria, d, 50_000)
            for d in range(date(2026, 10, 1).toordinal(), date(2026, 11, 1).toordinal())]
    records = [r for d in days for r in d.records]
    assert {r[TYPE] for r in records} == {CALL, SMS, DATA, FEE, TOPUP}
    for _ts, kind, direction, _who, duration, volume, amount, covered in records:
        assert amount >= 0
        assert (duration is not None) == (kind == CALL)
        assert (volume is not None) == (kind == DATA)
        assert (direction is not None) == (kind in (CALL, SMS))
        if covered is not None:  # R6: covered usage is not a charge
            assert amount == 0
            assert (kind, covered) in {(CALL, "minutes"), (SMS, "sms"), (DATA, "data")}
    assert any(r[COVERED] == "minutes" for r in records)
    # The monthly fee falls at local midnight of the 1st (Moscow: 21:00 UTC the day before).
    assert days[0].records[0][:2] == (instant(2026, 9, 30, 21), FEE)


def test_heavy_subscriber_has_100k_records_in_a_full_month(
        states: dict[str, SubscriberState]) -> None:
    heavy = states[HEAVY_MSISDN]
    assert heavy.heavy
    start, end = instant(2026, 10, 1), instant(2026, 11, 1)
    count = 0
    for day in range(date(2026, 9, 30).toordinal(), date(2026, 11, 1).toordinal()):
        count += sum(1 for t in generate_day(SEED, heavy, day, 0).times if start <= t < end)
    assert count >= 100_000


def test_no_records_before_activation_or_after_blocking(
        states: dict[str, SubscriberState]) -> None:
    for state in list(states.values())[:60]:
        tz = Ledger.timezone(state)
        first = day_of(tz, state.activated_at)
        assert generate_day(SEED, state, first - 1, 0).records == []
        day = generate_day(SEED, state, first, state.anchor_kop)
        assert all(t >= state.activated_at for t in day.times)
        if state.blocked_at is not None:
            last = generate_day(SEED, state, day_of(tz, state.blocked_at), 0)
            assert all(t < state.blocked_at for t in last.times)
            assert generate_day(SEED, state, day_of(tz, state.blocked_at) + 1, 0).records == []


def all_records(ledger: Ledger, state: SubscriberState, start: int, end: int) -> list:
    picked, following = ledger.page(state, start, end, False, 10**7, None)
    assert following is None
    return [day.records[i] for day, i in picked]


@pytest.mark.parametrize("msisdn", ["+79161234567", "+79119876543", "+79171234567",
                                    "+79031234500", "+79261112233"])
def test_balance_identity(ledger: Ledger, msisdn: str) -> None:
    """main(T2) = main(T1) + top-ups − charges of the records in [T1, T2)."""
    state = ledger.state(msisdn)
    assert state is not None
    marks = [state.activated_at, instant(2026, 9, 17, 8, 30), instant(2026, 10, 1),
             instant(2026, 11, 5, 13, 7, 41), NOW]
    for t1, t2 in pairwise(marks):
        records = all_records(ledger, state, t1, t2)
        assert ledger.main_at(state, t2) == ledger.main_at(state, t1) + sum(
            map(signed_amount, records))
    assert ledger.main_at(state, state.activated_at) == state.anchor_kop


def test_balances_look_realistic(ledger: Ledger) -> None:
    states = [s for s in ledger.store.load_all() if not s.heavy][:80]
    mains = [ledger.main_at(s, NOW) for s in states]
    assert sum(1 for m in mains if m > 0) >= 0.85 * len(mains)
    assert max(mains) < 50_000_00  # nobody keeps fifty thousand roubles on a phone


def test_packages_count_down_within_the_month(ledger: Ledger) -> None:
    state = ledger.state("+79161234567")
    assert state is not None
    early = {p.kind: p for p in ledger.packages_at(state, instant(2026, 11, 2))}
    late = {p.kind: p for p in ledger.packages_at(state, NOW)}
    assert set(early) == {"minutes", "sms", "data"}
    for kind, package in late.items():
        assert 0 <= package.remaining <= early[kind].remaining <= package.total
    assert late["minutes"].remaining < late["minutes"].total
    assert late["minutes"].expires_at == instant(2026, 11, 30, 21)  # Moscow midnight


def test_debt_of_a_promised_payment(ledger: Ledger) -> None:
    state = ledger.state("+79119876543")
    assert state is not None
    debt = ledger.debt_at(state, NOW)
    assert debt is not None and debt[0] > 0 and debt[1] > state.promised[0].taken_at
    assert ledger.debt_at(state, state.promised[0].taken_at) is None


def test_store_reopens_the_same_world(tmp_path: Path) -> None:
    path = tmp_path / "sandbox.sqlite3"
    first = Store.open(path, SEED, now=WORLD_AT)
    saved = first.load_all()
    Clock(first).advance(3600)
    first.close()
    again = Store.open(path, SEED, now=WORLD_AT)
    assert again.load_all() == saved == list(generate_world(SEED, WORLD_AT).subscribers)
    assert Clock(again).offset_s == 3600
    again.close()
    with pytest.raises(SeedMismatch):
        Store.open(path, SEED + 1, now=WORLD_AT)


def test_clock_only_moves_forward(tmp_path: Path) -> None:
    store = Store.open(tmp_path / "sandbox.sqlite3", SEED, now=WORLD_AT)
    clock = Clock(store, real_time=lambda: NOW + 0.75)
    assert clock.now() == NOW
    assert clock.advance(86400) == 86400 and clock.now() == NOW + 86400
    with pytest.raises(ValueError):
        clock.advance(-1)
    store.close()
