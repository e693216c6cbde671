"""The main window: wires the views to the services through the BackgroundRunner.

Everything here runs on the Tk thread. Work that can wait on the network (building the
services, signing in, a lookup, the demo list) goes to the runner; its answer comes back here.
The signed-in clerk, the lock and the idle watch are app/ui/session.py's part of the window.
"""

from __future__ import annotations

import time
import tkinter as tk
from collections.abc import Callable
from concurrent.futures import Future
from functools import partial
from tkinter import ttk
from typing import TYPE_CHECKING

from app import i18n
from app.clock import Clock
from app.config import Settings
from app.i18n import _
from app.ui.access_codes import CodeControls
from app.ui.delivery import DeliveryControls
from app.ui.detalization import DetalizationControls
from app.ui.gate import Gate
from app.ui.identity import IdentityControls
from app.ui.orders import OrderControls
from app.ui.pickup import PickupControls
from app.ui.presenters.card import CardViewModel, present_card
from app.ui.presenters.connection import present_connection
from app.ui.presenters.errors import present_error
from app.ui.presenters.idle import IdleWatch
from app.ui.presenters.signin import clerk_badge
from app.ui.runner import BackgroundRunner
from app.ui.session import SessionControls
from app.ui.theme import apply_theme
from app.ui.training import TrainingPanel
from app.ui.views.card import CardPanel
from app.ui.views.demo import DemoList
from app.ui.views.header import HeaderBar
from app.ui.views.message import MessageArea
from app.ui.views.search import SearchBar
from app.ui.views.statusbar import StatusBar

if TYPE_CHECKING:  # the registry pulls in the lookup service; the window only needs the type
    from app.services.clerks import ClerkService
    from app.services.registry import Services
    from models.domain import SubscriberCard

POLL_CONNECTION_MS = 1000
PROGRESS_AFTER_MS = 300  # show the progress bar only when a lookup is not instant


