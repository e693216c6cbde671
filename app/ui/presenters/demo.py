"""Rows of the training-mode list of demo subscribers."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from app.i18n import _
from app.phone import format_msisdn
from models.domain import DemoSubscriber, SubscriberStatus, TariffClass

# A Treeview is fine for a few hundred rows; the demo world is small, but never insert more.
MAX_ROWS = 500


@dataclass(frozen=True)
class DemoRow:
    msisdn: str  # E.164, what a pick looks up
    phone: str
    name: str  # "Иванова М. П.": the list is narrow
    notes: str  # "VIP, заблок.": what sets this subscriber apart, abbreviated for the column
    details: str  # the same spelled out, with the full name, for the line under the list


def short_name(full_name: str) -> str:
    """'Иванова Мария Петровна' → 'Иванова М. П.' (surname and initials, as on forms)."""
    parts = full_name.split()
    if not 2 <= len(parts) <= 3 or not all(part.isalpha() for part in parts):
        return full_name  # not a "surname first-name patronymic" name: leave it alone
    surname, *given = parts
    return " ".join([surname, *(f"{name[0]}." for name in given)])


def present_demo(subscribers: Iterable[DemoSubscriber]) -> tuple[DemoRow, ...]:
    rows: list[DemoRow] = []
    for subscriber in subscribers:
        if len(rows) == MAX_ROWS:
            break
        flags = _flags(subscriber)
        notes = ", ".join(short for short, _full in flags)
        details = subscriber.name
        if flags:
            details += " — " + ", ".join(full for _short, full in flags)
        rows.append(
            DemoRow(subscriber.msisdn, format_msisdn(subscriber.msisdn),
                    short_name(subscriber.name), notes, details)
        )
    return tuple(rows)


def _flags(subscriber: DemoSubscriber) -> list[tuple[str, str]]:
    """(abbreviated, full) for what is worth practising on; a mass tariff goes unsaid."""
    flags = []
    if subscriber.tariff_class is TariffClass.CORPORATE:
        flags.append((_("corp."), _("corporate tariff")))
    elif subscriber.tariff_class is TariffClass.VIP:
        flags.append((_("VIP"), _("VIP tariff")))
    if subscriber.status is SubscriberStatus.BLOCKED:
        flags.append((_("blocked"), _("number blocked")))
    if subscriber.promised_payment_debt:
        flags.append((_("debt"), _("promised-payment debt")))
    if subscriber.assistant_connected:
        flags.append((_("Asst."), _("Assistant connected")))
    if subscriber.heavy:
        flags.append((_("heavy"), _("heavy usage")))
    return flags
