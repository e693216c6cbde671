"""The sign-in, lock and first-manager screens, and the clerk in the header: what they say.

Signing in runs on a worker; these functions decide the texts, check what was typed before
anything is sent, and turn a refusal into a sentence plus the field the cursor goes back to.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Literal

from app.errors import ClerkLocked, InputError, WeakPassword, WrongPassword
from app.i18n import _
from app.training_accounts import TRAINING_ACCOUNTS
from app.ui.presenters.errors import MessageView, present_error
from models.roles import ClerkRole

if TYPE_CHECKING:  # the domain's objects load behind the sign-in form, not before it
    from models.domain import Session

GateMode = Literal["sign_in", "locked"]
Field = Literal["login", "password", "name", "repeat"]


@dataclass(frozen=True)
class GateView:
    mode: GateMode
    title: str
    text: str
    login: str  # filled in: the locked clerk's own login, so they type only the password
    button: str
    other: str  # "another clerk" on the lock screen; empty when signing in
    hint: str  # the training accounts, in training mode only


@dataclass(frozen=True)
class Refusal:
    message: MessageView
    field: Field  # where the cursor goes so the clerk can correct it


def role_name(role: ClerkRole) -> str:
    return _("manager") if role is ClerkRole.MANAGER else _("clerk")


def clerk_badge(session: Session | None) -> str:
    """The header's "Анна Соколова · специалист", or nothing when nobody is signed in."""
    if session is None:
        return ""
    return f"{session.full_name} · {role_name(session.role)}"


def present_sign_in(salon_name: str, counter: str, training: bool) -> GateView:
    return GateView(
        mode="sign_in",
        title=_("Sign in to the console"),
        text=_("{salon} · counter {counter}. Every operation is recorded under your name.")
        .format(salon=salon_name, counter=counter),
        login="",
        button=_("Sign in"),
        other="",
        hint=training_hint() if training else "",
    )


def present_lock(session: Session, training: bool) -> GateView:
    return GateView(
        mode="locked",
        title=_("The console is locked"),
        text=_(
            "{name} ({role}) is signed in. Type the password to go on. Another clerk can "
            "sign in here with their own login: {name} is then signed out."
        ).format(name=session.full_name, role=role_name(session.role)),
        login=session.login,
        button=_("Unlock"),
        other=_("Another clerk"),
        hint=training_hint() if training else "",
    )


def present_held_keyboard() -> MessageView:
    """The lock screen's line when the lock came while the subscriber typed their access code:
    the cursor waits in no field until the clerk clicks the password field."""
    return MessageView(_("Locked during the access code check: the cursor is in no field, so "
                         "what the subscriber types goes nowhere. Click the password field to "
                         "unlock."), "info")


def training_hint() -> str:
    accounts = ", ".join(
        f"{account.login} / {account.password} ({role_name(account.role)})"
        for account in TRAINING_ACCOUNTS
    )
    return _("Training accounts (login / password): {accounts}").format(accounts=accounts)


def check_sign_in(login: str, password: str) -> Refusal | None:
    """A sentence when something is missing; nothing is sent to the service then."""
    if not login.strip():
        return Refusal(MessageView(_("Type your login."), "input"), "login")
    if not password:
        return Refusal(MessageView(_("Type your password."), "input"), "password")
    return None


def check_first_manager(login: str, name: str, password: str, repeat: str) -> Refusal | None:
    if not login.strip():
        return Refusal(MessageView(_("Type the manager's login."), "input"), "login")
    if not name.strip():
        return Refusal(MessageView(_("Type the manager's full name."), "input"), "name")
    if not password:
        return Refusal(MessageView(_("Type a password."), "input"), "password")
    if password != repeat:
        return Refusal(MessageView(_("The two passwords differ; type them again."), "input"),
                       "password")
    return None


def present_refusal(error: BaseException) -> Refusal:
    """A failed sign-in: attempts left and lock ends are in the service's own sentences."""
    if isinstance(error, WrongPassword):
        return Refusal(MessageView(str(error), "input"), "password")
    if isinstance(error, ClerkLocked):
        return Refusal(MessageView(str(error), "failure"), "login")
    if isinstance(error, WeakPassword):
        return Refusal(MessageView(str(error), "input"), "password")
    if isinstance(error, InputError):  # a login that cannot be one, or is taken
        return Refusal(MessageView(str(error), "input"), "login")
    return Refusal(present_error(error), "login")


@dataclass(frozen=True)
class FirstManagerView:
    title: str
    text: str
    button: str


def present_first_manager(salon_name: str) -> FirstManagerView:
    return FirstManagerView(
        title=_("First start: the manager's account"),
        text=_(
            "{salon} has no clerk accounts yet. Create the first manager: they sign in "
            "with it and add the other clerks' accounts."
        ).format(salon=salon_name),
        button=_("Create and sign in"),
    )
