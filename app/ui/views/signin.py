"""The sign-in card (also the lock screen): login, password, the refusal in place, the button.

Enter in the login field goes to the password; Enter in the password field signs in. On the
lock screen the login is filled in with the locked clerk's, and "Another clerk" empties it for
a quick takeover.
"""

from __future__ import annotations

import tkinter as tk
from collections.abc import Callable
from tkinter import ttk

from app.i18n import _
from app.ui.presenters.errors import MessageView
from app.ui.presenters.signin import Field, GateView
from app.ui.views.message import MessageArea

CARD_WIDTH = 460  # px; the texts wrap inside it in both languages


class FormCard(ttk.Frame):
    """A white card with a title, a paragraph, labelled fields, a message and buttons."""

    def __init__(self, master: tk.Misc) -> None:
        super().__init__(master, style="Card.TFrame", padding=(28, 22, 28, 22))
        self.columnconfigure(0, weight=1, minsize=CARD_WIDTH)
        self.title = ttk.Label(self, style="GateTitle.TLabel", anchor="w", justify="left",
                               wraplength=CARD_WIDTH)
        self.title.grid(row=0, column=0, sticky="ew")
        self.text = ttk.Label(self, style="GateText.TLabel", anchor="w", justify="left",
                              wraplength=CARD_WIDTH)
        self.text.grid(row=1, column=0, sticky="ew", pady=(6, 0))
        ttk.Frame(self, style="Rule.TFrame", height=1).grid(
            row=2, column=0, sticky="ew", pady=(14, 6)
        )
        self.fields: dict[Field, ttk.Entry] = {}
        self.field_labels: dict[Field, ttk.Label] = {}
        self._next_row = 3
        self._busy = False

    def add_field(self, name: Field, *, secret: bool = False) -> ttk.Entry:
        label = ttk.Label(self, style="Field.TLabel")
        label.grid(row=self._next_row, column=0, sticky="w", pady=(8, 2))
        entry = ttk.Entry(self, style="Phone.TEntry", font="SalonEntry",
                          show="•" if secret else "")
        entry.grid(row=self._next_row + 1, column=0, sticky="ew")
        self._next_row += 2
        self.fields[name] = entry
        self.field_labels[name] = label
        return entry

    def add_footer(self) -> tuple[MessageArea, ttk.Frame]:
        """The message (hidden until there is one) and the row of buttons under the fields."""
        message = MessageArea(self)
        message.grid(row=self._next_row, column=0, sticky="ew", pady=(14, 0))
        message.show(None)
        buttons = ttk.Frame(self, style="Body.TFrame")
        buttons.grid(row=self._next_row + 1, column=0, sticky="ew", pady=(16, 0))
        buttons.columnconfigure(1, weight=1)
        self._next_row += 2
        return message, buttons

    def value(self, name: Field) -> str:
        return self.fields[name].get()

    def set_value(self, name: Field, text: str) -> None:
        entry = self.fields[name]
        entry.delete(0, "end")
        entry.insert(0, text)

    def focus_field(self, name: Field, *, force: bool = False) -> None:
        """The cursor in that field, its text selected; `force` also takes the keyboard from
        other applications (at launch, the clerk types at once, no click first)."""
        entry = self.fields[name]
        if force:
            entry.focus_force()
        else:
            entry.focus_set()
        entry.select_range(0, "end")
        entry.icursor("end")


class SignInForm(FormCard):
    def __init__(
        self,
        master: tk.Misc,
        on_submit: Callable[[str, str], None],
        on_other: Callable[[], None],
    ) -> None:
        super().__init__(master)
        self._on_submit = on_submit
        self.login = self.add_field("login")
        self.password = self.add_field("password", secret=True)
        self.message, buttons = self.add_footer()
        self.button = ttk.Button(buttons, style="Primary.TButton", command=self.submit)
        self.button.grid(row=0, column=0, sticky="w")
        self.other = ttk.Button(buttons, style="Link.TButton", command=on_other,
                                takefocus=False)
        self.other.grid(row=0, column=2, sticky="e")
        self.hint = ttk.Label(self, style="GateHint.TLabel", anchor="w", justify="left",
                              wraplength=CARD_WIDTH - 20)
        self.hint.grid(row=self._next_row, column=0, sticky="ew", pady=(16, 0))
        for sequence in ("<Return>", "<KP_Enter>"):
            self.login.bind(sequence, self._login_enter)
            self.password.bind(sequence, self._password_enter)
        self.view: GateView | None = None
        self.retranslate()

    def show(self, view: GateView, *, keep_input: bool = False) -> None:
        """Texts for this screen; unless `keep_input` (a language switch), the fields and the
        message start afresh."""
        self.view = view
        self.title.configure(text=view.title)
        self.text.configure(text=view.text)
        if not keep_input:
            self.set_value("login", view.login)
            self.set_value("password", "")
            self.message.show(None)
        if view.other:
            self.other.configure(text=view.other)
            self.other.grid()
        else:
            self.other.grid_remove()
        if view.hint:
            self.hint.configure(text=view.hint)
            self.hint.grid()
        else:
            self.hint.grid_remove()
        self._show_button()

    def focus_first(self, *, force: bool = False) -> None:
        self.focus_field("password" if self.value("login").strip() else "login", force=force)

    def show_message(self, message: MessageView | None) -> None:
        self.message.show(message)

    def set_busy(self, busy: bool) -> None:
        self._busy = busy
        self.button.state(["disabled"] if busy else ["!disabled"])
        self._show_button()

    def retranslate(self) -> None:
        self.field_labels["login"].configure(text=_("Login"))
        self.field_labels["password"].configure(text=_("Password"))
        self._show_button()

    def submit(self) -> None:
        if not self._busy:
            self._on_submit(self.value("login"), self.value("password"))

    def _show_button(self) -> None:
        text = self.view.button if self.view else _("Sign in")
        self.button.configure(text=_("Checking…") if self._busy else text)

    def _login_enter(self, _event: tk.Event) -> str:
        if self.value("password"):
            self.submit()
        else:
            self.focus_field("password")
        return "break"

    def _password_enter(self, _event: tk.Event) -> str:
        self.submit()
        return "break"
