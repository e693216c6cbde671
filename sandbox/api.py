"""The HTTP face of the sandbox: the endpoints of resources/operator-api.md.

`create_app(store, token)` builds the FastAPI app. Every `/v1` and `/sandbox` call needs
`Authorization: Bearer <token>`; every error has the contract's shape
`{"error": {"code", "message"}}` (FastAPI's own error shapes are replaced).
"""

import hmac
import json
import logging
import math
import re
from datetime import datetime
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Depends, FastAPI, Path, Query, Request, Response, Security
from fastapi.exceptions import RequestValidationError
from fastapi.middleware.gzip import GZipMiddleware
from fastapi.responses import JSONResponse
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer
from starlette.exceptions import HTTPException as StarletteHTTPException

from sandbox import schemas, views
from sandbox.clock import Clock
from sandbox.entities import SubscriberState
from sandbox.ledger import Ledger
from sandbox.store import Store
from sandbox.wire import BadCursor, decode_cursor, encode_cursor, record_dicts, utc_iso

log = logging.getLogger(__name__)

MAX_PAGE = 10_000
_E164 = re.compile(r"^\+[1-9]\d{7,14}$")
_ERRORS: dict[int | str, dict[str, Any]] = {
    400: {"model": schemas.Error, "description": "Bad request (code bad_request)"},
    401: {"model": schemas.Error, "description": "Missing or wrong token (code unauthorized)"},
}
_NOT_FOUND: dict[int | str, dict[str, Any]] = {
    404: {"model": schemas.Error, "description": "No such number (code subscriber_not_found)"},
}


class ApiError(Exception):
    def __init__(self, status: int, code: str, message: str) -> None:
        super().__init__(message)
        self.status, self.code, self.message = status, code, message


def error_response(status: int, code: str, message: str,
                   headers: dict[str, str] | None = None) -> JSONResponse:
    return JSONResponse({"error": {"code": code, "message": message}}, status, headers=headers)


def bad_request(message: str) -> ApiError:
    return ApiError(400, "bad_request", message)


def parse_instant(name: str, text: str) -> int:
    """A UTC instant from the query, as whole epoch seconds (rounded up, so that a bound with a
    fraction keeps its meaning for records that start on whole seconds)."""
    try:
        moment = datetime.fromisoformat(text)
    except ValueError:
        raise bad_request(f"'{name}' must be an ISO 8601 instant like 2026-11-01T00:00:00Z, "
                          f"not {text!r}.") from None
    if moment.tzinfo is None:
        raise bad_request(f"'{name}' must say its time zone (end it with Z for UTC).")
    return math.ceil(moment.timestamp())


