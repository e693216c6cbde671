"""Product orders (TMF622-like): what a change would cost (`quote`, the preview) and applying
it (`apply`). The console never computes billing (R4): it shows a quote, then places the order.

Rules, checked in this order (the first that fails is the refusal):
1. `subscriber_blocked` — a blocked number changes nothing.
2. By action:
   - change_tariff: `same_tariff`; `not_available` (an archived tariff);
   - add_service / connect_assistant: `already_connected`; `R1` (the Assistant off the mass
     class); `not_available` (an archived service, or one the tariff's class may not have);
   - remove_service: `not_connected`.
3. `insufficient_balance` — a fee above zero that is more than the main balance (fees are paid
   from the main balance only; a free change is allowed whatever the balance).

A tariff change into another class drops the connected services that class may not have
(the Assistant off the mass class, R1); the quote lists them, the order disconnects them.

Timing: a change takes effect at the order's instant. The fee is a ledger event then; usage
from then on is charged at the new tariff's prices (the day of the change is split at that
instant; its package allotment stays the old tariff's until the next local midnight); monthly
fees are charged on the 1st for what is connected then, so a change neither charges nor refunds
part of a month.
"""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass
from datetime import date, datetime
from zoneinfo import ZoneInfo

from sandbox.catalog import (
    ASSISTANT,
    MASS,
    SERVICES_BY_CODE,
    TARIFFS_BY_CODE,
    Service,
    Tariff,
    connection_fee_kop,
    switch_fee_kop,
    trial_dates,
)
from sandbox.entities import BLOCKED, SubscriberState
from sandbox.regions import REGIONS_BY_CODE

CHANGE_TARIFF = "change_tariff"
ADD_SERVICE = "add_service"
REMOVE_SERVICE = "remove_service"
CONNECT_ASSISTANT = "connect_assistant"
ACTIONS = (CHANGE_TARIFF, ADD_SERVICE, REMOVE_SERVICE, CONNECT_ASSISTANT)


class BadOrder(ValueError):
    """The request itself is wrong: an unknown code, a missing or superfluous parameter."""


@dataclass(frozen=True)
class Refusal:
    rule: str
    message: str


@dataclass(frozen=True)
class Target:
    action: str
    tariff: Tariff | None  # change_tariff
    service: Service | None  # add_service, remove_service, connect_assistant (the Assistant)


@dataclass(frozen=True)
class Quote:
    target: Target
    refusal: Refusal | None
    fee_kop: int
    monthly_before_kop: int
    monthly_after_kop: int
    balance_before_kop: int
    dropped: tuple[Service, ...]
    trial: tuple[date, date] | None  # R5: the service's trial operation, if not over yet

    @property
    def balance_after_kop(self) -> int:
        return self.balance_before_kop - self.fee_kop

    @property
    def fee_counterpart(self) -> str:
        """How the fee shows in usage (the contract's fee counterparts)."""
        if self.target.tariff is not None:
            return f"Смена тарифа: «{self.target.tariff.name}»"
        assert self.target.service is not None
        return f"Подключение: {self.target.service.name}"


def target(action: str, tariff_code: str | None, service_code: str | None) -> Target:
    if action not in ACTIONS:
        raise BadOrder(f"action must be one of {', '.join(ACTIONS)}, not {action!r}.")
    if action == CHANGE_TARIFF:
        if tariff_code is None or service_code is not None:
            raise BadOrder("change_tariff takes a tariff_code and no service_code.")
        if tariff_code not in TARIFFS_BY_CODE:
            raise BadOrder(f"There is no tariff {tariff_code!r} in the catalog.")
        return Target(action, TARIFFS_BY_CODE[tariff_code], None)
    if tariff_code is not None:
        raise BadOrder(f"{action} takes no tariff_code.")
    if action == CONNECT_ASSISTANT:
        if service_code not in (None, ASSISTANT):
            raise BadOrder("connect_assistant takes no service_code.")
        return Target(action, None, SERVICES_BY_CODE[ASSISTANT])
    if service_code is None:
        raise BadOrder(f"{action} takes a service_code.")
    if service_code not in SERVICES_BY_CODE:
        raise BadOrder(f"There is no service {service_code!r} in the catalog.")
    return Target(action, None, SERVICES_BY_CODE[service_code])


def monthly_kop(tariff: Tariff, service_codes: list[str]) -> int:
    return tariff.monthly_kop + sum(SERVICES_BY_CODE[c].monthly_kop for c in service_codes)


