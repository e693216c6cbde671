"""Use case: write down what a counter did (the audit journal), and check nobody changed it.

Every lookup, operation (done, refused, failed), sign-in and sign-out, export and print goes
through `AuditJournal.record`. Its parameters are the whole of what an entry may say: there is
deliberately no place for an access code, token or password (R2), and callers must not put one
in `detail` or `reason` either. The chain is keyed and anchored outside the database by the
journal's seal (models/audit_seal.py; app/services/audit_keys.py builds the console's).
"""

from __future__ import annotations

import logging
import re
from datetime import datetime

from peewee import PeeweeException

from app.clock import Clock
from app.errors import ConfigError, InputError, RuleRefused, SalonError
from app.i18n import _
from models import audit
from models.audit import (
    AuditAction,
    AuditResult,
    ChainProblem,
    ChainReport,
    JournalEntry,
    UnreadableEntry,
)
from models.audit_seal import JournalSeal, KeyProblem

log = logging.getLogger(__name__)

MAX_LOGIN = 64
MAX_TEXT = 1000  # detail and reason; longer text is cut, with "…" at the end
_E164 = re.compile(r"\+[1-9]\d{6,14}")
_HASH = re.compile(r"[0-9a-f]{64}")


class AuditJournal:
    """The journal as this counter writes it: the salon and counter come from salon.ini."""

    def __init__(self, salon_id: str, counter: str, clock: Clock, *,
                 seal: JournalSeal) -> None:
        self._salon = salon_id
        self._counter = counter
        self._clock = clock
        self._seal = seal

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
        a malformed login or number (a bug in the caller, not the clerk's input), SalonError
        when the journal cannot be written, ConfigError when its key is not at hand, and
        RuleRefused when its key record was tampered with (nothing is appended then).
        """
        action = AuditAction(action)
        result = AuditResult(result)
        if len(clerk) > MAX_LOGIN or not clerk.isprintable():
            raise ValueError(f"not a clerk login: {clerk!r}")
        if subscriber and not _E164.fullmatch(subscriber):
            raise ValueError(f"subscriber must be E.164 or empty, got {subscriber!r}")
        try:
            return audit.append(
                self._clock.now, self._seal, clerk=clerk, salon=self._salon,
                counter=self._counter,
                subscriber=subscriber, action=action.value, result=result.value,
                detail=_cut(detail), reason=_cut(reason),
            )
        except KeyProblem as problem:
            raise key_error(problem) from None
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
            report = self._seal.verify(expect_hash, salon=self._salon, counter=self._counter)
        except KeyProblem as problem:
            raise key_error(problem) from None
        except PeeweeException as error:
            raise self._unreadable(error) from error
        if report.problem is None:
            checked = f"1–{report.last_seq}" if report.last_seq else ""
            self.record(clerk, AuditAction.AUDIT_VERIFY, detail=checked)
        else:
            self._record_failure(clerk, describe_problem(report.problem, expect_hash))
        return report

    def _record_failure(self, clerk: str, reason: str) -> None:
        """A failed check goes into the journal too, unless the journal's key record is what
        failed: nothing can be appended then, and the report itself says why."""
        try:
            self.record(clerk, AuditAction.AUDIT_VERIFY, AuditResult.FAILED, reason=reason)
        except RuleRefused:
            log.warning("a failed audit check could not be journaled: %s", reason)

    def entries(self, start: datetime, end: datetime) -> list[JournalEntry]:
        """Entries with start <= at < end, in chain order."""
        try:
            return audit.entries_between(start, end)
        except UnreadableEntry as bad:
            raise _not_text(bad) from None
        except PeeweeException as error:
            raise self._unreadable(error) from error

    def last_entry(self, before: datetime | None = None) -> JournalEntry | None:
        try:
            return audit.last_entry(before)
        except UnreadableEntry as bad:
            raise _not_text(bad) from None
        except PeeweeException as error:
            raise self._unreadable(error) from error

    def latest(self, count: int) -> list[JournalEntry]:
        """The newest `count` entries, oldest first."""
        try:
            return audit.latest_entries(count)
        except UnreadableEntry as bad:
            raise _not_text(bad) from None
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
    return _("The audit journal is not intact: {problem}").format(problem=_what(problem))


def _what(problem: ChainProblem) -> str:
    texts = {
        "edited": _("entry {seq} was edited: it no longer matches its hash or the chain."),
        "missing": _("entry {seq} is missing: it was deleted."),
        "inserted": _("entry {seq} was inserted: it is not part of the original chain."),
        "out_of_order": _("entry {seq} is out of order: it is chained to another place."),
        "unreadable": _("entry {seq} is not valid text: it was written outside the console."),
        "truncated": _("the journal ends at entry {other}, but this counter recorded entry "
                       "{seq}: its end was cut off."),
        "anchor_missing": _("this counter's anchor file (the journal's last hash, kept outside "
                            "the database) is missing, so a cut-off end cannot be ruled out."),
        "anchor_altered": _("this counter's anchor file (the journal's last hash, kept outside "
                            "the database) was altered or belongs to another journal."),
        "record_altered": _("the journal's key record was altered."),
        "record_removed": _("the journal's key record was removed, or the database was replaced "
                            "by another one."),
    }
    if problem.kind == "out_of_order" and problem.other is not None:
        return _("entry {seq} is out of order: it was recorded as entry {other}.").format(
            seq=problem.seq, other=problem.other)
    return texts[problem.kind].format(seq=problem.seq, other=problem.other or 0)


def key_error(problem: KeyProblem) -> SalonError:
    """What the clerk is told when the journal's key does not fit; never the key itself."""
    if problem.kind == "missing_key":
        return ConfigError(_(
            "The audit journal in this database is keyed, and its key is not at hand here "
            "({where}). Copy it from the counter that created it (README: The audit journal); "
            "nothing was recorded."
        ).format(where=problem.where))
    if problem.kind == "wrong_key":
        return ConfigError(_(
            "The audit journal's key in {where} is not the key this journal was created with "
            "(or the journal's key record was altered). Copy the right key from the counter "
            "that created it (README: The audit journal); nothing was recorded."
        ).format(where=problem.where))
    return RuleRefused(_(
        "The audit journal is not intact: {problem} Nothing more is recorded in it until a "
        "manager looks into it (README: The audit journal; the anchor file is {anchor})."
    ).format(problem=_what(ChainProblem(problem.kind, None)), anchor=problem.anchor),
        rule="audit-chain")


def _not_text(bad: UnreadableEntry) -> SalonError:
    problem = describe_problem(ChainProblem("unreadable", bad.seq))
    return RuleRefused(_("{problem} Check it with `salon audit verify`.").format(
        problem=problem), rule="audit-chain")


def intact_text(report: ChainReport) -> str:
    if report.last_hash is None:
        return _("Journal intact: no entries yet.")
    return _("Journal intact: {count} entries, last hash {hash}.").format(
        count=report.entries, hash=report.last_hash)


def _cut(text: str) -> str:
    return text if len(text) <= MAX_TEXT else text[: MAX_TEXT - 1] + "…"