def create_app(store: Store, token: str, clock: Clock | None = None) -> FastAPI:
    clock = clock or Clock(store)
    ledger = Ledger(store, clock)
    app = FastAPI(
        title="Operator API (Salon console sandbox)", version="1.0.0",
        description="The operator's system of record as the Salon console sees it: "
                    "subscribers, catalog, balances and usage. The contract is "
                    "resources/operator-api.md; money is a decimal string plus currency, "
                    "time is UTC.")
    app.state.ledger = ledger
    app.state.clock = clock
    app.add_middleware(GZipMiddleware, minimum_size=1024, compresslevel=5)
    _install_error_handlers(app)
    bearer = HTTPBearer(auto_error=False, description="The sandbox token")
    expected = token.encode()

    def require_token(
        credentials: Annotated[HTTPAuthorizationCredentials | None, Security(bearer)],
    ) -> None:
        if credentials is None or not hmac.compare_digest(credentials.credentials.encode(),
                                                          expected):
            raise ApiError(401, "unauthorized", "A valid bearer token is required.")

    def subscriber_state(
        msisdn: Annotated[str, Path(description="E.164, literally", examples=["+79161234567"])],
    ) -> SubscriberState:
        if not _E164.match(msisdn):
            raise bad_request(f"{msisdn!r} is not an E.164 phone number like +79161234567.")
        state = ledger.state(msisdn)
        if state is None:
            raise ApiError(404, "subscriber_not_found", f"No subscriber with number {msisdn}.")
        return state

    Subscriber = Annotated[SubscriberState, Depends(subscriber_state)]
    v1 = APIRouter(prefix="/v1", dependencies=[Depends(require_token)], responses=_ERRORS)
    sandbox = APIRouter(prefix="/sandbox", dependencies=[Depends(require_token)],
                        responses=_ERRORS, tags=["sandbox"])

    @app.get("/health", response_model=schemas.Health, tags=["health"])
    def health() -> dict[str, Any]:
        return {"status": "ok", "now": utc_iso(clock.now()), "seed": store.seed}

    @v1.get("/subscribers/{msisdn}", response_model=schemas.Subscriber, tags=["subscribers"],
            responses=_NOT_FOUND)
    def get_subscriber(state: Subscriber, response: Response) -> dict[str, Any]:
        response.headers["ETag"] = f'"{state.version}"'
        return views.subscriber(state, clock.now())

    @v1.get("/subscribers/{msisdn}/balance", response_model=schemas.Balance,
            tags=["balance"], responses=_NOT_FOUND)
    def get_balance(
        state: Subscriber,
        at: Annotated[str | None, Query(description="UTC instant; default: now. The main "
                                                    "balance sums the records before it.")] = None,
    ) -> dict[str, Any]:
        now = clock.now()
        instant = now if at is None else parse_instant("at", at)
        if instant > now:
            raise bad_request("'at' is in the future of the sandbox clock.")
        return views.balance(ledger, state, instant)

    @v1.get("/catalog/tariffs", response_model=schemas.TariffList, tags=["catalog"])
    def get_tariffs() -> dict[str, Any]:
        return views.tariffs()

    @v1.get("/catalog/services", response_model=schemas.ServiceList, tags=["catalog"])
    def get_services() -> dict[str, Any]:
        return views.services()

    @v1.get("/subscribers/{msisdn}/usage", tags=["usage"], response_class=Response,
            responses={200: {"model": schemas.UsagePage, "description": "A page of records"},
                       **_NOT_FOUND})
    def get_usage(
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
        picked, following = ledger.page(state, start, end, descending, limit, after)
        body = {"items": record_dicts(state.msisdn, picked),
                "next_cursor": None if following is None else
                encode_cursor(state.msisdn, descending, start, end, following)}
        # Built by hand, not by pydantic: a 10,000-record page must serialize fast.
        return Response(json.dumps(body, ensure_ascii=False, separators=(",", ":")),
                        media_type="application/json")

    @sandbox.get("/subscribers", response_model=schemas.DemoSubscriberList)
    def list_demo_subscribers() -> dict[str, Any]:
        return views.demo_subscribers(store.load_all(), clock.now())

    app.include_router(v1)
    app.include_router(sandbox)
    _document_errors_as_served(app)
    return app


def _document_errors_as_served(app: FastAPI) -> None:
    """FastAPI documents a 422 with its own error shape on every endpoint with parameters; this
    API answers bad parameters with 400 in the contract's shape, so drop those entries."""
    build = app.openapi

    def openapi() -> dict[str, Any]:
        if app.openapi_schema is None:
            doc = build()
            for operations in doc.get("paths", {}).values():
                for operation in operations.values():
                    operation.get("responses", {}).pop("422", None)
            schemas_ = doc.get("components", {}).get("schemas", {})
            schemas_.pop("HTTPValidationError", None)
            schemas_.pop("ValidationError", None)
            app.openapi_schema = doc
        return app.openapi_schema

    app.openapi = openapi  # type: ignore[method-assign]


def _install_error_handlers(app: FastAPI) -> None:
    @app.exception_handler(ApiError)
    async def api_error(_: Request, exc: ApiError) -> JSONResponse:
        headers = {"WWW-Authenticate": "Bearer"} if exc.status == 401 else None
        return error_response(exc.status, exc.code, exc.message, headers)

    @app.exception_handler(RequestValidationError)
    async def invalid(_: Request, exc: RequestValidationError) -> JSONResponse:
        problems = []
        for err in exc.errors():
            where = [str(part) for part in err.get("loc", ()) if part not in ("query", "path")]
            problems.append(f"{'.'.join(where) or 'request'}: {err.get('msg', 'invalid')}")
        body_error = any(err.get("loc", ("",))[0] == "body" for err in exc.errors())
        return error_response(422 if body_error else 400, "bad_request", "; ".join(problems))

    @app.exception_handler(StarletteHTTPException)
    async def http_error(request: Request, exc: StarletteHTTPException) -> JSONResponse:
        code = {404: "not_found", 405: "method_not_allowed"}.get(exc.status_code, "bad_request")
        message = f"{exc.detail}: {request.method} {request.url.path}"
        return error_response(exc.status_code, code, message, getattr(exc, "headers", None))

    @app.exception_handler(Exception)
    async def crashed(_: Request, exc: Exception) -> JSONResponse:
        log.exception("sandbox request failed", exc_info=exc)
        return error_response(500, "internal", "The sandbox failed; see its log.")
