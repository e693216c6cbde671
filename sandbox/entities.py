"""The sandbox's own records of a subscriber: what the world generator draws, what the store
keeps, and what the usage generator reads. Plain frozen dataclasses, no I/O.

Instants are integer seconds since the Unix epoch (UTC): the usage generator compares millions of
them, and integers make that cheap and exact. Money is integer kopecks.

Everything that can change after the world is drawn (tariff, services, one-off charges, promised
payments) is kept as a history with start instants, so that later changes (orders) never alter
records the sandbox clock has already passed.
"""

from __future__ import annotations

from dataclasses import dataclass

ACTIVE = "active"
BLOCKED = "blocked"


@dataclass(frozen=True)
class Activity:
    """How a subscriber uses the phone; the usage generator turns it into records day by day."""

    calls_per_day: float
    out_share: float  # share of calls and SMS that are outgoing
    call_mean_s: int
    sms_per_day: float
    data_per_day: float
    data_mean_kb: int
    jitter: float  # day-to-day spread of the counts: n = mean × (1 ± jitter)
    weekend_factor: float  # Saturdays and Sundays scale the counts by this
    contacts: tuple[str, ...]  # the numbers this subscriber talks to, most frequent first
    topup_every_days: int  # a payment every week or two...
    topup_phase: int  # ...on the days where (day − activation day) % every == phase
    topup_target_kop: int  # a payment brings the main balance up to about this
    topup_min_kop: int


@dataclass(frozen=True)
class TariffPeriod:
    start_at: int  # a tariff applies to the local days that start at or after this instant
    tariff_code: str


@dataclass(frozen=True)
class ServicePeriod:
    service_code: str
    connected_at: int
    disconnected_at: int | None = None


@dataclass(frozen=True)
class LedgerEvent:
    """A one-off charge or credit: a connection or switch fee, a promised-payment credit."""

    at: int
    type: str  # fee | topup
    counterpart: str
    amount_kop: int  # >= 0; a topup credits it, a fee debits it


@dataclass(frozen=True)
class PromisedPayment:
    amount_kop: int
    taken_at: int
    due_at: int
    repaid_at: int | None = None


@dataclass(frozen=True)
class SubscriberState:
    msisdn: str
    name: str
    region_code: str
    status: str  # active | blocked
    activated_at: int
    blocked_at: int | None  # no usage, fees or payments from this instant on
    topups_stop_at: int | None  # the subscriber stopped paying (which is why they got blocked)
    anchor_kop: int  # the main balance at activation (the starter pack)
    bonus_kop: int
    heavy: bool
    version: int
    activity: Activity
    tariffs: tuple[TariffPeriod, ...]  # by start_at; the first starts at activation
    services: tuple[ServicePeriod, ...]  # by connected_at
    events: tuple[LedgerEvent, ...]  # by at
    promised: tuple[PromisedPayment, ...]  # by taken_at

    def tariff_code_at(self, instant: int) -> str:
        code = self.tariffs[0].tariff_code
        for period in self.tariffs:
            if period.start_at <= instant:
                code = period.tariff_code
        return code

    def services_at(self, instant: int) -> list[ServicePeriod]:
        return [
            period for period in self.services
            if period.connected_at <= instant
            and (period.disconnected_at is None or period.disconnected_at > instant)
        ]
