"""Orders of the sandbox without HTTP: fees by tariff plan (R4), every refusal rule, dropped
services, trial notices (R5), and pricing of the day a tariff changes."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, date, datetime
from pathlib import Path

import pytest

from sandbox import orders
from sandbox.catalog import (
    ASSISTANT,
    SERVICES_BY_CODE,
    TARIFFS,
    TARIFFS_BY_CODE,
    connection_fee_kop,
    switch_fee_kop,
)
from sandbox.clock import Clock
from sandbox.entities import BLOCKED, ServicePeriod, SubscriberState, TariffPeriod
from sandbox.ledger import Ledger
from sandbox.localtime import day_of, day_start
from sandbox.orders import BadOrder, Quote, quote, target
from sandbox.store import Store
from sandbox.usage import CALL, FEE, OUT, SMS, TYPE, generate_day, signed_amount
from sandbox.world import generate_world
from tests.support.pinned import WORLD_AT

NOW = int(datetime(2026, 11, 23, 9, 0, tzinfo=UTC).timestamp())
MARIA = "+79161234567"  # SMART, GUARD + the Assistant
ORLOV = "+79261112233"  # BIZ_START (corporate)
VORONTSOVA = "+79031234500"  # PREMIUM (VIP)
KHABIBULLIN = "+79171234567"  # blocked
RICH = 10**8


@pytest.fixture(scope="module")
def world() -> dict[str, SubscriberState]:
    return {s.msisdn: s for s in generate_world(2026, WORLD_AT).subscribers}


def on_tariff(state: SubscriberState, code: str) -> SubscriberState:
    return replace(state, tariffs=(TariffPeriod(state.activated_at, code),))


def ask(state: SubscriberState, action: str, code: str | None = None,
        main_kop: int = RICH, now: int = NOW) -> Quote:
    tariff_code = code if action == orders.CHANGE_TARIFF else None
    service_code = code if action in (orders.ADD_SERVICE, orders.REMOVE_SERVICE) else None
    return quote(state, target(action, tariff_code, service_code), now, main_kop, WORLD_AT)


def rule(q: Quote) -> str | None:
    return None if q.refusal is None else q.refusal.rule


def test_fee_rules_of_the_catalog() -> None:
    """R4: the subscriber's plan decides what share of the list price it charges."""
    t = TARIFFS_BY_CODE
    favourite = SERVICES_BY_CODE["FAVOURITE"]
    assert connection_fee_kop(t["SMART"], favourite) == 2500
    assert connection_fee_kop(t["SMART_PLUS"], favourite) == 1250  # half price
    assert connection_fee_kop(t["BIZ_MAX"], SERVICES_BY_CODE["ANTI_AON"]) == 0
    assert connection_fee_kop(t["BIZ_START"], SERVICES_BY_CODE["ANTI_AON"]) == 3000
    assert switch_fee_kop(t["SMART"], t["SMART_PLUS"]) == 10000
    assert switch_fee_kop(t["ONLINE"], t["SMART_PLUS"]) == 5000  # half price
    assert switch_fee_kop(t["CLASSIC"], t["SMART_PLUS"]) == 0  # leaving the archive is free
    assert switch_fee_kop(t["PREMIUM"], t["PLATINUM"]) == 0  # VIP: free switching
    assert switch_fee_kop(t["BIZ_START"], t["PLATINUM"]) == 100000
    assert all(connection_fee_kop(tariff, SERVICES_BY_CODE[ASSISTANT]) == 0
               for tariff in TARIFFS)  # R1: the Assistant is free


def test_quote_fees_differ_by_the_subscribers_tariff(world: dict[str, SubscriberState]) -> None:
    maria = world[MARIA]
    fees = {code: ask(on_tariff(maria, code), orders.ADD_SERVICE, "FAVOURITE").fee_kop
            for code in ("SMART", "SMART_PLUS", "BASIC")}
    assert fees == {"SMART": 2500, "SMART_PLUS": 1250, "BASIC": 2500}
    switch = {code: ask(on_tariff(maria, code), orders.CHANGE_TARIFF, "SMART_PLUS").fee_kop
              for code in ("SMART", "ONLINE", "CLASSIC")}
    assert switch == {"SMART": 10000, "ONLINE": 5000, "CLASSIC": 0}


def test_quote_of_a_service(world: dict[str, SubscriberState]) -> None:
    q = ask(world[MARIA], orders.ADD_SERVICE, "FAVOURITE", main_kop=50000)
    assert rule(q) is None
    assert (q.fee_kop, q.balance_before_kop, q.balance_after_kop) == (2500, 50000, 47500)
    # SMART 450 + GUARD 99 + Assistant 0, then + FAVOURITE 50 a month
    assert (q.monthly_before_kop, q.monthly_after_kop) == (54900, 59900)
    assert q.fee_counterpart == "Подключение: Любимый номер"
    assert q.trial is None and q.dropped == ()
    removed = ask(world[MARIA], orders.REMOVE_SERVICE, "GUARD")
    assert (rule(removed), removed.fee_kop, removed.monthly_after_kop) == (None, 0, 45000)


