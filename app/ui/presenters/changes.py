"""What changed on a subscriber's card between two looks at it: after a write was refused
with 412 (someone else changed the subscriber since the preview), the console reloads the
card and tells the clerk what is different before they choose again."""

from __future__ import annotations

from app import formatting
from app.i18n import _
from app.ui.presenters.card import status_name
from models.domain import SubscriberCard


def what_changed(before: SubscriberCard, after: SubscriberCard) -> tuple[str, ...]:
    """One short phrase per difference the clerk cares about: tariff, services, the
    Assistant, the main balance, the status. Empty when none of them differs."""
    old, new = before.subscriber, after.subscriber
    changes: list[str] = []
    if old.tariff.code != new.tariff.code:
        changes.append(_("tariff «{before}» → «{after}»").format(
            before=old.tariff.name, after=new.tariff.name))
    old_services = {service.code: service.name for service in old.services}
    new_services = {service.code: service.name for service in new.services}
    added = [name for code, name in new_services.items() if code not in old_services]
    removed = [name for code, name in old_services.items() if code not in new_services]
    if added:
        changes.append(_("connected: {services}").format(
            services=", ".join(f"«{name}»" for name in added)))
    if removed:
        changes.append(_("disconnected: {services}").format(
            services=", ".join(f"«{name}»" for name in removed)))
    if old.assistant_connected != new.assistant_connected:
        changes.append(_("the Electronic Assistant is connected") if new.assistant_connected
                       else _("the Electronic Assistant is disconnected"))
    if (before.balances is not None and after.balances is not None
            and before.balances.main != after.balances.main):
        changes.append(_("main balance {before} → {after}").format(
            before=formatting.money(before.balances.main),
            after=formatting.money(after.balances.main)))
    if old.status != new.status:
        changes.append(_("status {before} → {after}").format(
            before=status_name(old.status).lower(), after=status_name(new.status).lower()))
    return tuple(changes)


def changed_sentence(before: SubscriberCard, after: SubscriberCard) -> str:
    """"Данные абонента изменились: тариф «Смарт» → «Мой Онлайн»; …. Check the choice again."""
    changes = what_changed(before, after)
    if changes:
        listed = "; ".join(changes)
    else:
        listed = _("the operator's record was updated (version {before} → {after})").format(
            before=before.subscriber.version, after=after.subscriber.version)
    return _("The subscriber's data has changed: {changes}. The card is reloaded; "
             "check the choice again.").format(changes=listed)
