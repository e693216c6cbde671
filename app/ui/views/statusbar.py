"""The status bar: what just happened (data age, messages), the pick-up list's button (Ctrl+G,
with how many orders wait at this salon, R11), the print queue's button (Ctrl+P), the catalog's
button (Ctrl+K), the operations queue's button (Ctrl+Q, with how many writes wait) and the
keyboard shortcuts."""

from __future__ import annotations

import tkinter as tk
from collections.abc import Callable
from tkinter import font as tkfont
from tkinter import ttk

from app.i18n import _


class StatusBar(ttk.Frame):
    def __init__(self, master: tk.Misc, on_queue: Callable[[], None] | None = None,
                 on_catalog: Callable[[], None] | None = None,
                 on_print_queue: Callable[[], None] | None = None,
                 on_pickup: Callable[[], None] | None = None) -> None:
        super().__init__(master, style="Status.TFrame")
        ttk.Frame(self, style="Rule.TFrame", height=1).pack(side="top", fill="x")
        self.message = ttk.Label(self, style="Status.TLabel", anchor="w")
        self.message.pack(side="left", fill="x", expand=True)
        self.key_hints = ttk.Label(self, style="Status.TLabel", anchor="e")
        self.key_hints.pack(side="right")
        # Packed when the services have an order service: before the keys, right-aligned.
        self.queue = ttk.Button(self, style="Status.TButton", takefocus=False,
                                command=on_queue or (lambda: None))
        self.catalog = ttk.Button(self, style="Status.TButton", takefocus=False,
                                  command=on_catalog or (lambda: None))
        self.print_queue = ttk.Button(self, style="Status.TButton", takefocus=False,
                                      command=on_print_queue or (lambda: None))
        self.pickup = ttk.Button(self, style="Status.TButton", takefocus=False,
                                 command=on_pickup or (lambda: None))
        self._queue_shown = False
        self._pickup_shown = False
        self._print_shown = False
        self._queue_text = ""
        self._keys_level = 0  # 0: every hint; 1: fewer; 2: only F1 (a narrow window)
        self.bind("<Configure>", lambda _event: self._fit())
        self._signing_in = False
        self.retranslate()

    @property
    def text(self) -> str:
        return str(self.message.cget("text"))

    def set_message(self, text: str) -> None:
        self.message.configure(text=text)
        self._fit()

    def show_queue(self, shown: bool) -> None:
        self._queue_shown = shown
        self._place_queue()

    def show_print_queue(self, shown: bool) -> None:
        """Shown when the console can print (the services have a print service)."""
        self._print_shown = shown
        self._place_queue()

    def show_pickup(self, shown: bool) -> None:
        """Shown when the services have the pick-up service (R11)."""
        self._pickup_shown = shown
        self._place_queue()

    def set_pickup(self, text: str) -> None:
        self.pickup.configure(text=text)
        self._fit()

    def set_queue(self, text: str) -> None:
        self._queue_text = text
        self.queue.configure(text=text)
        self._fit()

    def _place_queue(self) -> None:
        if self._queue_shown and not self._signing_in:
            self.queue.pack(side="right", before=self.key_hints, padx=(0, 4))
            self.catalog.pack(side="right", before=self.queue, padx=(0, 4))
        else:
            self.queue.pack_forget()
            self.catalog.pack_forget()
        if self._print_shown and not self._signing_in:
            before = self.catalog if self.catalog.winfo_manager() else self.key_hints
            self.print_queue.pack(side="right", before=before, padx=(0, 4))
        else:
            self.print_queue.pack_forget()
        if self._pickup_shown and not self._signing_in:
            before = next((button for button in (self.print_queue, self.catalog)
                           if button.winfo_manager()), self.key_hints)
            self.pickup.pack(side="right", before=before, padx=(0, 4))
        else:
            self.pickup.pack_forget()

    def show_sign_in_keys(self, signing_in: bool) -> None:
        """The keys of the sign-in and lock screens, or those of the work area."""
        self._signing_in = signing_in
        self._place_queue()
        self.retranslate()

    def retranslate(self) -> None:
        self.catalog.configure(text=_("Catalog (Ctrl+K)"))
        self.print_queue.configure(text=_("Printing (Ctrl+P)"))
        if not self.pickup.cget("text"):
            self.pickup.configure(text=_("Pick-up (Ctrl+G)"))
        if self._signing_in:
            self.key_hints.configure(text=_("Enter — next field, then sign in"))
            return
        self.key_hints.configure(text=self._keys_text(self._keys_level))

    @staticmethod
    def _keys_text(level: int) -> str:
        if level >= 2:
            return _("F1 — all keys")
        if level == 1:
            return _("Enter — find   ·   F3 — phone field   ·   F1 — all keys")
        return _("Enter — find   ·   Ctrl+L / F3 — phone field   ·   Esc — clear   ·   "
                 "F1 — all keys")

    def _fit(self) -> None:
        """On a narrow window the key hints shorten (down to F1, which shows every key), so
        the buttons and the message keep their room."""
        if self._signing_in or self.winfo_width() <= 1:
            return
        buttons = sum(button.winfo_reqwidth() + 4
                      for button in (self.queue, self.catalog, self.print_queue,
                                     self.pickup)
                      if button.winfo_manager())
        room = self.winfo_width() - self.message.winfo_reqwidth() - buttons - 8
        level = next((level for level in (0, 1) if self._measure(self._keys_text(level)) <= room),
                     2)
        if level != self._keys_level:
            self._keys_level = level
            self.key_hints.configure(text=self._keys_text(level))

    def _measure(self, text: str) -> int:
        padding = 20  # Status.TLabel's (10, 4)
        return tkfont.nametofont("SalonSmall", self).measure(text) + padding
