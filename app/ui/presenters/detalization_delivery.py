"""How the detalization dialog speaks of delivery (R8), no tkinter: which of paper, e-mail and
the personal archive this console can do (and why not, when it cannot), and the line on the
done face while the document travels, once it has arrived, or why it has not.

The rules (which formats paper or the archive take, what an address looks like) are the
delivery service's (app/services/delivery.py); the dialog asks it and shows its sentences.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from enum import StrEnum

from app.i18n import _
from app.ui.presenters.detalization import SENT, Delivery
from app.ui.presenters.errors import MessageView

RETRY_KEY = "Ctrl+R"


def offered(available: Iterable[str] | None) -> dict[Delivery, str]:
    """Each choice the step shows → "" when it can be chosen, else why not (drawn disabled
    with that note). `available`: the delivery service's methods; None when the console has
    no delivery service at all, and then only the file and the screen are shown."""
    choices = {Delivery.FILE: "", Delivery.SCREEN: ""}
    if available is None:
        return choices
    values = {str(method) for method in available}
    for delivery in SENT:
        choices[delivery] = "" if delivery.value in values else unavailable_reason(delivery)
    return choices


def unavailable_reason(delivery: Delivery) -> str:
    """The delivery service's own sentences for a way it does not have."""
    if delivery is Delivery.PAPER:
        return _("Printing is not available in this console.")
    if delivery is Delivery.EMAIL:
        return _("E-mail is not set up at this salon: [email] host and from in salon.ini are "
                 "empty.")
    return _("The personal archive is not available in this console.")


class StatusKind(StrEnum):
    RUNNING = "running"
    DONE = "done"
    FAILED = "failed"


@dataclass(frozen=True)
class DeliveryStatus:
    text: str
    kind: StatusKind

    @property
    def can_retry(self) -> bool:
        return self.kind is StatusKind.FAILED


def delivering(delivery: Delivery) -> DeliveryStatus:
    texts = {
        Delivery.PAPER: _("Printing at the counter… (the printer is followed up to 10 "
                          "seconds)"),
        Delivery.EMAIL: _("Sending the e-mail…"),
        Delivery.ARCHIVE: _("Putting it into the personal archive…"),
    }
    return DeliveryStatus(texts[delivery], StatusKind.RUNNING)


def delivered(sentence: str) -> DeliveryStatus:
    """The service's sentence: printed, still printing, sent, archived until …"""
    return DeliveryStatus(sentence, StatusKind.DONE)


def delivery_failed(error: MessageView) -> DeliveryStatus:
    """The error's sentence (a failed print says where the document is kept) and how to try
    again: the same file, the detalization is not ordered twice."""
    again = _("{key}: the same file again, no new order.").format(key=RETRY_KEY)
    return DeliveryStatus(f"{error.text}\n{again}", StatusKind.FAILED)


def retry_note() -> str:
    """Retry's tooltip: what it does, and what it never does."""
    return _("the same document again; the detalization is not ordered again")
