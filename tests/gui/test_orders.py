"""Orders from the subscriber card, driven for real under Xvfb (R1, R4, R5, the outbox):
the Operations bar, the operation dialog through each answer, the pending strip, the pump's
results arriving from another thread, the catalog and the queue view."""

from __future__ import annotations

import threading
import tkinter as tk
from collections.abc import Callable, Iterator
from dataclasses import replace
from pathlib import Path

import pytest

from app.config import Settings
from app.ui.views.order_dialog import OrderDialog
from app.ui.window import MainWindow
from models.orders import OrderAction, OutboxState
from tests.gui.fake_orders import BLOCKED_REASON, R1_REASON, FakeOrders, FakePump
from tests.gui.fakes import (
    ANNA,
    IVANOVA,
    PETROV,
    SIDOROV,
    Clock,
    FakeOperator,
    make_services,
    rub,
    session_of,
    write_settings,
)
from tests.gui.helpers import screen_text

Pump = Callable[..., None]


@pytest.fixture
def settings(tmp_path: Path) -> Settings:
    return write_settings(tmp_path)


@pytest.fixture
def clock() -> Clock:
    return Clock()


@pytest.fixture
def operator() -> FakeOperator:
    operator = FakeOperator()
    # Иванова can pay for a change here; the refusal test takes her money away again.
    subscriber, balances = operator.data[IVANOVA]
    operator.data[IVANOVA] = (subscriber, replace(balances, main=rub("812.30")))
    return operator


@pytest.fixture
def orders(operator: FakeOperator, clock: Clock, tmp_path: Path) -> FakeOrders:
    return FakeOrders(operator, clock, tmp_path / "slips")


@pytest.fixture
def outbox_pump(orders: FakeOrders) -> FakePump:
    return FakePump(orders)


@pytest.fixture
def window(root: tk.Tk, settings: Settings, clock: Clock, operator: FakeOperator,
           orders: FakeOrders, outbox_pump: FakePump, pump: Pump) -> Iterator[MainWindow]:
    services = make_services(settings, operator, clock, orders=orders, outbox_pump=outbox_pump)
    window = MainWindow(root, settings, services, clock=clock)
    window.start_session(session_of(ANNA))
    pump(root.winfo_ismapped, what="the window to be mapped")
    yield window
    # Let every job come back before closing: a worker must not hold the last reference to
    # the window (the garbage collector would then free Tk objects on that worker's thread).
    pump(lambda: not window.runner.busy, what="the runner's jobs to come back")
    window.close()


def show(window: MainWindow, pump: Pump, number: str) -> None:
    """Look a number up and wait for the card and its operations."""
    window.search.set_text(number)
    window.search.entry.focus_force()
    window.search.entry.event_generate("<Return>")
    # This number's card: another's may still be on screen while the lookup runs.
    pump(lambda: not window.busy and window.card is not None
         and window.card.subscriber.msisdn == number, what="the card")
    pump(lambda: window.orders.options is not None, what="the card's operations")


def press(window: MainWindow, pump: Pump, key: str) -> OrderDialog:
    """An F-key in the phone field: the operation dialog opens."""
    window.search.entry.focus_force()
    window.search.entry.event_generate(f"<{key}>")
    pump(lambda: window.orders.dialog is not None, what=f"the dialog after {key}")
    dialog = window.orders.dialog
    assert dialog is not None
    dialog.lift()  # no window manager on Xvfb
    return dialog


def key(widget: tk.Misc, sequence: str) -> None:
    widget.focus_force()
    widget.event_generate(sequence)


def choose(dialog: OrderDialog, pump: Pump, code: str) -> None:
    dialog.choose.select(code)
    key(dialog.choose.tree, "<Return>")
    pump(lambda: dialog.phase == "preview", what="the preview")


