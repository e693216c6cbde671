"""TMF's `Error` body, which every answer under /tmf-api/ carries instead of the /v1 contract's
`{"error": {...}}`:

    {"code": "not_found", "reason": "Not Found", "message": "No usage with id 42.",
     "status": "404", "@type": "Error"}

`code` is a string (a rule name for a refusal: `R1`, `world_line`, ...), `reason` a short
English phrase, `message` the sentence, `status` the HTTP status as a string (the published
documents type it so). The sandbox raises the same `ApiError` everywhere; the handlers in
`sandbox.api` render it in this shape when the path is a TMF one.
"""

from __future__ import annotations

from http import HTTPStatus
from typing import Any

from fastapi.responses import JSONResponse

from sandbox.errors import ApiError

TMF_PREFIX = "/tmf-api/"


def is_tmf(path: str) -> bool:
    return path.startswith(TMF_PREFIX)


def error_body(status: int, code: str, message: str, reason: str | None = None) -> dict[str, Any]:
    return {"code": code, "reason": reason or _phrase(status), "message": message,
            "status": str(status), "@type": "Error"}


def error_response(status: int, code: str, message: str, headers: dict[str, str] | None = None,
                   reason: str | None = None) -> JSONResponse:
    return JSONResponse(error_body(status, code, message, reason), status, headers=headers)


def from_api_error(exc: ApiError) -> dict[str, Any]:
    """An ApiError raised anywhere, as TMF's Error (a refusal's rule becomes its code)."""
    code = str(exc.extra.get("rule") or exc.code)
    return error_body(exc.status, code, exc.message, exc.extra.get("reason"))


def not_found(type_name: str, entity_id: str) -> ApiError:
    return ApiError(404, "not_found", f"No {type_name} with id {entity_id!r}.")


def read_only(type_name: str, entity_id: str) -> ApiError:
    """A world-derived entity (a generated usage record, a phone's SMS) cannot be changed."""
    return ApiError(405, "read_only",
                    f"{type_name} {entity_id!r} belongs to the sandbox's world and is "
                    "read-only: only entities created through this API can be changed or "
                    "deleted.", headers={"Allow": "GET"}, reason="Method Not Allowed")


def _phrase(status: int) -> str:
    try:
        return HTTPStatus(status).phrase
    except ValueError:
        return "Error"
