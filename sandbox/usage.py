"""Usage records (TMF635-like), generated on the fly, one local day at a time.

The records of a day are a pure function of (seed, subscriber history, day, opening balance):
the day's random numbers come from `random.Random(blake2b(seed, msisdn, day))`, so the same query
always returns the same rows and nothing has to be stored. Only the top-up needs the opening
balance (people pay when the balance runs low), and that comes from the ledger's cached day sums.

A record is a plain tuple (see `Rec`), because a heavy subscriber has ~3,700 of them a day and the
balance cache must generate months of them in a couple of seconds; the API turns them into JSON.
"""

from __future__ import annotations

import hashlib
import math
import random
from dataclasses import dataclass
from datetime import date

from sandbox.catalog import SERVICES_BY_CODE, TARIFFS_BY_CODE, Tariff
from sandbox.entities import Activity, SubscriberState
from sandbox.localtime import day_of, day_start
from sandbox.regions import REGIONS_BY_CODE

CALL, SMS, DATA, FEE, TOPUP = "call", "sms", "data", "fee", "topup"
OUT, IN = "out", "in"
INTERNET = "internet"
PAYMENT = "payment"

# (started_at, type, direction, counterpart, duration_s, volume_kb, amount_kop, covered_by)
Rec = tuple[int, str, str | None, str, int | None, int | None, int, str | None]
TS, TYPE, AMOUNT, COVERED = 0, 1, 6, 7

# How activity spreads over the local day: relative weights of the 24 hours.
_HOUR_WEIGHTS = (0.5, 0.3, 0.2, 0.15, 0.15, 0.3, 0.8, 1.8, 3.5, 5.0, 6.0, 6.5,
                 6.5, 6.5, 6.5, 6.5, 6.5, 7.0, 7.0, 6.5, 5.5, 4.5, 3.0, 1.5)
_QN = 4096


def _quantiles() -> tuple[float, ...]:
    """Second of the day at each of _QN + 1 evenly spaced quantiles of the hour weights, so a
    uniform random number maps to a time of day with one lookup and a linear interpolation."""
    total = sum(_HOUR_WEIGHTS)
    table: list[float] = []
    hour, below = 0, 0.0
    for i in range(_QN + 1):
        q = total * i / _QN
        while hour < 23 and below + _HOUR_WEIGHTS[hour] <= q:
            below += _HOUR_WEIGHTS[hour]
            hour += 1
        table.append(min(86399.0, 3600 * (hour + (q - below) / _HOUR_WEIGHTS[hour])))
    return tuple(table)


_QT = _quantiles()


@dataclass(frozen=True)
class DayRecords:
    day: int  # local date ordinal
    label: str  # YYYYMMDD, for record ids
    start: int  # UTC bounds of the local day
    end: int
    records: list[Rec]  # by started_at; a record's sequence number is its index + 1
    times: list[int]  # started_at of each record, for bisect
    net_kop: int  # top-ups − charges over the whole day
    covered_min: int  # package use over the whole day
    covered_sms: int
    covered_kb: int


def day_rng(seed: int, msisdn: str, day: int) -> random.Random:
    digest = hashlib.blake2b(f"{seed}:{msisdn}:{day}".encode(), digest_size=16).digest()
    return random.Random(int.from_bytes(digest, "big"))


