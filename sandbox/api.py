"""The HTTP face of the sandbox: the endpoints of resources/operator-api.md.

`create_app(store, token)` builds the FastAPI app. Every `/v1` and `/sandbox` call needs
`Authorization: Bearer <token>`; every error has the contract's shape
`{"error": {"code", "message", ...}}` (FastAPI's own error shapes are replaced). The endpoints
live in `routes_*`; their shared parts (the sandbox's `Context`, auth, headers) in `deps`.
"""

import logging
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.middleware.gzip import GZipMiddleware
from fastapi.responses import JSONResponse
from starlette.exceptions import HTTPException as StarletteHTTPException

from sandbox import (
    documents,
    routes_access,
    routes_documents,
    routes_oauth,
    routes_orders,
    routes_read,
    routes_sandbox,
    schemas,
)
from sandbox.answers import FAILED, UNAVAILABLE
from sandbox.clock import Clock
from sandbox.deps import Context
from sandbox.errors import ApiError, error_response
from sandbox.faults import FaultMiddleware, InjectedDrop, quiet_uvicorn
from sandbox.oauth import DEFAULT_TOKEN_LIFETIME_S
from sandbox.store import Store
from sandbox.tmf import apis
from sandbox.tmf import errors as tmf
from sandbox.wire import utc_iso

log = logging.getLogger(__name__)


def create_app(store: Store, token: str, clock: Clock | None = None, *,
               token_lifetime_s: int = DEFAULT_TOKEN_LIFETIME_S) -> FastAPI:
    """`token_lifetime_s`: how long an access token from POST /sandbox/oauth/token lives, in
    seconds of the sandbox's clock."""
    ctx = Context.build(store, clock or Clock(store), token, token_lifetime_s)
    app = FastAPI(
        title="Operator API (Salon console sandbox)", version="1.2.0",
        description="The operator's system of record as the Salon console sees it: "
                    "subscribers, catalog, balances, usage, orders, access codes and the "
                    "personal document archive; plus sandbox-only controls (clock, faults, SMS "
                    "outbox). The contract is resources/operator-api.md; money is a decimal "
                    "string plus currency, time is UTC. Under /tmf-api/ the same world as TM "
                    "Forum Open API v4 (each API is a tag below), with TMF's list semantics and "
                    "Error body.")
    app.state.ctx = ctx
    app.add_middleware(GZipMiddleware, minimum_size=1024, compresslevel=5)
    app.add_middleware(FaultMiddleware, faults=ctx.faults)  # outermost: sees the final answer
    quiet_uvicorn()
    _install_error_handlers(app)
    documents.purge_expired(store, ctx.clock.now())

    @app.get("/health", response_model=schemas.Health, tags=["health"],
             responses={**FAILED, **UNAVAILABLE})
    def health() -> dict[str, Any]:
        return {"status": "ok", "now": utc_iso(ctx.clock.now()), "seed": store.seed}

    # Order matters within /v1: /orders/preview before /orders/{order_id}.
    for router in (routes_read.router, routes_orders.router, routes_access.router,
                   routes_documents.router, routes_sandbox.router, routes_oauth.router,
                   *apis.routers()):
        app.include_router(router)
    _document_errors_as_served(app)
    return app


def _document_errors_as_served(app: FastAPI) -> None:
    """FastAPI documents a 422 with its own error shape on every endpoint with parameters; this
    API answers bad parameters with 400 in the contract's shape, so drop those entries: each
    endpoint declares the 400 and 422 it can send itself (sandbox/answers.py)."""
    build = app.openapi

    def openapi() -> dict[str, Any]:
        if app.openapi_schema is None:
            doc = build()
            for path, operations in doc.get("paths", {}).items():
                for operation in operations.values():
                    responses = operation.get("responses", {})
                    if "HTTPValidationError" in str(responses.get("422", "")):
                        responses.pop("422")
                    for param in operation.get("parameters", []):
                        if not tmf.is_tmf(path):  # a TMF resource documents its own headers
                            _document_required_header(param)
            schemas_ = doc.get("components", {}).get("schemas", {})
            schemas_.pop("HTTPValidationError", None)
            schemas_.pop("ValidationError", None)
            app.openapi_schema = doc
        return app.openapi_schema

    # FastAPI's documented way to change the schema; its type says method.
    app.openapi = openapi  # type: ignore[method-assign]


_WRITE_HEADERS: dict[str, dict[str, Any]] = {
    "Idempotency-Key": {"type": "string", "pattern": "^[A-Za-z0-9_-]{16,128}$"},
    "If-Match": {"type": "string", "examples": ['"7"']},
}


def _document_required_header(param: dict[str, Any]) -> None:
    """The write headers are checked by hand (for the contract's 400 and 428), so FastAPI sees
    them as optional; the document says what a client must send."""
    schema = _WRITE_HEADERS.get(param.get("name", "")) if param.get("in") == "header" else None
    if schema is not None:
        param["required"] = True
        param["schema"] = {**schema, "title": param["name"],
                           "description": param.get("description", "")}


def _install_error_handlers(app: FastAPI) -> None:
    """Errors in the contract's shape under /v1, /sandbox and /health; TMF's Error under
    /tmf-api/ (sandbox/tmf/errors.py), where a bad body is a 400 like any bad request."""

    @app.exception_handler(ApiError)
    async def api_error(request: Request, exc: ApiError) -> JSONResponse:
        headers = dict(exc.headers or {})
        if exc.status == 401:
            headers["WWW-Authenticate"] = "Bearer"
        if tmf.is_tmf(request.url.path):
            return JSONResponse(tmf.from_api_error(exc), exc.status, headers=headers or None)
        return error_response(exc.status, exc.code, exc.message, headers or None, **exc.extra)

    @app.exception_handler(RequestValidationError)
    async def invalid(request: Request, exc: RequestValidationError) -> JSONResponse:
        problems = []
        for err in exc.errors():
            where = [str(part) for part in err.get("loc", ()) if part not in ("query", "path")]
            problems.append(f"{'.'.join(where) or 'request'}: {err.get('msg', 'invalid')}")
        if tmf.is_tmf(request.url.path):
            return tmf.error_response(400, "bad_request", "; ".join(problems))
        body_error = any(err.get("loc", ("",))[0] == "body" for err in exc.errors())
        return error_response(422 if body_error else 400, "bad_request", "; ".join(problems))

    @app.exception_handler(StarletteHTTPException)
    async def http_error(request: Request, exc: StarletteHTTPException) -> JSONResponse:
        code = {404: "not_found", 405: "method_not_allowed"}.get(exc.status_code, "bad_request")
        message = f"{exc.detail}: {request.method} {request.url.path}"
        headers = getattr(exc, "headers", None)
        if tmf.is_tmf(request.url.path):
            return tmf.error_response(exc.status_code, code, message, headers)
        return error_response(exc.status_code, code, message, headers)

    @app.exception_handler(Exception)
    async def crashed(request: Request, exc: Exception) -> JSONResponse:
        if not isinstance(exc, InjectedDrop):  # a drop on purpose: the answer has started
            log.exception("sandbox request failed", exc_info=exc)
        if tmf.is_tmf(request.url.path):
            return tmf.error_response(500, "internal", "The sandbox failed; see its log.")
        return error_response(500, "internal", "The sandbox failed; see its log.")
