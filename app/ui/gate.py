"""In front of the work area: signing in, the lock screen, and the first manager's account.

Checking a password takes argon2's time (about 50 ms, more on a slow counter), so it runs on
the BackgroundRunner like any other service call; the answer comes back here on the Tk thread
and goes to the window as a Session. A password typed before the services are up waits for
them, like a number typed into the phone field does.
"""

from __future__ import annotations

import tkinter as tk
from collections.abc import Callable
from functools import partial
from tkinter import ttk
from typing import TYPE_CHECKING, Literal

from app.config import Settings
from app.ui.presenters.errors import present_error
from app.ui.presenters.signin import (
    Field,
    Refusal,
    check_first_manager,
    check_sign_in,
    present_first_manager,
    present_held_keyboard,
    present_lock,
    present_refusal,
    present_sign_in,
)
from app.ui.runner import BackgroundRunner
from app.ui.views.first_manager import FirstManagerForm
from app.ui.views.signin import FormCard, SignInForm

if TYPE_CHECKING:
    from app.services.clerks import ClerkService
    from app.services.registry import Services
    from models.domain import Session

GateMode = Literal["sign_in", "locked", "first_manager"]
Job = Callable[["ClerkService"], "Session"]
FIRST_MANAGER_FIELDS: tuple[Field, ...] = ("login", "name", "password", "repeat")


