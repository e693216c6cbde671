"""The detalization at its edges (issue 12, point 8): the tariff comparison never counts a
tariff-change fee, prorates monthly fees over a short period, compares every tariff with the
subscriber's own on the same footing and says which tariff billed which days; bonus, debt and
packages are dated as of the moment the document is made and an overdue promised payment is
flagged — in all five formats. Dates are computed from a pinned instant."""

from __future__ import annotations

import html
import re
import subprocess
from dataclasses import replace
from datetime import UTC, date, datetime, time, timedelta
from decimal import Decimal
from pathlib import Path

import pytest

from app.clock import FixedClock
from models.detalization import Period, money_text
from models.pricing import estimate, month_shares, tariff_spans
from printing.detalization import document_text, render
from sandbox.catalog import TARIFFS
from tests.support.rich_detalization import DEBT, ZONE, rich_report
from tests.unit.test_pricing import catalog

CLOCK = FixedClock(datetime(2026, 12, 7, 9, 30, tzinfo=UTC))
FORMATS = ("pdf", "html", "xlsx", "csv", "txt")
MASS = [catalog(t) for t in TARIFFS if t.code in ("SMART", "BASIC", "SMART_PLUS")]


def shown(path: Path) -> str:
    """All the text a reader of the file sees, whitespace collapsed."""
    if path.suffix == ".pdf":
        text = subprocess.run(["pdftotext", "-layout", str(path), "-"], capture_output=True,
                              text=True, check=True).stdout
    elif path.suffix == ".xlsx":
        from openpyxl import load_workbook

        book = load_workbook(path, read_only=True)
        text = " ".join(str(c) for sheet in book.worksheets
                        for row in sheet.iter_rows(values_only=True) for c in row if c)
        book.close()
    elif path.suffix == ".html":
        text = html.unescape(re.sub(r"<[^>]+>", " ", path.read_text(encoding="utf-8")))
    else:
        text = path.read_text(encoding="utf-8-sig").replace(";", " ")
    return " ".join(text.replace("\u00a0", " ").split())


def local_start(day: date) -> datetime:
    return datetime.combine(day, time(0), ZONE).astimezone(UTC)


def week() -> tuple[Period, datetime, datetime]:
    """Seven days inside one month, ending before today; never the 1st."""
    today = CLOCK.now().astimezone(ZONE).date()
    first = (today.replace(day=1) - timedelta(days=1)).replace(day=10)  # last month's 10th
    period = Period(first, first + timedelta(days=6))
    return period, local_start(period.first), local_start(period.last + timedelta(days=1))


def test_a_tariff_change_fee_is_never_estimated() -> None:
    period, start, end = week()
    at = int(start.timestamp()) + 3600
    service = (at, "fee", None, "Антивирус", None, None, 9900, None, "a")
    switch = (at + 60, "fee", None, "Смена тарифа: «Смарт»", None, None, 15000, None, "b")
    with_switch = estimate([service, switch], MASS, "SMART", period, end, ZONE)
    without = estimate([service], MASS, "SMART", period, end, ZONE)
    assert [e.total for e in with_switch] == [e.total for e in without]
    assert all(e.other_fees == Decimal("99.00") for e in with_switch)


def test_a_short_period_prorates_the_monthly_fees() -> None:
    period, _start, end = week()
    days_in_month = (period.first.replace(day=28) + timedelta(days=4)).replace(day=1) - \
        timedelta(days=1)
    share = Decimal(7) / Decimal(days_in_month.day)
    assert month_shares(period, end, ZONE) == share
    by_code = {e.code: e for e in estimate([], MASS, "SMART", period, end, ZONE)}
    for tariff in MASS:
        assert by_code[tariff.code].monthly_fees == (tariff.monthly_fee.amount * share
                                                     ).quantize(Decimal("0.01"))
    smart, plus = by_code["SMART"], by_code["SMART_PLUS"]
    assert plus.total - smart.total == (plus.monthly_fees - smart.monthly_fees)
    assert smart.total > 0  # a week without a 1st still pays its share of the fee


