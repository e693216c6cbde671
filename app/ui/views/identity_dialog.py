"""F2 «Проверка документа» (R10): who presents the document (the holder, or a representative
with a power of attorney), which document, and its number in a masked field (`show="•"`).
The number is handed to `on_check` once and the field emptied at once, whatever the answer;
it is kept nowhere here. Widgets only: the form is read by app/ui/presenters/identity.py and
the check runs in app/ui/identity.py.
"""

from __future__ import annotations

import tkinter as tk
from collections.abc import Callable
from tkinter import ttk

from app.i18n import _
from app.ui.presenters.errors import MessageView
from app.ui.presenters.identity import document_names
from app.ui.theme import PALETTE
from app.ui.views.dialog_place import grab_when_mapped
from app.ui.views.message import MessageArea

MASK = "•"
WRAP = 520  # px
MAX_TYPED = 40  # characters the number field takes (a number has at most 20 letters and digits)

# (representative, document name, number, power of attorney's number, its date)
CheckRequest = Callable[[bool, str, str, str, str], None]


class IdentityDialog(tk.Toplevel):
    def __init__(self, master: tk.Misc, *, phone: str, name: str, unverified: bool,
                 on_check: CheckRequest) -> None:
        super().__init__(master)
        self.withdraw()  # placed first, then shown (no flash at 0,0)
        self._on_check = on_check
        self._phone, self._name, self._unverified = phone, name, unverified
        self.busy = False
        self.configure(background=PALETTE.page)
        self.transient(master.winfo_toplevel())
        self.representative = tk.BooleanVar(self, value=False)
        self._build()
        self.retranslate()
        self._place(master)
        self.deiconify()
        grab_when_mapped(self)
        for sequence in ("<Return>", "<KP_Enter>"):
            self.bind(sequence, self._enter)
        self.bind("<Escape>", lambda _event: self.close())
        self.protocol("WM_DELETE_WINDOW", self.close)
        self.after_idle(self.focus_number)

    def _build(self) -> None:
        body = ttk.Frame(self, style="Card.TFrame", padding=(20, 14))
        body.pack(fill="both", expand=True, padx=10, pady=10)
        body.columnconfigure(1, weight=1)
        self.title_label = ttk.Label(body, style="Name.TLabel")
        self.title_label.grid(row=0, column=0, columnspan=2, sticky="w")
        self.subtitle = ttk.Label(body, style="Field.TLabel")
        self.subtitle.grid(row=1, column=0, columnspan=2, sticky="w", pady=(2, 6))
        self.notice = ttk.Label(body, style="Attention.TLabel", justify="left",
                                wraplength=WRAP)
        self.notice.grid(row=2, column=0, columnspan=2, sticky="w", pady=(0, 6))
        if not self._unverified:
            self.notice.grid_remove()
        who = ttk.Frame(body, style="Body.TFrame")
        who.grid(row=3, column=0, columnspan=2, sticky="w", pady=(4, 8))
        self.holder_button = ttk.Radiobutton(who, variable=self.representative, value=False,
                                             command=self._presenter_changed)
        self.holder_button.pack(side="left", padx=(0, 16))
        self.representative_button = ttk.Radiobutton(
            who, variable=self.representative, value=True, command=self._presenter_changed)
        self.representative_button.pack(side="left")
        self.document_label = ttk.Label(body, style="Field.TLabel")
        self.document_label.grid(row=4, column=0, sticky="w", padx=(0, 10), pady=3)
        self.document = ttk.Combobox(body, state="readonly", width=34)
        self.document.grid(row=4, column=1, sticky="w", pady=3)
        self.number_label = ttk.Label(body, style="Field.TLabel")
        self.number_label.grid(row=5, column=0, sticky="w", padx=(0, 10), pady=3)
        self.number = ttk.Entry(body, style="Phone.TEntry", font="SalonEntry", width=20,
                                show=MASK, validate="key",
                                validatecommand=(self.register(_short), "%P"))
        self.number.grid(row=5, column=1, sticky="w", pady=3)
        self.poa_number_label = ttk.Label(body, style="Field.TLabel")
        self.poa_number_label.grid(row=6, column=0, sticky="w", padx=(0, 10), pady=3)
        self.poa_number = ttk.Entry(body, width=24)
        self.poa_number.grid(row=6, column=1, sticky="w", pady=3)
        self.poa_date_label = ttk.Label(body, style="Field.TLabel")
        self.poa_date_label.grid(row=7, column=0, sticky="w", padx=(0, 10), pady=3)
        self.poa_date = ttk.Entry(body, width=12)
        self.poa_date.grid(row=7, column=1, sticky="w", pady=3)
        self.result = MessageArea(body)
        self.result.grid(row=8, column=0, columnspan=2, sticky="ew", pady=(10, 0))
        self.result.show(None)
        self.result.unbind("<Configure>")
        self.result.label.configure(wraplength=WRAP - 20)
        self.progress = ttk.Progressbar(body, mode="indeterminate",
                                        style="Accent.Horizontal.TProgressbar")
        self.progress.grid(row=9, column=0, columnspan=2, sticky="ew", pady=(8, 0))
        self.progress.grid_remove()
        buttons = ttk.Frame(body, style="Body.TFrame")
        buttons.grid(row=10, column=0, columnspan=2, sticky="e", pady=(12, 0))
        self.close_button = ttk.Button(buttons, style="Action.TButton", command=self.close)
        self.close_button.pack(side="right")
        self.check_button = ttk.Button(buttons, style="Primary.TButton", command=self.check)
        self.check_button.pack(side="right", padx=(0, 10))
        self._presenter_changed()

    def retranslate(self) -> None:
        self.title(_("Identity check"))
        self.title_label.configure(text=_("Identity check (R10)"))
        self.subtitle.configure(text=f"{self._name}, {self._phone}")
        self.notice.configure(text=_("The operator has not confirmed this subscriber's data "
                                     "(303-FZ): only the identity check is offered."))
        self.holder_button.configure(text=_("The holder"))
        self.representative_button.configure(text=_("A representative (power of attorney)"))
        self.document_label.configure(text=_("Document:"))
        chosen = self.document.current()
        self.document.configure(values=list(document_names().values()))
        self.document.current(chosen if chosen >= 0 else 0)
        self.number_label.configure(text=_("Its number (not shown):"))
        self.poa_number_label.configure(text=_("Power of attorney No.:"))
        self.poa_date_label.configure(text=_("Dated (DD.MM.YYYY):"))
        self.check_button.configure(text=_("Record the check  Enter"))
        self.close_button.configure(text=_("Close (Esc)"))

    # -- what the controller tells -------------------------------------------------------------
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
        for widget in (self.number, self.check_button):
            widget.state(["disabled"] if busy else ["!disabled"])
        if not busy:
            self.focus_number()

    # -- the form ------------------------------------------------------------------------------
    def check(self) -> None:
        """Enter / the button: the number handed over once, the field emptied at once."""
        if self.busy:
            return
        number = self.number.get()
        self.number.delete(0, "end")
        self.result.show(None)
        self._on_check(self.representative.get(), self.document.get(), number,
                       self.poa_number.get(), self.poa_date.get())

    def focus_number(self) -> None:
        if self.winfo_exists():
            self.lift()
            self.number.focus_force()

    def close(self) -> None:
        if self.winfo_exists():
            self.number.delete(0, "end")
            self.grab_release()
            self.destroy()

    def _presenter_changed(self) -> None:
        """The power of attorney's fields are there for a representative only."""
        widgets = (self.poa_number_label, self.poa_number, self.poa_date_label, self.poa_date)
        for widget in widgets:
            if self.representative.get():
                widget.grid()
            else:
                widget.grid_remove()

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
        width = self.winfo_reqwidth()
        x = top.winfo_rootx() + max(0, (top.winfo_width() - width) // 2)
        y = top.winfo_rooty() + max(0, (top.winfo_height() - self.winfo_reqheight()) // 4)
        self.geometry(f"+{x}+{y}")


def _short(proposed: str) -> bool:
    """What the number field takes: at most MAX_TYPED characters."""
    return len(proposed) <= MAX_TYPED
