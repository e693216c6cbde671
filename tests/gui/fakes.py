"""Fake operator data for the GUI tests: the real LookupService over a fake API and cache,
so the window sees the same errors (bad number, not found, offline) as in production; the real
ClerkService over an in-memory store with two accounts."""

from __future__ import annotations

import threading
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from pathlib import Path
from typing import Any

from app.clock import FixedClock
from app.config import Settings, load_settings
from app.errors import OperatorUnavailable, SubscriberNotFound
from app.services.clerks import ClerkService
from app.services.connection import ConnectionState
from app.services.lookup import LookupService
from app.services.orders import OrderService
from app.services.outbox_delivery import Delivery
from app.services.outbox_pump import OutboxPump
from app.services.registry import Services
from models.domain import (
    Balances,
    ClerkRole,
    DemoSubscriber,
    Money,
    PackageKind,
    PackageRemainder,
    Region,
    ServiceRef,
    Session,
    Subscriber,
    SubscriberCard,
    SubscriberStatus,
    TariffClass,
    TariffRef,
)
from tests.support.clerks import clerk_service
from tests.support.identity import IDENTIFIED
from tests.support.order_fakes import Account, FakeOrderOperator, MemoryOutbox

NOW = datetime(2026, 11, 23, 9, 25, tzinfo=UTC)  # 12:25 in Moscow
MOSCOW = Region("RU-MOW", "Москва", "Moscow", "Europe/Moscow")
KOMI = Region("RU-KO", "Республика Коми", "Komi Republic", "Europe/Moscow")
BASHKIRIA = Region("RU-BA", "Республика Башкортостан", "Bashkortostan", "Asia/Yekaterinburg")

IVANOVA = "+79161234567"
PETROV = "+79031112233"
SIDOROV = "+79257654321"
UNKNOWN = "+79990001122"

# (login, full name, role, password)
ANNA = ("anna", "Анна Соколова", ClerkRole.CLERK, "anna-pass-1")
OLEG = ("oleg", "Олег Смирнов", ClerkRole.MANAGER, "oleg-pass-1")


def rub(value: str) -> Money:
    return Money(Decimal(value))


SERVICES = tuple(
    ServiceRef(code, name)
    for code, name in [
        ("GUARD", "Антивирус"), ("BEEP", "Гудок"), ("CALLER", "Кто звонил"),
        ("ROAM", "Путешествуй по России"), ("MUSIC", "Музыка"), ("CLOUD", "Облако 100 ГБ"),
        ("FORWARD", "Переадресация"), ("BLACK", "Чёрный список"),
        ("GEO", "Где ребёнок"), ("CONF", "Конференц-связь"), ("WAIT", "Ожидание вызова"),
        ("SMSPRO", "SMS Pro"), ("KIOSK", "Журналы и книги"), ("TV", "ТВ онлайн"),
        ("SAFE", "Безопасный интернет"), ("HIDE", "Антиопределитель номера"),
    ]
)


def card_subscribers() -> dict[str, tuple[Subscriber, Balances]]:
    ivanova = Subscriber(
        IVANOVA, "Иванова Мария Петровна", SubscriberStatus.ACTIVE, MOSCOW,
        TariffRef("SMART", "Смарт", TariffClass.MASS, rub("450.00")),
        SERVICES, assistant_connected=False, version=3,
    )
    ivanova_balances = Balances(
        main=rub("-123.45"),
        bonus=rub("50.00"),
        promised_payment_debt=rub("100.00"),
        promised_payment_due=datetime(2026, 11, 26, 21, 0, tzinfo=UTC),
        packages=(
            PackageRemainder(PackageKind.MINUTES, Decimal(250), Decimal(500), "min",
                             datetime(2026, 11, 30, 20, 0, tzinfo=UTC)),
            PackageRemainder(PackageKind.SMS, Decimal(0), Decimal(100), "sms",
                             datetime(2026, 11, 30, 20, 0, tzinfo=UTC)),
            PackageRemainder(PackageKind.DATA, Decimal(3072), Decimal(10240), "MB",
                             datetime(2026, 11, 30, 20, 0, tzinfo=UTC)),
        ),
    )
    petrov = Subscriber(
        PETROV, "Петров Алексей Викторович", SubscriberStatus.ACTIVE, KOMI,
        TariffRef("BIZ", "Бизнес Про", TariffClass.CORPORATE, rub("1200.00")),
        (SERVICES[0],), assistant_connected=False, version=1,
    )
    sidorov = Subscriber(
        SIDOROV, "Сидоров Ильдар Маратович", SubscriberStatus.BLOCKED, BASHKIRIA,
        TariffRef("PLAT", "Платиновый", TariffClass.VIP, rub("3500.00")),
        (), assistant_connected=False, version=7,
    )
    plain = Balances(rub("812.30"), rub("0.00"), rub("0.00"), None, ())
    return {
        IVANOVA: (ivanova, ivanova_balances),
        PETROV: (petrov, plain),
        SIDOROV: (sidorov, plain),
    }


