"""The status bar: what just happened (data age, messages) and the keyboard shortcuts."""

from __future__ import annotations

import tkinter as tk
from tkinter import ttk

from app.i18n import _


class StatusBar(ttk.Frame):
    def __init__(self, master: tk.Misc) -> None:
        super().__init__(master, style="Status.TFrame")
        ttk.Frame(self, style="Rule.TFrame", height=1).pack(side="top", fill="x")
        self.message = ttk.Label(self, style="Status.TLabel", anchor="w")
        self.message.pack(side="left", fill="x", expand=True)
        self.keys = ttk.Label(self, style="Status.TLabel", anchor="e")
        self.keys.pack(side="right")
        self._signing_in = False
        self.retranslate()

    @property
    def text(self) -> str:
        return str(self.message.cget("text"))

    def set_message(self, text: str) -> None:
        self.message.configure(text=text)

    def show_sign_in_keys(self, signing_in: bool) -> None:
        """The keys of the sign-in and lock screens, or those of the work area."""
        self._signing_in = signing_in
        self.retranslate()

    def retranslate(self) -> None:
        if self._signing_in:
            self.keys.configure(text=_("Enter — next field, then sign in"))
            return
        self.keys.configure(
            text=_("Enter — find   ·   Ctrl+L / F3 — phone field   ·   Esc — clear   ·   "
                   "Ctrl+Shift+L — lock")
        )
