"""Use case: clerk accounts and signing in. Every operation in a salon is done by a named clerk.

Rules (named in messages and tests):
- C1 manager only: only a manager adds, lists and disables accounts and sets another clerk's
  password; a clerk changes only their own, giving the old one.
- C2 last manager: the last active manager cannot be disabled.
- C3 first manager: the first manager is created only while there are no accounts at all
  (`salon clerk add --first`, or the GUI's first-start form).
- C4 disabled account: a disabled clerk cannot sign in.
- Lockout: five wrong passwords in a row lock the account for 15 minutes; a success resets the
  count, and so does a new password. An unknown login gets the same answer as a wrong password
  (logins cannot be probed), but nothing is stored or locked for it.

Time comes from the injected clock, so tests move it instead of waiting.
"""

from __future__ import annotations

import builtins
import logging
import re
import threading
from collections.abc import Callable
from contextlib import AbstractContextManager
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Protocol

from app import formatting
from app.clock import Clock
from app.errors import (
    ClerkLocked,
    InputError,
    NotSignedIn,
    RuleRefused,
    SalonError,
    WrongPassword,
)
from app.i18n import _, ngettext
from app.services.journaling import Journal, journaled
from app.services.passwords import Argon2Hasher, PasswordHasher, check_new_password
from app.training_accounts import TRAINING_ACCOUNTS
from models.audit_codes import AuditAction, AuditResult
from models.domain import Clerk, ClerkAccount, ClerkRole, Session

log = logging.getLogger(__name__)

LOGIN_PATTERN = re.compile(r"[a-z][a-z0-9._-]{1,31}")
MAX_NAME_LENGTH = 200
_UNKNOWN_MEMORY = 1000  # unknown logins whose wrong tries are remembered (in memory only)


class ClerkStore(Protocol):
    """Where accounts live (models/clerks.py StoreClerks; a dict in tests)."""

    def exclusive(self) -> AbstractContextManager[None]: ...

    def count(self) -> int: ...

    def get(self, login: str) -> ClerkAccount | None: ...

    def all(self) -> list[Clerk]: ...

    def add(self, account: ClerkAccount) -> bool: ...

    def save_attempts(
        self, login: str, failed_attempts: int, locked_until: datetime | None
    ) -> None: ...

    def save_password(self, login: str, password_hash: str, changed_at: datetime) -> None: ...

    def save_active(self, login: str, active: bool) -> None: ...


@dataclass(frozen=True)
class LockoutPolicy:
    limit: int = 5
    duration: timedelta = timedelta(minutes=15)

    def is_locked(self, locked_until: datetime | None, now: datetime) -> bool:
        return locked_until is not None and now < locked_until

    def after_failure(self, failed_attempts: int, now: datetime) -> tuple[int, datetime | None]:
        """(the new count, the lock's end or None); a lock starts the next count afresh."""
        count = failed_attempts + 1
        if count >= self.limit:
            return 0, now + self.duration
        return count, None