def test_which_tariff_billed_which_days() -> None:
    period, start, end = week()
    t0 = int(start.timestamp())
    records = [(t0, "fee", None, "Тариф «Базовый»", None, None, 0, None, "a"),
               (t0 + 2 * 86400 + 3600, "fee", None, "Смена тарифа: «Смарт»", None, None, 100,
                None, "b")]
    spans = tariff_spans(records, start, end)
    assert [(s.name, s.start, s.end) for s in spans] == [
        ("Базовый", start, datetime.fromtimestamp(t0 + 2 * 86400 + 3600, UTC)),
        ("Смарт", datetime.fromtimestamp(t0 + 2 * 86400 + 3600, UTC), end)]
    # a change without a fee shows only in the next monthly fee: the span starts there
    first_of_next = local_start(period.first.replace(day=1) + timedelta(days=32)).replace()
    later = (int(first_of_next.timestamp()), "fee", None, "Тариф «Смарт Плюс»", None, None,
             75000, None, "c")
    wider_end = first_of_next + timedelta(days=3)
    names = [s.name for s in tariff_spans([*records, later], start, wider_end)]
    assert names == ["Базовый", "Смарт", "Смарт Плюс"]
    assert [s.name for s in tariff_spans(records[:1], start, end)] == ["Базовый"]
    assert [s.name for s in tariff_spans(records[1:], start, end)] == [None, "Смарт"]


def test_the_document_says_it_and_compares_with_the_own_tariff() -> None:
    report = rich_report(CLOCK.now())
    text = document_text(report)
    assert text.tariffs is not None
    notes = " ".join(text.tariffs.notes)
    switch = report.tariff_spans[1].start.astimezone(ZONE)
    assert (f"«Базовый» — с {report.period.first:%d.%m.%Y} до {switch:%d.%m.%Y %H:%M}; "
            f"«Смарт» — с {switch:%d.%m.%Y %H:%M} по {report.period.last:%d.%m.%Y}") in notes
    assert f"в этом периоде — {money_text(Decimal('150.00'))} ₽" in notes
    own = next(row for row in text.tariffs.rows if "ваш тариф" in row[0])
    assert own[3] == "столько же" and text.tariffs.columns[3] == "По сравнению с вашим тарифом"
    assert report.comparison_base == next(t.total for t in report.tariffs if t.current)
    # without the own tariff in the catalog: against the actual charges, switch fees left out
    others = replace(report, tariffs=tuple(t for t in report.tariffs if not t.current))
    assert others.comparison_base == report.total_charges - report.switch_fees


@pytest.mark.parametrize("fmt", FORMATS)
def test_balances_are_dated_and_an_overdue_payment_flagged_in_every_format(
        fmt: str, tmp_path: Path) -> None:
    report = rich_report(CLOCK.now())
    path = tmp_path / f"d.{fmt}"
    render(report, fmt, path)
    text = shown(path)
    made = report.created_at.astimezone(ZONE)
    assert f"Бонусы, долг и пакеты на {made:%d.%m.%Y %H:%M} (в момент составления)" in text
    due = report.promised_due.astimezone(ZONE)  # type: ignore[union-attr]
    assert (f"Внимание: обещанный платёж просрочен — долг {money_text(DEBT)} ₽, срок "
            f"погашения {due:%d.%m.%Y %H:%M} прошёл.").replace("\u00a0", " ") in text
    assert f"{due:%d.%m.%Y %H:%M} — срок прошёл" in text


@pytest.mark.parametrize("fmt", FORMATS)
def test_a_promised_payment_not_yet_due_is_not_flagged(fmt: str, tmp_path: Path) -> None:
    report = rich_report(CLOCK.now())
    report = replace(report, promised_due=report.created_at + timedelta(days=2))
    assert not report.promised_overdue
    path = tmp_path / f"d.{fmt}"
    render(report, fmt, path)
    text = shown(path)
    assert "просрочен" not in text and "срок прошёл" not in text
    due = report.promised_due.astimezone(ZONE)  # type: ignore[union-attr]
    assert f"Погасить до {due:%d.%m.%Y %H:%M}" in text
