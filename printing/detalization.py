"""The detalization as a file: PDF, HTML, XLSX, CSV or plain text, always in Russian.

`render(report, fmt, path, progress) -> sha256` writes the whole file at `path` (the caller
makes it atomic) and returns the hash of its canonical content (printing/canonical.py), which
the service registers. Every text the document shows is formatted here, once
(`document_text`); each writer (its own module, imported only when asked for) lays that text
out and hashes exactly what it writes, so `salon verify-document` covers everything a reader
sees, in every format.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import datetime, timedelta
from decimal import Decimal
from pathlib import Path
from zoneinfo import ZoneInfo

from models.detalization import (
    CATEGORY_LABELS,
    ROW_TITLES,
    Category,
    Detalization,
    TariffEstimate,
    TariffSpan,
    format_msisdn,
    money_text,
    row_texts,
    shown,
)

FORMATS = ("pdf", "html", "xlsx", "csv", "txt")
Progress = Callable[[int, int], None]  # (rows written, rows in all)
PROGRESS_EVERY = 2000

TITLE = "Детализация счёта"
NO_ROWS = "За период нет ни одной записи."
PACKAGE_NAMES = {"minutes": "Минуты", "sms": "SMS", "data": "Интернет"}
UNITS = {"min": "мин", "sms": "SMS", "MB": "МБ"}
VERIFY_NOTE = "Проверка подлинности: salon verify-document <файл>"
HASH_LABEL = "SHA-256"
ZERO = Decimal("0.00")
BOLD_LABELS = {"Входящий остаток", "Итого списано", "Пополнения", "Исходящий остаток"}


@dataclass(frozen=True)
class Table:
    title: str
    columns: tuple[str, ...]
    rows: tuple[tuple[str, ...], ...]
    notes: tuple[str, ...] = ()


@dataclass(frozen=True)
class Pairs:
    """A titled list of label → value lines."""

    title: str
    lines: tuple[tuple[str, str], ...]


@dataclass(frozen=True)
class DocumentText:
    """Every text of the document, formatted once; the writers only lay it out."""

    document_id: str
    title: str
    head: tuple[str, ...]  # who, where, when
    alerts: tuple[str, ...]  # what needs attention: an overdue promised payment
    notes: tuple[str, ...]  # what was chosen: totals only, covered rows left out, masking
    summary: Pairs  # the main balance over the period (R6), totals by category
    extra: Pairs  # bonus, promised-payment debt, packages: dated, as the document was made
    chart: Pairs  # charges by category
    series: Pairs  # charges by day (or by month over a long period)
    tariffs: Table | None  # the comparison; None when the catalog gives no prices
    rows_title: str
    row_titles: tuple[str, ...]
    itemized: bool
    closing: str  # the line after the last row
    verify: str  # how to check the document
    footer: str  # operator · salon · document: every page's foot

    def rows(self, report: Detalization) -> Iterator[tuple[str, str, str, str, str]]:
        return (row_texts(row) for row in report.rows)


def render(report: Detalization, fmt: str, path: Path,
           progress: Progress | None = None) -> str:
    if fmt not in FORMATS:
        raise ValueError(f"unknown format {fmt!r}; expected one of {FORMATS}")
    writer = importlib.import_module(f"printing.detalization_{fmt}")
    return str(writer.write(report, document_text(report), path, progress))


def document_text(report: Detalization) -> DocumentText:
    zone = ZoneInfo(report.timezone)
    made = f"{report.created_at.astimezone(zone):%d.%m.%Y %H:%M}"
    operator, salon = shown(report.operator_name), shown(report.salon_name)
    head = (
        f"Оператор: {operator}",
        f"Салон: {salon} ({shown(report.salon_id)})",
        f"Абонент: {shown(report.subscriber_name)}, {format_msisdn(report.msisdn)}",
        f"Домашний регион: {shown(report.region_name)}; тариф «{shown(report.tariff_name)}»",
        f"Период: {report.period.text()} (время — {report.timezone})",
        f"Документ {report.document_id} от {made}",
    )
    itemized = report.options.itemized
    return DocumentText(
        document_id=report.document_id, title=TITLE, head=head,
        alerts=_alerts(report, zone), notes=_notes(report),
        summary=Pairs("Состояние основного баланса за период", _summary(report)),
        extra=Pairs(f"Бонусы, долг и пакеты на {made} (в момент составления)",
                    _extra(report, zone)),
        chart=Pairs("Расходы по категориям, ₽",
                    tuple((CATEGORY_LABELS[c], money_text(report.charges.get(c, ZERO)))
                          for c in Category)),
        series=_series(report),
        tariffs=_tariffs(report, zone),
        rows_title="Начисления и платежи", row_titles=ROW_TITLES, itemized=itemized,
        closing=(f"Конец детализации: записей {report.shown_count}; списано "
                 f"{money_text(report.total_charges)} ₽, зачислено "
                 f"{money_text(report.payments)} ₽.") if itemized else
        "Только сводка: постатейная детализация не заказывалась.",
        verify=VERIFY_NOTE,
        footer=f"{operator} · {salon} · {report.document_id}",
    )


def _alerts(report: Detalization, zone: ZoneInfo) -> tuple[str, ...]:
    if not report.promised_overdue:
        return ()
    assert report.promised_due is not None
    return (f"Внимание: обещанный платёж просрочен — долг {money_text(report.promised_debt)} ₽, "
            f"срок погашения {report.promised_due.astimezone(zone):%d.%m.%Y %H:%M} прошёл.",)


def _notes(report: Detalization) -> tuple[str, ...]:
    found = []
    if report.period.starts_at_activation:
        found.append(f"Номер подключён {report.period.first:%d.%m.%Y}: период начинается с "
                     "этого дня.")
    if not report.options.show_covered:
        found.append("Записи, оплаченные пакетами, не показаны (по запросу).")
    if report.options.mask_numbers:
        found.append("Номера собеседников частично скрыты.")
    return tuple(found)


def _summary(report: Detalization) -> tuple[tuple[str, str], ...]:
    return (
        ("Входящий остаток", money_text(report.opening)),
        *((CATEGORY_LABELS[c], money_text(report.charges.get(c, ZERO))) for c in Category),
        ("Итого списано", money_text(report.total_charges)),
        ("Пополнения", money_text(report.payments)),
        ("в т. ч. обещанный платёж", money_text(report.promised_credits)),
        ("Исходящий остаток", money_text(report.closing)),
    )


def _extra(report: Detalization, zone: ZoneInfo) -> tuple[tuple[str, str], ...]:
    lines = [("Бонусный баланс", money_text(report.bonus)),
             ("Долг по обещанному платежу", money_text(report.promised_debt))]
    if report.promised_due is not None and report.promised_debt > 0:
        due = f"{report.promised_due.astimezone(zone):%d.%m.%Y %H:%M}"
        lines.append(("Погасить до", due + (" — срок прошёл" if report.promised_overdue
                                             else "")))
    for package in report.packages:
        unit = UNITS.get(package.unit, shown(package.unit))
        until = ("" if package.expires_at is None
                 else f" до {package.expires_at.astimezone(zone):%d.%m.%Y}")
        lines.append((f"Пакет: {PACKAGE_NAMES.get(package.kind, shown(package.kind))}",
                      f"{package.remaining} из {package.total} {unit}{until}"))
    return tuple(lines)


def _series(report: Detalization) -> Pairs:
    if len(report.by_day) <= 62:
        return Pairs("Расходы по дням, ₽", tuple((f"{day:%d.%m}", money_text(amount))
                                                 for day, amount in report.by_day))
    months: dict[str, Decimal] = {}
    for day, amount in report.by_day:
        key = f"{day:%m.%Y}"
        months[key] = months.get(key, ZERO) + amount
    return Pairs("Расходы по месяцам, ₽", tuple((k, money_text(v)) for k, v in months.items()))


def _tariffs(report: Detalization, zone: ZoneInfo) -> Table | None:
    if not report.tariffs:
        return None
    own = any(t.current for t in report.tariffs)
    against = "По сравнению с вашим тарифом" if own else "По сравнению с фактом"
    base = report.comparison_base
    rows = tuple(_tariff_row(estimate, base) for estimate in report.tariffs)
    notes = [
        "Оценка по вашим фактическим звонкам, SMS и интернету за период, по ценам и пакетам "
        "каждого тарифа; абонентская плата — за дни периода (целый календарный месяц — одна "
        "плата); плата за услуги — как была.",
        "Плата за смену тарифа в оценки не входит" + (
            f" (в этом периоде — {money_text(report.switch_fees)} ₽)."
            if report.switch_fees else "."),
    ]
    spans = _spans_text(report.tariff_spans, report.tariff_name, zone)
    if spans:
        notes.append(spans)
    notes.append(f"Фактически списано за период: {money_text(report.total_charges)} ₽.")
    return Table("Сколько стоил бы этот период на других тарифах (оценка)",
                 ("Тариф", "Абон. плата в месяц, ₽", "За период, ₽", against), rows,
                 tuple(notes))


def _tariff_row(estimate: TariffEstimate, base: Decimal) -> tuple[str, str, str, str]:
    name = f"«{shown(estimate.name)}»" + (" — ваш тариф" if estimate.current else "")
    return (name, money_text(estimate.monthly_fee), money_text(estimate.total),
            difference_text(estimate.total - base))


def difference_text(delta: Decimal) -> str:
    if delta < 0:
        return f"на {money_text(-delta)} ₽ меньше"
    if delta > 0:
        return f"на {money_text(delta)} ₽ больше"
    return "столько же"


def _spans_text(spans: tuple[TariffSpan, ...], current: str, zone: ZoneInfo) -> str:
    """Which tariff billed which days, when the records show a change (or another tariff than
    the subscriber's current one)."""
    if len(spans) == 1:
        name = spans[0].name
        if name is None or name == current:
            return ""
        return (f"В этом периоде действовал тариф «{shown(name)}» (сейчас — "
                f"«{shown(current)}»); оценки считают весь период по каждому тарифу.")
    parts = []
    for i, span in enumerate(spans):
        name = f"«{shown(span.name)}»" if span.name else "прежний тариф"
        since = _moment(span.start, zone, first=i == 0)
        until = _moment(span.end, zone, first=False, last=i == len(spans) - 1)
        parts.append(f"{name} — с {since} {'по' if i == len(spans) - 1 else 'до'} {until}")
    return ("Тариф в этом периоде менялся: " + "; ".join(parts)
            + ". Каждая оценка считает весь период по одному тарифу.")


def _moment(at: datetime, zone: ZoneInfo, *, first: bool, last: bool = False) -> str:
    local = at.astimezone(zone)
    if last:  # the period's end: its last day
        return f"{(local - timedelta(seconds=1)):%d.%m.%Y}"
    if first or (local.hour, local.minute) == (0, 0):
        return f"{local:%d.%m.%Y}"
    return f"{local:%d.%m.%Y %H:%M}"
