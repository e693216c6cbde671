"""Who may call the TMF APIs: the sandbox's token (or an access token its OAuth2 endpoint gave,
sandbox/oauth.py), as `Authorization: Bearer <token>` or as the password of HTTP Basic
(`Basic base64(<any name>:<token>)`).

Basic is there for tools that can carry credentials only in the URL
(`http://name:<token>@host/...`): TM Forum's TMF635 kit probes its URL before the run without
the headers it is configured with, and a client library that follows an `href` with userinfo
does the same. The secret is the same token either way; /v1 and /sandbox keep Bearer alone.
"""

from __future__ import annotations

import base64
import binascii
from typing import Annotated

from fastapi import Security
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer
from fastapi.security.http import HTTPBase

from sandbox.deps import Ctx
from sandbox.errors import ApiError

_bearer = HTTPBearer(auto_error=False, description="The sandbox token, or an access token from "
                                                  "POST /sandbox/oauth/token")
_basic = HTTPBase(scheme="basic", scheme_name="HTTPBasic", auto_error=False,
                  description="Any user name, the sandbox token as the password")


def require_tmf_token(
    ctx: Ctx,
    bearer: Annotated[HTTPAuthorizationCredentials | None, Security(_bearer)],
    given: Annotated[HTTPAuthorizationCredentials | None, Security(_basic)],
) -> None:
    secret = None
    if bearer is not None:
        secret = bearer.credentials
    elif given is not None and given.scheme.lower() == "basic":
        secret = basic_password(given.credentials)
    if secret is None or not ctx.accepts(secret):
        raise ApiError(401, "unauthorized",
                       "A valid token is required: Authorization: Bearer <token>, or Basic "
                       "with the token as the password.")


def basic_password(credentials: str) -> str | None:
    try:
        decoded = base64.b64decode(credentials, validate=True).decode()
    except (binascii.Error, UnicodeDecodeError):
        return None
    _name, colon, password = decoded.partition(":")
    return password if colon else None
