"""The detalization as a file: PDF, HTML, XLSX, CSV or plain text, always in Russian.

`render(report, fmt, path, progress)` writes the whole file at `path` (the caller makes it
atomic). Each writer lives in its own module, imported only when asked for. The texts every
format shares are here; the cell texts and the canonical content are in models.detalization.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable
from decimal import Decimal
from pathlib import Path
from zoneinfo import ZoneInfo

from models.detalization import (
    CATEGORY_LABELS,
    Category,
    Detalization,
    TariffEstimate,
    format_msisdn,
    money_text,
)

FORMATS = ("pdf", "html", "xlsx", "csv", "txt")
Progress = Callable[[int, int], None]  # (rows written, rows in all)
PROGRESS_EVERY = 2000

TITLE = "Детализация счёта"
SUMMARY_TITLE = "Состояние основного баланса"
EXTRA_TITLE = "Дополнительные балансы и пакеты"
ROWS_TITLE = "Начисления и платежи"
TARIFFS_TITLE = "Сколько стоил бы этот период на других тарифах (оценка)"
TARIFFS_NOTE = ("Оценка по вашим фактическим звонкам, SMS и интернету за период, по ценам и "
                "пакетам тарифа; плата за услуги — как была; плата за смену тарифа не учтена.")
CHART_CATEGORIES = "Расходы по категориям"
CHART_DAYS = "Расходы по дням"
CHART_MONTHS = "Расходы по месяцам"
NO_ROWS = "За период нет ни одной записи."
SUMMARY_ONLY = "Только сводка: постатейная детализация не заказывалась."
HIDDEN_COVERED = "Записи, оплаченные пакетами, не показаны (по запросу)."
MASKED = "Номера собеседников частично скрыты."
PACKAGE_NAMES = {"minutes": "Минуты", "sms": "SMS", "data": "Интернет"}
UNITS = {"min": "мин", "sms": "SMS", "MB": "МБ"}
VERIFY_NOTE = "Подлинность: salon verify-document <файл>"


def render(report: Detalization, fmt: str, path: Path, progress: Progress | None = None) -> None:
    if fmt not in FORMATS:
        raise ValueError(f"unknown format {fmt!r}; expected one of {FORMATS}")
    importlib.import_module(f"printing.detalization_{fmt}").write(report, path, progress)


def header_lines(report: Detalization) -> list[str]:
    """Who, where and when: the header every format prints (not hashed; the summary is)."""
    made = report.created_at.astimezone(_zone(report))
    return [
        f"Оператор: {report.operator_name}",
        f"Салон: {report.salon_name} ({report.salon_id})",
        f"Абонент: {report.subscriber_name}, {format_msisdn(report.msisdn)}",
        f"Домашний регион: {report.region_name}; тариф «{report.tariff_name}»",
        f"Период: {report.period.text()} (время — {report.timezone})",
        f"Документ {report.document_id} от {made:%d.%m.%Y %H:%M}",
    ]


def notes(report: Detalization) -> list[str]:
    found = []
    if not report.options.itemized:
        found.append(SUMMARY_ONLY)
    if not report.options.show_covered:
        found.append(HIDDEN_COVERED)
    if report.options.mask_numbers:
        found.append(MASKED)
    return found


def extra_lines(report: Detalization) -> list[tuple[str, str]]:
    """Additional balances and package remainders (as of the document's end), label/value."""
    zone = _zone(report)
    lines = [("Бонусный баланс", money_text(report.bonus)),
             ("Долг по обещанному платежу", money_text(report.promised_debt))]
    if report.promised_due is not None:
        lines.append(("Погасить до", f"{report.promised_due.astimezone(zone):%d.%m.%Y %H:%M}"))
    for package in report.packages:
        unit = UNITS.get(package.unit, package.unit)
        until = ("" if package.expires_at is None
                 else f" до {package.expires_at.astimezone(zone):%d.%m.%Y}")
        lines.append((f"Пакет: {PACKAGE_NAMES.get(package.kind, package.kind)}",
                      f"{package.remaining} из {package.total} {unit}{until}"))
    return lines


def category_lines(report: Detalization) -> list[tuple[str, Decimal]]:
    return [(CATEGORY_LABELS[c], report.charges.get(c, Decimal("0.00"))) for c in Category]


def tariff_line(estimate: TariffEstimate, actual: Decimal) -> tuple[str, str, str, str]:
    """(tariff, monthly fee, estimate, difference) cells of the comparison."""
    name = f"«{estimate.name}»" + (" — ваш тариф" if estimate.current else "")
    return (name, money_text(estimate.monthly_fee), money_text(estimate.total),
            difference_text(estimate.total - actual))


def difference_text(delta: Decimal) -> str:
    if delta < 0:
        return f"на {money_text(-delta)} ₽ меньше"
    if delta > 0:
        return f"на {money_text(delta)} ₽ больше"
    return "столько же"


TARIFF_TITLES = ("Тариф", "Абон. плата, ₽", "За период, ₽", "По сравнению с фактом")


def by_month(report: Detalization) -> list[tuple[str, Decimal]]:
    """Charges per month: the chart of a long period."""
    months: dict[str, Decimal] = {}
    for day, amount in report.by_day:
        key = f"{day:%m.%Y}"
        months[key] = months.get(key, Decimal("0.00")) + amount
    return list(months.items())


def _zone(report: Detalization) -> ZoneInfo:
    return ZoneInfo(report.timezone)
