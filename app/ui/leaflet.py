"""The Electronic Assistant's customer leaflet from the window (F12, or «Памятка» on the card):
made on the BackgroundRunner for the number on screen (masked on it) or blank, saved under
`<data_dir>/documents/leaflets/`, its path shown, and printed on the counter's printer when
the console can print (the leaflet is made to be handed over)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from app.i18n import _
from app.ui.ports import LeafletMade
from app.ui.presenters.errors import MessageView, present_error
from models.printing import DocumentKind

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
        window.runner.submit(lambda: leaflets.make(clerk, msisdn),
                             lambda made: self._made(made, msisdn),
                             lambda error: window.message.show(present_error(error)))

    def _made(self, made: LeafletMade, msisdn: str | None = None) -> None:
        text = _("Leaflet saved: {path}.").format(path=made.path)
        if not made.catalog_reached:
            text += " " + _("The catalog could not be read, so the trial-operation dates are "
                            "not on it.")
        window = self.window
        delivery = getattr(window, "delivery", None)
        if delivery is None or delivery.printing is None:
            window.message.show(MessageView(text, "done"))
            return
        window.message.show(MessageView(text + " " + _("Printing…"), "info"))

        def printed(view: MessageView) -> None:  # the print's sentence after the leaflet's
            window.message.show(MessageView(f"{text} {view.text}", view.kind))

        delivery.print_document(made.path, kind=DocumentKind.LEAFLET,
                                subscriber=msisdn or "", on_done=printed)
