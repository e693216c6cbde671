"""The one place that builds everything: config → store → adapters → services → GUI or CLI.

Heavy libraries (httpx, peewee, pydantic) are imported only when a service that needs them is
built, and the command line's parser only for a command: `salon` alone shows the sign-in field
first and builds the rest on workers (DESIGN §9: a key is taken within 1.0 s of launch); a
command builds only the services it uses (a command answers within 0.5 s). The clerks' accounts
need the store alone, so a clerk signs in without waiting for the operator or the sandbox.
"""

from __future__ import annotations

import contextlib
import functools
import logging
import os
import sys
import threading
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, TypeVar

from app.clock import Clock, MovableClock, SystemClock
from app.commands.output import flush_quietly
from app.config import OperatorSettings, Settings, language_from_environment, load_settings
from app.errors import ConfigError, NotSignedIn, SalonError
from app.i18n import LANGUAGES, _, set_language
from app.inputs import shown

if TYPE_CHECKING:
    import httpx

    from app.operator_api.client import OperatorClient
    from app.services.access_codes import AccessCodeService
    from app.services.archive import ArchiveService
    from app.services.audit import AuditJournal
    from app.services.clerks import ClerkService
    from app.services.connection import ConnectionState
    from app.services.credentials import Keyring
    from app.services.daily_log import DailyLogService
    from app.services.delivery import DeliveryService
    from app.services.detalization import DetalizationService
    from app.services.email import EmailService
    from app.services.identity import HolderReads, IdentityService
    from app.services.kept_files import KeptFiles
    from app.services.leaflets import LeafletService
    from app.services.lookup import LookupService
    from app.services.operator_check import OperatorCheck
    from app.services.orders import OrderService
    from app.services.outbox_pump import OutboxPump
    from app.services.periodic import PeriodicDeliveryService
    from app.services.pickup import PickupService
    from app.services.printing import PrintService
    from app.services.registry import Services
    from app.services.retention import PurgeReport, RetentionService
    from app.services.smtp_relay import MailRelay
    from app.services.training_world import TrainingWorld
    from app.services.verification import VerificationService
    from models.documents import DocumentRegister
    from models.domain import Session
    from models.identity import HolderRecord
    from printing.cups_printer import Printer
    from sandbox.resident import ResidentFailed

log = logging.getLogger("salon")
_T = TypeVar("_T")
SALON_LOG_HANDLER = "salon.log"  # the root handler setup_logging adds (and replaces)


@dataclass(frozen=True)
class Parts:
    """The adapters at the console's edges, which build_services puts every service on: the
    real ones come from real_parts(settings); a test replaces any of them (a recording
    transport, a fake printer or relay, an in-memory keyring) and gets the whole console
    otherwise as it runs at the counter."""

    # How requests reach the operator's API; None is httpx's own network transport (with the
    # proxy and TLS settings of the environment).
    operator_transport: httpx.BaseTransport | None
    printer: Printer  # the print server (CUPS)
    # The salon's SMTP relay; None when salon.ini sets no [email] relay (e-mail then says so).
    relay: MailRelay | None
    # The operator's token, the SMTP password and the audit journal's key (never in salon.ini).
    keyring: Keyring


def real_parts(settings: Settings, *, keyring: Keyring | None = None) -> Parts:
    """The parts the console uses at the counter, chosen here and nowhere else. `keyring`: the
    one every secret is read from, the relay's password too (the system's unless given)."""
    from app.services.credentials import SYSTEM_KEYRING, smtp_password
    from printing.cups_printer import CupsPrinter

    keyring = SYSTEM_KEYRING if keyring is None else keyring
    relay = None
    if settings.email.configured:
        from app.services.smtp_relay import SmtpRelay

        # The password is read when a letter goes.
        relay = SmtpRelay(settings.email, lambda: smtp_password(keyring))
    return Parts(operator_transport=None, printer=CupsPrinter(settings.printing.server or None),
                 relay=relay, keyring=keyring)


