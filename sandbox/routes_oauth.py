"""`POST /sandbox/oauth/token`: the OAuth 2.0 token endpoint (client credentials grant, RFC 6749
§4.4) that a console with `[operator] auth = oauth2` asks for its access tokens
(sandbox/oauth.py). It needs no bearer token (the client authenticates itself), answers in
RFC 6749's shapes (§5.1, §5.2), not the contract's error object, and is never faulted."""

from __future__ import annotations

from typing import Any, Literal

from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse
from pydantic import BaseModel, ConfigDict, Field

from sandbox.answers import FAILED
from sandbox.deps import Ctx
from sandbox.oauth import FORM, TokenError

router = APIRouter(prefix="/sandbox/oauth", tags=["sandbox"])
_NO_STORE = {"Cache-Control": "no-store", "Pragma": "no-cache"}


class TokenAnswer(BaseModel):
    model_config = ConfigDict(extra="forbid")
    access_token: str = Field(description="Send it as `Authorization: Bearer <access_token>`")
    token_type: Literal["Bearer"]
    expires_in: int = Field(description="Seconds of the sandbox's clock the token lives")
    scope: str | None = Field(None, description="The scope asked for, when one was")


class OAuthError(BaseModel):
    model_config = ConfigDict(extra="forbid")
    error: Literal["invalid_request", "invalid_client", "unsupported_grant_type",
                   "invalid_scope"]
    error_description: str


_FORM_BODY: dict[str, Any] = {
    "requestBody": {"required": True, "content": {FORM: {"schema": {
        "type": "object", "required": ["grant_type"],
        "properties": {
            "grant_type": {"type": "string", "enum": ["client_credentials"]},
            "scope": {"type": "string", "description": "Space-separated names (optional)"},
            "client_id": {"type": "string", "description": "With client_secret, instead of "
                                                           "HTTP Basic"},
            "client_secret": {"type": "string"},
        }}}}},
    "security": [{"HTTPBasic": []}, {}],
}
_HEADERS = {"Cache-Control": {"required": True, "schema": {"type": "string"}},
            "Pragma": {"required": True, "schema": {"type": "string"}}}


@router.post(
    "/token", response_model=TokenAnswer, openapi_extra=_FORM_BODY,
    responses={
        200: {"headers": _HEADERS},
        400: {"model": OAuthError, "headers": _HEADERS,
              "description": "invalid_request, unsupported_grant_type or invalid_scope"},
        401: {"model": OAuthError, "headers": _HEADERS,
              "description": "invalid_client: unknown client, wrong secret or none given "
                             "(WWW-Authenticate: Basic when HTTP Basic was tried)"},
        **FAILED,
    },
    summary="An access token by client credentials (RFC 6749 §4.4)",
)
async def token(ctx: Ctx, request: Request) -> JSONResponse:
    """Client `salon-console`, secret: the sandbox's token, by HTTP Basic or in the form body.
    The token lives the sandbox's `--token-lifetime` seconds (default 3600) of its clock."""
    body = await request.body()
    try:
        issued = ctx.oauth.grant(request.headers.get("authorization"),
                                 request.headers.get("content-type"), body)
    except TokenError as error:
        headers = dict(_NO_STORE)
        if error.status == 401 and error.basic:
            headers["WWW-Authenticate"] = 'Basic realm="sandbox"'
        return JSONResponse({"error": error.error, "error_description": error.description},
                            error.status, headers=headers)
    answer: dict[str, Any] = {"access_token": issued.access_token, "token_type": "Bearer",
                              "expires_in": issued.expires_in}
    if issued.scope:
        answer["scope"] = issued.scope
    return JSONResponse(answer, 200, headers=_NO_STORE)
