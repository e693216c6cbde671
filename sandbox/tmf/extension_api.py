"""What TM Forum has no API for, under `/tmf-api/x-salon/v1/` (TMF's conventions: the token as on
every TMF API, errors as TMF's `Error`, lines addressed by their TMF637 id `L-{msisdn digits}`):

- `GET mainBalance?product.id={lineId}&at={UTC}` → `{atDateTime, remainingValue: Money,
  product}`: the main balance at an instant, the /v1 balance's `at` exactly (records with
  started_at < at; `at` rounded up to a whole second, not after the sandbox clock's now;
  default now) — a detalization's opening and closing balances (R6);
- `GET accessCode/{lineId}`, `POST accessCode/{lineId}` (Idempotency-Key: a new code by SMS,
  which TMF681 then lists as a communicationMessage to the line's number),
  `POST accessCode/{lineId}/check` `{code}`: the Electronic Assistant's access codes (R1–R3),
  the /v1 access-code endpoints' bodies and rules exactly (sandbox/access_codes.py).
"""

from __future__ import annotations

from typing import Annotated, Any, Literal

from fastapi import APIRouter, Body, Depends, Path, Query, Request, Response
from pydantic import BaseModel, ConfigDict, Field

from sandbox import access_codes, routes_access
from sandbox import schemas_sandbox as wire
from sandbox.deps import Context, Ctx, IdempotencyKey, parse_instant, send
from sandbox.entities import SubscriberState
from sandbox.errors import ApiError, bad_request, dumps
from sandbox.idempotency import fingerprint
from sandbox.tmf import answers, idempotent, ids
from sandbox.tmf.auth import require_tmf_token
from sandbox.tmf.links import Links
from sandbox.tmf.models import TmfError
from sandbox.tmf.world_buckets import kop_amount
from sandbox.tmf.world_usage import PRODUCT_API
from sandbox.wire import CURRENCY, utc_iso

Json = dict[str, Any]
PREFIX = "/tmf-api/x-salon/v1"

router = APIRouter(prefix=PREFIX, dependencies=[Depends(require_tmf_token)],
                   responses=answers.COMMON, tags=["x-salon extensions"])


def _error(status: int, description: str) -> answers.Answers:
    return {status: {"model": TmfError, "description": description}}


_NO_LINE = _error(404, "not_found: no line with this id in the operator's world")
_REFUSALS = ("Refusals, TMF Error with the rule as code: subscriber_blocked; R1 (corporate or "
             "VIP tariff); assistant_not_connected")


class TmfMoney(BaseModel):
    model_config = ConfigDict(extra="forbid")
    unit: Literal["RUB"] = Field(description="Currency")
    value: float = Field(description="Roubles, at most 2 decimal places (read the JSON "
                                     "number's text as a decimal)", examples=[123.45])


class LineRef(BaseModel):
    model_config = ConfigDict(extra="forbid", populate_by_name=True)
    id: str = Field(examples=["L-79161234567"])
    href: str
    referred_type: Literal["Product"] = Field(alias="@referredType")


class MainBalance(BaseModel):
    model_config = ConfigDict(extra="forbid")
    atDateTime: str = Field(description="The instant (UTC, whole seconds): records that "
                                        "started before it are counted",
                            json_schema_extra={"format": "date-time"})
    remainingValue: TmfMoney = Field(description="main(T) = main at activation + top-ups − "
                                                 "charges of the records with started_at < T")
    product: LineRef


def line_of(ctx: Context, line_id: str) -> SubscriberState:
    """The subscriber a line id names (404 when the world has no such line)."""
    msisdn = ids.msisdn_of_line(line_id)
    state = None if msisdn is None else ctx.ledger.state(msisdn)
    if state is None:
        raise ApiError(404, "not_found", f"No line with id {line_id!r} in the operator's world.")
    return state


def _line(ctx: Ctx, line_id: Annotated[str, Path(alias="lineId", description="The line's "
                                                 "TMF637 product id",
                                                 examples=["L-79161234567"])]) -> SubscriberState:
    return line_of(ctx, line_id)


Line = Annotated[SubscriberState, Depends(_line)]


def _json(body: Any, status: int = 200) -> Response:
    return Response(dumps(body), status, media_type="application/json")


@router.get("/mainBalance", operation_id="retrieveMainBalance", response_class=Response,
            summary="The main balance of a line at an instant",
            responses={200: {"model": MainBalance, "description": "The balance at `at`"},
                       **_error(400, "bad_request: product.id missing, `at` not an ISO 8601 "
                                     "instant with its zone, or after the sandbox clock's now"),
                       **_NO_LINE})
def main_balance(
    request: Request, ctx: Ctx,
    product_id: Annotated[str, Query(alias="product.id", description="The line's id",
                                     examples=["L-79161234567"])],
    at: Annotated[str | None, Query(description="UTC instant; default: now. Not after now.")]
    = None,
) -> Response:
    state = line_of(ctx, product_id)
    now = ctx.clock.now()
    instant = now if at is None else parse_instant("at", at)
    if instant > now:
        raise bad_request("'at' is in the future of the sandbox clock.")
    line = ids.line_id(state.msisdn)
    return _json({
        "atDateTime": utc_iso(instant),
        "remainingValue": {"unit": CURRENCY,
                           "value": kop_amount(ctx.ledger.main_at(state, instant))},
        "product": {"id": line, "href": Links.of(request).href(PRODUCT_API, "product", line),
                    "@referredType": "Product"},
    })


@router.get("/accessCode/{lineId}", operation_id="retrieveAccessCode",
            response_model=wire.AccessCode, summary="The access code's state (R3)",
            responses=_NO_LINE)
def get_access_code(ctx: Ctx, state: Line) -> Json:
    row = access_codes.load(ctx.store.conn(), state.msisdn)
    return access_codes.state_body(row, ctx.clock.now())


@router.post("/accessCode/{lineId}", operation_id="createAccessCode", status_code=201,
             response_class=Response, summary="Order a new code, sent by SMS (R1, R2)",
             responses={201: {"model": wire.AccessCode,
                              "description": "A new code went by SMS from 6262 to the line's "
                                             "phone (TMF681 lists it); never in here"},
                        **_error(400, "bad_request: the Idempotency-Key is missing or "
                                      "malformed"), **_NO_LINE,
                        **_error(409, "idempotency_conflict: the key was used for another "
                                      "request; request_in_progress: a request with it is "
                                      "being processed (retry with the same key)"),
                        **answers.refusal(_REFUSALS)})
def order_access_code(ctx: Ctx, state: Line, key: IdempotencyKey) -> Response:
    path = f"{PREFIX}/accessCode/{ids.line_id(state.msisdn)}"
    return send(idempotent.run(ctx, key, fingerprint("POST", path, None),
                               lambda w: routes_access.issue_code(ctx, w, state)))


@router.post("/accessCode/{lineId}/check", operation_id="checkAccessCode",
             summary="One entry of the code (R3)",
             response_model=wire.VerifyOk | wire.VerifyWrong | wire.VerifyLocked
             | wire.VerifyNoCode,
             responses={**_error(400, "bad_request: the body is not {\"code\": \"<6 digits>\"} "
                                      "(not counted)"), **_NO_LINE,
                        **answers.refusal(_REFUSALS)})
def check_access_code(ctx: Ctx, state: Line,
                      entry: Annotated[wire.VerifyRequest, Body()]) -> Json:
    return routes_access.check_code(ctx, state, entry.code)
