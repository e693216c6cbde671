"""The main window's part for delivery: the print queue (Ctrl+P, and its button in the status
bar), the printer settings (Ctrl+Shift+P, also from the queue), the personal archive of the
subscriber on the card (its row on the card with each document's expiry, the dialog on
Ctrl+Shift+A), and `print_document` for a slip, a leaflet or a detalization made elsewhere in
the window — the print runs on the BackgroundRunner and its sentence (done, still printing,
or why not with the kept path) lands in the window's message area.

It asks of the window only what OrderControls does: root, runner, settings, session, working,
services, card, message. Tk thread only.
"""

from __future__ import annotations

import tkinter as tk
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from app.errors import OperatorUnavailable
from app.i18n import _
from app.ui.presenters.archive import archive_card_fields
from app.ui.presenters.card import FieldView
from app.ui.presenters.errors import MessageView, present_error
from app.ui.presenters.print_queue import outcome_message
from app.ui.presenters.subscription import subscription_card_fields
from models.domain import SubscriberCard
from models.printing import DocumentKind, PrintJob

if TYPE_CHECKING:
    from app.ui.views.archive_dialog import ArchiveDialog
    from app.ui.views.print_queue_dialog import PrintQueueDialog
    from app.ui.views.printer_settings_dialog import PrinterSettingsDialog
    from app.ui.views.subscription_dialog import SubscriptionDialog

# Latin and Russian layouts: with ЙЦУКЕН on, Ctrl+P arrives as Ctrl+з.
PRINT_QUEUE_KEYS = ("<Control-p>", "<Control-Cyrillic_ze>")
PRINTER_KEYS = ("<Control-P>", "<Control-Shift-P>", "<Control-Cyrillic_ZE>")
ARCHIVE_KEYS = ("<Control-A>", "<Control-Shift-A>", "<Control-Cyrillic_EF>")
SUBSCRIPTION_KEYS = ("<Control-M>", "<Control-Shift-M>", "<Control-Cyrillic_SOFTSIGN>")


