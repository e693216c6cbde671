"""R11 in the window, on a counter's 1366x768 screen: the status bar counts this salon's orders
waiting for pick-up, Ctrl+G opens the list, an order is printed ahead (and again, without a
second order), every new one with the progress bar on screen, the hand-over refused without
R10 and done for a representative checked through the real IdentityService (the receipt
printed), an expired order destroyed after a second Delete, another counter's hand-over (R11)
said with the service's sentence, and a jammed printer. The real PickupService over a fake
operator, detalization and printer (tests/gui/fake_pickup.py); screenshots of the list and of
the progress."""

from __future__ import annotations

import threading
import tkinter as tk
from collections.abc import Callable, Iterator
from dataclasses import dataclass, replace
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest

from app.config import IdentitySettings, Settings
from app.services.identity import IdentityService
from app.ui.window import MainWindow
from models.db import open_store
from models.identity import (
    DocumentType,
    HolderRecord,
    IdentityDocument,
    PowerOfAttorney,
    Presenter,
)
from models.identity_store import StoreIdentity
from models.pickup import OperatorState
from tests.gui.conftest import Screens, TkErrors, tk_root
from tests.gui.fake_pickup import (
    FakePickupApi,
    HeldDetalization,
    RecordingPrinter,
    days_ago,
    order,
    pickup_service,
)
from tests.gui.fakes import (
    ANNA,
    IVANOVA,
    PETROV,
    SIDOROV,
    Clock,
    FakeOperator,
    make_services,
    session_of,
    write_settings,
)
from tests.gui.geometry import misplaced
from tests.gui.helpers import visible_texts

Pump = Callable[..., None]
LAPTOP = "1366x768"


@pytest.fixture
def root(screens: Screens, tk_errors: TkErrors) -> Iterator[tk.Tk]:
    with tk_root(tk_errors, screens.display(LAPTOP)) as root:
        root.geometry(f"{LAPTOP}+0+0")
        yield root


class Records:
    def holder_record(self, msisdn: str) -> HolderRecord:
        return HolderRecord(True, (IdentityDocument("passportRF", "4510 730291"),))


@dataclass
class World:
    window: MainWindow
    api: FakePickupApi
    detalization: HeldDetalization
    printer: RecordingPrinter
    identity: IdentityService


@pytest.fixture
def world(root: tk.Tk, tmp_path: Path, pump: Pump) -> Iterator[World]:
    settings: Settings = replace(write_settings(tmp_path), identity=IdentitySettings())
    clock = Clock()
    store = open_store(f"sqlite:///{tmp_path / 'salon.db'}")
    identity = IdentityService(Records(), StoreIdentity(settings.salon.id, "2"),
                               lambda: b"k" * 32, clock, settings=settings.identity,
                               salon=settings.salon.id, counter="2",
                               timezone=settings.salon.timezone)
    api = FakePickupApi(
        order("PU-000004", "+79990001122", "Смирнов Олег", settings, days_ago(clock, 35)),
        order("PU-000001", IVANOVA, "Иванова Мария Петровна", settings, days_ago(clock, 2),
              OperatorState.PRINTED),
        order("PU-000002", PETROV, "Петров Пётр Ильич", settings, days_ago(clock, 1)),
        order("PU-000003", SIDOROV, "", settings, days_ago(clock, 0.125)))
    pickup, detalization, printer = pickup_service(settings, clock, identity, api,
                                                   tmp_path / "documents")
    services = make_services(settings, FakeOperator(), clock, identity=identity)
    services.pickup = pickup
    services.clerks.on_session(identity.session_event)
    window = MainWindow(root, settings, services, clock=clock)
    window.start_session(session_of(ANNA))
    pump(root.winfo_ismapped, what="the window to be mapped")
    try:
        yield World(window, api, detalization, printer, identity)
    finally:
        if detalization.hold is not None:
            detalization.hold.set()
        pump(lambda: not window.runner.busy, what="the runner's jobs to come back")
        window.close()
        store.close()


def open_list(world: World, pump: Pump) -> Any:
    window = world.window
    window.search.entry.focus_force()
    window.search.entry.event_generate("<Control-g>")
    pump(lambda: window.pickup.dialog is not None, what="the pick-up list")
    dialog = window.pickup.dialog
    assert dialog is not None
    pump(lambda: dialog.winfo_ismapped() and dialog.loaded and not dialog.busy,
         what="the list loaded")
    dialog.lift()
    return dialog


def press(dialog: Any, pump: Pump, key: str, order_id: str | None = None) -> None:
    if order_id is not None:
        dialog.table.tree.selection_set(order_id)
        dialog.table.tree.focus(order_id)
        pump(lambda: dialog.selected_row is not None
             and dialog.selected_row.order_id == order_id, what=f"{order_id} selected")
    dialog.table.tree.focus_force()
    dialog.table.tree.event_generate(key)
    pump(lambda: not dialog.busy, timeout=15, what=f"{key}'s answer")


def states(dialog: Any) -> dict[str, str]:
    return {values[0]: values[4] for values in dialog.table.values()}


