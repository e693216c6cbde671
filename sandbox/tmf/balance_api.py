"""TMF654 Prepay Balance Management at /tmf-api/prepayBalanceManagement/v4/.

- `bucket`: the world's balances (world_buckets.py: main, bonus, promised-payment debt, the
  month's packages, as of the sandbox clock's now), read-only, after the buckets clients
  created;
- `topupBalance`, `adjustBalance`, `reserveBalance`, `transferBalance`: balance actions a client
  asks for. The sandbox keeps each (status `created`, `requestedDate` its arrival) and never
  applies it: money reaches a world line only through the world's own records.

A created bucket or action that names a world line anywhere — its id (`L-…`), its number, or one
of its buckets (`B-…`) — is refused, 422 `world_line`: a top-up that the line's balance would
not show would be a lie, and a created bucket listed under a world line would stand beside its
real balances.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

from sandbox.deps import Context
from sandbox.errors import ApiError
from sandbox.tmf import ids
from sandbox.tmf.resource import Api, Resource
from sandbox.tmf.world_buckets import BALANCE_API, BUCKET, WorldBuckets, bucket_key
from sandbox.wire import utc_iso

Json = dict[str, Any]
API = Api(BALANCE_API, "TMF654", "Prepay Balance Management")
_NUMBER = re.compile(r"^\+?([1-9]\d{7,14})$")
ACTION_STATUS = "created"  # kept, never applied


def _named_lines(node: Any) -> Iterator[tuple[str, str]]:
    """(the text, the msisdn it names) for every string in the body that names a line: a line
    id, a world bucket id, or a number with or without its '+'."""
    if isinstance(node, dict):
        for value in node.values():
            yield from _named_lines(value)
    elif isinstance(node, list):
        for value in node:
            yield from _named_lines(value)
    elif isinstance(node, str):
        msisdn = ids.msisdn_of_line(node)
        if msisdn is None and (key := bucket_key(node)) is not None:
            msisdn = key[0]
        if msisdn is None and (number := _NUMBER.match(node)) is not None:
            msisdn = f"+{number[1]}"
        if msisdn is not None:
            yield node, msisdn


def refuse_world_lines(ctx: Context, body: Json) -> None:
    for text, msisdn in _named_lines(body):
        if ctx.store.version(msisdn) is not None:
            raise ApiError(422, "world_line",
                           f"{text} names a line of the sandbox's world, whose balances only "
                           "the world's own records change: a created bucket or balance "
                           "action may not refer to it (it would never be applied).",
                           reason="Refers to a world line")


def _bucket_completed(entity: Json, now: int) -> Json:
    return {"status": "active", "confirmationDate": utc_iso(now), **entity}


def _action_completed(entity: Json, now: int) -> Json:
    return {"status": ACTION_STATUS, "requestedDate": utc_iso(now), **entity}


_REFUSAL = ("world_line: the body names a line of the sandbox's world (L-…, its number, or "
            "one of its buckets B-…)")
_KEPT = (" Kept beside the world with status `created` and never applied: no balance "
         "changes. ")


def _world_buckets(ctx: Context) -> WorldBuckets:
    return WorldBuckets(ctx.ledger)


BUCKET_RESOURCE = Resource(
    API, BUCKET, "Bucket", required=("usageType",),
    world=_world_buckets, check_create=refuse_world_lines, refusal_doc=_REFUSAL,
    complete=_bucket_completed,
    world_doc="The world's buckets, read-only, as of the sandbox clock's now (exactly the "
              "/v1 balance): per line (`product.id=L-…`) `main` and `bonus` (monetary, RUB), "
              "`promisedPaymentDebt` while a promised payment is owed (validFor.endDateTime: "
              "due), and the month's packages `minutes` / `sms` / `data` (usageType voice / "
              "sms / data; `@type` SalonPackageBucket, a Bucket with `totalValue`; "
              "validFor.endDateTime: the month's end). Ids `B-{msisdn digits}-{name}`; "
              "`confirmationDate` is the instant the amounts are as of.")


def _action(name: str, type_name: str) -> Resource:
    return Resource(API, name, type_name, required=("amount",),
                    check_create=refuse_world_lines, refusal_doc=_REFUSAL,
                    complete=_action_completed,
                    world_doc=_KEPT + "The world has none of its own.")


RESOURCES = (
    BUCKET_RESOURCE,
    _action("topupBalance", "TopupBalance"),
    _action("adjustBalance", "AdjustBalance"),
    _action("reserveBalance", "ReserveBalance"),
    _action("transferBalance", "TransferBalance"),
)