class DeliveryControls:
    def __init__(self, window: Any) -> None:
        self.window = window
        self.queue_dialog: PrintQueueDialog | None = None
        self.settings_dialog: PrinterSettingsDialog | None = None
        self.archive_dialog: ArchiveDialog | None = None
        self.subscription_dialog: SubscriptionDialog | None = None
        self._archive_request = 0  # an answer for a card no longer on screen is dropped
        # The card's rows under the Subscriber's: the personal archive, the monthly e-mail.
        self._rows: dict[str, tuple[FieldView, ...]] = {"archive": (), "subscription": ()}
        self._rows_for: str | None = None  # whose rows they are

    # None only before the services are built (the window shows "Connecting…" meanwhile).
    @property
    def printing(self) -> Any:
        services = self.window.services
        return services.printing if services is not None else None

    @property
    def periodic(self) -> Any:
        """The monthly e-mail detalization, when e-mail is set up at this salon."""
        services = self.window.services
        periodic = services.periodic if services is not None else None
        return periodic if periodic is not None and periodic.available else None

    @property
    def archive(self) -> Any:
        services = self.window.services
        return services.archive if services is not None else None

    def _ready(self) -> bool:
        return self.window.session is not None and bool(self.window.working)

    def attach(self, services: object) -> None:
        self.window.status.show_print_queue(True)

    def show_card(self, card: SubscriberCard) -> None:
        """The card's rows: asked on a worker after the card is on screen (a lookup never
        waits for them); a cached card's archive is not known now."""
        self._archive_request += 1
        request, msisdn = self._archive_request, card.subscriber.msisdn
        archive, periodic = self.archive, self.periodic
        if msisdn != self._rows_for:  # another subscriber: never show the last one's rows
            self._rows_for = msisdn
            self._rows = {"archive": (), "subscription": ()}
            self.window.card_panel.set_extra_fields("subscriber", ())

        def show(row: str, fields: tuple[FieldView, ...]) -> None:
            if request == self._archive_request:
                self._set_row(row, fields)

        if periodic is not None:
            self.window.runner.submit(
                lambda: periodic.for_number(msisdn),
                lambda found: show("subscription", subscription_card_fields(found)),
                lambda _error: show("subscription", ()))
        if archive is None:
            return
        if card.source != "api":
            show("archive", archive_card_fields(None, self._timezone, offline=True))
            return
        clerk = self.window.session
        if clerk is None or card.withheld:  # R10: the archive waits for the identity check
            show("archive", ())
            return
        self.window.runner.submit(
            lambda: archive.documents(clerk, msisdn),
            lambda documents: show("archive", archive_card_fields(documents, self._timezone)),
            lambda error: show("archive", archive_card_fields(
                None, self._timezone, offline=isinstance(error, OperatorUnavailable))))

    def _set_row(self, row: str, fields: tuple[FieldView, ...]) -> None:
        self._rows[row] = fields
        self.window.card_panel.set_extra_fields(
            "subscriber", (*self._rows["archive"], *self._rows["subscription"]))

    @property
    def _timezone(self) -> str:
        return self.window.settings.salon.timezone

    def forget_card(self) -> None:
        """The card went (Esc, another number): its archive row and dialog go with it."""
        self._archive_request += 1
        self._rows, self._rows_for = {"archive": (), "subscription": ()}, None
        self.window.card_panel.set_extra_fields("subscriber", ())
        self._destroy(self.archive_dialog)
        self._destroy(self.subscription_dialog)
        self.archive_dialog = self.subscription_dialog = None

    def forget(self) -> None:
        """Locked or signed out: the print queue names documents of several subscribers."""
        self.forget_card()
        self._destroy(self.queue_dialog)
        self._destroy(self.settings_dialog)
        self.queue_dialog = self.settings_dialog = None

    @staticmethod
    def _destroy(dialog: tk.Toplevel | None) -> None:
        if dialog is not None and dialog.winfo_exists():
            dialog.destroy()

    close = forget

    def bind_keys(self) -> None:
        root = self.window.root
        for sequence in PRINT_QUEUE_KEYS:
            root.bind(sequence, self._key(self.open_print_queue))
        for sequence in PRINTER_KEYS:
            root.bind(sequence, self._key(self.open_printer_settings))
        for sequence in ARCHIVE_KEYS:
            root.bind(sequence, self._key(self.open_archive))
        for sequence in SUBSCRIPTION_KEYS:
            root.bind(sequence, self._key(self.open_subscription))

    @staticmethod
    def _key(action: Callable[[], object]) -> Callable[[tk.Event], str]:
        def handler(_event: tk.Event) -> str:
            action()
            return "break"

        return handler

    # -- the dialogs -------------------------------------------------------------------------

    def open_print_queue(self) -> None:
        if self.printing is None or not self._ready():
            return
        if self.queue_dialog is not None and self.queue_dialog.winfo_exists():
            self.queue_dialog.lift()
            self.queue_dialog.reload()
            return
        from app.ui.views.print_queue_dialog import PrintQueueDialog

        window = self.window
        self.queue_dialog = PrintQueueDialog(
            window.root, self.printing, window.runner, window.session,
            timezone=window.settings.salon.timezone, on_settings=self.open_printer_settings)

    def open_printer_settings(self) -> None:
        if self.printing is None or not self._ready():
            return
        if self.settings_dialog is not None and self.settings_dialog.winfo_exists():
            self.settings_dialog.lift()
            return
        from app.ui.views.printer_settings_dialog import PrinterSettingsDialog

        window = self.window
        self.settings_dialog = PrinterSettingsDialog(window.root, self.printing, window.runner,
                                                     window.session)

    def open_archive(self, msisdn: str | None = None) -> None:
        """The personal archive of `msisdn` (default: the subscriber on the card)."""
        card = self.window.card
        msisdn = msisdn or (card.subscriber.msisdn if card is not None else None)
        if self.archive is None or msisdn is None or not self._ready():
            return
        if self.archive_dialog is not None and self.archive_dialog.winfo_exists():
            self.archive_dialog.destroy()  # one subscriber at a time
        from app.ui.views.archive_dialog import ArchiveDialog

        window = self.window
        self.archive_dialog = ArchiveDialog(window.root, self.archive, window.runner,
                                            window.session, msisdn,
                                            timezone=window.settings.salon.timezone,
                                            clock=window.clock)
        self.archive_dialog.bind("<Destroy>", self._archive_closed, add="+")

    def open_subscription(self) -> None:
        """The monthly e-mail detalization of the subscriber on the card."""
        window, periodic = self.window, self.periodic
        if periodic is None or window.card is None or not self._ready():
            if self._ready() and window.card is not None and periodic is None:
                window.message.show(MessageView(_(
                    "E-mail is not set up at this salon ([email] in salon.ini), so a monthly "
                    "detalization cannot be sent."), "input"))
            return
        if self.subscription_dialog is not None and self.subscription_dialog.winfo_exists():
            self.subscription_dialog.lift()
            return
        from app.ui.views.subscription_dialog import SubscriptionDialog

        self.subscription_dialog = SubscriptionDialog(
            window.root, periodic, window.runner, window.session, window.card.subscriber,
            on_changed=lambda found: self._set_row("subscription",
                                                   subscription_card_fields(found)))

    def _archive_closed(self, event: tk.Event) -> None:
        """What was fetched or has expired meanwhile shows on the card's row too."""
        window = self.window
        if event.widget is self.archive_dialog and window.card is not None and window.working:
            self.show_card(window.card)

    # -- printing a document the window made -------------------------------------------------

    def print_document(self, path: Path, *, kind: DocumentKind | None = None,
                       documents: str = "", subscriber: str = "",
                       on_done: Callable[[MessageView], None] | None = None) -> None:
        """Print `path` on the counter's printer; the sentence goes to `on_done` (default:
        the window's message area). A reprint of a slip prints the slip, nothing else."""
        printing, window = self.printing, self.window
        if printing is None or window.session is None:
            return
        show = on_done or window.message.show
        clerk = window.session

        def done(job: PrintJob) -> None:
            show(outcome_message(job))
            self._queue_changed()

        def failed(error: BaseException) -> None:
            show(present_error(error))
            self._queue_changed()

        window.runner.submit(
            lambda: printing.print_document(clerk, path, kind=kind, documents=documents,
                                            subscriber=subscriber), done, failed)

    def _queue_changed(self) -> None:
        if self.queue_dialog is not None and self.queue_dialog.winfo_exists():
            self.queue_dialog.reload()
