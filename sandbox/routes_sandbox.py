"""Sandbox-only endpoints, for training and tests: the demo list, fault injection, the clock,
and the SMS outbox (what a subscriber's phone received)."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Depends

from sandbox import documents, schemas, views
from sandbox import schemas_sandbox as wire
from sandbox.answers import BAD_BODY, BAD_INPUT, NOT_FOUND, SANDBOX
from sandbox.deps import Ctx, Subscriber, require_token
from sandbox.errors import bad_request
from sandbox.faults import FaultConfig
from sandbox.identities import identity_of
from sandbox.wire import utc_iso

router = APIRouter(prefix="/sandbox", dependencies=[Depends(require_token)], responses=SANDBOX,
                   tags=["sandbox"])


@router.get("/subscribers", response_model=schemas.DemoSubscriberList)
def list_demo_subscribers(ctx: Ctx) -> dict[str, Any]:
    store = ctx.store
    return views.demo_subscribers(store.load_all(), ctx.clock.now(), lambda state: identity_of(
        store.seed, state.msisdn, state.region_code))


@router.get("/faults", response_model=wire.FaultState)
def get_faults(ctx: Ctx) -> dict[str, Any]:
    return ctx.faults.body()


@router.put("/faults", response_model=wire.FaultState, responses=BAD_BODY)
def set_faults(ctx: Ctx, config: wire.FaultConfig) -> dict[str, Any]:
    """Replace the fault configuration (and reseed its RNG). /sandbox is never faulted."""
    if not all(p.startswith("/") for p in config.paths):
        raise bad_request("Every path prefix starts with '/'.", 422)
    ctx.faults.set(FaultConfig(config.latency_ms, config.error_rate, config.drop_before_rate,
                               config.drop_after_rate, tuple(config.paths), config.seed))
    return ctx.faults.body()


@router.delete("/faults", response_model=wire.FaultState)
def clear_faults(ctx: Ctx) -> dict[str, Any]:
    """No faults, no outage."""
    ctx.faults.clear()
    return ctx.faults.body()


@router.post("/faults/outage", response_model=wire.FaultState, responses=BAD_BODY)
def start_outage(ctx: Ctx, outage: wire.Outage) -> dict[str, Any]:
    """Refuse every request outside /sandbox (503 unavailable, Retry-After) for this many
    seconds of real time."""
    ctx.faults.start_outage(outage.seconds)
    return ctx.faults.body()


def _clock(ctx: Ctx) -> dict[str, Any]:
    return {"now": utc_iso(ctx.clock.now()), "offset_seconds": ctx.clock.offset_s,
            "world_drawn_on": utc_iso(ctx.store.reference)[:10]}


@router.get("/clock", response_model=wire.ClockState)
def get_clock(ctx: Ctx) -> dict[str, Any]:
    return _clock(ctx)


@router.post("/clock", response_model=wire.ClockState, responses=BAD_BODY)
def advance_clock(ctx: Ctx, step: wire.ClockAdvance) -> dict[str, Any]:
    """Move the sandbox clock forward (never back). Usage, balances, lockouts and the archive's
    expiry all follow it."""
    ctx.clock.advance(step.advance_seconds)
    documents.purge_expired(ctx.store, ctx.clock.now())
    return _clock(ctx)


@router.get("/sms/{msisdn}", response_model=wire.SmsList,
            responses={**BAD_INPUT, **NOT_FOUND})
def get_sms(ctx: Ctx, state: Subscriber) -> dict[str, Any]:
    """What the subscriber's phone received, newest first (access codes arrive here only)."""
    return {"items": [sms.body() for sms in ctx.sms.received(state.msisdn)]}
