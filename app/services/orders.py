"""Use case: the clerk changes a tariff or a service, or connects the Electronic Assistant, on
the subscriber's behalf — never twice, never lost (R1, R4, R5; DESIGN §5).

1. `options(card)`: what may be ordered, from the catalog and the card (no network when the
   catalog is cached); the window disables the rest and says why.
2. `preview(clerk, request)`: the operator's live answer — the fee, the monthly cost before
   and after, the balance after (R4), a trial notice (R5), the services a tariff change drops.
   No preview offline.
3. `submit(clerk, preview)`: after the clerk confirmed. The order becomes an outbox row FIRST
   (queued, a new Idempotency-Key, If-Match = the preview's version), then it is sent — with
   bounded, jittered retries under that key (app/services/outbox_delivery.py). DONE (with the
   slip), REJECTED (the rule), STALE (412: reload the card; `app.flows.changes` says what
   changed), or UNREACHABLE: the row stays queued and the clerk decides — `keep_queued` (the
   pump sends it when the operator is back) or `cancel`.
"""

from __future__ import annotations

import threading
import time
from datetime import datetime
from typing import Any, Protocol

from app.clock import Clock
from app.errors import InputError, OperatorUnavailable, OrderRefused, RuleRefused, SalonError
from app.i18n import _
from app.services.clerks import require_clerk
from app.services.connection import ConnectionState
from app.services.identity import IdentityGate, identity_required
from app.services.journaling import Journal, journaled
from app.services.lookup import CardCache
from app.services.order_options import order_options
from app.services.outbox_delivery import (
    Delivery,
    audit_action,
    journal_detail,
    new_key,
)
from app.services.outbox_owner import this_process
from models.audit_codes import AuditAction, AuditResult
from models.domain import CatalogService, CatalogTariff, Session, SubscriberCard
from models.identity import Need
from models.orders import (
    NewOrder,
    OrderAction,
    OrderOptions,
    OrderPreview,
    OrderRequest,
    OutboxItem,
    OutboxState,
    SubmitOutcome,
    SubmitStatus,
)

CATALOG_SECONDS = 600.0  # the catalog changes rarely; a stale one still serves offline


class OrderReads(Protocol):
    """The operator API's side that answers without changing anything."""

    def tariffs(self) -> list[CatalogTariff]: ...

    def services(self) -> list[CatalogService]: ...

    def preview(self, request: OrderRequest) -> OrderPreview: ...


class Outbox(Protocol):
    """models/outbox.py StoreOutbox, as this service uses it."""

    def add(self, order: NewOrder) -> OutboxItem: ...

    def get(self, item_id: int) -> OutboxItem | None: ...

    def claim(self, item_id: int, now: datetime, lease_until: datetime,
              owner: str) -> OutboxItem | None: ...

    def make_due(self, item_id: int, when: datetime) -> OutboxItem | None: ...

    def cancel(self, item_id: int, now: datetime) -> OutboxItem | None: ...

    def request_cancel(self, item_id: int, now: datetime,
                       due: datetime) -> OutboxItem | None: ...

    def pending(self, msisdn: str | None = None) -> list[OutboxItem]: ...

    def recent(self, limit: int = 50) -> list[OutboxItem]: ...


class PumpControl(Protocol):
    """What the service asks of app/services/outbox_pump.py."""

    def wake(self) -> None: ...

    def run_for(self, msisdn: str) -> list[OutboxItem]: ...


