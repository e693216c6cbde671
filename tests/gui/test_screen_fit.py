"""The window fits the counter's screen (issue 12): on Xvfb screens of 1366x768, 1280x1024 and
1920x1080 it opens as big as the screen, and every control, the status bar and every dialog's
buttons lie within the window and the screen. Screenshots go to artifacts/screenshots/."""

from __future__ import annotations

import tkinter as tk
from collections.abc import Iterator
from pathlib import Path

import pytest

from app import formatting
from app.config import Settings, load_settings
from tests.conftest import write_ini
from tests.gui.conftest import COUNTER_SCREENS, Screens, TkErrors, tk_root
from tests.gui.geometry import box, misplaced, screen_box
from tests.gui.helpers import real_window, screen_text, sign_in

BUSY = "+7 916 123-45-67"  # the demo world's showcase: many services, packages, a debt


@pytest.fixture(params=COUNTER_SCREENS)
def root(request: pytest.FixtureRequest, screens: Screens,
         tk_errors: TkErrors) -> Iterator[tk.Tk]:
    """A Tk root on a screen of the counter's size (the window sizes itself)."""
    with tk_root(tk_errors, screens.display(request.param)) as root:
        yield root


@pytest.fixture
def settings(tmp_path: Path) -> Settings:
    return load_settings(write_ini(tmp_path, salon={"language": "ru"}))


def look_up(window, pump, number: str) -> None:
    window.search.set_text(number)
    window.search.entry.focus_force()
    window.search.entry.event_generate("<Return>")
    pump(lambda: window.card is not None and not window.busy, timeout=15, what="the card")


def test_the_window_fills_the_screen_and_everything_is_in_view(root, settings, pump,
                                                                screenshot) -> None:
    size = f"{root.winfo_screenwidth()}x{root.winfo_screenheight()}"
    with real_window(root, settings, pump, create=True) as window:
        pump(lambda: box(root) == screen_box(root), what="the window as big as the screen")
        assert str(root.attributes("-zoomed")) == "1"  # maximised where a window manager is
        look_up(window, pump, BUSY)
        pump(lambda: not window.runner.busy, timeout=15, what="the card's extras")
        screenshot(f"fit-{size}-card")
        assert window.status.winfo_ismapped()
        assert misplaced(root) == []
        assert cut_short(window.status) == []


def cut_short(status: tk.Misc) -> list[str]:
    """The status bar's parts drawn narrower than their text needs (a hint cut off)."""
    return [f"{child.winfo_class()} «{child.cget('text')}»" for child in status.winfo_children()
            if child.winfo_ismapped() and child.winfo_width() < child.winfo_reqwidth()]


def wait_for(window, pump, dialog: tk.Toplevel | None, what: str) -> tk.Toplevel:
    assert dialog is not None, what
    pump(dialog.winfo_ismapped, what=what)
    pump(lambda: not window.runner.busy, timeout=20, what=f"{what}: its answers")
    dialog.lift()
    return dialog


def check_dialog(window, pump, screenshot, dialog: tk.Toplevel, name: str) -> None:
    size = f"{window.root.winfo_screenwidth()}x{window.root.winfo_screenheight()}"
    screenshot(f"fit-{size}-{name}")
    assert misplaced(dialog) == [], name


def test_every_dialog_and_its_buttons_are_in_view(root, settings, pump, screenshot) -> None:
    from models.orders import OrderAction

    with real_window(root, settings, pump, create=True, login="manager",
                     password="manager-demo") as window:
        look_up(window, pump, BUSY)
        pump(lambda: not window.runner.busy, timeout=15, what="the card's extras")

        window._show_keys(None)
        dialog = wait_for(window, pump, window.keys_dialog, "the keys")
        check_dialog(window, pump, screenshot, dialog, "keys")
        dialog.destroy()

        for action in (OrderAction.CHANGE_TARIFF, OrderAction.ADD_SERVICE):
            window.orders.open(action)
            dialog = wait_for(window, pump, window.orders.dialog, action.value)
            check_dialog(window, pump, screenshot, dialog, f"{action.value}-choose")
            dialog.primary()
            pump(lambda d=dialog: d.phase == "preview", timeout=15, what="the preview")
            check_dialog(window, pump, screenshot, dialog, f"{action.value}-preview")
            dialog.close()

        for name, open_, attribute in (
                ("catalog", window.orders.open_catalog, lambda: window.orders.catalog_dialog),
                ("queue", window.orders.open_queue, lambda: window.orders.queue_dialog),
                ("detalization", window.detalization.open,
                 lambda: window.detalization.dialog),
                ("print-queue", window.delivery.open_print_queue,
                 lambda: window.delivery.queue_dialog),
                ("printer", window.delivery.open_printer_settings,
                 lambda: window.delivery.settings_dialog),
                ("archive", window.delivery.open_archive,
                 lambda: window.delivery.archive_dialog),
                ("daily-log", window.open_daily_log, lambda: window.daily_log_dialog),
                ("pickup", window.pickup.open, lambda: window.pickup.dialog)):
            open_()
            dialog = wait_for(window, pump, attribute(), name)
            check_dialog(window, pump, screenshot, dialog, name)
            dialog.destroy()

        window.codes.issue()  # the access code's check dialog, with a code to check
        pump(lambda: not window.runner.busy and window.codes.state is not None
             and window.codes.state.issued_at is not None, timeout=15, what="a code issued")
        window.codes.open_check()
        dialog = wait_for(window, pump, window.codes.dialog, "the code check")
        check_dialog(window, pump, screenshot, dialog, "code-check")
        dialog.close()
        window.lock()  # the lock screen, as it is after a lock during the check
        window.gate.hold_focus()
        pump(lambda: window.gate.frame.winfo_ismapped(), what="the lock screen")
        screenshot(f"fit-{root.winfo_screenwidth()}x{root.winfo_screenheight()}-lock")
        assert misplaced(root) == []
        sign_in(window, pump, "manager", "manager-demo")

        from app.ui.views.file_dialog import FileDialog

        dialog = FileDialog(root, mode="save", title="Сохранить журнал как", name="a.xlsx",
                            extension=".xlsx")
        pump(dialog.winfo_ismapped, what="the file dialog")
        check_dialog(window, pump, screenshot, dialog, "file-dialog")
        dialog.cancel()