class Gate:
    def __init__(
        self,
        master: tk.Misc,
        settings: Settings,
        runner: BackgroundRunner,
        on_signed_in: Callable[[Session], None],
    ) -> None:
        self._settings = settings
        self._runner = runner
        self.on_signed_in = on_signed_in  # the window's, once it is built around the Gate
        self.frame = ttk.Frame(master)
        self.frame.columnconfigure(0, weight=1)
        self.frame.rowconfigure(0, weight=1)
        self.frame.rowconfigure(2, weight=2)  # the card sits a little above the middle
        self.sign_in = SignInForm(self.frame, on_submit=self.submit_sign_in,
                                  on_other=self.another_clerk)
        self.sign_in.grid(row=1, column=0)
        self.first_manager = FirstManagerForm(self.frame, on_submit=self.submit_first_manager)
        self.first_manager.grid(row=1, column=0)
        self.services: Services | None = None
        # The clerks' accounts: built before the rest of the services (app/main.py Wiring.clerks),
        # so that signing in waits for the local store only, never for the operator.
        self._clerks: ClerkService | None = None
        self.mode: GateMode = "sign_in"
        self.locked_session: Session | None = None  # whose lock screen this is
        self.busy = False
        self._ready = False  # the services are up and we know whether any account exists
        self._pending: Callable[[], None] | None = None
        self._request = 0  # answers to a screen that was left meanwhile are dropped
        self.show_sign_in()

    @property
    def training(self) -> bool:
        return self.services.training if self.services else self._settings.operator.embedded

    @property
    def form(self) -> FormCard:
        return self.first_manager if self.mode == "first_manager" else self.sign_in

    # -- services --------------------------------------------------------------------------
    @property
    def clerks(self) -> ClerkService | None:
        """The clerks' accounts once open (before the rest of the services, at launch)."""
        return self._clerks

    def attach_clerks(self, clerks: ClerkService) -> None:
        """The clerks' accounts are open: signing in works from now on."""
        if self._clerks is not None:
            return
        self._clerks = clerks
        self._runner.submit(clerks.has_clerks, self._counted, self.failed)

    def attach(self, services: Services) -> None:
        self.services = services
        self.retranslate()  # the training hint follows what the services turned out to be
        self.attach_clerks(services.clerks)

    def _counted(self, has_clerks: bool) -> None:
        self._ready = True
        if not has_clerks and self.mode == "sign_in":
            self._pending = None
            self.show_first_manager()
            if self.frame.winfo_manager():  # only when the gate is what the clerk sees
                self.focus(force=True)
        pending, self._pending = self._pending, None
        if pending is not None:
            pending()

    def failed(self, error: BaseException) -> None:
        """The services did not start, or a job failed: the sentence goes in the form."""
        self._pending = None
        self._set_busy(False)
        self._show_message(Refusal(present_error(error), "login"))

    # -- screens ---------------------------------------------------------------------------
    def show_sign_in(self) -> None:
        self._switch("sign_in")
        self.locked_session = None
        self.sign_in.show(present_sign_in(
            self._settings.salon.name, self._settings.salon.counter, self.training))

    def show_lock(self, session: Session) -> None:
        self._switch("locked")
        self.locked_session = session
        self.sign_in.show(present_lock(session, self.training))

    def show_first_manager(self) -> None:
        self._switch("first_manager")
        self.first_manager.show(present_first_manager(self._settings.salon.name))

    def focus(self, *, force: bool = False) -> None:
        if self.mode == "first_manager":
            empty = [name for name in FIRST_MANAGER_FIELDS if not self.first_manager.value(name)]
            self.first_manager.focus_field(empty[0] if empty else "login", force=force)
        else:
            self.sign_in.focus_first(force=force)

    def hold_focus(self) -> None:
        """The cursor in no field, and the form says how to get to the password: for a lock
        that came while the subscriber had the keyboard (what they type must go nowhere)."""
        self.frame.winfo_toplevel().focus_set()
        self.sign_in.show_message(present_held_keyboard())

    def another_clerk(self) -> None:
        """The lock screen's quick takeover: an empty form for the next clerk's login."""
        self.sign_in.set_value("login", "")
        self.sign_in.set_value("password", "")
        self.sign_in.show_message(None)
        self.sign_in.focus_field("login")

    def retranslate(self) -> None:
        self.sign_in.retranslate()
        self.first_manager.retranslate()
        if self.mode == "locked" and self.locked_session is not None:
            self.sign_in.show(present_lock(self.locked_session, self.training), keep_input=True)
        else:
            self.sign_in.show(present_sign_in(
                self._settings.salon.name, self._settings.salon.counter, self.training),
                keep_input=True)
        self.first_manager.show(present_first_manager(self._settings.salon.name))

    # -- submitting ------------------------------------------------------------------------
    def submit_sign_in(self, login: str, password: str) -> None:
        refusal = check_sign_in(login, password)
        if refusal is not None:
            self._show_message(refusal)
            return
        self.sign_in.show_message(None)
        self._run(lambda clerks: clerks.sign_in(login, password))

    def submit_first_manager(self, login: str, name: str, password: str, repeat: str) -> None:
        refusal = check_first_manager(login, name, password, repeat)
        if refusal is not None:
            self._show_message(refusal)
            if refusal.field == "password":
                self.first_manager.clear_passwords()
            return
        self.first_manager.show_message(None)

        def create(clerks: ClerkService) -> Session:
            clerks.add_first_manager(login, name, password)
            return clerks.sign_in(login, password)

        self._run(create)

    def _run(self, job: Job) -> None:
        self._set_busy(True)
        if not self._ready or self._clerks is None:
            self._pending = partial(self._run, job)  # runs when the accounts are open
            return
        self._request += 1
        clerks = self._clerks
        self._runner.submit(lambda: job(clerks), partial(self._done, self._request),
                            partial(self._refused, self._request))

    def _done(self, request: int, session: Session) -> None:
        if request != self._request:
            return
        self._set_busy(False)
        self.sign_in.set_value("password", "")
        self.first_manager.clear_passwords()
        self.on_signed_in(session)

    def _refused(self, request: int, error: BaseException) -> None:
        if request != self._request:
            return
        self._set_busy(False)
        self._show_message(present_refusal(error))

    def _show_message(self, refusal: Refusal) -> None:
        form = self.form
        if isinstance(form, SignInForm):
            form.show_message(refusal.message)
            form.set_value("password", "")
            form.focus_field(refusal.field if refusal.field in form.fields else "login")
        else:
            self.first_manager.show_message(refusal.message)
            self.first_manager.focus_field(refusal.field)

    def _set_busy(self, busy: bool) -> None:
        self.busy = busy
        self.sign_in.set_busy(busy)
        self.first_manager.set_busy(busy)

    def _switch(self, mode: GateMode) -> None:
        self._request += 1  # an answer still on its way belongs to the screen we leave
        self._pending = None
        self._set_busy(False)
        self.mode = mode
        if mode == "first_manager":
            self.sign_in.grid_remove()
            self.first_manager.grid()
        else:
            self.first_manager.grid_remove()
            self.sign_in.grid()