class MainWindow(SessionControls):
    training: TrainingPanel | None  # the demo subscribers' pane, training only

    def __init__(
        self,
        root: tk.Tk,
        settings: Settings,
        services: Services | None = None,
        *,
        runner: BackgroundRunner | None = None,
        clock: Clock,
        monotonic: Callable[[], float] = time.monotonic,
        gate: Gate | None = None,
    ) -> None:
        """Without `services` the window shows "Connecting…" until `connect()` or
        `attach_services()` gives it some; a lookup typed meanwhile waits for them. `gate`:
        the sign-in form already on the themed root and taking keys (app/ui/app.py), built
        with this `runner`; the window is built around it and leaves what was typed alone."""
        self.root = root
        self.settings = settings
        self.runner = runner or BackgroundRunner(root)
        self.clock = clock
        self.services: Services | None = None
        self.services_error: BaseException | None = None
        self.card: SubscriberCard | None = None
        self.busy = False
        self._request = 0  # answers to an older request (before Esc) are dropped
        # The request number of a lookup the window started on its own (news for the card on
        # screen): a lookup the clerk asks for meanwhile supersedes it instead of being lost.
        self._background: int | None = None
        self._pending: str | None = None  # a lookup typed before the services were ready
        self._build_future: Future[Services] | None = None
        self._progress_after: str | None = None
        self._extras_after: str | None = None  # the card's extras, asked once it is drawn
        self._poll_after: str | None = None
        self._init_session(IdleWatch(settings.idle_lock_minutes, monotonic))

        if gate is None:
            apply_theme(root)
        root.minsize(980, 640)
        self._build(gate)
        self._bind_keys()
        self._show_gate()
        self.retranslate()
        if gate is None:  # else the cursor is where the clerk has been typing
            self.gate.focus(force=True)  # at launch the clerk types at once, no click first
        self._poll()
        if services is not None:
            self.attach_services(services)

    # -- services --------------------------------------------------------------------------
    def connect(self, build_services: Callable[[], Services],
                open_clerks: Callable[[], ClerkService] | None = None) -> None:
        """Build the services on a worker (the embedded sandbox takes about a second); with
        `open_clerks` (the store and the clerks' accounts alone, which build_services then
        reuses), signing in works as soon as they are open, before the operator's side."""
        if open_clerks is not None:
            self.runner.submit(open_clerks, self.gate.attach_clerks, self.gate.failed)
        self._build_future = self.runner.submit(
            build_services, self.attach_services, self.services_failed
        )

    def attach_services(self, services: Services) -> None:
        self.services = services
        self.services_error = None
        self.gate.attach(services)
        self.orders.attach(services)
        self.detalization.attach(services)
        self.delivery.attach(services)
        self.pickup.attach(services)
        self.header.set_training(services.training)
        if services.demo_subscribers is not None:
            if self.training is None:
                self.training = TrainingPanel(
                    self.root, self.body, self.search, self.runner, on_pick=self.lookup
                )
            self.training.load(services.demo_subscribers)
        self.codes.attach(services)  # after the training pane: the phone goes under its list
        self._poll_connection()
        # The dot says "online" or "offline" from the start, not only after a first lookup.
        self.runner.submit(services.lookup.check_connection, lambda _none: self._poll_connection(),
                           lambda _error: self._poll_connection())
        pending, self._pending = self._pending, None
        if pending is not None:
            self._start_lookup(pending)
        self._refresh_status()

    def services_failed(self, error: BaseException) -> None:
        self.services_error = error
        self._pending = None
        self._set_busy(False)
        self.message.show(present_error(error))
        self.gate.failed(error)
        self._refresh_status()

    # -- lookup ----------------------------------------------------------------------------
    def lookup(self, text: str | None = None) -> None:
        """Look up what is in the phone field (or `text`, put there first)."""
        if not self.working:
            return  # nothing is done for a subscriber without a signed-in clerk
        self.idle.touch()
        if text is not None:
            self.search.set_text(text)
        if self.busy and self._background != self._request:
            return  # one lookup at a time; the button is disabled meanwhile
        query = self.search.text
        if self.services is None:
            if self.services_error is not None:
                self.message.show(present_error(self.services_error))
                return
            self._pending = query
            self._set_busy(True)
            return
        self._start_lookup(query)

    def _start_lookup(self, query: str) -> None:
        assert self.services is not None and self.session is not None
        self._request += 1
        service, clerk = self.services.lookup, self.session
        # Asked first, then the window says it is busy: the worker is on the network while
        # the Tk thread redraws (the answer comes back on the Tk thread, after this).
        self.runner.submit(
            lambda: service.lookup(query, clerk),
            partial(self._lookup_done, self._request),
            partial(self._lookup_failed, self._request),
        )
        self._set_busy(True)

    def _lookup_done(self, request: int, card: SubscriberCard, *, again: bool = False) -> None:
        """`again`: the same subscriber looked up again (after an order, a 412, a queued
        write's result): the message stays and the cursor stays where it is."""
        if request != self._request:
            return
        self.card = card
        self._poll_connection()  # the lookup just told us whether the operator answers
        if not again:
            self.message.show(None)
        self._set_busy(False)
        self._show_card()
        if not again:  # a card asked for afresh opens at its top, even the same subscriber's
            self.card_panel.scroll.to_top()
        if again:
            return  # the clerk may be typing the next number: the field is theirs
        if self.card_panel.view is not None:  # the number as printed on a SIM card pack
            self.search.set_text(self.card_panel.view.phone)
        self.search.focus_field(select=True)  # the next number typed replaces this one

    def reload_card(
        self,
        then: Callable[[SubscriberCard], None] | None = None,
        failed: Callable[[BaseException], None] | None = None,
    ) -> None:
        """Look the subscriber on screen up again; `then` gets the new card. A failure keeps
        the card on screen (it is still that subscriber's) and says what went wrong. Without
        `then` (news for the card, not a question) a lookup the clerk started wins."""
        if self.card is None or self.services is None or self.session is None:
            if failed is not None:
                failed(RuntimeError("no subscriber on screen to look up again"))
            return
        if self.busy and then is None:
            return  # another card is on its way; it brings its own pending writes
        msisdn, service, clerk = self.card.subscriber.msisdn, self.services.lookup, self.session
        self._request += 1
        request = self._request
        self._background = request if then is None else None
        self._set_busy(True)

        def done(card: SubscriberCard) -> None:
            current = request == self._request
            self._lookup_done(request, card, again=True)
            if current and then is not None:
                then(card)

        def error(exc: BaseException) -> None:
            if request != self._request:
                return
            self._set_busy(False)
            self.message.show(present_error(exc))
            if failed is not None:
                failed(exc)

        self.runner.submit(lambda: service.lookup(msisdn, clerk), done, error)

    def _lookup_failed(self, request: int, error: BaseException) -> None:
        if request != self._request:
            return
        # The card below would belong to another number: take it away with the error.
        self.card = None
        self._poll_connection()
        self.card_panel.show(None)
        self.message.show(present_error(error))
        self._set_busy(False)
        self.search.focus_field(select=False)  # keep the text so the clerk can fix it

    def clear(self) -> None:
        """Esc: ready for the next subscriber (and nothing of the last one left on screen)."""
        if not self.working:
            return
        self._request += 1
        self._pending = None
        self._set_busy(False)
        self.search.set_text("")
        self.card = None
        self.card_panel.show(None)
        self.codes.forget()
        self.delivery.forget_card()
        self.message.show(None if self.services_error is None else self.message.view)
        self.search.focus_field()
        self._refresh_status()

    def _show_card(self) -> None:
        if self.card is None:
            return
        self.card_panel.show(self._present())
        self.orders.show_card(self.card)
        self._refresh_status()
        # The access code's state and the archive and mailing rows ask the network on the
        # runner: asked once the card is drawn (Tk draws when idle; the timer comes on the
        # loop's next turn), so neither their requests nor their rows hold up the card.
        card = self.card
        self._cancel_extras()
        self._extras_after = self.root.after_idle(lambda: self._show_card_extras_soon(card))

    def _show_card_extras_soon(self, card: SubscriberCard) -> None:
        self._extras_after = self.root.after(0, lambda: self._show_card_extras(card))

    def _cancel_extras(self) -> None:
        # A window closed (or a card replaced) before they came: no callback left behind for
        # a destroyed window (Tk: "invalid command name").
        if self._extras_after is not None:
            self.root.after_cancel(self._extras_after)
            self._extras_after = None

    def _show_card_extras(self, card: SubscriberCard) -> None:
        self._extras_after = None
        if card is not self.card or not self.working:
            return  # another card (or none) since
        self.codes.show_card(card)
        self.delivery.show_card(card)

    def _present(self) -> CardViewModel:
        assert self.card is not None
        return present_card(self.card, self.clock.now(), self.settings.salon.timezone,
                            self.orders.service_fees or None)

    def _set_busy(self, busy: bool) -> None:
        self.busy = busy
        self.search.set_busy(busy)
        self.root.configure(cursor="watch" if busy else "")
        if self._progress_after is not None:
            self.root.after_cancel(self._progress_after)
            self._progress_after = None
        if busy:
            self._progress_after = self.root.after(PROGRESS_AFTER_MS, self._show_progress)
        self._refresh_status()

    def _show_progress(self) -> None:
        self._progress_after = None
        if self.busy:
            self.search.show_progress(True)

    # -- language, status, polling -----------------------------------------------------------
    def set_language(self, code: str) -> None:
        """Switch every visible text to the other language, keeping the card on screen."""
        i18n.set_language(code)
        self.retranslate()
        if self.card is not None:
            self._show_card()

    def retranslate(self) -> None:
        self.root.title(_("Salon — console"))
        self.header.retranslate()
        self.header.set_clerk(clerk_badge(self.session))
        self.gate.retranslate()
        self.search.retranslate()
        self.card_panel.retranslate()
        self.status.retranslate()
        self.orders.retranslate()
        self.codes.retranslate()
        self.detalization.retranslate()
        self.pickup.retranslate()
        if self.training is not None:
            self.training.retranslate()
        self._poll_connection()
        self._refresh_status()

    def _refresh_status(self) -> None:
        if self.session is None:
            text = _("Sign in to start work.")
        elif self.locked:
            text = _("The console is locked.")
        elif self.busy:
            text = _("Connecting to the operator's system…") if self.services is None \
                else _("Searching…")
        elif self.services is None and self.services_error is None:
            text = _("Connecting…")
        elif self.services is None:
            text = _("Not connected to the operator's system.")
        elif self.card is not None:
            text = self._present().status_line
        else:
            text = _("Ready. Type the subscriber's number and press Enter.")
        self.status.set_message(text)

    def _poll(self) -> None:
        """Every second: the online/offline dot, and the card's clocks and data age."""
        self._poll_connection()
        self.check_idle()
        self.redraw_card()
        self._poll_after = self.root.after(POLL_CONNECTION_MS, self._poll)

    def redraw_card(self) -> None:
        """The card on screen drawn again from what is known now (its clocks and data age,
        the catalog's fees once they came), without asking the operator anything."""
        if self.card is not None and not self.busy:
            view = self._present()
            if view != self.card_panel.view:
                self.card_panel.show(view)

    def _poll_connection(self) -> None:
        snapshot = self.services.connection.snapshot() if self.services else None
        self.header.set_connection(present_connection(snapshot))

    # -- training mode ---------------------------------------------------------------------
    @property
    def demo(self) -> DemoList | None:
        return self.training.view if self.training is not None else None

    def show_demo_panel(self, shown: bool) -> None:
        if self.training is not None:
            self.training.show(shown)

    def _toggle_demo(self, _event: tk.Event) -> str:
        if self.training is not None and self.working:
            self.training.toggle()
        return "break"

    # -- layout and keys -------------------------------------------------------------------
    def _build(self, gate: Gate | None) -> None:
        root = self.root
        root.columnconfigure(0, weight=1)
        root.rowconfigure(3, weight=1)
        self.header = HeaderBar(root, self.settings, on_language=self.set_language,
                                on_sign_out=self.sign_out, on_daily_log=self.open_daily_log)
        self.header.grid(row=0, column=0, sticky="ew")
        ttk.Frame(root, style="Accent.TFrame", height=3).grid(row=1, column=0, sticky="ew")
        self.search = SearchBar(root, on_search=self.lookup, on_demo=self.show_demo_panel)
        self.search.grid(row=2, column=0, sticky="ew")
        self.body = ttk.PanedWindow(root, orient="horizontal")
        self.body.grid(row=3, column=0, sticky="nsew", padx=16, pady=(6, 10))
        main = ttk.Frame(self.body)
        main.columnconfigure(0, weight=1)
        main.rowconfigure(1, weight=1)
        self.message = MessageArea(main)
        self.message.grid(row=0, column=0, sticky="ew", pady=(0, 8))
        self.message.show(None)
        self.card_panel = CardPanel(main)
        self.card_panel.grid(row=1, column=0, sticky="nsew")
        self.body.add(main, weight=1)
        self.training = None
        self.status = StatusBar(root, on_queue=lambda: self.orders.open_queue(),
                                on_catalog=lambda: self.orders.open_catalog(),
                                on_print_queue=lambda: self.delivery.open_print_queue(),
                                on_pickup=lambda: self.pickup.open())
        self.status.grid(row=4, column=0, sticky="ew")
        self.orders = OrderControls(self)  # the Operations bar, F5–F8, catalog, queue
        self.codes = CodeControls(self)  # the access code on the card (F10–F12), the phone
        self.detalization = DetalizationControls(self)  # its button on the card, Ctrl+D
        self.delivery = DeliveryControls(self)  # printing, the archive on the card (Ctrl+P …)
        self.identity = IdentityControls(self)  # R10: F2, the identity check of the visit
        self.pickup = PickupControls(self)  # R11: the pick-up list (Ctrl+G), its count
        # In front of the search row and the body until a clerk signs in, and when locked.
        if gate is None:
            gate = Gate(root, self.settings, self.runner, on_signed_in=self.start_session)
        else:  # made first and already on screen: it stays in front of what was built since
            gate.on_signed_in = self.start_session
            gate.frame.lift()
        self.gate = gate
        self.gate.frame.grid(row=2, column=0, rowspan=2, sticky="nsew")

    def _bind_keys(self) -> None:
        # On the toplevel: every widget in the window carries its bind tag.
        # Cyrillic_de is the L key in the Russian layout, so Ctrl+L works in either layout.
        for sequence in ("<Control-l>", "<Control-L>", "<Control-Cyrillic_de>",
                         "<Control-Cyrillic_DE>", "<F3>"):
            self.root.bind(sequence, self._focus_phone)
        self.root.bind("<Escape>", lambda _event: self.clear())
        self.root.bind("<F4>", self._toggle_demo)
        self.root.bind("<F1>", self._show_keys)
        self.orders.bind_keys(self.root)
        self.codes.bind_keys(self.root)
        self.detalization.bind_keys(self.root)
        self.delivery.bind_keys()
        self.identity.bind_keys(self.root)
        self.pickup.bind_keys(self.root)
        self._bind_session_keys()

    def _show_keys(self, _event: tk.Event) -> str:
        """F1: every shortcut of the window on one sheet."""
        if self.working:
            from app.ui.views.keys_dialog import KeysDialog

            self.keys_dialog = KeysDialog(self.root, manager=bool(
                self.session is not None and self.session.is_manager))
        return "break"

    def _focus_phone(self, _event: tk.Event) -> str:
        if self.working:
            self.search.focus_field(select=True)
        return "break"

    def close(self) -> None:
        """Stop polling and the workers, and close the services (also ones still starting)."""
        if self._poll_after is not None:
            self.root.after_cancel(self._poll_after)
            self._poll_after = None
        if self._progress_after is not None:  # closed while a lookup was on its way
            self.root.after_cancel(self._progress_after)
            self._progress_after = None
        self._cancel_extras()
        self.detalization.close()
        self.identity.close()
        self.pickup.close()
        self.delivery.close()
        self.orders.close()
        self.codes.close()
        self.runner.shutdown()
        if self.services is not None:
            self.services.close()
        elif self._build_future is not None:
            self._build_future.add_done_callback(_close_when_built)


def _close_when_built(future: Future[Services]) -> None:
    if not future.cancelled() and future.exception() is None:
        future.result().close()
