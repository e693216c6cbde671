"""What the GUI needs from the order services, as structural types (PEP 544).

The real `OrderService` (app/services/orders.py) and `OutboxPump` (app/services/outbox_pump.py)
satisfy these without naming them; the GUI tests pass fakes. The window only ever calls these
methods, always on the BackgroundRunner (never on the Tk thread): they may wait on the network.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any, Protocol, runtime_checkable

from app.flows.orders import OrderSteps
from models.access_codes import CodeState, SandboxTime, SmsMessage, VerifyResult
from models.domain import Session, SubscriberCard
from models.orders import OutboxItem


@runtime_checkable
class OrderPort(OrderSteps, Protocol):
    """Orders for a subscriber (R4): the steps of an operation (app/flows/orders.py) and the
    outbox of writes that could not be confirmed."""

    def pending(self, msisdn: str | None = None) -> list[OutboxItem]: ...

    def recent(self, limit: int = 50) -> list[OutboxItem]: ...


OutboxListener = Callable[[OutboxItem], None]


@runtime_checkable
class OutboxPumpPort(Protocol):
    """The background sender of queued writes. Listeners are called ON THE PUMP'S THREAD when
    an item reaches a final state: the GUI only puts the item into a queue there."""

    def subscribe(self, listener: OutboxListener) -> None: ...


class Availability(Protocol):
    # Read-only members: the services answer with frozen dataclasses.
    @property
    def available(self) -> bool: ...

    @property
    def reason(self) -> str: ...

    @property
    def rule(self) -> str: ...


@runtime_checkable
class AccessCodePort(Protocol):
    """The Electronic Assistant's access code (R1–R3), app/services/access_codes.py. Live only:
    every call but `availability` waits on the network (the runner's job)."""

    def availability(self, card: SubscriberCard) -> Availability:
        """From the card alone, no network: blocked, R1, not connected, offline."""
        ...

    def state(self, clerk: Session, msisdn: str) -> CodeState: ...

    def issue(self, clerk: Session, msisdn: str,
              card: SubscriberCard | None = None) -> CodeState: ...

    def verify(self, clerk: Session, msisdn: str, code: str,
               card: SubscriberCard | None = None) -> VerifyResult:
        """The code is this argument and nothing else: never kept, shown or logged (R2)."""
        ...


class LeafletMade(Protocol):
    @property
    def path(self) -> Path: ...

    @property
    def catalog_reached(self) -> bool: ...


@runtime_checkable
class LeafletPort(Protocol):
    def make(self, clerk: Session, msisdn: str | None = None,
             path: Path | None = None) -> LeafletMade: ...


@runtime_checkable
class TrainingWorldPort(Protocol):
    """Training only: the subscriber's phone (its SMS) and the sandbox's clock."""

    def sms(self, msisdn: str) -> list[SmsMessage]: ...

    def clock(self) -> SandboxTime: ...

    def advance(self, seconds: int) -> SandboxTime: ...


@runtime_checkable
class PickupPort(Protocol):
    """R11 pick-up at this salon (app/services/pickup.py PickupService). Every call waits on
    the operator (and the printer): the runner's job. Progress callbacks come ON THE WORKER."""

    def queue(self, clerk: Session) -> list[Any]: ...

    def expired(self, clerk: Session) -> list[Any]: ...

    def print_ahead(self, clerk: Session, order_id: str,
                    progress: Callable[[str, int, int], None] | None = None) -> Any: ...

    def print_all_new(self, clerk: Session,
                      progress: Callable[[int, int, str], None] | None = None) -> Any: ...

    def hand_over(self, clerk: Session, order_id: str) -> Any: ...

    def destroy(self, clerk: Session, order_id: str, *, confirmed: bool) -> Any: ...

    def destroy_all_expired(self, clerk: Session, *, confirmed: bool,
                            progress: Callable[[int, int, str], None] | None = None,
                            ) -> tuple[list[Any], list[tuple[str, str]]]: ...
