"""What changed on a subscriber's card between two looks at it: after a write was refused
with 412 (someone else changed the subscriber since the preview), the console looks the card
up again and tells the clerk what is different before they choose again — the window in one
sentence, `salon tariff|service|assistant` a line each."""

from __future__ import annotations

from app import formatting
from app.i18n import _
from models.domain import SubscriberCard, SubscriberStatus


def what_changed(before: SubscriberCard, after: SubscriberCard) -> tuple[str, ...]:
    """One short phrase per difference the clerk cares about: tariff, services, the
    Assistant, the main balance, the status; when none of them differs, that the operator's
    record did (its version)."""
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
            before=_status(old.status), after=_status(new.status)))
    if not changes:
        changes.append(_("the operator's record was updated (version {before} → {after})").format(
            before=old.version, after=new.version))
    return tuple(changes)


def _status(status: SubscriberStatus) -> str:
    return (_("Active") if status is SubscriberStatus.ACTIVE else _("Blocked")).lower()
