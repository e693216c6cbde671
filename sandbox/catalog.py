"""The operator's product catalog (TMF620-like): tariffs of every class and services.

Plain constants. Prices are integer kopecks so that billing sums are exact; the wire turns them
into decimal strings.

R4, charges by the subscriber's tariff plan: the catalog's one-off fees are list prices, and the
tariff the subscriber is on says what share of them it charges (`switch_fee_percent` of the
target tariff's `one_off_kop` for a switch away from it, `connection_fee_percent` of a service's
`one_off_kop` for connecting one), rounded down to whole kopecks: VIP tariffs switch and connect
for free, «Смарт Плюс» connects services at half price, leaving the archived «Классический» is
free. Monthly fees are charged on the 1st of every month (see `usage.generate_day`).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta

MASS = "mass"
CORPORATE = "corporate"
VIP = "vip"
TARIFF_CLASSES: tuple[str, ...] = (MASS, CORPORATE, VIP)

ASSISTANT = "ASSISTANT"


@dataclass(frozen=True)
class Tariff:
    code: str
    name: str
    tariff_class: str  # mass | corporate | vip
    one_off_kop: int  # what switching to this tariff costs
    monthly_kop: int
    minute_kop: int  # an outgoing minute beyond the package (incoming calls are free)
    sms_kop: int  # an outgoing SMS beyond the package
    mb_kop: int  # a megabyte beyond the package
    package_minutes: int  # per calendar month; 0 = no package
    package_sms: int
    package_mb: int
    available: bool
    description: str
    switch_fee_percent: int = 100  # share of the target's one_off_kop a switch away costs
    connection_fee_percent: int = 100  # share of a service's one_off_kop a connection costs


@dataclass(frozen=True)
class Service:
    code: str
    name: str
    one_off_kop: int
    monthly_kop: int
    allowed_classes: tuple[str, ...]
    # R5: trial operation, both days inclusive, counted from the day the world was drawn
    # (negative: before it), so the demo world's trial does not age with the calendar.
    trial_days: tuple[int, int] | None
    available: bool
    description: str


TARIFFS: tuple[Tariff, ...] = (
    Tariff("BASIC", "Базовый", MASS, 0, 0, 250, 200, 990, 0, 0, 0, True,
           "Без абонентской платы: оплата только за минуты, SMS и мегабайты."),
    Tariff("SMART", "Смарт", MASS, 0, 45000, 200, 195, 15, 500, 500, 15 * 1024, True,
           "500 минут, 500 SMS и 15 ГБ интернета в месяц."),
    Tariff("SMART_PLUS", "Смарт Плюс", MASS, 10000, 75000, 200, 195, 15, 1000, 1000, 30 * 1024,
           True, "1000 минут, 1000 SMS и 30 ГБ интернета в месяц. Подключение услуг — "
           "за полцены.", connection_fee_percent=50),
    Tariff("ONLINE", "Мой Онлайн", MASS, 5000, 55000, 220, 195, 10, 400, 100, 50 * 1024, True,
           "50 ГБ интернета для соцсетей и видео, 400 минут и 100 SMS в месяц. Смена тарифа — "
           "за полцены.", switch_fee_percent=50),
    Tariff("CLASSIC", "Классический", MASS, 0, 0, 180, 180, 500, 0, 0, 0, False,
           "Архивный тариф: посекундная тарификация без абонентской платы. "
           "Перейти на него больше нельзя, уйти с него — бесплатно.", switch_fee_percent=0),
    Tariff("BIZ_START", "Бизнес Старт", CORPORATE, 30000, 60000, 150, 150, 10, 800, 300,
           10 * 1024, True, "Для сотрудников компаний: 800 минут, 300 SMS и 10 ГБ в месяц."),
    Tariff("BIZ_MAX", "Бизнес Максимум", CORPORATE, 50000, 150000, 120, 120, 5, 3000, 1000,
           40 * 1024, True, "Для руководителей: 3000 минут, 1000 SMS и 40 ГБ в месяц. "
           "Подключение услуг бесплатно.", connection_fee_percent=0),
    Tariff("PREMIUM", "Премиум", VIP, 0, 300000, 100, 100, 5, 5000, 2000, 100 * 1024, True,
           "VIP: 5000 минут, 2000 SMS, 100 ГБ и персональный менеджер. Смена тарифа и "
           "подключение услуг бесплатно.", switch_fee_percent=0, connection_fee_percent=0),
    Tariff("PLATINUM", "Платинум", VIP, 100000, 550000, 90, 90, 3, 10000, 5000, 200 * 1024, True,
           "VIP: почти безлимитная связь, приоритетное обслуживание в салонах. Смена тарифа "
           "и подключение услуг бесплатно.", switch_fee_percent=0, connection_fee_percent=0),
)

_ALL = (MASS, CORPORATE, VIP)

SERVICES: tuple[Service, ...] = (
    Service(ASSISTANT, "Электронный Помощник", 0, 0, (MASS,),
            (-11, 19), True,
            "Самообслуживание в платёжных терминалах: услуги, смена тарифа, баланс. "
            "Подключение бесплатное, абонентской платы нет. Не предоставляется на "
            "корпоративных и VIP тарифах. Работает в режиме тестовой эксплуатации."),
    Service("GUARD", "Антивирус", 0, 9900, _ALL, None, True,
            "Защита смартфона от вирусов и мошеннических сайтов."),
    Service("WHO_CALLED", "Кто звонил", 0, 4500, _ALL, None, True,
            "SMS о пропущенных вызовах, пока телефон был выключен или вне сети."),
    Service("ANTI_AON", "АнтиАОН", 3000, 6000, (MASS, CORPORATE), None, True,
            "Скрывает ваш номер от вызываемого абонента."),
    Service("BEEP", "Гудок", 0, 6500, (MASS,), None, True,
            "Мелодия вместо обычного гудка для тех, кто вам звонит."),
    Service("MOBILE_TV", "Мобильное ТВ", 0, 19900, (MASS, VIP), None, True,
            "Более 100 телеканалов на смартфоне."),
    Service("FAVOURITE", "Любимый номер", 2500, 5000, (MASS,), None, True,
            "Звонки на один выбранный номер со скидкой 50%."),
    Service("CONFERENCE", "Конференц-связь", 0, 15000, (CORPORATE, VIP), None, True,
            "Разговор с участием до 6 абонентов."),
    Service("ROAMING_PLUS", "Роуминг без границ", 0, 29900, _ALL, None, True,
            "Звонки и интернет в поездках по России по домашним ценам."),
    Service("PERSONAL_MANAGER", "Персональный менеджер", 0, 0, (VIP,), None, True,
            "Выделенная линия поддержки для VIP-абонентов."),
    Service("SMS_INFO", "SMS-информирование", 0, 3000, _ALL, None, False,
            "Архивная услуга: новости и погода по SMS. Подключение закрыто."),
)

TARIFFS_BY_CODE: dict[str, Tariff] = {tariff.code: tariff for tariff in TARIFFS}
SERVICES_BY_CODE: dict[str, Service] = {service.code: service for service in SERVICES}


def trial_dates(service: Service, reference: int) -> tuple[date, date] | None:
    """R5: the service's trial operation as calendar dates, in a world drawn at `reference`
    (a UTC midnight)."""
    if service.trial_days is None:
        return None
    drawn = datetime.fromtimestamp(reference, UTC).date()
    first, last = service.trial_days
    return drawn + timedelta(days=first), drawn + timedelta(days=last)


def switch_fee_kop(current: Tariff, target: Tariff) -> int:
    """R4: what switching from `current` to `target` costs (the current plan sets the share)."""
    return target.one_off_kop * current.switch_fee_percent // 100


def connection_fee_kop(tariff: Tariff, service: Service) -> int:
    """R4: what connecting `service` costs on `tariff` (the Assistant is free: R1)."""
    return service.one_off_kop * tariff.connection_fee_percent // 100
