"""The order presenters without a screen: the actions and why not (R1), the option rows, the
preview (R4, R5), the outcome sentences, the outbox's strip, rows and results, what changed
after a 412, and the catalog rows."""

from __future__ import annotations

from dataclasses import replace
from datetime import date, timedelta
from pathlib import Path

import pytest

from app import i18n
from app.flows.changes import what_changed
from app.ui.ports import OrderPort, OutboxPumpPort
from app.ui.presenters.catalog import classes_text, present_services, present_tariffs
from app.ui.presenters.changes import changed_sentence
from app.ui.presenters.order_result import (
    present_cancel_refused,
    present_cancelled,
    present_outcome,
    present_preview,
    present_queued,
)
from app.ui.presenters.orders import (
    present_actions,
    present_options,
    rule_text,
    trial_notice,
)
from app.ui.presenters.outbox import (
    MAX_STRIP_LINES,
    merge_items,
    present_pending,
    present_queue,
    present_settled,
    queue_button_text,
    queue_summary,
)
from models.domain import ServiceRef, SubscriberCard, SubscriberStatus, TariffClass, TrialPeriod
from models.orders import (
    OrderAction,
    OrderRequest,
    OutboxState,
    SubmitOutcome,
    SubmitStatus,
)
from tests.gui.fake_orders import (
    BLOCKED_REASON,
    EXTRA_SERVICES,
    R1_REASON,
    TARIFFS,
    FakeOrders,
    FakePump,
)
from tests.gui.fakes import ANNA as ANNA_ACCOUNT
from tests.gui.fakes import (
    IVANOVA,
    NOW,
    PETROV,
    SIDOROV,
    Clock,
    FakeOperator,
    card_subscribers,
    rub,
    session_of,
)

MOSCOW_TZ = "Europe/Moscow"
ANNA = session_of(ANNA_ACCOUNT)


@pytest.fixture(autouse=True)
def russian():
    i18n.set_language("ru")
    yield
    i18n.set_language("ru")


def card(msisdn: str) -> SubscriberCard:
    subscriber, balances = card_subscribers()[msisdn]
    return SubscriberCard(subscriber, balances, NOW)


@pytest.fixture
def orders(tmp_path: Path) -> FakeOrders:
    operator = FakeOperator()
    subscriber, balances = operator.data[IVANOVA]
    operator.data[IVANOVA] = (subscriber, replace(balances, main=rub("812.30")))
    return FakeOrders(operator, Clock(), tmp_path)


def test_the_fakes_satisfy_the_ports(orders) -> None:
    assert isinstance(orders, OrderPort)
    assert isinstance(FakePump(orders), OutboxPumpPort)


# -- actions and options -------------------------------------------------------------------
def test_corporate_actions_say_r1(orders) -> None:
    view = present_actions(orders.options(card(PETROV)))
    assistant = view.get(OrderAction.CONNECT_ASSISTANT)
    assert not assistant.enabled
    assert assistant.reason == R1_REASON
    assert assistant.text == "Подключить Электронный Помощник  F8"
    assert view.get(OrderAction.CHANGE_TARIFF).enabled
    assert view.note == "«Подключить Электронный Помощник»: " + R1_REASON


def test_blocked_actions_share_one_reason_and_say_it_once(orders) -> None:
    sidorov = card(SIDOROV)
    sidorov = replace(sidorov, subscriber=replace(sidorov.subscriber,
                                                  services=(ServiceRef("GUARD", "Антивирус"),)))
    view = present_actions(orders.options(sidorov))
    assert not any(action.enabled for action in view.actions)
    assert view.note == BLOCKED_REASON  # every button for the same reason: one sentence


def test_actions_while_options_are_computed_or_failed() -> None:
    waiting = present_actions(None)
    assert not any(action.enabled for action in waiting.actions)
    assert waiting.note == "Проверка доступных абоненту операций…"
    failed = present_actions(None, "Операции сейчас недоступны: нет связи.")
    assert failed.note == "Операции сейчас недоступны: нет связи."


def test_nothing_to_disconnect(orders) -> None:
    view = present_actions(orders.options(card(SIDOROV)))
    assert view.get(OrderAction.REMOVE_SERVICE).reason == "Подключённых услуг нет."
    unblocked = card(SIDOROV)
    unblocked = replace(unblocked, subscriber=replace(unblocked.subscriber,
                                                      status=SubscriberStatus.ACTIVE))
    view = present_actions(orders.options(unblocked))
    assert view.get(OrderAction.REMOVE_SERVICE).reason == "Подключённых услуг нет."