def test_corporate_card_disables_the_assistant_with_r1(window, root, pump, screenshot) -> None:
    show(window, pump, PETROV)
    bar = window.orders.bar
    assert bar.winfo_ismapped()
    assert not bar.enabled(OrderAction.CONNECT_ASSISTANT)
    assert bar.enabled(OrderAction.CHANGE_TARIFF)
    assert bar.enabled(OrderAction.ADD_SERVICE)
    assert bar.enabled(OrderAction.REMOVE_SERVICE)
    text = screen_text(bar)
    for expected in ("Операции", "Сменить тариф…  F5", "Подключить услугу…  F6",
                     "Отключить услугу…  F7", "Подключить Электронный Помощник  F8",
                     "«Подключить Электронный Помощник»: " + R1_REASON):
        assert expected in text, expected
    assert bar.tooltips[OrderAction.CONNECT_ASSISTANT].text == R1_REASON
    screenshot("orders-01-corporate-actions")
    key(window.search.entry, "<F8>")  # the key says why instead of opening anything
    pump(lambda: R1_REASON in window.message.text, what="the R1 sentence")
    assert window.orders.dialog is None
    bar.tooltips[OrderAction.CONNECT_ASSISTANT].show()  # what a resting pointer shows
    assert bar.tooltips[OrderAction.CONNECT_ASSISTANT].shown

    show(window, pump, SIDOROV)  # blocked VIP: nothing can be done; each reason said once
    assert not bar.tooltips[OrderAction.CONNECT_ASSISTANT].shown  # not Петров's reason
    assert not any(bar.enabled(action) for action in OrderAction)
    assert bar.note.cget("text") == (
        "«Сменить тариф», «Подключить услугу», «Подключить Электронный Помощник»: "
        f"{BLOCKED_REASON}\n«Отключить услугу»: Подключённых услуг нет.")
    screenshot("orders-01b-blocked-actions")


