"""The report model (R6): exact Decimal sums, the balance identity, categories = Σ rows,
package-covered rows shown as covered, masking (the document's hash: test_document_hash.py)."""

from __future__ import annotations

from datetime import UTC, date, datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from app.services.detalization_build import BalanceMismatch, Header, build
from app.services.usage_sync import day_spans
from models.detalization import (
    COVERED_TEXT,
    Category,
    Options,
    Period,
    amount_text,
    counterpart_text,
    money_text,
    row_texts,
)
from models.domain import (
    Balances,
    Money,
    Region,
    Subscriber,
    SubscriberStatus,
    TariffClass,
    TariffRef,
    UsageKind,
)

ZONE = ZoneInfo("Europe/Moscow")
PERIOD = Period(date(2026, 10, 1), date(2026, 10, 3))
SPANS = day_spans(PERIOD, ZONE)
START, END = SPANS[0].start_at, SPANS[-1].end_at
SUBSCRIBER = Subscriber("+79161234567", "Иванова Мария Петровна", SubscriberStatus.ACTIVE,
                        Region("RU-MOW", "Москва", "Moscow", "Europe/Moscow"),
                        TariffRef("SMART", "Смарт", TariffClass.MASS, Money(Decimal("450.00"))),
                        (), True, 1)
HEADER = Header("DET-20261123-TESTTEST", datetime(2026, 11, 23, 9, tzinfo=UTC),
                "ПАО «Мобильная связь»", "Салон «Тверская, 12»", "MSK-TVERSKAYA-12")

record = st.tuples(
    st.integers(START, END - 1),
    st.sampled_from(["call", "sms", "data", "fee", "topup"]),
    st.sampled_from(["out", "in"]),
    st.sampled_from(["+79035550101", "+79261112233", "internet", "Антивирус", "payment",
                     "promised_payment"]),
    st.integers(1, 5000),
    st.integers(0, 10**7),  # kopecks
    st.booleans(),
)


def rows_of(drawn: list[tuple]) -> list[tuple]:
    rows = []
    for i, (at, kind, direction, counterpart, size, kop, covered) in enumerate(sorted(drawn)):
        usage = kind in ("call", "sms", "data")
        covered_by = {"call": "minutes", "sms": "sms", "data": "data"}[kind] if (
            usage and covered) else None
        rows.append((at, kind, direction if kind in ("call", "sms") else None,
                     counterpart, size if kind == "call" else None,
                     size if kind == "data" else None, 0 if covered_by else kop, covered_by,
                     f"id-{i:05d}"))
    return rows


def balances(kop: int) -> Balances:
    return Balances(Money(Decimal(kop).scaleb(-2)), Money(Decimal("50.00")),
                    Money(Decimal("0.00")), None)


DEFAULT = Options()


def report_of(rows: list[tuple], opening_kop: int, options: Options = DEFAULT,
              closing_delta: int = 0):
    net = sum(r[6] if r[1] == "topup" else -r[6] for r in rows)
    return build(HEADER, SUBSCRIBER, PERIOD, SPANS, datetime.fromtimestamp(START, UTC),
                 datetime.fromtimestamp(END, UTC), rows, balances(opening_kop),
                 balances(opening_kop + net + closing_delta), balances(0), (), options)


@settings(max_examples=60, deadline=None)
@given(st.lists(record, max_size=60), st.integers(-10**7, 10**7))
def test_identity_categories_and_rows_add_up_exactly(drawn: list[tuple], opening: int) -> None:
    rows = rows_of(drawn)
    report = report_of(rows, opening)
    # opening − charges + payments = closing, to the kopeck, in Decimal
    assert report.opening - report.total_charges + report.payments == report.closing
    assert all(isinstance(v, Decimal) for v in report.charges.values())
    # every category total is the sum of its rows; covered rows are charged nothing
    for category in Category:
        shown = sum((r.amount for r in report.rows if r.category is category), Decimal("0"))
        assert shown == report.charges[category]
    assert report.payments == sum((r.amount for r in report.rows
                                   if r.kind is UsageKind.TOPUP), Decimal("0"))
    assert sum(v for _d, v in report.by_day) == report.total_charges
    assert all(r.amount == 0 and amount_text(r) == COVERED_TEXT
               for r in report.rows if r.covered is not None)
    assert report.covered_count == sum(1 for r in report.rows if r.covered is not None)
    assert len(report.rows) == len(rows) == report.record_count


@settings(max_examples=30, deadline=None)
@given(st.lists(record, min_size=1, max_size=40), st.integers(1, 10**6))
def test_numbers_that_do_not_add_up_are_refused(drawn: list[tuple], off: int) -> None:
    with pytest.raises(BalanceMismatch, match="do not add up"):
        report_of(rows_of(drawn), 10_000, closing_delta=off)


def test_options_hide_covered_mask_numbers_and_summary_only() -> None:
    rows = rows_of([(START + 60, "call", "out", "+79035550101", 125, 400, True),
                    (START + 120, "call", "out", "+79035550101", 65, 400, False),
                    (START + 180, "topup", "in", "promised_payment", 0, 10000, False)])
    full = report_of(rows, 0)
    shown = list(full.rows)  # the rows are a stream: read once, as they come
    assert [r.covered is not None for r in shown] == [True, False, False]
    assert row_texts(shown[0]) == ("01.10.2026 00:01:00", "Звонок исх.",
                                      "+7 903 555-01-01", "0:02:05", "по пакету")
    assert row_texts(shown[1])[4] == "4,00"
    assert row_texts(shown[2])[2:] == ("Обещанный платёж", "—", "+100,00")
    assert full.promised_credits == Decimal("100.00")
    hidden = report_of(rows, 0, Options(show_covered=False))
    assert len(hidden.rows) == 2 and hidden.charges == full.charges
    masked = report_of(rows, 0, Options(mask_numbers=True))
    assert next(iter(masked.rows)).counterpart == "+7 903 ***-**-01"
    summary = report_of(rows, 0, Options(itemized=False))
    assert list(summary.rows) == [] and summary.total_charges == Decimal("4.00")


def test_money_and_counterpart_texts() -> None:
    assert money_text(Decimal("1234567.5")) == "1\u00a0234\u00a0567,50"
    assert money_text(Decimal("-0.5"), group=False) == "-0,50"
    assert counterpart_text("+79161234567", False) == "+7 916 123-45-67"
    assert counterpart_text("+79161234567", True) == "+7 916 ***-**-67"
    assert counterpart_text("bad\nline\u202e", False) == "bad\ufffdline\ufffd"
