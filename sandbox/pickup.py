"""R11: paper detalizations ordered online for pick-up at a salon — the operator's records.

One row per order in `pickup_orders` (the store's schema): the number, the salon it is picked
up at (an id of `sandbox.salons`, of the number's home region: R7), the period, when it was
ordered, and its state, which the salon reports (TMF622 `PATCH /productOrder/{id}`):

    acknowledged (new) → inProgress (printed at the salon) → completed (handed over)
    acknowledged | inProgress → cancelled (destroyed: not collected in time)

A reprint reports inProgress again (no change); a closed order (completed, cancelled) changes
no more. A transition runs inside the write transaction (BEGIN IMMEDIATE: one writer at a
time), so of two counters handing over the same order at once exactly one wins; the other
reads `completed` and is refused.

The world draws some for every salon when it is made (`draw`): a few new, a few printed, one
handed over, one destroyed, and some older than 30 days still waiting (the salon's destroy
list), each for an active number of the salon's region, counted from the world's reference day
like every history of the world.
"""

from __future__ import annotations

import random
import sqlite3
from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import UTC, date, datetime, timedelta

from sandbox.entities import ACTIVE
from sandbox.salons import SALONS

ACKNOWLEDGED, IN_PROGRESS, COMPLETED, CANCELLED = ("acknowledged", "inProgress", "completed",
                                                   "cancelled")
STATES = (ACKNOWLEDGED, IN_PROGRESS, COMPLETED, CANCELLED)
OPEN = (ACKNOWLEDGED, IN_PROGRESS)
# From each state, the states a salon may report (the same state again: a reprint, no change).
TRANSITIONS: dict[str, frozenset[str]] = {
    ACKNOWLEDGED: frozenset({ACKNOWLEDGED, IN_PROGRESS, COMPLETED, CANCELLED}),
    IN_PROGRESS: frozenset({IN_PROGRESS, COMPLETED, CANCELLED}),
    COMPLETED: frozenset(),
    CANCELLED: frozenset(),
}
ONLINE = "online"
DAY = 86400
SHOWCASE_PICKUP = ("MSK-TVERSKAYA-12", "+79161234567")  # a new order to practise a hand-over
# The world's orders per salon: (state, ordered this many days before the world's day, from–to).
_PLAN: tuple[tuple[str, int, int], ...] = (
    (ACKNOWLEDGED, 1, 6), (ACKNOWLEDGED, 1, 6), (ACKNOWLEDGED, 2, 9),
    (IN_PROGRESS, 2, 12), (IN_PROGRESS, 3, 14),
    (COMPLETED, 8, 20), (CANCELLED, 45, 60),
    (ACKNOWLEDGED, 31, 40), (IN_PROGRESS, 33, 45),  # not collected within 30 days
)

SCHEMA = """
CREATE TABLE IF NOT EXISTS pickup_orders (
    seq INTEGER PRIMARY KEY,
    order_id TEXT NOT NULL UNIQUE,
    msisdn TEXT NOT NULL REFERENCES subscribers(msisdn),
    salon TEXT NOT NULL,
    period_start TEXT NOT NULL,    -- YYYY-MM-DD, inclusive
    period_end TEXT NOT NULL,      -- YYYY-MM-DD, inclusive
    ordered_at INTEGER NOT NULL,
    state TEXT NOT NULL CHECK (state IN ('acknowledged', 'inProgress', 'completed',
                                         'cancelled')),
    printed_at INTEGER,
    completed_at INTEGER,
    cancelled_at INTEGER,
    channel TEXT NOT NULL,
    external_id TEXT
);
CREATE INDEX IF NOT EXISTS pickup_orders_salon ON pickup_orders(salon, state);
CREATE INDEX IF NOT EXISTS pickup_orders_msisdn ON pickup_orders(msisdn);
"""
_COLUMNS = ("seq, order_id, msisdn, salon, period_start, period_end, ordered_at, state, "
            "printed_at, completed_at, cancelled_at, channel, external_id")


@dataclass(frozen=True)
class PickupOrder:
    seq: int
    order_id: str
    msisdn: str
    salon: str
    period_start: date
    period_end: date
    ordered_at: int
    state: str
    printed_at: int | None = None
    completed_at: int | None = None
    cancelled_at: int | None = None
    channel: str = ONLINE
    external_id: str | None = None


class StateConflict(Exception):
    """The order's state does not allow the one reported."""

    def __init__(self, order: PickupOrder, wanted: str) -> None:
        super().__init__(f"{order.order_id}: {order.state} → {wanted}")
        self.order, self.wanted = order, wanted


def order_id(seq: int) -> str:
    return f"PU-{seq:06d}"


# -- reading and writing -------------------------------------------------------------------------

