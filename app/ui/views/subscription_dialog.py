"""The monthly e-mail detalization of the subscriber on the card (a Toplevel, Ctrl+Shift+M):
subscribe the number (the address and the format), see what was sent month by month, or
unsubscribe it. The console sends each ended month once (app/services/periodic.py), also
after a crash or a day offline; this dialog only records the wish.

Keyboard first: Enter subscribes (or, when subscribed, nothing: unsubscribing is a button
and Alt+U, never the default), Esc closes. Every call runs on the BackgroundRunner."""

from __future__ import annotations

import tkinter as tk
from collections.abc import Callable
from tkinter import ttk
from typing import Protocol

from app.i18n import _
from app.phone import format_msisdn
from app.ui.presenters.detalization import FORMATS, format_label
from app.ui.presenters.errors import MessageView, present_error
from app.ui.presenters.subscription import month_text, run_lines, subscription_text
from app.ui.runner import BackgroundRunner
from app.ui.theme import PALETTE
from app.ui.views.message import MessageArea
from models.domain import Session, Subscriber
from models.periodic import PeriodRun, Subscription

Loaded = tuple[Subscription | None, list[PeriodRun]]


class SubscriptionPort(Protocol):
    """What the dialog needs of app/services/periodic.py (PeriodicDeliveryService)."""

    def for_number(self, phone: str) -> Subscription | None: ...

    def runs(self, subscription_id: int | None = None) -> list[PeriodRun]: ...

    def subscribe(self, clerk: Session, phone: str, address: str,
                  fmt: str = "pdf", *, given: bool = False) -> Subscription: ...

    def unsubscribe(self, clerk: Session, subscription_id: int) -> Subscription: ...


