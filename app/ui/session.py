"""The signed-in clerk, the lock and the idle watch: the part of the main window that decides
whether anything of a subscriber may be on screen. Mixed into MainWindow; Tk thread only.

Nothing is shown or done for a subscriber until a clerk signs in (the Gate in front of the work
area). After `idle_lock_minutes` without input, or on Ctrl+Shift+L, the window locks: the card
goes off screen and the lock screen says who is signed in; they unlock with their password, or
another clerk signs in there and the first is signed out (a takeover).
"""

from __future__ import annotations

import tkinter as tk
from collections.abc import Callable
from tkinter import ttk
from typing import TYPE_CHECKING

from app.ui.gate import Gate
from app.ui.presenters.errors import MessageView, present_error
from app.ui.presenters.idle import IdleWatch
from app.ui.presenters.signin import clerk_badge
from app.ui.views.card import CardPanel
from app.ui.views.header import HeaderBar
from app.ui.views.message import MessageArea
from app.ui.views.search import SearchBar
from app.ui.views.statusbar import StatusBar

if TYPE_CHECKING:
    from app.services.clerks import ClerkService
    from app.services.registry import Services
    from app.ui.access_codes import CodeControls
    from app.ui.delivery import DeliveryControls
    from app.ui.detalization import DetalizationControls
    from app.ui.identity import IdentityControls
    from app.ui.orders import OrderControls
    from app.ui.pickup import PickupControls
    from app.ui.runner import BackgroundRunner
    from models.domain import Session, SubscriberCard