def test_the_count_on_the_status_bar_and_the_list_on_ctrl_g(
        world: World, pump: Pump, screenshot: Callable[..., Path]) -> None:
    status = world.window.status
    pump(lambda: status.pickup.cget("text") == "Выдача: 3 (Ctrl+G)",
         what="the count: new and printed, not the expired one")
    assert status.pickup.winfo_ismapped()
    assert "MainThread" not in world.api.threads  # asked on the runner, never on Tk's thread
    dialog = open_list(world, pump)
    rows = {values[0]: values for values in dialog.table.values()}
    assert list(rows) == ["PU-000004", "PU-000001", "PU-000002", "PU-000003"]  # oldest first
    assert rows["PU-000001"][1] == "+7 916 ***-**-67 Иванова Мария Петровна"
    assert rows["PU-000001"][2] == "01.10.2026 — 31.10.2026"
    assert rows["PU-000001"][3] == "21.11.2026, 12:25"  # Moscow time (09:25 UTC)
    assert states(dialog) == {"PU-000004": "срок истёк", "PU-000001": "напечатан",
                              "PU-000002": "новый", "PU-000003": "новый"}
    assert "4567" not in " ".join(" ".join(v) for v in rows.values())  # masked numbers only
    assert dialog.summary.cget("text") == "Новых: 2 · напечатано: 1 · срок истёк: 1"
    texts = visible_texts(dialog)
    assert "Напечатать заранее (F6)" in texts and "Выдать (F8)" in texts
    screenshot("pickup-list-1366x768-ru")
    assert misplaced(dialog) == []
    dialog.table.tree.event_generate("<Escape>")
    pump(lambda: not dialog.winfo_exists(), what="Esc to close the list")
    status.pickup.invoke()  # the button opens it too
    pump(lambda: world.window.pickup.dialog is not None
         and world.window.pickup.dialog.winfo_exists(), what="the list from the button")


def test_an_order_printed_ahead_and_again_is_one_order(world: World, pump: Pump) -> None:
    dialog = open_list(world, pump)
    press(dialog, pump, "<F6>", "PU-000002")
    assert "PU-000002 напечатан с титульным листом" in dialog.message.text
    pump(lambda: states(dialog)["PU-000002"] == "напечатан", what="the list refreshed")
    press(dialog, pump, "<F6>", "PU-000002")
    assert "напечатан повторно" in dialog.message.text
    assert world.detalization.ordered == ["PU-000002"]  # the reprint ordered nothing
    assert [r for r in world.api.reports] == [("PU-000002", OperatorState.PRINTED)]
    assert [p.name.split("-")[-1] for p in world.printer.printed] == [
        "cover.pdf", "00000001.pdf", "cover.pdf", "00000001.pdf"]


def test_all_new_ones_printed_with_the_progress_bar(
        world: World, pump: Pump, screenshot: Callable[..., Path]) -> None:
    dialog = open_list(world, pump)
    world.detalization.hold = threading.Event()
    dialog.table.tree.focus_force()
    dialog.table.tree.event_generate("<F7>")
    pump(lambda: world.detalization.waiting.is_set() and dialog.progress.winfo_ismapped()
         and "Печать PU-000002" in dialog.progress_label.cget("text"),
         what="the progress bar with the first order")
    assert dialog.progress_label.cget("text") == "Печать PU-000002: готово 0 из 2…"
    assert dialog.print_button.instate(["disabled"])  # one thing at a time
    screenshot("pickup-progress-1366x768-ru")
    assert misplaced(dialog) == []
    world.detalization.hold.set()
    pump(lambda: not dialog.busy and dialog.loaded and "Напечатано 2 новых заказа"
         in dialog.message.text, timeout=15, what="the batch's end")
    assert not dialog.progress.winfo_ismapped()
    pump(lambda: states(dialog)["PU-000003"] == "напечатан", what="the list refreshed")
    assert world.detalization.ordered == ["PU-000002", "PU-000003"]


def test_the_hand_over_waits_for_r10(world: World, pump: Pump) -> None:
    dialog = open_list(world, pump)
    press(dialog, pump, "<F8>", "PU-000001")
    text = dialog.message.text
    assert "R10" in text and "F2" in text and "найдите номер" in text
    assert "Ничего не изменено" in text
    assert world.api.reports == [] and world.printer.printed == []
    assert states(dialog)["PU-000001"] == "напечатан"


def test_a_representative_takes_the_order_and_the_receipt_is_printed(
        world: World, pump: Pump, screenshot: Callable[..., Path]) -> None:
    window = world.window
    assert window.session is not None
    issued = window.clock.now().date() - timedelta(days=30)
    world.identity.check(window.session, IVANOVA, Presenter.REPRESENTATIVE,
                         DocumentType.PASSPORT_RF, "82 0012345",
                         PowerOfAttorney("77 АБ 1234567", issued))
    dialog = open_list(world, pump)
    press(dialog, pump, "<F8>", "PU-000001")
    text = dialog.message.text
    assert "PU-000001 выдан; расписка напечатана" in text
    assert "представитель" in text and "2345" in text and "0012345" not in text
    assert world.api.reports == [("PU-000001", OperatorState.HANDED_OVER)]
    assert "receipt" in world.printer.printed[-1].name
    pump(lambda: states(dialog).get("PU-000001") == "выдан", what="the row handed over")
    pump(lambda: window.status.pickup.cget("text") == "Выдача: 2 (Ctrl+G)",
         what="the count after the hand-over")
    screenshot("pickup-handed-over-1366x768-ru")


