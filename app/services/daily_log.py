"""Use case: the manager's log of one day — view data for the screen, and a file to keep.

A day is the salon's local calendar day (salon.ini `timezone`). The log holds every journal
entry of it, totals per clerk and per operation, the refusals and failures, and the journal's
last hash for the day, which later proves the journal up to then was not rewritten
(`salon audit verify --expect-hash`). A day without entries gives an empty log; a day still to
come is refused. An exported file carries its own id (LOG-…) and hash and is registered, so
`salon verify-document` can check it later.
"""

from __future__ import annotations

import logging
import os
from collections.abc import Callable, Mapping
from dataclasses import replace
from datetime import date, datetime, time, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

from app.clock import Clock
from app.config import SalonSettings
from app.errors import InputError, SalonError
from app.i18n import _
from app.inputs import output_target, shown, shown_path, user_path
from app.journal_text import describe_detail, describe_reason
from app.services.audit import AuditJournal
from models.audit import AuditAction, AuditResult
from models.daily_log import DailyLog, Progress
from models.documents import DocumentRegister, RegisteredDocument, new_document_id
from models.printing import DocumentKind

log = logging.getLogger(__name__)

FORMATS = ("xlsx", "csv", "pdf")


class DailyLogService:
    def __init__(self, journal: AuditJournal, salon: SalonSettings,
                 clock: Clock, *,
                 names: Callable[[], Mapping[str, str]] | None = None,
                 register: DocumentRegister | None = None) -> None:
        """`names`: the catalog's tariff and service codes → names, asked when a file is
        written (its details name them); `register`: where the file is registered, so
        `salon verify-document` knows it."""
        self._journal = journal
        self._salon = salon
        self._zone = ZoneInfo(salon.timezone)
        self._clock = clock
        self._names = names
        self._register = register

    def today(self) -> date:
        """The salon's local date now (the date picker's default)."""
        return self._clock.now().astimezone(self._zone).date()

    def daily_log(self, day: date) -> DailyLog:
        """Everything recorded on `day` (local), in chain order, with its totals."""
        if day > self.today():
            raise InputError(_("{day} has not come yet: there is no log for it.").format(
                day=day.isoformat()))
        start, end = self.bounds(day)
        entries = self._journal.entries(start, end)
        last = self._journal.last_entry(before=end)
        return DailyLog(
            salon_id=self._salon.id, salon_name=self._salon.name, day=day,
            timezone=self._salon.timezone, generated_at=self._clock.now(), entries=tuple(entries),
            last_seq=last.seq if last else None, last_hash=last.hash if last else None,
        )

    def bounds(self, day: date) -> tuple[datetime, datetime]:
        """The day's [start, end) in UTC: local midnight to the next local midnight."""
        start = datetime.combine(day, time(0), self._zone)
        end = datetime.combine(day + timedelta(days=1), time(0), self._zone)
        return start.astimezone(ZoneInfo("UTC")), end.astimezone(ZoneInfo("UTC"))

    def export(
        self, day: date, fmt: str, path: Path, *, clerk: str = "", language: str = "ru",
        progress: Progress | None = None,
    ) -> Path:
        """Write the day's log as `fmt` (xlsx, csv or pdf) to `path`, all or nothing, and record
        the export in the journal. Returns the path written. InputError (nothing written) for a
        bad format, date or path; SalonError when writing fails."""
        detail = f"{day.isoformat()} {fmt}"
        try:
            path = self._checked_target(fmt, path)
            daily = self.daily_log(day)
        except InputError as error:
            self._journal.record(clerk, AuditAction.EXPORT, AuditResult.REFUSED,
                                 detail=detail, reason=str(error))
            raise
        from printing.atomic import atomic_output
        from printing.daily_log import render

        daily = self._in_words(daily, language)
        daily = replace(daily, document_id=new_document_id(
            DocumentKind.DAILY_LOG, daily.generated_at, self._zone))
        try:
            with atomic_output(path) as temp:
                sha = render(daily, fmt, temp, language=language, progress=progress)
        except OSError as error:
            log.exception("daily log export to %s failed", path)
            message = _("The log could not be written to {path}: {error}").format(
                path=path, error=error.strerror or error)
            self._journal.record(clerk, AuditAction.EXPORT, AuditResult.FAILED,
                                 detail=detail, reason=message)
            raise SalonError(message) from error
        if self._register is not None:
            self._register.add(RegisteredDocument(
                daily.document_id, fmt, sha, daily.generated_at, day, day, "", self._salon.id,
                self._salon.counter, DocumentKind.DAILY_LOG))
        self._journal.record(clerk, AuditAction.EXPORT,
                             detail=f"{detail} {path.name} {daily.document_id}")
        return path

    def _in_words(self, daily: DailyLog, language: str) -> DailyLog:
        """The entries' details and reasons said in the file's language (app/journal_text.py);
        the journal itself keeps its own words, and its hashes."""
        from app.i18n import translation

        words = translation(language)
        names = self._names() if self._names is not None else {}
        entries = tuple(
            replace(entry,
                    detail=describe_detail(entry.action, entry.detail, names, words.gettext,
                                           language),
                    reason=describe_reason(entry.action, entry.reason, words.gettext,
                                           words.ngettext))
            for entry in daily.entries)
        return replace(daily, entries=entries)

    @staticmethod
    def _checked_target(fmt: str, path: Path) -> Path:
        if fmt not in FORMATS:
            raise InputError(_("Unknown format {format}: choose xlsx, csv or pdf.").format(
                format=shown(fmt)))
        path = output_target(user_path(path))  # a usable name; no folder, device or FIFO
        suffix = path.suffix.lower().lstrip(".")
        if suffix in FORMATS and suffix != fmt:
            raise InputError(_("The file name {name} does not match the format {format}.")
                             .format(name=shown(path.name), format=fmt))
        folder = path.parent.resolve()
        if not folder.is_dir():
            raise InputError(_("The folder {folder} does not exist.").format(
                folder=shown_path(folder)))
        if not os.access(folder, os.W_OK):
            raise InputError(_("The folder {folder} cannot be written to.").format(
                folder=shown_path(folder)))
        return folder / path.name
