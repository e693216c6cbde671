"""Idempotent writes under /tmf-api/ (an access code ordered, a document archived): the sandbox's
one `Idempotency` (sandbox/idempotency.py), with TMF's shapes.

- A stored decision (a refusal: `R1`, `subscriber_blocked`, ...) is stored — and replayed to
  every retry — as TMF's `Error` body, not the /v1 contract's `{"error": ...}`.
- A key reused for a different request is 409 `idempotency_conflict` (the mapping's code; /v1
  says 422 `idempotency_key_reused`); a key still in progress stays 409 `request_in_progress`.
Keys share one namespace with /v1's writes; the fingerprint includes the path, so a /v1 key
sent again to a TMF write is a conflict, never a replay in the other shape.
"""

from __future__ import annotations

from collections.abc import Callable

from sandbox.deps import Context
from sandbox.errors import ApiError
from sandbox.idempotency import Answer, Outcome, Write
from sandbox.tmf.errors import from_api_error


def run(ctx: Context, key: str, fingerprint: str,
        process: Callable[[Write], Answer]) -> Outcome:
    def tmf_process(write: Write) -> Answer:
        try:
            return process(write)
        except ApiError as error:
            if not error.stored:
                raise
            return Answer(error.status, from_api_error(error))

    try:
        return ctx.idempotency.run(key, fingerprint, tmf_process)
    except ApiError as error:
        if error.code == "idempotency_key_reused":
            raise ApiError(409, "idempotency_conflict", error.message,
                           reason="Idempotency-Key reused") from None
        raise
