"""Orders (TMF622-like): preview, place (idempotent, If-Match), fetch, list."""

from __future__ import annotations

import json
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Query, Response

from sandbox import orders, placing, schemas
from sandbox import schemas_orders as wire
from sandbox.answers import BAD_INPUT, IN_PROGRESS, NOT_FOUND, OPERATOR, refused_or
from sandbox.deps import (
    Context,
    Ctx,
    IdempotencyKey,
    IfMatch,
    checked_msisdn,
    require_token,
    send,
)
from sandbox.errors import ApiError, bad_request
from sandbox.idempotency import Answer, Write, check_key, fingerprint
from sandbox.orders import BadOrder, Target
from sandbox.wire import money

router = APIRouter(prefix="/v1", dependencies=[Depends(require_token)], responses=OPERATOR,
                   tags=["orders"])

_WRITE_ERRORS: dict[int | str, dict[str, Any]] = {
    **BAD_INPUT, **NOT_FOUND, **IN_PROGRESS,
    412: {"model": wire.VersionError, "description": "version_mismatch: If-Match is stale "
                                                     "(current_version says the version now)"},
    **refused_or("rule_refused (with its rule), idempotency_key_reused (the key was used for "
                 "another request), or bad_request (a bad body)"),
    428: {"model": schemas.Error, "description": "precondition_required: no If-Match"},
}


def _target(action: str, tariff_code: str | None, service_code: str | None,
            status: int) -> Target:
    try:
        return orders.target(action, tariff_code, service_code)
    except BadOrder as error:
        raise bad_request(str(error), status) from None


@router.get("/orders/preview", response_model=wire.Preview,
            responses={**BAD_INPUT, **NOT_FOUND})
def preview_order(
    ctx: Ctx,
    msisdn: Annotated[str, Query(description="E.164", examples=["+79161234567"])],
    action: Annotated[wire.Action, Query()],
    tariff_code: Annotated[str | None, Query(description="change_tariff only")] = None,
    service_code: Annotated[str | None, Query(description="add_service, remove_service "
                                                          "only")] = None,
) -> dict[str, Any]:
    """What the order would cost and whether the rules allow it; nothing is changed (R4: the
    console shows this and never computes billing itself)."""
    state = ctx.ledger.state(checked_msisdn(msisdn))
    if state is None:
        raise ApiError(404, "subscriber_not_found", f"No subscriber with number {msisdn}.")
    q = placing.quote(ctx, state, _target(action, tariff_code, service_code, 400),
                      ctx.clock.now())
    return {
        "allowed": q.refusal is None,
        "refusal": None if q.refusal is None else {"rule": q.refusal.rule,
                                                   "message": q.refusal.message},
        "fee": money(q.fee_kop),
        "monthly_cost_before": money(q.monthly_before_kop),
        "monthly_cost_after": money(q.monthly_after_kop),
        "balance_before": money(q.balance_before_kop),
        "balance_after": money(q.balance_after_kop),
        "trial": None if q.trial is None else {"start": q.trial[0].isoformat(),
                                               "end": q.trial[1].isoformat()},
        "dropped_services": placing.dropped(q),
        "subscriber_version": state.version,
    }


@router.post("/orders", status_code=201, response_class=Response,
             responses={201: {"model": wire.Order, "description": "Applied (or the stored "
                                                                  "answer, replayed)"},
                        **_WRITE_ERRORS})
def place_order(ctx: Ctx, key: IdempotencyKey, version: IfMatch,
                order: wire.OrderRequest) -> Response:
    """Apply a change. The change, its fee and this answer commit in one transaction; a retry
    with the same key gets this answer again (header Idempotent-Replayed: true)."""
    what = _target(order.action, order.tariff_code, order.service_code, 422)
    fp = fingerprint("POST", "/v1/orders", order.model_dump(mode="json"), if_match=version)
    return send(ctx.idempotency.run(key, fp, lambda w: _place(ctx, w, order, what, version,
                                                              key)))


def _place(ctx: Context, w: Write, order: wire.OrderRequest, what: Target, version: int,
           key: str) -> Answer:
    return Answer(201, placing.place(ctx, w, order, what, version, key))


@router.get("/orders/by-key/{key}", response_model=wire.StoredAnswer,
            responses={**BAD_INPUT,
                       404: {"model": schemas.Error,
                             "description": "unknown_key: no write with this key reached the "
                                            "operator (nothing was applied under it)"},
                       409: {"model": schemas.Error,
                             "description": "request_in_progress: a write with this key is "
                                            "being processed; ask again in a moment"}})
def stored_answer(ctx: Ctx, key: str) -> dict[str, Any]:
    """The answer stored for the write with this Idempotency-Key, without repeating the write:
    how a client settles a write whose answer it never received (and that the clerk has since
    cancelled) — applied, refused, or never arrived."""
    found = ctx.idempotency.lookup(check_key(key))
    if found is None:
        raise ApiError(404, "unknown_key", "No write with this Idempotency-Key reached the "
                       "operator.")
    _fingerprint, status, text = found
    return {"key": key, "status": status, "body": json.loads(text)}


@router.get("/orders/{order_id}", response_class=Response,
            responses={200: {"model": wire.Order, "description": "The order as completed"},
                       404: {"model": schemas.Error, "description": "order_not_found"}})
def get_order(ctx: Ctx, order_id: str) -> Response:
    row = ctx.store.conn().execute("SELECT body FROM orders WHERE order_id = ?",
                                   (order_id,)).fetchone()
    if row is None:
        raise ApiError(404, "order_not_found", f"No order {order_id}.")
    return Response(row[0], media_type="application/json")


@router.get("/orders", response_class=Response,
            responses={200: {"model": wire.OrderList, "description": "Newest first"},
                       **BAD_INPUT, **NOT_FOUND})
def list_orders(
    ctx: Ctx, msisdn: Annotated[str, Query(description="E.164", examples=["+79161234567"])],
) -> Response:
    if ctx.store.version(checked_msisdn(msisdn)) is None:
        raise ApiError(404, "subscriber_not_found", f"No subscriber with number {msisdn}.")
    rows = ctx.store.conn().execute("SELECT body FROM orders WHERE msisdn = ? ORDER BY seq DESC",
                                    (msisdn,)).fetchall()
    return Response('{"items":[' + ",".join(r[0] for r in rows) + "]}",
                    media_type="application/json")
