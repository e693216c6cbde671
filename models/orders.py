"""Orders the clerk makes for a subscriber (R4) and the outbox that carries them: plain
domain data shared by the services, the CLI and the GUI. No I/O here.

An order's life in the outbox (DESIGN §5: "every write is a row before it is sent"):

    queued ──send──▶ sending ──201──────────▶ done
       ▲                │ ────422/412/404──▶ rejected   (a decision; final)
       │                └─ network / 5xx ──▶ queued     (retried later, the same key)
       └──────────── cancel (only when it surely never reached the operator) ──▶ cancelled

A cancel of an item that may have reached the operator only sets `cancel_requested`: the
pump then asks the operator for the answer stored under the item's key instead of sending it
again — applied (done, "applied before the cancel"), refused (rejected), or never arrived
(cancelled). A crash while `sending` leaves the row there; after its lease it goes back to
`queued` (maybe_delivered) and is sent again under the same key, which the operator answers
with its stored answer: nothing is lost, nothing applied twice.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum
from typing import Any

from models.domain import Money, ServiceRef, TrialPeriod


class OrderAction(StrEnum):
    CHANGE_TARIFF = "change_tariff"
    ADD_SERVICE = "add_service"
    REMOVE_SERVICE = "remove_service"
    CONNECT_ASSISTANT = "connect_assistant"


@dataclass(frozen=True)
class OrderRequest:
    """What the clerk wants done: `code` is the tariff (change_tariff) or the service
    (add/remove_service); None for connect_assistant."""

    msisdn: str
    action: OrderAction
    code: str | None = None


@dataclass(frozen=True)
class OrderPreview:
    """The operator's answer to "what would this cost?" (R4), shown before confirming."""

    request: OrderRequest
    allowed: bool
    refusal_rule: str | None  # e.g. "R1", "insufficient_balance", "subscriber_blocked"
    refusal_message: str | None
    fee: Money
    monthly_cost_before: Money
    monthly_cost_after: Money
    balance_before: Money
    balance_after: Money
    trial: TrialPeriod | None  # R5: the service is in trial operation
    dropped_services: tuple[ServiceRef, ...]
    subscriber_version: int  # sent as If-Match


@dataclass(frozen=True)
class OrderResult:
    """A completed order as the operator confirmed it."""

    order_id: str
    fee: Money
    monthly_cost_after: Money
    balance_after: Money
    completed_at: datetime
    subscriber_version: int
    dropped_services: tuple[ServiceRef, ...]


class OutboxState(StrEnum):
    QUEUED = "queued"
    SENDING = "sending"
    DONE = "done"
    REJECTED = "rejected"
    CANCELLED = "cancelled"


@dataclass(frozen=True)
class OutboxItem:
    id: int
    key: str  # the Idempotency-Key: the same for every attempt of this write
    request: OrderRequest
    if_match: int  # the subscriber version the clerk's preview was based on
    clerk: str
    created_at: datetime
    updated_at: datetime
    state: OutboxState
    attempts: int
    maybe_delivered: bool  # an attempt may have reached the operator: no silent cancel
    last_error: str  # the clerk-facing sentence of the last failure, "" if none
    result: OrderResult | None  # when done
    refusal_rule: str | None  # when rejected
    preview: OrderPreview | None  # what the clerk confirmed (fee, costs), for the slip
    cancel_requested: bool = False  # the clerk cancelled it; the pump settles it by its key
    next_attempt_at: datetime | None = None  # when it is sent next (queued only)
    slip_path: str | None = None  # the confirmation slip PDF, when done

    @property
    def pending(self) -> bool:
        return self.state in (OutboxState.QUEUED, OutboxState.SENDING)


class SubmitStatus(StrEnum):
    DONE = "done"  # applied; `result` and the slip are there
    REJECTED = "rejected"  # the operator refused it; nothing changed
    UNREACHABLE = "unreachable"  # not confirmed: the clerk queues it or cancels it
    STALE = "stale"  # 412: the subscriber changed since the preview; reload and look again


@dataclass(frozen=True)
class SubmitOutcome:
    status: SubmitStatus
    item: OutboxItem
    message: str  # a clerk-facing sentence
    slip_path: str | None = None  # the confirmation slip PDF, when done


@dataclass(frozen=True)
class OrderOption:
    """One thing the clerk could do for this subscriber, as the catalog and the card say
    before asking the operator: the GUI disables what is not available and says why."""

    request: OrderRequest
    name: str  # the tariff's or service's name
    one_off_fee: Money  # the catalog's list price (the preview gives the exact fee, R4)
    monthly_fee: Money
    trial: TrialPeriod | None  # R5
    available: bool
    reason: str  # why not (a clerk-facing sentence naming the rule), "" when available
    rule: str = ""  # the rule that makes it unavailable (R1, not_available, ...), "" if none


@dataclass(frozen=True)
class OrderOptions:
    tariffs: tuple[OrderOption, ...]  # every tariff but the current one
    add_services: tuple[OrderOption, ...]  # services not connected
    remove_services: tuple[OrderOption, ...]  # services connected
    assistant: OrderOption  # connect the Electronic Assistant (R1)


# -- the outbox row as written and read back by models/outbox.py ------------------------


@dataclass(frozen=True)
class NewOrder:
    """A confirmed order about to be sent: the row written before anything goes out."""

    key: str
    request: OrderRequest
    if_match: int
    clerk: str
    clerk_name: str
    salon: str
    counter: str
    preview: OrderPreview
    context: dict[str, Any]
    created_at: datetime
    next_attempt_at: datetime


@dataclass(frozen=True)
class OutboxExtras:
    """What the slip needs beyond the OutboxItem."""

    clerk_name: str
    salon: str
    counter: str
    context: dict[str, Any]
