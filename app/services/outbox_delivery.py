"""Sending one claimed outbox row to the operator and recording how it ended: the part the
clerk's own submit and the background pump share, so an order ends the same way whoever
sends it.

The row is already `sending` (claimed by compare-and-set, app/services/orders.py or the
pump); this module makes ONE attempt — the client retries inside it, bounded and jittered,
under the row's key — and then settles the row, journals the outcome once, and (when done)
writes the confirmation slip:

- 201 → done (the slip is written and its path kept; journaled as a document saved, since
  it is printed — and journaled as printed — only when the clerk has it printed);
- a rule → rejected, the rule named;
- 412 → if our own earlier orders of this subscriber moved its version (each applied order
  moves it by one, so the chain from this row's If-Match through our done rows reaches the
  operator's current version), the clerk meant the sequence: sent again with If-Match = that
  version under a NEW key (the old key's stored answer is the 412, a decision that applied
  nothing). Otherwise rejected as stale: the clerk looks at the card again;
- unreachable → back to queued under the same key, `maybe_delivered` as the client says;
- a row the clerk asked to cancel is not sent again: the operator is asked for the order
  it applied under the key (applied → done; none → cancelled: it never arrived, or it was
  refused — either way nothing was applied, and the row is never sent again). It is asked
  only `settle_grace` after the row's last attempt, when no request of ours can still be
  on its way to arrive after the answer "none".
"""

from __future__ import annotations

import logging
import random
import uuid
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path
from typing import Protocol

from app.clock import Clock
from app.errors import OperatorUnavailable, OrderRefused, SalonError, VersionMismatch
from app.i18n import _
from app.order_rules import VERSION_MISMATCH
from app.services.connection import ConnectionState
from app.services.journaling import Journal
from models.audit_codes import AuditAction, AuditResult
from models.orders import (
    OrderAction,
    OrderRequest,
    OrderResult,
    OutboxExtras,
    OutboxItem,
    SubmitStatus,
)

log = logging.getLogger(__name__)
ASSISTANT = "ASSISTANT"
_MAX_REKEYS = 5  # a subscriber's queue rarely holds more orders than this


class OrderWrites(Protocol):
    """The operator API's write side (app/operator_api/client.py; a fake in tests)."""

    def place_order(self, request: OrderRequest, *, key: str, if_match: int, clerk: str,
                    salon: str, counter: str) -> OrderResult: ...

    def stored_order(self, key: str) -> OrderResult | None:
        """The order the operator applied under `key` (TMF622 `externalId`), or None when it
        applied none: the key never arrived, or its order was refused (a refused order is
        not an order; its refusal is only the answer stored for the key)."""


class OutboxStore(Protocol):
    """models/outbox.py StoreOutbox, as delivery uses it."""

    def get(self, item_id: int) -> OutboxItem | None: ...

    def extras(self, item_id: int) -> OutboxExtras: ...

    def finish_done(self, item: OutboxItem, result: OrderResult,
                    now: datetime) -> OutboxItem | None: ...

    def finish_rejected(self, item: OutboxItem, rule: str, message: str,
                        now: datetime) -> OutboxItem | None: ...

    def finish_cancelled(self, item: OutboxItem, now: datetime) -> OutboxItem | None: ...

    def release(self, item: OutboxItem, now: datetime, error: str, maybe_delivered: bool,
                next_attempt_at: datetime) -> OutboxItem | None: ...

    def rekey(self, item: OutboxItem, key: str, if_match: int,
              now: datetime) -> OutboxItem | None: ...

    def applied_versions(self, msisdn: str) -> dict[int, int]: ...

    def set_slip(self, item_id: int, path: str) -> None: ...


class SlipWriter(Protocol):
    """Writes the confirmation slip of a done row; returns its path (app/services/slips.py)."""

    def write(self, item: OutboxItem) -> str: ...


@dataclass(frozen=True)
class Timing:
    """How long things may take. `lease`: the longest one send can last (every retry and
    timeout included); a row `sending` for longer belongs to a sender that died.
    `decision_hold`: an unconfirmed row waits this long for the clerk's "queue or cancel"
    before the pump sends it anyway (a confirmed order is never dropped silently).
    `settle_grace`: a cancel is settled by key only this long after the last attempt, when
    no request of ours can still be on its way to the operator."""

    lease: timedelta = timedelta(seconds=60)
    decision_hold: timedelta = timedelta(minutes=2)
    settle_grace: timedelta = timedelta(seconds=60)
    retry_first: timedelta = timedelta(seconds=5)
    retry_max: timedelta = timedelta(minutes=5)

    @classmethod
    def for_operator(cls, connect_timeout: float, read_timeout: float,
                     retries: int) -> Timing:
        attempts = retries + 1
        # Every attempt's timeouts, the jittered waits between them (≤ 2.3 s each), a margin.
        send = attempts * (connect_timeout + read_timeout) + retries * 2.5 + 2.0
        lease = timedelta(seconds=send)
        return cls(lease=lease, settle_grace=lease)

    def retry_after(self, attempts: int, rng: random.Random | None = None) -> timedelta:
        """Exponential backoff with jitter for the pump's next try of an unreachable row."""
        base = self.retry_first.total_seconds() * 2 ** max(0, min(attempts - 1, 10))
        seconds = min(base, self.retry_max.total_seconds())
        return timedelta(seconds=seconds * (0.75 + 0.5 * (rng or random).random()))


