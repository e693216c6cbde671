"""Everything the GUI and the CLI may call, built once by app/main.py."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from app.clock import Clock
from app.config import Settings
from app.services.clerks import ClerkService
from app.services.connection import ConnectionState
from app.services.lookup import LookupService
from models.domain import DemoSubscriber

if TYPE_CHECKING:  # these import peewee; built (and imported) by app/main.py when needed
    from app.services.access_codes import AccessCodeService
    from app.services.archive import ArchiveService
    from app.services.audit import AuditJournal
    from app.services.daily_log import DailyLogService
    from app.services.delivery import DeliveryService
    from app.services.detalization import DetalizationService
    from app.services.email import EmailService
    from app.services.identity import IdentityService
    from app.services.leaflets import LeafletService
    from app.services.operator_check import OperatorCheck
    from app.services.orders import OrderService
    from app.services.outbox_pump import OutboxPump
    from app.services.periodic import PeriodicDeliveryService
    from app.services.pickup import PickupService
    from app.services.printing import PrintService
    from app.services.retention import PurgeReport, RetentionService
    from app.services.training_world import TrainingWorld
    from app.services.verification import VerificationService


@dataclass
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
    demo_subscribers: Callable[[], list[DemoSubscriber]] | None = None
    # What the purge at this start removed (`salon purge` reports it with its own); None when
    # that purge failed (it is logged and retried at the next start or by `salon purge`).
    purged_at_start: PurgeReport | None = None
    close: Callable[[], None] = field(default=lambda: None)

    @property
    def training(self) -> bool:
        return self.demo_subscribers is not None
