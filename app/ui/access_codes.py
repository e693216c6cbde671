"""The main window's part for the Electronic Assistant's access code (R1, R2, R3): the code's
rows and buttons in the card's Assistant section (F10 issue, F11 check, F12 leaflet), the check
dialog, and — in training only — the subscriber's phone (app/ui/training_phone.py).

Tk thread only; every service call runs on the BackgroundRunner. A lock's countdown is redrawn
every second from the operator's clock: the state's `as_of` plus the time since it arrived
(the training sandbox's clock may run ahead of the wall clock). When the lock ends the state
is asked for again (a fresh count). Offline nothing is queued: the services refuse, and the
sentence is shown.

R2: the code the subscriber types passes through here once, from the masked entry to the
runner's job, and is kept nowhere.
"""

from __future__ import annotations

import tkinter as tk
from collections.abc import Callable
from datetime import datetime
from functools import partial
from typing import TYPE_CHECKING

from app.errors import OperatorUnavailable, SalonError
from app.i18n import _
from app.phone import format_msisdn
from app.ui.card_look import CardLook, card_look
from app.ui.leaflet import LeafletAction
from app.ui.ports import AccessCodePort, Availability
from app.ui.presenters.access_codes import (
    dialog_state,
    issued_message,
    lock_over,
    pending_fields,
    present_actions,
    state_fields,
    unavailable_reason,
    verify_message,
)
from app.ui.presenters.errors import MessageView, present_error
from app.ui.training_phone import TrainingPhone
from app.ui.views.access_code import CodeActionsBar
from app.ui.views.phone_panel import PhonePanel
from models.access_codes import CodeState, VerifyResult

if TYPE_CHECKING:
    from app.services.registry import Services
    from app.ui.views.code_check_dialog import CodeCheckDialog
    from app.ui.window import MainWindow
    from models.domain import SubscriberCard

TICK_MS = 1000
OFFLINE = "offline"