class Wiring:
    """Builds the services once, on first use, from the settings; signs the clerk in once,
    on first use, for commands that act for a subscriber or manage accounts."""

    def __init__(
        self,
        settings: Settings,
        clerk: str | None = None,
        read_password: Callable[[str], str] | None = None,
        *,
        clock: Clock,
        parts: Callable[[Settings], Parts] = real_parts,
        start_pump: bool = False,
    ) -> None:
        self.settings = settings
        self.clock = clock
        # The adapters at the console's edges, made when the services are first built (the
        # real ones unless a test gives its own).
        self._parts = parts
        self.clerk = clerk  # --clerk LOGIN, or $SALON_CLERK
        # The window keeps the outbox pump running; a one-shot command does not (it would
        # hold the exit while retrying other queued orders): `salon outbox send` does a pass.
        self.start_pump = start_pump
        self._read_password = read_password
        self._password: str | None = None
        self._services: Services | None = None
        self._session: Session | None = None
        self._lock = threading.Lock()

    def services(self) -> Services:
        """Every service the console has; the window's (`start_pump`) all built now, a
        command's each on first use."""
        services = self._lazy()
        if self.start_pump:
            services.build_all()  # not under the lock: clerks() answers meanwhile
        return services

    def clerks(self) -> ClerkService:
        """The clerks' accounts on the local store, without the operator: the window signs a
        clerk in with them while the operator's side is still being built."""
        return self._lazy().clerks

    def _lazy(self) -> Services:
        with self._lock:
            if self._services is None:
                self._services = build_services(self.settings, self.clock,
                                                self._parts(self.settings),
                                                start_pump=self.start_pump, build_now=False)
            return self._services

    def session(self) -> Session:
        """The signed-in clerk; NotSignedIn when no clerk was named."""
        if self._session is None:
            login = self._login()
            password = self.password()  # asked before the (slower) services start
            self._session = self.services().clerks.sign_in(login, password)
        return self._session

    def _login(self) -> str:
        """The clerk signing in; NotSignedIn when no clerk was named."""
        if not self.clerk:
            raise NotSignedIn(_(
                "Sign in: salon --clerk LOGIN … or set SALON_CLERK "
                "(the password comes from SALON_PASSWORD or a prompt)."
            ))
        return self.clerk

    def password(self) -> str:
        """The signing-in clerk's password, read once (SALON_PASSWORD, a prompt or stdin)."""
        if self._password is None:
            if self._read_password is None:
                from app.commands.passwords import read_password

                self._read_password = read_password
            self._password = self._read_password(
                _("Password for {login}: ").format(login=shown(self._login()))
            )
        return self._password

    def close(self) -> None:
        with self._lock:
            if self._services is not None:
                self._services.close()
                self._services = None

    def stop_training_sandbox(self) -> bool:
        """`salon sandbox stop`: the data folder's training sandbox (sandbox/resident.py)
        ends now; False when none was running."""
        from sandbox.resident import stop

        return stop(self.settings.data_dir)

    def serve_sandbox(self, host: str, port: int, db: Path | None, seed: int | None) -> None:
        from sandbox.server import serve

        token = os.environ.get("SALON_SANDBOX_TOKEN") or "training"
        db_path = db or self.settings.data_dir / "sandbox.db"
        seed = self.settings.operator.sandbox_seed if seed is None else seed
        from app.commands.output import say

        say(sys.stderr, _("Sandbox operator API on http://{host}:{port} (world {db}, seed "
                          "{seed}).").format(host=host, port=port, db=db_path, seed=seed))
        with _world_errors():
            serve(host, port, db_path, seed, token)