class Clock(FixedClock):
    def __init__(self, now: datetime = NOW) -> None:
        super().__init__(now)


@dataclass
class FakeOperator:
    """The operator API as the lookup sees it; `gate` lets a test hold an answer back."""

    data: dict[str, tuple[Subscriber, Balances]] = field(default_factory=card_subscribers)
    offline: bool = False
    gate: threading.Event | None = None
    calls: list[str] = field(default_factory=list)

    def subscriber(self, msisdn: str) -> Subscriber:
        self.calls.append(msisdn)
        if self.gate is not None and not self.gate.wait(timeout=10):
            raise OperatorUnavailable("test gate was never opened")
        if self.offline:
            raise OperatorUnavailable(
                "Нет связи с системой оператора." if _ru() else "No connection to the operator."
            )
        if msisdn not in self.data:
            raise SubscriberNotFound(f"Абонент с номером {msisdn} не найден.")
        return self.data[msisdn][0]

    def balances(self, msisdn: str) -> Balances:
        return self.data[msisdn][1]


def _ru() -> bool:
    from app.i18n import language

    return language() == "ru"


class DictCache:
    def __init__(self) -> None:
        self.cards: dict[str, SubscriberCard] = {}

    def get(self, msisdn: str) -> SubscriberCard | None:
        return self.cards.get(msisdn)

    def put(self, card: SubscriberCard) -> None:
        self.cards[card.subscriber.msisdn] = card

    def forget(self, msisdn: str) -> None:
        self.cards.pop(msisdn, None)


def demo_world() -> list[DemoSubscriber]:
    rows = []
    for msisdn, (subscriber, balances) in card_subscribers().items():
        rows.append(DemoSubscriber(
            msisdn, subscriber.name, subscriber.tariff.code, subscriber.tariff.tariff_class,
            subscriber.region.code, subscriber.status, subscriber.assistant_connected,
            balances.promised_payment_debt.amount > 0, heavy=False,
        ))
    surnames = ["Смирнов", "Кузнецов", "Попов", "Васильев", "Соколов", "Михайлов",
                "Новиков", "Фёдоров", "Морозов", "Волков"]
    names = ["Андрей Ильич", "Олег Сергеевич", "Глеб Петрович", "Денис Юрьевич",
             "Роман Олегович", "Павел Андреевич"]
    for index in range(60):  # enough rows to scroll
        rows.append(DemoSubscriber(
            f"+7916555{index:04d}", f"{surnames[index % 10]} {names[index % 6]}", "SMART",
            TariffClass.CORPORATE if index % 11 == 0 else TariffClass.MASS, "RU-MOW",
            SubscriberStatus.BLOCKED if index % 13 == 5 else SubscriberStatus.ACTIVE,
            index % 3 == 0, index % 5 == 1, heavy=index % 7 == 0,
        ))
    return rows


def write_settings(folder: Path, language: str = "ru", idle_lock_minutes: int = 0) -> Settings:
    """No idle lock unless a test asks: the others move the clock by minutes on purpose."""
    ini = folder / "salon.ini"
    ini.write_text(
        "[salon]\n"
        "name = Салон «Тверская, 12»\n"
        "counter = 2\n"
        f"language = {language}\n"
        "[paths]\n"
        f"data_dir = {folder}\n"
        "[ui]\n"
        f"idle_lock_minutes = {idle_lock_minutes}\n"
        # R10 relaxed, as the identity gate of these fakes finds everyone identified
        "[identity]\nrequire_for = none\n",
        encoding="utf-8",
    )
    return load_settings(ini)


def session_of(account: tuple[str, str, ClerkRole, str], at: datetime = NOW) -> Session:
    login, name, role, _password = account
    return Session(login, name, role, at)


class Unused:
    """A service the window never reaches in these tests (the journal, R9's purge, …): the
    console always has it, so the tests give one; any use fails naming it."""

    def __init__(self, name: str) -> None:
        self._name = name

    def __getattr__(self, attribute: str) -> Any:
        raise AssertionError(f"the GUI test's console used {self._name}.{attribute}")


