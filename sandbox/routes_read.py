"""The read side: subscriber, balance, catalog, usage (TMF637, TMF654, TMF620, TMF635)."""

from __future__ import annotations

import json
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Depends, Query, Response

from sandbox import schemas, views
from sandbox.answers import BAD_INPUT, NOT_FOUND, OPERATOR, Answers
from sandbox.deps import Ctx, Subscriber, parse_instant, require_token
from sandbox.errors import bad_request
from sandbox.wire import BadCursor, decode_cursor, encode_cursor, record_dicts

MAX_PAGE = 10_000

router = APIRouter(prefix="/v1", dependencies=[Depends(require_token)], responses=OPERATOR)
_ETAG: Answers = {200: {"headers": {"ETag": {
    "description": 'The version, quoted: "7"', "required": True, "schema": {"type": "string"}}}}}


@router.get("/subscribers/{msisdn}", response_model=schemas.Subscriber, tags=["subscribers"],
            responses={**_ETAG, **BAD_INPUT, **NOT_FOUND})
def get_subscriber(ctx: Ctx, state: Subscriber, response: Response) -> dict[str, Any]:
    response.headers["ETag"] = f'"{state.version}"'
    return views.subscriber(state, ctx.clock.now())


@router.get("/subscribers/{msisdn}/balance", response_model=schemas.Balance,
            tags=["balance"], responses={**BAD_INPUT, **NOT_FOUND})
def get_balance(
    ctx: Ctx,
    state: Subscriber,
    at: Annotated[str | None, Query(description="UTC instant; default: now. The main "
                                                "balance sums the records before it.")] = None,
) -> dict[str, Any]:
    now = ctx.clock.now()
    instant = now if at is None else parse_instant("at", at)
    if instant > now:
        raise bad_request("'at' is in the future of the sandbox clock.")
    return views.balance(ctx.ledger, state, instant)


@router.get("/catalog/tariffs", response_model=schemas.TariffList, tags=["catalog"])
def get_tariffs() -> dict[str, Any]:
    return views.tariffs()


@router.get("/catalog/services", response_model=schemas.ServiceList, tags=["catalog"])
def get_services(ctx: Ctx) -> dict[str, Any]:
    return views.services(ctx.store.reference)


@router.get("/subscribers/{msisdn}/usage", tags=["usage"], response_class=Response,
            responses={200: {"model": schemas.UsagePage, "description": "A page of records"},
                       **BAD_INPUT, **NOT_FOUND})
def get_usage(
    ctx: Ctx,
    state: Subscriber,
    from_: Annotated[str, Query(alias="from", description="UTC instant, inclusive")],
    to: Annotated[str, Query(description="UTC instant, exclusive")],
    order: Annotated[Literal["asc", "desc"], Query(description="oldest or newest first")]
    = "asc",
    limit: Annotated[int, Query(ge=1, le=MAX_PAGE)] = 1000,
    cursor: Annotated[str | None, Query(description="next_cursor of the previous page")]
    = None,
) -> Response:
    start, end = parse_instant("from", from_), parse_instant("to", to)
    if start >= end:
        raise bad_request("'from' must be before 'to'.")
    descending = order == "desc"
    after = None
    if cursor is not None:
        try:
            after = decode_cursor(cursor, state.msisdn, descending, start, end)
        except BadCursor as exc:
            raise bad_request(str(exc)) from None
    picked, following = ctx.ledger.page(state, start, end, descending, limit, after)
    body = {"items": record_dicts(state.msisdn, picked),
            "next_cursor": None if following is None else
            encode_cursor(state.msisdn, descending, start, end, following)}
    # Built by hand, not by pydantic: a 10,000-record page must serialize fast.
    return Response(json.dumps(body, ensure_ascii=False, separators=(",", ":")),
                    media_type="application/json")
