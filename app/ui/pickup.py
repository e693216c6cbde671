"""The main window's part for R11 pick-up at this salon: the status bar's button with how many
orders wait (new and printed), Ctrl+G, and the pick-up list (app/ui/views/pickup_dialog.py).

The count is asked of the PickupService on the BackgroundRunner — when the services come, when
a clerk signs in, after each action in the list, and every REFRESH_MS (orders come in online
at any time) — never on the Tk thread. A failed count keeps the last one: the list says why.
Tk thread only.
"""

from __future__ import annotations

import tkinter as tk
from typing import TYPE_CHECKING, Any

from app.ui.ports import PickupPort
from app.ui.presenters.errors import present_error
from app.ui.presenters.pickup import pickup_button_text, waiting_count

if TYPE_CHECKING:
    from app.ui.views.pickup_dialog import PickupDialog
    from app.ui.window import MainWindow

REFRESH_MS = 3 * 60 * 1000  # a slow timer: new orders arrive over the day, not by the second
# Latin and Russian layouts: with ЙЦУКЕН on, Ctrl+G arrives as Ctrl+п.
PICKUP_KEYS = ("<Control-g>", "<Control-G>", "<Control-Cyrillic_pe>", "<Control-Cyrillic_PE>")


class PickupControls:
    def __init__(self, window: MainWindow) -> None:
        self.window = window
        self.count: int | None = None
        self.dialog: PickupDialog | None = None
        self._after: str | None = None
        self._asking = False
        self._again = False  # asked again while a count was on its way: ask once it is back
        self._closed = False

    @property
    def pickup(self) -> PickupPort | None:
        services = self.window.services
        return services.pickup if services is not None else None

    def attach(self, services: Any) -> None:
        self.window.status.show_pickup(True)
        self.refresh()

    def bind_keys(self, root: tk.Tk) -> None:
        for sequence in PICKUP_KEYS:
            root.bind(sequence, self._key)

    def _key(self, _event: tk.Event) -> str:
        self.open()
        return "break"

    # -- the count ---------------------------------------------------------------------------
    def refresh(self) -> None:
        """Ask for the count now (and again in REFRESH_MS)."""
        if self._after is not None:
            self.window.root.after_cancel(self._after)
            self._after = None
        if self._closed:
            return
        self._after = self.window.root.after(REFRESH_MS, self.refresh)
        pickup, clerk = self.pickup, self.window.session
        if pickup is None or clerk is None:
            return  # no clerk, no list (the count comes with the next sign-in)
        if self._asking:
            self._again = True  # that answer may predate the change that asks now
            return
        self._asking = True
        self.window.runner.submit(lambda: waiting_count(pickup.queue(clerk)), self._counted,
                                  self._not_counted)

    def _counted(self, count: int) -> None:
        self._answered()
        if self._closed or self.window.session is None:
            return
        self.count = count
        self.window.status.set_pickup(pickup_button_text(count))

    def _not_counted(self, error: BaseException) -> None:
        # Offline: the last count stays and the list itself says why. Logged (a bug with its
        # traceback): a count nobody sees failing would otherwise go stale in silence.
        present_error(error)
        self._answered()

    def _answered(self) -> None:
        self._asking = False
        if self._again and not self._closed:
            self._again = False
            self.refresh()

    # -- the list ------------------------------------------------------------------------------
    def open(self) -> None:
        window, pickup = self.window, self.pickup
        if pickup is None or window.session is None or not window.working:
            return
        if self.dialog is not None and self.dialog.winfo_exists():
            self.dialog.lift()
            self.dialog.reload()
            return
        from app.ui.views.pickup_dialog import PickupDialog

        self.dialog = PickupDialog(window.root, pickup, window.runner, window.session,
                                   timezone=window.settings.salon.timezone,
                                   on_changed=self.refresh)

    # -- language, lock, close -----------------------------------------------------------------
    def retranslate(self) -> None:
        self.window.status.set_pickup(pickup_button_text(self.count))
        if self.dialog is not None and self.dialog.winfo_exists():
            self.dialog.retranslate()

    def forget(self) -> None:
        """Locked or signed out: the list names subscribers."""
        if self.dialog is not None and self.dialog.winfo_exists():
            self.dialog.destroy()
        self.dialog = None

    def close(self) -> None:
        self._closed = True
        self.forget()
        if self._after is not None:
            self.window.root.after_cancel(self._after)
            self._after = None