@contextlib.contextmanager
def _world_errors() -> Iterator[None]:
    """The training world's file cannot be used as it is (another seed, a bad key)."""
    from sandbox.code_key import BadCodeKey
    from sandbox.store import SeedMismatch

    try:
        yield
    except (SeedMismatch, BadCodeKey) as error:
        raise ConfigError(_("The training world cannot be opened: {error}").format(
            error=error)) from error


def console_clock(settings: Settings) -> Clock:
    """The console's one clock. In training it is the sandbox world's clock (the wall clock
    plus the offset a clerk moved it by; synced when the sandbox starts and whenever the
    console sees the world's clock); against a real operator, the wall clock."""
    return MovableClock(SystemClock()) if settings.operator.embedded else SystemClock()


def build_services(settings: Settings, clock: Clock, parts: Parts, *,
                   start_pump: bool = True, build_now: bool | None = None) -> Services:
    """The console's services over the local store. A command builds (and imports) only the
    services it uses, on first use; the window (`start_pump`) starts the outbox pump and the
    periodic e-mail, and builds them all now unless `build_now` is False (then its own
    `build_all()` does, on the window's worker)."""
    from app.services.registry import Services

    built = _Console(settings, clock, parts, start_pump=start_pump)
    services = Services(
        settings=settings, clock=clock, close=built.close,
        demo_subscribers=((lambda: built.client.demo_subscribers())
                          if settings.operator.embedded else None),
        later={name: functools.partial(getattr, built, name) for name in _Console.SERVICES})
    if start_pump if build_now is None else build_now:
        try:
            services.build_all()
        except BaseException:
            built.close()
            raise
    return services


def _store(settings: Settings) -> Callable[[], object]:
    """Opens the local store (migrating it); its close."""
    from models.db import open_store
    from models.migrations import SchemaTooNew

    try:
        return open_store(settings.database_url).close
    except SchemaTooNew as error:
        raise ConfigError(_(
            "The local database was written by a newer version of the console ({detail}); "
            "update the console."
        ).format(detail=error)) from error
    except Exception as error:  # the driver's own errors differ per database
        log.exception("cannot open the local store")
        raise ConfigError(_(
            "The local database cannot be opened ({url}): {error}"
        ).format(url=_redacted(settings.database_url), error=error)) from error


class _HolderReadsLater:
    """The operator client as R10's check sees it, built when a check first asks."""

    def __init__(self, console: _Console) -> None:
        self._console = console

    def holder_record(self, msisdn: str) -> HolderRecord:
        return self._console.client.holder_record(msisdn)