def test_f5_preview_confirm_done_with_the_slip(window, root, pump, screenshot, orders,
                                                tmp_path) -> None:
    show(window, pump, IVANOVA)
    dialog = press(window, pump, "F5")
    assert dialog.phase == "choose"
    pump(lambda: root.focus_get() is dialog.choose.tree, what="focus in the list")
    names = [dialog.choose.tree.item(i, "values")[0] for i in dialog.choose.tree.get_children()]
    assert names[-1] == "Классический"  # not available: last, greyed, still visible
    assert "disabled" in dialog.choose.tree.item("CLASSIC", "tags")
    text = screen_text(dialog)
    for expected in ("Смена тарифа", "Иванова Мария Петровна · +7 916 123-45-67 · тариф «Смарт»",
                     "1. Выбор", "Выберите новый тариф:", "Смарт Плюс", "100,00\u00a0₽",
                     "750,00\u00a0₽ в месяц", "Архивный тариф: перейти на него нельзя.",
                     "Далее (Enter)", "Отмена (Esc)"):
        assert expected in text, expected
    # The arrow keys never rest on what cannot be chosen; a click on it says why.
    dialog.choose.select("BIZ")
    key(dialog.choose.tree, "<Down>")
    assert dialog.choose.selected == "PLAT"
    key(dialog.choose.tree, "<Down>")
    assert dialog.choose.selected == "PLAT"  # Классический below it is skipped
    root.update()
    x, y, _w, h = dialog.choose.tree.bbox("CLASSIC", "name")
    dialog.choose.tree.event_generate("<Button-1>", x=x + 5, y=y + h // 2)
    pump(lambda: "Недоступно: Архивный тариф" in dialog.choose.detail.cget("text"),
         what="the reason of the refused click")
    assert dialog.choose.selected == "PLAT"
    dialog.choose.select("SMART_PLUS")
    screenshot("orders-02-choose")

    choose(dialog, pump, "SMART_PLUS")
    text = screen_text(dialog)
    for expected in ("Смена тарифа на «Смарт Плюс»", "2. Расчёт",
                     "Разовая плата", "100,00\u00a0₽",
                     "спишется с основного баланса при подтверждении",
                     "Ежемесячная стоимость", "610,00\u00a0₽ → 910,00\u00a0₽ в месяц",
                     "Основной баланс", "812,30\u00a0₽ → 712,30\u00a0₽",
                     "Подтвердить (Enter)"):
        assert expected in text, expected
    assert dialog.primary_button.instate(["!disabled"])
    pump(lambda: root.focus_get() is dialog.primary_button, what="focus on Confirm")
    screenshot("orders-03-preview")

    key(dialog.primary_button, "<Return>")
    pump(lambda: dialog.phase == "result", what="the result")
    slip = tmp_path / "slips" / "slip-1.pdf"
    text = screen_text(dialog)
    for expected in ("Операция выполнена", "Тариф сменён на «Смарт Плюс».",
                     "Списано: 100,00\u00a0₽. Ежемесячная стоимость теперь: 910,00\u00a0₽ в месяц. "
                     "Основной баланс: 712,30\u00a0₽.",
                     f"Подтверждение (PDF) сохранено: {slip}", "Готово (Enter)"):
        assert expected in text, expected
    screenshot("orders-04-done")
    # The card behind is looked up again and shows the new tariff.
    pump(lambda: window.card.subscriber.tariff.code == "SMART_PLUS" and not window.busy,
         what="the card reloaded")
    assert "Смарт Плюс" in screen_text(window.card_panel)
    key(dialog.primary_button, "<Return>")
    pump(lambda: window.orders.dialog is None, what="the dialog to close")
    pump(lambda: root.focus_get() is window.search.entry, what="focus back in the phone field")
    assert "MainThread" not in orders.threads  # every service call ran on the runner


def test_a_refused_preview_disables_confirm(window, root, pump, screenshot, orders,
                                            operator) -> None:
    subscriber, balances = operator.data[IVANOVA]
    operator.data[IVANOVA] = (subscriber, replace(balances, main=rub("-123.45")))
    show(window, pump, IVANOVA)
    dialog = press(window, pump, "F5")
    choose(dialog, pump, "SMART_PLUS")
    assert dialog.preview_step.refusal.winfo_ismapped()
    assert dialog.preview_step.refusal.cget("text") == (
        "Основной баланс меньше платы: абоненту нужно сначала пополнить счёт.")
    assert dialog.preview_step.refusal.cget("style") == "Refusal.TLabel"
    balance = dialog.preview_step.section.values["Основной баланс"]
    assert balance.cget("text") == "-123,45\u00a0₽ → -223,45\u00a0₽"
    assert balance.cget("style") == "Attention.TLabel"  # going further below zero
    assert "Баланс уйдёт ниже нуля." in screen_text(dialog)
    assert dialog.primary_button.instate(["disabled"])
    screenshot("orders-05-refused")
    key(dialog, "<Return>")  # Enter does nothing
    root.update()
    assert orders.submitted == [] and dialog.phase == "preview"
    key(dialog, "<BackSpace>")  # back to the choice, a free tariff this time
    pump(lambda: dialog.phase == "choose", what="back to the choice")
    choose(dialog, pump, "SMART_PLUS")
    key(dialog, "<Escape>")
    pump(lambda: window.orders.dialog is None, what="Esc to close")
    assert orders.submitted == []


def test_busy_while_calculating_and_sending(window, root, pump, orders) -> None:
    show(window, pump, IVANOVA)
    orders.preview_gate, orders.submit_gate = threading.Event(), threading.Event()
    dialog = press(window, pump, "F5")
    dialog.choose.select("ONLINE")
    key(dialog.choose.tree, "<Return>")
    pump(lambda: dialog.phase == "previewing", what="calculating")
    assert dialog.busy_label.cget("text") == "Расчёт…"
    assert dialog.primary_button.instate(["disabled"])
    assert str(dialog.cget("cursor")) == "watch"
    pump(dialog.progress.winfo_ismapped, what="the progress bar when it takes long")
    orders.preview_gate.set()
    pump(lambda: dialog.phase == "preview", what="the preview")
    assert not dialog.progress.winfo_ismapped()
    key(dialog.primary_button, "<Return>")
    pump(lambda: dialog.phase == "submitting", what="sending")
    assert dialog.busy_label.cget("text") == "Отправка оператору… дождитесь ответа."
    key(dialog, "<Escape>")  # the write is on its way: Esc does not abandon it
    key(dialog, "<BackSpace>")
    root.update()
    assert dialog.winfo_exists() and dialog.phase == "submitting"
    assert dialog.secondary_button.instate(["disabled"])
    orders.submit_gate.set()
    pump(lambda: dialog.phase == "result", what="the result")
    assert dialog.result.kind == "done"


def test_offline_preview_says_so_and_can_be_retried(window, pump, orders, operator) -> None:
    show(window, pump, IVANOVA)
    operator.offline = True
    dialog = press(window, pump, "F5")
    choose(dialog, pump, "ONLINE")
    assert dialog.message.text == "Нет связи с системой оператора."
    assert dialog.primary_button.cget("text") == "Повторить (Enter)"
    operator.offline = False
    key(dialog.primary_button, "<Return>")
    pump(lambda: dialog.preview is not None, what="the preview on the second try")
    assert not dialog.message.winfo_ismapped()
    assert dialog.primary_button.cget("text") == "Подтвердить (Enter)"


def test_stale_reloads_the_card_and_lists_what_changed(window, root, pump, screenshot,
                                                       orders, operator) -> None:
    show(window, pump, IVANOVA)
    dialog = press(window, pump, "F6")
    choose(dialog, pump, "KINO")
    assert "Подключение «Кино онлайн»" in screen_text(dialog)
    # Meanwhile another counter changes her tariff and takes a service off.
    subscriber, balances = operator.data[IVANOVA]
    from tests.gui.fake_orders import TARIFFS

    online = next(t for t in TARIFFS if t.code == "ONLINE")
    operator.data[IVANOVA] = (
        replace(subscriber, version=subscriber.version + 1,
                tariff=replace(subscriber.tariff, code="ONLINE", name=online.name,
                               monthly_fee=online.monthly_fee),
                services=subscriber.services[1:]),
        replace(balances, main=rub("500.00")))
    key(dialog.primary_button, "<Return>")
    pump(lambda: dialog.phase == "choose" and not dialog.busy, what="the card reloaded")
    assert window.card.subscriber.tariff.code == "ONLINE"
    assert dialog.message.text == (
        "Данные абонента изменились: тариф «Смарт» → «Мой Онлайн»; отключены: «Антивирус»; "
        "основной баланс 812,30\u00a0₽ → 500,00\u00a0₽. Карточка загружена заново; "
        "проверьте выбор ещё раз.")
    assert "тариф «Мой Онлайн»" in dialog.subtitle.cget("text")
    assert dialog.choose.selected == "KINO"  # the same choice, to look at again
    assert "Антивирус" in [dialog.choose.tree.item(i, "values")[0]
                           for i in dialog.choose.tree.get_children()]  # can be added now
    assert "Мой Онлайн" in screen_text(window.card_panel)
    screenshot("orders-06-stale")
    choose(dialog, pump, "KINO")
    key(dialog.primary_button, "<Return>")
    pump(lambda: dialog.phase == "result", what="the result")
    assert "Услуга «Кино онлайн» подключена." in screen_text(dialog)
    assert orders.submitted[-1].subscriber_version == subscriber.version + 1


def test_unreachable_queue_it_then_the_pump_delivers(window, root, pump, screenshot, orders,
                                                     outbox_pump, operator) -> None:
    show(window, pump, IVANOVA)
    orders.unreachable = True
    dialog = press(window, pump, "F5")
    choose(dialog, pump, "ONLINE")
    key(dialog.primary_button, "<Return>")
    pump(lambda: dialog.phase == "result", what="the unreachable answer")
    text = screen_text(dialog)
    for expected in ("Система оператора не ответила",
                     "Система оператора не ответила; операция не подтверждена.",
                     "Поставить в очередь (Enter)", "Отменить операцию (Esc)"):
        assert expected in text, expected
    screenshot("orders-07-unreachable")
    key(dialog.primary_button, "<Return>")
    pump(lambda: dialog.result is not None and dialog.result.kind == "queued",
         what="queued")
    assert "будет отправлена, когда связь восстановится" in screen_text(dialog)
    key(dialog.primary_button, "<Return>")
    pump(lambda: window.orders.dialog is None, what="the dialog to close")

    strip = window.orders.strip
    pump(strip.winfo_ismapped, what="the pending strip")
    assert strip.title.cget("text") == "В очереди: 1 операция (ожидают связи)"
    assert "Смена тарифа на «Мой Онлайн» · с 23.11.2026, 12:25 · попыток: 1 · " \
           "Нет связи с системой оператора." in strip.text
    assert window.status.queue.cget("text") == "Очередь: 1 (Ctrl+Q)"
    screenshot("orders-08-pending-strip")

    orders.unreachable = False
    window.search.set_text("8 903")  # the clerk is typing the next number meanwhile
    outbox_pump.deliver(1)  # the connection is back: the pump's thread tells the window
    pump(lambda: "выполнена" in window.message.text, what="the pump's result")
    assert window.message.text == ("Операция из очереди для +7 916 123-45-67 "
                                   "(смена тарифа на «Мой Онлайн»): выполнена, списано "
                                   "50,00\u00a0₽.")
    pump(lambda: not strip.winfo_ismapped(), what="the strip to clear")
    pump(lambda: window.card.subscriber.tariff.code == "ONLINE", what="the card looked up")
    pump(lambda: window.status.queue.cget("text") == "Очередь (Ctrl+Q)", what="queue empty")
    assert window.message.text.startswith("Операция из очереди")  # the reload kept it
    assert window.search.text == "8 903"  # and left the clerk's typing alone


def test_a_refused_result_from_the_pump(window, pump, orders, outbox_pump) -> None:
    show(window, pump, PETROV)
    orders.unreachable = True
    dialog = press(window, pump, "F6")
    choose(dialog, pump, "KINO")
    key(dialog.primary_button, "<Return>")
    pump(lambda: dialog.phase == "result", what="the unreachable answer")
    key(dialog.primary_button, "<Return>")
    pump(lambda: dialog.result is not None and dialog.result.kind == "queued", what="queued")
    key(dialog, "<Escape>")
    pump(lambda: window.orders.dialog is None, what="the dialog to close")
    show(window, pump, IVANOVA)  # the clerk serves someone else meanwhile
    outbox_pump.deliver(1, OutboxState.REJECTED, "insufficient_balance")
    pump(lambda: "отклонена" in window.message.text, what="the refusal")
    assert window.message.text == (
        "Операция из очереди для +7 903 111-22-33 (подключение «Кино онлайн»): отклонена "
        "(недостаточно средств на основном балансе).")
    assert window.message.view is not None and window.message.view.kind == "failure"
    assert window.card.subscriber.msisdn == IVANOVA  # her card stays


@pytest.mark.parametrize("maybe_delivered", [True, False])
def test_cancel_an_unconfirmed_write(window, pump, screenshot, orders, maybe_delivered) -> None:
    show(window, pump, IVANOVA)
    orders.unreachable, orders.maybe_delivered = True, maybe_delivered
    dialog = press(window, pump, "F5")
    choose(dialog, pump, "ONLINE")
    key(dialog.primary_button, "<Return>")
    pump(lambda: dialog.phase == "result", what="the unreachable answer")
    key(dialog, "<Escape>")  # «Отменить операцию»
    pump(lambda: dialog.phase == "result" and dialog.result.kind != "unreachable",
         what="the cancellation's answer")
    strip = window.orders.strip
    if maybe_delivered:
        assert dialog.result.kind == "cancel_refused"
        text = screen_text(dialog)
        assert "Отменить нельзя" in text
        assert "Операция могла уже дойти до оператора, отменить её нельзя." in text
        assert "Операция остаётся в очереди; она будет завершена, когда связь восстановится" \
            in text
        screenshot("orders-09-cancel-refused")
        pump(strip.winfo_ismapped, what="the strip: it stays queued")
    else:
        assert dialog.result.kind == "cancelled"
        assert "Операция отменена. У абонента ничего не изменилось." in screen_text(dialog)
        assert orders.outbox[1].state is OutboxState.CANCELLED
        pump(lambda: not strip.winfo_ismapped(), what="nothing left in the queue")


def test_the_assistant_goes_straight_to_its_free_preview(window, pump, screenshot) -> None:
    show(window, pump, IVANOVA)
    dialog = press(window, pump, "F8")
    pump(lambda: dialog.phase == "preview", what="the preview")
    text = screen_text(dialog)
    for expected in ("Подключение Электронного Помощника", "0,00\u00a0₽", "ничего не списывается",
                     "Тестовая эксплуатация с 11.11 по 11.12: надлежащее оказание не "
                     "гарантируется (R5)."):
        assert expected in text, expected
    assert not dialog.back_button.winfo_ismapped()  # nothing to choose
    key(dialog.primary_button, "<Return>")
    pump(lambda: dialog.phase == "result", what="the result")
    assert "Электронный Помощник подключён." in screen_text(dialog)
    key(dialog.primary_button, "<Return>")
    pump(lambda: window.orders.dialog is None and not window.busy, what="closed, reloaded")
    pump(lambda: not window.orders.bar.enabled(OrderAction.CONNECT_ASSISTANT),
         what="F8 disabled now")
    assert "Электронный Помощник уже подключён." in window.orders.bar.note.cget("text")


def test_catalog_shows_fees_classes_and_the_trial_notice(window, root, pump,
                                                         screenshot) -> None:
    show(window, pump, IVANOVA)
    assert window.status.catalog.winfo_ismapped()
    key(window.search.entry, "<Control-k>")
    pump(lambda: window.orders.catalog_dialog is not None, what="the catalog")
    dialog = window.orders.catalog_dialog
    pump(lambda: dialog.catalog is not None, what="the catalog loaded")
    dialog.lift()
    tariffs = dialog.tariffs.values()
    assert ("SMART_PLUS", "Смарт Плюс", "массовый", "100,00\u00a0₽", "750,00\u00a0₽ в месяц",
            "доступен") in tariffs
    assert ("CLASSIC", "Классический", "массовый", "бесплатно", "0,00\u00a0₽ в месяц",
            "архивный: выбрать нельзя") in tariffs
    screenshot("orders-10-catalog-tariffs")
    dialog.tabs.select(1)
    dialog.services.tree.selection_set("TRANSLATE")
    dialog.services.tree.see("TRANSLATE")
    pump(lambda: "Переводчик" in dialog.services.detail.cget("text"), what="the detail")
    notice = "Тестовая эксплуатация с 11.11 по 11.12: надлежащее оказание не гарантируется"
    row = dict(zip(("code", "name", "classes", "one_off", "monthly", "notice"),
                   dialog.services.tree.item("TRANSLATE", "values"), strict=True))
    assert row["notice"] == notice
    assert row["classes"] == "все"
    corpmail = dialog.services.tree.item("CORPMAIL", "values")
    assert corpmail[2] == "корпоративный"
    assert dialog.services.detail.cget("text") == f"«Переводчик»: {notice} (R5)."
    screenshot("orders-11-catalog-services")
    window.header.language_buttons["en"].invoke()  # the open catalog follows the language
    pump(lambda: dialog.tabs.tab(1, "text") == "Services", what="English tabs")
    assert dialog.services.tree.item("TRANSLATE", "values")[5] == (
        "Trial operation from 11 Nov to 11 Dec: proper provision is not guaranteed")
    key(dialog, "<Escape>")
    pump(lambda: not dialog.winfo_exists(), what="Esc to close the catalog")


def test_queue_view_lists_items_and_cancels_a_waiting_one(window, root, pump, screenshot,
                                                          orders, outbox_pump,
                                                          clock) -> None:
    from datetime import timedelta

    clerk = session_of(ANNA)
    for code, unreachable in (("SMART_PLUS", False), ("ONLINE", True)):
        orders.unreachable = unreachable
        orders.submit(clerk, orders.preview(clerk, _request(IVANOVA, code)))
        clock.advance(timedelta(minutes=3))
    orders.unreachable = True
    orders.submit(clerk, orders.preview(clerk, _request(PETROV, "KINO",
                                                        OrderAction.ADD_SERVICE)))
    outbox_pump.deliver(2, OutboxState.REJECTED, "R1")
    show(window, pump, IVANOVA)
    key(window.search.entry, "<Control-q>")
    pump(lambda: window.orders.queue_dialog is not None, what="the queue view")
    dialog = window.orders.queue_dialog
    pump(lambda: dialog.loaded, what="the queue loaded")
    dialog.lift()
    rows = dialog.table.values()
    assert [row[4] for row in rows] == ["в очереди", "отклонена", "выполнена"]
    assert rows[0][1] == "+7 903 111-22-33" and rows[0][2] == "Подключение услуги"
    assert rows[0][3] == "KINO"
    assert dialog.table.detail.cget("text") == (
        "+7 903 111-22-33 · Подключение «Кино онлайн» · в очереди · "
        "Нет связи с системой оператора.")
    assert rows[0][5] == "1" and rows[0][6] == "Нет связи с системой оператора."
    assert rows[1][7] == "правило R1"
    assert rows[2][7] == "заказ ORD-0001 · 100,00\u00a0₽"
    assert "Ожидают отправки: 1. Показано: 3 (последние)." in dialog.summary.cget("text")
    screenshot("orders-12-queue")
    dialog.table.tree.selection_set("3")
    key(dialog.table.tree, "<Delete>")
    assert "Нажмите Delete ещё раз" in dialog.message.text
    key(dialog.table.tree, "<Delete>")
    pump(lambda: orders.outbox[3].state is OutboxState.CANCELLED, what="cancelled")
    pump(lambda: dialog.table.values()[0][4] == "отменена" or
         any(r[4] == "отменена" for r in dialog.table.values()), what="the row's new state")


def test_lock_closes_the_dialogs(window, root, pump) -> None:
    show(window, pump, IVANOVA)
    press(window, pump, "F5")
    window.lock()
    pump(lambda: window.orders.dialog is None, what="the dialog gone with the lock")
    assert not [w for w in root.winfo_children()
                if isinstance(w, tk.Toplevel) and w.winfo_exists()
                and isinstance(w, OrderDialog)]


def test_english_operations(window, root, pump, screenshot) -> None:
    show(window, pump, IVANOVA)
    window.header.language_buttons["en"].invoke()
    pump(lambda: "Change tariff…  F5" in screen_text(window.orders.bar), what="English")
    pump(lambda: window.orders.options is not None, what="the options again")
    assert "Operations" in screen_text(window.orders.bar)
    assert window.status.queue.cget("text") == "Queue (Ctrl+Q)"
    assert window.status.catalog.cget("text") == "Catalog (Ctrl+K)"
    dialog = press(window, pump, "F6")
    assert "Choose the service to connect:" in screen_text(dialog)
    choose(dialog, pump, "TRANSLATE")
    text = screen_text(dialog)
    for expected in ("Connecting «Переводчик»", "One-off fee", "0.00\u00a0₽",
                     "610.00\u00a0₽ → 610.00\u00a0₽ a month",
                     "Trial operation from 11 Nov to 11 Dec: proper provision is not "
                     "guaranteed (R5).", "Confirm (Enter)", "← Back (Backspace)"):
        assert expected in text, expected
    screenshot("orders-17-preview-en")
    window.set_language("ru")  # (the switch is behind the modal dialog; the window can)
    pump(lambda: "Подключение «Переводчик»" in screen_text(dialog), what="Russian again")
    assert "Подтвердить (Enter)" in screen_text(dialog)


def test_dialogs_fit_1024x700(root, window, pump, screenshot, orders) -> None:
    root.geometry("1024x700+0+0")
    pump(lambda: root.winfo_width() == 1024 and root.winfo_height() == 700, what="1024x700")
    show(window, pump, IVANOVA)
    bar = window.orders.bar
    for button in bar.buttons.values():
        assert button.winfo_rootx() + button.winfo_width() <= 1024
    orders.unreachable = True
    dialog = press(window, pump, "F5")
    screenshot("orders-13-choose-1024x700", size="1024x700")
    choose(dialog, pump, "ONLINE")
    _inside(dialog.primary_button, 1024, 700)
    screenshot("orders-14-preview-1024x700", size="1024x700")
    key(dialog.primary_button, "<Return>")
    pump(lambda: dialog.phase == "result", what="unreachable")
    _inside(dialog.primary_button, 1024, 700)
    _inside(dialog.secondary_button, 1024, 700)
    screenshot("orders-15-unreachable-1024x700", size="1024x700")
    key(dialog.primary_button, "<Return>")
    pump(lambda: dialog.result.kind == "queued", what="queued")
    key(dialog.primary_button, "<Return>")
    pump(window.orders.strip.winfo_ismapped, what="the strip")
    screenshot("orders-16-card-pending-1024x700", size="1024x700")
    panel = window.card_panel
    for section in panel.sections():
        assert section.winfo_rootx() + section.winfo_width() <= 1024
    strip = window.orders.strip
    assert strip.winfo_rooty() + strip.winfo_height() <= 700


def _inside(widget: tk.Misc, width: int, height: int) -> None:
    assert widget.winfo_ismapped()
    assert widget.winfo_rootx() + widget.winfo_width() <= width, widget
    assert widget.winfo_rooty() + widget.winfo_height() <= height, widget


def _request(msisdn: str, code: str, action: OrderAction = OrderAction.CHANGE_TARIFF):
    from models.orders import OrderRequest

    return OrderRequest(msisdn, action, code)


def test_the_pointer_on_an_option_shows_its_whole_reason(window, pump, screenshot) -> None:
    """The picker's note column is narrow; a reason's whole sentence is there on hovering."""
    show(window, pump, IVANOVA)
    dialog = press(window, pump, "F6")
    tree, rows = dialog.choose.tree, dialog.choose.rows
    pump(lambda: dialog.winfo_ismapped() and tree.winfo_height() > 1, what="the list drawn")
    key_, row = next((k, r) for k, r in rows.items() if not r.available)
    pump(lambda: bool(tree.bbox(key_)), what="the row on screen")
    x, y, _w, height = tree.bbox(key_, "note")
    tree.event_generate("<Enter>", x=x + 5, y=y + height // 2)
    tree.event_generate("<Motion>", x=x + 5, y=y + height // 2)
    tip = dialog.choose.tooltip
    pump(lambda: tip.shown, what="the tooltip")
    assert tip.text == row.note  # the whole sentence, however wide the column
    screenshot("orders-picker-reason-tooltip")
    tree.event_generate("<Leave>")
    pump(lambda: not tip.shown, what="the tooltip gone")
    dialog.close()
