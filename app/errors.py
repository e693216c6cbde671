"""One error tree for the whole console. Each error carries a sentence for the clerk.

    SalonError                      exit 1  something went wrong (the message says what)
    ├── WrongCode                   exit 1  a wrong access code (R3); `attempts_left`
    ├── InputError                  exit 2  bad usage or input; nothing was changed
    │   ├── BadPhoneNumber                  not a Russian mobile number
    │   ├── ConfigError                     salon.ini: names the file, section and key
    │   ├── SubscriberNotFound              no subscriber with this number
    │   ├── NotSignedIn                     no clerk is signed in (CLI: --clerk / SALON_CLERK)
    │   ├── WrongPassword                   wrong login or password; `attempts_left`
    │   └── WeakPassword                    a new password breaks the password rules
    ├── RuleRefused                 exit 3  a business rule (R1..R9, C1..C4) refuses it; names it
    │   ├── OrderRefused                    the operator refused an order (`rule`: R1, ...)
    │   ├── VersionMismatch                 412: the subscriber changed since the preview
    │   ├── IdentityRequired                R10: the use case needs this visit's identity check
    │   ├── IdentityMismatch                R10: the typed document is not the operator's record
    │   ├── IdentityLocked                  R10: too many mismatches; a manager signs in here
    │   ├── PickupConflict                  R11: the pick-up order's state does not allow it
    │   └── AddressRefused                  R10: not the subscriber's address (nothing sent)
    ├── Locked                      exit 4  locked for a while; `until` (UTC) says how long
    │   ├── CodeLocked                      access code locked (R3)
    │   └── ClerkLocked                     clerk account locked after wrong passwords
    ├── OperatorUnavailable         exit 5  the operator API cannot be reached; says if queued;
    │   │                                   `maybe_delivered`: a write may have reached it
    │   └── OperatorProtocolError           it answered, but not as the contract says
    ├── PrintFailed                 exit 6  printing failed; the document was kept at `path`
    └── Cancelled                   exit 1  the clerk stopped a long job; nothing was kept

The clerk sees `str(error)` (already translated); the log gets `repr` and the cause chain.
"""

from __future__ import annotations

from datetime import datetime
from pathlib import Path
from typing import Any


class SalonError(Exception):
    exit_code = 1
    # What a command had gathered before it failed, printed beside "error" with --json
    # (app/commands/output.py with_report).
    json_report: dict[str, Any] | None = None

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message

    def __str__(self) -> str:
        return self.message


class WrongCode(SalonError):
    """The subscriber typed a wrong access code; the message says how many attempts are left
    (R3). Never the code itself."""

    def __init__(self, message: str, attempts_left: int) -> None:
        super().__init__(message)
        self.attempts_left = attempts_left


class InputError(SalonError):
    exit_code = 2


class BadPhoneNumber(InputError):
    pass


class ConfigError(InputError):
    pass


class SubscriberNotFound(InputError):
    pass


class NotSignedIn(InputError):
    pass


class WrongPassword(InputError):
    """The same answer for an unknown login, so logins cannot be probed."""

    def __init__(self, message: str, attempts_left: int) -> None:
        super().__init__(message)
        self.attempts_left = attempts_left


class WeakPassword(InputError):
    pass


class RuleRefused(SalonError):
    exit_code = 3

    def __init__(self, message: str, rule: str) -> None:
        super().__init__(message)
        self.rule = rule


class OrderRefused(RuleRefused):
    """The operator's decision on an order (422 rule_refused, or another final 4xx): nothing
    was applied, and a retry under the same key gets the same answer."""


class VersionMismatch(RuleRefused):
    """412: the order's If-Match is not the subscriber's version any more."""

    def __init__(self, message: str, current_version: int | None) -> None:
        super().__init__(message, rule="version_mismatch")
        self.current_version = current_version


class IdentityRequired(RuleRefused):
    """R10: what was asked needs the identity check of this visit (holder or representative),
    which has not been recorded at this counter (or ended: another subscriber, the lock screen,
    sign-out, `[identity] visit_minutes`). `need` names what waits for it."""

    def __init__(self, message: str, need: str) -> None:
        super().__init__(message, rule="R10")
        self.need = need


class IdentityMismatch(RuleRefused):
    """R10: the document typed is not the one the operator holds for the holder (journaled;
    never the number, only its last 4 characters)."""

    def __init__(self, message: str) -> None:
        super().__init__(message, rule="R10")


class IdentityLocked(RuleRefused):
    """R10: more than the allowed mismatches for one subscriber within an hour: checks are
    refused until a manager signs in at the counter where they happened."""

    def __init__(self, message: str) -> None:
        super().__init__(message, rule="R10")


class PickupConflict(RuleRefused):
    """R11: the operator refused a pick-up order's state report — its state now does not
    allow it (another counter handed it over or destroyed it first). `current_state`: the
    order's TMF622 state now, when the operator said it."""

    def __init__(self, message: str, current_state: str | None) -> None:
        super().__init__(message, rule="R11")
        self.current_state = current_state


class AddressRefused(RuleRefused):
    """R10 (issue 14.5): a subscriber's document goes only to an address the operator holds for
    them or one the identified holder gives at the counter; this one is neither (nothing was
    sent, nothing subscribed)."""

    def __init__(self, message: str) -> None:
        super().__init__(message, rule="R10")


class Locked(SalonError):
    exit_code = 4

    def __init__(self, message: str, until: datetime | None = None) -> None:
        super().__init__(message)
        self.until = until


class CodeLocked(Locked):
    pass


class ClerkLocked(Locked):
    pass


class OperatorUnavailable(SalonError):
    exit_code = 5

    def __init__(
        self, message: str, *, queued: bool = False, maybe_delivered: bool = False
    ) -> None:
        super().__init__(message)
        self.queued = queued
        # A write only: True when a request may have reached the operator (the connection
        # broke after it was sent), False when it surely did not (no connection was made, or
        # the operator answered that it applied nothing).
        self.maybe_delivered = maybe_delivered


class OperatorProtocolError(OperatorUnavailable):
    """The API answered something the contract does not allow (bad JSON, missing field...)."""


class PrintFailed(SalonError):
    exit_code = 6

    def __init__(self, message: str, path: Path) -> None:
        super().__init__(message)
        self.path = path


class Cancelled(SalonError):
    """The clerk stopped a long job (a detalization) while it ran: a progress callback raises
    it on the worker, and the job ends there, keeping nothing it had not finished."""
