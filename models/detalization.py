"""The detalization (R6) as plain data, how its cells read, and its canonical content.

Built by app/services/detalization.py from the stored usage records and the operator's
balances; written by printing/detalization_*.py. Money is Decimal, times are aware datetimes
in the home region's zone (`DetalizationRow.at`) or UTC (`created_at`, `start`, `end`).

Canonical content (what the document's SHA-256 covers): the summary lines (document, number,
period, balances and totals by category) and every itemized row, as the cell texts every format
shows (`summary_lines`, `row_texts`). Each format can be read back into those same lines
(printing/detalization_read.py), so `salon verify-document` recomputes the hash from what the
file shows, whatever its format: a changed amount, date or number changes it. Whitespace inside
a cell is not content (PDF text extraction and spreadsheets differ in it), so it is dropped
before hashing; cell boundaries are kept.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal
from enum import StrEnum
from functools import lru_cache

from models.domain import PackageKind, PackageRemainder, UsageKind

HASH_VERSION = "salon-detalization/1"
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
    monthly_fees: Decimal  # the tariff's monthly fee for each 1st of a month in the period
    other_fees: Decimal  # services and one-off fees, as they were
    current: bool

    @property
    def total(self) -> Decimal:
        return self.usage + self.monthly_fees + self.other_fees


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
    rows: Sequence[DetalizationRow]  # what is itemized (empty in a summary)
    bonus: Decimal  # the current additional balances (as of `balances_at`)
    promised_debt: Decimal
    promised_due: datetime | None
    packages: tuple[PackageRemainder, ...]
    balances_at: datetime  # when the additional balances and packages were read (UTC)
    tariffs: tuple[TariffEstimate, ...]  # cheapest first; empty when the catalog has no prices
    options: Options = field(default_factory=Options)
    sha256: str = ""  # of the canonical content; set by the service once built

    @property
    def total_charges(self) -> Decimal:
        return sum(self.charges.values(), ZERO)

    @property
    def actual_total(self) -> Decimal:
        """What the period cost: the baseline of the tariff comparison."""
        return self.total_charges


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
KIND_TEXT = {
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


def time_text(moment: datetime) -> str:
    return (f"{moment.day:02d}.{moment.month:02d}.{moment.year} "
            f"{moment.hour:02d}:{moment.minute:02d}:{moment.second:02d}")


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


def shown(text: str) -> str:
    """Text from outside made safe to print: control and format characters (line breaks,
    bidi overrides) become U+FFFD, so nothing in a field can pose as layout."""
    if text.isprintable():
        return text
    return "".join(c if c.isprintable() or c == " " else "\ufffd" for c in text)


# --- canonical content ------------------------------------------------------------------------

SUMMARY_LABELS = (
    "Документ", "Номер", "Период", "Входящий остаток",
    *(CATEGORY_LABELS[c] for c in Category),
    "Итого списано", "Пополнения", "в т. ч. обещанный платёж", "Исходящий остаток",
    "Бонусный баланс", "Долг по обещанному платежу",
)


def summary_lines(report: Detalization) -> list[tuple[str, str]]:
    """(label, value) of the summary, in SUMMARY_LABELS order."""
    values = [report.document_id, format_msisdn(report.msisdn), report.period.text(),
              money_text(report.opening),
              *(money_text(report.charges.get(c, ZERO)) for c in Category),
              money_text(report.total_charges), money_text(report.payments),
              money_text(report.promised_credits), money_text(report.closing),
              money_text(report.bonus), money_text(report.promised_debt)]
    return list(zip(SUMMARY_LABELS, values, strict=True))


def content_lines(report: Detalization) -> Iterator[tuple[str, ...]]:
    yield from summary_lines(report)
    for row in report.rows:
        yield row_texts(row)


def content_hash(lines: Iterable[Sequence[str]]) -> str:
    """SHA-256 (hex) of the canonical content: cells without whitespace, tab-separated, one
    line each, after a version line."""
    digest = hashlib.sha256(HASH_VERSION.encode())
    buffer: list[str] = []
    for line in lines:
        buffer.append("\n" + "\t".join("".join(cell.split()) for cell in line))
        if len(buffer) >= 4096:
            digest.update("".join(buffer).encode())
            buffer.clear()
    digest.update("".join(buffer).encode())
    return digest.hexdigest()


def qr_payload(document_id: str, sha256: str) -> str:
    """What the QR code carries (and the PDF's /Keywords): id and hash, nothing personal."""
    return f"SALON-DOC:{document_id}:{sha256}"


def parse_qr_payload(text: str) -> tuple[str, str] | None:
    for part in text.replace(";", " ").split():
        if part.startswith("SALON-DOC:"):
            pieces = part.split(":")
            if len(pieces) == 3 and len(pieces[2]) == 64:
                return pieces[1], pieces[2]
    return None
