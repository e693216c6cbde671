"""Presenters without a screen: a SubscriberCard → display strings, errors → sentences."""

from __future__ import annotations

import logging
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from decimal import Decimal

import pytest

from app import i18n
from app.errors import BadPhoneNumber, OperatorUnavailable, RuleRefused, SubscriberNotFound
from app.services.connection import ConnectionSnapshot
from app.ui.presenters.card import present_card
from app.ui.presenters.connection import present_connection
from app.ui.presenters.demo import MAX_ROWS, present_demo, short_name
from app.ui.presenters.errors import present_error
from models.domain import PackageKind, PackageRemainder, SubscriberCard
from tests.gui.fakes import (
    IVANOVA,
    NOW,
    PETROV,
    SIDOROV,
    card_subscribers,
    demo_world,
    fetched,
    rub,
)

MOSCOW_TZ = "Europe/Moscow"


@pytest.fixture(autouse=True)
def russian():
    i18n.set_language("ru")
    yield
    i18n.set_language("ru")


def card(msisdn: str = IVANOVA, *, source: str = "api", minutes_ago: int = 0) -> SubscriberCard:
    subscriber, balances = card_subscribers()[msisdn]
    return SubscriberCard(subscriber, balances, fetched(minutes_ago), source)  # type: ignore[arg-type]


def fields(section) -> dict[str, str]:
    return {field.label: field.value for field in section}


def test_live_card_in_russian() -> None:
    view = present_card(card(), NOW, MOSCOW_TZ)
    assert view.name == "Иванова Мария Петровна"
    assert view.phone == "+7 916 123-45-67"
    assert view.status == "Активен" and not view.blocked
    assert fields(view.subscriber) == {
        "Номер": "+7 916 123-45-67",
        "Статус": "Активен",
        "Домашний регион": "Москва",
        "Местное время": "12:25 (UTC+3)",
    }
    assert fields(view.tariff) == {
        "Тариф": "Смарт",
        "Класс тарифа": "массовый",
        "Ежемесячная стоимость": "450,00\u00a0₽ в месяц за тариф",  # services' fees unknown
    }
    assert view.services[:2] == ("Антивирус", "Гудок")
    assert not view.offline
    assert view.source_line == "Данные из системы оператора"
    assert view.status_line == "Данные получены от оператора: 23.11.2026, 12:25."


def test_balances_and_what_needs_attention() -> None:
    view = present_card(card(), NOW, MOSCOW_TZ)
    main, bonus, debt = view.balances
    assert (main.value, main.attention) == ("-123,45\u00a0₽", True)  # negative
    assert (bonus.value, bonus.attention) == ("50,00\u00a0₽", False)
    assert (debt.label, debt.value, debt.attention) == ("Обещанный платёж", "100,00\u00a0₽", True)
    # Due 2026-11-26 21:00 UTC is midnight in Moscow, the number's home region.
    assert debt.note == "погасить до 27.11.2026, 00:00 (UTC+3)"
    assert view.attention == ("Основной баланс", "Обещанный платёж")


def test_no_debt_and_a_positive_balance_are_calm() -> None:
    view = present_card(card(PETROV), NOW, MOSCOW_TZ)
    assert [(f.value, f.attention) for f in view.balances] == [
        ("812,30\u00a0₽", False), ("0,00\u00a0₽", False), ("нет долга", False),
    ]
    assert view.attention == ()


def test_due_date_in_the_home_region_zone() -> None:
    subscriber, balances = card_subscribers()[SIDOROV]  # Bashkortostan, UTC+5
    balances = replace(balances, promised_payment_debt=rub("300.00"),
                       promised_payment_due=datetime(2026, 11, 26, 21, 0, tzinfo=UTC))
    view = present_card(SubscriberCard(subscriber, balances, NOW), NOW, MOSCOW_TZ)
    assert view.balances[2].note == "погасить до 27.11.2026, 02:00 (UTC+5)"
    assert fields(view.subscriber)["Местное время"] == "14:25 (UTC+5)"


