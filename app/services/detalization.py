"""Use case: the detalization (itemized report) a walk-in subscriber asks for (R6–R9).

    service.order(clerk, phone, period, options, fmt, path, progress) -> DocumentInfo

checks the number, the home region (R7) and the period, fetches the usage the store lacks,
builds the report (app/services/detalization_build.py), writes the file all or nothing,
registers its id and hash (for `salon verify-document`) and journals the order with the clerk.
Long: the GUI calls it on a worker; `progress(stage, done, total)` reports the fetch (days)
and the writing (rows), and may raise Cancelled to stop it (nothing is written or registered
then). The CLI and the GUI call the same method; the GUI asks the same rules beforehand, step
by step (`today`, `check_period`, `check_region`, `check_folder`), so it never re-implements
them.
"""

from __future__ import annotations

import logging
import os
import shutil
import subprocess
import tempfile
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from pathlib import Path
from typing import Protocol
from zoneinfo import ZoneInfo

from app.clock import Clock
from app.config import SalonSettings
from app.errors import BadPhoneNumber, InputError, RuleRefused, SalonError
from app.i18n import _
from app.inputs import output_target, shown, shown_path, user_path
from app.phone import parse_msisdn
from app.services.clerks import require_clerk
from app.services.detalization_build import Header, build
from app.services.gc_pause import gc_paused
from app.services.identity import IdentityGate
from app.services.journaling import Journal, journaled
from app.services.kept_files import KeptFiles
from app.services.usage_sync import OrderProgress, UsageReads, UsageSync, day_spans
from models.audit_codes import AuditAction, AuditResult
from models.detalization import Detalization, Options, Period, mask_msisdn
from models.documents import DocumentRegister, RegisteredDocument, new_document_id
from models.domain import Balances, CatalogTariff, Session, Subscriber
from models.identity import Need
from models.pricing import comparable, estimate
from models.printing import DocumentKind
from models.regions import region_name
from models.usage import UsageStore

log = logging.getLogger(__name__)

FORMATS = ("pdf", "html", "xlsx", "csv", "txt")
# Records of the last seconds may not exist yet on an operator whose clock is a little behind.
CLOCK_MARGIN = timedelta(seconds=2)


class DetalizationApi(UsageReads, Protocol):
    """The part of the operator API a detalization needs."""

    def subscriber(self, msisdn: str) -> Subscriber: ...

    def balances(self, msisdn: str) -> Balances: ...

    def balances_at(self, msisdn: str, at: datetime) -> Balances: ...

    def tariffs(self) -> list[CatalogTariff]: ...


@dataclass(frozen=True)
class DocumentInfo:
    """What an order made: the file, its id and hash, and the report (for a preview)."""

    document_id: str
    sha256: str
    path: Path
    format: str
    period: Period
    msisdn: str
    rows: int  # itemized rows in the document
    report: Detalization


