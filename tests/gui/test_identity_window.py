"""R10 in the window: the card before the check (its personal parts say what they wait for), F2
opens the check with a masked number field, a mismatch is said in the dialog, the right
document brings the card in full, the lock ends the visit (the card comes back withheld), and a
representative is recorded with the power of attorney. The real IdentityService over the real
store (SQLite), a fake operator record; screenshots of the card before and after."""

from __future__ import annotations

import tkinter as tk
from collections.abc import Callable, Iterator
from dataclasses import replace
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest

from app.config import IdentitySettings, Settings
from app.services.identity import IdentityService
from app.ui.window import MainWindow
from models.db import open_store
from models.identity import HolderRecord, IdentityDocument
from models.identity_store import StoreIdentity
from tests.gui.fakes import (
    ANNA,
    IVANOVA,
    Clock,
    FakeOperator,
    make_services,
    session_of,
    write_settings,
)
from tests.gui.helpers import screen_text

Pump = Callable[..., None]
NUMBER = "4510 730291"


ADDRESS = "ivanova.maria@mail.example"  # the operator holds it (TMF629 contactMedium)


class Records:
    def holder_record(self, msisdn: str) -> HolderRecord:
        return HolderRecord(True, (IdentityDocument("passportRF", NUMBER),))

    def email_addresses(self, msisdn: str) -> tuple[str, ...]:
        return (ADDRESS,)


@pytest.fixture
def world(root: tk.Tk, tmp_path: Path, pump: Pump) -> Iterator[tuple[MainWindow, Any]]:
    settings: Settings = replace(write_settings(tmp_path), identity=IdentitySettings())
    clock = Clock()
    store = open_store(f"sqlite:///{tmp_path / 'salon.db'}")
    journal: list[tuple[Any, ...]] = []

    class Journal:
        def record(self, *args: Any, **kwargs: Any) -> None:
            journal.append((args, kwargs))

    identity = IdentityService(Records(), StoreIdentity("MSK", "2"), lambda: b"k" * 32, clock,
                               settings=settings.identity, salon="MSK", counter="2",
                               timezone="Europe/Moscow", journal=Journal())
    services = make_services(settings, FakeOperator(), clock, identity=identity,
                             contacts=Records())
    services.clerks.on_session(identity.session_event)
    window = MainWindow(root, settings, services, clock=clock)
    window.start_session(session_of(ANNA))
    pump(root.winfo_ismapped, what="the window to be mapped")
    try:
        yield window, journal
    finally:
        pump(lambda: not window.runner.busy, what="the runner's jobs to come back")
        window.close()
        store.close()


def show(window: MainWindow, pump: Pump) -> None:
    window.search.set_text(IVANOVA)
    window.search.entry.focus_force()
    window.search.entry.event_generate("<Return>")
    pump(lambda: not window.busy and window.card is not None, what="the card")


def open_check(window: MainWindow, pump: Pump) -> Any:
    window.search.entry.focus_force()
    window.search.entry.event_generate("<F2>")
    pump(lambda: window.identity.dialog is not None, what="the identity check dialog")
    dialog = window.identity.dialog
    assert dialog is not None
    pump(dialog.winfo_ismapped, what="the dialog on screen")
    dialog.lift()
    return dialog


def record(window: MainWindow, dialog: Any, pump: Pump, number: str) -> None:
    dialog.number.focus_force()
    dialog.number.insert(0, number)
    assert dialog.number.cget("show") == "•"  # masked
    dialog.number.event_generate("<Return>")
    assert dialog.number.get() == ""  # emptied before the answer, whatever it is
    pump(lambda: not window.runner.busy and not window.busy, what="the check's answer")


def test_the_card_waits_for_the_check_and_f2_brings_it_in_full(
        world: tuple[MainWindow, Any], pump: Pump, screenshot: Callable[..., Path]) -> None:
    window, journal = world
    show(window, pump)
    assert window.card is not None and window.card.balances is None
    balances = screen_text(window.card_panel.balances)
    assert "после проверки документа (R10)" in balances
    assert "₽" not in balances  # no amount before the check
    subscriber = screen_text(window.card_panel.subscriber)
    assert "E-mail" in subscriber and "i***@mail.example" not in subscriber
    screenshot("identity-card-before-ru")
    dialog = open_check(window, pump)
    screenshot("identity-dialog-ru")
    record(window, dialog, pump, "4510 000000")
    assert "не совпадает" in dialog.result.text  # said in the dialog, nothing recorded
    assert window.card.balances is None
    record(window, dialog, pump, NUMBER.replace(" ", ""))
    pump(lambda: window.identity.dialog is None, what="the dialog to close")
    pump(lambda: window.card is not None and window.card.balances is not None,
         what="the card in full")
    assert "₽" in screen_text(window.card_panel.balances)
    subscriber = screen_text(window.card_panel.subscriber)
    assert "i***@mail.example" in subscriber and ADDRESS not in subscriber  # masked
    assert "0291" in window.message.text and NUMBER not in window.message.text
    # The operations are offered now: the R10 note goes and the F-keys come.
    pump(lambda: window.orders.options is not None, what="the card's operations")
    operations = screen_text(window.orders.bar)
    assert "R10" not in operations
    pump(lambda: "R10" not in screen_text(window.card_panel.assistant),
         what="the Assistant's part without the R10 note")
    screenshot("identity-card-after-ru")
    details = [kwargs.get("detail", "") for _args, kwargs in journal]
    assert "holder passportRF *0291" in details and "holder passportRF *0000" in details
    assert all("730291" not in str(entry) for entry in journal)


def test_the_lock_ends_the_visit(world: tuple[MainWindow, Any], pump: Pump) -> None:
    window, _journal = world
    show(window, pump)
    record(window, open_check(window, pump), pump, NUMBER)
    pump(lambda: window.card is not None and window.card.balances is not None,
         what="the card in full")
    window.lock()
    pump(lambda: not window.runner.busy, what="the lock's journal entry")
    window.start_session(session_of(ANNA))  # the same clerk unlocks
    pump(lambda: not window.busy and window.card is not None, what="the card again")
    assert window.card is not None and window.card.balances is None  # withheld again


def test_a_representative_with_a_power_of_attorney(world: tuple[MainWindow, Any],
                                                   pump: Pump) -> None:
    window, journal = world
    show(window, pump)
    dialog = open_check(window, pump)
    assert not dialog.poa_number.winfo_ismapped()  # for a representative only
    dialog.representative_button.invoke()
    pump(dialog.poa_number.winfo_ismapped, what="the power of attorney's fields")
    record(window, dialog, pump, "82 0012345")
    assert "доверенности" in dialog.result.text  # its number and date are needed
    dialog.poa_number.insert(0, "77 АБ 1234567")
    issued = window.clock.now() - timedelta(days=30)
    dialog.poa_date.insert(0, issued.strftime("%d.%m.%Y"))
    record(window, dialog, pump, "82 0012345")
    pump(lambda: window.card is not None and window.card.balances is not None,
         what="the card in full")
    assert any(kwargs.get("detail", "").startswith("representative passportRF *2345 poa 77 АБ")
               for _args, kwargs in journal)