@dataclass(frozen=True)
class Delivered:
    """How one attempt ended: `status` None when the row was cancelled, or when another
    sender took it over (its lease had run out) and will record the outcome itself."""

    item: OutboxItem
    status: SubmitStatus | None
    message: str
    slip_path: str | None = None


def new_key() -> str:
    """An Idempotency-Key: 16–128 of [A-Za-z0-9_-], unique per intended write."""
    return f"salon-{uuid.uuid4().hex}"


def audit_action(request: OrderRequest) -> AuditAction:
    if request.action is OrderAction.CHANGE_TARIFF:
        return AuditAction.TARIFF_CHANGE
    if request.action is OrderAction.REMOVE_SERVICE:
        return AuditAction.SERVICE_REMOVE
    if request.action is OrderAction.CONNECT_ASSISTANT or request.code == ASSISTANT:
        return AuditAction.ASSISTANT_CONNECT
    return AuditAction.SERVICE_ADD


def journal_detail(item: OutboxItem, note: str = "") -> str:
    """What the journal says an order was: action, code, fee, the outbox row, the operator's
    order id once done, and a note on how it went."""
    request = item.request
    parts = [request.action.value]
    if request.code:
        parts.append(request.code)
    fee = item.result.fee if item.result else (item.preview.fee if item.preview else None)
    if fee is not None:
        parts.append(f"fee {fee.amount} {fee.currency}")
    parts.append(f"outbox #{item.id}")
    if item.result is not None:
        parts.append(item.result.order_id)
    if note:
        parts.append(note)
    return ", ".join(parts)