@pytest.mark.parametrize(("msisdn", "tariff", "action", "code", "expected"), [
    (KHABIBULLIN, None, orders.ADD_SERVICE, "GUARD", "subscriber_blocked"),
    (KHABIBULLIN, None, orders.CHANGE_TARIFF, "SMART", "subscriber_blocked"),
    (MARIA, None, orders.CHANGE_TARIFF, "SMART", "same_tariff"),
    (MARIA, None, orders.CHANGE_TARIFF, "CLASSIC", "not_available"),
    (MARIA, None, orders.ADD_SERVICE, "GUARD", "already_connected"),
    (MARIA, None, orders.CONNECT_ASSISTANT, None, "already_connected"),
    (ORLOV, None, orders.CONNECT_ASSISTANT, None, "R1"),
    (VORONTSOVA, None, orders.ADD_SERVICE, ASSISTANT, "R1"),
    (MARIA, None, orders.ADD_SERVICE, "CONFERENCE", "not_available"),  # corporate/VIP only
    (MARIA, None, orders.ADD_SERVICE, "SMS_INFO", "not_available"),  # archived
    (MARIA, None, orders.REMOVE_SERVICE, "FAVOURITE", "not_connected"),
    (ORLOV, None, orders.REMOVE_SERVICE, ASSISTANT, "not_connected"),
    (MARIA, "SMART_PLUS", orders.ADD_SERVICE, "BEEP", None),
    (ORLOV, None, orders.ADD_SERVICE, "ANTI_AON", None),
])
def test_each_refusal_rule(world: dict[str, SubscriberState], msisdn: str, tariff: str | None,
                           action: str, code: str | None, expected: str | None) -> None:
    state = world[msisdn] if tariff is None else on_tariff(world[msisdn], tariff)
    q = ask(state, action, code)
    assert rule(q) == expected
    if q.refusal is not None:
        assert q.refusal.message


def test_insufficient_balance_only_for_a_fee_above_the_main_balance(
        world: dict[str, SubscriberState]) -> None:
    maria = world[MARIA]
    assert rule(ask(maria, orders.ADD_SERVICE, "FAVOURITE", main_kop=2499)) == \
        "insufficient_balance"
    assert rule(ask(maria, orders.ADD_SERVICE, "FAVOURITE", main_kop=2500)) is None
    # A free change is allowed whatever the balance; the bonus balance never pays fees.
    assert rule(ask(maria, orders.ADD_SERVICE, "WHO_CALLED", main_kop=-5000)) is None
    assert rule(ask(maria, orders.REMOVE_SERVICE, "GUARD", main_kop=-5000)) is None
    # The earlier rule wins: blocked before balance.
    blocked = replace(maria, status=BLOCKED)
    assert rule(ask(blocked, orders.ADD_SERVICE, "FAVOURITE", main_kop=0)) == \
        "subscriber_blocked"


def test_a_change_of_class_drops_what_the_new_class_may_not_have(
        world: dict[str, SubscriberState]) -> None:
    maria = replace(world[MARIA], services=(
        *world[MARIA].services, ServicePeriod("BEEP", NOW - 3600),
        ServicePeriod("MOBILE_TV", NOW - 3600)))
    to_vip = ask(maria, orders.CHANGE_TARIFF, "PREMIUM")
    assert rule(to_vip) is None
    assert {s.code for s in to_vip.dropped} == {ASSISTANT, "BEEP"}  # R1; BEEP is mass only
    assert to_vip.monthly_after_kop == 300000 + 9900 + 19900  # PREMIUM + GUARD + MOBILE_TV
    to_corporate = ask(maria, orders.CHANGE_TARIFF, "BIZ_START")
    assert {s.code for s in to_corporate.dropped} == {ASSISTANT, "BEEP", "MOBILE_TV"}
    assert to_corporate.fee_kop == 30000
    assert ask(maria, orders.CHANGE_TARIFF, "ONLINE").dropped == ()


def test_trial_operation_is_shown_until_it_ends(world: dict[str, SubscriberState]) -> None:
    """R5: the Assistant is in trial operation 2026-11-11..2026-12-11 (home-region dates)."""
    fresh = replace(world[MARIA], services=tuple(p for p in world[MARIA].services
                                                 if p.service_code != ASSISTANT))
    during = ask(fresh, orders.CONNECT_ASSISTANT)
    assert (rule(during), during.fee_kop) == (None, 0)
    assert during.trial == (date(2026, 11, 11), date(2026, 12, 11))
    last_day = int(datetime(2026, 12, 11, 20, 59, tzinfo=UTC).timestamp())  # 23:59 in Moscow
    assert ask(fresh, orders.CONNECT_ASSISTANT, now=last_day).trial is not None
    after = ask(fresh, orders.CONNECT_ASSISTANT, now=last_day + 60)
    assert after.trial is None
    assert ask(world[MARIA], orders.ADD_SERVICE, "FAVOURITE").trial is None


