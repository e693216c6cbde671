"""The detalization dialog's strings (app/ui/presenters/detalization*.py): quick picks of a
period, the typed dates, the order's summary with R7, the progress line, the result."""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest

from app.errors import InputError
from app.i18n import set_language
from app.services.detalization import DocumentInfo
from app.ui.presenters.detalization import (
    Delivery,
    QuickPick,
    delivery_note,
    period_text,
    present_check,
    progress_fraction,
    progress_text,
    quick_period,
    read_period,
)
from app.ui.presenters.detalization_result import present_result, tariff_comparison
from models.detalization import Options, Period, TariffEstimate
from tests.unit.test_detalization_model import SUBSCRIBER, report_of

NBSP = "\u00a0"


@pytest.fixture
def ru():
    set_language("ru")
    yield
    set_language("en")


@pytest.mark.parametrize(("pick", "today", "first", "last"), [
    (QuickPick.THIS_MONTH, date(2026, 11, 23), date(2026, 11, 1), date(2026, 11, 23)),
    (QuickPick.LAST_MONTH, date(2026, 11, 23), date(2026, 10, 1), date(2026, 10, 31)),
    (QuickPick.LAST_MONTH, date(2027, 1, 15), date(2026, 12, 1), date(2026, 12, 31)),
    (QuickPick.LAST_MONTH, date(2028, 3, 1), date(2028, 2, 1), date(2028, 2, 29)),
    (QuickPick.LAST_3_MONTHS, date(2026, 11, 23), date(2026, 8, 24), date(2026, 11, 23)),
    (QuickPick.LAST_3_MONTHS, date(2027, 3, 31), date(2027, 1, 1), date(2027, 3, 31)),
    (QuickPick.LAST_3_MONTHS, date(2026, 5, 31), date(2026, 3, 1), date(2026, 5, 31)),
    (QuickPick.THIS_YEAR, date(2026, 11, 23), date(2026, 1, 1), date(2026, 11, 23)),
])
def test_quick_picks_count_from_today(pick, today, first, last) -> None:
    assert quick_period(pick, today) == Period(first, last)


def test_any_period_is_typed() -> None:
    assert quick_period(QuickPick.ANY, date(2026, 11, 23)) is None


def test_typed_dates(ru) -> None:
    assert read_period(" 01.10.2026", "31.10.2026 ") == Period(date(2026, 10, 1),
                                                               date(2026, 10, 31))
    assert read_period("2026-10-01", "2026-10-31").days == 31
    with pytest.raises(InputError, match="первый день"):
        read_period("", "31.10.2026")
    with pytest.raises(InputError, match="последний день"):
        read_period("01.10.2026", "  ")
    with pytest.raises(InputError, match=r"«32\.10\.2026» — не дата"):
        read_period("32.10.2026", "31.10.2026")


@pytest.mark.parametrize(("days", "said"), [(1, "1 день"), (2, "2 дня"), (5, "5 дней"),
                                            (21, "21 день"), (31, "31 день"), (92, "92 дня")])
def test_the_period_says_its_days(ru, days: int, said: str) -> None:
    first = date(2026, 1, 1)
    period = Period(first, date.fromordinal(first.toordinal() + days - 1))
    assert period_text(period).endswith(f"({said})")


def test_progress_lines(ru) -> None:
    assert progress_text("fetch", 12, 31) == "Загрузка записей: день 12 из 31"
    assert progress_text("fetch", 31, 31).startswith("Записи загружены")
    assert progress_text("render", 45_000, 117_864) == \
        f"Формирование: строка 45{NBSP}000 из 117{NBSP}864"
    assert progress_text("render", 0, 0) == "Формирование документа…"
    assert progress_text("start", 0, 0) == "Запрос к системе оператора…"
    assert progress_fraction(45_000, 117_864) == pytest.approx(0.3818, abs=1e-4)
    assert progress_fraction(0, 0) == 0.0
    assert progress_fraction(40, 31) == 1.0
    set_language("en")
    assert progress_text("fetch", 12, 31) == "Loading records: day 12 of 31"
    assert progress_text("render", 45_000, 117_864) == \
        "Writing the document: row 45,000 of 117,864"