def select(conn: sqlite3.Connection, where: Sequence[str] = (),
           args: Sequence[object] = ()) -> list[PickupOrder]:
    sql = f"SELECT {_COLUMNS} FROM pickup_orders"
    if where:
        sql += " WHERE " + " AND ".join(where)
    return [_order(row) for row in conn.execute(sql + " ORDER BY seq", list(args))]


def get(conn: sqlite3.Connection, entity_id: str) -> PickupOrder | None:
    found = select(conn, ["order_id = ?"], [entity_id])
    return found[0] if found else None


def insert(conn: sqlite3.Connection, order: PickupOrder) -> PickupOrder:
    """Stores `order` as the next one (its seq and id are the store's); inside a write."""
    seq = int(conn.execute("SELECT COALESCE(MAX(seq), 0) + 1 FROM pickup_orders").fetchone()[0])
    made = replace(order, seq=seq, order_id=order_id(seq))
    conn.execute(f"INSERT INTO pickup_orders ({_COLUMNS}) VALUES "
                 f"({', '.join('?' * 13)})", _fields(made))
    return made


def transition(conn: sqlite3.Connection, entity_id: str, wanted: str, now: int) -> PickupOrder:
    """Reports `wanted` for the order (inside a write: the read and the change are one step).
    Raises StateConflict when its state does not allow it; KeyError when there is no order."""
    order = get(conn, entity_id)
    if order is None:
        raise KeyError(entity_id)
    if wanted not in TRANSITIONS[order.state]:
        raise StateConflict(order, wanted)
    if wanted == order.state:
        return order
    stamp = {IN_PROGRESS: "printed_at", COMPLETED: "completed_at", CANCELLED: "cancelled_at"}
    conn.execute(f"UPDATE pickup_orders SET state = ?, {stamp[wanted]} = ? WHERE order_id = ?",
                 (wanted, now, entity_id))
    changed = get(conn, entity_id)
    assert changed is not None
    return changed


def _fields(o: PickupOrder) -> tuple[object, ...]:
    return (o.seq, o.order_id, o.msisdn, o.salon, o.period_start.isoformat(),
            o.period_end.isoformat(), o.ordered_at, o.state, o.printed_at, o.completed_at,
            o.cancelled_at, o.channel, o.external_id)


def _order(row: tuple) -> PickupOrder:
    return PickupOrder(int(row[0]), str(row[1]), str(row[2]), str(row[3]),
                       date.fromisoformat(row[4]), date.fromisoformat(row[5]), int(row[6]),
                       str(row[7]), row[8], row[9], row[10], str(row[11]), row[12])


# -- the world's orders --------------------------------------------------------------------------

@dataclass(frozen=True)
class Person:
    msisdn: str
    region_code: str
    status: str
    activated_at: int


def draw(seed: int, reference: int, people: Sequence[Person]) -> list[PickupOrder]:
    """The world's pick-up orders (a pure function of its seed, reference day and subscribers),
    oldest first, numbered from 1. Each is before the world's day; its period ends before it
    was ordered and starts after the number was activated."""
    rng = random.Random(f"pickup:{seed}")
    drawn: list[PickupOrder] = []
    for salon in SALONS:
        local = [p for p in people if p.region_code == salon.region_code
                 and p.status == ACTIVE and p.activated_at < reference - 120 * DAY]
        chosen = rng.sample(local, min(len(local), len(_PLAN)))
        showcase = next((p for p in local if (salon.id, p.msisdn) == SHOWCASE_PICKUP), None)
        if showcase is not None:
            chosen = [showcase, *(p for p in chosen if p is not showcase)][:len(_PLAN)]
        for (state, lo, hi), person in zip(_PLAN, chosen, strict=False):
            drawn.append(_drawn(rng, reference, salon.id, person, state, rng.randint(lo, hi)))
    drawn.sort(key=lambda o: (o.ordered_at, o.salon))
    return [replace(o, seq=n, order_id=order_id(n)) for n, o in enumerate(drawn, start=1)]


def _drawn(rng: random.Random, reference: int, salon: str, person: Person, state: str,
           days_ago: int) -> PickupOrder:
    ordered = reference - days_ago * DAY + rng.randint(5 * 3600, 17 * 3600)
    ordered_on = datetime.fromtimestamp(ordered, UTC).date()
    activated_on = datetime.fromtimestamp(person.activated_at, UTC).date()
    end = ordered_on - timedelta(days=rng.randint(1, 20))
    start = max(end - timedelta(days=rng.randint(6, 60)), activated_on + timedelta(days=1))
    printed = completed = cancelled = None
    if state in (IN_PROGRESS, COMPLETED):
        printed = ordered + rng.randint(3600, DAY)
    if state == COMPLETED:
        completed = (printed or ordered) + rng.randint(DAY, 5 * DAY)
    if state == CANCELLED:
        cancelled = ordered + rng.randint(31, 35) * DAY
    return PickupOrder(0, "", person.msisdn, salon, start, end, ordered, state, printed,
                       completed, cancelled)
