"""The pick-up presenters without a screen (R11): the status bar's count, the list's rows in the
salon's time zone with the numbers masked, which action each state allows, and the sentences —
the batch's skipped orders, R10's what-to-do, the printer's kept files."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest

from app import i18n
from app.errors import IdentityRequired, PrintFailed
from app.services.pickup import BatchResult, QueueEntry
from app.ui.ports import PickupPort
from app.ui.presenters.pickup import (
    action_failed,
    batch_message,
    confirm_destroy_all,
    pickup_button_text,
    present_row,
    progress_text,
    waiting_count,
)
from models.pickup import OperatorState, PickupOrder, PickupState

NOW = datetime(2026, 11, 23, 21, 30, tzinfo=UTC)  # 00:30 the next day in Moscow


@pytest.fixture(autouse=True)
def russian() -> None:
    i18n.set_language("ru")


def entry(state: PickupState, number: str = "PU-000007") -> QueueEntry:
    operator = {PickupState.NEW: OperatorState.NEW, PickupState.EXPIRED: OperatorState.NEW,
                PickupState.PRINTED: OperatorState.PRINTED,
                PickupState.HANDED_OVER: OperatorState.HANDED_OVER,
                PickupState.DESTROYED: OperatorState.DESTROYED}[state]
    order = PickupOrder(number, "+79161234567", "Иванова Мария Петровна", "MSK", date(2026, 10, 1),
                        date(2026, 10, 31), NOW, operator, "RU-MOW")
    return QueueEntry(order, state, NOW + timedelta(days=30))


def test_the_status_bar_counts_new_and_printed_only() -> None:
    entries = [entry(PickupState.NEW), entry(PickupState.PRINTED), entry(PickupState.EXPIRED)]
    assert waiting_count(entries) == 2
    assert pickup_button_text(2) == "Выдача: 2 (Ctrl+G)"
    assert pickup_button_text(0) == pickup_button_text(None) == "Выдача (Ctrl+G)"


def test_a_row_in_the_salons_time_with_the_number_masked() -> None:
    row = present_row(entry(PickupState.PRINTED), "Europe/Moscow")
    assert row.values == ("PU-000007", "+7 916 ***-**-67 Иванова Мария Петровна",
                          "01.10.2026 — 31.10.2026", "24.11.2026, 00:30", "напечатан")
    assert row.detail == "PU-000007: ждёт абонента до 24.12.2026, 00:30."


@pytest.mark.parametrize(("state", "allowed", "shown"), [
    (PickupState.NEW, {"print"}, "новый"),
    (PickupState.PRINTED, {"print", "hand_over"}, "напечатан"),
    (PickupState.EXPIRED, {"destroy"}, "срок истёк"),
    (PickupState.HANDED_OVER, set(), "выдан"),
    (PickupState.DESTROYED, set(), "уничтожен"),
])
def test_what_each_state_allows(state: PickupState, allowed: set[str], shown: str) -> None:
    row = present_row(entry(state), "Europe/Moscow")
    assert {a for a in ("print", "hand_over", "destroy") if row.can(a)} == allowed
    assert row.values[4] == shown


def test_the_batchs_skipped_orders_are_named() -> None:
    result = BatchResult(skipped=[("PU-000009", "R11: заказ PU-000009 уже выдан.")])
    message = batch_message(result)
    assert message.kind == "input"
    assert message.text == ("Новых заказов для печати нет. PU-000009 пропущен: R11: заказ "
                            "PU-000009 уже выдан.")


def test_r10_says_what_to_do_and_the_printer_where_the_files_are() -> None:
    row = present_row(entry(PickupState.PRINTED), "Europe/Moscow")
    refused = action_failed(IdentityRequired("R10: …", need="pickup"), row)
    assert refused.kind == "input"
    assert "найдите номер, нажмите F2" in refused.text and "+7 916 ***-**-67" in refused.text
    kept = Path("/data/documents/pickup/PU-000007-cover.pdf")
    failed = action_failed(PrintFailed(f"Принтер не отвечает; файл сохранён: {kept}", kept))
    assert failed.kind == "failure" and str(kept) in failed.text


def test_the_plurals_and_the_progress() -> None:
    assert confirm_destroy_all(3).text.startswith("Уничтожить 3 просроченных заказа?")
    assert progress_text(1, 4, "PU-000008") == "Печать PU-000008: готово 1 из 4…"
    assert progress_text(4, 4, "") == "Напечатано 4 из 4."


def test_the_real_service_is_the_windows_port() -> None:
    from app.services.pickup import PickupService

    assert all(hasattr(PickupService, name) for name in (
        "queue", "expired", "print_ahead", "print_all_new", "hand_over", "destroy",
        "destroy_all_expired"))
    assert isinstance(PickupService.__new__(PickupService), PickupPort)
