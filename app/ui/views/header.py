"""The header bar: brand, salon and counter, training badge, online/offline, the signed-in
clerk with the manager's daily log and "Sign out", language."""

from __future__ import annotations

import tkinter as tk
from collections.abc import Callable
from tkinter import ttk

from app.config import Settings
from app.i18n import LANGUAGES, _, language
from app.ui.presenters.connection import ConnectionView
from app.ui.views.tclvar import TclVar

SALON_PADX = 16


class HeaderBar(ttk.Frame):
    def __init__(
        self,
        master: tk.Misc,
        settings: Settings,
        on_language: Callable[[str], None],
        on_sign_out: Callable[[], None],
        on_daily_log: Callable[[], None] | None = None,
    ) -> None:
        super().__init__(master, style="Header.TFrame", padding=(14, 8))
        self._settings = settings
        self._on_language = on_language
        self.columnconfigure(3, weight=1)
        ttk.Label(self, text="С", style="Logo.TLabel").grid(row=0, column=0, padx=(0, 10))
        self.brand = ttk.Label(self, style="Brand.TLabel")
        self.brand.grid(row=0, column=1, sticky="w")
        self.salon = ttk.Label(self, style="HeaderInfo.TLabel")
        self.salon.grid(row=0, column=2, sticky="w", padx=(SALON_PADX, 0))
        self.training = ttk.Label(self, style="Training.TLabel")
        self.training.grid(row=0, column=4, padx=(12, 12))
        self.training.grid_remove()
        self.dot = ttk.Label(self, text="●", style="Dot.unknown.TLabel")
        self.dot.grid(row=0, column=5)
        self.connection = ttk.Label(self, style="HeaderInfo.TLabel", width=18)
        self.connection.grid(row=0, column=6, sticky="w", padx=(4, 12))
        self.clerk = ttk.Label(self, style="HeaderClerk.TLabel")
        self.clerk.grid(row=0, column=7, sticky="e", padx=(0, 8))
        # The manager's daily log (F9); only a manager sees it.
        self.daily_log = ttk.Button(self, style="Header.TButton", takefocus=False, width=0,
                                    command=on_daily_log or (lambda: None))
        self.daily_log.grid(row=0, column=9, padx=(0, 6))
        self.sign_out = ttk.Button(self, style="Header.TButton", command=on_sign_out,
                                   takefocus=False, width=0)  # as wide as its word
        self.sign_out.grid(row=0, column=10, padx=(0, 12))
        self._badge = ""
        self.set_clerk("")
        self.language = TclVar(self, language())
        switch = ttk.Frame(self, style="Header.TFrame")
        switch.grid(row=0, column=11)
        self.bind("<Configure>", lambda _event: self._fit())
        self.language_buttons: dict[str, ttk.Radiobutton] = {}
        for code in LANGUAGES:
            button = ttk.Radiobutton(
                # Tk takes a variable's name; typeshed wants a tkinter.Variable (tclvar.py).
                switch, text=code.upper(), value=code,
                variable=self.language.name,  # type: ignore[arg-type]
                style="Lang.Toolbutton", command=self._language_picked, takefocus=False,
            )
            button.pack(side="left")
            self.language_buttons[code] = button
        self._connection_view: ConnectionView | None = None
        self.retranslate()

    def retranslate(self) -> None:
        self.brand.configure(text=_("Salon — console"))
        self.salon.configure(
            text=_("{salon} · counter {counter}").format(
                salon=self._settings.salon.name, counter=self._settings.salon.counter
            )
        )
        self.training.configure(text=_("Training mode"))
        self.sign_out.configure(text=_("Sign out"))
        self.daily_log.configure(text=_("Daily log"))
        self.language.set(language())

    def set_clerk(self, badge: str, *, manager: bool = False) -> None:
        """The signed-in clerk ("Анна Соколова · специалист"), or nobody: no Sign out then."""
        self.clerk.configure(text=badge)
        if badge:
            self.clerk.grid()
            self.sign_out.grid()
        else:
            self.clerk.grid_remove()
            self.sign_out.grid_remove()
        if badge and manager:
            self.daily_log.grid()
        else:
            self.daily_log.grid_remove()
        self._badge = badge
        self.after_idle(self._fit)  # the sizes are known once Tk has laid the row out

    def _fit(self) -> None:
        """On a narrow window the salon's name gives way first, then the console's name: the
        clerk, the training badge, the connection and the language switch stay on screen."""
        optional = [(self.salon, SALON_PADX), (self.brand, 0)]
        shown = [(w, pad) for w, pad in optional if w.winfo_manager()]
        base = self.winfo_reqwidth() - sum(w.winfo_reqwidth() + pad for w, pad in shown)
        room = self.winfo_width() - base
        for widget, pad in reversed(optional):  # the brand is given back first
            needed = widget.winfo_reqwidth() + pad
            if room >= needed:
                room -= needed
                if not widget.winfo_manager():
                    widget.grid()
            elif widget.winfo_manager():
                widget.grid_remove()

    def set_training(self, training: bool) -> None:
        if training:
            self.training.grid()
        else:
            self.training.grid_remove()
        self.after_idle(self._fit)

    def set_connection(self, view: ConnectionView) -> None:
        if view == self._connection_view:
            return  # polled every second: do not redraw what did not change
        self._connection_view = view
        self.dot.configure(style=f"Dot.{view.state}.TLabel")
        self.connection.configure(text=view.text)

    def _language_picked(self) -> None:
        self._on_language(self.language.get())