def test_option_rows_put_the_unavailable_last_with_their_reason(orders) -> None:
    rows = present_options(orders.options(card(IVANOVA)).tariffs)
    assert [row.key for row in rows] == ["SMART_PLUS", "ONLINE", "BIZ", "PLAT", "CLASSIC"]
    classic = rows[-1]
    assert not classic.available
    assert classic.note == "Архивный тариф: перейти на него нельзя."
    assert classic.detail == "Недоступно: Архивный тариф: перейти на него нельзя."
    assert classic.one_off == "бесплатно"
    assert rows[0].one_off == "100,00\u00a0₽"
    assert rows[0].monthly == "750,00\u00a0₽ в месяц"


def test_trial_option_row_and_notice(orders) -> None:
    rows = {row.key: row for row in present_options(orders.options(card(IVANOVA)).add_services)}
    assert rows["TRANSLATE"].note == "тестовая эксплуатация до 11.12 (R5)"
    assert rows["TRANSLATE"].detail == ("Тестовая эксплуатация с 11.11 по 11.12: надлежащее "
                                        "оказание не гарантируется (R5).")
    i18n.set_language("en")
    assert trial_notice(TrialPeriod(date(2026, 11, 11), date(2026, 12, 11))) == (
        "Trial operation from 11 Nov to 11 Dec: proper provision is not guaranteed")


def test_rule_names() -> None:
    assert rule_text("R1") == "правило R1"
    assert rule_text("insufficient_balance") == "недостаточно средств на основном балансе"
    assert rule_text(None) == ""


# -- the preview -----------------------------------------------------------------------------
def test_preview_strings(orders) -> None:
    preview = orders.preview(ANNA, OrderRequest(IVANOVA, OrderAction.CHANGE_TARIFF, "BIZ"))
    view = present_preview(preview, "Бизнес Про")
    assert view.heading == "Смена тарифа на «Бизнес Про»"
    fields = {field.label: field for field in view.fields}
    assert fields["Разовая плата"].value == "300,00\u00a0₽"
    assert fields["Разовая плата"].note == "спишется с основного баланса при подтверждении"
    assert fields["Ежемесячная стоимость"].value == "610,00\u00a0₽ → 1\u00a0360,00\u00a0₽ в месяц"
    assert fields["Основной баланс"].value == "812,30\u00a0₽ → 512,30\u00a0₽"
    assert not fields["Основной баланс"].attention
    assert view.can_confirm and not view.refused and not view.negative_balance
    assert view.trial == "" and view.dropped == ""


def test_preview_refused_and_going_negative(orders) -> None:
    subscriber, balances = orders.operator.data[IVANOVA]
    orders.operator.data[IVANOVA] = (subscriber, replace(balances, main=rub("40.00")))
    preview = orders.preview(ANNA, OrderRequest(IVANOVA, OrderAction.CHANGE_TARIFF, "ONLINE"))
    view = present_preview(preview, "Мой Онлайн")
    assert not view.can_confirm and view.refused and view.negative_balance
    # The console's own sentence for a rule it knows (the operator's words are English).
    assert view.refusal == "Основной баланс меньше платы: абоненту нужно сначала пополнить счёт."
    balance = next(f for f in view.fields if f.label == "Основной баланс")
    assert balance.attention and balance.note == "Баланс уйдёт ниже нуля."
    assert "Backspace" in view.hint


def test_preview_of_the_assistant_is_free_with_its_trial(orders) -> None:
    preview = orders.preview(ANNA, OrderRequest(IVANOVA, OrderAction.CONNECT_ASSISTANT))
    view = present_preview(preview, "Электронный Помощник")
    assert view.heading == "Подключение Электронного Помощника"
    assert view.fields[0].value == "0,00\u00a0₽"
    assert view.fields[0].note == "ничего не списывается"
    assert view.trial.startswith("Тестовая эксплуатация с 11.11 по 11.12")


def test_preview_lists_what_a_class_change_disconnects(orders) -> None:
    operator = orders.operator
    subscriber, balances = operator.data[IVANOVA]
    operator.data[IVANOVA] = (
        replace(subscriber, services=(*subscriber.services, ServiceRef("TRANSLATE", "Переводчик"),
                                      ServiceRef("CORPMAIL", "Корпоративная почта"))),
        balances)
    preview = orders.preview(ANNA, OrderRequest(IVANOVA, OrderAction.CHANGE_TARIFF, "SMART_PLUS"))
    assert present_preview(preview, "Смарт Плюс").dropped == (
        "Эта смена отключит: «Корпоративная почта».")


