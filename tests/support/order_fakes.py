"""Fakes at the orders' adapter boundary: an operator that applies orders with the contract's
idempotency (stored answers per key, versions, If-Match) and scripted faults, and an
in-memory outbox with the same compare-and-set behaviour as models/outbox.py (a contract test
runs both). Used by the unit and property tests, and by the GUI fakes.
"""

from __future__ import annotations

import threading
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from typing import Any

from app.clock import Clock, FixedClock
from app.errors import OperatorUnavailable, OrderRefused, VersionMismatch
from app.order_rules import refusal_sentence
from models.domain import (
    CatalogService,
    CatalogTariff,
    Money,
    ServiceRef,
    TariffClass,
    TrialPeriod,
)
from models.orders import (
    NewOrder,
    OrderAction,
    OrderPreview,
    OrderRequest,
    OrderResult,
    OutboxExtras,
    OutboxItem,
    OutboxState,
)


def rub(value: str | int | Decimal) -> Money:
    return Money(Decimal(value).quantize(Decimal("0.01")))


TARIFFS = [
    CatalogTariff("SMART", "Смарт", TariffClass.MASS, rub(0), rub("450.00"), True),
    CatalogTariff("SMART_PLUS", "Смарт Плюс", TariffClass.MASS, rub(100), rub("750.00"), True),
    CatalogTariff("CLASSIC", "Классический", TariffClass.MASS, rub(0), rub(0), False),
    CatalogTariff("BIZ_START", "Бизнес Старт", TariffClass.CORPORATE, rub(300), rub(600), True),
    CatalogTariff("PREMIUM", "Премиум", TariffClass.VIP, rub(0), rub(3000), True),
]
_ALL = (TariffClass.MASS, TariffClass.CORPORATE, TariffClass.VIP)
SERVICES = [
    CatalogService("ASSISTANT", "Электронный Помощник", rub(0), rub(0), (TariffClass.MASS,),
                   TrialPeriod(date(2026, 11, 11), date(2026, 12, 11)), True),
    CatalogService("GUARD", "Антивирус", rub(0), rub(99), _ALL, None, True),
    CatalogService("FAVOURITE", "Любимый номер", rub(25), rub(50), (TariffClass.MASS,), None,
                   True),
    CatalogService("CONFERENCE", "Конференц-связь", rub(0), rub(150),
                   (TariffClass.CORPORATE, TariffClass.VIP), None, True),
    CatalogService("SMS_INFO", "SMS-информирование", rub(0), rub(30), _ALL, None, False),
]
TARIFF = {t.code: t for t in TARIFFS}
SERVICE = {s.code: s for s in SERVICES}


class Crash(BaseException):
    """The console's process dies here (not an error anyone handles)."""


@dataclass
class Account:
    tariff: str = "SMART"
    services: set[str] = field(default_factory=set)
    balance: Decimal = Decimal("1000.00")
    blocked: bool = False
    version: int = 1


@dataclass(frozen=True)
class Applied:
    key: str
    msisdn: str
    action: OrderAction
    code: str | None
    order_id: str


