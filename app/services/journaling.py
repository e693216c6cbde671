"""Recording an action's outcome in the audit journal, the same way in every use case.

Kept apart from app/services/audit.py (which reads and writes the store) so that the services
the window imports at start-up do not load the database layer.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Protocol

from app.errors import InputError, Locked, RuleRefused, SalonError
from models.audit_codes import AuditAction, AuditResult


class Journal(Protocol):
    """What a use case needs of the journal (AuditJournal, or a list in a unit test)."""

    def record(
        self, clerk: str, action: AuditAction | str, result: AuditResult | str = ...,
        *, subscriber: str = "", detail: str = "", reason: str = "",
    ) -> object: ...


@contextmanager
def journaled(
    journal: Journal | None,
    clerk: str,
    action: AuditAction,
    *,
    subscriber: str = "",
    detail: str = "",
    reason_for: Callable[[BaseException], str] | None = None,
) -> Iterator[Outcome]:
    """Record `action` once, with how the block ended: done; refused when a rule or the
    clerk's input stopped it (InputError, RuleRefused, Locked); failed on anything else.

    The block may fill in `outcome.subscriber` / `outcome.detail` as it learns them. The
    reason is the clerk-facing sentence, or `reason_for(error)` where that sentence could
    carry typed text (a phone field may receive anything, even a password).
    """
    outcome = Outcome(subscriber, detail)
    try:
        yield outcome
    except BaseException as error:
        if journal is not None:
            refused = isinstance(error, InputError | RuleRefused | Locked)
            if reason_for is not None:
                reason = reason_for(error)
            elif isinstance(error, SalonError):
                reason = str(error)
            else:
                reason = type(error).__name__  # a bug: the details are in the log, not here
            journal.record(clerk, action, AuditResult.REFUSED if refused else AuditResult.FAILED,
                           subscriber=outcome.subscriber, detail=outcome.detail, reason=reason)
        raise
    if journal is not None:
        journal.record(clerk, action, AuditResult.DONE, subscriber=outcome.subscriber,
                       detail=outcome.detail)


@dataclass
class Outcome:
    subscriber: str = ""
    detail: str = ""
