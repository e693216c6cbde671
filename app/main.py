"""The one place that builds everything: config → store → adapters → services → GUI or CLI.

Heavy libraries (httpx, peewee, fastapi, uvicorn) are imported only when services are built,
and the command line's parser only for a command: `salon` alone shows the sign-in field first
and builds the rest on workers (DESIGN §9: a key is taken within 1.0 s of launch). The store
and the clerks' accounts come before the operator (`open_local`), so a clerk signs in without
waiting for the operator's API or the training sandbox.
"""

from __future__ import annotations

import contextlib
import logging
import os
import sys
import threading
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path
from typing import TYPE_CHECKING

from app.clock import Clock, MovableClock, SystemClock
from app.commands.output import flush_quietly
from app.config import OperatorSettings, Settings, language_from_environment, load_settings
from app.errors import ConfigError, NotSignedIn, SalonError
from app.i18n import LANGUAGES, _, set_language
from app.inputs import shown
from app.services.credentials import SYSTEM_KEYRING

if TYPE_CHECKING:
    import httpx

    from app.operator_api.client import OperatorClient
    from app.services.archive import ArchiveService
    from app.services.audit import AuditJournal
    from app.services.clerks import ClerkService
    from app.services.credentials import Keyring
    from app.services.delivery import DeliveryService
    from app.services.detalization import DetalizationService
    from app.services.email import EmailService
    from app.services.identity import IdentityService
    from app.services.kept_files import KeptFiles
    from app.services.periodic import PeriodicDeliveryService
    from app.services.printing import PrintService
    from app.services.registry import Services
    from app.services.retention import RetentionService
    from app.services.smtp_relay import MailRelay
    from models.domain import Session
    from printing.cups_printer import Printer

log = logging.getLogger("salon")
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


def real_parts(settings: Settings, *, keyring: Keyring = SYSTEM_KEYRING) -> Parts:
    """The parts the console uses at the counter, chosen here and nowhere else. `keyring`: the
    one every secret is read from, the relay's password too (the system's unless given)."""
    from app.services.credentials import smtp_password
    from app.services.smtp_relay import SmtpRelay
    from printing.cups_printer import CupsPrinter

    relay = (SmtpRelay(settings.email, lambda: smtp_password(keyring))
             if settings.email.configured else None)  # the password is read when a letter goes
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
        self._local: Local | None = None
        self._session: Session | None = None
        self._lock = threading.Lock()
        self._local_lock = threading.Lock()
        self._parts_made: Parts | None = None

    def clerks(self) -> ClerkService:
        """The clerks' accounts on the local store, without the operator: the window signs a
        clerk in with them while the operator's side is still being built."""
        return self._local_part().clerks

    def services(self) -> Services:
        with self._lock:
            if self._services is None:
                local = self._local_part()
                self._services = build_services(self.settings, self.clock, self._made_parts(),
                                                start_pump=self.start_pump, local=local)
            return self._services

    def _local_part(self) -> Local:
        with self._local_lock:
            if self._local is None:
                self._local = open_local(self.settings, self.clock, self._made_parts())
            return self._local

    def _made_parts(self) -> Parts:
        if self._parts_made is None:
            self._parts_made = self._parts(self.settings)
        return self._parts_made

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
                self._services.close()  # the local store with the rest
                self._services = None
            elif self._local is not None:
                self._local.close()
            self._local = None

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


@dataclass(frozen=True)
class Local:
    """What the console has without the operator: its store, its kept files, the audit
    journal and the clerks' accounts (signing in needs nothing else)."""

    kept: KeptFiles
    audit: AuditJournal
    clerks: ClerkService
    session_events: HeldEvents  # the clerks' sign-ins and locks, for the identity check
    close: Callable[[], None]  # the store's


