"""The search row: the phone field, the Find button and the busy indicator."""

from __future__ import annotations

import tkinter as tk
from collections.abc import Callable
from tkinter import ttk

from app.i18n import _
from app.ui.views.tclvar import TclVar


class SearchBar(ttk.Frame):
    def __init__(
        self,
        master: tk.Misc,
        on_search: Callable[[], None],
        on_demo: Callable[[bool], None],
    ) -> None:
        super().__init__(master, padding=(16, 10, 16, 4))
        self._on_search = on_search
        self._on_demo = on_demo
        self._busy = False
        self.prompt = ttk.Label(self, style="Prompt.TLabel")
        self.prompt.grid(row=0, column=0, sticky="w", padx=(0, 10))
        self.entry = ttk.Entry(self, style="Phone.TEntry", font="SalonEntry", width=22)
        self.entry.grid(row=0, column=1, sticky="w")
        self.button = ttk.Button(self, style="Primary.TButton", command=self._clicked)
        self.button.grid(row=0, column=2, padx=(10, 0), sticky="ns")
        self.hint = ttk.Label(self, style="Hint.TLabel")
        self.hint.grid(row=0, column=3, sticky="w", padx=(16, 0))
        self.columnconfigure(3, weight=1)
        # Training mode only: shows or hides the demo subscribers beside the card (F4).
        self.demo_shown = TclVar(self, "0")
        self.demo_toggle = ttk.Checkbutton(
            # Tk takes a variable's name; typeshed wants a tkinter.Variable (see tclvar.py).
            self, style="Lang.Toolbutton", variable=self.demo_shown.name,  # type: ignore[arg-type]
            takefocus=False,
            command=lambda: self._on_demo(self.demo_shown.get_bool()),
        )
        self.demo_toggle.grid(row=0, column=4, sticky="e")
        self.demo_toggle.grid_remove()
        # Always in the layout (so nothing jumps); invisible until a lookup takes a while.
        self.progress = ttk.Progressbar(
            self, mode="indeterminate", style="Accent.Horizontal.TProgressbar"
        )
        self.progress.grid(row=1, column=1, columnspan=2, sticky="ew", pady=(4, 0))
        self.progress.grid_remove()
        self.bind("<Configure>", self._fit_hint)
        for sequence in ("<Return>", "<KP_Enter>"):
            self.entry.bind(sequence, self._enter)
        self.retranslate()

    @property
    def text(self) -> str:
        return self.entry.get()

    def set_text(self, text: str) -> None:
        self.entry.delete(0, "end")
        self.entry.insert(0, text)

    def focus_field(self, select: bool = True) -> None:
        self.entry.focus_set()
        if select:
            self.entry.select_range(0, "end")
        self.entry.icursor("end")

    def retranslate(self) -> None:
        self.prompt.configure(text=_("Subscriber's phone number"))
        self.button.configure(text=_("Searching…") if self._busy else _("Find"))
        self.hint.configure(text=_("for example +7 916 123-45-67"))
        self.demo_toggle.configure(text=_("Demo subscribers (F4)"))

    def set_busy(self, busy: bool) -> None:
        self._busy = busy
        self.button.state(["disabled"] if busy else ["!disabled"])
        self.retranslate()
        if not busy:
            self.show_progress(False)

    def show_progress(self, visible: bool) -> None:
        if visible:
            self.progress.grid()
            self.progress.start(15)
        else:
            self.progress.stop()
            self.progress.grid_remove()

    def _fit_hint(self, event: tk.Event) -> None:
        # The example is the first thing to give up when the row is narrow.
        others = (self.prompt, self.entry, self.button, self.demo_toggle)
        needed = sum(w.winfo_reqwidth() for w in others if w.winfo_manager()) + 60
        if event.width - needed >= self.hint.winfo_reqwidth():
            self.hint.grid()
        else:
            self.hint.grid_remove()

    def _clicked(self) -> None:
        self._on_search()

    def _enter(self, _event: tk.Event) -> str:
        self._on_search()
        return "break"
