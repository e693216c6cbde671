"""A fake order service and outbox pump for the GUI tests, over the same FakeOperator the
lookup reads: what it applies, the next lookup shows.

It follows the service's contract (app/ui/ports.py) and the operator's rules closely enough
for the window to meet every answer: options with reasons (R1, blocked, archived), previews
with the fee rules of R4 and the trial of R5, a 412 when the subscriber changed since the
preview, an unreachable operator that leaves the write queued, and a pump that settles queued
writes ON ITS OWN THREAD, as the real one does.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from datetime import date
from decimal import Decimal
from pathlib import Path

from app.errors import OperatorUnavailable, RuleRefused
from models.domain import (
    CatalogService,
    CatalogTariff,
    Money,
    ServiceRef,
    Session,
    SubscriberCard,
    SubscriberStatus,
    TariffClass,
    TariffRef,
    TrialPeriod,
)
from models.orders import (
    OrderAction,
    OrderOption,
    OrderOptions,
    OrderPreview,
    OrderRequest,
    OrderResult,
    OutboxItem,
    OutboxState,
    SubmitOutcome,
    SubmitStatus,
)
from tests.gui.fakes import SERVICES, Clock, FakeOperator, rub

MASS, CORPORATE, VIP = TariffClass.MASS, TariffClass.CORPORATE, TariffClass.VIP
EVERY_CLASS = (MASS, CORPORATE, VIP)
TRIAL = TrialPeriod(date(2026, 11, 11), date(2026, 12, 11))  # R5: the Assistant's launch

TARIFFS = (
    CatalogTariff("SMART", "Смарт", MASS, rub("0.00"), rub("450.00"), True),
    CatalogTariff("SMART_PLUS", "Смарт Плюс", MASS, rub("100.00"), rub("750.00"), True),
    CatalogTariff("ONLINE", "Мой Онлайн", MASS, rub("50.00"), rub("550.00"), True),
    CatalogTariff("CLASSIC", "Классический", MASS, rub("0.00"), rub("0.00"), False),
    CatalogTariff("BIZ", "Бизнес Про", CORPORATE, rub("300.00"), rub("1200.00"), True),
    CatalogTariff("PLAT", "Платиновый", VIP, rub("1000.00"), rub("3500.00"), True),
)
EXTRA_SERVICES = (
    CatalogService("KINO", "Кино онлайн", rub("49.00"), rub("199.00"), EVERY_CLASS, None, True),
    CatalogService("TRANSLATE", "Переводчик", rub("0.00"), rub("0.00"), EVERY_CLASS, TRIAL,
                   True),
    CatalogService("CORPMAIL", "Корпоративная почта", rub("150.00"), rub("300.00"),
                   (CORPORATE,), None, True),
    CatalogService("FAX", "Факс", rub("0.00"), rub("30.00"), EVERY_CLASS, None, False),
)
SERVICE_CATALOG = (
    *(CatalogService(s.code, s.name, rub("0.00"), rub("10.00"), EVERY_CLASS, None, True)
      for s in SERVICES),
    *EXTRA_SERVICES,
)
ASSISTANT = "ASSISTANT"
ASSISTANT_NAME = "Электронный Помощник"
OFFLINE = "Нет связи с системой оператора."
R1_REASON = "Электронный Помощник недоступен на корпоративных и VIP тарифах (R1)."
BLOCKED_REASON = "Номер заблокирован: операции по нему невозможны."


@dataclass
class FakeOrders:
    operator: FakeOperator
    clock: Clock
    slips: Path
    unreachable: bool = False  # the next submissions do not reach the operator
    maybe_delivered: bool = False  # ...and may have arrived (no cancel then)
    refuse: dict[str, tuple[str, str]] = field(default_factory=dict)  # code → (rule, message)
    reject: tuple[str, str] | None = None  # the operator refuses the next submission
    preview_gate: threading.Event | None = None
    submit_gate: threading.Event | None = None
    previews: list[OrderRequest] = field(default_factory=list)
    submitted: list[OrderPreview] = field(default_factory=list)
    outbox: dict[int, OutboxItem] = field(default_factory=dict)
    threads: set[str] = field(default_factory=set)  # where the service was called from
    _lock: threading.Lock = field(default_factory=threading.Lock)

    # -- the catalog ---------------------------------------------------------------------------
    def tariffs(self) -> list[CatalogTariff]:
        self._called()
        return list(TARIFFS)

    def services(self) -> list[CatalogService]:
        self._called()
        return list(SERVICE_CATALOG)

    def options(self, card: SubscriberCard) -> OrderOptions:
        self._called()
        subscriber = card.subscriber
        blocked = subscriber.status is SubscriberStatus.BLOCKED
        tariff_class = subscriber.tariff.tariff_class
        connected = {s.code for s in subscriber.services}

        def option(action: OrderAction, code: str | None, name: str, one_off: Money,
                   monthly: Money, trial: TrialPeriod | None, reason: str) -> OrderOption:
            reason = BLOCKED_REASON if blocked else reason
            return OrderOption(OrderRequest(subscriber.msisdn, action, code), name, one_off,
                               monthly, trial, not reason, reason)

        tariffs = tuple(
            option(OrderAction.CHANGE_TARIFF, t.code, t.name, t.one_off_fee, t.monthly_fee,
                   None, "" if t.available else "Архивный тариф: перейти на него нельзя.")
            for t in TARIFFS if t.code != subscriber.tariff.code)
        add = tuple(
            option(OrderAction.ADD_SERVICE, s.code, s.name, s.one_off_fee, s.monthly_fee,
                   s.trial, _service_reason(s, tariff_class, subscriber.tariff.name))
            for s in SERVICE_CATALOG if s.code not in connected)
        remove = tuple(
            option(OrderAction.REMOVE_SERVICE, s.code, s.name, rub("0.00"), rub("10.00"),
                   None, "") for s in subscriber.services)
        if tariff_class is not MASS:
            why = R1_REASON
        elif subscriber.assistant_connected:
            why = "Электронный Помощник уже подключён."
        else:
            why = ""
        assistant = option(OrderAction.CONNECT_ASSISTANT, None, ASSISTANT_NAME, rub("0.00"),
                           rub("0.00"), TRIAL, why)
        return OrderOptions(tariffs, add, remove, assistant)

    # -- an order ------------------------------------------------------------------------------
    def preview(self, clerk: Session, request: OrderRequest) -> OrderPreview:
        self._called()
        if self.preview_gate is not None and not self.preview_gate.wait(timeout=10):
            raise OperatorUnavailable("the test never opened the preview gate")
        if self.operator.offline:
            raise OperatorUnavailable(OFFLINE)
        self.previews.append(request)
        return self._quote(request)

    def submit(self, clerk: Session, preview: OrderPreview) -> SubmitOutcome:
        self._called()
        if self.submit_gate is not None and not self.submit_gate.wait(timeout=10):
            raise OperatorUnavailable("the test never opened the submit gate")
        self.submitted.append(preview)
        item = self._new_item(clerk, preview)
        if self.unreachable:
            item = self._store(replace(item, attempts=1, maybe_delivered=self.maybe_delivered,
                                       last_error=OFFLINE))
            return SubmitOutcome(SubmitStatus.UNREACHABLE, item,
                                 "Система оператора не ответила; операция не подтверждена.")
        subscriber = self.operator.data[preview.request.msisdn][0]
        if subscriber.version != preview.subscriber_version:  # If-Match is stale: 412
            item = self._store(replace(item, state=OutboxState.REJECTED, refusal_rule="stale"))
            return SubmitOutcome(SubmitStatus.STALE, item,
                                 "Данные абонента изменились после расчёта.")
        if self.reject is not None:
            rule, message = self.reject
            item = self._store(replace(item, state=OutboxState.REJECTED, refusal_rule=rule))
            return SubmitOutcome(SubmitStatus.REJECTED, item, message)
        item = self._apply(item)
        slip = self.slips / f"slip-{item.id}.pdf"
        return SubmitOutcome(SubmitStatus.DONE, item, "Операция выполнена.", str(slip))

    def keep_queued(self, clerk: Session, item_id: int) -> OutboxItem:
        self._called()
        return self.outbox[item_id]

    def cancel(self, clerk: Session, item_id: int) -> OutboxItem:
        self._called()
        item = self.outbox[item_id]
        if item.maybe_delivered:
            raise RuleRefused("Операция могла уже дойти до оператора, отменить её нельзя.",
                              "maybe_delivered")
        return self._store(replace(item, state=OutboxState.CANCELLED,
                                   updated_at=self.clock.now()))

    def item(self, item_id: int) -> OutboxItem:
        self._called()
        return self.outbox[item_id]

    def pending(self, msisdn: str | None = None) -> list[OutboxItem]:
        self._called()
        return [item for item in self.outbox.values()
                if item.pending and (msisdn is None or item.request.msisdn == msisdn)]

    def recent(self, limit: int = 50) -> list[OutboxItem]:
        self._called()
        items = sorted(self.outbox.values(), key=lambda item: item.updated_at, reverse=True)
        return items[:limit]

    # -- what the pump does when the connection returns -------------------------------------
    def settle(self, item_id: int, state: OutboxState, rule: str | None = None) -> OutboxItem:
        item = replace(self.outbox[item_id], attempts=self.outbox[item_id].attempts + 1,
                       last_error="")
        if state is OutboxState.DONE:
            return self._apply(item)
        return self._store(replace(item, state=state, refusal_rule=rule,
                                   updated_at=self.clock.now()))

    # -- inside ----------------------------------------------------------------------------------
    def _called(self) -> None:
        self.threads.add(threading.current_thread().name)

    def _new_item(self, clerk: Session, preview: OrderPreview) -> OutboxItem:
        with self._lock:
            number = len(self.outbox) + 1
        now = self.clock.now()
        return OutboxItem(number, f"key-{number}", preview.request, preview.subscriber_version,
                          clerk.login, now, now, OutboxState.QUEUED, 0, False, "", None, None,
                          preview)

    def _store(self, item: OutboxItem) -> OutboxItem:
        with self._lock:
            self.outbox[item.id] = item
        return item

    def _quote(self, request: OrderRequest) -> OrderPreview:
        subscriber, balances = self.operator.data[request.msisdn]
        services = {s.code: s for s in SERVICE_CATALOG}
        tariffs = {t.code: t for t in TARIFFS}
        current = sum((services[s.code].monthly_fee.amount if s.code in services
                       else Decimal("10.00") for s in subscriber.services), Decimal(0))
        before = subscriber.tariff.monthly_fee.amount + current
        fee, after, dropped, trial = Decimal(0), before, (), None
        if request.action is OrderAction.CHANGE_TARIFF:
            target = tariffs[request.code or ""]
            fee = target.one_off_fee.amount
            dropped = tuple(s for s in subscriber.services if s.code in services
                            and target.tariff_class not in services[s.code].allowed_classes)
            after = target.monthly_fee.amount + current - sum(
                (services[s.code].monthly_fee.amount for s in dropped), Decimal(0))
        elif request.action is OrderAction.ADD_SERVICE:
            service = services[request.code or ""]
            fee, after, trial = service.one_off_fee.amount, before + service.monthly_fee.amount, \
                service.trial
        elif request.action is OrderAction.REMOVE_SERVICE:
            after = before - Decimal("10.00")
        else:
            trial = TRIAL
        rule, message = self.refuse.get(request.code or ASSISTANT, (None, None))
        if rule is None and subscriber.status is SubscriberStatus.BLOCKED:
            rule, message = "subscriber_blocked", BLOCKED_REASON
        if rule is None and request.action is OrderAction.CONNECT_ASSISTANT \
                and subscriber.tariff.tariff_class is not MASS:
            rule, message = "R1", R1_REASON
        if rule is None and fee > 0 and fee > balances.main.amount:
            rule, message = "insufficient_balance", "На основном балансе меньше, чем плата."
        return OrderPreview(
            request, rule is None, rule, message, Money(fee), Money(before), Money(after),
            balances.main, Money(balances.main.amount - fee), trial, dropped,
            subscriber.version)

    def _apply(self, item: OutboxItem) -> OutboxItem:
        """The operator applies it: the subscriber changes, its version moves on."""
        request = item.request
        quote = self._quote(request)
        subscriber, balances = self.operator.data[request.msisdn]
        services = list(subscriber.services)
        tariff = subscriber.tariff
        if request.action is OrderAction.CHANGE_TARIFF:
            target = next(t for t in TARIFFS if t.code == request.code)
            tariff = TariffRef(target.code, target.name, target.tariff_class, target.monthly_fee)
            services = [s for s in services if s not in quote.dropped_services]
        elif request.action is OrderAction.ADD_SERVICE:
            name = next(s.name for s in SERVICE_CATALOG if s.code == request.code)
            services.append(ServiceRef(request.code or "", name))
        elif request.action is OrderAction.REMOVE_SERVICE:
            services = [s for s in services if s.code != request.code]
        changed = replace(
            subscriber, tariff=tariff, services=tuple(services), version=subscriber.version + 1,
            assistant_connected=subscriber.assistant_connected
            or request.action is OrderAction.CONNECT_ASSISTANT)
        self.operator.data[request.msisdn] = (
            changed, replace(balances, main=quote.balance_after))
        result = OrderResult(f"ORD-{item.id:04d}", quote.fee, quote.monthly_cost_after,
                             quote.balance_after, self.clock.now(), changed.version,
                             quote.dropped_services)
        return self._store(replace(item, state=OutboxState.DONE, result=result,
                                   updated_at=self.clock.now()))


def _service_reason(service: CatalogService, tariff_class: TariffClass, tariff: str) -> str:
    if not service.available:
        return "Архивная услуга: подключить её нельзя."
    if tariff_class not in service.allowed_classes:
        return f"Недоступна на тарифе «{tariff}»."
    return ""


class FakePump:
    """Settles queued writes when a test says the connection is back, and tells the listeners
    from a thread of its own (the window must marshal that to Tk)."""

    def __init__(self, orders: FakeOrders) -> None:
        self.orders = orders
        self.listeners: list[Callable[[OutboxItem], None]] = []

    def subscribe(self, listener: Callable[[OutboxItem], None]) -> None:
        self.listeners.append(listener)

    def deliver(self, item_id: int, state: OutboxState = OutboxState.DONE,
                rule: str | None = None) -> OutboxItem:
        item = self.orders.settle(item_id, state, rule)

        def tell() -> None:
            for listener in self.listeners:
                listener(item)

        thread = threading.Thread(target=tell, name="outbox-pump")
        thread.start()
        thread.join()
        return item
