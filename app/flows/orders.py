"""An operation for one subscriber (R4), as the clerk goes through it at the counter — written
once, run step by step by the window's operation dialog (each step on its BackgroundRunner)
and in one go by `salon tariff|service|assistant`:

    option ──preview()──▶ OrderPreview ──submit()──▶ SubmitOutcome
                                                      ├ DONE / REJECTED: the end
                                                      ├ STALE (412): changed() → what differs,
                                                      │   the new options; choose again
                                                      └ UNREACHABLE: settle(keep=…) → queued,
                                                          cancelled, or stays queued

Each step is one call with plain data in and out; the caller keeps where it is (the dialog
its phase, the command its stack). The rules themselves are the services' (R1 on the card's
options, R10 inside the order service, the operator's R4/R5 in the preview); here is the order
in which they are asked and what each answer means for the next step.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum
from typing import Protocol

from app.errors import InputError, RuleRefused
from app.flows.changes import what_changed
from app.i18n import _
from models.domain import CatalogService, CatalogTariff, Session, SubscriberCard
from models.orders import (
    OrderAction,
    OrderOption,
    OrderOptions,
    OrderPreview,
    OrderRequest,
    OutboxItem,
    SubmitOutcome,
)


class OrderSteps(Protocol):
    """What the flow asks of the order service (app/services/orders.py satisfies it)."""

    def tariffs(self) -> list[CatalogTariff]: ...

    def services(self) -> list[CatalogService]: ...

    def options(self, card: SubscriberCard) -> OrderOptions:
        """Each option available, or not with a `reason` naming the rule (R1...)."""
        ...

    def preview(self, clerk: Session, request: OrderRequest) -> OrderPreview:
        """Live: raises OperatorUnavailable offline; a refusal is `allowed=False`."""
        ...

    def submit(self, clerk: Session, preview: OrderPreview) -> SubmitOutcome:
        """DONE (with the slip), REJECTED, STALE (412) or UNREACHABLE (the item is queued)."""
        ...

    def keep_queued(self, clerk: Session, item_id: int) -> OutboxItem: ...

    def cancel(self, clerk: Session, item_id: int) -> OutboxItem:
        """Raises RuleRefused when the write may already have reached the operator."""
        ...

    def item(self, item_id: int) -> OutboxItem: ...


class Settled(StrEnum):
    """What became of a write the operator did not confirm, once the clerk chose."""

    QUEUED = "queued"  # kept: sent when the operator answers
    CANCELLED = "cancelled"  # it surely never left: nothing changed
    CANCEL_REFUSED = "cancel_refused"  # it may have arrived: it stays queued to be settled


@dataclass(frozen=True)
class Settlement:
    kind: Settled
    item: OutboxItem
    refusal: RuleRefused | None = None  # why a cancellation was refused (the rule named)

    def raise_if_refused(self) -> None:
        """For a caller that ends on a refusal (the command's exit 3)."""
        if self.refusal is not None:
            raise self.refusal


@dataclass(frozen=True)
class Changed:
    """A 412: the subscriber changed since the preview."""

    card: SubscriberCard  # as it is now
    changes: tuple[str, ...]  # phrases: what differs from the card the clerk confirmed on
    options: OrderOptions  # what may be done now


class OrderFlow:
    def __init__(self, orders: OrderSteps, clerk: Session) -> None:
        self._orders, self._clerk = orders, clerk

    # -- choosing ------------------------------------------------------------------------------
    def catalog_names(self, action: OrderAction) -> dict[str, str]:
        """Code → name of what the action picks from (tariffs, or services)."""
        if action is OrderAction.CHANGE_TARIFF:
            return {t.code: t.name for t in self._orders.tariffs()}
        return {s.code: s.name for s in self._orders.services()}

    def request(self, msisdn: str, action: OrderAction, code: str | None) -> OrderRequest:
        """A request by code, as typed: a code the catalog lacks is refused here."""
        if code is not None and code not in self.catalog_names(action):
            if action is OrderAction.CHANGE_TARIFF:
                raise InputError(_("There is no tariff with the code {code} in the catalog; "
                                   "`salon tariffs` lists them.").format(code=code))
            raise InputError(_("There is no service with the code {code} in the catalog; "
                               "`salon services` lists them.").format(code=code))
        return OrderRequest(msisdn, action, code)

    def options(self, card: SubscriberCard) -> OrderOptions:
        return self._orders.options(card)

    # -- the preview ---------------------------------------------------------------------------
    def preview(self, option: OrderOption | OrderRequest) -> OrderPreview:
        """The operator's preview. An option the card already rules out (R1 first) is refused
        before the operator is asked; a request the options do not list (the current tariff,
        a service already there) goes to the operator, whose preview names the rule."""
        if isinstance(option, OrderOption):
            if not option.available:
                raise RuleRefused(option.reason, rule=option.rule or "refused")
            request = option.request
        else:
            request = option
        return self._orders.preview(self._clerk, request)

    @staticmethod
    def option_for(options: OrderOptions, request: OrderRequest) -> OrderOption | None:
        """The card's option for a request, if the card lists one."""
        if request.action is OrderAction.CONNECT_ASSISTANT:
            return options.assistant
        pool = {OrderAction.CHANGE_TARIFF: options.tariffs,
                OrderAction.ADD_SERVICE: options.add_services,
                OrderAction.REMOVE_SERVICE: options.remove_services}[request.action]
        return next((o for o in pool if o.request.code == request.code), None)

    # -- the change ----------------------------------------------------------------------------
    @staticmethod
    def refusal(preview: OrderPreview) -> RuleRefused | None:
        """The operator's refusal in a preview (the rule named), None when it is allowed."""
        if preview.allowed:
            return None
        message = preview.refusal_message or preview.refusal_rule or ""
        return RuleRefused(message, rule=preview.refusal_rule or "refused")

    def submit(self, preview: OrderPreview) -> SubmitOutcome:
        """The confirmed change, through the outbox. A refused preview is never sent."""
        refusal = self.refusal(preview)
        if refusal is not None:
            raise refusal
        return self._orders.submit(self._clerk, preview)

    def changed(self, confirmed_on: SubscriberCard, now: SubscriberCard) -> Changed:
        """After a 412, with the card looked up again: what differs, and the options now."""
        return Changed(now, what_changed(confirmed_on, now), self._orders.options(now))

    def settle(self, item_id: int, *, keep: bool) -> Settlement:
        """A write the operator did not confirm (just now, or one in the queue): keep it
        queued, or cancel it — refused (and so kept queued, to be settled by the outbox) when
        it may already have arrived."""
        if keep:
            return Settlement(Settled.QUEUED, self._orders.keep_queued(self._clerk, item_id))
        try:
            return Settlement(Settled.CANCELLED, self._orders.cancel(self._clerk, item_id))
        except RuleRefused as refusal:
            return Settlement(Settled.CANCEL_REFUSED, self._orders.item(item_id), refusal)
