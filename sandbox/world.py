"""The demo world: subscribers drawn deterministically from an integer seed.

`generate_world(seed, reference)` is a pure function: the same seed and reference give an
identical world, so training sessions and tests can rely on it. `reference` is the UTC midnight
of the day the world was drawn (the sandbox's clock when its database was created, kept in it):
histories end before it and usage after it is generated on the fly, so a new world is always
current — activations, the Assistant's trial, a promised payment still due, the heavy
subscriber's full months — whatever the date.

Fixed showcase numbers (tests and docs rely on them) are listed in `SHOWCASE`.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, replace

from sandbox.catalog import (
    ASSISTANT,
    CORPORATE,
    MASS,
    SERVICES,
    SERVICES_BY_CODE,
    TARIFFS,
    TARIFFS_BY_CODE,
    VIP,
    Tariff,
    connection_fee_kop,
    switch_fee_kop,
)
from sandbox.entities import (
    ACTIVE,
    BLOCKED,
    Activity,
    LedgerEvent,
    PromisedPayment,
    ServicePeriod,
    SubscriberState,
    TariffPeriod,
)
from sandbox.localtime import day_of, day_start
from sandbox.names import full_name
from sandbox.regions import REGIONS, REGIONS_BY_CODE
from sandbox.usage import TOPUP, estimate_daily_spend

DEFAULT_SEED = 2026
WORLD_SIZE = 260
ASSISTANT_LAUNCH_DAYS = -11  # R5: the Assistant's trial began 11 days before the world was drawn
PROMISED_PAYMENT = "promised_payment"  # counterpart of a promised payment's credit
DAY = 86400


@dataclass(frozen=True)
class Showcase:
    msisdn: str
    name: str
    region_code: str
    tariff_code: str
    status: str = ACTIVE
    assistant: bool = False
    debt: bool = False
    heavy: bool = False
    activated_days: int | None = None  # days before the world was drawn; None: drawn
    services: tuple[str, ...] = ()  # connected for sure (others may be drawn too)


SHOWCASE: tuple[Showcase, ...] = (
    Showcase("+79161234567", "Иванова Мария Петровна", "RU-MOW", "SMART", assistant=True,
             services=("GUARD",)),
    Showcase("+79261112233", "Орлов Дмитрий Сергеевич", "RU-MOW", "BIZ_START"),
    Showcase("+79031234500", "Воронцова Елена Александровна", "RU-MOW", "PREMIUM"),
    Showcase("+79119876543", "Смирнов Алексей Викторович", "RU-SPE", "SMART", debt=True),
    Showcase("+79171234567", "Хабибуллин Рустам Ильдарович", "RU-BA", "BASIC", status=BLOCKED),
    Showcase("+79121234567", "Попова Ольга Николаевна", "RU-KO", "SMART"),
    Showcase("+79181234567", "Ткаченко Андрей Павлович", "RU-KDA", "ONLINE"),
    # The heavy subscriber: ≥100,000 records in every full calendar month (a taxi dispatcher).
    # Activated ~4 months before the world was drawn, so the first balance (which sums every
    # day since activation) stays within a couple of seconds.
    Showcase("+79160000100", "Кузнецов Игорь Олегович", "RU-MOW", "SMART_PLUS", heavy=True,
             activated_days=120),
)
SHOWCASE_NUMBERS = frozenset(s.msisdn for s in SHOWCASE)
HEAVY_MSISDN = "+79160000100"


@dataclass(frozen=True)
class World:
    seed: int
    reference: int  # the UTC midnight the world was drawn at
    subscribers: tuple[SubscriberState, ...]


def world_reference(now: int) -> int:
    """The reference of a world drawn at `now`: that day's UTC midnight."""
    return now - now % DAY