def test_after_a_tariff_change_the_whole_card_is_fresh(root, settings, pump, screenshot) -> None:
    from app.ui.presenters.card import present_card
    from models.orders import OrderAction

    with real_window(root, settings, pump, create=True) as window:
        look_up(window, pump, BUSY)
        pump(lambda: not window.runner.busy, timeout=15, what="the card's extras")
        pump(lambda: "услуги" in window.card_panel.view.tariff[2].note,
             what="the card's monthly cost with the services' fees")
        before = window.card_panel.view
        window.orders.open(OrderAction.CHANGE_TARIFF)
        dialog = wait_for(window, pump, window.orders.dialog, "the tariff dialog")
        dialog.choose.select("SMART_PLUS")
        dialog.primary()
        pump(lambda: dialog.phase == "preview", timeout=15, what="the preview")
        # One name and one amount: the card's monthly cost is the preview's "before".
        monthly = formatting.money(dialog.preview.monthly_cost_before)
        assert before.tariff[2].label == "Ежемесячная стоимость"
        assert before.tariff[2].value == f"{monthly} в месяц"
        assert f"Ежемесячная стоимость\n{monthly} →" in screen_text(dialog)
        dialog.primary()
        pump(lambda: dialog.phase == "result", timeout=15, what="the result")
        pump(lambda: not window.runner.busy and not window.busy, timeout=15, what="the reload")
        screenshot("fit-after-tariff-change")
        services, session = window.services, window.session
        fresh = services.lookup.lookup(BUSY, session)
        shown = window.card_panel.view
        expected = present_card(fresh, window.clock.now(), settings.salon.timezone,
                                window.orders.service_fees)
        assert shown.tariff == expected.tariff and shown.tariff != before.tariff
        assert shown.balances == expected.balances
        assert shown.packages == expected.packages
        on_screen = screen_text(window.card_panel)  # and the widgets say so, not just the model
        for field in (*expected.tariff, *expected.balances):
            assert field.value in on_screen, field.label
        for package in expected.packages:
            assert package.amount in on_screen and package.until in on_screen, package.label
        dialog.close()

        # On «Смарт Плюс» services connect at half price: the preview says whose price it is.
        pump(lambda: window.orders.options is not None and not window.runner.busy,
             timeout=15, what="the new card's operations")
        window.orders.open(OrderAction.ADD_SERVICE)
        dialog = wait_for(window, pump, window.orders.dialog, "the service dialog")
        paid = next(o for o in window.orders.options.add_services
                    if o.available and o.one_off_fee.amount > 0)
        dialog.choose.select(paid.request.code)
        dialog.primary()
        pump(lambda: dialog.phase == "preview", timeout=15, what="the preview")
        note = screen_text(dialog.preview_step)
        assert "такова цена на тарифе абонента «Смарт Плюс»; по прейскуранту — " \
               f"{formatting.money(paid.one_off_fee)}" in note
        check_dialog(window, pump, screenshot, dialog, "add-service-tariff-price")
        dialog.close()


@pytest.mark.parametrize("root", ["1366x768"], indirect=True)  # where the card scrolls
def test_every_new_card_opens_at_its_top(root, settings, pump, screenshot) -> None:
    with real_window(root, settings, pump, create=True) as window:
        scroll = window.card_panel.scroll
        for number in (BUSY, "+7 911 987-65-43", "+7 911 987-65-43"):
            look_up(window, pump, number)
            pump(lambda: not window.runner.busy, timeout=15, what="the card's extras")
            assert scroll.scrolls
            assert scroll.canvas.yview()[0] == 0.0, f"{number} opened scrolled down"
            scroll.canvas.yview_moveto(1.0)  # the clerk scrolled down to the Assistant
            pump(lambda: scroll.canvas.yview()[0] > 0, what="scrolled down")
        screenshot("fit-1366x768-scrolled-down")


@pytest.mark.parametrize("root", ["1366x768"], indirect=True)
def test_the_card_in_both_languages_on_a_laptops_screen(root, settings, pump,
                                                        screenshot) -> None:
    """The README's pictures, and the English words (often longer) fit as well."""
    with real_window(root, settings, pump, create=True) as window:
        look_up(window, pump, "+7 911 987-65-43")  # the demo world's promised payment
        pump(lambda: not window.runner.busy, timeout=15, what="the card's extras")
        pump(lambda: "услуги" in window.card_panel.view.tariff[2].note,
             what="the monthly cost with the services")
        screenshot("card-training-ru-1366x768")
        assert misplaced(root) == []
        window.set_language("en")
        pump(lambda: "services" in window.card_panel.view.tariff[2].note,
             what="the card in English")
        screenshot("card-en-1366x768")
        assert misplaced(root) == []
        window.set_language("ru")