class DetalizationService:
    def __init__(self, api: DetalizationApi, store: UsageStore, register: DocumentRegister,
                 salon: SalonSettings, *, retention_days: int, documents_dir: Path,
                 clock: Clock, identity: IdentityGate, journal: Journal | None = None,
                 kept: KeptFiles | None = None) -> None:
        """`kept`: where the copies written into the documents folder are recorded (R9);
        `identity`: R10, a detalization needs this visit's identity check."""
        self._identity = identity
        self._api = api
        self._kept = kept
        self._sync = UsageSync(api, store, retention_days)
        self._store = store
        self._register = register
        self._salon = salon
        self._retention = retention_days
        self._documents = documents_dir
        self._clock = clock
        self._journal = journal

    # -- ordering -----------------------------------------------------------------------------

    def order(self, clerk: Session, phone: str, period: Period, options: Options, fmt: str,
              path: Path | None = None, progress: OrderProgress | None = None, *,
              folder: Path | None = None, from_activation: bool = False,
              pickup_order: str | None = None) -> DocumentInfo:
        """Make the detalization of `phone` for `period` as `fmt` at `path`, or in `folder`
        named by its document id (default: the console's documents folder, purged after the
        retention period). Raises NotSignedIn, BadPhoneNumber / SubscriberNotFound /
        InputError (exit 2: bad number, format, path, a reversed or future period),
        RuleRefused R7 or before_activation (exit 3), OperatorUnavailable (exit 5),
        SalonError when the operator's numbers do not add up or the file cannot be written,
        Cancelled when `progress` raised it. `from_activation` (the monthly e-mail): a period
        that begins before the number's activation starts on its day instead (the document
        says so); by default it is refused (check_activation). `pickup_order`: printed ahead
        for an order the subscriber placed online for pick-up here (R11): the subscriber is
        not at the counter, and R10 is checked when it is handed over
        (app/services/pickup.py), so it is not asked here (the pick-up journal entry names
        the order and this document)."""
        require_clerk(clerk)
        detail = f"{period.first.isoformat()}..{period.last.isoformat()} {fmt}"
        with journaled(self._journal, clerk.login, AuditAction.DETALIZATION, detail=detail,
                       reason_for=_journal_reason) as outcome:
            outcome.subscriber = msisdn = parse_msisdn(phone)
            if clerk.login and pickup_order is None:  # the console's own monthly run (login
                # "") delivers what a clerk subscribed to after R10; a pick-up order is handed
                # over after R10 (PickupService.hand_over)
                self._identity.require(clerk, msisdn, Need.DETALIZATION, Need.USAGE)
            if fmt not in FORMATS:
                raise InputError(_("Unknown format {format}: choose pdf, html, xlsx, csv or "
                                   "txt.").format(format=fmt))
            target = checked_target(fmt, path) if path is not None else None
            into = self.check_folder(folder) if folder is not None else self._documents
            _check_order(period)
            subscriber = self._api.subscriber(msisdn)
            self.check_region(subscriber)
            zone = ZoneInfo(subscriber.region.timezone)
            now = self._clock.now().astimezone(UTC).replace(microsecond=0)
            _check_not_future(period, now.astimezone(zone).date())
            if from_activation:
                period = starting_at_activation(subscriber, period)
            self.check_activation(subscriber, period)
            with gc_paused():  # no full collections over the month's rows (see gc_pause)
                report = self._report(subscriber, period, options, zone, now, progress)
                if target is None:
                    into.mkdir(parents=True, exist_ok=True)
                    target = into / f"{report.document_id}.{fmt}"
                sha = self._write(report, fmt, target, progress)
            if self._kept is not None:
                self._kept.written(target)
            self._register.add(RegisteredDocument(
                report.document_id, fmt, sha, report.created_at, period.first,
                period.last, mask_msisdn(msisdn), self._salon.id, self._salon.counter,
                DocumentKind.DETALIZATION))
            outcome.detail = f"{detail} {report.document_id}"
        return DocumentInfo(report.document_id, sha, target, fmt, period, msisdn,
                            report.shown_count, report)

    # -- the rules, asked one by one (the GUI's steps) ------------------------------------------

    def today(self, timezone: str) -> date:
        """Today's date in a zone (the number's home region): the latest day a period may end
        on, and where the GUI's quick picks ("this month so far") count from."""
        return self._clock.now().astimezone(ZoneInfo(timezone)).date()

    def check_period(self, period: Period, timezone: str) -> None:
        """InputError (the sentences `order` raises) for a reversed period or one that ends
        after today in `timezone` (the number's home region)."""
        _check_order(period)
        _check_not_future(period, self.today(timezone))

    def check_folder(self, folder: Path) -> Path:
        """The folder a document may be saved into (existing, writable), resolved; else
        InputError naming it."""
        return checked_folder(folder.expanduser().resolve())

    @property
    def documents_folder(self) -> Path:
        """Where documents go by default (their copies are purged after the retention)."""
        return self._documents

    @property
    def retention_days(self) -> int:
        return self._retention

    def check_activation(self, subscriber: Subscriber, period: Period) -> None:
        """A detalization starts no earlier than the day the number was activated (in its home
        region): nothing exists before it, and a report from an earlier day would show an
        opening balance and days that never were. Refused (not shortened quietly), naming the
        day, so the clerk picks the period again."""
        day = activation_day(subscriber)
        if day is not None and period.first < day:
            raise RuleRefused(_(
                "The number was activated on {day}: a detalization can start on that day at "
                "the earliest, and this one starts on {first}. Choose a period from {day}."
            ).format(day=f"{day:%d.%m.%Y}", first=f"{period.first:%d.%m.%Y}"),
                rule="before_activation")

    def check_region(self, subscriber: Subscriber) -> None:
        """R7: a detalization is ordered in the number's home region."""
        if subscriber.region.code != self._salon.region:
            raise RuleRefused(_(
                "A detalization is ordered in the number's home region (R7): the number is "
                "from «{region}», and this salon is in «{salon}»."
            ).format(region=subscriber.region.name, salon=region_name(self._salon.region)),
                rule="R7")

    def _report(self, subscriber: Subscriber, period: Period, options: Options,
                zone: ZoneInfo, now: datetime, progress: OrderProgress | None
                ) -> Detalization:
        start = datetime.combine(period.first, time(0), zone).astimezone(UTC)
        day_after = datetime.combine(period.last + timedelta(days=1), time(0), zone)
        end = min(day_after.astimezone(UTC), now - CLOCK_MARGIN)
        start = min(start, end)  # the first seconds of today: nothing has happened yet
        start_ts, end_ts, now_ts = int(start.timestamp()), int(end.timestamp()), int(
            now.timestamp())
        msisdn = subscriber.msisdn
        self._sync.sync(msisdn, period, zone, end_ts, now_ts, progress)
        records = self._store.records(msisdn, start_ts, end_ts)  # streamed; totals by SQL
        opening = self._api.balances_at(msisdn, start)
        closing = self._api.balances_at(msisdn, end)
        current = self._api.balances(msisdn)
        candidates = comparable(self._api.tariffs(), subscriber.tariff.tariff_class,
                                subscriber.tariff.code)
        tariffs = estimate(records, candidates, subscriber.tariff.code, period, end, zone)
        header = Header(new_document_id(DocumentKind.DETALIZATION, now, zone), now,
                        self._salon.operator_name,
                        self._salon.name, self._salon.id)
        spans = day_spans(period, zone)
        return build(header, subscriber, period, spans, start, end, records,
                     opening, closing, current, tariffs, options)

    def _write(self, report: Detalization, fmt: str, target: Path,
               progress: OrderProgress | None) -> str:
        """Write the file all or nothing; the hash of what it shows."""
        from printing.atomic import atomic_output
        from printing.detalization import render

        def rows_written(done: int, total: int) -> None:
            if progress is not None:
                progress("render", done, total)

        try:
            with atomic_output(target) as temp:
                return render(report, fmt, temp, rows_written)
        except OSError as error:
            log.exception("writing a detalization failed")
            raise SalonError(_("The detalization could not be written to {path}: {error}")
                             .format(path=target, error=error.strerror or error)) from error

    # -- R9 -----------------------------------------------------------------------------------

    def purge(self, *, journal: bool = True) -> int:
        """R9: delete usage records fetched more than the retention period ago (the copies
        of documents go with the rest of the documents folder: RetentionService). Journaled
        (as the console itself) when anything went, unless the caller journals the purge it
        is part of (RetentionService)."""
        purged = self._sync.purge(int(self._clock.now().timestamp()))
        if (purged.records or purged.days) and journal and self._journal is not None:
            self._journal.record("", AuditAction.PURGE, AuditResult.DONE,
                                 detail=f"usage {purged.records} records, {purged.days} days")
        return purged.records

    # -- preview ------------------------------------------------------------------------------

    def preview_png(self, info: DocumentInfo, target: Path, dpi: int = 60) -> Path:
        """The document's first page as a PNG (for the GUI before printing or sending): the
        PDF itself, or for another format the first page the PDF would have."""
        pdftoppm = shutil.which("pdftoppm")
        if pdftoppm is None:
            raise SalonError(_("The preview needs poppler-utils (pdftoppm); install it."))
        with tempfile.TemporaryDirectory() as folder:
            source = info.path
            if info.format != "pdf":
                from printing.detalization_pdf import write_first_page

                source = Path(folder) / "first.pdf"
                write_first_page(info.report, source)
            stem = Path(folder) / "page"
            subprocess.run([pdftoppm, "-f", "1", "-l", "1", "-png", "-r", str(dpi),
                            "-singlefile", str(source), str(stem)], check=True,
                           capture_output=True, timeout=120)
            shutil.move(str(stem.with_suffix(".png")), target)
        return target


