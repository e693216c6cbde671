"""Use case: write down what a counter did (the audit journal), and check nobody changed it.

Every lookup, operation (done, refused, failed), sign-in and sign-out, export and print goes
through `AuditJournal.record`. Its parameters are the whole of what an entry may say: there is
deliberately no place for an access code, token or password (R2), and callers must not put one
in `detail` or `reason` either.
"""

from __future__ import annotations

import logging
import re
from datetime import datetime

from peewee import PeeweeException

from app.clock import Clock
from app.errors import InputError, SalonError
from app.i18n import _
from models import audit
from models.audit import AuditAction, AuditResult, ChainProblem, ChainReport, JournalEntry

log = logging.getLogger(__name__)

MAX_LOGIN = 64
MAX_TEXT = 1000  # detail and reason; longer text is cut, with "…" at the end
_E164 = re.compile(r"\+[1-9]\d{6,14}")
_HASH = re.compile(r"[0-9a-f]{64}")


class AuditJournal:
    """The journal as this counter writes it: the salon and counter come from salon.ini."""

    def __init__(self, salon_id: str, counter: str, clock: Clock) -> None:
        self._salon = salon_id
        self._counter = counter
        self._clock = clock

    def record(
        self,
        clerk: str,
        action: AuditAction | str,
        result: AuditResult | str = AuditResult.DONE,
        *,
        subscriber: str = "",
        detail: str = "",
        reason: str = "",
    ) -> JournalEntry:
        """Append one entry and return it.

        `clerk` is the signed-in login ("" for the console itself), `subscriber` an E.164 number
        or "", `detail` what exactly (a tariff or service code, a document's format and period),
        `reason` why it was refused or failed. Raises ValueError for an unknown action or result,
        a malformed login or number (a bug in the caller, not the clerk's input), and SalonError
        when the journal cannot be written.
        """
        action = AuditAction(action)
        result = AuditResult(result)
        if len(clerk) > MAX_LOGIN or not clerk.isprintable():
            raise ValueError(f"not a clerk login: {clerk!r}")
        if subscriber and not _E164.fullmatch(subscriber):
            raise ValueError(f"subscriber must be E.164 or empty, got {subscriber!r}")
        try:
            return audit.append(
                self._clock.now, clerk=clerk, salon=self._salon, counter=self._counter,
                subscriber=subscriber, action=action.value, result=result.value,
                detail=_cut(detail), reason=_cut(reason),
            )
        except PeeweeException as error:
            log.exception("cannot append to the audit journal")
            raise SalonError(_(
                "The audit journal cannot be written ({error}); the action was not recorded."
            ).format(error=error)) from error

    def verify(self, clerk: str = "", *, expect_hash: str | None = None) -> ChainReport:
        """Check the whole chain (and, if given, that the entry with `expect_hash` — a daily
        log's last hash — is still in it); record the check itself; return the report."""
        if expect_hash is not None:
            expect_hash = expect_hash.strip().lower()  # as copied from a printed log
        if expect_hash is not None and not _HASH.fullmatch(expect_hash):
            raise InputError(_("A journal hash is 64 hexadecimal digits (0-9, a-f)."))
        try:
            report = audit.verify_chain(audit.all_entries(), audit.entry_with_hash, expect_hash)
        except PeeweeException as error:
            raise self._unreadable(error) from error
        if report.problem is None:
            checked = f"1–{report.last_seq}" if report.last_seq else ""
            self.record(clerk, AuditAction.AUDIT_VERIFY, detail=checked)
        else:
            self.record(clerk, AuditAction.AUDIT_VERIFY, AuditResult.FAILED,
                        reason=describe_problem(report.problem, expect_hash))
        return report

    def entries(self, start: datetime, end: datetime) -> list[JournalEntry]:
        """Entries with start <= at < end, in chain order."""
        try:
            return audit.entries_between(start, end)
        except PeeweeException as error:
            raise self._unreadable(error) from error

    def last_entry(self, before: datetime | None = None) -> JournalEntry | None:
        try:
            return audit.last_entry(before)
        except PeeweeException as error:
            raise self._unreadable(error) from error

    def latest(self, count: int) -> list[JournalEntry]:
        """The newest `count` entries, oldest first."""
        try:
            return audit.latest_entries(count)
        except PeeweeException as error:
            raise self._unreadable(error) from error

    @staticmethod
    def _unreadable(error: Exception) -> SalonError:
        log.error("cannot read the audit journal: %r", error)
        return SalonError(_("The audit journal cannot be read ({error}).").format(error=error))


def describe_problem(problem: ChainProblem, expect_hash: str | None = None) -> str:
    """The first broken entry, as a sentence for the clerk and the journal's own reason."""
    if problem.kind == "cut":
        return _("No entry has the hash {hash}: the end of the journal was cut off "
                 "or rewritten.").format(hash=expect_hash or "")
    texts = {
        "edited": _("entry {seq} was edited: it no longer matches its hash or the chain."),
        "missing": _("entry {seq} is missing: it was deleted."),
        "inserted": _("entry {seq} was inserted: it is not part of the original chain."),
        "out_of_order": _("entry {seq} is out of order: it is chained to another place."),
    }
    text = texts[problem.kind].format(seq=problem.seq)
    if problem.kind == "out_of_order" and problem.other is not None:
        text = _("entry {seq} is out of order: it was recorded as entry {other}.").format(
            seq=problem.seq, other=problem.other)
    return _("The audit journal is not intact: {problem}").format(problem=text)


def intact_text(report: ChainReport) -> str:
    if report.last_hash is None:
        return _("Journal intact: no entries yet.")
    return _("Journal intact: {count} entries, last hash {hash}.").format(
        count=report.entries, hash=report.last_hash)


def _cut(text: str) -> str:
    return text if len(text) <= MAX_TEXT else text[: MAX_TEXT - 1] + "…"
