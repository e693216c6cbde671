"""Access codes of the Electronic Assistant (R1, R2, R3): order (by SMS), verify, state."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Body, Depends, Response

from sandbox import access_codes
from sandbox import schemas_sandbox as wire
from sandbox.answers import BAD_INPUT, IN_PROGRESS, NOT_FOUND, OPERATOR, refused_or
from sandbox.deps import (
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
                   dependencies=[Depends(require_token)], responses=OPERATOR,
                   tags=["access codes"])
_RULES = "rule_refused: R1 (corporate or VIP), assistant_not_connected, subscriber_blocked"


@router.get("", response_model=wire.AccessCode, responses={**BAD_INPUT, **NOT_FOUND})
def get_access_code(ctx: Ctx, state: Subscriber) -> dict[str, Any]:
    row = access_codes.load(ctx.store.conn(), state.msisdn)
    return access_codes.state_body(row, ctx.clock.now())


@router.post("", status_code=201, response_class=Response,
             responses={201: {"model": wire.AccessCode, "description": "A new code was sent by "
                                                                       "SMS (never in here)"},
                        **BAD_INPUT, **NOT_FOUND, **IN_PROGRESS,
                        **refused_or(f"{_RULES}; or idempotency_key_reused (the key was used "
                                     "for another request)")})
def order_access_code(ctx: Ctx, state: Subscriber, key: IdempotencyKey) -> Response:
    """R2: a new 6-digit code goes by SMS from 6262 to the subscriber's own phone only; it
    replaces the old code. The answer is the code's state, never the code."""
    path = f"/v1/subscribers/{state.msisdn}/access-code"
    fp = fingerprint("POST", path, None)
    return send(ctx.idempotency.run(key, fp, lambda w: issue_code(ctx, w, state)))


def issue_code(ctx: Context, w: Write, state: SubscriberState) -> Answer:
    """R1, R2: a new code for the number, inside the idempotent write `w`; the SMS leaves only
    once it is committed. A refusal is raised (a stored decision). /v1 and the TMF extension
    (sandbox/tmf/extension_api.py) both order codes here."""
    now = ctx.clock.now()
    current = load_for_write(ctx, state.msisdn)
    access_codes.check_eligible(current, now)
    row, code = access_codes.issue(w.conn, ctx.code_key, current.msisdn, now)

    def deliver() -> None:  # only once the code is committed, and only to the phone
        ctx.sms.send(access_codes.SENDER, current.msisdn, access_codes.sms_text(code), now)

    return Answer(201, access_codes.state_body(row, now), after_commit=deliver)


@router.post("/verify", response_model=wire.VerifyOk | wire.VerifyWrong | wire.VerifyLocked
             | wire.VerifyNoCode,
             responses={**BAD_INPUT, **NOT_FOUND,
                        **refused_or(f"{_RULES}; or bad_request (a bad body: not 6 digits; "
                                     "not counted)")})
def verify_access_code(
    ctx: Ctx, state: Subscriber, entry: Annotated[wire.VerifyRequest, Body()],
) -> dict[str, Any]:
    """R3: one entry. ok | wrong (attempts_left 3, 2, 1) | locked (locked_until) | no_code.
    Entries are serialized per database, so parallel guesses never get extra tries."""
    return check_code(ctx, state, entry.code)


def check_code(ctx: Context, state: SubscriberState, code: str) -> dict[str, Any]:
    """R3: one entry, in one BEGIN IMMEDIATE transaction (for /v1 and the TMF extension)."""
    with ctx.store.write() as conn:
        now = ctx.clock.now()
        access_codes.check_eligible(load_for_write(ctx, state.msisdn), now)
        return access_codes.verify(conn, ctx.code_key, state.msisdn, code, now)
