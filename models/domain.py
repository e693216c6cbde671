"""Domain objects the whole console shares: plain frozen dataclasses, no I/O.

Money is `Decimal` (never float); time is timezone-aware UTC; a phone number is E.164 text.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal
from enum import StrEnum
from typing import Literal

# A module of its own, light to import at launch; re-exported here with every other object.
from models.roles import ClerkRole as ClerkRole


class TariffClass(StrEnum):
    """R1: the Assistant and its access code exist only for the mass class."""

    MASS = "mass"
    CORPORATE = "corporate"
    VIP = "vip"


class SubscriberStatus(StrEnum):
    ACTIVE = "active"
    BLOCKED = "blocked"


class PackageKind(StrEnum):
    MINUTES = "minutes"
    SMS = "sms"
    DATA = "data"


class UsageKind(StrEnum):
    """R6: the types of line a detalization itemizes."""

    CALL = "call"
    SMS = "sms"
    DATA = "data"
    FEE = "fee"
    TOPUP = "topup"


@dataclass(frozen=True)
class Money:
    amount: Decimal
    currency: str = "RUB"

    def __post_init__(self) -> None:
        if not isinstance(self.amount, Decimal):
            raise TypeError("Money.amount must be a Decimal")


@dataclass(frozen=True)
class Region:
    code: str  # ISO 3166-2, e.g. "RU-MOW"
    name: str  # as the operator names it (Russian)
    name_en: str
    timezone: str  # IANA, e.g. "Europe/Moscow"


@dataclass(frozen=True)
class TariffRef:
    code: str
    name: str
    tariff_class: TariffClass
    monthly_fee: Money


@dataclass(frozen=True)
class ServiceRef:
    code: str
    name: str


@dataclass(frozen=True)
class Subscriber:
    msisdn: str
    name: str
    status: SubscriberStatus
    region: Region
    tariff: TariffRef
    services: tuple[ServiceRef, ...]
    assistant_connected: bool
    version: int  # sent back as If-Match on writes
    activated_at: datetime | None = None  # UTC; None when the operator does not say


@dataclass(frozen=True)
class PackageRemainder:
    kind: PackageKind
    remaining: Decimal
    total: Decimal
    unit: str  # "min", "sms", "MB"
    expires_at: datetime | None


@dataclass(frozen=True)
class Balances:
    main: Money
    bonus: Money
    promised_payment_debt: Money
    promised_payment_due: datetime | None
    packages: tuple[PackageRemainder, ...] = field(default_factory=tuple)


CardSource = Literal["api", "cache"]


@dataclass(frozen=True)
class SubscriberCard:
    """What the clerk sees after a lookup; `source` says whether it is live or cached."""

    subscriber: Subscriber
    # None when withheld until the identity check (R10): `withheld` names it
    balances: Balances | None
    fetched_at: datetime
    source: CardSource = "api"
    # R10: the card's parts that wait for this visit's identity check ("services",
    # "balances", "code", "address" — models/identity.py Need): left out of this card
    # (services empty, balances None, the Assistant's state not said, no mailing address),
    # never merely hidden by a view.
    withheld: tuple[str, ...] = ()
    # 303-FZ: False when the operator has not confirmed the subscriber's data (only the
    # identity check is offered then); None when not known (a saved card, offline).
    verified: bool | None = None
    # The e-mail addresses the operator holds for the subscriber (TMF629), masked
    # (i***@mail.ru): the card's mailing address, after R10's `address`. None when not read
    # (withheld, a saved card offline, the operator did not say); () when it holds none.
    mailing: tuple[str, ...] | None = None

    def waits_for_identity(self, part: str) -> bool:
        return part in self.withheld


@dataclass(frozen=True)
class TrialPeriod:
    """R5: a service in trial operation between these dates (inclusive)."""

    start: date
    end: date


@dataclass(frozen=True)
class UnitPrices:
    """What usage beyond the packages costs on a tariff (incoming calls and SMS are free)."""

    minute: Money  # an outgoing minute (a call is rounded up to whole minutes)
    sms: Money  # an outgoing SMS
    mb: Money  # a megabyte (1024 KB; a session is charged per KB, rounded up to a kopeck)


@dataclass(frozen=True)
class PackageSizes:
    """A tariff's monthly packages; 0 = none."""

    minutes: int
    sms: int
    mb: int


@dataclass(frozen=True)
class CatalogTariff:
    code: str
    name: str
    tariff_class: TariffClass
    one_off_fee: Money  # charged for switching to it
    monthly_fee: Money
    available: bool
    # Per-unit prices and packages; None when the operator's catalog does not give them
    # (then the detalization has no tariff comparison).
    prices: UnitPrices | None = None
    packages: PackageSizes | None = None


@dataclass(frozen=True)
class CatalogService:
    code: str
    name: str
    one_off_fee: Money
    monthly_fee: Money
    allowed_classes: tuple[TariffClass, ...]
    trial: TrialPeriod | None
    available: bool


@dataclass(frozen=True)
class UsageRecord:
    id: str
    started_at: datetime
    kind: UsageKind
    direction: str | None  # "out" / "in" for calls and SMS
    counterpart: str
    duration_s: int | None
    volume_kb: int | None
    amount: Decimal  # always >= 0; a top-up credits it, every other kind debits it
    covered_by_package: PackageKind | None  # R6: shown as covered, not as a charge


@dataclass(frozen=True)
class DemoDocument:
    """A made-up identity document of the training world (what a trainee types at the check)."""

    type: str  # passportRF, foreignPassport, residencePermit
    number: str


@dataclass(frozen=True)
class DemoRepresentative:
    name: str
    document: DemoDocument


@dataclass(frozen=True)
class DemoSubscriber:
    """A row of the sandbox's demo world listing (training mode and tests). The document,
    representative and e-mail are the training world's made-up records, shown so a trainee
    can practise the identity check; a real operator has no such list."""

    msisdn: str
    name: str
    tariff_code: str
    tariff_class: TariffClass
    region_code: str
    status: SubscriberStatus
    assistant_connected: bool
    promised_payment_debt: bool
    heavy: bool
    document: DemoDocument | None = None
    unverified: bool = False  # 303-FZ: the operator has not confirmed the subscriber's data
    representative: DemoRepresentative | None = None
    email: str | None = None


@dataclass(frozen=True)
class Clerk:
    """A clerk account as anyone may see it (never the password hash)."""

    login: str  # lower-case, ^[a-z][a-z0-9._-]{1,31}$
    full_name: str
    role: ClerkRole
    active: bool
    created_at: datetime
    password_changed_at: datetime
    failed_attempts: int = 0  # consecutive wrong passwords since the last success or lock
    locked_until: datetime | None = None  # UTC; after too many wrong passwords

    @property
    def is_manager(self) -> bool:
        return self.role is ClerkRole.MANAGER


@dataclass(frozen=True)
class ClerkAccount:
    """A clerk with their argon2 password hash: what the store keeps, what sign-in checks."""

    clerk: Clerk
    password_hash: str = field(repr=False)


@dataclass(frozen=True)
class Session:
    """The signed-in clerk, handed to every service call made on a subscriber's behalf."""

    login: str
    full_name: str
    role: ClerkRole
    signed_in_at: datetime  # UTC

    @property
    def is_manager(self) -> bool:
        return self.role is ClerkRole.MANAGER