class ClerkService:
    def __init__(
        self,
        store: ClerkStore,
        clock: Clock,
        *,
        timezone: str = "Europe/Moscow",
        hasher: PasswordHasher | None = None,
        policy: LockoutPolicy | None = None,
        journal: Journal | None = None,
    ) -> None:
        self._journal = journal
        self._store = store
        self._clock = clock
        self._timezone = timezone  # the salon's: lock ends are shown on its wall clock
        self._hasher = hasher or Argon2Hasher()
        self.policy = policy or LockoutPolicy()
        self._unknown: dict[str, int] = {}
        # Told of sign-ins, sign-outs and screen locks at this counter ("sign_in",
        # "sign_out", "lock"): R10's visit ends with them (app/services/identity.py).
        self._listeners: list[Callable[[Session, str], None]] = []
        self._unknown_lock = threading.Lock()
        self._decoy: str | None = None

    # -- signing in ------------------------------------------------------------------------
    def sign_in(self, login: str, password: str) -> Session:
        """A Session, or WrongPassword (attempts left), ClerkLocked (until), RuleRefused (C4).
        Both outcomes go into the journal: the login only when such an account exists (a
        password typed into the login field must not end up there), never the password."""
        login = normalize_login(login)
        known = LOGIN_PATTERN.fullmatch(login) is not None and self._store.get(login) is not None
        try:
            session = self._sign_in(login, password)
        except SalonError as error:
            if self._journal is not None:
                self._journal.record(login if known else "", AuditAction.SIGN_IN_FAILED,
                                     AuditResult.REFUSED,
                                     detail="" if known else "unknown login", reason=str(error))
            raise
        if self._journal is not None:
            self._journal.record(session.login, AuditAction.SIGN_IN)
        self._tell(session, "sign_in")
        return session

    def on_session(self, listener: Callable[[Session, str], None]) -> None:
        """Call `listener(session, event)` on each sign-in, sign-out and screen lock here."""
        self._listeners.append(listener)

    def _tell(self, session: Session, event: str) -> None:
        for listener in self._listeners:
            try:
                listener(session, event)
            except Exception:  # a listener's failure must not keep a clerk from the counter
                log.exception("a session listener failed on %s", event)

    def sign_out(self, session: Session, *, detail: str = "") -> None:
        """The clerk left the counter (or another clerk took it over: detail "takeover")."""
        if self._journal is not None:
            self._journal.record(session.login, AuditAction.SIGN_OUT, detail=detail)
        self._tell(session, "sign_out")

    def screen_locked(self, session: Session, *, detail: str = "") -> None:
        """The window hid its data behind the lock screen (idle, or the clerk's shortcut)."""
        if self._journal is not None:
            self._journal.record(session.login, AuditAction.SCREEN_LOCK, detail=detail)
        self._tell(session, "lock")

    def _sign_in(self, login: str, password: str) -> Session:
        now = self._clock.now()
        account = self._store.get(login) if LOGIN_PATTERN.fullmatch(login) else None
        if account is None:
            self._hasher.verify(self._decoy_hash(), password)  # the same work, the same time
            raise self._unknown_login(login)
        if self.policy.is_locked(account.clerk.locked_until, now):
            raise self._locked(account.clerk)
        correct = self._hasher.verify(account.password_hash, password)
        failure: WrongPassword | ClerkLocked | None = None
        with self._store.exclusive():  # decide on the row as it is now (other counters)
            current = self._store.get(login)
            if current is None:
                failure = self._unknown_login(login)
            elif self.policy.is_locked(current.clerk.locked_until, now):
                failure = self._locked(current.clerk)
            elif not correct:
                failed, until = self.policy.after_failure(current.clerk.failed_attempts, now)
                self._store.save_attempts(login, failed, until)
                failure = (self._locked_at(login, until) if until is not None
                           else self._wrong(self.policy.limit - failed))
            else:
                if current.clerk.failed_attempts or current.clerk.locked_until:
                    self._store.save_attempts(login, 0, None)
                account = current
        if failure is not None:  # raised outside the transaction, so the count is kept
            raise failure
        clerk = account.clerk
        if not clerk.active:
            raise RuleRefused(_(
                "The account {login} is disabled (C4); a manager can tell you why."
            ).format(login=clerk.login), rule="C4")
        return Session(clerk.login, clerk.full_name, clerk.role, now)

    def has_clerks(self) -> bool:
        return self._store.count() > 0

    # -- managing accounts -----------------------------------------------------------------
    def add_first_manager(self, login: str, full_name: str, password: str) -> Clerk:
        """The first account of a new store (C3): a manager, created without signing in."""
        account = self._new_account(login, full_name, ClerkRole.MANAGER, password)
        with self._store.exclusive():
            if self._store.count() > 0:
                raise RuleRefused(_(
                    "Clerk accounts already exist: the first manager is created only once "
                    "(C3). Ask a manager to add your account."
                ), rule="C3")
            self._store.add(account)
        return account.clerk

    def add(
        self, actor: Session, login: str, full_name: str, role: ClerkRole, password: str
    ) -> Clerk:
        require_clerk(actor)
        with journaled(self._journal, actor.login, AuditAction.CLERK_ADD,
                       detail=f"{normalize_login(login)} {role.value}"):
            return self._add(actor, login, full_name, role, password)

    def _add(
        self, actor: Session, login: str, full_name: str, role: ClerkRole, password: str
    ) -> Clerk:
        self._manager_only(actor, _("Only a manager can add clerk accounts (C1)."))
        account = self._new_account(login, full_name, role, password)
        with self._store.exclusive():
            if not self._store.add(account):
                raise InputError(_(
                    "The login {login} is taken; choose another one."
                ).format(login=account.clerk.login))
        with self._unknown_lock:
            self._unknown.pop(account.clerk.login, None)
        return account.clerk

    def list(self, actor: Session) -> list[Clerk]:
        self._manager_only(actor, _("Only a manager can see the clerk accounts (C1)."))
        return self._store.all()

    def disable(self, actor: Session, login: str) -> Clerk:
        require_clerk(actor)
        with journaled(self._journal, actor.login, AuditAction.CLERK_DISABLE,
                       detail=normalize_login(login)):
            return self._disable(actor, login)

    def _disable(self, actor: Session, login: str) -> Clerk:
        self._manager_only(actor, _("Only a manager can disable clerk accounts (C1)."))
        login = normalize_login(login)
        with self._store.exclusive():
            clerk = self._existing(login).clerk
            if clerk.active and clerk.is_manager and not any(
                other.is_manager and other.active and other.login != login
                for other in self._store.all()
            ):
                raise RuleRefused(_(
                    "{login} is the last active manager and cannot be disabled (C2): "
                    "add another manager first."
                ).format(login=login), rule="C2")
            self._store.save_active(login, False)
        return self._existing(login).clerk

    def change_password(
        self, actor: Session, login: str, new_password: str, old_password: str | None = None
    ) -> None:
        """A manager sets anyone's password (and so unlocks the account); a clerk changes
        only their own, proving the old one (wrong tries count towards the lockout)."""
        require_clerk(actor)
        with journaled(self._journal, actor.login, AuditAction.CLERK_PASSWD,
                       detail=normalize_login(login)):
            self._change_password(actor, login, new_password, old_password)

    def _change_password(
        self, actor: Session, login: str, new_password: str, old_password: str | None
    ) -> None:
        login = normalize_login(login)
        if not actor.is_manager:
            if login != actor.login:
                raise RuleRefused(_(
                    "Only a manager can set another clerk's password (C1)."
                ), rule="C1")
            if old_password is None:
                raise InputError(_("Give your current password to change it."))
            self._sign_in(login, old_password)  # journaled as this password change
        check_new_password(login, new_password)
        password_hash = self._hasher.hash(new_password)
        with self._store.exclusive():
            self._existing(login)
            self._store.save_password(login, password_hash, self._clock.now())

    def ensure_training_accounts(self) -> builtins.list[str]:  # `list` is a method here
        """Create the training sandbox's demo accounts that are missing; their logins."""
        created = []
        for demo in TRAINING_ACCOUNTS:
            if self._store.get(demo.login) is not None:
                continue
            account = self._new_account(demo.login, demo.full_name, demo.role, demo.password)
            with self._store.exclusive():
                if self._store.add(account):
                    created.append(demo.login)
        return created

    # -- helpers ---------------------------------------------------------------------------
    def _new_account(
        self, login: str, full_name: str, role: ClerkRole, password: str
    ) -> ClerkAccount:
        login = check_login(login)
        full_name = " ".join(full_name.split())
        if not full_name:
            raise InputError(_("Give the clerk's full name."))
        if len(full_name) > MAX_NAME_LENGTH:
            raise InputError(_("The name is too long: at most {count} characters.")
                             .format(count=MAX_NAME_LENGTH))
        if not full_name.isprintable():  # an escape sequence, a bidi override, a NUL…
            raise InputError(_("The name holds characters that are not letters or signs "
                               "(control or formatting characters): type it again."))
        check_new_password(login, password)
        now = self._clock.now()
        clerk = Clerk(login, full_name, ClerkRole(role), True, now, now)
        return ClerkAccount(clerk, self._hasher.hash(password))

    def _existing(self, login: str) -> ClerkAccount:
        account = self._store.get(login)
        if account is None:
            raise InputError(_("There is no clerk with the login {login}.").format(login=login))
        return account

    @staticmethod
    def _manager_only(actor: Session, message: str) -> None:
        require_manager(actor, message)

    def _unknown_login(self, login: str) -> WrongPassword:
        # Counted like a real account so the answers look alike, but in memory only and
        # never locked: there is no account to protect, and a typo must not block anyone.
        with self._unknown_lock:
            if len(self._unknown) >= _UNKNOWN_MEMORY:
                self._unknown.clear()
            count = self._unknown.get(login, 0) + 1
            self._unknown[login] = count
        return self._wrong(max(1, self.policy.limit - count))

    def _wrong(self, attempts_left: int) -> WrongPassword:
        return WrongPassword(ngettext(
            "Wrong login or password. {count} attempt left before the account is locked.",
            "Wrong login or password. {count} attempts left before the account is locked.",
            attempts_left,
        ).format(count=attempts_left), attempts_left)

    def _locked(self, clerk: Clerk) -> ClerkLocked:
        assert clerk.locked_until is not None
        return self._locked_at(clerk.login, clerk.locked_until)

    def _locked_at(self, login: str, until: datetime) -> ClerkLocked:
        return ClerkLocked(_(
            "The account {login} is locked after {limit} wrong passwords until {until}. "
            "Wait, or ask a manager to set a new password."
        ).format(login=login, limit=self.policy.limit,
                 until=formatting.local_time(until, self._timezone)), until)

    def _decoy_hash(self) -> str:
        if self._decoy is None:
            self._decoy = self._hasher.hash("not-a-clerk-password")
        return self._decoy


def normalize_login(login: str) -> str:
    return login.strip().lower()


def check_login(login: str) -> str:
    """The login as stored (lower-case), or InputError saying what a login looks like."""
    login = normalize_login(login)
    if not LOGIN_PATTERN.fullmatch(login):
        raise InputError(_(
            "“{login}” cannot be a login: use 2 to 32 Latin letters, digits, dots, dashes or "
            "underscores, starting with a letter."
        ).format(login=login[:40]))
    return login


def require_clerk(clerk: Session | None) -> None:
    """Nothing is done for a subscriber, or to an account, without a named clerk."""
    if not isinstance(clerk, Session):
        raise NotSignedIn(_("Sign in first: every operation is done by a named clerk."))


def require_manager(actor: Session | None, message: str) -> Session:
    """The signed-in manager, or NotSignedIn / RuleRefused (C1) with `message`."""
    require_clerk(actor)
    assert actor is not None
    if not actor.is_manager:
        raise RuleRefused(message, rule="C1")
    return actor
