"""salon tariffs [--json];  salon services [--json]: the operator's catalog — one-off fee,
monthly fee, which tariff classes may have a service, trial operation with its notice (R5)."""

from __future__ import annotations

import argparse
from collections.abc import Sequence
from typing import Any, TextIO

from app import formatting
from app.cli import Wiring
from app.commands.output import print_json, say
from app.i18n import _
from models.domain import CatalogService, CatalogTariff, TariffClass, TrialPeriod
from models.order_codec import money_text, trial_to_dict


def register(commands: argparse._SubParsersAction) -> None:
    tariffs = commands.add_parser("tariffs", help="the catalog's tariff plans")
    tariffs.add_argument("--json", action="store_true", help="print a JSON array")
    tariffs.set_defaults(handler=run_tariffs)
    services = commands.add_parser("services", help="the catalog's services")
    services.add_argument("--json", action="store_true", help="print a JSON array")
    services.set_defaults(handler=run_services)


def class_name(tariff_class: TariffClass) -> str:
    return {TariffClass.MASS: _("mass"), TariffClass.CORPORATE: _("corporate"),
            TariffClass.VIP: _("VIP")}[tariff_class]


def trial_notice(trial: TrialPeriod) -> str:
    return _("In trial operation from {start} to {end}: proper service cannot be guaranteed "
             "(R5).").format(start=trial.start.strftime("%d.%m.%Y"),
                             end=trial.end.strftime("%d.%m.%Y"))


def tariff_json(tariff: CatalogTariff) -> dict[str, Any]:
    return {"code": tariff.code, "name": tariff.name, "class": tariff.tariff_class.value,
            "currency": tariff.monthly_fee.currency,
            "one_off_fee": money_text(tariff.one_off_fee),
            "monthly_fee": money_text(tariff.monthly_fee), "available": tariff.available}


def service_json(service: CatalogService) -> dict[str, Any]:
    trial = trial_to_dict(service.trial)
    if trial is not None and service.trial is not None:
        trial["notice"] = trial_notice(service.trial)
    return {"code": service.code, "name": service.name,
            "currency": service.monthly_fee.currency,
            "one_off_fee": money_text(service.one_off_fee),
            "monthly_fee": money_text(service.monthly_fee),
            "allowed_classes": [c.value for c in service.allowed_classes],
            "trial": trial, "available": service.available}


def run_tariffs(args: argparse.Namespace, wiring: Wiring, out: TextIO) -> None:
    tariffs = wiring.services().orders.tariffs()
    if args.json:
        print_json([tariff_json(t) for t in tariffs], out)
        return
    rows = [(t.code, t.name, class_name(t.tariff_class), formatting.money(t.one_off_fee),
             formatting.money(t.monthly_fee), "" if t.available else _("archived"))
            for t in tariffs]
    _table(out, (_("Code"), _("Tariff"), _("Class"), _("One-off fee"), _("Monthly fee"), ""),
           rows, right=(3, 4))
    say(out, _("One-off fee: the list price of switching to the tariff; the subscriber's own "
               "tariff plan sets what it costs them (R4) — the preview shows it."))


def run_services(args: argparse.Namespace, wiring: Wiring, out: TextIO) -> None:
    services = wiring.services().orders.services()
    if args.json:
        print_json([service_json(s) for s in services], out)
        return
    rows = [(s.code, s.name, ", ".join(class_name(c) for c in s.allowed_classes),
             formatting.money(s.one_off_fee), formatting.money(s.monthly_fee),
             "" if s.available else _("archived")) for s in services]
    _table(out, (_("Code"), _("Service"), _("Tariff classes"), _("One-off fee"),
                 _("Monthly fee"), ""), rows, right=(3, 4))
    for service in services:
        if service.trial is not None:
            say(out, f"{service.name}: {trial_notice(service.trial)}")


def _table(out: TextIO, header: tuple[str, ...], rows: Sequence[tuple[str, ...]],
           right: tuple[int, ...] = ()) -> None:
    widths = [max(len(row[i]) for row in [header, *rows]) for i in range(len(header))]

    def line(row: tuple[str, ...]) -> str:
        cells = [cell.rjust(widths[i]) if i in right else cell.ljust(widths[i])
                 for i, cell in enumerate(row)]
        return "  ".join(cells).rstrip()

    say(out, line(header))
    for row in rows:
        say(out, line(row))