def test_an_expired_order_is_destroyed_on_the_second_delete(world: World, pump: Pump) -> None:
    dialog = open_list(world, pump)
    assert dialog.selected_row.order_id == "PU-000004"  # the first row: the oldest
    assert not dialog.destroy_button.instate(["disabled"])
    press(dialog, pump, "<Delete>", "PU-000002")  # not expired: nothing asked, nothing done
    assert dialog.destroy_button.instate(["disabled"])
    assert dialog.message.text == ""
    press(dialog, pump, "<Delete>", "PU-000004")
    assert "Нажмите Delete ещё раз" in dialog.message.text
    assert world.api.reports == []
    press(dialog, pump, "<Delete>")
    assert "PU-000004 уничтожен" in dialog.message.text
    assert world.api.reports == [("PU-000004", OperatorState.DESTROYED)]
    pump(lambda: states(dialog).get("PU-000004") == "уничтожен", what="the row destroyed")


def test_another_counter_was_first_r11(world: World, pump: Pump,
                                       screenshot: Callable[..., Path]) -> None:
    window = world.window
    assert window.session is not None
    world.identity.check(window.session, IVANOVA, Presenter.HOLDER, DocumentType.PASSPORT_RF,
                         "4510 730291")
    dialog = open_list(world, pump)
    world.api.another_counter("PU-000001", OperatorState.HANDED_OVER)  # while the list is open
    world.api.another_counter("PU-000002", OperatorState.DESTROYED)
    press(dialog, pump, "<F8>", "PU-000001")
    assert dialog.message.text == ("R11: заказ PU-000001 уже выдан (на этом или другом "
                                   "рабочем месте); ничего не изменено.")
    pump(lambda: "PU-000001" not in states(dialog), what="the list as it is now")
    screenshot("pickup-conflict-1366x768-ru")
    assert "PU-000002" not in states(dialog)  # the refresh took the destroyed one away too
    assert world.printer.printed == [] and world.api.reports == []


def test_a_jammed_printer_keeps_the_order_new(world: World, pump: Pump) -> None:
    dialog = open_list(world, pump)
    world.printer.jammed = True
    press(dialog, pump, "<F6>", "PU-000002")
    assert "закончилась бумага" in dialog.message.text
    assert "PU-000002-cover.pdf" in dialog.message.text  # where the papers are kept
    assert world.api.reports == []
    pump(lambda: dialog.loaded and not dialog.busy, what="the list refreshed")
    assert states(dialog)["PU-000002"] == "новый"


def test_the_count_follows_new_orders_on_a_slow_timer(world: World, pump: Pump,
                                                       monkeypatch: pytest.MonkeyPatch) -> None:
    import app.ui.pickup

    status, api = world.window.status, world.api
    pump(lambda: status.pickup.cget("text") == "Выдача: 3 (Ctrl+G)", what="the first count")
    monkeypatch.setattr(app.ui.pickup, "REFRESH_MS", 50)
    world.window.pickup.refresh()  # the timer from now on every 50 ms, not 3 minutes
    template = api.orders["PU-000002"]
    api.orders["PU-000005"] = replace(template, order_id="PU-000005")  # ordered online
    pump(lambda: status.pickup.cget("text") == "Выдача: 4 (Ctrl+G)",
         what="the count without anything pressed")
    assert "MainThread" not in api.threads


def test_the_list_in_english(world: World, pump: Pump,
                             screenshot: Callable[..., Path]) -> None:
    dialog = open_list(world, pump)
    world.window.set_language("en")
    pump(lambda: world.window.status.pickup.cget("text") == "Pick-up: 3 (Ctrl+G)",
         what="the button in English")
    assert dialog.table.tree.heading("subscriber")["text"] == "Number and name"
    assert states(dialog) == {"PU-000004": "expired", "PU-000001": "printed",
                              "PU-000002": "new", "PU-000003": "new"}
    assert dialog.hand_over_button.cget("text") == "Hand over (F8)"
    screenshot("pickup-list-1366x768-en")
    assert misplaced(dialog) == []


def test_all_expired_destroyed_on_the_second_shift_delete(world: World, pump: Pump) -> None:
    dialog = open_list(world, pump)
    press(dialog, pump, "<Shift-Delete>", "PU-000002")  # whatever row is selected
    assert dialog.message.text.startswith("Уничтожить 1 просроченный заказ?")
    assert world.api.reports == []
    press(dialog, pump, "<Shift-Delete>")
    assert dialog.message.text == "Уничтожен 1 просроченный заказ."
    assert world.api.reports == [("PU-000004", OperatorState.DESTROYED)]
    pump(lambda: states(dialog).get("PU-000004") == "уничтожен", what="the row destroyed")
    assert not dialog.destroy_all_button.instate(["!disabled"])  # nothing expired now