def daily_allotment(total: int, day: int) -> int:
    """A package is shared out evenly over the days of the month (integer parts summing to the
    total), so a day's coverage depends on that day alone and the records stay a pure function."""
    d = date.fromordinal(day)
    nxt = date(d.year + d.month // 12, d.month % 12 + 1, 1)
    dim = (nxt - d.replace(day=1)).days
    return total * d.day // dim - total * (d.day - 1) // dim


def needs_opening(state: SubscriberState, day: int, timezone: str) -> bool:
    """Whether the records of `day` depend on the balance at its start (a top-up day)."""
    act = state.activity
    first = _activation_day(state, timezone)
    if day <= first or (day - first) % act.topup_every_days != act.topup_phase:
        return False
    start = day_start(timezone, day)
    stop = _first_of(state.topups_stop_at, state.blocked_at)
    return stop is None or stop > start


def _first_of(*instants: int | None) -> int | None:
    present = [i for i in instants if i is not None]
    return min(present) if present else None


def _activation_day(state: SubscriberState, timezone: str) -> int:
    return day_of(timezone, state.activated_at)


def _count(rnd: random.Random, mean: float, jitter: float) -> int:
    return int(mean * (1.0 - jitter + 2.0 * jitter * rnd.random()) + 0.5)


def _activity(rng: random.Random, act: Activity, scale: float) -> list[tuple]:
    """The day's calls, SMS and data sessions: (second of day, type, direction, counterpart,
    duration_s, volume_kb), unsorted. Hot path: locals only, one draw per field."""
    rnd = rng.random
    log = math.log
    qt, qn = _QT, _QN
    contacts = act.contacts
    nc = len(contacts)
    out_share = act.out_share
    acts: list[tuple] = []
    append = acts.append
    n_calls = _count(rng, act.calls_per_day * scale, act.jitter)
    n_sms = _count(rng, act.sms_per_day * scale, act.jitter)
    n_data = _count(rng, act.data_per_day * scale, act.jitter)
    call_mean = act.call_mean_s
    for _ in range(n_calls):
        x = rnd() * qn
        i = int(x)
        t = int(qt[i] + (x - i) * (qt[i + 1] - qt[i]))
        direction = OUT if rnd() < out_share else IN
        duration = 3 + int(-call_mean * log(1.0 - rnd()))
        r = rnd()
        append((t, CALL, direction, contacts[int(nc * r * r)], duration, None))
    for _ in range(n_sms):
        x = rnd() * qn
        i = int(x)
        t = int(qt[i] + (x - i) * (qt[i + 1] - qt[i]))
        direction = OUT if rnd() < out_share else IN
        r = rnd()
        append((t, SMS, direction, contacts[int(nc * r * r)], None, None))
    data_mean = act.data_mean_kb
    for _ in range(n_data):
        x = rnd() * qn
        i = int(x)
        t = int(qt[i] + (x - i) * (qt[i + 1] - qt[i]))
        append((t, DATA, None, INTERNET, None, 1 + int(-data_mean * log(1.0 - rnd()))))
    return acts


def _price(acts: list[tuple], start: int, tariff: Tariff, day: int,
           switches: tuple[tuple[int, Tariff], ...] = ()) -> tuple[list[Rec], int, int, int, int]:
    """Charge the sorted activity by the tariff; packages cover usage up to the day's allotment
    (R6: covered usage has amount 0 and says which package paid for it).

    `switches` are tariff changes within the day, (second of the day, new tariff), in order:
    from such a second on, usage beyond the packages is charged at the new tariff's prices. The
    day's package allotment stays the one of the tariff in force at the day's start (packages
    change with the next local midnight)."""
    allot_min = daily_allotment(tariff.package_minutes, day)
    allot_sms = daily_allotment(tariff.package_sms, day)
    allot_kb = daily_allotment(tariff.package_mb * 1024, day)
    minute_kop, sms_kop, mb_kop = tariff.minute_kop, tariff.sms_kop, tariff.mb_kop
    pending = list(switches)
    next_switch = pending[0][0] if pending else 1 << 62
    cov_min = cov_sms = cov_kb = 0
    charged = 0
    out: list[Rec] = []
    append = out.append
    for t, kind, direction, counterpart, duration, volume in acts:
        while t >= next_switch:
            new = pending.pop(0)[1]
            minute_kop, sms_kop, mb_kop = new.minute_kop, new.sms_kop, new.mb_kop
            next_switch = pending[0][0] if pending else 1 << 62
        amount, covered = 0, None
        if kind == CALL:
            if direction == OUT:
                minutes = (duration + 59) // 60
                if cov_min + minutes <= allot_min:
                    cov_min += minutes
                    covered = "minutes"
                else:
                    amount = minutes * minute_kop
        elif kind == SMS:
            if direction == OUT:
                if cov_sms < allot_sms:
                    cov_sms += 1
                    covered = "sms"
                else:
                    amount = sms_kop
        elif cov_kb + volume <= allot_kb:
            cov_kb += volume
            covered = "data"
        else:
            amount = (volume * mb_kop + 1023) // 1024
        charged += amount
        append((start + t, kind, direction, counterpart, duration, volume, amount, covered))
    return out, charged, cov_min, cov_sms, cov_kb


def _scale(act: Activity, day: int) -> float:
    return act.weekend_factor if date.fromordinal(day).weekday() >= 5 else 1.0


def generate_day(seed: int, state: SubscriberState, day: int,
                 opening_kop: int | None) -> DayRecords:
    """All records of one local day (including those the sandbox clock has not reached yet;
    callers cut at "now"). `opening_kop` is the main balance at the day's start; it is required
    when `needs_opening` says so, and ignored otherwise."""
    timezone = REGIONS_BY_CODE[state.region_code].timezone
    start, end = day_start(timezone, day), day_start(timezone, day + 1)
    label = date.fromordinal(day).strftime("%Y%m%d")
    lo = max(start, state.activated_at)
    hi = min(end, state.blocked_at) if state.blocked_at is not None else end
    if lo >= hi:
        return DayRecords(day, label, start, end, [], [], 0, 0, 0, 0)
    rng = day_rng(seed, state.msisdn, day)
    topup_second = 9 * 3600 + int(rng.random() * 12 * 3600)  # drawn first: fixed stream layout
    acts = _activity(rng, state.activity, _scale(state.activity, day))
    if lo > start or hi < end:
        acts = [a for a in acts if lo <= start + a[0] < hi]
    acts.sort(key=_first)
    tariff = TARIFFS_BY_CODE[state.tariff_code_at(start)]
    usage, charged, cov_min, cov_sms, cov_kb = _price(acts, start, tariff, day,
                                                      _switches(state, start, end))
    credits = 0
    records: list[Rec] = []
    if date.fromordinal(day).day == 1 or lo == state.activated_at:
        fee_at = lo  # local midnight of the 1st, or the moment of activation
        if tariff.monthly_kop:
            records.append((fee_at, FEE, None, f"Тариф «{tariff.name}»", None, None,
                            tariff.monthly_kop, None))
            charged += tariff.monthly_kop
        if lo == start:  # services start paying monthly from the 1st after connection
            for period in state.services_at(start):
                service = SERVICES_BY_CODE[period.service_code]
                if service.monthly_kop:
                    records.append((fee_at, FEE, None, service.name, None, None,
                                    service.monthly_kop, None))
                    charged += service.monthly_kop
    records.extend(usage)
    if needs_opening(state, day, timezone):
        if opening_kop is None:
            raise ValueError(f"day {label} of {state.msisdn} needs its opening balance")
        act = state.activity
        want = act.topup_target_kop - opening_kop
        amount = max(act.topup_min_kop, -(-want // 10000) * 10000)  # whole hundreds of roubles
        at = start + topup_second
        if lo <= at < hi:
            records.append((at, TOPUP, None, PAYMENT, None, None, amount, None))
            credits += amount
    for event in state.events:
        if lo <= event.at < hi:
            records.append((event.at, event.type, None, event.counterpart, None, None,
                            event.amount_kop, None))
            if event.type == TOPUP:
                credits += event.amount_kop
            else:
                charged += event.amount_kop
    records.sort(key=_first)  # stable: at equal seconds fees come first, one-off events last
    return DayRecords(day, label, start, end, records, [r[0] for r in records],
                      credits - charged, cov_min, cov_sms, cov_kb)


def _switches(state: SubscriberState, start: int, end: int) -> tuple[tuple[int, Tariff], ...]:
    """Tariff changes (orders) inside the local day [start, end): a change takes effect for
    prices at its instant, so the records before it keep theirs (records the clock has passed
    never change)."""
    return tuple((p.start_at - start, TARIFFS_BY_CODE[p.tariff_code]) for p in state.tariffs
                 if start < p.start_at < end and p is not state.tariffs[0])


def _first(item: tuple) -> int:
    return item[0]


def signed_amount(rec: Rec) -> int:
    """The record's effect on the main balance."""
    return rec[6] if rec[1] == TOPUP else -rec[6]


def estimate_daily_spend(seed: int, state: SubscriberState, sample_days: range) -> int:
    """Average charges of a day (usage plus monthly fees spread over 30 days), from a sample of
    generated days; the world uses it to size the subscriber's payments."""
    tariff = TARIFFS_BY_CODE[state.tariffs[-1].tariff_code]
    total = 0
    for day in sample_days:
        rng = day_rng(seed, state.msisdn, day)
        rng.random()
        acts = sorted(_activity(rng, state.activity, _scale(state.activity, day)), key=_first)
        total += _price(acts, 0, tariff, day)[1]
    monthly = tariff.monthly_kop + sum(SERVICES_BY_CODE[s.service_code].monthly_kop
                                       for s in state.services)
    return total // max(1, len(sample_days)) + monthly // 30
