"""The detalization (R6) as plain data, and how its cells read.

Built by app/services/detalization.py from the stored usage records and the operator's
balances; written by printing/detalization_*.py, which lay out every text of the document from
one formatted text (printing/detalization.py) and hash what they write (printing/canonical.py).
Money is Decimal, times are aware datetimes in the home region's zone (`DetalizationRow.at`) or
UTC (`created_at`, `start`, `end`).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sized
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal
from enum import StrEnum
from functools import lru_cache

from models.domain import PackageKind, PackageRemainder, UsageKind

ZERO = Decimal("0.00")
CENT = Decimal("0.01")
NBSP = "\u00a0"


class Category(StrEnum):
    """R6: the totals a detalization gives charges in."""

    CALLS = "calls"
    SMS = "sms"
    DATA = "data"
    FEES = "fees"  # monthly fees of the tariff and services, connection and switch fees
    OTHER = "other"  # any kind of charge the console does not know yet: never dropped


CATEGORY_OF = {UsageKind.CALL: Category.CALLS, UsageKind.SMS: Category.SMS,
               UsageKind.DATA: Category.DATA, UsageKind.FEE: Category.FEES}
CATEGORY_LABELS = {Category.CALLS: "Звонки", Category.SMS: "SMS", Category.DATA: "Интернет",
                   Category.FEES: "Услуги и абонентская плата", Category.OTHER: "Прочее"}
PROMISED_PAYMENT = "promised_payment"  # counterpart of a promised payment's credit


@dataclass(frozen=True, slots=True)
class DetalizationRow:
    at: datetime  # aware, in the home region's zone
    kind: UsageKind
    direction: str | None  # "out" / "in" for calls and SMS
    counterpart: str  # as shown: a formatted (or masked) number, a service, "payment"...
    duration_s: int | None
    volume_kb: int | None
    amount: Decimal  # >= 0; a top-up credits it, every other kind debits it
    covered: PackageKind | None  # R6: paid by a package: shown as such, not as a charge

    @property
    def category(self) -> Category | None:
        """The charge category; None for a top-up (a payment, not a charge)."""
        if self.kind is UsageKind.TOPUP:
            return None
        return CATEGORY_OF.get(self.kind, Category.OTHER)


@dataclass(frozen=True)
class Period:
    """Local calendar dates of the home region, both inclusive."""

    first: date
    last: date
    starts_at_activation: bool = False  # asked from earlier: begins on the activation day

    @property
    def days(self) -> int:
        return (self.last - self.first).days + 1

    def text(self) -> str:
        return f"{self.first:%d.%m.%Y} — {self.last:%d.%m.%Y}"


@dataclass(frozen=True)
class Options:
    """What a salon may choose about a detalization (issue point 5)."""

    mask_numbers: bool = False  # counterparts as +7 916 ***-**-67
    itemized: bool = True  # False: the summary only, no rows
    show_covered: bool = True  # False: rows a package paid for are left out (their sum is 0)


@dataclass(frozen=True)
class TariffEstimate:
    """What the period would have cost on a tariff, from the subscriber's actual usage
    (models/pricing.py): an estimate, not a bill."""

    code: str
    name: str
    monthly_fee: Decimal
    usage: Decimal  # calls, SMS and data beyond the tariff's packages
    monthly_fees: Decimal  # the tariff's monthly fee, prorated to the days of the period
    other_fees: Decimal  # services' fees and one-off fees as they were; never a switch fee
    current: bool

    @property
    def total(self) -> Decimal:
        return self.usage + self.monthly_fees + self.other_fees


@dataclass(frozen=True)
class TariffSpan:
    """Which tariff billed a stretch of the period, as the records show it: a switch fee
    (`Смена тарифа: «…»`) starts a span, a monthly fee (`Тариф «…»`) names the tariff in force."""

    start: datetime  # UTC: the period's start or a switch
    end: datetime  # UTC: the next switch or the period's end
    name: str | None  # None: the records do not name it (a tariff before the first switch)


@dataclass(frozen=True)
class Detalization:
    document_id: str
    created_at: datetime  # UTC
    operator_name: str
    salon_name: str
    salon_id: str
    subscriber_name: str
    msisdn: str  # E.164
    region_name: str
    timezone: str  # the home region's IANA zone: every time in the document is in it
    tariff_name: str
    period: Period
    start: datetime  # UTC instants the records cover: [start, end); end is "now" for today
    end: datetime
    opening: Decimal  # main balance at `start` (the operator's number)
    closing: Decimal  # main balance at `end` (the operator's number)
    charges: dict[Category, Decimal]  # every category, zero included
    payments: Decimal  # every credit, promised payments included
    promised_credits: Decimal  # of which: promised-payment credits
    record_count: int  # records in the period (the rows shown may be fewer)
    covered_count: int  # records a package paid for
    by_day: tuple[tuple[date, Decimal], ...]  # charges per local day, every day of the period
    # What is itemized (empty in a summary): iterated once per document, as the rows come
    # (app.services.detalization_build.ItemizedRows streams them from the store).
    rows: Iterable[DetalizationRow]
    bonus: Decimal  # the current additional balances (as of `balances_at`)
    promised_debt: Decimal
    promised_due: datetime | None
    packages: tuple[PackageRemainder, ...]
    balances_at: datetime  # when the additional balances and packages were read (UTC)
    tariffs: tuple[TariffEstimate, ...]  # cheapest first; empty when the catalog has no prices
    options: Options = field(default_factory=Options)
    tariff_spans: tuple[TariffSpan, ...] = ()  # more than one: the tariff changed in the period
    switch_fees: Decimal = ZERO  # tariff-change fees charged in the period (never estimated)
    row_count: int | None = None  # rows itemized, as counted by the store; None: len(rows)

    @property
    def shown_count(self) -> int:
        """How many rows the document itemizes, without reading them."""
        if self.row_count is not None:
            return self.row_count
        assert isinstance(self.rows, Sized)
        return len(self.rows)

    @property
    def total_charges(self) -> Decimal:
        return sum(self.charges.values(), ZERO)

    @property
    def actual_total(self) -> Decimal:
        """What the period cost."""
        return self.total_charges

    @property
    def comparison_base(self) -> Decimal:
        """What every tariff's estimate is compared with: the estimate of the subscriber's own
        tariff (the same usage, the same prorated monthly fee), or — when the catalog cannot
        price it — what the period cost without the tariff-change fees, which no estimate
        counts."""
        own = next((t for t in self.tariffs if t.current), None)
        return own.total if own is not None else self.total_charges - self.switch_fees

    @property
    def promised_overdue(self) -> bool:
        """The promised payment's due time had passed, unpaid, when the document was made."""
        return (self.promised_debt > 0 and self.promised_due is not None
                and self.promised_due <= self.balances_at)


