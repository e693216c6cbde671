"""A detalization at the counter — written once, run by the window's Ctrl+D dialog (each step
on its BackgroundRunner) and by `salon detalization`:

    check_sending() ─▶ make() ─▶ deliver()   (deliver again after a failure: the same file)

Where the document goes is checked before anything is made (an e-mail address held to R10's
rule: the operator's, or one the identified holder gives at the counter; a printer; a format
the archive keeps), so nothing is ordered that could not be delivered; the document is made by
the detalization service (R7, R10 and the operator's numbers are its rules); a delivery that
fails leaves the document standing and is tried again with the same file, never a second
order."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Protocol

from app.services.delivery import Deliverable, Delivered, DeliveryMethod, for_detalization
from app.services.detalization import DocumentInfo, OrderProgress
from models.detalization import Options, Period
from models.domain import Session


class DetalizationSteps(Protocol):
    """What the flow asks of the detalization service (app/services/detalization.py)."""

    def order(self, clerk: Session, phone: str, period: Period, options: Options, fmt: str,
              path: Path | None = None, progress: OrderProgress | None = None, *,
              folder: Path | None = None) -> DocumentInfo: ...


class DeliverySteps(Protocol):
    """What the flow asks of the delivery service (app/services/delivery.py)."""

    def check(self, method: DeliveryMethod, *, to: str | None = None,
              fmt: str | None = None, clerk: Session | None = None, subscriber: str = "",
              given: bool = False) -> str | None: ...

    def deliver(self, clerk: Session, doc: Deliverable, method: DeliveryMethod, *,
                to: str | None = None, printer: str | None = None,
                given: bool = False) -> Delivered: ...


@dataclass(frozen=True)
class Sending:
    """Where the made document goes."""

    method: DeliveryMethod
    to: str | None = None  # the e-mail address
    given: bool = False  # R10: the identified holder gave `to` at the counter
    printer: str | None = None  # a CUPS queue other than the salon's


SAVED = Sending(DeliveryMethod.FILE)


class DetalizationFlow:
    def __init__(self, detalization: DetalizationSteps, delivery: DeliverySteps | None,
                 clerk: Session) -> None:
        self._detalization, self._delivery, self._clerk = detalization, delivery, clerk

    def check_sending(self, msisdn: str, sending: Sending, fmt: str) -> str | None:
        """Refuse what could not be delivered, before anything is made; the e-mail address
        as it will be used (None for the other ways). May ask the operator (the addresses it
        holds): on a worker only."""
        if sending.method is DeliveryMethod.FILE or self._delivery is None:
            return None
        if sending.method is DeliveryMethod.EMAIL:
            return self._delivery.check(sending.method, to=sending.to, fmt=fmt,
                                        clerk=self._clerk, subscriber=msisdn,
                                        given=sending.given)
        return self._delivery.check(sending.method, fmt=fmt)

    def make(self, msisdn: str, period: Period, options: Options, fmt: str, sending: Sending,
             *, path: Path | None = None, folder: Path | None = None,
             progress: OrderProgress | None = None) -> DocumentInfo:
        """Check where it goes, then make the document (at `path`, or in `folder` named by its
        id; by default the console's documents folder)."""
        self.check_sending(msisdn, sending, fmt)
        return self._detalization.order(self._clerk, msisdn, period, options, fmt, path,
                                        progress, folder=folder)

    def deliver(self, info: DocumentInfo, sending: Sending) -> Delivered | None:
        """The made document to where it was asked; None when it is only saved."""
        if sending.method is DeliveryMethod.FILE or self._delivery is None:
            return None
        return self._delivery.deliver(self._clerk, for_detalization(info), sending.method,
                                      to=sending.to, printer=sending.printer,
                                      given=sending.given)