@pytest.mark.parametrize(("action", "tariff_code", "service_code", "fragment"), [
    ("upgrade", None, None, "action"),
    (orders.CHANGE_TARIFF, None, None, "tariff_code"),
    (orders.CHANGE_TARIFF, "SMART", "GUARD", "no service_code"),
    (orders.CHANGE_TARIFF, "NOPE", None, "no tariff"),
    (orders.ADD_SERVICE, None, None, "service_code"),
    (orders.ADD_SERVICE, None, "NOPE", "no service"),
    (orders.REMOVE_SERVICE, "SMART", "GUARD", "no tariff_code"),
    (orders.CONNECT_ASSISTANT, None, "GUARD", "no service_code"),
])
def test_bad_orders(action: str, tariff_code: str | None, service_code: str | None,
                    fragment: str) -> None:
    with pytest.raises(BadOrder, match=fragment):
        target(action, tariff_code, service_code)


def test_the_day_of_a_tariff_change_is_split_at_its_instant(
        world: dict[str, SubscriberState]) -> None:
    """Records before the change keep their prices (the clock has passed them); charged usage
    from the change on is priced by the new tariff; the day's packages stay the old tariff's."""
    base = on_tariff(world["+79121234567"], "BASIC")  # no packages: every outgoing unit paid
    tz = "Europe/Moscow"
    day = day_of(tz, NOW)
    change = day_start(tz, day) + 14 * 3600
    changed = replace(base, version=base.version + 1,
                      tariffs=(*base.tariffs, TariffPeriod(change, "CLASSIC")))
    before = generate_day(2026, base, day, 100_000)
    after = generate_day(2026, changed, day, 100_000)
    split = sum(1 for t in before.times if t < change)
    assert 0 < split < len(before.records)
    assert after.records[:split] == before.records[:split]
    basic, classic = TARIFFS_BY_CODE["BASIC"], TARIFFS_BY_CODE["CLASSIC"]
    for rec in after.records[split:]:
        if rec[1] == CALL and rec[2] == OUT:
            assert rec[6] == (rec[4] + 59) // 60 * classic.minute_kop
        elif rec[1] == SMS and rec[2] == OUT:
            assert rec[6] == classic.sms_kop
    assert basic.minute_kop != classic.minute_kop and basic.sms_kop != classic.sms_kop
    assert any(r[1] in (CALL, SMS) and r[2] == OUT for r in after.records[split:])
    # The next day is all CLASSIC.
    nxt = generate_day(2026, changed, day + 1, 100_000)
    outgoing = [r for r in nxt.records if r[1] == SMS and r[2] == OUT]
    assert outgoing and all(r[6] == classic.sms_kop for r in outgoing)


def test_an_applied_order_keeps_the_balance_identity_across_cached_days(
        tmp_path: Path) -> None:
    """The fee lands in today (never in a cached day); once the clock has moved on, the day
    totals cached later include it, and main(T) still equals the records before T."""
    store = Store.open(tmp_path / "sandbox.sqlite3", 2026, now=WORLD_AT)
    real = [NOW + 0.5]
    clock = Clock(store, real_time=lambda: real[0])
    ledger = Ledger(store, clock)
    try:
        state = ledger.state(MARIA)
        assert state is not None
        start = NOW - 3600
        before = ledger.main_at(state, start)  # fills the cache up to yesterday
        what = target(orders.ADD_SERVICE, None, "FAVOURITE")
        q = quote(state, what, NOW, ledger.main_at(state, NOW), WORLD_AT)
        with store.write() as conn:
            at = clock.stamp(conn)
            orders.apply(conn, state, q, at, "ORD-000001")
        clock.stamped(at, committed=True)
        real[0] += 3 * 86400  # three days later: the day of the order is cached now
        after = ledger.state(MARIA)
        assert after is not None and after.version == state.version + 1
        end = clock.now()
        picked, following = ledger.page(after, start, end, False, 100_000, None)
        assert following is None
        records = [day.records[i] for day, i in picked]
        assert ledger.main_at(after, end) == before + sum(map(signed_amount, records))
        fees = [r for r in records if r[TYPE] == FEE and r[0] == at]
        assert [(r[3], r[6]) for r in fees] == [("Подключение: Любимый номер", 2500)]
        assert ledger.main_at(after, at + 1) - ledger.main_at(after, at) == -2500 + sum(
            signed_amount(r) for r in records if r[0] == at and r[TYPE] != FEE)
    finally:
        store.close()