class NoPickupOrders:
    """R11 as a salon with nothing ordered for pick-up has it: the status bar's count asks the
    queue (on the runner) when the services come and a clerk signs in; the rest is Unused."""

    def queue(self, clerk: object) -> list[Any]:
        return []

    def __getattr__(self, attribute: str) -> Any:
        raise AssertionError(f"the GUI test's console used pickup.{attribute}")


class OfflineArchive:
    """The personal archive as an unreachable operator's: the card's archive row says so."""

    def documents(self, clerk: object, msisdn: str) -> Any:
        raise OperatorUnavailable("no connection to the operator's system (a GUI test)")


class NoPeriodic:
    """Monthly e-mail, as a salon without an SMTP relay has it: not available."""

    available = False


def make_services(
    settings: Settings,
    operator: FakeOperator,
    clock: Clock,
    *,
    training: bool = False,
    cache: DictCache | None = None,
    clerks: ClerkService | None = None,
    orders: Any = None,
    outbox_pump: Any = None,
    codes: Any = None,
    identity: Any = None,
    contacts: Any = None,
) -> Services:
    """`orders` and `outbox_pump`: tests/gui/fake_orders.py's fakes; without them, the real
    OrderService and pump over a fake operator and an in-memory outbox. `codes`:
    tests/gui/fake_codes.py's operator, under the real access-code, leaflet and training
    services (a fresh one over `operator` without it). The detalization, the printer and
    delivery are tests/gui/fake_detalization.py's (a test replaces them as it needs); the
    archive is unreachable, monthly e-mail unavailable, no pick-up orders (R11); what the
    window never uses is Unused.
    `identity`: R10's service (a real IdentityService in the identity check's tests); without
    it, every subscriber counts as identified (tests/support/identity.py). `contacts`: the
    operator's e-mail addresses of a subscriber (the card's mailing address; none without)."""
    identity = IDENTIFIED if identity is None else identity
    from app.services.access_codes import AccessCodeService
    from app.services.email import EmailService
    from app.services.leaflets import LeafletService
    from app.services.training_world import TrainingWorld
    from tests.gui.fake_codes import FakeCodeOperator
    from tests.gui.fake_detalization import FakeDelivery, FakeDetalization, FakePrinting

    connection = ConnectionState(clock=clock)
    lookup = LookupService(operator, cache or DictCache(), connection, clock=clock,
                           identity=identity, contacts=contacts)
    if orders is None:
        orders, outbox_pump = order_services(settings, clock, connection)
    codes = codes if codes is not None else FakeCodeOperator(operator, clock)
    unused: Any = {name: Unused(name) for name in ("audit", "daily_log", "verification",
                                                   "retention", "operator_check")}
    return Services(
        settings=settings,
        clock=clock,
        lookup=lookup,
        connection=connection,
        clerks=clerks or clerk_service(clock, (ANNA, OLEG)),
        orders=orders,
        outbox_pump=outbox_pump,
        demo_subscribers=demo_world if training else None,
        access_codes=AccessCodeService(codes, connection=connection, identity=IDENTIFIED),
        leaflets=LeafletService(settings, orders.services, clock=clock),
        sandbox=TrainingWorld(codes, clock),
        detalization=FakeDetalization(settings.data_dir / "documents"),  # type: ignore[arg-type]
        printing=FakePrinting(),  # type: ignore[arg-type]
        delivery=FakeDelivery(settings.salon),  # type: ignore[arg-type]
        email=EmailService(None, settings.email, settings.salon, clock=clock,
                           identity=IDENTIFIED),
        archive=OfflineArchive(),  # type: ignore[arg-type]
        identity=identity,
        periodic=NoPeriodic(),  # type: ignore[arg-type]
        pickup=NoPickupOrders(),  # type: ignore[arg-type]
        **unused,
    )


def order_services(settings: Settings, clock: Clock,
                   connection: ConnectionState) -> tuple[OrderService, OutboxPump]:
    """The real OrderService and pump (not started) over a fake operator and an in-memory
    outbox (tests/support/order_fakes.py)."""
    operator = FakeOrderOperator({IVANOVA: Account(), PETROV: Account(tariff="BIZ_START")},
                                 clock=clock)
    outbox = MemoryOutbox()
    delivery = Delivery(operator, outbox, connection=connection, clock=clock)
    pump = OutboxPump(outbox, delivery, clock=clock)
    orders = OrderService(operator, outbox, delivery, pump, salon=settings.salon.id,
                          counter=settings.salon.counter, connection=connection, clock=clock,
                          identity=IDENTIFIED)
    return orders, pump


def fetched(minutes_ago: int) -> datetime:
    return NOW - timedelta(minutes=minutes_ago)
