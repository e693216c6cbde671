"""Everything the GUI and the CLI may call, built once by app/main.py."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from app.config import Settings
from app.services.clerks import ClerkService
from app.services.connection import ConnectionState
from app.services.lookup import LookupService
from models.domain import DemoSubscriber

if TYPE_CHECKING:  # these import peewee; built (and imported) by app/main.py when needed
    from app.services.audit import AuditJournal
    from app.services.daily_log import DailyLogService
    from app.services.orders import OrderService
    from app.services.outbox_pump import OutboxPump


@dataclass
class Services:
    settings: Settings
    lookup: LookupService
    connection: ConnectionState
    clerks: ClerkService
    # The sandbox's demo subscribers, or None when talking to a live operator API.
    demo_subscribers: Callable[[], list[DemoSubscriber]] | None = None
    # The audit journal and the manager's daily log (None until app/main.py builds them).
    audit: AuditJournal | None = None
    daily_log: DailyLogService | None = None
    # Orders (R4) and the pump that sends queued writes; None until app/main.py builds them.
    orders: OrderService | None = None
    outbox_pump: OutboxPump | None = None
    close: Callable[[], None] = field(default=lambda: None)

    @property
    def training(self) -> bool:
        return self.demo_subscribers is not None