# -- outcomes --------------------------------------------------------------------------------
def _submit(orders: FakeOrders, code: str = "SMART_PLUS") -> SubmitOutcome:
    request = OrderRequest(IVANOVA, OrderAction.CHANGE_TARIFF, code)
    return orders.submit(ANNA, orders.preview(ANNA, request))


def test_done_outcome(orders) -> None:
    outcome = _submit(orders)
    view = present_outcome(outcome, "Смарт Плюс")
    assert view.kind == "done"
    assert view.headline == "Операция выполнена"
    assert view.text == ("Тариф сменён на «Смарт Плюс».\nСписано: 100,00\u00a0₽. Ежемесячная "
                         "стоимость теперь: 910,00\u00a0₽ в месяц. Основной баланс: "
                         "712,30\u00a0₽.")
    assert view.slip == f"Подтверждение (PDF) сохранено: {outcome.slip_path}"


def test_rejected_stale_and_unreachable_outcomes(orders) -> None:
    orders.reject = ("R1", "Электронный Помощник недоступен.")
    view = present_outcome(_submit(orders), "Смарт Плюс")
    assert view.kind == "rejected"
    # A rule the console knows is said in its own words, not the operator's.
    assert view.text == ("«Электронный Помощник» не предоставляется на корпоративных и VIP "
                         "тарифах (R1). Ничего не изменено.")
    orders.reject = ("tariff_frozen", "Тариф заморожен.")  # one it does not: theirs, named
    view = present_outcome(_submit(orders), "Смарт Плюс")
    assert view.text == ("Оператор отказывает: Тариф заморожен (правило tariff_frozen). "
                         "Ничего не изменено.")
    orders.reject = None
    stale = replace(_submit(orders, "ONLINE"), status=SubmitStatus.STALE,
                    message="Данные абонента изменились.")
    assert present_outcome(stale, "Мой Онлайн").kind == "stale"
    orders.unreachable = True
    view = present_outcome(_submit(orders, "BIZ"), "Бизнес Про")
    assert view.kind == "unreachable"
    assert view.headline == "Система оператора не ответила"
    assert "Поставьте её в очередь" in view.text


def test_keep_and_cancel_sentences(orders) -> None:
    orders.unreachable = True
    item = _submit(orders).item
    assert "попыток пока: 1" in present_queued(item).text
    assert present_cancelled(item).text == "Операция отменена. У абонента ничего не изменилось."
    refused = present_cancel_refused("Могла уже дойти.")
    assert refused.text.startswith("Могла уже дойти.\nОперация остаётся в очереди")


# -- the outbox ------------------------------------------------------------------------------
def test_pending_strip_plurals_and_limit(orders) -> None:
    orders.unreachable = True
    names = {t.code: t.name for t in TARIFFS}
    items = []
    for count, title in ((1, "В очереди: 1 операция (ожидают связи)"),
                         (2, "В очереди: 2 операции (ожидают связи)"),
                         (5, "В очереди: 5 операций (ожидают связи)")):
        while len(items) < count:
            items.append(_submit(orders, "ONLINE").item)
        view = present_pending(items, names, MOSCOW_TZ)
        assert view is not None and view.title == title
    assert len(view.lines) == MAX_STRIP_LINES + 1
    assert view.lines[0] == ("Смена тарифа на «Мой Онлайн» · с 23.11.2026, 12:25 · попыток: 1 · "
                             "Нет связи с системой оператора.")
    assert view.lines[-1] == "…и ещё 2 в очереди (Ctrl+Q)"
    assert present_pending([replace(items[0], state=OutboxState.DONE)], names, MOSCOW_TZ) \
        is None
    assert queue_button_text(0) == "Очередь (Ctrl+Q)"
    assert queue_button_text(3) == "Очередь: 3 (Ctrl+Q)"


def test_queue_rows_merge_pending_first(orders) -> None:
    done = _submit(orders).item
    orders.unreachable = True
    orders.clock.advance(timedelta(minutes=5))
    waiting = _submit(orders, "ONLINE").item
    older = replace(waiting, updated_at=waiting.updated_at - timedelta(minutes=1),
                    state=OutboxState.SENDING)
    items = merge_items([waiting], [done, older])
    assert [item.id for item in items] == [waiting.id, done.id]
    assert items[0].state is OutboxState.QUEUED  # the newer copy wins
    rows = present_queue(items, {"ONLINE": "Мой Онлайн"}, MOSCOW_TZ)
    assert rows[0].values == ("23.11.2026, 12:30", "+7 916 123-45-67", "Смена тарифа", "ONLINE",
                              "в очереди", "1", "Нет связи с системой оператора.", "")
    assert rows[0].pending and not rows[1].pending
    assert rows[1].values[4:] == ("выполнена", "0", "", "заказ ORD-0001 · 100,00\u00a0₽")
    assert queue_summary(rows) == "Ожидают отправки: 1. Показано: 2 (последние)."
    assert len(merge_items([], [done] * 3, limit=2)) == 1  # the same item once