class Delivery:
    def __init__(
        self,
        api: OrderWrites,
        store: OutboxStore,
        *,
        journal: Journal | None = None,
        slips: SlipWriter | None = None,
        connection: ConnectionState | None = None,
        clock: Clock,
        timing: Timing | None = None,
        rng: random.Random | None = None,
    ) -> None:
        self._api = api
        self._store = store
        self._journal = journal
        self._slips = slips
        self._connection = connection
        self._clock = clock
        self.timing = timing or Timing()
        self._rng = rng or random.Random()

    def deliver(self, item: OutboxItem, *, interactive: bool = False) -> Delivered:
        """One attempt for a row this caller claimed (state sending, `item.attempts` its
        claim). `interactive`: the clerk is waiting at the counter — an unreachable row then
        waits for their decision instead of the pump's backoff."""
        if item.cancel_requested:
            return self._settle_cancel(item)
        extras = self._store.extras(item.id)
        for _rekeyed in range(_MAX_REKEYS + 1):
            try:
                result = self._api.place_order(
                    item.request, key=item.key, if_match=item.if_match, clerk=item.clerk,
                    salon=extras.salon, counter=extras.counter)
            except VersionMismatch as stale:
                self._online()
                ours = self._our_version(item, stale.current_version)
                if ours is None:
                    return self._reject(item, stale.rule, str(stale), stale=True)
                moved = self._store.rekey(item, new_key(), ours, self._clock.now())
                if moved is None:
                    return self._lost(item)
                log.info("outbox #%s: our own orders moved the version %s → %s; sent again "
                         "under a new key", item.id, item.if_match, ours)
                item = moved
                continue
            except OrderRefused as refused:
                self._online()
                return self._reject(item, refused.rule, str(refused))
            except OperatorUnavailable as down:
                return self._unreachable(item, down, interactive)
            self._online()
            return self._done(item, result)
        return self._reject(item, VERSION_MISMATCH, _(
            "The subscriber's data keeps changing; look at the card again and confirm anew."
        ), stale=True)

    # -- outcomes ----------------------------------------------------------------------------

    def _done(self, item: OutboxItem, result: OrderResult, note: str = "") -> Delivered:
        finished = self._store.finish_done(item, result, self._clock.now())
        if finished is None:
            return self._lost(item)
        message = _("Done: the operator applied the change (order {order}).").format(
            order=result.order_id)
        if item.preview is not None and item.preview.fee != result.fee:
            message += " " + _("The fee charged differs from the preview: {fee}.").format(
                fee=f"{result.fee.amount} {result.fee.currency}")
        self._record(finished, AuditResult.DONE, note=note)
        slip = self._slip(finished)
        if slip is not None:
            finished = self._store.get(finished.id) or finished
        return Delivered(finished, SubmitStatus.DONE, message, slip)

    def _reject(self, item: OutboxItem, rule: str, message: str, *,
                stale: bool = False, note: str = "") -> Delivered:
        finished = self._store.finish_rejected(item, rule, message, self._clock.now())
        if finished is None:
            return self._lost(item)
        self._record(finished, AuditResult.REFUSED, reason=message, note=note)
        return Delivered(finished, SubmitStatus.STALE if stale else SubmitStatus.REJECTED,
                         message)

    def _unreachable(self, item: OutboxItem, down: OperatorUnavailable,
                     interactive: bool) -> Delivered:
        now = self._clock.now()
        if self._connection is not None:
            self._connection.mark_offline(str(down))
        current = self._store.get(item.id) or item
        maybe = item.maybe_delivered or down.maybe_delivered
        self._record(item, AuditResult.FAILED, reason=str(down),
                     note="maybe delivered" if maybe else "not delivered")
        if current.cancel_requested and not maybe:  # cancelled meanwhile, and surely unsent
            cancelled = self._store.finish_cancelled(item, now)
            if cancelled is None:
                return self._lost(item)
            self._record(cancelled, AuditResult.DONE, action=AuditAction.ORDER_CANCEL,
                         clerk=cancelled.clerk, note="never reached the operator")
            return Delivered(cancelled, None, _("Cancelled: it never reached the operator."))
        if current.cancel_requested:
            retry_at = now + self.timing.settle_grace
        elif interactive:
            retry_at = now + self.timing.decision_hold
        else:
            retry_at = now + self.timing.retry_after(item.attempts, self._rng)
        released = self._store.release(item, now, str(down), down.maybe_delivered, retry_at)
        if released is None:
            return self._lost(item)
        return Delivered(released, SubmitStatus.UNREACHABLE, str(down))

    def _settle_cancel(self, item: OutboxItem) -> Delivered:
        """The clerk cancelled a row that may have reached the operator: ask for the order
        applied under the key instead of sending it again. (An operator that answers with a
        stored refusal instead of "none" gets the row rejected, naming its rule.)"""
        try:
            result = self._api.stored_order(item.key)
        except (OrderRefused, VersionMismatch) as refused:
            self._online()
            return self._reject(item, refused.rule, str(refused),
                                note="refused before the cancel")
        except OperatorUnavailable as down:
            now = self._clock.now()
            if self._connection is not None:
                self._connection.mark_offline(str(down))
            released = self._store.release(
                item, now, str(down), False,
                now + self.timing.retry_after(item.attempts, self._rng))
            return Delivered(released or item, SubmitStatus.UNREACHABLE, str(down))
        self._online()
        if result is not None:
            return self._done(item, result, note="applied before the cancel")
        cancelled = self._store.finish_cancelled(item, self._clock.now())
        if cancelled is None:
            return self._lost(item)
        self._record(cancelled, AuditResult.DONE, action=AuditAction.ORDER_CANCEL,
                     note="not applied by the operator")
        return Delivered(cancelled, None, _("Cancelled: the operator did not apply it."))

    def _lost(self, item: OutboxItem) -> Delivered:
        """Another sender took the row over (our lease ran out): it records the outcome."""
        log.warning("outbox #%s: the row was taken over by another sender", item.id)
        current = self._store.get(item.id) or item
        return Delivered(current, None, current.last_error)

    # -- helpers -----------------------------------------------------------------------------

    def _our_version(self, item: OutboxItem, current: int | None) -> int | None:
        """The operator's current version, if our own done orders of this subscriber moved
        it there from this row's If-Match; else None (someone else changed the subscriber)."""
        if current is None or current == item.if_match:
            return None
        applied = self._store.applied_versions(item.request.msisdn)
        version, steps = item.if_match, 0
        while version in applied and version != current and steps <= len(applied):
            version, steps = applied[version], steps + 1
        return current if version == current else None

    def _slip(self, item: OutboxItem) -> str | None:
        if self._slips is None:
            return None
        try:
            path = self._slips.write(item)
        except Exception as error:  # the order is done whatever the printer side does
            log.exception("outbox #%s: the confirmation slip could not be written", item.id)
            self._record(item, AuditResult.FAILED, action=AuditAction.DOCUMENT_SAVE,
                         reason=str(error) if isinstance(error, SalonError)
                         else type(error).__name__, note="confirmation slip")
            return None
        self._store.set_slip(item.id, path)
        # Saved, not printed: the journal says "print" only for a CUPS job that completed
        # (app/services/printing.py), when the clerk has the slip printed.
        self._record(item, AuditResult.DONE, action=AuditAction.DOCUMENT_SAVE,
                     note=f"confirmation slip {Path(path).name}")
        return path

    def _online(self) -> None:
        if self._connection is not None:
            self._connection.mark_online()

    def _record(self, item: OutboxItem, result: AuditResult, *, reason: str = "",
                note: str = "", action: AuditAction | None = None,
                clerk: str | None = None) -> None:
        if self._journal is None:
            return
        try:
            self._journal.record(clerk or item.clerk, action or audit_action(item.request),
                                 result, subscriber=item.request.msisdn,
                                 detail=journal_detail(item, note), reason=reason)
        except SalonError:  # the outcome is in the outbox row; the journal's failure is logged
            log.exception("outbox #%s: the journal could not record the outcome", item.id)


