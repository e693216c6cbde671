"""Everything the GUI and the CLI may call, built by app/main.py: each service on first use.

A `salon` command uses one or two services; building (and importing) all of them took longer
than the whole command may (DESIGN §9: a command answers within 0.5 s). So app/main.py hands
over how to build each, and the first read of `services.lookup` builds it (and what it needs)
once; the window reads them all at start, on its worker. A test may hand over built ones.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:  # built (and imported) by app/main.py when first used
    from app.clock import Clock
    from app.config import Settings
    from app.services.access_codes import AccessCodeService
    from app.services.archive import ArchiveService
    from app.services.audit import AuditJournal
    from app.services.clerks import ClerkService
    from app.services.connection import ConnectionState
    from app.services.daily_log import DailyLogService
    from app.services.delivery import DeliveryService
    from app.services.detalization import DetalizationService
    from app.services.email import EmailService
    from app.services.identity import IdentityService
    from app.services.leaflets import LeafletService
    from app.services.lookup import LookupService
    from app.services.operator_check import OperatorCheck
    from app.services.orders import OrderService
    from app.services.outbox_pump import OutboxPump
    from app.services.periodic import PeriodicDeliveryService
    from app.services.pickup import PickupService
    from app.services.printing import PrintService
    from app.services.retention import PurgeReport, RetentionService
    from app.services.training_world import TrainingWorld
    from app.services.verification import VerificationService
    from models.domain import DemoSubscriber


class Services:
    """Every service the console has, each built by app/main.py's bootstrap: none is missing
    where the window or the CLI needs it. A None left here means something real (no operator
    sandbox, no purge at start), and its comment says what."""

    settings: Settings
    clock: Clock  # the console's one clock (app/clock.py); every service was built with it
    lookup: LookupService
    connection: ConnectionState
    clerks: ClerkService
    # Tariff and service changes, the Assistant (app/services/orders.py), and the thread that
    # sends queued ones when the operator answers again.
    orders: OrderService
    outbox_pump: OutboxPump
    # The audit journal and the manager's daily log.
    audit: AuditJournal
    daily_log: DailyLogService
    # The detalization (R6–R9) and `salon verify-document`.
    detalization: DetalizationService
    verification: VerificationService
    # The Electronic Assistant's access codes (R1–R3), its customer leaflet, and the training
    # sandbox's subscriber phones and clock (refuses with `not_sandbox` on a real operator).
    access_codes: AccessCodeService
    leaflets: LeafletService
    sandbox: TrainingWorld
    # Delivery (R8, R9): paper through CUPS, e-mail (which says itself whether a relay is set
    # up), the personal archive, one entry for all three, periodic e-mail; and the local purge
    # of everything kept.
    printing: PrintService
    email: EmailService
    archive: ArchiveService
    delivery: DeliveryService
    periodic: PeriodicDeliveryService
    retention: RetentionService
    # R10: who stands at the counter — the visit's identity check, required by every use case
    # above that shows or changes something personal (app/services/identity.py).
    identity: IdentityService
    # R11: paper detalizations ordered online for pick-up at this salon — the queue, printing
    # ahead, the hand-over after R10, the destruction after [pickup] keep_days.
    pickup: PickupService
    # `salon operator check`: does each operator API answer where salon.ini says it lives?
    operator_check: OperatorCheck
    # The sandbox's demo subscribers; None when talking to a live operator API (no demo list).
    demo_subscribers: Callable[[], list[DemoSubscriber]] | None
    # What the purge at this start removed (`salon purge` reports it with its own); None when
    # that purge failed (it is logged and retried at the next start or by `salon purge`). The
    # purge runs before the first service that reads kept documents or usage is built.
    purged_at_start: PurgeReport | None
    close: Callable[[], None]

    def __init__(self, *, settings: Settings, clock: Clock,
                 demo_subscribers: Callable[[], list[DemoSubscriber]] | None = None,
                 close: Callable[[], None] = lambda: None,
                 later: Mapping[str, Callable[[], Any]] | None = None, **built: Any) -> None:
        """`built`: services ready now; `later`: how to build the others on first use."""
        self.settings = settings
        self.clock = clock
        self.demo_subscribers = demo_subscribers
        self.close = close
        self._later = dict(later or {})
        if "purged_at_start" not in self._later:
            built.setdefault("purged_at_start", None)
        self.__dict__.update(built)
        missing = [name for name in _SERVICES if name not in built and name not in self._later]
        if missing:
            raise TypeError(f"Services without {', '.join(missing)}")

    def __getattr__(self, name: str) -> Any:
        # Only for what is not built yet: a built service is an attribute of the instance.
        later = self.__dict__.get("_later")
        if later is None or name not in later:
            raise AttributeError(name)
        # No lock here: the builder builds each once (app/main.py), so two threads asking
        # at once get the same service, and one asking for the clerks does not wait for
        # another reaching the operator.
        return self.__dict__.setdefault(name, later[name]())

    def build_all(self) -> None:
        """Every service now (the window: nothing the clerk does waits for a first build)."""
        for name in self._later:
            getattr(self, name)

    @property
    def training(self) -> bool:
        return self.demo_subscribers is not None


# Every service a Services has (the annotations above, but the plain values).
_SERVICES = [name for name in Services.__annotations__
             if name not in {"settings", "clock", "demo_subscribers", "close"}]
