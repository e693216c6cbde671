"""Use case: periodic e-mail delivery (R8) — a number subscribed to its monthly detalization.

    service.subscribe(clerk, phone, email, fmt) / unsubscribe(clerk, id) / subscriptions()
    service.deliver_due(now) -> DeliveryReport

A month is due once it has ended in the salon's time zone; the first month is the one the
subscription was made in. `deliver_due` catches up: after days (or months) with the console
off, every missed month is sent, each once. The window runs it at start and every hour
(`PeriodicRunner`); `salon deliver-due` does one pass for a scheduler.

Exactly once, and the one window where it is at least once:
1. Claim: the (subscription, month) row is written in state `sending` with a lease, by one
   statement that only one sender can win (a unique key; a state-guarded update for a month
   whose lease ran out or whose retry is due). Two counters, two threads, or a window and a
   `salon deliver-due` never both hold a month.
2. Make the detalization, hand the letter to the relay.
3. Record `sent` — a compare-and-set on the claim (owner and attempt), in one statement.
A crash before step 2 hands the letter to nobody: the lease runs out, and the month is sent
(once) by the next pass. A crash after step 3 changes nothing. Only a crash *between the relay
taking the letter and step 3* sends it again after the lease — at least once, in that window
only. The repeat carries the same Message-ID (`<periodic-<subscription>-<month>-…>`), so mail
systems that collapse duplicates by Message-ID show one letter. A failure (the operator or the
relay unreachable) is recorded as `failed` and retried an hour later.
"""

from __future__ import annotations

import logging
import os
import socket
import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Protocol
from zoneinfo import ZoneInfo

from app.clock import Clock
from app.config import SalonSettings
from app.errors import InputError, RuleRefused, SalonError
from app.i18n import _
from app.phone import parse_msisdn
from app.services.clerks import require_clerk
from app.services.email import EmailService, mask_email, periodic_letter
from app.services.identity import IdentityGate
from app.services.journaling import Journal
from models.audit_codes import AuditAction, AuditResult
from models.detalization import Options, Period, mask_msisdn
from models.domain import ClerkRole, Session
from models.identity import Need
from models.periodic import PeriodRun, Subscription

log = logging.getLogger(__name__)

FORMATS = ("pdf", "html", "xlsx", "csv", "txt")
LEASE = timedelta(minutes=30)  # a heavy month's PDF and the relay's timeout fit well inside
RETRY_AFTER = timedelta(hours=1)
RULE_RETRY = timedelta(days=1)
MAX_CATCH_UP = 12  # months sent at most after a long time offline


class PeriodicStore(Protocol):
    def add(self, msisdn: str, email: str, fmt: str, first_period: str, clerk: str,
            when: datetime) -> Subscription | None: ...

    def get(self, subscription_id: int) -> Subscription | None: ...

    def active(self) -> list[Subscription]: ...

    def active_for(self, msisdn: str) -> Subscription | None: ...

    def remove(self, subscription_id: int, clerk: str, when: datetime,
               msisdn_masked: str) -> bool: ...

    def claim(self, subscription_id: int, period: str, owner: str, now: datetime,
              lease_until: datetime) -> PeriodRun | None: ...

    def finish(self, run: PeriodRun, when: datetime, document_id: str,
               message_id: str) -> bool: ...

    def fail(self, run: PeriodRun, error: str, next_attempt_at: datetime) -> bool: ...

    def runs(self, subscription_id: int | None = None) -> list[PeriodRun]: ...


class MadeDocument(Protocol):
    @property
    def path(self) -> Path: ...

    @property
    def document_id(self) -> str: ...


class Detalizations(Protocol):
    """DetalizationService.order, as periodic delivery calls it (DocumentInfo is made)."""

    def order(self, clerk: Session, phone: str, period: Period, options: Options,
              fmt: str, *, from_activation: bool = False) -> MadeDocument: ...


@dataclass
class DeliveryReport:
    sent: list[tuple[int, str, str]] = field(default_factory=list)  # (subscription, month, to)
    failed: list[tuple[int, str, str]] = field(default_factory=list)  # (…, sentence)

    @property
    def nothing(self) -> bool:
        return not self.sent and not self.failed