def activation_day(subscriber: Subscriber) -> date | None:
    """The day the number was activated, in its home region."""
    if subscriber.activated_at is None:
        return None
    return subscriber.activated_at.astimezone(ZoneInfo(subscriber.region.timezone)).date()


def starting_at_activation(subscriber: Subscriber, period: Period) -> Period:
    day = activation_day(subscriber)
    if day is None or period.first >= day or period.last < day:
        return period
    return Period(day, period.last, starts_at_activation=True)


def checked_target(fmt: str, path: Path) -> Path:
    """Where to write: a file in an existing, writable folder, its extension matching; never
    a folder, device, FIFO or socket."""
    path = output_target(user_path(path))
    suffix = path.suffix.lower().lstrip(".")
    if suffix in FORMATS and suffix != fmt:
        raise InputError(_("The file name {name} does not match the format {format}.")
                         .format(name=shown(path.name), format=shown(fmt)))
    return checked_folder(path.parent.resolve()) / path.name


def checked_folder(folder: Path) -> Path:
    """An existing folder the console may write into, or InputError naming it."""
    if not folder.is_dir():
        raise InputError(_("The folder {folder} does not exist.").format(
            folder=shown_path(folder)))
    if not os.access(folder, os.W_OK):
        raise InputError(_("The folder {folder} cannot be written to.").format(
            folder=shown_path(folder)))
    return folder


def _check_order(period: Period) -> None:
    if period.first > period.last:
        raise InputError(_("The period is reversed: {first} is after {last}.").format(
            first=f"{period.first:%d.%m.%Y}", last=f"{period.last:%d.%m.%Y}"))


def _check_not_future(period: Period, today: date) -> None:
    if period.last > today:
        raise InputError(_(
            "The period ends on {last}, which has not come yet in the number's home "
            "region (today is {today} there)."
        ).format(last=f"{period.last:%d.%m.%Y}", today=f"{today:%d.%m.%Y}"))


def _journal_reason(error: BaseException) -> str:
    # What the clerk typed stays out of the journal: the phone field may receive anything.
    if isinstance(error, BadPhoneNumber):
        return "malformed number"
    return str(error) if isinstance(error, SalonError) else type(error).__name__
