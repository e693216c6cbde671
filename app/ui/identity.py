"""The main window's part for R10: F2 opens the identity check on the card on screen; the check
runs on the BackgroundRunner (the flow `salon identify` runs too, app/flows/identity.py), and
once it is recorded the card is looked up again, so the parts it withheld appear. What each
withheld part waits for is the card presenter's to say (app/ui/presenters/card.py).

The typed number passes from the masked field to the runner's job once and is kept nowhere.
"""

from __future__ import annotations

import tkinter as tk
from typing import TYPE_CHECKING

from app.errors import SalonError
from app.flows.identity import IdentityFlow, presented
from app.phone import format_msisdn
from app.ui.presenters.errors import present_error
from app.ui.presenters.identity import checked_message, document_named

if TYPE_CHECKING:
    from app.ui.views.identity_dialog import IdentityDialog
    from app.ui.window import MainWindow
    from models.identity import Visit


class IdentityControls:
    def __init__(self, window: MainWindow) -> None:
        self.window = window
        self.dialog: IdentityDialog | None = None

    @property
    def dialog_open(self) -> bool:
        return self.dialog is not None and bool(self.dialog.winfo_exists())

    def bind_keys(self, root: tk.Tk) -> None:
        root.bind("<F2>", self._f2)

    def _f2(self, _event: tk.Event) -> str:
        self.open()
        return "break"

    def open(self) -> None:
        """F2: the check for the subscriber on screen (nothing without a card or a clerk)."""
        window = self.window
        if not window.working or window.card is None or window.services is None:
            return
        if self.dialog_open:
            assert self.dialog is not None
            self.dialog.focus_number()
            return
        from app.ui.views.identity_dialog import IdentityDialog

        card = window.card
        self.dialog = IdentityDialog(
            window.root, phone=format_msisdn(card.subscriber.msisdn), name=card.subscriber.name,
            unverified=card.verified is False, on_check=self._check)

    def _check(self, representative: bool, document: str, number: str, poa_number: str,
               poa_date: str) -> None:
        dialog, window = self.dialog, self.window
        if dialog is None or window.card is None or window.services is None \
                or window.session is None:
            return
        try:
            who = presented(document_named(document), representative=representative,
                            poa_number=poa_number, poa_date=poa_date)
        except SalonError as error:
            dialog.show_result(present_error(error))
            return
        flow = IdentityFlow(window.services.identity, window.session)
        msisdn = window.card.subscriber.msisdn
        dialog.set_busy(True)
        window.idle.touch()
        window.runner.submit(lambda: flow.check(msisdn, who, number), self._checked,
                             self._failed)

    def _checked(self, visit: Visit) -> None:
        window = self.window
        if self.dialog_open:
            assert self.dialog is not None
            self.dialog.close()
        self.dialog = None
        if window.card is None or window.card.subscriber.msisdn != visit.msisdn:
            return  # another subscriber on screen since
        message = checked_message(visit, window.settings.salon.timezone)
        window.reload_card(then=lambda _card: window.message.show(message))

    def _failed(self, error: BaseException) -> None:
        if self.dialog_open:
            assert self.dialog is not None
            self.dialog.set_busy(False)
            self.dialog.show_result(present_error(error))
        else:
            self.window.message.show(present_error(error))

    def close(self) -> None:
        if self.dialog_open:
            assert self.dialog is not None
            self.dialog.close()
        self.dialog = None
