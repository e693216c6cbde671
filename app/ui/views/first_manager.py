"""First start of a real store (no clerk accounts at all): create the manager's account."""

from __future__ import annotations

import tkinter as tk
from collections.abc import Callable
from tkinter import ttk

from app.i18n import _
from app.ui.presenters.errors import MessageView
from app.ui.presenters.signin import Field, FirstManagerView
from app.ui.views.signin import FormCard

_ORDER: tuple[Field, ...] = ("login", "name", "password", "repeat")  # as on screen


class FirstManagerForm(FormCard):
    def __init__(
        self, master: tk.Misc, on_submit: Callable[[str, str, str, str], None]
    ) -> None:
        super().__init__(master)
        self._on_submit = on_submit
        for name in _ORDER:
            entry = self.add_field(name, secret=name in ("password", "repeat"))
            for sequence in ("<Return>", "<KP_Enter>"):
                entry.bind(sequence, lambda _event, name=name: self._enter(name))
        self.message, buttons = self.add_footer()
        self.button = ttk.Button(buttons, style="Primary.TButton", command=self.submit)
        self.button.grid(row=0, column=0, sticky="w")
        self.view: FirstManagerView | None = None
        self.retranslate()

    def show(self, view: FirstManagerView) -> None:
        self.view = view
        self.title.configure(text=view.title)
        self.text.configure(text=view.text)
        self._show_button()

    def show_message(self, message: MessageView | None) -> None:
        self.message.show(message)

    def clear_passwords(self) -> None:
        self.set_value("password", "")
        self.set_value("repeat", "")

    def set_busy(self, busy: bool) -> None:
        self._busy = busy
        self.button.state(["disabled"] if busy else ["!disabled"])
        self._show_button()

    def retranslate(self) -> None:
        self.field_labels["login"].configure(
            text=_("Login (Latin letters and digits, e.g. i.petrova)"))
        self.field_labels["name"].configure(text=_("Full name"))
        self.field_labels["password"].configure(text=_("Password (at least 8 characters)"))
        self.field_labels["repeat"].configure(text=_("The password again"))
        self._show_button()

    def submit(self) -> None:
        if not self._busy:
            self._on_submit(*(self.value(name) for name in _ORDER))

    def _show_button(self) -> None:
        text = self.view.button if self.view else _("Create and sign in")
        self.button.configure(text=_("Checking…") if self._busy else text)

    def _enter(self, name: Field) -> str:
        # Enter goes on to the next empty field, and submits when there is none.
        empty = [later for later in _ORDER[_ORDER.index(name) + 1:] if not self.value(later)]
        if empty:
            self.focus_field(empty[0])
        else:
            self.submit()
        return "break"
