"""The JSON bodies of the small resources (subscriber, balance, catalog, demo listing)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Any

from sandbox.catalog import (
    ASSISTANT,
    SERVICES,
    SERVICES_BY_CODE,
    TARIFFS,
    TARIFFS_BY_CODE,
    Service,
    trial_dates,
)
from sandbox.entities import SubscriberState
from sandbox.identities import Identity
from sandbox.ledger import Ledger
from sandbox.regions import REGIONS_BY_CODE
from sandbox.wire import money, utc_iso

Json = dict[str, Any]


def subscriber(state: SubscriberState, now: int) -> Json:
    region = REGIONS_BY_CODE[state.region_code]
    tariff = TARIFFS_BY_CODE[state.tariff_code_at(now)]
    services = [p for p in state.services_at(now) if p.service_code != ASSISTANT]
    return {
        "msisdn": state.msisdn,
        "name": state.name,
        "status": state.status,
        "activated_at": utc_iso(state.activated_at),
        "home_region": {"code": region.code, "name": region.name, "name_en": region.name_en,
                        "timezone": region.timezone},
        "tariff": {"code": tariff.code, "name": tariff.name, "class": tariff.tariff_class,
                   "monthly_fee": money(tariff.monthly_kop)},
        "services": [{"code": p.service_code, "name": SERVICES_BY_CODE[p.service_code].name,
                      "connected_at": utc_iso(p.connected_at)} for p in services],
        "assistant": {"connected": assistant_connected(state, now)},
        "version": state.version,
    }


def assistant_connected(state: SubscriberState, now: int) -> bool:
    return any(p.service_code == ASSISTANT for p in state.services_at(now))


def balance(ledger: Ledger, state: SubscriberState, instant: int) -> Json:
    buckets: list[Json] = [
        {"kind": "main", "amount": money(ledger.main_at(state, instant))},
        {"kind": "bonus", "amount": money(state.bonus_kop)},
    ]
    debt = ledger.debt_at(state, instant)
    if debt is not None:
        buckets.append({"kind": "promised_payment_debt", "amount": money(debt[0]),
                        "due_at": utc_iso(debt[1])})
    for package in ledger.packages_at(state, instant):
        buckets.append({"kind": "package", "package": package.kind,
                        "remaining": str(package.remaining), "total": str(package.total),
                        "unit": package.unit, "expires_at": utc_iso(package.expires_at)})
    return {"msisdn": state.msisdn, "as_of": utc_iso(instant), "buckets": buckets}


def tariffs() -> Json:
    return {"items": [
        {"code": t.code, "name": t.name, "class": t.tariff_class,
         "one_off_fee": money(t.one_off_kop), "monthly_fee": money(t.monthly_kop),
         "available": t.available, "description": t.description,
         "fee_rules": {"tariff_switch_percent": t.switch_fee_percent,
                       "service_connection_percent": t.connection_fee_percent},
         "prices": {"minute": money(t.minute_kop), "sms": money(t.sms_kop),
                    "mb": money(t.mb_kop)},
         "packages": {"minutes": t.package_minutes, "sms": t.package_sms,
                      "mb": t.package_mb}}
        for t in TARIFFS]}


def services(reference: int) -> Json:
    """The services' catalog in a world drawn at `reference` (R5: its trial dates)."""
    return {"items": [_service(s, trial_dates(s, reference)) for s in SERVICES]}


def _service(s: Service, trial: tuple[date, date] | None) -> Json:
    return {"code": s.code, "name": s.name, "one_off_fee": money(s.one_off_kop),
            "monthly_fee": money(s.monthly_kop), "allowed_classes": list(s.allowed_classes),
            "trial": None if trial is None else {"start": trial[0].isoformat(),
                                                 "end": trial[1].isoformat()},
            "available": s.available, "description": s.description}


def demo_subscribers(states: list[SubscriberState], now: int,
                     identity: Callable[[SubscriberState], Identity]) -> Json:
    items = []
    for state in states:
        tariff = TARIFFS_BY_CODE[state.tariff_code_at(now)]
        record = identity(state)
        chosen = record.representative
        items.append({
            "msisdn": state.msisdn, "name": state.name, "tariff_code": tariff.code,
            "tariff_class": tariff.tariff_class, "home_region": state.region_code,
            "status": state.status, "assistant_connected": assistant_connected(state, now),
            "promised_payment_debt": Ledger.debt_at(state, now) is not None,
            "heavy": state.heavy,
            # Training data, made up (sandbox/identities.py): what a trainee types at the check.
            "document_type": record.document.type, "document_number": record.document.number,
            "unverified": record.unverified,
            "representative": None if chosen is None else {
                "name": chosen.name, "document_type": chosen.document.type,
                "document_number": chosen.document.number},
            "email": record.email})
    return {"items": items}