def test_pump_results_as_sentences(orders) -> None:
    pump = FakePump(orders)
    orders.unreachable = True
    first = _submit(orders, "ONLINE").item
    second = _submit(orders, "BIZ").item
    orders.unreachable = False
    names = {t.code: t.name for t in TARIFFS}
    done = present_settled(pump.deliver(first.id), names)
    assert done.kind == "done"
    assert done.text == ("Операция из очереди для +7 916 123-45-67 (смена тарифа на «Мой Онлайн»): "
                         "выполнена, списано 50,00\u00a0₽.")
    refused = present_settled(pump.deliver(second.id, OutboxState.REJECTED, "R1"), names)
    assert refused.kind == "failure"
    assert refused.text.endswith(": отклонена (правило R1).")
    i18n.set_language("en")
    assert present_settled(orders.outbox[second.id], {}).text == (
        "Queued operation for +7 916 123-45-67 (tariff change to «BIZ»): refused (rule R1).")


# -- what changed after a 412 ----------------------------------------------------------------
def test_what_changed_between_two_cards() -> None:
    before = card(IVANOVA)
    subscriber = before.subscriber
    after = replace(
        before,
        subscriber=replace(subscriber, version=subscriber.version + 1,
                           tariff=replace(subscriber.tariff, code="BIZ", name="Бизнес Про",
                                          tariff_class=TariffClass.CORPORATE),
                           services=(*subscriber.services[2:], ServiceRef("KINO", "Кино онлайн")),
                           status=SubscriberStatus.BLOCKED, assistant_connected=True),
        balances=replace(before.balances, main=rub("10.00")))
    assert what_changed(before, after) == (
        "тариф «Смарт» → «Бизнес Про»",
        "подключены: «Кино онлайн»",
        "отключены: «Антивирус», «Гудок»",
        "подключён Электронный Помощник",
        "основной баланс -123,45\u00a0₽ → 10,00\u00a0₽",
        "статус: активен → заблокирован",
    )
    assert changed_sentence(what_changed(before, after)).startswith(
        "Данные абонента изменились: тариф «Смарт» → «Бизнес Про»; подключены: ")


def test_nothing_visible_changed_names_the_version() -> None:
    before = card(PETROV)
    after = replace(before, subscriber=replace(before.subscriber, version=2))
    assert what_changed(before, after) == (
        "запись в системе оператора обновлена (версия 1 → 2)",)
    assert changed_sentence(what_changed(before, after)) == (
        "Данные абонента изменились: запись в системе оператора обновлена (версия 1 → 2). "
        "Карточка загружена заново; проверьте выбор ещё раз.")


# -- the catalog -----------------------------------------------------------------------------
def test_catalog_rows() -> None:
    tariffs = {row.key: row for row in present_tariffs(TARIFFS)}
    assert tariffs["BIZ"].values == ("BIZ", "Бизнес Про", "корпоративный", "300,00\u00a0₽",
                                     "1\u00a0200,00\u00a0₽ в месяц", "доступен")
    assert not tariffs["CLASSIC"].available
    services = {row.key: row for row in present_services(EXTRA_SERVICES)}
    assert services["TRANSLATE"].values[5] == (
        "Тестовая эксплуатация с 11.11 по 11.12: надлежащее оказание не гарантируется")
    assert services["FAX"].values[5] == "архивный: выбрать нельзя"
    assert services["CORPMAIL"].values[2] == "корпоративный"
    assert classes_text((TariffClass.MASS, TariffClass.VIP)) == "массовый, VIP"
    assert classes_text(tuple(TariffClass)) == "все"


def test_a_fee_set_by_the_subscribers_tariff_says_so(orders) -> None:
    preview = orders.preview(ANNA, OrderRequest(IVANOVA, OrderAction.CHANGE_TARIFF, "BIZ"))
    at_list_price = present_preview(preview, "Бизнес Про", list_fee=preview.fee, tariff="Смарт")
    assert at_list_price.fields[0].note == "спишется с основного баланса при подтверждении"
    half = present_preview(preview, "Бизнес Про", list_fee=rub("600.00"), tariff="Мой Онлайн")
    assert half.fields[0].note == (
        "спишется с основного баланса при подтверждении\n"
        "такова цена на тарифе абонента «Мой Онлайн»; по прейскуранту — 600,00\u00a0₽")