class HeldEvents:
    """The clerks' session events, held until the identity check's service exists to take
    them: a clerk signs in at the window while the operator's side is still being built, and a
    manager's sign-in must still lift the mismatch lock (R10)."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._held: list[tuple[Session, str]] = []
        self._listener: Callable[[Session, str], None] | None = None

    def __call__(self, session: Session, event: str) -> None:
        with self._lock:
            listener = self._listener
            if listener is None:
                self._held.append((session, event))
                return
        listener(session, event)

    def forward_to(self, listener: Callable[[Session, str], None]) -> None:
        with self._lock:
            held, self._held, self._listener = self._held, [], listener
        for session, event in held:
            listener(session, event)


def open_local(settings: Settings, clock: Clock, parts: Parts) -> Local:
    from app.services.audit import AuditJournal
    from app.services.audit_keys import journal_seal
    from app.services.clerks import ClerkService
    from app.services.kept_files import KeptFiles
    from models.clerks import StoreClerks
    from models.db import open_store
    from models.kept_files import StoreKeptFiles
    from models.migrations import SchemaTooNew

    try:
        store = open_store(settings.database_url)
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

    kept = KeptFiles(settings.data_dir / "documents",
                     StoreKeptFiles(settings.salon.id, settings.salon.counter), clock)
    audit = AuditJournal(settings.salon.id, settings.salon.counter, clock,
                         seal=journal_seal(settings, parts.keyring))
    clerks = ClerkService(StoreClerks(), clock, timezone=settings.salon.timezone, journal=audit)
    events = HeldEvents()
    clerks.on_session(events)
    if settings.operator.embedded:
        # The training sandbox only: its demo accounts (README). A real store never gets any.
        clerks.ensure_training_accounts()
    return Local(kept, audit, clerks, events, store.close)


def build_services(settings: Settings, clock: Clock, parts: Parts, *,
                   start_pump: bool = True, local: Local | None = None) -> Services:
    """Every service; `local`: the store and the clerks already opened by open_local (the
    window's sign-in), else opened here."""
    from app.operator_api.client import OperatorClient
    from app.services.access_codes import AccessCodeService
    from app.services.connection import ConnectionState
    from app.services.daily_log import DailyLogService
    from app.services.detalization import DetalizationService
    from app.services.leaflets import LeafletService
    from app.services.lookup import LookupService
    from app.services.operator_check import OperatorCheck
    from app.services.orders import OrderService
    from app.services.outbox_delivery import Delivery, Timing
    from app.services.outbox_pump import OutboxPump
    from app.services.registry import Services
    from app.services.slips import SlipMaker
    from app.services.training_world import TrainingWorld
    from app.services.verification import VerificationService
    from models.card_cache import StoreCardCache
    from models.db import database
    from models.documents import DocumentRegister
    from models.outbox import StoreOutbox
    from models.usage import UsageStore

    local = local or open_local(settings, clock, parts)
    kept, audit, clerks = local.kept, local.audit, local.clerks
    closers: list[Callable[[], object]] = [local.close]
    token: str | httpx.Auth
    if settings.operator.embedded:
        import secrets

        from sandbox.server import start_in_background

        with _world_errors():
            running = start_in_background(
                settings.data_dir / "sandbox.db", settings.operator.sandbox_seed,
                secrets.token_urlsafe(24),
            )
        base_url, token = running.url, running.token
        closers.append(running.stop)
        if isinstance(clock, MovableClock):  # the console's clock is the training world's
            clock.follow(timedelta(seconds=running.clock_offset_s()))
    else:
        try:
            base_url, token = settings.operator.url, operator_auth(settings.operator,
                                                                   parts.keyring)
        except BaseException:  # no token: the store opened above is closed, not leaked
            local.close()
            raise

    client = OperatorClient(
        base_url, token,
        clock=clock,  # only for an answer that does not say the operator's time
        connect_timeout=settings.operator.connect_timeout,
        read_timeout=settings.operator.read_timeout,
        read_retries=settings.operator.read_retries,
        deadline=settings.operator.deadline,
        apis=settings.operator.apis,  # [operator] api.<name>: APIs off their standard path
        transport=parts.operator_transport,
    )
    closers.insert(0, client.close)
    connection = ConnectionState(clock)
    identity = build_identity(settings, parts, client, audit, clock)
    # Sign-out, the lock: the visit ends; also what happened while this was being built.
    local.session_events.forward_to(identity.session_event)
    cards = StoreCardCache()
    outbox = StoreOutbox()
    operator = settings.operator
    register = DocumentRegister()  # every document made here, for verify-document
    delivery = Delivery(
        client, outbox, journal=audit, slips=SlipMaker(settings, outbox, kept, register),
        connection=connection,
        timing=Timing.for_operator(operator.connect_timeout, operator.read_timeout,
                                   operator.read_retries),
        clock=clock,
    )
    # The pump's thread closes its own store connection when it ends.
    pump = OutboxPump(outbox, delivery, on_thread_exit=database.close, clock=clock)
    orders = OrderService(client, outbox, delivery, pump, salon=settings.salon.id,
                          counter=settings.salon.counter, cards=cards, journal=audit,
                          connection=connection, clock=clock, identity=identity)
    closers.insert(0, pump.stop)  # first: it uses the client and the store
    if start_pump:
        pump.start()
        if isinstance(clock, MovableClock):  # training: a queued retry may be due now
            clock.on_move(pump.wake)

    def close() -> None:
        for closer in closers:
            closer()

    detalization = DetalizationService(
        client, UsageStore(), register, settings.salon, retention_days=settings.retention_days,
        documents_dir=kept.folder, journal=audit, clock=clock, kept=kept, identity=identity)
    delivered = build_delivery(settings, parts, client, audit, detalization, closers, clock,
                               kept, identity, start_periodic=start_pump)
    purged_at_start = None
    try:  # R9: on every start, before anything else reads it; `salon purge` reports it too
        purged_at_start = delivered.retention.purge(at_start=True)
    except Exception:  # a failed purge must not keep the counter from working; it is retried
        log.exception("R9 purge at start failed")

    # A lock's countdown counts from the operator's own clock at each answer (the client reads
    # it from the answer), whether the operator is the embedded sandbox, a `salon sandbox`
    # whose clock was moved forward, or a real operator.
    codes = AccessCodeService(client, journal=audit, connection=connection, identity=identity)
    from app.services.pickup import PickupService

    pickup = PickupService(client, detalization, delivered.printing, identity,
                           salon=settings.salon, keep_days=settings.pickup.keep_days,
                           documents_dir=kept.folder, clock=clock, journal=audit, kept=kept,
                           register=register)

    return Services(
        settings=settings,
        clock=clock,
        lookup=LookupService(client, cards, connection, clock, journal=audit, identity=identity,
                             contacts=client),
        identity=identity,
        pickup=pickup,
        connection=connection,
        audit=audit,
        daily_log=DailyLogService(audit, settings.salon, clock, names=orders.names,
                                  register=register),
        detalization=detalization,
        verification=VerificationService(register),
        clerks=clerks,
        orders=orders,
        outbox_pump=pump,
        demo_subscribers=client.demo_subscribers if settings.operator.embedded else None,
        access_codes=codes,
        leaflets=LeafletService(settings, orders.services, clock, kept, register=register),
        sandbox=TrainingWorld(client, clock),
        operator_check=OperatorCheck(client, settings.operator, base_url),
        purged_at_start=purged_at_start,
        close=close,
        printing=delivered.printing,
        email=delivered.email,
        archive=delivered.archive,
        delivery=delivered.delivery,
        periodic=delivered.periodic,
        retention=delivered.retention,
    )


def build_identity(settings: Settings, parts: Parts, client: OperatorClient,
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
    settings, problem = _settings_and_language()
    if problem is None and not (sys.argv[1:] if argv is None else argv):
        assert settings is not None
        return _window(settings)  # `salon` alone: no parser to build, nothing else to import
    from app import cli

    args = cli.build_parser().parse_args(argv)
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
    """The window: the sign-in field first; the store and the clerks' accounts, then the
    operator's side, on workers behind it (app/ui/app.py)."""
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


def _settings_and_language() -> tuple[Settings | None, ConfigError | None]:
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