def test_package_remainders() -> None:
    view = present_card(card(), NOW, MOSCOW_TZ)
    minutes, sms, data = view.packages
    assert (minutes.label, minutes.value) == ("Минуты", "250 из 500 мин, до 30.11.2026")
    assert minutes.fraction == pytest.approx(0.5) and not minutes.attention
    assert (sms.amount, sms.fraction, sms.attention) == ("0 из 100 SMS", 0.0, True)
    assert (data.label, data.amount) == ("Интернет", "3\u00a0072 из 10\u00a0240 МБ")
    assert data.until == "до 30.11.2026"


def test_package_without_expiry_or_total() -> None:
    subscriber, balances = card_subscribers()[IVANOVA]
    package = PackageRemainder(PackageKind.SMS, Decimal(5), Decimal(0), "sms", None)
    balances = replace(balances, packages=(package,))
    view = present_card(SubscriberCard(subscriber, balances, NOW), NOW, MOSCOW_TZ)
    assert view.packages[0].value == "5 из 0 SMS"
    assert view.packages[0].fraction == 0.0


def test_assistant_state_and_r1() -> None:
    mass = present_card(card(), NOW, MOSCOW_TZ).assistant
    assert [(f.value, f.note) for f in mass] == [
        ("не подключён", "Подключение бесплатное, без абонентской платы.")
    ]
    subscriber, balances = card_subscribers()[IVANOVA]
    connected = replace(subscriber, assistant_connected=True)
    view = present_card(SubscriberCard(connected, balances, NOW), NOW, MOSCOW_TZ)
    assert view.assistant[0].value == "подключён"
    for msisdn in (PETROV, SIDOROV):  # corporate, VIP
        (field,) = present_card(card(msisdn), NOW, MOSCOW_TZ).assistant
        assert field.value == "недоступен на корпоративных и VIP тарифах (R1)"


def test_blocked_subscriber() -> None:
    view = present_card(card(SIDOROV), NOW, MOSCOW_TZ)
    assert view.blocked and view.status == "Заблокирован"
    assert fields(view.tariff)["Класс тарифа"] == "VIP"
    assert view.attention == ("Статус",)


def test_cached_card_shows_its_age() -> None:
    view = present_card(card(source="cache", minutes_ago=15), NOW, MOSCOW_TZ)
    assert view.offline
    assert view.source_line == (
        "Нет связи — сохранённые данные от 23.11.2026, 12:10 (15 минут назад)"
    )
    assert view.status_line == "Показаны сохранённые данные от 23.11.2026, 12:10."
    older = present_card(card(source="cache", minutes_ago=60 * 26), NOW, MOSCOW_TZ)
    assert "(1 день назад)" in older.source_line
    # A clock slightly behind the cache's never shows a negative age.
    ahead = present_card(card(source="cache"), NOW - timedelta(seconds=5), MOSCOW_TZ)
    assert "назад" in ahead.source_line


def test_english() -> None:
    i18n.set_language("en")
    view = present_card(card(source="cache", minutes_ago=15), NOW, MOSCOW_TZ)
    assert fields(view.subscriber)["Home region"] == "Moscow"
    assert fields(view.tariff) == {
        "Tariff": "Смарт", "Tariff class": "mass",
        "Monthly cost": "450.00\u00a0₽ a month for the tariff",
    }
    assert view.status == "Active"
    assert view.packages[0].value == "250 of 500 min, until 30 Nov 2026"
    assert view.source_line == (
        "No connection — saved data from 23 Nov 2026, 12:10 (15 minutes ago)"
    )


