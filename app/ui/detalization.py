"""The main window's part for the detalization (R6–R9): the «Детализация…» button in the title
row of the card's Subscriber section (first on the card in one column or two; the Operations
bar stays the orders'), its shortcut Ctrl+D, and the dialog (app/ui/views/
detalization_dialog.py), which opens for the subscriber on screen and closes when the counter
locks or changes hands.

`DetalizationPort` is what the dialog needs of app/services/detalization.py, as a structural
type: the real service satisfies it, tests may pass the real one or a fake. `order` and
`preview_png` run on the BackgroundRunner only; the checks are quick and local.
`DeliveryPort` is the same for app/services/delivery.py (paper, e-mail, the personal archive,
R8): `available` and `check` are quick and local, `deliver` runs on the BackgroundRunner (a
print follows the job up to ~10 s). `PrinterPort` names the counter's printer for the check
(it may ask CUPS, so on a worker too).
"""

from __future__ import annotations

import tkinter as tk
from datetime import date
from pathlib import Path
from tkinter import ttk
from typing import TYPE_CHECKING, Protocol

from app.i18n import _
from app.ui.presenters.errors import MessageView
from models.detalization import Options, Period
from models.domain import Session, Subscriber

if TYPE_CHECKING:
    from app.services.delivery import Deliverable, Delivered, DeliveryMethod
    from app.services.detalization import DocumentInfo
    from app.services.registry import Services
    from app.services.usage_sync import OrderProgress
    from app.ui.views.detalization_dialog import DetalizationDialog
    from app.ui.window import MainWindow
    from models.printing import PrinterChoice

SHORTCUT = "Ctrl+D"
# Cyrillic_ve: the D key in the Russian layout, so Ctrl+D works in either layout.
SEQUENCES = ("<Control-d>", "<Control-D>", "<Control-Cyrillic_ve>", "<Control-Cyrillic_VE>")


class DetalizationPort(Protocol):
    @property
    def documents_folder(self) -> Path: ...

    @property
    def retention_days(self) -> int: ...

    def today(self, timezone: str) -> date: ...

    def check_period(self, period: Period, timezone: str) -> None: ...

    def check_folder(self, folder: Path) -> Path: ...

    def check_region(self, subscriber: Subscriber) -> None: ...

    def order(self, clerk: Session, phone: str, period: Period, options: Options, fmt: str,
              path: Path | None = None, progress: OrderProgress | None = None, *,
              folder: Path | None = None) -> DocumentInfo: ...

    def preview_png(self, info: DocumentInfo, target: Path, dpi: int = 60) -> Path: ...


class DeliveryPort(Protocol):
    def available(self) -> tuple[DeliveryMethod, ...]: ...

    def check(self, method: DeliveryMethod, *, to: str | None = None,
              fmt: str | None = None, clerk: Session | None = None, subscriber: str = "",
              given: bool = False) -> str | None:
        """With `clerk`: the address held to R10's delivery rule too (it may ask the
        operator: on a worker only)."""
        ...

    def deliver(self, clerk: Session, doc: Deliverable, method: DeliveryMethod, *,
                to: str | None = None, printer: str | None = None,
                given: bool = False) -> Delivered: ...


class PrinterPort(Protocol):
    def choice(self) -> PrinterChoice: ...


class DetalizationControls:
    def __init__(self, window: MainWindow) -> None:
        self.window = window
        self.dialog: DetalizationDialog | None = None
        # In the Subscriber section's title row, at its right end: no row of its own, so the
        # card is as tall as before.
        self.button = ttk.Button(window.card_panel.subscriber, style="Status.TButton",
                                 takefocus=False, command=self.open)
        self.button.grid(row=0, column=0, sticky="e")
        self.button.state(["disabled"])  # until the services bring the detalization
        self.retranslate()

    @property
    def service(self) -> DetalizationPort | None:
        services = self.window.services
        return services.detalization if services is not None else None

    def attach(self, services: Services) -> None:
        self.button.state(["!disabled"])

    def bind_keys(self, root: tk.Tk) -> None:
        for sequence in SEQUENCES:
            root.bind(sequence, self._key)

    def _key(self, _event: tk.Event) -> str:
        self.open()
        return "break"

    def open(self) -> None:
        """Ctrl+D or the button: the dialog for the subscriber on screen."""
        window, service, card = self.window, self.service, self.window.card
        if not window.working or service is None or window.session is None:
            return
        if self.dialog is not None and self.dialog.winfo_exists():
            self.dialog.lift()
            return
        if card is None:
            window.message.show(MessageView(
                _("Find the subscriber first: type the number and press Enter, then Ctrl+D."),
                "input"))
            return
        from app.ui.views.detalization_dialog import DetalizationDialog  # opens on demand

        window.message.show(None)
        services = window.services
        assert services is not None  # the detalization service came from them
        delivery, printing = services.delivery, services.printing
        self.dialog = DetalizationDialog(window.root, card=card, service=service,
                                         clerk=window.session, runner=window.runner,
                                         delivery=delivery, printing=printing,
                                         after_close=self._late_delivery)
        self.dialog.bind("<Destroy>", self._closed, add="+")

    def _late_delivery(self, view: MessageView) -> None:
        """A delivery that finished after the dialog closed: said in the window (not to a
        locked counter, where the next clerk would read it)."""
        if self.window.working:
            self.window.message.show(view)

    def _closed(self, event: tk.Event) -> None:
        if self.dialog is not None and event.widget is self.dialog:
            self.dialog = None
            if self.window.working:
                self.window.search.focus_field(select=True)

    def retranslate(self) -> None:
        self.button.configure(text=_("Detalization…") + f"  {SHORTCUT}")
        if self.dialog is not None and self.dialog.winfo_exists():
            self.dialog.retranslate()

    def forget(self) -> None:
        """Locked or signed out: the dialog names a subscriber; an order under way stops."""
        if self.dialog is not None and self.dialog.winfo_exists():
            self.dialog.close()
        self.dialog = None

    close = forget