class OrderService:
    def __init__(
        self,
        api: OrderReads,
        outbox: Outbox,
        delivery: Delivery,
        pump: PumpControl | None = None,
        *,
        salon: str,
        counter: str,
        cards: CardCache | None = None,
        journal: Journal | None = None,
        connection: ConnectionState | None = None,
        clock: Clock,
        identity: IdentityGate,
        catalog_seconds: float = CATALOG_SECONDS,
    ) -> None:
        self._identity = identity  # R10: a change needs this visit's identity check
        self._api = api
        self._outbox = outbox
        self._delivery = delivery
        self._pump = pump
        self._salon, self._counter = salon, counter
        self._cards = cards
        self._journal = journal
        self._connection = connection
        self._clock = clock
        self._catalog_seconds = catalog_seconds
        self._catalog_lock = threading.Lock()
        self._catalog: tuple[list[CatalogTariff], list[CatalogService]] | None = None
        self._catalog_at = 0.0

    # -- the catalog and what a subscriber may have -------------------------------------------

    def tariffs(self, *, refresh: bool = False) -> list[CatalogTariff]:
        return list(self._load_catalog(refresh)[0])

    def services(self, *, refresh: bool = False) -> list[CatalogService]:
        return list(self._load_catalog(refresh)[1])

    def names(self) -> dict[str, str]:
        """Tariff and service codes → names, from the catalog; empty when it cannot be had
        (a daily log then names them by code)."""
        try:
            tariffs, services = self._load_catalog(False)
        except SalonError:
            return {}
        return {t.code: t.name for t in tariffs} | {s.code: s.name for s in services}

    def options(self, card: SubscriberCard) -> OrderOptions:
        """What may be ordered for the card's subscriber. IdentityRequired (R10) for a card
        that withholds its parts until the visit's identity check: nothing is offered against
        services and balances the clerk has not seen."""
        if card.withheld:
            raise identity_required(card.subscriber.msisdn, Need.CHANGES)
        tariffs, services = self._load_catalog(False)
        return order_options(card, tariffs, services)

    def _load_catalog(self, refresh: bool) -> tuple[list[CatalogTariff], list[CatalogService]]:
        with self._catalog_lock:
            fresh = time.monotonic() - self._catalog_at < self._catalog_seconds
            if self._catalog is not None and fresh and not refresh:
                return self._catalog
            try:
                catalog = (self._api.tariffs(), self._api.services())
            except OperatorUnavailable as error:
                self._offline(error)
                if self._catalog is not None:  # an older catalog beats none at the counter
                    return self._catalog
                raise
            self._online()
            self._catalog, self._catalog_at = catalog, time.monotonic()
            return catalog

    # -- preview and submit -------------------------------------------------------------------

    def preview(self, clerk: Session, request: OrderRequest) -> OrderPreview:
        """The operator's live preview (R4); a refusal is allowed=False, not an exception.
        OperatorUnavailable when it cannot be asked: nothing is confirmed offline.
        IdentityRequired (R10) before anything is asked without this visit's check."""
        require_clerk(clerk)
        self._identity.require(clerk, request.msisdn, Need.CHANGES)
        try:
            preview = self._api.preview(request)
        except OperatorUnavailable as error:
            self._offline(error)
            raise OperatorUnavailable(_(
                "{reason} Without the operator's preview nothing can be confirmed; nothing "
                "was sent or queued."
            ).format(reason=error)) from error
        self._online()
        return preview

    def submit(self, clerk: Session, preview: OrderPreview) -> SubmitOutcome:
        require_clerk(clerk)
        request = preview.request
        self._identity.require(clerk, request.msisdn, Need.CHANGES)  # the visit may have ended
        if not preview.allowed:
            rule = preview.refusal_rule or "refused"
            message = preview.refusal_message or rule
            if self._journal is not None:
                self._journal.record(clerk.login, audit_action(request), AuditResult.REFUSED,
                                     subscriber=request.msisdn, reason=message,
                                     detail=_request_detail(request, preview))
            raise OrderRefused(message, rule=rule)
        now = self._clock.now()
        timing = self._delivery.timing
        item = self._outbox.add(NewOrder(
            key=new_key(), request=request, if_match=preview.subscriber_version,
            clerk=clerk.login, clerk_name=clerk.full_name, salon=self._salon,
            counter=self._counter, preview=preview, context=self._context(request),
            created_at=now,
            # The pump leaves it to this call; should this process die before it is sent,
            # the pump sends it once this time has passed.
            next_attempt_at=now + timing.decision_hold,
        ))
        claimed = self._claim(item)
        if claimed is None and self._pump is not None:
            self._pump.run_for(request.msisdn)  # this subscriber's earlier orders go first
            claimed = self._claim(item)
        if claimed is None:
            waiting = self._outbox.get(item.id) or item
            message = _("An earlier change of this subscriber is still on its way to the "
                        "operator; this one waits for it. Queue it to send it right after, "
                        "or cancel it.")
            if self._journal is not None:
                self._journal.record(clerk.login, audit_action(request), AuditResult.FAILED,
                                     subscriber=request.msisdn, reason=message,
                                     detail=journal_detail(waiting, "waits its turn"))
            return SubmitOutcome(SubmitStatus.UNREACHABLE, waiting, message)
        delivered = self._delivery.deliver(claimed, interactive=True)
        status = delivered.status or _status_of(delivered.item)
        if delivered.item.pending and self._pump is not None:
            self._pump.wake()  # it sleeps until this row falls due (the clerk's decision)
        return SubmitOutcome(status, delivered.item, delivered.message, delivered.slip_path)

    def _claim(self, item: OutboxItem) -> OutboxItem | None:
        now = self._clock.now()
        return self._outbox.claim(item.id, now, now + self._delivery.timing.lease,
                                  this_process())

    # -- the clerk's decisions about an unconfirmed order ---------------------------------------

    def keep_queued(self, clerk: Session, item_id: int) -> OutboxItem:
        """The clerk chose "queue it": the pump sends it as soon as the operator answers."""
        require_clerk(clerk)
        item = self._item(item_id)
        with journaled(self._journal, clerk.login, AuditAction.ORDER_QUEUE,
                       subscriber=item.request.msisdn, detail=journal_detail(item)):
            queued = self._outbox.make_due(item_id, self._clock.now())
            if queued is None:
                current = self._item(item_id)
                if current.state is not OutboxState.SENDING:
                    raise RuleRefused(_state_sentence(current), rule="not_queued")
                queued = current  # being sent right now: nothing to decide
        if self._pump is not None:
            self._pump.wake()
        return queued

    def cancel(self, clerk: Session, item_id: int) -> OutboxItem:
        """Cancelled, when it surely never reached the operator. Otherwise RuleRefused
        naming why; the pump then asks the operator what it stored under the key and
        settles it (done if it was applied, cancelled if it was not)."""
        require_clerk(clerk)
        item = self._item(item_id)
        with journaled(self._journal, clerk.login, AuditAction.ORDER_CANCEL,
                       subscriber=item.request.msisdn, detail=journal_detail(item)):
            if not item.pending:
                raise RuleRefused(_state_sentence(item), rule="not_pending")
            now = self._clock.now()
            cancelled = self._outbox.cancel(item_id, now)
            if cancelled is not None:
                return cancelled
            asked = self._outbox.request_cancel(
                item_id, now, now + self._delivery.timing.settle_grace)
            if asked is None:
                raise RuleRefused(_state_sentence(self._item(item_id)), rule="not_pending")
            if self._pump is not None:
                self._pump.wake()
            if asked.state is OutboxState.SENDING:
                raise RuleRefused(_(
                    "It is being sent right now, so it cannot simply be cancelled "
                    "(maybe_delivered): the console asks the operator what became of it and "
                    "settles it — cancelled if it never arrived, done if it was applied."
                ), rule="maybe_delivered")
            raise RuleRefused(_(
                "It may already have reached the operator, so it cannot simply be cancelled "
                "(maybe_delivered): the console asks the operator what became of it and "
                "settles it — cancelled if it never arrived, done if it was applied."
            ), rule="maybe_delivered")

    # -- what the card and the queue view show ---------------------------------------------------

    def pending(self, msisdn: str | None = None) -> list[OutboxItem]:
        """Queued and sending orders, oldest first (all, or one subscriber's)."""
        return self._outbox.pending(msisdn)

    def recent(self, limit: int = 50) -> list[OutboxItem]:
        """The newest orders of this store, in every state."""
        return self._outbox.recent(limit)

    def item(self, item_id: int) -> OutboxItem:
        return self._item(item_id)

    # -- helpers ----------------------------------------------------------------------------------

    def _item(self, item_id: int) -> OutboxItem:
        item = self._outbox.get(item_id)
        if item is None:
            raise InputError(_("There is no order #{id} in the outbox.").format(id=item_id))
        return item

    def _context(self, request: OrderRequest) -> dict[str, Any]:
        """What the slip needs that the operator's answer lacks: the card the clerk looked
        at (names, home region and its time zone) and the catalog's names."""
        context: dict[str, Any] = {}
        card = self._cards.get(request.msisdn) if self._cards is not None else None
        if card is not None:
            subscriber = card.subscriber
            context.update(
                subscriber_name=subscriber.name, timezone=subscriber.region.timezone,
                region=subscriber.region.name,
                tariff_before={"code": subscriber.tariff.code, "name": subscriber.tariff.name})
        catalog = self._catalog
        if catalog is not None and request.code:
            names = {t.code: t.name for t in catalog[0]} \
                if request.action is OrderAction.CHANGE_TARIFF \
                else {s.code: s.name for s in catalog[1]}
            context["target_name"] = names.get(request.code, request.code)
        return context

    def _online(self) -> None:
        if self._connection is not None:
            self._connection.mark_online()

    def _offline(self, error: OperatorUnavailable) -> None:
        if self._connection is not None:
            self._connection.mark_offline(str(error))


def _request_detail(request: OrderRequest, preview: OrderPreview) -> str:
    parts = [request.action.value, *([request.code] if request.code else []),
             f"fee {preview.fee.amount} {preview.fee.currency}"]
    return ", ".join(parts)


def _status_of(item: OutboxItem) -> SubmitStatus:
    if item.state is OutboxState.DONE:
        return SubmitStatus.DONE
    if item.state in (OutboxState.REJECTED, OutboxState.CANCELLED):
        return SubmitStatus.REJECTED
    return SubmitStatus.UNREACHABLE


def _state_sentence(item: OutboxItem) -> str:
    return {
        OutboxState.DONE: _("Order #{id} is already done: the operator applied it."),
        OutboxState.REJECTED: _("Order #{id} was refused by the operator; nothing changed."),
        OutboxState.CANCELLED: _("Order #{id} is already cancelled."),
        OutboxState.QUEUED: _("Order #{id} is queued."),
        OutboxState.SENDING: _("Order #{id} is being sent right now."),
    }[item.state].format(id=item.id)
