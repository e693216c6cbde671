"""R11 for the window's tests: the real PickupService (its rules, sentences, cover sheets and
receipts) over fakes at its adapter boundary — the operator's pick-up orders in memory, a
detalization that writes a small file (and can be held, so the progress bar is on screen), a
printer that records what it printed (or fails like a jammed one)."""

from __future__ import annotations

import dataclasses
import threading
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any

from app.clock import Clock
from app.config import Settings
from app.errors import PickupConflict, PrintFailed
from app.i18n import _
from app.services.pickup import PickupService
from models.domain import Session
from models.pickup import OperatorState, PickupOrder
from models.printing import DocumentKind, PrintJob, PrintJobState

KEEP_DAYS = 30


def order(number: str, msisdn: str, name: str, settings: Settings, ordered: datetime,
          state: OperatorState = OperatorState.NEW) -> PickupOrder:
    return PickupOrder(number, msisdn, name, settings.salon.id, date(2026, 10, 1),
                       date(2026, 10, 31), ordered, state, settings.salon.region)


class FakePickupApi:
    """The operator's TMF622 pick-up orders: a closed order refuses a state report (R11)."""

    def __init__(self, *orders: PickupOrder) -> None:
        self.orders = {o.order_id: o for o in orders}
        self.reports: list[tuple[str, OperatorState]] = []
        self.threads: set[str] = set()

    def pickup_queue(self, salon: str) -> list[PickupOrder]:
        self.threads.add(threading.current_thread().name)
        return [o for o in self.orders.values() if o.state.open]

    def pickup_expired(self, salon: str, ordered_before: datetime) -> list[PickupOrder]:
        return [o for o in self.pickup_queue(salon) if o.ordered_at < ordered_before]

    def pickup_order(self, order_id: str, *, listed: PickupOrder | None = None
                     ) -> PickupOrder:
        return self.orders[order_id]

    def report_pickup_state(self, order_id: str, state: OperatorState, key: str, *,
                            read: PickupOrder | None = None) -> PickupOrder:
        now = self.orders[order_id].state
        if not now.open:  # as app/operator_api/pickup.py says the operator's 409
            raise PickupConflict(_("R11: pick-up order {order} has already been handed over "
                                   "(at this or another counter); nothing was changed.")
                                 .format(order=order_id), now.value)
        self.reports.append((order_id, state))
        self.orders[order_id] = dataclasses.replace(self.orders[order_id], state=state)
        return self.orders[order_id]

    def another_counter(self, order_id: str, state: OperatorState) -> None:
        """Another counter closed the order behind this console's back."""
        self.orders[order_id] = dataclasses.replace(self.orders[order_id], state=state)


@dataclasses.dataclass
class Made:
    path: Path
    document_id: str


class HeldDetalization:
    """DetalizationService.order as the pick-up needs it; `hold` (an Event) keeps each order
    waiting until it is set, so a batch's progress can be looked at."""

    def __init__(self) -> None:
        self.ordered: list[str] = []
        self.hold: threading.Event | None = None
        self.waiting = threading.Event()

    def order(self, clerk: Session, phone: str, period: Any, options: Any, fmt: str,
              path: Path | None = None, progress: Any = None, *, folder: Path,
              pickup_order: str = "") -> Made:
        if self.hold is not None:
            self.waiting.set()
            self.hold.wait(10)
        self.ordered.append(pickup_order)
        document_id = f"DET-20261123-{len(self.ordered):08d}"
        target = folder / f"{document_id}.pdf"
        target.write_bytes(b"%PDF-1.4 a fake detalization")
        return Made(target, document_id)


class RecordingPrinter:
    def __init__(self, clock: Clock) -> None:
        self.clock = clock
        self.printed: list[Path] = []
        self.jammed = False

    def print_document(self, clerk: Session, path: Path, *, kind: DocumentKind | None = None,
                       title: str = "", documents: str = "", subscriber: str = "",
                       printer: str | None = None) -> PrintJob:
        if self.jammed:
            raise PrintFailed(f"В принтере Counter1 закончилась бумага; документ сохранён: "
                              f"{path}", path)
        self.printed.append(path)
        now = self.clock.now()
        return PrintJob(len(self.printed), path, kind or DocumentKind.SLIP, title, documents,
                        subscriber, "Counter1", len(self.printed), PrintJobState.DONE, 1,
                        clerk.login, now, now, "")


def pickup_service(settings: Settings, clock: Clock, identity: Any, api: FakePickupApi,
                   folder: Path) -> tuple[PickupService, HeldDetalization, RecordingPrinter]:
    detalization, printer = HeldDetalization(), RecordingPrinter(clock)
    service = PickupService(api, detalization, printer, identity,  # type: ignore[arg-type]
                            salon=settings.salon, keep_days=KEEP_DAYS, documents_dir=folder,
                            clock=clock)
    return service, detalization, printer


def days_ago(clock: Clock, days: float) -> datetime:
    return clock.now() - timedelta(days=days)