def test_errors_become_sentences(caplog) -> None:
    assert present_error(BadPhoneNumber("Неверный номер.")).kind == "input"
    assert present_error(SubscriberNotFound("Не найден.")).text == "Не найден."
    offline = present_error(OperatorUnavailable("Нет связи."))
    assert (offline.text, offline.kind) == ("Нет связи.", "offline")
    refused = present_error(RuleRefused("Только в домашнем регионе (R7).", "R7"))
    assert refused.kind == "failure"
    with caplog.at_level(logging.ERROR):
        bug = present_error(KeyError("tariff"))
    assert bug.text.startswith("В консоли произошла ошибка.")
    assert "tariff" not in bug.text  # details go to the log, not to the clerk
    assert "KeyError" in caplog.text


def test_connection_indicator() -> None:
    assert present_connection(None).text == "Подключение…"
    assert present_connection(ConnectionSnapshot(None, None, None)).state == "unknown"
    online = present_connection(ConnectionSnapshot(True, NOW, None))
    assert (online.state, online.text) == ("online", "В сети")
    offline = present_connection(ConnectionSnapshot(False, NOW, "Таймаут."))
    assert (offline.state, offline.text, offline.detail) == ("offline", "Нет связи", "Таймаут.")


def test_demo_rows() -> None:
    rows = present_demo(demo_world())
    by_number = {row.msisdn: row for row in rows}
    assert by_number[IVANOVA].name == "Иванова М. П."
    assert by_number[IVANOVA].phone == "+7 916 123-45-67"
    assert by_number[IVANOVA].notes == "долг"
    assert by_number[SIDOROV].notes == "VIP, заблок."
    assert by_number[SIDOROV].details == (
        "Сидоров Ильдар Маратович — VIP-тариф, номер заблокирован"
    )
    plain = next(row for row in rows if not row.notes)
    assert " — " not in plain.details
    many = demo_world() * 20
    assert len(present_demo(many)) == MAX_ROWS == 500


def test_short_names() -> None:
    assert short_name("Иванова Мария Петровна") == "Иванова М. П."
    assert short_name("Smith John") == "Smith J."
    assert short_name("ООО «Ромашка»") == "ООО «Ромашка»"
    assert short_name("Мадонна") == "Мадонна"


def test_the_monthly_cost_is_the_tariff_and_the_services() -> None:
    """One name and one amount, as the operation's preview and the slip say it."""
    subscriber, _balances = card_subscribers()[IVANOVA]
    fees = {service.code: rub("10.00") for service in subscriber.services}
    view = present_card(card(), NOW, MOSCOW_TZ, fees)
    monthly = fields(view.tariff)["Ежемесячная стоимость"]
    assert monthly == "610,00\u00a0₽ в месяц"  # 450 + 16 × 10
    assert view.tariff[2].note == "тариф\u00a0450,00\u00a0₽ + услуги\u00a0160,00\u00a0₽"
    view = present_card(card(PETROV), NOW, MOSCOW_TZ, {"GUARD": rub("99.00")})
    assert fields(view.tariff)["Ежемесячная стоимость"] == "1\u00a0299,00\u00a0₽ в месяц"
    sidorov = present_card(card(SIDOROV), NOW, MOSCOW_TZ)  # no services: the tariff is all
    assert fields(sidorov.tariff)["Ежемесячная стоимость"] == "3\u00a0500,00\u00a0₽ в месяц"
    assert sidorov.tariff[2].note == "только тариф: платных услуг нет"


def test_an_overdue_promised_payment_is_flagged() -> None:
    _subscriber, balances = card_subscribers()[IVANOVA]
    due = balances.promised_payment_due
    assert due is not None
    on_time = present_card(card(), due - timedelta(minutes=1), MOSCOW_TZ).balances[2]
    assert on_time.value == "100,00\u00a0₽" and "просрочен" not in on_time.value
    late = present_card(card(), due + timedelta(minutes=1), MOSCOW_TZ).balances[2]
    assert (late.value, late.attention) == ("100,00\u00a0₽, просрочен", True)
    assert late.note == "нужно было погасить до 27.11.2026, 00:00 (UTC+3)"
