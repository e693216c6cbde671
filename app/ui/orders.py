"""The main window's part for orders (R4): the Operations bar and the pending strip on the card,
the operation dialog (F5–F8), the catalog (Ctrl+K), the queue (Ctrl+Q), and the results the
outbox pump sends back from its own thread.

Tk thread only, except `_on_settled`: the pump calls it on ITS thread, so it only puts the item
into a thread-safe queue; `_drain` (an `after` loop) takes it out on the Tk thread.
"""

from __future__ import annotations

import queue
import tkinter as tk
from collections.abc import Callable, Mapping
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING

from app.i18n import _
from app.ui.card_look import CardLook, card_look
from app.ui.ports import OrderPort
from app.ui.presenters.errors import MessageView, present_error
from app.ui.presenters.orders import ACTION_KEYS, options_for, present_actions
from app.ui.presenters.outbox import present_pending, present_settled, queue_button_text
from app.ui.views.operations import OperationsBar, PendingStrip
from models.domain import Money
from models.orders import OrderAction, OrderOptions, OutboxItem
from models.printing import DocumentKind

if TYPE_CHECKING:
    from app.services.registry import Services
    from app.ui.views.catalog_dialog import CatalogDialog
    from app.ui.views.order_dialog import OrderDialog, PrintSlip
    from app.ui.views.queue_dialog import QueueDialog
    from app.ui.window import MainWindow
    from models.domain import SubscriberCard

DRAIN_MS = 250  # how often the pump's results are looked for on the Tk thread