def test_the_check_names_everything_and_r7_blocks_it(ru, tmp_path: Path) -> None:
    period = Period(date(2026, 10, 1), date(2026, 10, 31))
    view = present_check(SUBSCRIBER, period, Delivery.FILE, tmp_path, "xlsx",
                         Options(mask_numbers=True, itemized=False), refusal="")
    fields = {f.label: f for f in view.fields}
    assert fields["Абонент"].value == "Иванова Мария Петровна"
    assert fields["Абонент"].note == "+7 916 123-45-67"
    assert fields["Домашний регион"].value == "Москва"
    assert not fields["Домашний регион"].attention
    assert fields["Период"].value == "01.10.2026 — 31.10.2026 (31 день)"
    assert fields["Способ получения"].value == f"сохранить в {tmp_path}"
    assert fields["Формат документа"].value == "XLSX — электронная таблица (Excel)"
    assert fields["Параметры отчёта"].value == (
        "Маскировать номера собеседников (+7 916 ***-**-67); "
        "Только итоги (без построчной детализации)")
    assert view.can_submit and view.hint.startswith("Enter — заказать")
    refused = present_check(SUBSCRIBER, period, Delivery.SCREEN, tmp_path, "pdf", Options(),
                            refusal="R7: …")
    assert not refused.can_submit and refused.refusal == "R7: …"
    assert {f.label: f for f in refused.fields}["Домашний регион"].attention
    assert {f.label: f.value for f in refused.fields}["Способ получения"] == \
        "показать на экране"
    assert {f.label: f.value for f in refused.fields}["Параметры отчёта"] == \
        "нет: все строки, номера полностью"


def test_delivery_notes_say_what_r9_deletes(ru, tmp_path: Path) -> None:
    docs = tmp_path / "documents"
    assert "удаляются через 3 дня (R9)" in delivery_note(Delivery.FILE, docs, docs, 3)
    assert "DET-" in delivery_note(Delivery.FILE, tmp_path, docs, 3)
    assert "1 день, затем удаляет её (R9)" in delivery_note(Delivery.SCREEN, tmp_path, docs, 1)


def info_of(tariffs: tuple[TariffEstimate, ...], tmp_path: Path,
            options: Options | None = None) -> DocumentInfo:
    rows = [(1_790_000_000 + i * 60, "call", "out", "+79035550101", 60, None, 1500, None,
             f"id-{i}") for i in range(3)]
    rows.append((1_790_000_900, "topup", None, "payment", None, None, 50_000, None, "id-t"))
    report = replace(report_of(rows, 100_000, options or Options()), tariffs=tariffs)
    return DocumentInfo(report.document_id, "0" * 64, tmp_path / "D.pdf", "pdf",
                        report.period, report.msisdn, len(report.rows), report)


def estimate(code: str, name: str, total: str, current: bool = False) -> TariffEstimate:
    return TariffEstimate(code, name, Decimal("0"), Decimal(total), Decimal("0"), Decimal("0"),
                          current)


def test_the_result_has_the_balance_state_and_the_best_tariff(ru, tmp_path: Path) -> None:
    tariffs = (estimate("ONLINE", "Мой Онлайн", "12.00"), estimate("SMART", "Смарт", "45.00",
                                                                   current=True),
               estimate("PLUS", "Смарт Плюс", "30.00"))
    view = present_result(info_of(tariffs, tmp_path), Delivery.FILE, 3, in_console_folder=False)
    fields = {f.label: f for f in view.fields}
    assert fields["Номер документа"].value == "DET-20261123-TESTTEST"
    assert fields["Номер документа"].note == "PDF, строк: 4 из 4 записей"
    assert fields["Файл"].value == str(tmp_path / "D.pdf") == view.path
    assert fields["Входящий остаток"].value == f"1{NBSP}000,00{NBSP}₽"
    assert fields["Списано"].value == f"45,00{NBSP}₽"
    assert fields["Списано"].note == f"звонки 45,00{NBSP}₽"
    assert fields["Пополнения"].value == f"500,00{NBSP}₽"
    assert fields["Исходящий остаток"].value == f"1{NBSP}455,00{NBSP}₽"
    assert view.cheaper
    assert view.comparison == (f"На тарифе «Мой Онлайн» вышло бы на 33,00{NBSP}₽ меньше "
                               "(оценка по ценам каталога).")
    assert view.note == "Сохранён в выбранной папке; консоль его не удаляет."
    screen = present_result(info_of(tariffs, tmp_path, Options(itemized=False)),
                            Delivery.SCREEN, 3, in_console_folder=True)
    assert screen.headline == "Детализация готова: первая страница — справа"
    assert {f.label: f.note for f in screen.fields}["Номер документа"] == \
        "PDF, только итоги (записей: 4)"
    assert screen.note.startswith("Консоль удалит свою копию через 3 дня (R9)")


def test_the_comparison_when_nothing_is_cheaper_or_unknown(ru, tmp_path: Path) -> None:
    current = info_of((estimate("SMART", "Смарт", "45.00", current=True),
                       estimate("PLUS", "Смарт Плюс", "90.00")), tmp_path).report
    assert tariff_comparison(current) == (
        "Текущий тариф — самый выгодный при таком расходе (оценка по ценам каталога).", False)
    assert tariff_comparison(info_of((), tmp_path).report) == ("", False)