class _Console:
    """The console's parts, each built once on first use (under one lock: the window's worker
    and its Tk thread), each closed in the reverse order of building. The local store opens
    at once; the operator client (and the training sandbox it talks to) when a service needs
    it; the purge of kept documents (R9) before any service that reads them."""

    # What Services hands out; the other properties are parts the services share.
    SERVICES = ("lookup", "identity", "pickup", "connection", "audit", "daily_log",
                "detalization", "verification", "clerks", "orders", "outbox_pump",
                "access_codes", "leaflets", "sandbox", "operator_check", "purged_at_start",
                "printing", "email", "archive", "delivery", "periodic", "retention")

    def __init__(self, settings: Settings, clock: Clock, parts: Parts, *,
                 start_pump: bool) -> None:
        self.settings = settings
        self.clock = clock
        self.parts = parts
        self.start_pump = start_pump
        self._closers: list[Callable[[], object]] = [_store(settings)]
        self._lock = threading.RLock()  # the closers; which part has which lock
        self._locks: dict[str, threading.RLock] = {}

    def close(self) -> None:
        with self._lock:
            while self._closers:
                self._closers.pop()()

    def _once(self, name: str, build: Callable[[], _T]) -> _T:
        # One lock per part: the clerks are built while the window's worker reaches the
        # operator (the parts' needs have no cycle, so no two builds wait on each other).
        with self._lock:
            if name in self.__dict__:
                return self.__dict__[name]
            lock = self._locks.setdefault(name, threading.RLock())
        with lock:
            if name not in self.__dict__:
                self.__dict__[name] = build()
            return self.__dict__[name]

    # -- the parts the services share -----------------------------------------------------
    @property
    def kept(self) -> KeptFiles:
        from app.services.kept_files import KeptFiles
        from models.kept_files import StoreKeptFiles

        salon = self.settings.salon
        return self._once("kept", lambda: KeptFiles(
            self.settings.data_dir / "documents", StoreKeptFiles(salon.id, salon.counter),
            self.clock))

    @property
    def audit(self) -> AuditJournal:
        def build() -> AuditJournal:
            from app.services.audit import AuditJournal
            from app.services.audit_keys import journal_seal

            salon = self.settings.salon
            return AuditJournal(salon.id, salon.counter, self.clock,
                                seal=journal_seal(self.settings, self.parts.keyring))
        return self._once("audit", build)

    @property
    def clerks(self) -> ClerkService:
        def build() -> ClerkService:
            from app.services.clerks import ClerkService
            from models.clerks import StoreClerks

            clerks = ClerkService(StoreClerks(), self.clock,
                                  timezone=self.settings.salon.timezone, journal=self.audit)
            if self.settings.operator.embedded:
                # The training sandbox only: its demo accounts (README). A real store never
                # gets any.
                clerks.ensure_training_accounts()
            # Sign-out, the lock: the visit ends (R10).
            clerks.on_session(
                lambda session, event: self.identity.session_event(session, event))
            return clerks
        return self._once("clerks", build)

    @property
    def client(self) -> OperatorClient:
        return self._once("client", self._client)

    def _client(self) -> OperatorClient:
        from app.operator_api.client import OperatorClient

        settings, operator = self.settings, self.settings.operator
        token: str | httpx.Auth
        if operator.embedded:
            # The data folder's sandbox, in a process of its own that stays for the next
            # command (sandbox/resident.py): reaching it costs a file read, starting it about
            # a second.
            from sandbox.resident import ResidentFailed, reach

            try:
                resident = reach(settings.data_dir, operator.sandbox_seed)
            except ResidentFailed as error:
                log.error("the training sandbox did not start: %s", error)
                raise ConfigError(_("The training world cannot be opened: {error}").format(
                    error=_training_failure(error, settings.data_dir))) from error
            self._closers.append(resident.release)
            base_url, token = resident.url, resident.token
        else:
            base_url, token = operator.url, operator_auth(operator, self.parts.keyring)
        self.__dict__["base_url"] = base_url
        client = OperatorClient(
            base_url, token,
            clock=self.clock,  # only for an answer that does not say the operator's time
            connect_timeout=operator.connect_timeout,
            read_timeout=operator.read_timeout,
            read_retries=operator.read_retries,
            deadline=operator.deadline,
            apis=operator.apis,  # [operator] api.<name>: APIs off their standard path
            transport=self.parts.operator_transport,
        )
        self._closers.append(client.close)
        if operator.embedded and isinstance(self.clock, MovableClock):
            # The console's clock is the training world's, which a clerk may have moved on.
            from app.services.training_world import TrainingWorld

            try:
                TrainingWorld(client, self.clock).clock()
            except SalonError:  # the next answer that tells the world's time syncs it
                log.warning("the training world's clock could not be read at start")
        return client

    @property
    def connection(self) -> ConnectionState:
        from app.services.connection import ConnectionState

        return self._once("connection", lambda: ConnectionState(self.clock))

    @property
    def identity(self) -> IdentityService:
        # The visit is the store's; the operator is asked only when a document is checked. A
        # sign-in (which tells the identity service) then reaches no operator and no sandbox.
        return self._once("identity", lambda: build_identity(
            self.settings, self.parts, _HolderReadsLater(self), self.audit, self.clock))

    @property
    def register(self) -> DocumentRegister:
        from models.documents import DocumentRegister

        # Every document made here, for verify-document.
        return self._once("register", DocumentRegister)

    @property
    def outbox_pump(self) -> OutboxPump:
        self.orders  # noqa: B018 — built with the orders
        pump: OutboxPump = self.__dict__["outbox_pump"]
        return pump

    @property
    def orders(self) -> OrderService:
        return self._once("orders", self._orders)

    def _orders(self) -> OrderService:
        from app.services.orders import OrderService
        from app.services.outbox_delivery import Delivery, Timing
        from app.services.outbox_pump import OutboxPump
        from app.services.slips import SlipMaker
        from models.card_cache import StoreCardCache
        from models.db import database
        from models.outbox import StoreOutbox

        settings, operator, clock = self.settings, self.settings.operator, self.clock
        client, outbox, audit = self.client, StoreOutbox(), self.audit
        delivery = Delivery(
            client, outbox, journal=audit,
            slips=SlipMaker(settings, outbox, self.kept, self.register),
            connection=self.connection,
            timing=Timing.for_operator(operator.connect_timeout, operator.read_timeout,
                                       operator.read_retries),
            clock=clock,
        )
        # The pump's thread closes its own store connection when it ends.
        pump = OutboxPump(outbox, delivery, on_thread_exit=database.close, clock=clock)
        orders = OrderService(client, outbox, delivery, pump, salon=settings.salon.id,
                              counter=settings.salon.counter, cards=StoreCardCache(),
                              journal=audit, connection=self.connection, clock=clock,
                              identity=self.identity)
        self.__dict__["outbox_pump"] = pump
        self._closers.append(pump.stop)  # before the client and the store close
        if self.start_pump:
            pump.start()
            if isinstance(clock, MovableClock):  # training: a queued retry may be due now
                clock.on_move(pump.wake)
        return orders

    @property
    def documents(self) -> tuple[DetalizationService, Delivered, PurgeReport | None]:
        """The detalization and delivery, after R9's purge: on every start, before anything
        reads what is kept (`salon purge` reports it too)."""
        return self._once("documents", self._documents)

    def _documents(self) -> tuple[DetalizationService, Delivered, PurgeReport | None]:
        from app.services.detalization import DetalizationService
        from models.usage import UsageStore

        settings, kept = self.settings, self.kept
        detalization = DetalizationService(
            self.client, UsageStore(), self.register, settings.salon,
            retention_days=settings.retention_days, documents_dir=kept.folder,
            journal=self.audit, clock=self.clock, kept=kept, identity=self.identity)
        delivered = build_delivery(settings, self.parts, self.client, self.audit,
                                   detalization, self._closers, self.clock, kept,
                                   self.identity, start_periodic=self.start_pump)
        purged = None
        try:
            purged = delivered.retention.purge(at_start=True)
        except Exception:  # a failed purge must not keep the counter from working; retried
            log.exception("R9 purge at start failed")
        return detalization, delivered, purged

    # -- what Services hands out ----------------------------------------------------------
    @property
    def lookup(self) -> LookupService:
        from app.services.lookup import LookupService
        from models.card_cache import StoreCardCache

        return self._once("lookup", lambda: LookupService(
            self.client, StoreCardCache(), self.connection, self.clock, journal=self.audit,
            identity=self.identity, contacts=self.client))

    @property
    def detalization(self) -> DetalizationService:
        return self.documents[0]

    @property
    def purged_at_start(self) -> PurgeReport | None:
        return self.documents[2]

    @property
    def printing(self) -> PrintService:
        return self.documents[1].printing

    @property
    def email(self) -> EmailService:
        return self.documents[1].email

    @property
    def archive(self) -> ArchiveService:
        return self.documents[1].archive

    @property
    def delivery(self) -> DeliveryService:
        return self.documents[1].delivery

    @property
    def periodic(self) -> PeriodicDeliveryService:
        return self.documents[1].periodic

    @property
    def retention(self) -> RetentionService:
        return self.documents[1].retention

    @property
    def daily_log(self) -> DailyLogService:
        from app.services.daily_log import DailyLogService

        return self._once("daily_log", lambda: DailyLogService(
            self.audit, self.settings.salon, self.clock, names=self.orders.names,
            register=self.register))

    @property
    def verification(self) -> VerificationService:
        from app.services.verification import VerificationService

        return self._once("verification", lambda: VerificationService(self.register))

    @property
    def access_codes(self) -> AccessCodeService:
        from app.services.access_codes import AccessCodeService

        # A lock's countdown counts from the operator's own clock at each answer (the client
        # reads it from the answer), whether the operator is the embedded sandbox, a `salon
        # sandbox` whose clock was moved forward, or a real operator.
        return self._once("access_codes", lambda: AccessCodeService(
            self.client, journal=self.audit, connection=self.connection,
            identity=self.identity))

    @property
    def leaflets(self) -> LeafletService:
        from app.services.leaflets import LeafletService

        return self._once("leaflets", lambda: LeafletService(
            self.settings, self.orders.services, self.clock, self.kept,
            register=self.register))

    @property
    def sandbox(self) -> TrainingWorld:
        from app.services.training_world import TrainingWorld

        return self._once("sandbox", lambda: TrainingWorld(self.client, self.clock))

    @property
    def operator_check(self) -> OperatorCheck:
        from app.services.operator_check import OperatorCheck

        def build() -> OperatorCheck:
            client = self.client
            return OperatorCheck(client, self.settings.operator, self.__dict__["base_url"])
        return self._once("operator_check", build)

    @property
    def pickup(self) -> PickupService:
        def build() -> PickupService:
            from app.services.pickup import PickupService

            detalization, delivered, _purged = self.documents
            kept = self.kept
            return PickupService(
                self.client, detalization, delivered.printing, self.identity,
                salon=self.settings.salon, keep_days=self.settings.pickup.keep_days,
                documents_dir=kept.folder, clock=self.clock, journal=self.audit, kept=kept,
                register=self.register)
        return self._once("pickup", build)