class SessionControls:
    # What MainWindow provides.
    root: tk.Tk
    header: HeaderBar
    search: SearchBar
    body: ttk.PanedWindow
    card_panel: CardPanel
    message: MessageArea
    status: StatusBar
    gate: Gate
    orders: OrderControls
    codes: CodeControls
    detalization: DetalizationControls
    delivery: DeliveryControls
    identity: IdentityControls
    pickup: PickupControls
    runner: BackgroundRunner
    services: Services | None
    card: SubscriberCard | None
    services_error: BaseException | None
    _request: int
    _pending: str | None

    # What this part keeps.
    session: Session | None
    locked: bool
    idle: IdleWatch
    _held: tuple[SubscriberCard | None, str] | None  # what a lock took off screen
    daily_log_dialog: tk.Toplevel | None  # the manager's daily log, while it is open

    if TYPE_CHECKING:  # MainWindow's own; declared for the type checker only

        def _set_busy(self, busy: bool) -> None: ...

        def _show_card(self) -> None: ...

        def _refresh_status(self) -> None: ...

        def lookup(self, text: str | None = None) -> None: ...

    def _init_session(self, idle: IdleWatch) -> None:
        self.session = None
        self.locked = False
        self._held = None
        self.idle = idle
        self.daily_log_dialog = None

    @property
    def working(self) -> bool:
        """A clerk is signed in and the window is not locked."""
        return self.session is not None and not self.locked

    def start_session(self, session: Session) -> None:
        """Signed in (or unlocked). The same clerk gets back what the lock hid; anyone else
        takes over the counter with nothing of the previous clerk's subscriber on screen."""
        held, self._held = self._held, None
        same = self.session is not None and self.session.login == session.login
        if self.session is not None and not same:
            previous = self.session
            self._journal(lambda clerks: clerks.sign_out(previous, detail="takeover"))
        self.session = session
        self.locked = False
        self.header.set_clerk(clerk_badge(session), manager=session.is_manager)
        self._show_work()
        self.idle.touch()
        if same and held is not None and held[0] is not None and _shown_after_check(
                held[0], self.services):
            # R10: the lock ended the visit's identity check; the card comes back as a lookup
            # now gives it (its personal parts withheld again), never from memory.
            self._forget_subscriber()
            self.lookup(held[1])
        elif same and held is not None:
            self.card, text = held
            self.search.set_text(text)
            self._show_card()
        else:
            self._forget_subscriber()
        self.search.focus_field(select=True)
        self.search.entry.focus_force()
        self.pickup.refresh()  # this salon's pick-up count, for the clerk now signed in
        self._refresh_status()

    def lock(self, reason: str = "shortcut") -> None:
        """Personal data off screen; the lock screen says who is signed in."""
        if self.session is None or self.locked:
            return
        session = self.session
        # Locked while the subscriber types their access code: the keyboard is theirs, so the
        # lock screen puts the cursor in no field (the password field would take the code,
        # and Enter would try it as the clerk's password). The clerk clicks the field (R2).
        subscriber_typing = self.codes.dialog_open
        self._journal(lambda clerks: clerks.screen_locked(session, detail=reason))
        self._held = (self.card, self.search.text)
        self._forget_subscriber()
        self.locked = True
        self.gate.show_lock(self.session)
        self._show_gate()
        if subscriber_typing:
            self.gate.hold_focus()
        else:
            self.gate.focus()
        self._refresh_status()

    def sign_out(self) -> None:
        if self.session is not None:
            session = self.session
            self._journal(lambda clerks: clerks.sign_out(session))
        self.session = None
        self.locked = False
        self._held = None
        self._forget_subscriber()
        self.header.set_clerk("")
        self.gate.show_sign_in()
        self._show_gate()
        self.gate.focus()
        self._refresh_status()

    def check_idle(self) -> None:
        """Lock when the clerk has not touched the keyboard or mouse for the set minutes
        (the window asks every second; tests move the clock and ask at once)."""
        if self.working and self.idle.due():
            self.lock("idle")

    def _journal(self, write: Callable[[ClerkService], None]) -> None:
        """Write a journal entry on a worker; a failure to write is shown, never swallowed."""
        # The accounts are open before the rest of the services: signed in, locked or taken
        # over while the operator's side is still being built is journaled all the same.
        clerks = self.services.clerks if self.services is not None else self.gate.clerks
        if clerks is not None:
            self.runner.submit(lambda: write(clerks), lambda _done: None, self._journal_failed)

    def _journal_failed(self, error: BaseException) -> None:
        self.message.show(present_error(error))

    def _forget_subscriber(self) -> None:
        # The manager's log names subscribers too: it goes when the counter locks or changes.
        if self.daily_log_dialog is not None and self.daily_log_dialog.winfo_exists():
            self.daily_log_dialog.destroy()
        self.daily_log_dialog = None
        self.orders.forget()  # the operation dialog and the queue name subscribers too
        self.codes.forget()  # the code's check dialog; the phone shows no one's SMS
        self.detalization.forget()
        self.delivery.forget()
        self.identity.close()  # the identity check's dialog names the subscriber too
        self.pickup.forget()  # the pick-up list names subscribers (masked) too
        self._request += 1  # an answer still on its way is dropped
        self._pending = None
        self._set_busy(False)
        self.card = None
        self.card_panel.show(None)
        self.search.set_text("")
        kept: MessageView | None = None if self.services_error is None else self.message.view
        self.message.show(kept)

    def _show_gate(self) -> None:
        self.search.grid_remove()
        self.body.grid_remove()
        self.gate.frame.grid()
        self.status.show_sign_in_keys(True)

    def _show_work(self) -> None:
        self.gate.frame.grid_remove()
        self.search.grid()
        self.body.grid()
        self.status.show_sign_in_keys(False)

    def _bind_session_keys(self) -> None:
        # More specific than Ctrl+L (focus the phone field), so Shift makes the difference;
        # Cyrillic_DE is the same key in the Russian layout.
        # Also on every other window of the console (bind_all): the clerk locks from a dialog
        # too — the access code's, while the subscriber types — and the lock closes it. The
        # main window keeps its own binding, or its Ctrl+L would take the key first.
        for sequence in ("<Control-Shift-L>", "<Control-Shift-Cyrillic_DE>"):
            self.root.bind(sequence, self._lock_now)
            self.root.bind_all(sequence, self._lock_now)
        self.root.bind("<F9>", self._daily_log_key)
        # Any key, click or mouse move anywhere in the window counts as the clerk being there.
        for sequence in ("<KeyPress>", "<ButtonPress>", "<Motion>", "<MouseWheel>"):
            self.root.bind_all(sequence, self._touched, add="+")

    def open_daily_log(self) -> None:
        """The manager's daily log (F9): a window of its own over the counter's."""
        services, session = self.services, self.session
        if services is None or session is None \
                or not session.is_manager or not self.working:
            return
        from app.ui.views.daily_log_dialog import DailyLogDialog  # the journal loads on demand

        self.daily_log_dialog = DailyLogDialog(self.root, services.daily_log, self.runner,
                                               session.login, names=self.orders.names)

    def _daily_log_key(self, _event: tk.Event) -> str:
        self.open_daily_log()
        return "break"

    def _lock_now(self, _event: tk.Event) -> str:
        self.lock()
        return "break"

    def _touched(self, _event: tk.Event) -> None:
        self.idle.touch()


def _shown_after_check(card: SubscriberCard, services: Services | None) -> bool:
    """The card showed parts that R10 withholds until the visit's identity check."""
    if services is None or card.withheld:
        return False
    from models.identity import CARD_NEEDS

    return any(need.value in services.settings.identity.require_for for need in CARD_NEEDS)
