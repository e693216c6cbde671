"""The sandbox's demo world: deterministic, varied enough to train on, showcase numbers fixed."""

from __future__ import annotations

import re
from collections import Counter
from datetime import UTC, datetime, time

import pytest

from sandbox.catalog import (
    ASSISTANT,
    CORPORATE,
    MASS,
    SERVICES_BY_CODE,
    TARIFFS,
    TARIFFS_BY_CODE,
    VIP,
    trial_dates,
)
from sandbox.entities import ACTIVE, BLOCKED, SubscriberState
from sandbox.regions import REGIONS_BY_CODE
from sandbox.world import HEAVY_MSISDN, World, generate_world
from tests.support.pinned import WORLD_AT


@pytest.fixture(scope="module")
def world() -> World:
    return generate_world(2026, WORLD_AT)


def tariff_class(state: SubscriberState) -> str:
    return TARIFFS_BY_CODE[state.tariff_code_at(WORLD_AT)].tariff_class


def has_assistant(state: SubscriberState) -> bool:
    return any(p.service_code == ASSISTANT for p in state.services_at(WORLD_AT))


def test_same_seed_gives_an_identical_world(world: World) -> None:
    assert generate_world(2026, WORLD_AT) == world


def test_another_seed_gives_another_world(world: World) -> None:
    other = generate_world(7, WORLD_AT)
    assert [s.msisdn for s in other.subscribers] != [s.msisdn for s in world.subscribers]
    # The showcase numbers are there whatever the seed.
    assert {s.msisdn for s in world.subscribers[:8]} == {s.msisdn for s in other.subscribers[:8]}


def test_the_world_is_big_and_varied(world: World) -> None:
    subs = world.subscribers
    assert len(subs) >= 240
    assert len({s.msisdn for s in subs}) == len(subs)
    assert len({s.region_code for s in subs}) >= 5
    assert {tariff_class(s) for s in subs} == {MASS, CORPORATE, VIP}
    statuses = Counter(s.status for s in subs)
    assert statuses[BLOCKED] >= 5 and statuses[ACTIVE] >= 200
    assert sum(1 for s in subs if s.promised) >= 5
    assert sum(1 for s in subs if has_assistant(s)) >= 20


def test_assistant_only_on_the_mass_class_and_within_the_trial(world: World) -> None:
    """R1: no Assistant on corporate or VIP tariffs; R5: connected during the trial."""
    trial = trial_dates(SERVICES_BY_CODE[ASSISTANT], WORLD_AT)
    assert trial is not None
    trial_start = trial[0]
    with_assistant = [s for s in world.subscribers if has_assistant(s)]
    assert with_assistant
    for state in with_assistant:
        assert tariff_class(state) == MASS, state.msisdn
        period = next(p for p in state.services if p.service_code == ASSISTANT)
        assert period.connected_at >= state.activated_at
        # The trial starts at local midnight, up to 10 hours before UTC midnight (Vladivostok).
        assert period.connected_at >= datetime.combine(trial_start, time(), UTC).timestamp() \
            - 10 * 3600


def test_services_respect_their_allowed_classes(world: World) -> None:
    for state in world.subscribers:
        for period in state.services:
            allowed = SERVICES_BY_CODE[period.service_code].allowed_classes
            assert tariff_class(state) in allowed, (state.msisdn, period.service_code)


def test_names_are_russian_full_names(world: World) -> None:
    full_name = re.compile(r"^[А-ЯЁ][а-яё]+(?:-[А-ЯЁ][а-яё]+)? [А-ЯЁ][а-яё]+ [А-ЯЁ][а-яё]+$")
    for state in world.subscribers:
        assert full_name.match(state.name), state.name


def test_histories_are_consistent(world: World) -> None:
    for s in world.subscribers:
        assert re.fullmatch(r"\+79\d{9}", s.msisdn)
        assert s.activated_at < WORLD_AT
        assert s.tariffs[0].start_at == s.activated_at
        assert all(p.connected_at > s.activated_at for p in s.services)
        assert (s.status == BLOCKED) == (s.blocked_at is not None)
        if s.blocked_at is not None:
            assert s.activated_at < s.blocked_at < WORLD_AT
        for debt in s.promised:
            assert debt.taken_at < debt.due_at
            assert any(e.at == debt.taken_at and e.type == "topup" for e in s.events)


SHOWCASE = [
    # msisdn, region, class, status
    ("+79161234567", "RU-MOW", MASS, ACTIVE),
    ("+79261112233", "RU-MOW", CORPORATE, ACTIVE),
    ("+79031234500", "RU-MOW", VIP, ACTIVE),
    ("+79119876543", "RU-SPE", MASS, ACTIVE),
    ("+79171234567", "RU-BA", MASS, BLOCKED),
    ("+79121234567", "RU-KO", MASS, ACTIVE),
    ("+79181234567", "RU-KDA", MASS, ACTIVE),
    ("+79160000100", "RU-MOW", MASS, ACTIVE),
]


@pytest.mark.parametrize(("msisdn", "region", "klass", "status"), SHOWCASE)
def test_showcase_numbers(world: World, msisdn: str, region: str, klass: str,
                          status: str) -> None:
    by_number = {s.msisdn: s for s in world.subscribers}
    state = by_number[msisdn]
    assert (state.region_code, tariff_class(state), state.status) == (region, klass, status)
    assert state.heavy == (msisdn == HEAVY_MSISDN)


def test_showcase_specifics(world: World) -> None:
    by_number = {s.msisdn: s for s in world.subscribers}
    maria = by_number["+79161234567"]
    assert has_assistant(maria)
    tariff = TARIFFS_BY_CODE[maria.tariff_code_at(WORLD_AT)]
    assert tariff.package_minutes and tariff.package_sms and tariff.package_mb
    assert by_number["+79119876543"].promised
    assert not has_assistant(by_number["+79261112233"])
    assert not has_assistant(by_number["+79031234500"])
    heavy = by_number[HEAVY_MSISDN]
    # ~4 months of history: the first balance stays fast; August–October are full months.
    assert WORLD_AT - 140 * 86400 < heavy.activated_at < WORLD_AT - 110 * 86400


def test_regions_and_catalog_constants() -> None:
    expected = {"RU-MOW": ("Москва", "Europe/Moscow"),
                "RU-SPE": ("Санкт-Петербург", "Europe/Moscow"),
                "RU-BA": ("Республика Башкортостан", "Asia/Yekaterinburg"),
                "RU-KO": ("Республика Коми", "Europe/Moscow")}
    for code, (name, tz) in expected.items():
        assert (REGIONS_BY_CODE[code].name, REGIONS_BY_CODE[code].timezone) == (name, tz)
    assert "Кубань" in REGIONS_BY_CODE["RU-KDA"].name
    classes = Counter(t.tariff_class for t in TARIFFS)
    assert classes[MASS] >= 3 and classes[CORPORATE] == 2 and 1 <= classes[VIP] <= 2
    assistant = SERVICES_BY_CODE[ASSISTANT]
    assert (assistant.name, assistant.one_off_kop, assistant.monthly_kop) == (
        "Электронный Помощник", 0, 0)
    assert assistant.allowed_classes == (MASS,)
    # R5: the trial began 11 days before the world was drawn and runs 30 days, whenever that is.
    assert assistant.trial_days == (-11, 19)
    trial = trial_dates(assistant, WORLD_AT)
    assert trial is not None
    assert [d.isoformat() for d in trial] == ["2026-11-11", "2026-12-11"]
