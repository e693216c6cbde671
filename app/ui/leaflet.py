"""The Electronic Assistant's customer leaflet from the window (F12, or «Памятка» on the card):
made on the BackgroundRunner for the number on screen (masked on it) or blank, saved under
`<data_dir>/documents/leaflets/`, its path shown. Printing at the counter comes with CUPS."""

from __future__ import annotations

from typing import TYPE_CHECKING

from app.i18n import _
from app.ui.ports import LeafletMade
from app.ui.presenters.errors import MessageView, present_error

if TYPE_CHECKING:
    from app.ui.window import MainWindow


class LeafletAction:
    def __init__(self, window: MainWindow) -> None:
        self.window = window

    def make(self, msisdn: str | None) -> None:
        window, clerk = self.window, self.window.session
        leaflets = window.services.leaflets if window.services is not None else None
        if not window.working or leaflets is None or clerk is None:
            return
        window.message.show(MessageView(_("Making the leaflet…"), "info"))
        window.runner.submit(lambda: leaflets.make(clerk, msisdn), self._made,
                             lambda error: window.message.show(present_error(error)))

    def _made(self, made: LeafletMade) -> None:
        text = _("Leaflet saved: {path}. Printing at the counter comes later: open the file "
                 "to print it.").format(path=made.path)
        if not made.catalog_reached:
            text += " " + _("The catalog could not be read, so the trial-operation dates are "
                            "not on it.")
        self.window.message.show(MessageView(text, "done"))