class CodeControls:
    def __init__(self, window: MainWindow) -> None:
        self.window = window
        self.leaflet = LeafletAction(window)
        self.bar = CodeActionsBar(window.card_panel.assistant.bottom, on_issue=self.issue,
                                  on_check=self.open_check, on_leaflet=self.make_leaflet)
        self.bar.grid(row=0, column=0, sticky="ew")
        self.bar.grid_remove()  # until the services bring access codes
        self.training_phone = TrainingPhone(window, on_clock_moved=self._clock_moved)
        self.dialog: CodeCheckDialog | None = None
        self.card: SubscriberCard | None = None  # the card the code is shown for
        self.availability: Availability | None = None
        self.state: CodeState | None = None
        self.busy = False  # an issue on its way
        self.checking = False  # an entry on its way
        self._state_at: datetime | None = None  # the window's clock when the state came
        self._state_error = ""
        self._loading = False
        self._key: CardLook | None = None
        self._sequence = 0  # answers older than one already applied are dropped
        self._applied = 0
        self._tick_after: str | None = None
        self._closed = False

    # -- the services --------------------------------------------------------------------------
    @property
    def codes(self) -> AccessCodePort | None:
        services = self.window.services
        return services.access_codes if services is not None else None

    @property
    def dialog_open(self) -> bool:
        """The check dialog is on screen: the keyboard is turned to the subscriber."""
        return self.dialog is not None and bool(self.dialog.winfo_exists())

    @property
    def phone(self) -> PhonePanel | None:
        """Training only: the subscriber's phone under the demo subscribers."""
        return self.training_phone.panel

    def attach(self, services: Services) -> None:
        self.bar.grid()
        self.training_phone.attach(services)
        if self._tick_after is None:
            self._tick_after = self.window.root.after(TICK_MS, self._tick)
        self._render()

    def bind_keys(self, root: tk.Tk) -> None:
        root.bind("<F10>", lambda _e: self._shortcut(self.issue))
        root.bind("<F11>", lambda _e: self._shortcut(self.open_check))
        root.bind("<F12>", lambda _e: self._shortcut(self.make_leaflet))

    def make_leaflet(self) -> None:
        """F12 / the button: the leaflet for the number on screen, or a blank one."""
        self.leaflet.make(self.card.subscriber.msisdn if self.card is not None else None)

    def _shortcut(self, command: Callable[[], None]) -> str:
        command()
        return "break"

    # -- the card ------------------------------------------------------------------------------
    def show_card(self, card: SubscriberCard | None) -> None:
        """The window shows (or re-shows) a card: its rules at once, the code's state on the
        runner (again for a new look at it: an order may have connected the Assistant)."""
        codes = self.codes
        if codes is None or card is None:
            return
        key = card_look(card)
        if key == self._key:
            self._render()
            return
        same = self.card is not None and self.card.subscriber.msisdn == card.subscriber.msisdn
        if not same:
            self._reset()
        self._key, self.card = key, card
        self.availability = codes.availability(card)
        if self.availability.available:
            self.refresh_state()
        self._render()
        self.training_phone.show(card.subscriber.msisdn)

    def refresh_state(self) -> None:
        codes, card, clerk = self.codes, self.card, self.window.session
        if codes is None or card is None or clerk is None:
            return
        msisdn = card.subscriber.msisdn
        self._loading = True
        self.window.runner.submit(lambda: codes.state(clerk, msisdn),
                                  partial(self._state_done, msisdn, self._next()),
                                  partial(self._state_failed, msisdn))

    def _state_done(self, msisdn: str, sequence: int, state: CodeState) -> None:
        if self._mine(msisdn):
            self._loading = False
            self._apply(sequence, state)
            self._render()

    def _state_failed(self, msisdn: str, error: BaseException) -> None:
        if self._mine(msisdn):
            self._loading = False
            self._state_error = _("unknown: {reason}").format(reason=present_error(error).text)
            self._render()

    def forget(self) -> None:
        """No subscriber on screen (Esc, another lookup failed, the lock, signing out)."""
        self._reset()
        self.card, self._key, self.availability = None, None, None
        self.window.card_panel.set_extra_fields("assistant", ())
        self.training_phone.show(None)

    def _reset(self) -> None:
        if self.dialog is not None and self.dialog.winfo_exists():
            self.dialog.close()
        self.dialog = None
        self.state, self._state_at, self._state_error = None, None, ""
        self._loading = self.busy = self.checking = False
        self._applied = self._sequence

    # -- issue ---------------------------------------------------------------------------------
    def issue(self) -> None:
        """F10 / the button: a new code by SMS to the subscriber's phone (R2)."""
        window, codes, card, clerk = self.window, self.codes, self.card, self.window.session
        if not window.working or codes is None or card is None or clerk is None or self.busy:
            return
        if not self._available():
            return
        msisdn = card.subscriber.msisdn
        self.busy = True
        window.message.show(MessageView(_("Sending the access code to the subscriber's "
                                          "phone…"), "info"))
        self._render()
        window.runner.submit(lambda: codes.issue(clerk, msisdn, card),
                             partial(self._issued, msisdn, self._next()),
                             partial(self._issue_failed, msisdn))

    def _issued(self, msisdn: str, sequence: int, state: CodeState) -> None:
        if not self._mine(msisdn):
            return
        self.busy = False
        self._apply(sequence, state)
        assert self.card is not None
        self.window.message.show(issued_message(state, format_msisdn(msisdn), self._zone()))
        self._render()
        self._bring_into_view()
        self.training_phone.refresh()

    def _issue_failed(self, msisdn: str, error: BaseException) -> None:
        if not self._mine(msisdn):
            return
        self.busy = False
        self.window.message.show(present_error(error))
        self._render()
        if isinstance(error, OperatorUnavailable) and error.maybe_delivered:
            self.refresh_state()
            self.training_phone.refresh()

    # -- check ---------------------------------------------------------------------------------
    def open_check(self) -> None:
        """F11 / the button: the dialog where the subscriber types the code."""
        window, card = self.window, self.card
        if not window.working or self.codes is None or card is None or window.session is None:
            return
        if self.dialog is not None and self.dialog.winfo_exists():
            self.dialog.focus_entry()  # on top, the cursor back in its entry
            return
        if not self._available():
            window.root.focus_set()  # the reason is shown; the phone field stays untyped-in
            return
        # Locked, or no code issued: the dialog opens all the same, in that state (the entry
        # disabled, the cursor on Close). The subscriber has the keyboard by now: what they
        # type must land nowhere — never in the phone field, whence Enter would send it to
        # the operator as a number and into the log and the journal (R2).
        from app.ui.views.code_check_dialog import CodeCheckDialog  # opens on demand

        window.message.show(None)
        self.dialog = CodeCheckDialog(window.root, phone=format_msisdn(card.subscriber.msisdn),
                                      name=card.subscriber.name, on_check=self._check)
        self.dialog.bind("<Destroy>", self._dialog_closed, add="+")
        self._render_dialog()

    def _check(self, entry: str) -> None:
        """The dialog's Enter: the entry (already gone from the field) goes to the runner
        once; the answer and the new state come back together."""
        codes, card, clerk, dialog = self.codes, self.card, self.window.session, self.dialog
        if codes is None or card is None or clerk is None or dialog is None:
            return
        msisdn = card.subscriber.msisdn

        def job() -> tuple[VerifyResult, CodeState | None]:
            result = codes.verify(clerk, msisdn, entry, card)
            try:
                return result, codes.state(clerk, msisdn)
            except SalonError:
                return result, None  # the answer stands; the state is asked for later

        self.checking = True
        dialog.set_busy(True)
        self.window.runner.submit(job, partial(self._checked, msisdn, self._next()),
                                  partial(self._check_failed, msisdn))

    def _checked(self, msisdn: str, sequence: int,
                 answer: tuple[VerifyResult, CodeState | None]) -> None:
        if not self._mine(msisdn):
            return
        self.checking = False
        result, state = answer
        if state is not None:
            self._apply(sequence, state)
        self._render()
        if self.dialog is not None and self.dialog.winfo_exists():
            self.dialog.set_busy(False)
            self.dialog.show_result(verify_message(result, self._operator_now(), self._zone()))
            self._render_dialog()

    def _check_failed(self, msisdn: str, error: BaseException) -> None:
        if not self._mine(msisdn):
            return
        self.checking = False
        if self.dialog is not None and self.dialog.winfo_exists():
            self.dialog.set_busy(False)
            self.dialog.show_result(present_error(error))
        if isinstance(error, OperatorUnavailable) and error.maybe_delivered:
            self.refresh_state()  # it may have counted: show the attempts left as they are

    def _dialog_closed(self, event: tk.Event) -> None:
        if self.dialog is not None and event.widget is self.dialog:
            self.dialog = None
            if self.window.working and not self._closed:
                self._keyboard_to_subscriber()
                self._bring_into_view()  # what the entries did to the attempts left

    def _keyboard_to_subscriber(self) -> None:
        """The keyboard may still be turned to the subscriber, who may type on: the cursor
        goes to no field (the window itself), so what they type lands nowhere; the clerk takes
        the phone field back with F3 or a click (R2)."""
        window = self.window
        window.root.focus_set()
        window.message.show(MessageView(_(
            "The code check is closed. The cursor is in no field, so what the subscriber may "
            "still type goes nowhere; F3 or a click takes you back to the phone field."),
            "info"))

    # -- drawing -------------------------------------------------------------------------------
    def _render(self) -> None:
        card, availability = self.card, self.availability
        panel = self.window.card_panel
        if card is None or availability is None or self.codes is None:
            panel.set_extra_fields("assistant", ())
            self.bar.show(present_actions(None))
            return
        if not availability.available:
            fields = pending_fields(_("unknown: no connection")) \
                if availability.rule == OFFLINE else ()
        elif self.state is not None:
            fields = state_fields(self.state, self._operator_now(), self._zone())
        elif self._state_error:
            fields = pending_fields(self._state_error)
        else:
            fields = pending_fields(_("checking the state…"))
        panel.set_extra_fields("assistant", fields)
        self.bar.show(present_actions(availability.available, availability.reason,
                                      availability.rule, self.state, self.busy))
        self._render_dialog()

    def _render_dialog(self) -> None:
        dialog = self.dialog
        if dialog is not None and dialog.winfo_exists() and self.card is not None:
            dialog.show_state(*dialog_state(self.state, self._operator_now(), self._zone()))

    def _clock_moved(self) -> None:
        """The training world's clock moved: a lock on screen may have ended."""
        if self.card is not None and self.availability is not None \
                and self.availability.available:
            self.refresh_state()

    def _tick(self) -> None:
        """Every second: the countdown, the end of a lock, the phone while it is shown, and
        whether the card the code belongs to is still on screen."""
        self._tick_after = None
        if self._closed:
            return
        window = self.window
        on_screen = window.card
        if self.card is not None and (
                on_screen is None or not window.working
                or on_screen.subscriber.msisdn != self.card.subscriber.msisdn):
            self.forget()
        elif self.state is not None and self.state.locked:
            if lock_over(self.state, self._operator_now()):
                if not self._loading:
                    self.refresh_state()
            else:
                self._render()
        self.training_phone.tick()
        self._tick_after = window.root.after(TICK_MS, self._tick)

    # -- helpers -------------------------------------------------------------------------------
    def _available(self) -> bool:
        availability = self.availability
        if availability is None:
            return False
        if not availability.available:
            self.window.message.show(MessageView(
                unavailable_reason(availability.rule, availability.reason),
                "offline" if availability.rule == OFFLINE else "input"))
            return False
        return True

    def _mine(self, msisdn: str) -> bool:
        """An answer for the subscriber still on screen (and the window still open)."""
        return not self._closed and self.card is not None \
            and self.card.subscriber.msisdn == msisdn

    def _next(self) -> int:
        self._sequence += 1
        return self._sequence

    def _apply(self, sequence: int, state: CodeState) -> None:
        if sequence <= self._applied:
            return  # a newer answer (an issue, a check) is already on screen
        self._applied = sequence
        self.state, self._state_at, self._state_error = state, self.window.clock.now(), ""

    def _bring_into_view(self) -> None:
        """After the clerk did something with the code, its rows are on screen (the card may
        scroll on a short window)."""
        panel = self.window.card_panel
        panel.after_idle(lambda: panel.scroll.see(panel.assistant))

    def _operator_now(self) -> datetime:
        """The operator's clock now: the state's `as_of` plus the time since it came."""
        now = self.window.clock.now()
        if self.state is None or self._state_at is None:
            return now
        return self.state.as_of + (now - self._state_at)

    def _zone(self) -> str:
        card = self.card
        return card.subscriber.region.timezone if card is not None \
            else self.window.settings.salon.timezone

    # -- language, close -----------------------------------------------------------------------
    def retranslate(self) -> None:
        self.training_phone.retranslate()
        if self.dialog is not None and self.dialog.winfo_exists():
            self.dialog.retranslate()
        if self.card is not None and self.codes is not None:
            self.availability = self.codes.availability(self.card)  # sentences: this language
        self._render()

    def close(self) -> None:
        self._closed = True
        if self._tick_after is not None:
            self.window.root.after_cancel(self._tick_after)
            self._tick_after = None