class SubscriptionDialog(tk.Toplevel):
    def __init__(self, master: tk.Misc, periodic: SubscriptionPort, runner: BackgroundRunner,
                 clerk: Session, subscriber: Subscriber, *,
                 on_changed: Callable[[Subscription | None], None] | None = None) -> None:
        super().__init__(master)
        self.withdraw()
        self._periodic, self._runner, self._clerk = periodic, runner, clerk
        self.subscriber, self._on_changed = subscriber, on_changed
        self.subscription: Subscription | None = None
        self.runs: list[PeriodRun] = []
        self.loaded = False
        self.busy = False
        self.configure(background=PALETTE.page)
        self.transient(master.winfo_toplevel())  # what Tk does with any master
        self._build()
        self._place(master)
        self.deiconify()
        self.bind("<Escape>", lambda _e: self.destroy())
        for sequence in ("<Return>", "<KP_Enter>"):
            self.bind(sequence, lambda _e: self.subscribe())
        for sequence in ("<Alt-u>", "<Alt-U>", "<Alt-Cyrillic_ghe>", "<Alt-Cyrillic_GHE>"):
            self.bind(sequence, lambda _e: self.unsubscribe())
        self.retranslate()
        self.reload()

    def _build(self) -> None:
        body = ttk.Frame(self, style="Card.TFrame", padding=(16, 12))
        body.pack(fill="both", expand=True, padx=10, pady=10)
        body.columnconfigure(1, weight=1)
        self.title_label = ttk.Label(body, style="Name.TLabel")
        self.title_label.grid(row=0, column=0, columnspan=2, sticky="w")
        self.who_label = ttk.Label(body, style="Field.TLabel")
        self.who_label.grid(row=1, column=0, columnspan=2, sticky="w")
        self.state_label = ttk.Label(body, style="Value.TLabel", justify="left")
        self.state_label.grid(row=7, column=0, columnspan=2, sticky="ew", pady=(8, 8))
        self.message = MessageArea(body)
        self.message.grid(row=8, column=0, columnspan=2, sticky="ew", pady=(0, 8))
        self.message.show(None)
        self.address_label = ttk.Label(body, style="Field.TLabel")
        self.address_label.grid(row=9, column=0, sticky="w", padx=(0, 12))
        self.address = ttk.Entry(body, width=40)
        self.address.grid(row=9, column=1, sticky="ew", pady=2)
        # R10: an address the operator does not hold goes only when the identified holder
        # gave it at the counter; the clerk says so here (empty address: the operator's).
        self.given = tk.BooleanVar(self, value=False)
        self.given_check = ttk.Checkbutton(body, style="Choice.TCheckbutton", variable=self.given)
        self.given_check.grid(row=10, column=1, sticky="w", pady=(0, 4))
        self.format_label = ttk.Label(body, style="Field.TLabel")
        self.format_label.grid(row=11, column=0, sticky="w", padx=(0, 12))
        self.format = ttk.Combobox(body, state="readonly", width=38)
        self.format.grid(row=11, column=1, sticky="ew", pady=2)
        self.runs_label = ttk.Label(body, style="Value.TLabel", justify="left")
        self.runs_label.grid(row=12, column=0, columnspan=2, sticky="ew", pady=(8, 0))
        buttons = ttk.Frame(body, style="Body.TFrame")
        buttons.grid(row=13, column=0, columnspan=2, sticky="ew", pady=(12, 0))
        buttons.columnconfigure(2, weight=1)
        self.subscribe_button = ttk.Button(buttons, style="Primary.TButton",
                                           command=self.subscribe)
        self.subscribe_button.grid(row=0, column=0, sticky="w")
        self.unsubscribe_button = ttk.Button(buttons, style="Action.TButton",
                                             command=self.unsubscribe)
        self.unsubscribe_button.grid(row=0, column=1, sticky="w", padx=(8, 0))
        self.close_button = ttk.Button(buttons, style="Action.TButton", command=self.destroy)
        self.close_button.grid(row=0, column=3, sticky="e")

    def _place(self, master: tk.Misc) -> None:
        top = master.winfo_toplevel()
        width = 640  # the height follows the content: the form, or the runs when subscribed
        x = top.winfo_rootx() + max(0, (top.winfo_width() - width) // 2)
        y = top.winfo_rooty() + 100
        self.geometry(f"+{x}+{y}")
        self.minsize(width, 0)

    def retranslate(self) -> None:
        self.title(_("Monthly detalization by e-mail"))
        self.title_label.configure(text=_("Monthly detalization by e-mail"))
        self.who_label.configure(text=f"{self.subscriber.name} · "
                                      f"{format_msisdn(self.subscriber.msisdn)}")
        self.address_label.configure(text=_("E-mail address"))
        self.given_check.configure(text=_("the holder gave it at the counter (empty: the "
                                          "operator's address)"))
        self.format_label.configure(text=_("Document format"))
        chosen = self.chosen_format
        self.format.configure(values=[format_label(fmt) for fmt in FORMATS])
        self.format.current(FORMATS.index(chosen))
        self.subscribe_button.configure(text=_("Subscribe (Enter)"))
        self.unsubscribe_button.configure(text=_("Unsubscribe (Alt+U)"))
        self.close_button.configure(text=_("Close (Esc)"))
        self._render()

    @property
    def chosen_format(self) -> str:
        index = self.format.current() if self.format.get() else 0
        return FORMATS[index if index >= 0 else 0]

    def _render(self) -> None:
        subscribed = self.subscription is not None
        if not self.loaded:
            state = _("Looking the subscription up…")
        elif self.subscription is not None:
            state = _("Subscribed: {what}. Each month's detalization is sent once, after the "
                      "month ends.").format(what=subscription_text(self.subscription))
        else:
            state = _("Not subscribed. After each month ends, its detalization is sent to "
                      "the address below, once.")
        self.state_label.configure(text=state)
        lines = run_lines(self.runs)
        self.runs_label.configure(text="\n".join([_("Sent so far:"), *lines]) if lines
                                  else "")
        for widget in (self.address_label, self.address, self.given_check, self.format_label,
                       self.format):
            if subscribed:
                widget.grid_remove()
            else:
                widget.grid()
        self.subscribe_button.state(
            ["disabled"] if subscribed or self.busy or not self.loaded else ["!disabled"])
        self.unsubscribe_button.state(
            ["!disabled"] if subscribed and not self.busy else ["disabled"])
        if subscribed:
            self.subscribe_button.grid_remove()
        else:
            self.subscribe_button.grid()
        self.state_label.configure(wraplength=580)

    # -- the calls ---------------------------------------------------------------------------

    def reload(self) -> None:
        periodic, msisdn = self._periodic, self.subscriber.msisdn

        def load() -> Loaded:
            current = periodic.for_number(msisdn)
            return current, periodic.runs(current.id) if current is not None else []

        self._call(load, self._loaded)

    def _loaded(self, loaded: Loaded) -> None:
        self.subscription, self.runs = loaded
        self.loaded = True
        self._render()
        if self.subscription is None:
            self.address.focus_set()
        else:
            self.unsubscribe_button.focus_set()

    def subscribe(self) -> None:
        if self.busy or self.subscription is not None or not self.loaded:
            return
        periodic, clerk, msisdn = self._periodic, self._clerk, self.subscriber.msisdn
        address, fmt, given = self.address.get().strip(), self.chosen_format, self.given.get()
        self._call(lambda: periodic.subscribe(clerk, msisdn, address, fmt, given=given),
                   self._changed)

    def unsubscribe(self) -> None:
        current = self.subscription
        if self.busy or current is None:
            return
        periodic, clerk = self._periodic, self._clerk
        self._call(lambda: periodic.unsubscribe(clerk, current.id), self._changed)

    def _changed(self, subscription: Subscription) -> None:
        self.subscription = subscription if subscription.active else None
        if subscription.active:
            text = _("Subscribed: the detalization for {month} and every month after it goes "
                     "to {address}.").format(month=month_text(subscription.first_period),
                                            address=subscription.email)
        else:
            text = _("Unsubscribed: nothing more is sent, and the address is not kept.")
            self.runs = []
        self.message.show(MessageView(text, "done"))
        self._render()
        if self._on_changed is not None:
            self._on_changed(self.subscription)

    def _call(self, work: Callable[[], object], done: Callable[..., None]) -> None:
        self.busy = True
        self.configure(cursor="watch")
        self._render()

        def answer(value: object) -> None:
            if self.winfo_exists():
                self._idle()
                done(value)

        def failed(error: BaseException) -> None:
            if self.winfo_exists():
                self._idle()
                self.message.show(present_error(error))
                self.address.focus_set()

        self._runner.submit(work, answer, failed)

    def _idle(self) -> None:
        self.busy = False
        self.configure(cursor="")
        self._render()
