"""Access codes of the Electronic Assistant (R1, R2, R3): order (by SMS), verify, state."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Body, Depends, Response

from sandbox import access_codes, schemas
from sandbox import schemas_orders as order_wire
from sandbox import schemas_sandbox as wire
from sandbox.deps import (
    ERRORS,
    NOT_FOUND,
    Context,
    Ctx,
    IdempotencyKey,
    Subscriber,
    load_for_write,
    require_token,
    send,
)
from sandbox.entities import SubscriberState
from sandbox.idempotency import Answer, Write, fingerprint

router = APIRouter(prefix="/v1/subscribers/{msisdn}/access-code",
                   dependencies=[Depends(require_token)], responses=ERRORS,
                   tags=["access codes"])
_REFUSED: dict[int | str, dict[str, Any]] = {
    422: {"model": order_wire.RefusalError,
          "description": "rule_refused: R1 (corporate or VIP), assistant_not_connected, "
                         "subscriber_blocked; or bad_request (a bad body)"},
}


@router.get("", response_model=wire.AccessCode, responses=NOT_FOUND)
def get_access_code(ctx: Ctx, state: Subscriber) -> dict[str, Any]:
    row = access_codes.load(ctx.store.conn(), state.msisdn)
    return access_codes.state_body(row, ctx.clock.now())


@router.post("", status_code=201, response_class=Response,
             responses={201: {"model": wire.AccessCode, "description": "A new code was sent by "
                                                                       "SMS (never in here)"},
                        409: {"model": schemas.Error, "description": "request_in_progress"},
                        **NOT_FOUND, **_REFUSED})
def order_access_code(ctx: Ctx, state: Subscriber, key: IdempotencyKey) -> Response:
    """R2: a new 6-digit code goes by SMS from 6262 to the subscriber's own phone only; it
    replaces the old code. The answer is the code's state, never the code."""
    path = f"/v1/subscribers/{state.msisdn}/access-code"
    fp = fingerprint("POST", path, None)
    return send(ctx.idempotency.run(key, fp, lambda w: _issue(ctx, w, state)))


def _issue(ctx: Context, w: Write, state: SubscriberState) -> Answer:
    now = ctx.clock.now()
    current = load_for_write(ctx, state.msisdn)
    access_codes.check_eligible(current, now)
    row, code = access_codes.issue(w.conn, ctx.code_key, current.msisdn, now)

    def deliver() -> None:  # only once the code is committed, and only to the phone
        ctx.sms.send(access_codes.SENDER, current.msisdn, access_codes.sms_text(code), now)

    return Answer(201, access_codes.state_body(row, now), after_commit=deliver)


@router.post("/verify", response_model=wire.VerifyOk | wire.VerifyWrong | wire.VerifyLocked
             | wire.VerifyNoCode, responses={**NOT_FOUND, **_REFUSED})
def verify_access_code(
    ctx: Ctx, state: Subscriber, entry: Annotated[wire.VerifyRequest, Body()],
) -> dict[str, Any]:
    """R3: one entry. ok | wrong (attempts_left 3, 2, 1) | locked (locked_until) | no_code.
    Entries are serialized per database, so parallel guesses never get extra tries."""
    with ctx.store.write() as conn:
        now = ctx.clock.now()
        access_codes.check_eligible(load_for_write(ctx, state.msisdn), now)
        return access_codes.verify(conn, ctx.code_key, state.msisdn, entry.code, now)
