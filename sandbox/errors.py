"""The contract's error answers: HTTP status + `{"error": {"code", "message", ...}}`.

Some errors carry more fields in the error object (`rule` of a refusal, `current_version` of a
version mismatch). `stored` marks an answer that is a decision about a write (a refusal, a
version mismatch, an unknown number): it is kept as the idempotent answer to that write's key,
like a success, so a retry gets the same decision.
"""

from __future__ import annotations

import json
from typing import Any

from fastapi.responses import JSONResponse


class ApiError(Exception):
    def __init__(self, status: int, code: str, message: str, *, stored: bool = False,
                 headers: dict[str, str] | None = None, **extra: Any) -> None:
        super().__init__(message)
        self.status, self.code, self.message = status, code, message
        self.stored = stored
        self.headers = headers
        self.extra = extra

    def body(self) -> dict[str, Any]:
        return error_body(self.code, self.message, **self.extra)


def error_body(code: str, message: str, **extra: Any) -> dict[str, Any]:
    return {"error": {"code": code, "message": message, **extra}}


def error_response(status: int, code: str, message: str,
                   headers: dict[str, str] | None = None, **extra: Any) -> JSONResponse:
    return JSONResponse(error_body(code, message, **extra), status, headers=headers)


def bad_request(message: str, status: int = 400) -> ApiError:
    """400 for bad path, query or header values; 422 (same code) for a bad request body."""
    return ApiError(status, "bad_request", message)


def refused(rule: str, message: str) -> ApiError:
    """A business rule says no (R1, insufficient_balance, ...): 422 rule_refused."""
    return ApiError(422, "rule_refused", message, stored=True, rule=rule)


def subscriber_not_found(msisdn: str) -> ApiError:
    return ApiError(404, "subscriber_not_found", f"No subscriber with number {msisdn}.",
                    stored=True)


def dumps(body: Any) -> str:
    """The one JSON form of stored and sent answers (compact, Cyrillic kept as is)."""
    return json.dumps(body, ensure_ascii=False, separators=(",", ":"))
