"""A detalization's steps (app/flows/detalization.py), run by the Ctrl+D dialog and by
`salon detalization` alike: where it goes is checked before anything is made, and a delivery
sends the file made, again after a failure, never a second order."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

import pytest

from app.errors import AddressRefused
from app.flows.detalization import SAVED, DetalizationFlow, Sending
from app.services.delivery import Deliverable, Delivered, DeliveryMethod
from models.detalization import Options, Period
from models.domain import ClerkRole, Session

ANNA = Session("anna", "Анна Соколова", ClerkRole.CLERK, datetime(2026, 11, 23, tzinfo=UTC))
MARIA = "+79161234567"
PERIOD = Period(date(2026, 10, 1), date(2026, 10, 31))


@dataclass
class Made:
    """Stands for DocumentInfo: what for_detalization reads of it."""

    path: Path
    msisdn: str = MARIA
    document_id: str = "DET-1"
    period: Period = PERIOD


@dataclass
class Detalizations:
    orders: list[tuple[Any, ...]] = field(default_factory=list)

    def order(self, clerk: Session, phone: str, period: Period, options: Options, fmt: str,
              path: Path | None = None, progress: Any = None, *,
              folder: Path | None = None) -> Any:
        self.orders.append((clerk.login, phone, period, fmt, path, folder))
        return Made(Path("/documents/DET-1.pdf"))


@dataclass
class Deliveries:
    refuse: bool = False
    checks: list[tuple[Any, ...]] = field(default_factory=list)
    sent: list[tuple[Any, ...]] = field(default_factory=list)

    def check(self, method: DeliveryMethod, *, to: str | None = None, fmt: str | None = None,
              clerk: Session | None = None, subscriber: str = "",
              given: bool = False) -> str | None:
        self.checks.append((method, to, fmt, clerk.login if clerk else None, subscriber, given))
        if self.refuse:
            raise AddressRefused("not the subscriber's address")
        return to

    def deliver(self, clerk: Session, doc: Deliverable, method: DeliveryMethod, *,
                to: str | None = None, printer: str | None = None,
                given: bool = False) -> Delivered:
        self.sent.append((doc.path, doc.subscriber, method, to, printer, given))
        return Delivered(method, doc.path, "sent")


def test_an_address_refused_means_nothing_is_made() -> None:
    made, sent = Detalizations(), Deliveries(refuse=True)
    flow = DetalizationFlow(made, sent, ANNA)
    with pytest.raises(AddressRefused):
        flow.make(MARIA, PERIOD, Options(), "pdf",
                  Sending(DeliveryMethod.EMAIL, to="stranger@example.org"))
    assert made.orders == []
    # The address is held to R10 for this subscriber, by this clerk.
    assert sent.checks == [(DeliveryMethod.EMAIL, "stranger@example.org", "pdf", "anna", MARIA,
                            False)]


def test_made_then_delivered_the_same_file_again_after_a_failure() -> None:
    made, sent = Detalizations(), Deliveries()
    flow = DetalizationFlow(made, sent, ANNA)
    sending = Sending(DeliveryMethod.PAPER, printer="Counter-2")
    info = flow.make(MARIA, PERIOD, Options(), "pdf", sending)
    assert sent.checks == [(DeliveryMethod.PAPER, None, "pdf", None, "", False)]
    flow.deliver(info, sending)
    flow.deliver(info, sending)  # Retry after a jam: the same document
    assert len(made.orders) == 1
    assert sent.sent == [(Path("/documents/DET-1.pdf"), MARIA, DeliveryMethod.PAPER, None,
                          "Counter-2", False)] * 2


def test_only_saved_asks_nothing_of_the_delivery() -> None:
    made, sent = Detalizations(), Deliveries(refuse=True)
    flow = DetalizationFlow(made, sent, ANNA)
    info = flow.make(MARIA, PERIOD, Options(), "xlsx", SAVED, path=Path("/tmp/x.xlsx"))
    assert flow.deliver(info, SAVED) is None
    assert sent.checks == [] and sent.sent == []
    assert made.orders == [("anna", MARIA, PERIOD, "xlsx", Path("/tmp/x.xlsx"), None)]