def generate_world(seed: int, reference: int) -> World:
    if reference % DAY:
        raise ValueError("a world's reference is a UTC midnight (world_reference)")
    rng = random.Random(seed)
    subscribers = [_showcase(rng, seed, reference, s) for s in SHOWCASE]
    taken = set(SHOWCASE_NUMBERS)
    weights = [region.weight for region in REGIONS]
    while len(subscribers) < WORLD_SIZE:
        region = rng.choices(REGIONS, weights)[0]
        msisdn = _number(rng, region.def_codes)
        if msisdn in taken:
            continue
        taken.add(msisdn)
        tariff_class = rng.choices((MASS, CORPORATE, VIP), (75, 15, 10))[0]
        status = BLOCKED if rng.random() < 0.07 else ACTIVE
        age_days = rng.randint(90 if status == BLOCKED else 20, 730)
        tariff_code = _pick_tariff(rng, tariff_class, age_days)
        turkic = region.code in ("RU-BA", "RU-TA") and rng.random() < 0.6
        subscribers.append(_draw(
            rng, seed, reference, msisdn, full_name(rng, turkic), region.code, tariff_code,
            status, reference - age_days * DAY,
            assistant=tariff_class == MASS and status == ACTIVE and rng.random() < 0.3,
            debt=status == ACTIVE and rng.random() < 0.06, heavy=False))
    return World(seed, reference, tuple(subscribers))


def _showcase(rng: random.Random, seed: int, reference: int, s: Showcase) -> SubscriberState:
    if s.activated_days is not None:
        activated = reference - s.activated_days * DAY
    else:
        activated = reference - rng.randint(200, 700) * DAY
    return _draw(rng, seed, reference, s.msisdn, s.name, s.region_code, s.tariff_code, s.status,
                 activated, s.assistant, s.debt, s.heavy, showcase=s)


def _number(rng: random.Random, def_codes: tuple[str, ...]) -> str:
    return f"+7{rng.choice(def_codes)}{rng.randrange(10**7):07d}"


def _pick_tariff(rng: random.Random, tariff_class: str, age_days: int) -> str:
    candidates = [t for t in TARIFFS if t.tariff_class == tariff_class
                  and (t.available or age_days > 365)]  # archived tariffs: only old-timers
    return rng.choice(candidates).code


def _local_day_time(rng: random.Random, timezone: str, instant: int, lo_h: int, hi_h: int) -> int:
    """An instant during local daytime hours of the day that contains `instant`."""
    start = day_start(timezone, day_of(timezone, instant))
    return start + rng.randint(lo_h * 3600, hi_h * 3600 - 1)


