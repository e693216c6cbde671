"""A fake detalization service for the GUI tests of what the real sandbox will not do on cue:
the operator unreachable, numbers that do not add up, a disk that refuses, an order that runs
until it is stopped. The rules themselves are the real service's (its module functions).
Likewise a fake delivery (paper, e-mail, archive answering on cue) and the printer's name."""

from __future__ import annotations

import threading
from dataclasses import dataclass, field, replace
from datetime import date
from pathlib import Path

from PIL import Image

from app.clock import SystemClock
from app.config import EmailSettings, SalonSettings
from app.errors import RuleRefused, SalonError
from app.i18n import _
from app.services.delivery import Deliverable, Delivered, DeliveryMethod, DeliveryService
from app.services.detalization import DocumentInfo, checked_folder
from app.services.email import EmailService, mask_email
from app.services.usage_sync import OrderProgress
from models.detalization import Options, Period
from models.domain import Session, Subscriber
from models.printing import PrinterChoice
from tests.support.identity import IDENTIFIED
from tests.unit.test_detalization_model import report_of

TODAY = date(2026, 11, 23)


@dataclass
class FakeDetalization:
    documents: Path
    errors: list[BaseException] = field(default_factory=list)  # raised by the next orders
    hold: bool = False  # the next order reports progress until it is stopped
    running: threading.Event = field(default_factory=threading.Event)
    ordered: list[tuple[str, Period, Options, str, Path | None]] = field(default_factory=list)
    threads: set[str] = field(default_factory=set)
    retention_days: int = 3

    @property
    def documents_folder(self) -> Path:
        return self.documents

    def today(self, timezone: str) -> date:
        return TODAY

    def check_period(self, period: Period, timezone: str) -> None:
        from app.services.detalization import _check_not_future, _check_order

        _check_order(period)
        _check_not_future(period, TODAY)

    def check_folder(self, folder: Path) -> Path:
        return checked_folder(folder.expanduser().resolve())

    def check_region(self, subscriber: Subscriber) -> None:
        if subscriber.region.code != "RU-MOW":
            raise RuleRefused(f"R7: {subscriber.region.name}", rule="R7")

    def order(self, clerk: Session, phone: str, period: Period, options: Options, fmt: str,
              path: Path | None = None, progress: OrderProgress | None = None, *,
              folder: Path | None = None) -> DocumentInfo:
        self.threads.add(threading.current_thread().name)
        self.ordered.append((phone, period, options, fmt, folder))
        assert progress is not None
        self.running.set()
        try:
            progress("fetch", 0, period.days)
            if self.hold:
                done = 0
                while True:  # until the progress callback raises (the clerk's Stop)
                    done = (done + 1) % period.days
                    progress("fetch", done, period.days)
                    threading.Event().wait(0.01)
            if self.errors:
                raise self.errors.pop(0)
            progress("render", 3, 3)
        finally:
            self.running.clear()
        rows = [(1_790_000_000 + i * 60, "call", "out", "+79035550101", 60, None, 1500, None,
                 f"id-{i}") for i in range(3)]
        report = replace(report_of(rows, 100_000, options), period=period)
        target = (folder or self.documents) / f"{report.document_id}.{fmt}"
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text("fake", encoding="utf-8")
        return DocumentInfo(report.document_id, "0" * 64, target, fmt, period, phone,
                            len(report.rows), report)

    def preview_png(self, info: DocumentInfo, target: Path, dpi: int = 60) -> Path:
        if not info.path.exists():
            raise SalonError("the document is gone")
        Image.new("RGB", (round(8.27 * dpi), round(11.69 * dpi)), "white").save(target)
        return target


@dataclass
class FakeDelivery:
    """The dialog's DeliveryPort: the delivery service's real rules for `check` (a real
    DeliveryService whose ways only need to exist), and a scripted `deliver` that records what
    it was handed and answers with the service's sentences."""

    salon: SalonSettings
    methods: tuple[DeliveryMethod, ...] = tuple(DeliveryMethod)
    errors: list[BaseException] = field(default_factory=list)  # raised by the next delivers
    delivered: list[tuple[Deliverable, DeliveryMethod, str | None]] = field(
        default_factory=list)
    threads: set[str] = field(default_factory=set)
    hold: threading.Event | None = None  # when set up, each deliver waits until it is set
    # R10's address checks asked before the order (to, subscriber, given), and a refusal
    # the next one raises when set up
    address_checks: list[tuple[str | None, str, bool]] = field(default_factory=list)
    address_refusal: BaseException | None = None

    def available(self) -> tuple[DeliveryMethod, ...]:
        return self.methods

    def check(self, method: DeliveryMethod, *, to: str | None = None,
              fmt: str | None = None, clerk: Session | None = None, subscriber: str = "",
              given: bool = False) -> str | None:
        if clerk is not None:
            self.address_checks.append((to, subscriber, given))
        # A relay that is never used: check() only asks whether there is one.
        email = EmailService(object(), EmailSettings(  # type: ignore[arg-type]
            host="relay.example", from_address="salon@example.ru"), self.salon,
            clock=SystemClock(), identity=IDENTIFIED)  # check() never reads it
        rules = DeliveryService(self.salon, printing=object(), email=email,  # type: ignore[arg-type]
                                archive=object())  # type: ignore[arg-type]
        if clerk is not None and self.address_refusal is not None:
            raise self.address_refusal
        return rules.check(method, to=to, fmt=fmt)

    def deliver(self, clerk: Session, doc: Deliverable, method: DeliveryMethod, *,
                to: str | None = None, printer: str | None = None,
                given: bool = False) -> Delivered:
        self.threads.add(threading.current_thread().name)
        if self.hold is not None:
            self.hold.wait(timeout=30)
        self.delivered.append((doc, method, to))
        if self.errors:
            raise self.errors.pop(0)
        if method is DeliveryMethod.PAPER:
            sentence = _("Printed on «{printer}» (print job {job}).").format(
                printer="Counter1", job=len(self.delivered))
        elif method is DeliveryMethod.EMAIL:
            assert to is not None
            sentence = _("Sent by e-mail to {address}.").format(address=mask_email(to))
        else:
            sentence = _("Put into the subscriber's personal archive as {id}; it can be fetched "
                         "until {until} (the archive keeps documents 3 days, R9).").format(
                id="DOC-7", until="26.11.2026 12:00")
        return Delivered(method, doc.path, sentence)


@dataclass
class FakePrinting:
    """The PrinterPort: the counter's printer as salon.ini names it."""

    name: str | None = "Counter1"

    def choice(self) -> PrinterChoice:
        return PrinterChoice(self.name, "salon.ini" if self.name else "")