def build_identity(settings: Settings, parts: Parts, client: HolderReads,
                   journal: AuditJournal, clock: Clock) -> IdentityService:
    """R10 at this counter: the visit and mismatches in the store, the hashes' key from the
    parts' keyring (asked when a check is first recorded)."""
    from app.services.audit_keys import identity_key
    from app.services.identity import IdentityService
    from models.identity_store import StoreIdentity

    salon = settings.salon
    return IdentityService(
        client, StoreIdentity(salon.id, salon.counter),
        lambda: identity_key(settings, parts.keyring), clock, settings=settings.identity,
        salon=salon.id, counter=salon.counter, timezone=salon.timezone, journal=journal)


def operator_auth(operator: OperatorSettings, keyring: Keyring) -> str | httpx.Auth:
    """How the console signs its calls to a real operator: the keyring's bearer token
    (`auth = token`), or OAuth2 client credentials (`auth = oauth2`) with the client secret
    from the keyring; app/operator_api/auth.py."""
    if operator.auth != "oauth2":
        from app.services.credentials import operator_token

        return operator_token(operator.url, keyring)
    import httpx

    from app.operator_api.auth import ClientCredentials
    from app.services.credentials import operator_client_secret

    return ClientCredentials(
        operator.token_url, operator.client_id, operator_client_secret(operator.client_id, keyring),
        scope=operator.scope, client_auth=operator.client_auth,
        timeout=httpx.Timeout(operator.read_timeout, connect=operator.connect_timeout))