def _draw(rng: random.Random, seed: int, reference: int, msisdn: str, name: str,
          region_code: str,
          tariff_code: str, status: str, activated_near: int, assistant: bool, debt: bool,
          heavy: bool, showcase: Showcase | None = None) -> SubscriberState:
    timezone = REGIONS_BY_CODE[region_code].timezone
    tariff = TARIFFS_BY_CODE[tariff_code]
    activated = _local_day_time(rng, timezone, activated_near, 10, 19)
    blocked_at = topups_stop_at = None
    if status == BLOCKED:  # blocked for non-payment: stopped paying a few weeks before
        age_days = (reference - activated) // DAY
        blocked_near = reference - rng.randint(3, min(150, age_days - 40)) * DAY
        blocked_at = _local_day_time(rng, timezone, blocked_near, 0, 6)
        topups_stop_at = blocked_at - rng.randint(20, 35) * DAY
    until = blocked_at if blocked_at is not None else reference  # the history ends here
    events: list[LedgerEvent] = []
    tariffs = _tariff_history(rng, timezone, tariff_code, activated, until, events)
    services = _services(rng, timezone, reference, tariffs, activated, until, assistant,
                         showcase.services if showcase else (), events)
    promised: list[PromisedPayment] = []
    if debt:
        promised.append(_promised(rng, timezone, reference, showcase is not None, events))
    events.sort(key=lambda e: e.at)
    state = SubscriberState(
        msisdn=msisdn, name=name, region_code=region_code, status=status,
        activated_at=activated, blocked_at=blocked_at, topups_stop_at=topups_stop_at,
        anchor_kop=0, bonus_kop=0 if rng.random() < 0.4 else rng.randint(1, 150) * 1000,
        heavy=heavy, version=len(tariffs) + len(services),
        activity=_activity(rng, tariff.tariff_class, tariff_code, heavy),
        tariffs=tuple(tariffs), services=tuple(services), events=tuple(events),
        promised=tuple(promised))
    # Size the payments to what this subscriber spends: a payment every week or two brings the
    # balance up to a comfortable level; a few careless people run into the red before paying.
    act = state.activity
    sample_end = day_of(timezone, reference)
    spend = estimate_daily_spend(seed, state, range(sample_end - 7, sample_end))
    margin = 0.6 if rng.random() < 0.06 else rng.uniform(1.2, 2.0)
    extra = rng.randint(100, 500) * 100
    anchor = _hundreds(spend * act.topup_every_days * rng.uniform(0.8, 1.5)) + 10000
    if showcase is not None and status == ACTIVE and not debt and not heavy:
        # A number the README gives to practise on has money for a change at any moment,
        # the 1st of a month too, when the monthly fees go: never careless, and a cushion of
        # three months' fees (the same draws are made, so the rest of the world is unchanged).
        margin = max(margin, 1.5)
        cushion = 3 * monthly_cost(state, reference)
        extra, anchor = extra + cushion, anchor + cushion
    target = _hundreds(spend * act.topup_every_days * margin + extra)
    return replace(state, anchor_kop=anchor, activity=replace(act, topup_target_kop=target))


def monthly_cost(state: SubscriberState, at: int) -> int:
    """What the tariff and the connected services cost a month at `at`, kopecks."""
    tariff = TARIFFS_BY_CODE[state.tariff_code_at(at)]
    return tariff.monthly_kop + sum(SERVICES_BY_CODE[p.service_code].monthly_kop
                                    for p in state.services_at(at))


