"""The message area above the card: one sentence for the clerk, coloured by kind."""

from __future__ import annotations

import tkinter as tk
from tkinter import ttk

from app.ui.presenters.errors import MessageView

_STYLES = {"input": "Warn", "offline": "Warn", "failure": "Error", "info": "Info",
           "done": "Done"}


class MessageArea(ttk.Frame):
    """Hidden when there is nothing to say; the parent grids it once and it shows itself."""

    def __init__(self, master: tk.Misc) -> None:
        super().__init__(master, style="Error.TFrame")
        self.columnconfigure(1, weight=1)
        self._bar = ttk.Frame(self, style="ErrorBar.TFrame", width=4)
        self._bar.grid(row=0, column=0, sticky="ns")
        self.label = ttk.Label(self, style="Error.Message.TLabel", anchor="w", justify="left")
        self.label.grid(row=0, column=1, sticky="ew")
        self.bind("<Configure>", self._wrap)
        self.view: MessageView | None = None

    @property
    def text(self) -> str:
        return self.label.cget("text") if self.view else ""

    def show(self, view: MessageView | None) -> None:
        self.view = view
        if view is None:
            self.label.configure(text="")
            self.grid_remove()
            return
        kind = _STYLES[view.kind]
        self.configure(style=f"{kind}.TFrame")
        self._bar.configure(style=f"{kind}Bar.TFrame")
        self.label.configure(text=view.text, style=f"{kind}.Message.TLabel")
        self.grid()

    def _wrap(self, event: tk.Event) -> None:
        self.label.configure(wraplength=max(200, event.width - 40))
