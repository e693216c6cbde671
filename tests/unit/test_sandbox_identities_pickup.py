"""The demo world's made-up identity records and pick-up orders (issue 14) are pure functions of
the seed and the world's reference day: the same inputs, the same world; another seed, another.
And the pick-up state machine (R11) as a table."""

from __future__ import annotations

import re
import sqlite3
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from sandbox import pickup
from sandbox.identities import DOCUMENT_TYPES, ISSUED_BEFORE, identity_of
from sandbox.pickup import Person, PickupOrder, StateConflict
from sandbox.salons import SALONS
from sandbox.store import Store
from sandbox.world import SHOWCASE, world_reference

REFERENCE = world_reference(int(datetime(2026, 11, 23, 9, tzinfo=UTC).timestamp()))
NUMBERS = [f"+7916{n:07d}" for n in range(0, 4000, 7)]


def test_identities_are_drawn_from_the_seed() -> None:
    first = [identity_of(2026, m, "RU-MOW") for m in NUMBERS]
    assert first == [identity_of(2026, m, "RU-MOW") for m in NUMBERS]
    assert first != [identity_of(2027, m, "RU-MOW") for m in NUMBERS]
    assert {i.document.type for i in first} == set(DOCUMENT_TYPES)
    for record in first:
        number, kind = record.document.number, record.document.type
        assert re.fullmatch({"passportRF": r"45[0-9]{2} [0-9]{6}", "foreignPassport":
                             r"FA [0-9]{7}", "residencePermit": r"82 [0-9]{7}"}[kind], number)
        issued = record.document.issued_on
        assert issued < ISSUED_BEFORE <= datetime.fromtimestamp(REFERENCE, UTC).date()
        if kind == "passportRF":  # the series' year is the year of issue
            assert number[2:4] == f"{issued.year % 100:02d}"
        until = record.document.valid_until
        assert until is None or until > ISSUED_BEFORE + timedelta(days=365)
        assert record.email is None or record.email.endswith(".example")
    for share in (sum(i.unverified for i in first), sum(i.representative is not None
                                                         for i in first)):
        assert 0 < share < len(first) // 4


def test_the_showcase_numbers_are_verified_rf_passport_holders() -> None:
    for showcase in SHOWCASE:
        record = identity_of(2026, showcase.msisdn, showcase.region_code)
        assert record.document.type == "passportRF" and not record.unverified
    assert identity_of(2026, "+79119876543", "RU-SPE").representative is not None
    assert identity_of(2026, "+79161234567", "RU-MOW").email is not None


def people() -> list[Person]:
    return [Person(f"+79{k:02d}{n:07d}", salon.region_code, "active", REFERENCE - 400 * 86400)
            for k, salon in enumerate(SALONS) for n in range(30)] + [
        Person("+79161234567", "RU-MOW", "active", REFERENCE - 400 * 86400)]


def test_the_world_draws_orders_for_every_salon_before_its_day() -> None:
    drawn = pickup.draw(2026, REFERENCE, people())
    assert drawn == pickup.draw(2026, REFERENCE, people())
    assert [o.order_id for o in drawn] == [f"PU-{n:06d}" for n in range(1, len(drawn) + 1)]
    assert [o.ordered_at for o in drawn] == sorted(o.ordered_at for o in drawn)
    regions = {p.msisdn: p.region_code for p in people()}
    for salon in SALONS:
        mine = [o for o in drawn if o.salon == salon.id]
        assert {regions[o.msisdn] for o in mine} == {salon.region_code}  # R7
        assert {o.state for o in mine} == set(pickup.STATES)
        assert any(o.state in pickup.OPEN and o.ordered_at < REFERENCE - 30 * 86400
                   for o in mine)  # the destroy list has work
    assert all(o.ordered_at < REFERENCE and o.period_end < datetime.fromtimestamp(
        o.ordered_at, UTC).date() for o in drawn)
    assert any(o.msisdn == "+79161234567" and o.state == pickup.ACKNOWLEDGED for o in drawn)


@pytest.mark.parametrize(("start", "wanted", "allowed"), [
    (start, wanted, wanted in pickup.TRANSITIONS[start])
    for start in pickup.STATES for wanted in pickup.STATES])
def test_the_state_machine(start: str, wanted: str, allowed: bool) -> None:
    conn = sqlite3.connect(":memory:")
    conn.execute("CREATE TABLE subscribers (msisdn TEXT PRIMARY KEY)")
    conn.executescript(pickup.SCHEMA)
    conn.execute("INSERT INTO subscribers VALUES ('+79161234567')")
    made = pickup.insert(conn, PickupOrder(0, "", "+79161234567", "MSK-TVERSKAYA-12",
                                           datetime(2026, 10, 1).date(),
                                           datetime(2026, 10, 31).date(), REFERENCE, start))
    if not allowed:
        with pytest.raises(StateConflict):
            pickup.transition(conn, made.order_id, wanted, REFERENCE + 60)
        return
    changed = pickup.transition(conn, made.order_id, wanted, REFERENCE + 60)
    assert changed.state == wanted
    assert (changed == made) == (start == wanted)  # the same state again changes nothing
    assert allowed == (start in pickup.OPEN)


def test_a_world_from_before_pick_up_orders_gets_them_when_opened(tmp_path: Path) -> None:
    """A sandbox database made before R11 draws the world's orders at its next start, from
    the day its world was drawn, exactly as a new world would have them; once."""
    path = tmp_path / "world.sqlite3"
    store = Store.open(path, 2026, now=REFERENCE + 3600)
    drawn = pickup.select(store.conn())
    with store.write() as conn:  # as a world of schema 5 was
        conn.execute("DELETE FROM pickup_orders")
        conn.execute("DELETE FROM meta WHERE key = 'pickup_orders_drawn'")
    store.close()
    store = Store.open(path, 2026, now=REFERENCE + 90 * 86400)  # months later
    try:
        assert pickup.select(store.conn()) == drawn
    finally:
        store.close()
    store = Store.open(path, 2026, now=REFERENCE + 91 * 86400)
    try:
        assert pickup.select(store.conn()) == drawn  # not drawn twice
    finally:
        store.close()