@dataclass(frozen=True)
class Delivered:
    printing: PrintService
    email: EmailService
    archive: ArchiveService
    delivery: DeliveryService
    periodic: PeriodicDeliveryService
    retention: RetentionService


def build_delivery(settings: Settings, parts: Parts, client: OperatorClient,
                   journal: AuditJournal, detalization: DetalizationService,
                   closers: list[Callable[[], object]], clock: Clock, kept: KeptFiles,
                   identity: IdentityService, *, start_periodic: bool) -> Delivered:
    """Paper (the parts' printer), e-mail (their relay), the personal archive, periodic e-mail
    and the local purge. The window also starts the periodic pass."""
    from app.operator_api.archive import ArchiveApi
    from app.services.archive import ArchiveService
    from app.services.delivery import DeliveryService
    from app.services.email import EmailService, registered_owner
    from app.services.periodic import PeriodicDeliveryService, PeriodicRunner
    from app.services.printing import PrintService
    from app.services.retention import RetentionService
    from models.archive import StoreArchiveNotes
    from models.db import database
    from models.documents import DocumentRegister
    from models.periodic import StorePeriodic
    from models.print_jobs import StoreCounterSettings, StorePrintJobs

    salon = settings.salon
    documents = kept.folder
    jobs = StorePrintJobs(salon.id, salon.counter)
    printing = PrintService(
        parts.printer, jobs,
        StoreCounterSettings(salon.id, salon.counter), configured=settings.printing.printer,
        documents_dir=documents, journal=journal, clock=clock)
    email = EmailService(parts.relay, settings.email, salon, journal=journal, clock=clock,
                         identity=identity, contacts=client,
                         owner_of=registered_owner(DocumentRegister()))
    notes = StoreArchiveNotes()
    archive = ArchiveService(ArchiveApi(client), notes, documents_dir=documents,
                             timezone=salon.timezone, journal=journal, clock=clock, kept=kept,
                             identity=identity)
    periodic = PeriodicDeliveryService(
        StorePeriodic(), detalization, email, salon,
        home_region=lambda msisdn: client.subscriber(msisdn).region.code, journal=journal,
        clock=clock, identity=identity)
    retention = RetentionService(kept, settings.retention_days, usage=detalization,
                                 print_jobs=jobs, archive_notes=notes, journal=journal,
                                 clock=clock)
    if start_periodic:
        runner = PeriodicRunner(periodic, on_thread_exit=database.close)
        runner.start()
        closers.insert(0, runner.stop)
        if isinstance(clock, MovableClock):  # training: the world's clock was moved on
            clock.on_move(runner.wake)
            clock.on_move(lambda: _purge_quietly(retention))
    return Delivered(printing, email, archive,
                     DeliveryService(salon, printing=printing, email=email, archive=archive),
                     periodic, retention)