def quote(state: SubscriberState, what: Target, now: int, main_kop: int,
          reference: int) -> Quote:
    """`reference`: the UTC midnight the world was drawn at (the trial's dates count from it)."""
    # The fee, the monthly cost before and after, and the first rule that refuses, if any.
    tariff = TARIFFS_BY_CODE[state.tariff_code_at(now)]
    connected = [p.service_code for p in state.services_at(now)]
    before = monthly_kop(tariff, connected)
    fee, after_tariff, after_services = 0, tariff, list(connected)
    dropped: tuple[Service, ...] = ()
    refusal: Refusal | None = None
    if state.status == BLOCKED:
        refusal = Refusal("subscriber_blocked", "The number is blocked; it must be unblocked "
                                                "(paid up) before any change.")
    if what.tariff is not None:
        new = what.tariff
        fee, after_tariff = switch_fee_kop(tariff, new), new
        dropped = tuple(SERVICES_BY_CODE[c] for c in connected
                        if new.tariff_class not in SERVICES_BY_CODE[c].allowed_classes)
        after_services = [c for c in connected if c not in {s.code for s in dropped}]
        if refusal is None and new.code == tariff.code:
            refusal = Refusal("same_tariff", f"The number is already on «{tariff.name}».")
        if refusal is None and not new.available:
            refusal = Refusal("not_available", f"The tariff «{new.name}» is archived; no one "
                                               "can switch to it any more.")
    elif what.action == REMOVE_SERVICE:
        service = _service(what)
        after_services = [c for c in connected if c != service.code]
        if refusal is None and service.code not in connected:
            refusal = Refusal("not_connected", f"«{service.name}» is not connected.")
    else:
        service = _service(what)
        fee = connection_fee_kop(tariff, service)
        after_services = [*connected, service.code] if service.code not in connected \
            else connected
        refusal = refusal or _connect_refusal(service, tariff, connected)
    if refusal is None and fee > 0 and fee > main_kop:
        refusal = Refusal("insufficient_balance", "The main balance is less than the fee; "
                                                  "top it up first.")
    return Quote(what, refusal, fee, before, monthly_kop(after_tariff, after_services), main_kop,
                 dropped, _trial(state, what, now, reference))


def _service(what: Target) -> Service:
    assert what.service is not None
    return what.service


def _connect_refusal(service: Service, tariff: Tariff, connected: list[str]) -> Refusal | None:
    if service.code in connected:
        return Refusal("already_connected", f"«{service.name}» is already connected.")
    if service.code == ASSISTANT and tariff.tariff_class != MASS:
        return Refusal("R1", "The Electronic Assistant is not available on corporate and VIP "
                             "tariff plans.")
    if not service.available:
        return Refusal("not_available", f"«{service.name}» is archived; it can no longer be "
                                        "connected.")
    if tariff.tariff_class not in service.allowed_classes:
        return Refusal("not_available", f"«{service.name}» is not available on the tariff "
                                        f"«{tariff.name}».")
    return None


def _trial(state: SubscriberState, what: Target, now: int,
           reference: int) -> tuple[date, date] | None:
    """R5: a service to be connected that is in trial operation (until the end date, by the
    home region's calendar)."""
    if what.service is None or what.action == REMOVE_SERVICE:
        return None
    trial = trial_dates(what.service, reference)
    if trial is None:
        return None
    zone = ZoneInfo(REGIONS_BY_CODE[state.region_code].timezone)
    today = datetime.fromtimestamp(now, zone).date()
    return trial if today <= trial[1] else None


def apply(conn: sqlite3.Connection, state: SubscriberState, q: Quote, at: int,
          order_id: str) -> None:
    """Write the change stamped `at` (inside the order's transaction); bump the version."""
    msisdn = state.msisdn
    what = q.target
    disconnect = [s.code for s in q.dropped]
    if what.tariff is not None:
        conn.execute("INSERT INTO tariff_periods (msisdn, start_at, tariff_code) VALUES (?, ?, ?)",
                     (msisdn, at, what.tariff.code))
    elif what.action == REMOVE_SERVICE:
        disconnect.append(_service(what).code)
    else:
        conn.execute("INSERT INTO service_periods (msisdn, service_code, connected_at) "
                     "VALUES (?, ?, ?)", (msisdn, _service(what).code, at))
    for code in disconnect:
        conn.execute("UPDATE service_periods SET disconnected_at = ? WHERE msisdn = ? AND "
                     "service_code = ? AND disconnected_at IS NULL", (at, msisdn, code))
    if ASSISTANT in disconnect:  # R2: no Assistant, no code (a lock, if any, stays)
        conn.execute("UPDATE access_codes SET code_hash = NULL, issued_at = NULL "
                     "WHERE msisdn = ?", (msisdn,))
    if q.fee_kop:
        conn.execute("INSERT INTO ledger_events (msisdn, at, type, counterpart, amount_kop, "
                     "source) VALUES (?, ?, 'fee', ?, ?, ?)",
                     (msisdn, at, q.fee_counterpart, q.fee_kop, order_id))
    conn.execute("UPDATE subscribers SET version = version + 1 WHERE msisdn = ?", (msisdn,))


def next_order_id(conn: sqlite3.Connection) -> str:
    (last,) = conn.execute("SELECT COALESCE(MAX(seq), 0) FROM orders").fetchone()
    return f"ORD-{int(last) + 1:06d}"
