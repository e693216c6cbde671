"""Training mode: the demo subscribers beside the card, loaded on a worker, toggled with F4.

The side pane also has room under the list (`pane`, row 1) for the subscriber's phone
(app/ui/access_codes.py puts it there)."""

from __future__ import annotations

import tkinter as tk
from collections.abc import Callable
from tkinter import ttk
from typing import TYPE_CHECKING

from app.ui.presenters.demo import DemoRow, present_demo
from app.ui.presenters.errors import present_error
from app.ui.runner import BackgroundRunner
from app.ui.views.demo import DemoList
from app.ui.views.search import SearchBar

if TYPE_CHECKING:
    from models.domain import DemoSubscriber

BESIDE_CARD_FROM = 1200  # px of window width; narrower, the clerk opens the list with F4

_Loaded = tuple[list["DemoSubscriber"], tuple[DemoRow, ...]]


class TrainingPanel:
    def __init__(
        self,
        root: tk.Tk,
        body: ttk.PanedWindow,
        search: SearchBar,
        runner: BackgroundRunner,
        on_pick: Callable[[str], None],
    ) -> None:
        self._root = root
        self._body = body
        self._search = search
        self._runner = runner
        self._subscribers: list[DemoSubscriber] = []
        self.pane = ttk.Frame(body)
        self.pane.columnconfigure(0, weight=1)
        self.pane.rowconfigure(0, weight=1)
        self.view = DemoList(self.pane, on_select=search.set_text, on_pick=on_pick)
        self.view.grid(row=0, column=0, sticky="nsew")
        search.demo_toggle.grid()
        self._show_if_roomy()

    def load(self, fetch_subscribers: Callable[[], list[DemoSubscriber]]) -> None:
        """Ask the sandbox for its demo world on a worker; present it there too."""

        def fetch() -> _Loaded:
            subscribers = fetch_subscribers()
            return subscribers, present_demo(subscribers)

        self._runner.submit(fetch, self._loaded, self._failed)

    @property
    def shown(self) -> bool:
        return str(self.pane) in [str(pane) for pane in self._body.panes()]

    def show(self, shown: bool) -> None:
        if shown and not self.shown:
            self._body.add(self.pane, weight=0)
        elif not shown and self.shown:
            self._body.forget(self.pane)
        self._search.demo_shown.set_bool(shown)

    def toggle(self) -> None:
        self.show(not self.shown)

    def retranslate(self) -> None:
        self.view.retranslate()
        if self._subscribers:  # the notes are words in the current language
            self.view.set_rows(present_demo(self._subscribers))

    def _show_if_roomy(self) -> None:
        if not self._root.winfo_ismapped():
            self._root.after(50, self._show_if_roomy)
            return
        self.show(self._root.winfo_width() >= BESIDE_CARD_FROM)

    def _loaded(self, result: _Loaded) -> None:
        self._subscribers, rows = result
        self.view.set_rows(rows)

    def _failed(self, error: BaseException) -> None:
        self.view.set_error(present_error(error).text)