def _purge_quietly(retention: RetentionService) -> None:
    """R9 when the training world's clock moved: what it made old goes now; a failure is logged
    and the next start or `salon purge` tries again."""
    try:
        retention.purge()
    except Exception:
        log.exception("R9 purge after the clock moved failed")


def _training_failure(error: ResidentFailed, data_dir: Path) -> str:
    """Why the training sandbox did not start, in the clerk's language (its own words go to
    the log)."""
    log_file = data_dir / "logs" / "sandbox.log"
    if error.reason == "another_seed":
        return _("{file} holds a training world of another seed than [operator] sandbox_seed: "
                 "set the seed back, or move the file away for a new world.").format(
                     file=data_dir / "sandbox.db")
    if error.reason == "bad_code_key":
        return _("the key of its access codes is not 64 hexadecimal digits "
                 "(SALON_SANDBOX_CODE_KEY, or {file}).").format(
                     file=data_dir / "sandbox.db.code-key")
    if error.reason == "timeout":
        return _("the training sandbox did not start in time; its log is {file}.").format(
            file=log_file)
    return _("the training sandbox ended as it started; its log is {file}.").format(
        file=log_file)


def _redacted(url: str) -> str:
    return url.split("@")[-1] if "@" in url else url


def setup_logging(settings: Settings) -> None:
    """Details go to a rotating file in the data folder; the clerk only ever sees sentences.
    Every record is one line, whatever text it carries (app/log_format.py). Called again (in
    one process, by tests), it replaces its own handler rather than adding another."""
    import logging.handlers  # here: `salon` imports what the sign-in field needs first

    from app.log_format import OneLineFormatter

    logs = settings.data_dir / "logs"
    root = logging.getLogger()
    root.setLevel(logging.INFO)
    try:
        logs.mkdir(parents=True, exist_ok=True)
        handler: logging.Handler = logging.handlers.RotatingFileHandler(
            logs / "salon.log", maxBytes=5_000_000, backupCount=5, encoding="utf-8"
        )
    except OSError:
        handler = logging.StreamHandler(sys.stderr)
        handler.setLevel(logging.WARNING)
    handler.setFormatter(OneLineFormatter())
    for old in [h for h in root.handlers if h.get_name() == SALON_LOG_HANDLER]:
        root.removeHandler(old)
        old.close()
    handler.set_name(SALON_LOG_HANDLER)
    root.addHandler(handler)
    # httpx logs every request URL at INFO; enough that we log failures ourselves.
    for noisy in ("httpx", "httpcore", "uvicorn", "uvicorn.access", "uvicorn.error"):
        logging.getLogger(noisy).setLevel(logging.WARNING)