class FakeOrderOperator:
    """The operator's order side. `faults` is consumed one per write call:
    "ok", "error" (503: nothing applied), "connect" (never connected), "drop_before" (the
    connection broke before it arrived), "drop_after" (applied, the answer lost),
    "crash_before" / "crash_after" (the console dies before / after the operator applied).
    `offline` refuses every call as unreachable."""

    def __init__(self, accounts: dict[str, Account] | None = None,
                 clock: Clock | None = None) -> None:
        self.accounts = accounts if accounts is not None else {}
        self.faults: deque[str] = deque()
        self.offline = False
        self.applied: list[Applied] = []
        self.stored: dict[str, tuple[tuple[Any, ...], OrderResult | Exception]] = {}
        self.calls: list[str] = []
        self._clock = clock or FixedClock(datetime(2026, 11, 23, 10, 0, tzinfo=UTC))
        self._lock = threading.Lock()

    # -- reads ---------------------------------------------------------------------------------

    def tariffs(self) -> list[CatalogTariff]:
        self._reachable("catalog")
        return list(TARIFFS)

    def services(self) -> list[CatalogService]:
        self._reachable("catalog")
        return list(SERVICES)

    def preview(self, request: OrderRequest) -> OrderPreview:
        self._reachable("preview")
        with self._lock:
            account = self.accounts[request.msisdn]
            return self._quote(account, request)

    # -- writes --------------------------------------------------------------------------------

    def place_order(self, request: OrderRequest, *, key: str, if_match: int, clerk: str,
                    salon: str, counter: str) -> OrderResult:
        fault = self.faults.popleft() if self.faults else "ok"
        self.calls.append(f"post {key} {fault}")
        if self.offline or fault == "connect":
            raise OperatorUnavailable("The operator's system cannot be reached.")
        if fault == "error":
            raise OperatorUnavailable("HTTP 503")
        if fault == "drop_before":
            raise OperatorUnavailable("The connection was broken.", maybe_delivered=True)
        if fault == "crash_before":
            raise Crash()
        answer = self._process(request, key, (request, if_match, clerk, salon, counter),
                               if_match)
        if fault == "drop_after":
            raise OperatorUnavailable("The connection was broken.", maybe_delivered=True)
        if fault == "crash_after":
            raise Crash()
        if isinstance(answer, Exception):
            raise answer
        return answer

    def stored_order(self, key: str) -> OrderResult | None:
        """As TMF622 `GET /productOrder?externalId=`: the order applied under the key; a
        refusal stored for the key is not an order (None, as for a key never seen)."""
        self.calls.append(f"by-key {key}")
        self._reachable("by-key")
        found = self.stored.get(key)
        if found is None or isinstance(found[1], Exception):
            return None
        return found[1]

    def applied_keys(self) -> list[str]:
        return [a.key for a in self.applied]

    # -- the operator's side ---------------------------------------------------------------------

    def _reachable(self, what: str) -> None:
        if self.offline:
            raise OperatorUnavailable("The operator's system cannot be reached.")

    def _process(self, request: OrderRequest, key: str, fingerprint: tuple[Any, ...],
                 if_match: int) -> OrderResult | Exception:
        answer: OrderResult | Exception
        with self._lock:
            if key in self.stored:
                stored_fp, answer = self.stored[key]
                if stored_fp != fingerprint:
                    return OrderRefused("key reused", rule="idempotency_key_reused")
                return answer
            account = self.accounts[request.msisdn]
            if account.version != if_match:
                answer = VersionMismatch(refusal_sentence("version_mismatch"), account.version)
            else:
                quote = self._quote(account, request)
                if not quote.allowed:
                    assert quote.refusal_rule is not None
                    answer = OrderRefused(refusal_sentence(quote.refusal_rule),
                                          rule=quote.refusal_rule)
                else:
                    answer = self._apply(account, request, key, quote)
            self.stored[key] = (fingerprint, answer)
            return answer

    def _apply(self, account: Account, request: OrderRequest, key: str,
               quote: OrderPreview) -> OrderResult:
        if request.action is OrderAction.CHANGE_TARIFF:
            assert request.code is not None
            account.tariff = request.code
            account.services -= {s.code for s in quote.dropped_services}
        elif request.action is OrderAction.REMOVE_SERVICE:
            account.services.discard(request.code or "")
        else:
            account.services.add(request.code or "ASSISTANT")
        account.balance -= quote.fee.amount
        account.version += 1
        order_id = f"ORD-{len(self.applied) + 1:06d}"
        self.applied.append(Applied(key, request.msisdn, request.action, request.code,
                                    order_id))
        return OrderResult(order_id, quote.fee, quote.monthly_cost_after, rub(account.balance),
                           self._clock.now(), account.version, quote.dropped_services)

    def _quote(self, account: Account, request: OrderRequest) -> OrderPreview:
        tariff = TARIFF[account.tariff]
        fee, rule = Decimal("0.00"), None
        after_tariff, after = tariff, set(account.services)
        dropped: tuple[ServiceRef, ...] = ()
        code = request.code
        if request.action is OrderAction.CONNECT_ASSISTANT:
            code = "ASSISTANT"
        if request.action is OrderAction.CHANGE_TARIFF:
            new = TARIFF[code or ""]
            fee, after_tariff = new.one_off_fee.amount, new
            dropped = tuple(ServiceRef(c, SERVICE[c].name) for c in sorted(account.services)
                            if new.tariff_class not in SERVICE[c].allowed_classes)
            after -= {s.code for s in dropped}
            rule = "same_tariff" if new.code == tariff.code else (
                None if new.available else "not_available")
        elif request.action is OrderAction.REMOVE_SERVICE:
            after.discard(code or "")
            rule = None if code in account.services else "not_connected"
        else:
            service = SERVICE[code or ""]
            fee = service.one_off_fee.amount
            after.add(service.code)
            if service.code in account.services:
                rule = "already_connected"
            elif service.code == "ASSISTANT" and tariff.tariff_class is not TariffClass.MASS:
                rule = "R1"
            elif not service.available or tariff.tariff_class not in service.allowed_classes:
                rule = "not_available"
        if account.blocked:
            rule = "subscriber_blocked"
        if rule is None and fee > 0 and fee > account.balance:
            rule = "insufficient_balance"

        def monthly(t: CatalogTariff, codes: set[str]) -> Money:
            return rub(t.monthly_fee.amount + sum((SERVICE[c].monthly_fee.amount for c in codes),
                                                  Decimal(0)))

        trial = SERVICE["ASSISTANT"].trial if code == "ASSISTANT" and \
            request.action is not OrderAction.REMOVE_SERVICE else None
        return OrderPreview(
            request, rule is None, rule, None if rule is None else refusal_sentence(rule),
            rub(fee), monthly(tariff, account.services), monthly(after_tariff, after),
            rub(account.balance), rub(account.balance - fee), trial, dropped, account.version)


