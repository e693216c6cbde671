"""SubscriberCard ⇄ a JSON-ready dict: what `salon lookup --json` prints and the cache stores.

One shape serves both, so the saved card and the printed card can never disagree. Money is a
decimal string (never a float); times are UTC ISO 8601.
"""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal
from typing import Any

from models.domain import (
    Balances,
    Money,
    PackageKind,
    PackageRemainder,
    Region,
    ServiceRef,
    Subscriber,
    SubscriberCard,
    SubscriberStatus,
    TariffClass,
    TariffRef,
)


def card_to_dict(card: SubscriberCard) -> dict[str, Any]:
    sub, bal = card.subscriber, card.balances
    return {
        "msisdn": sub.msisdn,
        "name": sub.name,
        "status": sub.status.value,
        "activated_at": _time(sub.activated_at),
        "home_region": {
            "code": sub.region.code,
            "name": sub.region.name,
            "name_en": sub.region.name_en,
            "timezone": sub.region.timezone,
        },
        "tariff": {
            "code": sub.tariff.code,
            "name": sub.tariff.name,
            "class": sub.tariff.tariff_class.value,
            "monthly_fee": _money(sub.tariff.monthly_fee),
        },
        "services": None if card.waits_for_identity("services") else
        [{"code": s.code, "name": s.name} for s in sub.services],
        "balances": None if bal is None else {
            "currency": bal.main.currency,
            "main": _money(bal.main),
            "bonus": _money(bal.bonus),
            "promised_payment_debt": _money(bal.promised_payment_debt),
            "promised_payment_due": _time(bal.promised_payment_due),
            "packages": [
                {
                    "kind": p.kind.value,
                    "remaining": str(p.remaining),
                    "total": str(p.total),
                    "unit": p.unit,
                    "expires_at": _time(p.expires_at),
                }
                for p in bal.packages
            ],
        },
        "assistant": None if card.waits_for_identity("code") else
        {"connected": sub.assistant_connected},
        # R10: what waits for the identity check (null above), and whether the operator has
        # confirmed the subscriber's data (303-FZ; null when not known).
        "identity": {"withheld": list(card.withheld), "verified": card.verified},
        # The mailing address: the operator's e-mail addresses, masked (null: not read —
        # withheld until R10, or offline); a saved card never holds them.
        "mailing": None if card.mailing is None else list(card.mailing),
        "version": sub.version,
        "source": card.source,
        "fetched_at": _time(card.fetched_at),
    }


def card_from_dict(data: dict[str, Any]) -> SubscriberCard:
    region, tariff, bal = data["home_region"], data["tariff"], data["balances"]
    currency = bal["currency"]
    subscriber = Subscriber(
        msisdn=data["msisdn"],
        name=data["name"],
        status=SubscriberStatus(data["status"]),
        region=Region(region["code"], region["name"], region["name_en"], region["timezone"]),
        tariff=TariffRef(
            tariff["code"], tariff["name"], TariffClass(tariff["class"]),
            Money(Decimal(tariff["monthly_fee"]), currency),
        ),
        services=tuple(ServiceRef(s["code"], s["name"]) for s in data["services"]),
        assistant_connected=bool(data["assistant"]["connected"]),
        version=int(data["version"]),
        activated_at=_parse_time(data.get("activated_at")),  # absent in older saved cards
    )
    balances = Balances(
        main=Money(Decimal(bal["main"]), currency),
        bonus=Money(Decimal(bal["bonus"]), currency),
        promised_payment_debt=Money(Decimal(bal["promised_payment_debt"]), currency),
        promised_payment_due=_parse_time(bal["promised_payment_due"]),
        packages=tuple(
            PackageRemainder(
                PackageKind(p["kind"]), Decimal(p["remaining"]), Decimal(p["total"]),
                p["unit"], _parse_time(p["expires_at"]),
            )
            for p in bal["packages"]
        ),
    )
    # Always written (a card is fetched at some moment): required, unlike the optional times.
    fetched_at = datetime.fromisoformat(data["fetched_at"])
    return SubscriberCard(subscriber, balances, fetched_at, data["source"])


def _money(value: Money) -> str:
    return str(value.amount)


def _time(moment: datetime | None) -> str | None:
    return moment.isoformat().replace("+00:00", "Z") if moment else None


def _parse_time(text: str | None) -> datetime | None:
    return datetime.fromisoformat(text) if text else None