def main(argv: list[str] | None = None) -> int:
    # The settings and the language come first, so that what argparse says of a bad value
    # (app/commands/arguments.py) is in the salon's language; a broken salon.ini is reported
    # after parsing, so that `salon --help` still works.
    settings, problem = settings_and_language()
    if problem is None and not (sys.argv[1:] if argv is None else argv):
        assert settings is not None
        return _window(settings)  # `salon` alone: no parser to build, nothing else to import
    from app import cli

    args = cli.build_parser(argv).parse_args(argv)
    if problem is not None:
        from app.commands.output import report_failure

        return report_failure(args, problem)
    assert settings is not None
    if args.command is None:  # options only (`salon --clerk anna`): the window all the same
        return _window(settings)
    setup_logging(settings)
    clock = console_clock(settings)
    wiring = Wiring(settings, clerk=args.clerk or os.environ.get("SALON_CLERK") or None,
                    clock=clock)
    try:
        return cli.run(args, wiring)
    except SalonError as error:
        from app.commands.output import report_failure

        return report_failure(args, error)
    finally:
        wiring.close()
        flush_quietly(sys.stdout)  # `salon … | head`: a reader that left is no traceback


def _window(settings: Settings) -> int:
    """The window: the sign-in field first; the clerks' accounts, then the operator's side,
    on workers behind it (app/ui/app.py)."""
    setup_logging(settings)
    clock = console_clock(settings)
    wiring = Wiring(settings, clock=clock, start_pump=True)  # the window keeps the pump going
    try:
        from app.ui.app import run_gui

        run_gui(settings, clock, wiring.services, wiring.clerks)
        return 0
    except SalonError as error:
        from app.commands.output import report_failure

        return report_failure(None, error)
    finally:
        wiring.close()
        flush_quietly(sys.stdout)


def settings_and_language() -> tuple[Settings | None, ConfigError | None]:
    chosen = os.environ.get("SALON_LANGUAGE")
    if chosen and chosen not in LANGUAGES:
        return None, ConfigError(_(
            "SALON_LANGUAGE={value} is not a language of the console: use {languages}."
        ).format(value=shown(chosen), languages=", ".join(LANGUAGES)))
    try:
        # SALON_LANGUAGE is folded into the settings here, once: the window and the
        # commands both take the language from the settings.
        settings = language_from_environment(load_settings())
    except ConfigError as error:
        if chosen:
            set_language(chosen)
        return None, error
    set_language(settings.salon.language)
    return settings, None


if __name__ == "__main__":
    sys.exit(main())
