"""What the clerk could order for a subscriber, from the catalog and the card alone (no network):
each option available, or not with the reason naming the rule, so the window disables what
the subscriber cannot have and says why. The operator still decides (the preview, the order).

Also: what changed on a card between two looks (after a 412, the clerk sees it before
confirming anew).
"""

from __future__ import annotations

from decimal import Decimal

from app.i18n import _
from app.order_rules import refusal_sentence
from models.domain import (
    CatalogService,
    CatalogTariff,
    Money,
    ServiceRef,
    SubscriberCard,
    SubscriberStatus,
    TariffClass,
)
from models.orders import OrderAction, OrderOption, OrderOptions, OrderRequest

ASSISTANT = "ASSISTANT"


def class_phrase(tariff_class: TariffClass) -> str:
    return {
        TariffClass.MASS: _("mass-market tariff plans"),
        TariffClass.CORPORATE: _("corporate tariff plans"),
        TariffClass.VIP: _("VIP tariff plans"),
    }[tariff_class]


def order_options(card: SubscriberCard, tariffs: list[CatalogTariff],
                  services: list[CatalogService]) -> OrderOptions:
    subscriber = card.subscriber
    msisdn, current = subscriber.msisdn, subscriber.tariff
    is_blocked = subscriber.status is SubscriberStatus.BLOCKED
    blocked = refusal_sentence("subscriber_blocked") if is_blocked else ""
    blocked_rule = "subscriber_blocked" if is_blocked else ""
    zero = Money(Decimal("0.00"), current.monthly_fee.currency)
    by_code = {s.code: s for s in services}

    tariff_options = []
    for tariff in tariffs:
        if tariff.code == current.code:
            continue
        reason = blocked or ("" if tariff.available else _(
            "«{name}» is archived: no one can switch to it any more (not_available)."
        ).format(name=tariff.name))
        tariff_options.append(OrderOption(
            OrderRequest(msisdn, OrderAction.CHANGE_TARIFF, tariff.code), tariff.name,
            tariff.one_off_fee, tariff.monthly_fee, None, not reason, reason,
            blocked_rule or ("not_available" if reason else "")))

    connected = {s.code for s in subscriber.services}
    add_options = []
    for service in services:
        if service.code == ASSISTANT or service.code in connected:
            continue
        reason = blocked
        if not reason and not service.available:
            reason = _("«{name}» is archived: it can no longer be connected "
                       "(not_available).").format(name=service.name)
        if not reason and current.tariff_class not in service.allowed_classes:
            reason = _("«{name}» is not offered on {tariffs} (not_available).").format(
                name=service.name, tariffs=class_phrase(current.tariff_class))
        add_options.append(OrderOption(
            OrderRequest(msisdn, OrderAction.ADD_SERVICE, service.code), service.name,
            service.one_off_fee, service.monthly_fee, service.trial, not reason, reason,
            blocked_rule or ("not_available" if reason else "")))

    remove_options = []
    removable = list(subscriber.services)
    assistant_entry = by_code.get(ASSISTANT)
    assistant_name = assistant_entry.name if assistant_entry else _("Electronic Assistant")
    if subscriber.assistant_connected:
        removable.append(ServiceRef(ASSISTANT, assistant_name))
    for ref in removable:
        entry = by_code.get(ref.code)
        remove_options.append(OrderOption(
            OrderRequest(msisdn, OrderAction.REMOVE_SERVICE, ref.code), ref.name, zero,
            entry.monthly_fee if entry else zero, None, not blocked, blocked, blocked_rule))

    # The operator's order of checks: blocked, already connected, R1, archived.
    reason, rule = blocked, blocked_rule
    if not reason and subscriber.assistant_connected:
        reason, rule = _("The Electronic Assistant is already connected "
                         "(already_connected)."), "already_connected"
    if not reason and current.tariff_class is not TariffClass.MASS:
        reason, rule = refusal_sentence("R1"), "R1"
    if not reason and assistant_entry is not None and not assistant_entry.available:
        reason, rule = refusal_sentence("not_available"), "not_available"
    assistant = OrderOption(
        OrderRequest(msisdn, OrderAction.CONNECT_ASSISTANT), assistant_name, zero, zero,
        assistant_entry.trial if assistant_entry else None, not reason, reason, rule)
    return OrderOptions(tuple(tariff_options), tuple(add_options), tuple(remove_options),
                        assistant)