class MemoryOutbox:
    """The outbox store in memory, with models/outbox.py's compare-and-set semantics."""

    def __init__(self) -> None:
        self._rows: dict[int, dict[str, Any]] = {}
        self._lock = threading.RLock()
        self._next = 1

    def _item(self, row: dict[str, Any]) -> OutboxItem:
        return row["item"]

    def add(self, order: NewOrder) -> OutboxItem:
        with self._lock:
            if any(r["item"].key == order.key for r in self._rows.values()):
                raise ValueError("duplicate key")
            item = OutboxItem(self._next, order.key, order.request, order.if_match, order.clerk,
                              order.created_at, order.created_at, OutboxState.QUEUED, 0, False,
                              "", None, None, order.preview,
                              next_attempt_at=order.next_attempt_at)
            self._rows[item.id] = {"item": item, "lease": None, "owner": "",
                                   "extras": OutboxExtras(order.clerk_name, order.salon,
                                                          order.counter, order.context)}
            self._next += 1
            return item

    def get(self, item_id: int) -> OutboxItem | None:
        with self._lock:
            row = self._rows.get(item_id)
            return None if row is None else row["item"]

    def extras(self, item_id: int) -> OutboxExtras:
        return self._rows[item_id]["extras"]

    def _set(self, item_id: int, **changes: Any) -> OutboxItem:
        row = self._rows[item_id]
        lease = changes.pop("_lease", row["lease"])
        owner = changes.pop("_owner", row["owner"])
        row.update(item=replace(row["item"], **changes), lease=lease, owner=owner)
        return row["item"]

    def claim(self, item_id: int, now: datetime, lease_until: datetime,
              owner: str) -> OutboxItem | None:
        with self._lock:
            item = self.get(item_id)
            if item is None or item.state is not OutboxState.QUEUED:
                return None
            if any(r["item"].request.msisdn == item.request.msisdn and r["item"].id < item_id
                   and r["item"].pending for r in self._rows.values()):
                return None
            return self._set(item_id, state=OutboxState.SENDING, attempts=item.attempts + 1,
                             updated_at=now, _lease=lease_until, _owner=owner)

    def _settle(self, item: OutboxItem, now: datetime, **changes: Any) -> OutboxItem | None:
        with self._lock:
            current = self.get(item.id)
            if current is None or current.state is not OutboxState.SENDING \
                    or current.attempts != item.attempts:
                return None
            return self._set(item.id, updated_at=now, _lease=None, _owner="", **changes)

    def finish_done(self, item: OutboxItem, result: OrderResult,
                    now: datetime) -> OutboxItem | None:
        return self._settle(item, now, state=OutboxState.DONE, result=result, last_error="",
                            next_attempt_at=None)

    def finish_rejected(self, item: OutboxItem, rule: str, message: str,
                        now: datetime) -> OutboxItem | None:
        return self._settle(item, now, state=OutboxState.REJECTED, refusal_rule=rule,
                            last_error=message, next_attempt_at=None)

    def finish_cancelled(self, item: OutboxItem, now: datetime) -> OutboxItem | None:
        return self._settle(item, now, state=OutboxState.CANCELLED, next_attempt_at=None)

    def release(self, item: OutboxItem, now: datetime, error: str, maybe_delivered: bool,
                next_attempt_at: datetime) -> OutboxItem | None:
        return self._settle(item, now, state=OutboxState.QUEUED, last_error=error,
                            maybe_delivered=item.maybe_delivered or maybe_delivered,
                            next_attempt_at=next_attempt_at)

    def rekey(self, item: OutboxItem, key: str, if_match: int,
              now: datetime) -> OutboxItem | None:
        with self._lock:
            current = self.get(item.id)
            if current is None or current.state is not OutboxState.SENDING \
                    or current.attempts != item.attempts:
                return None
            return self._set(item.id, key=key, if_match=if_match, maybe_delivered=False,
                             updated_at=now)

    def set_slip(self, item_id: int, path: str) -> None:
        with self._lock:
            self._set(item_id, slip_path=path)

    def make_due(self, item_id: int, when: datetime) -> OutboxItem | None:
        with self._lock:
            item = self.get(item_id)
            if item is None or item.state is not OutboxState.QUEUED:
                return None
            return self._set(item_id, next_attempt_at=when)

    def cancel(self, item_id: int, now: datetime) -> OutboxItem | None:
        with self._lock:
            item = self.get(item_id)
            if item is None or item.state is not OutboxState.QUEUED or item.maybe_delivered:
                return None
            return self._set(item_id, state=OutboxState.CANCELLED, cancel_requested=True,
                             updated_at=now, next_attempt_at=None)

    def request_cancel(self, item_id: int, now: datetime,
                       due: datetime) -> OutboxItem | None:
        with self._lock:
            item = self.get(item_id)
            if item is None or not item.pending:
                return None
            changes: dict[str, Any] = {"cancel_requested": True, "updated_at": now}
            if item.state is OutboxState.QUEUED:
                changes["next_attempt_at"] = due
            return self._set(item_id, **changes)

    def recover(self, now: datetime, owner_gone: Callable[[str], bool]) -> int:
        moved = 0
        with self._lock:
            for item_id, row in self._rows.items():
                item = row["item"]
                if item.state is not OutboxState.SENDING:
                    continue
                if row["lease"] is not None and row["lease"] >= now \
                        and not owner_gone(row["owner"]):
                    continue
                self._set(item_id, state=OutboxState.QUEUED, maybe_delivered=True,
                          updated_at=now, next_attempt_at=now, _lease=None, _owner="")
                moved += 1
        return moved

    def due_heads(self, now: datetime) -> list[OutboxItem]:
        with self._lock:
            heads: dict[str, OutboxItem] = {}
            for item in sorted((r["item"] for r in self._rows.values()), key=lambda i: i.id):
                if item.pending and item.request.msisdn not in heads:
                    heads[item.request.msisdn] = item
            return sorted((h for h in heads.values() if h.state is OutboxState.QUEUED and (
                h.next_attempt_at is None or h.next_attempt_at <= now)), key=lambda i: i.id)

    def earlier_pending(self, item: OutboxItem) -> list[OutboxItem]:
        with self._lock:
            return sorted((r["item"] for r in self._rows.values()
                           if r["item"].request.msisdn == item.request.msisdn
                           and r["item"].id < item.id and r["item"].pending),
                          key=lambda i: i.id)

    def applied_versions(self, msisdn: str) -> dict[int, int]:
        with self._lock:
            return {r["item"].if_match: r["item"].result.subscriber_version
                    for r in self._rows.values()
                    if r["item"].request.msisdn == msisdn
                    and r["item"].state is OutboxState.DONE and r["item"].result}

    def next_due(self) -> datetime | None:
        with self._lock:
            due = [r["item"].next_attempt_at for r in self._rows.values()
                   if r["item"].state is OutboxState.QUEUED and r["item"].next_attempt_at]
            return min(due) if due else None

    def pending(self, msisdn: str | None = None) -> list[OutboxItem]:
        with self._lock:
            return sorted((r["item"] for r in self._rows.values() if r["item"].pending and (
                msisdn is None or r["item"].request.msisdn == msisdn)), key=lambda i: i.id)

    def recent(self, limit: int = 50) -> list[OutboxItem]:
        with self._lock:
            return sorted((r["item"] for r in self._rows.values()), key=lambda i: -i.id)[:limit]


class FakeClock(FixedClock):
    """A pinned clock moved in seconds by the order tests."""

    def __init__(self, now: datetime = datetime(2026, 11, 23, 10, 0, tzinfo=UTC)) -> None:
        super().__init__(now)

    def advance_s(self, seconds: float) -> None:
        self.advance(timedelta(seconds=seconds))