def month_period(month: str) -> Period:
    year, number = (int(part) for part in month.split("-"))
    first = date(year, number, 1)
    following = date(year + number // 12, number % 12 + 1, 1)
    return Period(first, following - timedelta(days=1))


def month_of(day: date) -> str:
    return f"{day.year:04d}-{day.month:02d}"


def months_between(first: str, last: str) -> list[str]:
    """YYYY-MM from `first` to `last`, both included (empty when first > last)."""
    year, month = (int(part) for part in first.split("-"))
    months = []
    while f"{year:04d}-{month:02d}" <= last:
        months.append(f"{year:04d}-{month:02d}")
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    return months


def default_owner() -> str:
    return f"{socket.gethostname()}:{os.getpid()}:{threading.get_ident()}"


class PeriodicDeliveryService:
    def __init__(self, store: PeriodicStore, detalization: Detalizations,
                 email: EmailService, salon: SalonSettings, *,
                 home_region: Callable[[str], str] | None = None,
                 journal: Journal | None = None, clock: Clock, identity: IdentityGate,
                 owner: Callable[[], str] = default_owner, lease: timedelta = LEASE,
                 retry_after: timedelta = RETRY_AFTER) -> None:
        """`home_region(msisdn)`: the number's home region code (the operator's card), so a
        subscription is refused for another region's number (R7) when it is made."""
        self._identity = identity  # R10: subscribed only after the visit's identity check
        self._store = store
        self._detalization = detalization
        self._email = email
        self._salon = salon
        self._home_region = home_region
        self._journal = journal
        self._clock = clock
        self._owner = owner
        self._lease, self._retry_after = lease, retry_after
        self._zone = ZoneInfo(salon.timezone)
        self._pass = threading.Lock()  # one pass at a time in this process

    # -- subscriptions -----------------------------------------------------------------------

    def subscribe(self, clerk: Session, phone: str, address: str,
                  fmt: str = "pdf", *, given: bool = False) -> Subscription:
        """R10, here for window and CLI alike: after this visit's identity check, and only to
        an address the operator holds or the identified holder gives at the counter (`given`;
        app/services/recipients.py) — AddressRefused otherwise, nothing subscribed. An empty
        `address`: the operator's (preferred) one."""
        require_clerk(clerk)
        msisdn = parse_msisdn(phone)
        self._identity.require(clerk, msisdn, Need.DELIVERY)
        if not address.strip() and not given:
            address = self._email.held_address(clerk, msisdn)
        _msisdn, recipient = self._email.recipient(clerk, msisdn, address, given=given)
        to = recipient.address
        if fmt not in FORMATS:
            raise InputError(_("Unknown format {format}: choose pdf, html, xlsx, csv or txt.")
                             .format(format=fmt))
        if not self._email.configured:
            raise InputError(_("E-mail is not set up at this salon: [email] host and from in "
                               "salon.ini are empty."))
        if self._home_region is not None and self._home_region(msisdn) != self._salon.region:
            raise RuleRefused(_("A detalization is ordered in the number's home region (R7); "
                                "this number is of another region, so it cannot be "
                                "subscribed here."), rule="R7")
        now = self._clock.now()
        added = self._store.add(msisdn, to, fmt, month_of(now.astimezone(self._zone).date()),
                                clerk.login, now)
        if added is None:
            raise RuleRefused(_("This number already receives its monthly detalization by "
                                "e-mail; remove that subscription first."),
                              rule="already_subscribed")
        self._record(clerk.login, msisdn, AuditResult.DONE,
                     f"subscription #{added.id}: monthly detalization ({fmt}) → "
                     f"{recipient.journal_text}, from {added.first_period}")
        return added

    def unsubscribe(self, clerk: Session, subscription_id: int) -> Subscription:
        require_clerk(clerk)
        current = self._store.get(subscription_id)
        if current is None or not current.active:
            raise InputError(_("There is no active subscription {id}.").format(
                id=subscription_id))
        self._store.remove(subscription_id, clerk.login, self._clock.now(),
                           mask_msisdn(current.msisdn))
        self._record(clerk.login, current.msisdn, AuditResult.DONE,
                     f"subscription #{subscription_id} removed")
        removed = self._store.get(subscription_id)
        assert removed is not None
        return removed

    def subscriptions(self) -> list[Subscription]:
        return self._store.active()

    def for_number(self, phone: str) -> Subscription | None:
        """The number's active subscription (the card shows it), or None."""
        return self._store.active_for(parse_msisdn(phone))

    @property
    def available(self) -> bool:
        """E-mail is set up here: a subscription can be made (and will be sent)."""
        return self._email.configured

    def runs(self, subscription_id: int | None = None) -> list[PeriodRun]:
        return self._store.runs(subscription_id)

    # -- delivery ----------------------------------------------------------------------------

    def due_months(self, subscription: Subscription, now: datetime) -> list[str]:
        """The months that have ended since the subscription's first one (at most the last
        MAX_CATCH_UP of them)."""
        today = now.astimezone(self._zone).date()
        last_complete = month_of(today.replace(day=1) - timedelta(days=1))
        months = months_between(subscription.first_period, last_complete)
        if len(months) > MAX_CATCH_UP:
            log.warning("subscription %s: %d months missed; sending the last %d",
                        subscription.id, len(months), MAX_CATCH_UP)
        return months[-MAX_CATCH_UP:]

    def deliver_due(self, now: datetime | None = None) -> DeliveryReport:
        """Send every due month not sent yet, each once (see the module's docstring)."""
        report = DeliveryReport()
        with self._pass:
            for subscription in self._store.active():
                for month in self.due_months(subscription, now or self._clock.now()):
                    self._deliver(subscription, month, now, report)
        return report

    def _deliver(self, subscription: Subscription, month: str, now: datetime | None,
                 report: DeliveryReport) -> None:
        moment = now or self._clock.now()
        run = self._store.claim(subscription.id, month, self._owner(), moment,
                                moment + self._lease)
        if run is None:
            return  # sent, being sent elsewhere, or its retry is not due yet
        console = Session("", "console", ClerkRole.CLERK, moment)
        to = mask_email(subscription.email)
        made: Path | None = None
        try:
            # A number activated in its first month: the letter starts on the activation day.
            info = self._detalization.order(console, subscription.msisdn,
                                            month_period(month), Options(), subscription.format,
                                            from_activation=True)
            made, document_id = info.path, info.document_id
            letter = periodic_letter(month_period(month), document_id, subscription.format,
                                     self._salon)
            sent = self._email.send(console, made, subscription.email, letter=letter,
                                    subscriber=subscription.msisdn,
                                    message_id=self._message_id(subscription.id, month))
        except SalonError as error:
            # A rule (R7, a blocked number) will not change within the hour: ask once a day.
            wait = RULE_RETRY if isinstance(error, RuleRefused) else self._retry_after
            retry = (now or self._clock.now()) + wait
            if not self._store.fail(run, str(error), retry):
                log.warning("periodic %s %s: the claim was taken over", subscription.id, month)
            log.warning("periodic delivery %s %s failed: %s", subscription.id, month, error)
            report.failed.append((subscription.id, month, str(error)))
            return
        finally:
            if made is not None:  # R9: the letter is the delivery; no copy stays here
                made.unlink(missing_ok=True)
        if not self._store.finish(run, self._clock.now(), document_id, sent.message_id):
            log.warning("periodic %s %s: sent, but the claim had been taken over (lease "
                        "ran out mid-send); the other sender may send it again",
                        subscription.id, month)
        report.sent.append((subscription.id, month, to))

    def _message_id(self, subscription_id: int, month: str) -> str:
        domain = self._email_domain()
        return f"<periodic-{subscription_id}-{month}-{self._salon.id}@{domain}>"

    def _email_domain(self) -> str:
        return self._email.sender.rpartition("@")[2] or "salon.invalid"

    def _record(self, clerk: str, msisdn: str, result: AuditResult, detail: str) -> None:
        if self._journal is not None:
            self._journal.record(clerk, AuditAction.EMAIL, result, subscriber=msisdn,
                                 detail=detail)


class PeriodicRunner:
    """The window's background pass: once at start, then every `interval` seconds."""

    def __init__(self, service: PeriodicDeliveryService, interval: float = 3600.0,
                 on_thread_exit: Callable[[], None] | None = None) -> None:
        self._service = service
        self._interval = interval
        self._on_exit = on_thread_exit
        self._stop = threading.Event()
        self._wake = threading.Event()
        self._thread: threading.Thread | None = None

    def wake(self) -> None:
        """Pass again now (the training world's clock moved into another month)."""
        self._wake.set()

    def start(self) -> None:
        if self._thread is None:
            self._thread = threading.Thread(target=self._run, name="periodic-delivery",
                                            daemon=True)
            self._thread.start()

    def stop(self, timeout: float = 5.0) -> None:
        self._stop.set()
        self._wake.set()
        if self._thread is not None:
            self._thread.join(timeout)

    def _run(self) -> None:
        try:
            while not self._stop.is_set():
                try:
                    report = self._service.deliver_due()
                    if not report.nothing:
                        log.info("periodic delivery: %d sent, %d failed", len(report.sent),
                                 len(report.failed))
                except Exception:  # the next pass tries again; the counter keeps working
                    log.exception("periodic delivery pass failed")
                self._wake.wait(self._interval)
                self._wake.clear()
        finally:
            if self._on_exit is not None:
                self._on_exit()
