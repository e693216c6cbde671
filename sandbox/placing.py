"""Quoting and placing an order: the one path that `/v1/orders` and TMF622 `productOrder` (and
the previews, `/v1/orders/preview` and TMF663 `shoppingCart`) all take, so that both faces of
the sandbox charge the same fee, refuse by the same rule with the same sentence, bump the same
version and record the same order (`orders.py` holds the rules themselves).
"""

from __future__ import annotations

from typing import Any

from sandbox import orders
from sandbox import schemas_orders as wire
from sandbox.deps import Context, load_for_write
from sandbox.entities import SubscriberState
from sandbox.errors import ApiError, dumps, refused
from sandbox.idempotency import Write
from sandbox.orders import Quote, Target
from sandbox.wire import money, utc_iso


def quote(ctx: Context, state: SubscriberState, what: Target, now: int) -> Quote:
    return orders.quote(state, what, now, ctx.ledger.main_at(state, now), ctx.store.reference)


def dropped(q: Quote) -> list[dict[str, str]]:
    return [{"code": s.code, "name": s.name} for s in q.dropped]


def place(ctx: Context, w: Write, order: wire.OrderRequest, what: Target, version: int,
          key: str) -> dict[str, Any]:
    """Apply the change inside the write `w` and record the order; the order as `/v1` answers
    it (`schemas_orders.Order`). Decisions are stored ApiErrors raised before anything is
    written: 404 for an unknown number, 412 for a stale version, 422 for a rule."""
    state = load_for_write(ctx, order.msisdn)
    if state.version != version:
        raise ApiError(412, "version_mismatch", f"The subscriber has changed since version "
                       f"{version}; reload the card and confirm again.", stored=True,
                       current_version=state.version)
    now = ctx.clock.now()
    q = quote(ctx, state, what, now)
    at = now
    if q.refusal is None:
        at = w.stamp()  # from here the clock holds at this second until the commit
        if at != now:  # it ticked meanwhile: decide on the stamped instant
            q = quote(ctx, state, what, at)
    if q.refusal is not None:
        raise refused(q.refusal.rule, q.refusal.message)
    order_id = orders.next_order_id(w.conn)
    orders.apply(w.conn, state, q, at, order_id)
    after = load_for_write(ctx, order.msisdn)
    body = {
        "order_id": order_id, "state": "completed", "msisdn": order.msisdn,
        "action": order.action,
        "tariff_code": None if what.tariff is None else what.tariff.code,
        "service_code": None if what.service is None else what.service.code,
        "fee": money(q.fee_kop), "monthly_cost_after": money(q.monthly_after_kop),
        # Not cached: this version is not committed yet.
        "balance_after": money(ctx.ledger.main_through(after, at, cache=False)),
        "completed_at": utc_iso(at), "subscriber_version": after.version,
        "dropped_services": dropped(q), "clerk": order.clerk, "salon": order.salon,
        "counter": order.counter,
    }
    w.conn.execute("INSERT INTO orders (order_id, msisdn, idempotency_key, completed_at, body) "
                   "VALUES (?, ?, ?, ?, ?)", (order_id, order.msisdn, key, at, dumps(body)))
    return body