# --- how cells read ---------------------------------------------------------------------------

def money_text(value: Decimal, group: bool = True) -> str:
    """1234.5 → '1 234,50' (no-break space between thousands; '-' for a negative value)."""
    text = f"{value.quantize(CENT):,.2f}"
    return text.replace(",", NBSP if group else "").replace(".", ",")


@lru_cache(maxsize=65536)
def _kop_text(kop: int) -> str:
    return money_text(Decimal(kop).scaleb(-2))


def amount_text(row: DetalizationRow) -> str:
    """The amount cell: 'по пакету' when a package paid, '+500,00' for a credit."""
    if row.covered is not None:
        return COVERED_TEXT
    kop = int(row.amount.scaleb(2))
    return "+" + _kop_text(kop) if row.kind is UsageKind.TOPUP else _kop_text(kop)


COVERED_TEXT = "по пакету"
NOTHING = "—"
KIND_TEXT: dict[tuple[UsageKind, str | None], str] = {  # a row's direction may be None
    (UsageKind.CALL, "out"): "Звонок исх.", (UsageKind.CALL, "in"): "Звонок вх.",
    (UsageKind.SMS, "out"): "SMS исх.", (UsageKind.SMS, "in"): "SMS вх.",
}
_PLAIN_KIND = {UsageKind.CALL: "Звонок", UsageKind.SMS: "SMS", UsageKind.DATA: "Интернет",
               UsageKind.FEE: "Списание", UsageKind.TOPUP: "Пополнение"}


def kind_text(row: DetalizationRow) -> str:
    found = KIND_TEXT.get((row.kind, row.direction))
    return found if found is not None else _PLAIN_KIND.get(row.kind, str(row.kind))


def duration_text(seconds: int) -> str:
    """h:mm:ss, which spreadsheets also read as a duration."""
    return f"{seconds // 3600}:{seconds % 3600 // 60:02d}:{seconds % 60:02d}"


def volume_text(kb: int) -> str:
    return f"{kb:,} КБ".replace(",", NBSP)


def quantity_text(row: DetalizationRow) -> str:
    if row.duration_s is not None:
        return duration_text(row.duration_s)
    if row.volume_kb is not None:
        return volume_text(row.volume_kb)
    return NOTHING


_TWO_DIGITS = tuple(f"{n:02d}" for n in range(100))  # "00" … "99": a look-up, not a format


def time_text(moment: datetime) -> str:
    """dd.mm.yyyy hh:mm:ss (every itemized row has one: a heavy month formats 100,000s)."""
    two = _TWO_DIGITS
    return (f"{two[moment.day]}.{two[moment.month]}.{moment.year} "
            f"{two[moment.hour]}:{two[moment.minute]}:{two[moment.second]}")


def row_texts(row: DetalizationRow) -> tuple[str, str, str, str, str]:
    """The five cells of an itemized row, as every format shows them."""
    return (time_text(row.at), kind_text(row), row.counterpart or NOTHING, quantity_text(row),
            amount_text(row))


ROW_TITLES = ("Дата и время", "Тип", "Номер / услуга", "Длительность / объём", "Сумма, ₽")

_COUNTERPART_WORDS = {"internet": "мобильный интернет", "payment": "Платёж",
                      PROMISED_PAYMENT: "Обещанный платёж"}


@lru_cache(maxsize=65536)
def counterpart_text(counterpart: str, mask: bool) -> str:
    """A number as printed (+7 916 123-45-67; masked +7 916 ***-**-67), a known word in
    Russian, anything else as sent with control characters made harmless."""
    if len(counterpart) == 12 and counterpart.startswith("+7") and counterpart[1:].isdigit():
        d = counterpart
        if mask:
            return f"+7 {d[2:5]} ***-**-{d[10:12]}"
        return f"+7 {d[2:5]} {d[5:8]}-{d[8:10]}-{d[10:12]}"
    word = _COUNTERPART_WORDS.get(counterpart)
    if word is not None:
        return word
    return shown(counterpart)


def mask_msisdn(msisdn: str) -> str:
    return counterpart_text(msisdn, True)


def format_msisdn(msisdn: str) -> str:
    return counterpart_text(msisdn, False)


_SPACES = re.compile(" {2,}")


def shown(text: str) -> str:
    """Text from outside made safe to print: control and format characters (line breaks,
    bidi overrides) become U+FFFD, so nothing in a field can pose as layout; a run of spaces
    is one space (on a page, a wide gap reads as the next column)."""
    if text.isprintable() and "  " not in text:
        return text
    safe = "".join(c if c.isprintable() or c == " " else "\ufffd" for c in text)
    return _SPACES.sub(" ", safe)
