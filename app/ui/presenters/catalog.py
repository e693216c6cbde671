"""The operator's catalog as the clerk reads it: tariffs and services with their fees, the
tariff classes a service is for, and the trial-operation notice (R5)."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from app import formatting
from app.i18n import _
from app.ui.presenters.card import tariff_class_name
from app.ui.presenters.orders import fee_text, trial_notice
from models.domain import CatalogService, CatalogTariff, TariffClass

TARIFF_COLUMNS = ("code", "name", "class", "one_off", "monthly", "state")
SERVICE_COLUMNS = ("code", "name", "classes", "one_off", "monthly", "notice")


def tariff_headings() -> dict[str, str]:
    return {
        "code": _("Code"), "name": _("Tariff"), "class": _("Class"),
        "one_off": _("One-off fee"), "monthly": _("Monthly fee"), "state": _("Availability"),
    }


def service_headings() -> dict[str, str]:
    return {
        "code": _("Code"), "name": _("Service"), "classes": _("For tariff classes"),
        "one_off": _("One-off fee"), "monthly": _("Monthly fee"), "notice": _("Notice"),
    }


@dataclass(frozen=True)
class CatalogRow:
    key: str
    values: tuple[str, ...]
    available: bool
    detail: str  # the whole line under the table for the selected row


def _availability(available: bool) -> str:
    return _("available") if available else _("archived: cannot be chosen")


def _monthly(tariff_or_service: CatalogTariff | CatalogService) -> str:
    return _("{fee} a month").format(fee=formatting.money(tariff_or_service.monthly_fee))


def present_tariffs(tariffs: Iterable[CatalogTariff]) -> tuple[CatalogRow, ...]:
    rows = []
    for tariff in tariffs:
        rows.append(CatalogRow(
            tariff.code,
            (tariff.code, tariff.name, tariff_class_name(tariff.tariff_class),
             fee_text(tariff.one_off_fee), _monthly(tariff), _availability(tariff.available)),
            tariff.available,
            _("«{name}»: one-off fee for switching to it — {fee} (the subscriber's tariff may "
              "charge only a share of it, R4); {monthly}.").format(
                name=tariff.name, fee=fee_text(tariff.one_off_fee), monthly=_monthly(tariff)),
        ))
    return tuple(rows)


def classes_text(classes: Iterable[TariffClass]) -> str:
    chosen = set(classes)
    if chosen >= set(TariffClass):
        return _("all")
    return ", ".join(tariff_class_name(c) for c in TariffClass if c in chosen) or _("none")


def present_services(services: Iterable[CatalogService]) -> tuple[CatalogRow, ...]:
    rows = []
    for service in services:
        notice = trial_notice(service.trial) if service.trial is not None else ""
        if not service.available:
            notice = "; ".join(filter(None, [_availability(False), notice]))
        detail = f"«{service.name}»: " + (notice + " (R5)." if service.trial is not None
                                            else notice or _availability(True))
        rows.append(CatalogRow(
            service.code,
            (service.code, service.name, classes_text(service.allowed_classes),
             fee_text(service.one_off_fee), _monthly(service), notice),
            service.available,
            detail,
        ))
    return tuple(rows)
