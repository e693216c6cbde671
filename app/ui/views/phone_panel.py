"""Training mode: «Телефон абонента» beside the demo subscribers — the SMS the phone of the
number on screen received (newest first), the training world's clock and the buttons that move
it forward (+1 h, +24 h) so a clerk can watch a 24-hour lock end. Widgets only."""

from __future__ import annotations

import tkinter as tk
from collections.abc import Callable
from functools import partial
from tkinter import ttk

from app.i18n import _
from app.ui.presenters.phone import STEPS, PhoneView, step_label
from app.ui.theme import PALETTE

WRAP = 420  # px


class PhonePanel(ttk.Frame):
    def __init__(self, master: tk.Misc, *, on_refresh: Callable[[], None],
                 on_advance: Callable[[int], None]) -> None:
        super().__init__(master, style="Card.TFrame", padding=(12, 10, 12, 12))
        self.columnconfigure(0, weight=1)
        self.rowconfigure(2, weight=1)
        self.title = ttk.Label(self, style="Section.TLabel")
        self.title.grid(row=0, column=0, columnspan=2, sticky="w")
        # Fixed wrapping: the side pane is as wide as the demo list asks, never wider.
        self.note = ttk.Label(self, style="Training.TLabel", justify="left", wraplength=WRAP)
        self.note.grid(row=1, column=0, columnspan=2, sticky="ew", pady=(4, 6))
        # The phone's screen: read-only, wrapped, newest message on top.
        self.screen = tk.Text(self, height=7, width=34, wrap="word", relief="flat",
                              borderwidth=0, highlightthickness=1, cursor="arrow",
                              highlightbackground=PALETTE.border, background=PALETTE.stripe,
                              foreground=PALETTE.text, font="SalonBase", padx=8, pady=6,
                              takefocus=False)
        self.screen.tag_configure("header", foreground=PALETTE.muted, font="SalonSmall",
                                  spacing1=4)
        self.screen.tag_configure("text", spacing3=6)
        self.screen.tag_configure("empty", foreground=PALETTE.faint)
        self.screen.grid(row=2, column=0, sticky="nsew")
        scrollbar = ttk.Scrollbar(self, orient="vertical", command=self.screen.yview)
        scrollbar.grid(row=2, column=1, sticky="ns")
        self.screen.configure(yscrollcommand=scrollbar.set, state="disabled")
        self.clock = ttk.Label(self, style="Note.TLabel")
        self.clock.grid(row=3, column=0, columnspan=2, sticky="w", pady=(6, 0))
        buttons = ttk.Frame(self, style="Body.TFrame")
        buttons.grid(row=4, column=0, columnspan=2, sticky="w", pady=(4, 0))
        self.refresh_button = ttk.Button(buttons, style="Action.TButton", takefocus=False,
                                         width=0, command=on_refresh)
        self.refresh_button.pack(side="left", padx=(0, 6))
        self.step_buttons = []
        for seconds in STEPS:
            button = ttk.Button(buttons, style="Action.TButton", takefocus=False, width=0,
                                command=partial(on_advance, seconds))
            button.pack(side="left", padx=(0, 6))
            self.step_buttons.append(button)
        self.view: PhoneView | None = None
        self.retranslate()

    @property
    def text(self) -> str:
        return self.screen.get("1.0", "end").strip()

    def retranslate(self) -> None:
        self.refresh_button.configure(text=_("Refresh the phone"))
        for button, seconds in zip(self.step_buttons, STEPS, strict=True):
            button.configure(text=step_label(seconds))
        if self.view is not None:
            self.show(self.view)

    def show(self, view: PhoneView) -> None:
        self.view = view
        self.title.configure(text=view.title)
        self.note.configure(text=view.note)
        self.clock.configure(text=view.clock)
        screen = self.screen
        screen.configure(state="normal")
        screen.delete("1.0", "end")
        if not view.lines:
            screen.insert("end", view.empty, ("empty",))
        for line in view.lines:
            screen.insert("end", line.header + "\n", ("header",))
            screen.insert("end", line.text + "\n", ("text",))
        screen.configure(state="disabled")

    def set_busy(self, busy: bool) -> None:
        for button in (self.refresh_button, *self.step_buttons):
            button.state(["disabled"] if busy else ["!disabled"])