def _hundreds(kop: float) -> int:
    """Round up to whole hundreds of roubles, as people pay."""
    return max(10000, -(-int(kop) // 10000) * 10000)


def _tariff_history(rng: random.Random, timezone: str, tariff_code: str, activated: int,
                    until: int, events: list[LedgerEvent]) -> list[TariffPeriod]:
    """Some old-timers switched once; a switch takes effect at a local midnight."""
    periods = [TariffPeriod(activated, tariff_code)]
    age_days = (until - activated) // DAY
    current = TARIFFS_BY_CODE[tariff_code]
    if age_days > 90 and rng.random() < 0.2:
        earlier = [t for t in TARIFFS if t.tariff_class == current.tariff_class
                   and t.code != tariff_code]
        previous = rng.choice(earlier)
        switch = day_start(timezone, day_of(timezone, activated + rng.randint(30, age_days - 10)
                                            * DAY))
        periods = [TariffPeriod(activated, previous.code), TariffPeriod(switch, tariff_code)]
        fee = switch_fee_kop(previous, current)  # R4: the plan switched from sets the share
        if fee:
            events.append(LedgerEvent(switch, "fee", f"Смена тарифа: «{current.name}»", fee))
    return periods


def _services(rng: random.Random, timezone: str, reference: int, tariffs: list[TariffPeriod],
              activated: int, until: int, assistant: bool, forced: tuple[str, ...],
              events: list[LedgerEvent]) -> list[ServicePeriod]:
    def tariff_at(instant: int) -> Tariff:
        return TARIFFS_BY_CODE[[p for p in tariffs if p.start_at <= instant][-1].tariff_code]

    tariff_class = tariff_at(until).tariff_class  # history switches stay within the class
    choices = [s for s in SERVICES if tariff_class in s.allowed_classes and s.code != ASSISTANT
               and s.code != "PERSONAL_MANAGER" and s.available and s.code not in forced]
    picked = [SERVICES_BY_CODE[code] for code in forced]
    picked += rng.sample(choices, rng.choice((0, 0, 1, 1, 1, 2, 2, 3)))
    if tariff_class == VIP:
        picked.append(SERVICES_BY_CODE["PERSONAL_MANAGER"])
    periods: list[ServicePeriod] = []
    for service in picked:
        at = _local_day_time(rng, timezone, rng.randint(activated + DAY, until - DAY), 9, 21)
        periods.append(ServicePeriod(service.code, at))
        fee = connection_fee_kop(tariff_at(at), service)  # R4: by the plan at the time
        if fee:
            events.append(LedgerEvent(at, "fee", f"Подключение: {service.name}", fee))
    if assistant:  # R1: only mass-class subscribers get here; R5: connected during the trial
        launch = reference + ASSISTANT_LAUNCH_DAYS * DAY
        lo = max(launch, activated + DAY)
        at = _local_day_time(rng, timezone, rng.randint(lo, max(lo, reference - DAY)), 9, 21)
        periods.append(ServicePeriod(ASSISTANT, at))
    periods.sort(key=lambda p: p.connected_at)
    return periods


def _promised(rng: random.Random, timezone: str, reference: int, fixed: bool,
              events: list[LedgerEvent]) -> PromisedPayment:
    """A promised payment: credited to the main balance now, owed back within a week."""
    taken = _local_day_time(rng, timezone, reference - rng.randint(1, 5) * DAY, 8, 22)
    if fixed:  # the showcase debt is still due for a while after the world was drawn
        taken = _local_day_time(rng, timezone, reference - 2 * DAY, 12, 13)
    due = day_start(timezone, day_of(timezone, taken) + 8)  # the end of the 7th day after
    amount = rng.randint(1, 6) * 5000
    events.append(LedgerEvent(taken, TOPUP, PROMISED_PAYMENT, amount))
    return PromisedPayment(amount, taken, due)


def _activity(rng: random.Random, tariff_class: str, tariff_code: str, heavy: bool) -> Activity:
    region_codes = tuple(code for region in REGIONS for code in region.def_codes)
    contacts = tuple(_number(rng, region_codes) for _ in range(300 if heavy else
                                                              rng.randint(6, 40)))
    every = rng.choice((7, 14))
    phase = rng.randrange(every)
    minimum = 50000 if tariff_class == VIP else 10000
    # calls/day, outgoing share, call mean s, SMS/day, data sessions/day, session mean KB,
    # jitter, weekend factor
    usage: tuple[float, float, int, float, float, int, float, float]
    if heavy:
        # ≥ 3,724 records a day: × 28 days ≥ 100,000 even in February.
        usage = (1500, 0.3, 40, 800, 1500, 300, 0.02, 1.0)
    else:
        tariff = TARIFFS_BY_CODE[tariff_code]
        calls = {MASS: (2, 12), CORPORATE: (8, 25), VIP: (5, 20)}[tariff_class]
        # Without a data package people go online rarely and briefly (megabytes cost money).
        data = (5, 40, 1000, 20000) if tariff.package_mb else (0, 2, 50, 500)
        usage = (rng.uniform(*calls), rng.uniform(0.4, 0.65), rng.randint(40, 240),
                 rng.uniform(0.2, 4.0), rng.uniform(data[0], data[1]),
                 rng.randint(data[2], data[3]), 0.5, rng.uniform(0.6, 1.2))
    calls_n, out_share, call_mean, sms_n, data_n, data_kb, jitter, weekend = usage
    return Activity(calls_per_day=calls_n, out_share=out_share, call_mean_s=call_mean,
                    sms_per_day=sms_n, data_per_day=data_n, data_mean_kb=data_kb, jitter=jitter,
                    weekend_factor=weekend, contacts=contacts, topup_every_days=every,
                    topup_phase=phase, topup_target_kop=0, topup_min_kop=minimum)