class OrderControls:
    def __init__(self, window: MainWindow) -> None:
        self.window = window
        extras = window.card_panel.extras
        self.bar = OperationsBar(extras, on_action=self.open)
        self.bar.grid(row=0, column=0, sticky="ew", pady=(0, 8))
        self.bar.grid_remove()  # until the services bring an order service
        self.strip = PendingStrip(extras, on_open_queue=self.open_queue)
        self.strip.grid(row=1, column=0, sticky="ew", pady=(0, 8))
        self.strip.show(None)
        self.options: OrderOptions | None = None
        self.pending: list[OutboxItem] = []  # the subscriber on screen's waiting writes
        self.pending_count = 0  # everyone's
        self.names: dict[str, str] = {}  # tariff and service codes → names, for the queue
        self.service_fees: dict[str, Money] = {}  # service code → its monthly fee (catalog)
        self.dialog: OrderDialog | None = None
        self.catalog_dialog: CatalogDialog | None = None
        self.queue_dialog: QueueDialog | None = None
        self._key: CardLook | None = None  # the card the options are for
        self._unavailable = ""
        self._settled: queue.SimpleQueue[OutboxItem] = queue.SimpleQueue()
        self._drain_after: str | None = None
        self._closed = False

    @property
    def orders(self) -> OrderPort | None:
        services = self.window.services
        return services.orders if services is not None else None

    # -- services ----------------------------------------------------------------------------
    def attach(self, services: Services) -> None:
        self.bar.grid()
        self.window.status.show_queue(True)
        services.outbox_pump.subscribe(self._on_settled)
        self._drain_after = self.window.root.after(DRAIN_MS, self._drain)
        orders = services.orders

        def catalog() -> tuple[list[tuple[str, str]], dict[str, Money]]:
            tariffs, services_ = orders.tariffs(), orders.services()
            return ([(t.code, t.name) for t in tariffs] + [(s.code, s.name) for s in services_],
                    {s.code: s.monthly_fee for s in services_})

        # Names for the queue, and the services' monthly fees for the card's monthly cost;
        # without them the card says only the tariff's part is known.
        self.window.runner.submit(catalog, self._catalogued, lambda _error: None)
        self.refresh_pending()

    def _catalogued(self, found: tuple[list[tuple[str, str]], dict[str, Money]]) -> None:
        pairs, fees = found
        self.names.update(pairs)
        self.service_fees.update(fees)
        self.window.redraw_card()

    def name_map(self) -> Mapping[str, str]:
        return self.names

    def bind_keys(self, root: tk.Tk) -> None:
        for action, key in ACTION_KEYS.items():
            root.bind(f"<{key}>", partial(self._key_open, action))
        # Cyrillic_el / Cyrillic_shorti: the K and Q keys in the Russian layout.
        for sequence in ("<Control-k>", "<Control-K>", "<Control-Cyrillic_el>",
                         "<Control-Cyrillic_EL>"):
            root.bind(sequence, lambda _e: self._shortcut(self.open_catalog))
        for sequence in ("<Control-q>", "<Control-Q>", "<Control-Cyrillic_shorti>",
                         "<Control-Cyrillic_SHORTI>"):
            root.bind(sequence, lambda _e: self._shortcut(self.open_queue))

    def _key_open(self, action: OrderAction, _event: tk.Event) -> str:
        self.open(action)
        return "break"

    def _shortcut(self, command: Callable[[], None]) -> str:
        command()
        return "break"

    # -- the card ------------------------------------------------------------------------------
    def show_card(self, card: SubscriberCard | None) -> None:
        """The window shows (or re-shows) a card: compute its options and pending writes on
        the runner, unless they are already for this very look at it."""
        orders = self.orders
        if orders is None or card is None:
            return
        key = card_look(card)
        if key == self._key:
            self.bar.show(present_actions(self.options, self._unavailable))
            return
        self._key, self.options, self._unavailable = key, None, ""
        if card.withheld:  # R10: nothing is offered before the visit's identity check
            self._unavailable = _("R10: changes wait for this visit's identity check (F2).")
            self.bar.show(present_actions(None, self._unavailable))
            self.refresh_pending()
            return
        self.bar.show(present_actions(None))
        self.window.runner.submit(lambda: orders.options(card),
                                  partial(self._options_done, key),
                                  partial(self._options_failed, key))
        self.refresh_pending()

    def _options_done(self, key: CardLook, options: OrderOptions) -> None:
        if key != self._key:
            return  # another card (or another look at it) since
        self.options = options
        for option in (*options.tariffs, *options.add_services, *options.remove_services):
            if option.request.code:
                self.names.setdefault(option.request.code, option.name)
        self.bar.show(present_actions(options))

    def _options_failed(self, key: CardLook, error: BaseException) -> None:
        if key != self._key:
            return
        self._unavailable = _("Operations are not available now: {reason}").format(
            reason=present_error(error).text)
        self.bar.show(present_actions(None, self._unavailable))

    def refresh_pending(self) -> None:
        orders, card = self.orders, self.window.card
        if orders is None:
            return
        msisdn = card.subscriber.msisdn if card is not None else None
        self.window.runner.submit(lambda: (orders.pending(msisdn) if msisdn else [],
                                           orders.pending()),
                                  partial(self._pending_done, msisdn), self._pending_failed)

    def _pending_done(self, msisdn: str | None,
                      answer: tuple[list[OutboxItem], list[OutboxItem]]) -> None:
        mine, everyone = answer
        self.pending_count = sum(1 for item in everyone if item.pending)
        self.window.status.set_queue(queue_button_text(self.pending_count))
        card = self.window.card
        if card is None or card.subscriber.msisdn != msisdn:
            self.pending = []
            self.strip.show(None)
            return
        self.pending = [item for item in mine if item.pending]
        self.strip.show(present_pending(self.pending, self.names,
                                        self.window.settings.salon.timezone))

    def _pending_failed(self, error: BaseException) -> None:
        self.window.message.show(present_error(error))

    # -- the dialogs -----------------------------------------------------------------------------
    def open(self, action: OrderAction) -> None:
        """F5–F8 or a button: the operation dialog, or why it cannot be done."""
        window, orders, card = self.window, self.orders, self.window.card
        if not window.working or orders is None or card is None or window.session is None:
            return
        if self.dialog is not None and self.dialog.winfo_exists():
            self.dialog.lift()
            return
        if self.options is None or self._key != card_look(card):
            window.message.show(MessageView(
                self._unavailable or _("Checking what this subscriber may have… "
                                       "Try again in a moment."), "input"))
            return
        view = present_actions(self.options).get(action)
        if not view.enabled:
            window.message.show(MessageView(view.reason, "input"))
            return
        if not options_for(self.options, action):
            return
        from app.ui.views.order_dialog import OrderDialog  # opens on demand

        window.message.show(None)
        self.dialog = OrderDialog(
            window.root, action=action, card=card, options=self.options, orders=orders,
            clerk=window.session, runner=window.runner, reload_card=self._reload_card,
            on_changed=self._changed, print_slip=self._print_slip_for(card))
        self.dialog.bind("<Destroy>", self._dialog_closed, add="+")

    def _print_slip_for(self, card: SubscriberCard) -> PrintSlip | None:
        """The slip's print, when this console can print: the slip only, never the order."""
        delivery = getattr(self.window, "delivery", None)
        if delivery is None or delivery.printing is None:
            return None
        msisdn = card.subscriber.msisdn

        def print_slip(path: str, confirms: str, show: Callable[[MessageView], None]) -> None:
            delivery.print_document(Path(path), kind=DocumentKind.SLIP, documents=confirms,
                                    subscriber=msisdn, on_done=show)

        return print_slip

    def _reload_card(self, then: Callable[[SubscriberCard], None],
                     failed: Callable[[BaseException], None]) -> None:
        self.window.reload_card(then, failed)

    def _changed(self) -> None:
        """An operation was done, queued or cancelled: the card and the strip again."""
        self.window.reload_card()
        self.refresh_pending()
        if self.queue_dialog is not None and self.queue_dialog.winfo_exists():
            self.queue_dialog.reload()

    def _dialog_closed(self, event: tk.Event) -> None:
        if self.dialog is not None and event.widget is self.dialog:
            self.dialog = None
            if self.window.working and not self._closed:
                self.window.search.focus_field(select=True)

    def open_catalog(self) -> None:
        orders = self.orders
        if orders is None or self.window.session is None:
            return
        if self.catalog_dialog is not None and self.catalog_dialog.winfo_exists():
            self.catalog_dialog.lift()
            return
        from app.ui.views.catalog_dialog import CatalogDialog

        self.catalog_dialog = CatalogDialog(self.window.root, orders, self.window.runner)

    def open_queue(self) -> None:
        window, orders = self.window, self.orders
        if orders is None or window.session is None or not window.working:
            return
        if self.queue_dialog is not None and self.queue_dialog.winfo_exists():
            self.queue_dialog.lift()
            self.queue_dialog.reload()
            return
        from app.ui.views.queue_dialog import QueueDialog

        self.queue_dialog = QueueDialog(
            window.root, orders, window.runner, window.session, names=self.name_map,
            timezone=window.settings.salon.timezone, on_changed=self._queue_changed)

    def _queue_changed(self) -> None:
        self.refresh_pending()

    # -- the pump's results ----------------------------------------------------------------------
    def _on_settled(self, item: OutboxItem) -> None:
        """ON THE PUMP'S THREAD: no Tk here, only the thread-safe queue."""
        if not self._closed:
            self._settled.put(item)

    def _drain(self) -> None:
        self._drain_after = None
        if self._closed:
            return
        seen, reload = False, False
        while True:
            try:
                item = self._settled.get_nowait()
            except queue.Empty:
                break
            seen = True
            reload = self._settle(item) or reload
        if reload:
            self.window.reload_card()
        if seen and self.queue_dialog is not None and self.queue_dialog.winfo_exists():
            self.queue_dialog.reload()
        self._drain_after = self.window.root.after(DRAIN_MS, self._drain)

    def _settle(self, item: OutboxItem) -> bool:
        """Say what became of a queued write; True when it is the subscriber on screen (whose
        card the window then looks up again)."""
        window = self.window
        window.message.show(present_settled(item, self.names))
        card = window.card
        on_screen = card is not None and card.subscriber.msisdn == item.request.msisdn
        if on_screen and window.working:
            return True
        self.refresh_pending()
        return False

    # -- language, lock, close ---------------------------------------------------------------------
    def retranslate(self) -> None:
        self.bar.retranslate()
        self.strip.retranslate()
        self._key = None  # the options' reasons are sentences: ask again in this language
        self.window.status.set_queue(queue_button_text(self.pending_count))
        for dialog in (self.dialog, self.catalog_dialog, self.queue_dialog):
            if dialog is not None and dialog.winfo_exists():
                dialog.retranslate()

    def forget(self) -> None:
        """Locked or signed out: nothing of a subscriber stays on screen."""
        for dialog in (self.dialog, self.catalog_dialog, self.queue_dialog):
            if dialog is not None and dialog.winfo_exists():
                dialog.destroy()
        self.dialog = self.catalog_dialog = self.queue_dialog = None
        self._key, self.options, self.pending = None, None, []
        self.strip.show(None)

    def close(self) -> None:
        self._closed = True
        if self._drain_after is not None:
            self.window.root.after_cancel(self._drain_after)
            self._drain_after = None
