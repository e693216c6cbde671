"""«Проверить код»: the subscriber types the access code at the counter (R2, R3).

The entry is masked (`show="•"`), takes digits only (at most 6), and is emptied the moment
Enter is pressed, whatever the answer; the typed text goes to `on_check` once and is kept
nowhere here. The answer (right / wrong with the attempts left / locked until when) and the
code's state are drawn from what the controller (app/ui/access_codes.py) passes in.
"""

from __future__ import annotations

import tkinter as tk
from collections.abc import Callable
from tkinter import ttk

from app.i18n import _
from app.ui.presenters.errors import MessageView
from app.ui.theme import PALETTE
from app.ui.views.dialog_place import grab_when_mapped
from app.ui.views.message import MessageArea
from models.access_codes import CODE_DIGITS

MASK = "•"
WRAP = 520  # px: the width long lines wrap at


def digits_only(proposed: str) -> bool:
    """What the entry accepts: ASCII digits, at most 6 (a paste with anything else is
    refused whole)."""
    return proposed == "" or (proposed.isascii() and proposed.isdigit()
                              and len(proposed) <= CODE_DIGITS)


class CodeCheckDialog(tk.Toplevel):
    def __init__(self, master: tk.Misc, *, phone: str, name: str,
                 on_check: Callable[[str], None]) -> None:
        super().__init__(master)
        self.withdraw()  # placed first, then shown (no flash at 0,0)
        self._on_check = on_check
        self._phone, self._name = phone, name
        self.busy = False
        self.can_check = True
        self.configure(background=PALETTE.page)
        self.transient(master.winfo_toplevel())  # what Tk does with any master
        self._build()
        self.retranslate()
        self._place(master)
        self.deiconify()
        grab_when_mapped(self)
        for sequence in ("<Return>", "<KP_Enter>"):
            self.bind(sequence, self._enter)
        self.bind("<Escape>", lambda _event: self.close())
        self.protocol("WM_DELETE_WINDOW", self.close)
        self.after_idle(self.focus_entry)

    def _build(self) -> None:
        body = ttk.Frame(self, style="Card.TFrame", padding=(20, 14))
        body.pack(fill="both", expand=True, padx=10, pady=10)
        body.columnconfigure(0, weight=1)
        self.title_label = ttk.Label(body, style="Name.TLabel")
        self.title_label.grid(row=0, column=0, sticky="w")
        self.subtitle = ttk.Label(body, style="Field.TLabel")
        self.subtitle.grid(row=1, column=0, sticky="w", pady=(2, 8))
        self.hint = ttk.Label(body, style="Info.Message.TLabel", justify="left")
        self.hint.grid(row=2, column=0, sticky="ew")
        self.state_label = ttk.Label(body, style="Value.TLabel", justify="left")
        self.state_label.grid(row=3, column=0, sticky="w", pady=(10, 6))
        row = ttk.Frame(body, style="Body.TFrame")
        row.grid(row=4, column=0, sticky="w")
        self.prompt = ttk.Label(row, style="Field.TLabel")
        self.prompt.grid(row=0, column=0, sticky="w", padx=(0, 10))
        self.entry = ttk.Entry(row, style="Phone.TEntry", font="SalonEntry", width=9,
                               show=MASK, validate="key",
                               validatecommand=(self.register(digits_only), "%P"))
        self.entry.grid(row=0, column=1, sticky="w")
        self.check_button = ttk.Button(row, style="Primary.TButton", command=self.check)
        self.check_button.grid(row=0, column=2, sticky="ns", padx=(10, 0))
        self.result = MessageArea(body)
        self.result.grid(row=5, column=0, sticky="ew", pady=(10, 0))
        self.result.show(None)
        self.progress = ttk.Progressbar(body, mode="indeterminate",
                                        style="Accent.Horizontal.TProgressbar")
        self.progress.grid(row=6, column=0, sticky="ew", pady=(8, 0))
        self.progress.grid_remove()
        buttons = ttk.Frame(body, style="Body.TFrame")
        buttons.grid(row=7, column=0, sticky="e", pady=(12, 0))
        self.close_button = ttk.Button(buttons, style="Action.TButton", command=self.close)
        self.close_button.pack(side="right")
        # The dialog takes the size its content asks for (a result line grows it), so the
        # long lines wrap at a fixed width rather than following the window.
        for label in (self.hint, self.state_label):
            label.configure(wraplength=WRAP)
        self.result.unbind("<Configure>")  # its own wrapping follows the window
        self.result.label.configure(wraplength=WRAP - 20)

    def retranslate(self) -> None:
        self.title(_("Checking the access code"))
        self.title_label.configure(text=_("Checking the access code"))
        self.subtitle.configure(text=f"{self._name}, {self._phone}")
        self.hint.configure(text=_(
            "Turn the keyboard to the subscriber: they type the code from the SMS themselves. "
            "It is not shown on the screen, and the clerk never types, hears or writes it "
            "down."))
        self.prompt.configure(text=_("Code from the SMS:"))
        self.check_button.configure(text=_("Check the entry  Enter"))
        self.close_button.configure(text=_("Close (Esc)"))

    # -- what the controller tells -------------------------------------------------------------
    def show_state(self, text: str, attention: bool, can_check: bool) -> None:
        self.state_label.configure(text=text,
                                   style="Attention.TLabel" if attention else "Value.TLabel")
        self.can_check = can_check
        self._enable()
        if not can_check and self.focus_get() is self.entry:
            self.close_button.focus_set()  # locked meanwhile: Enter closes, digits go nowhere

    def show_result(self, view: MessageView | None) -> None:
        self.result.show(view)

    def set_busy(self, busy: bool) -> None:
        self.busy = busy
        if busy:
            self.progress.grid()
            self.progress.start(15)
        else:
            self.progress.stop()
            self.progress.grid_remove()
        self._enable()
        if not busy:
            self.focus_entry()

    # -- the subscriber's entry ----------------------------------------------------------------
    def check(self) -> None:
        """Enter / the button: hand the entry over once and empty the field at once."""
        if self.busy or not self.can_check:
            return
        entry = self.entry.get()
        self.entry.delete(0, "end")
        self.result.show(None)
        self._on_check(entry)

    def focus_entry(self) -> None:
        if self.winfo_exists():
            self.lift()
            if self.can_check:
                self.entry.focus_force()
            else:
                self.close_button.focus_set()

    def close(self) -> None:
        if self.winfo_exists():
            self.entry.delete(0, "end")
            self.grab_release()
            self.destroy()

    # -- helpers -------------------------------------------------------------------------------
    def _enable(self) -> None:
        ready = self.can_check and not self.busy
        self.entry.state(["!disabled"] if ready else ["disabled"])
        self.check_button.state(["!disabled"] if ready else ["disabled"])

    def _enter(self, _event: tk.Event) -> str:
        if self.focus_get() is self.close_button:
            self.close()
        else:
            self.check()
        return "break"

    def _place(self, master: tk.Misc) -> None:
        top = master.winfo_toplevel()
        top.update_idletasks()
        self.update_idletasks()
        width, height = self.winfo_reqwidth(), self.winfo_reqheight()
        x = top.winfo_rootx() + max(0, (top.winfo_width() - width) // 2)
        y = top.winfo_rooty() + max(0, (top.winfo_height() - height) // 4)
        self.geometry(f"+{x}+{y}")  # the size is what the content asks for
