"""The two pages R11 adds to a pick-up order (printing/slip.py lays them out, DejaVu Sans, the
salon's document style): the cover sheet printed ahead on top of the detalization, so the
order is found in the tray and on the shelf by its number; and the hand-over receipt, which
the subscriber or their representative signs.

Nothing here is secret: the number is masked, the identity document is named by its type and
its last 4 characters only (R10), as the journal names it.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING

from app import formatting
from app.config import SalonSettings
from app.document_names import document_name
from app.i18n import _
from models.detalization import mask_msisdn
from models.domain import Session
from models.identity import DocumentType, Presenter, Visit
from models.pickup import PickupOrder

if TYPE_CHECKING:
    from printing.slip import Slip


@dataclass(frozen=True)
class Presented:
    """Who presented a document at the hand-over (from the visit's check, R10)."""

    presenter: Presenter
    document: DocumentType
    last4: str
    poa_number: str = ""
    poa_date: str = ""  # YYYY-MM-DD

    @classmethod
    def of(cls, visit: Visit) -> Presented:
        return cls(visit.presenter, visit.document, visit.last4, visit.poa_number,
                   visit.poa_date.isoformat() if visit.poa_date else "")

    def journal_text(self) -> str:
        """As the identity check's journal entry says it: "holder passportRF *3456"."""
        text = f"{self.presenter.value} {self.document.value} *{self.last4}"
        if self.poa_number:
            text += f" poa {self.poa_number} {self.poa_date}"
        return text

    def sentence(self) -> str:
        document = document_name(self.document)
        if self.presenter is Presenter.HOLDER:
            return _("the holder, {document} ending in {last4}").format(
                document=document, last4=self.last4)
        day = self.poa_date
        if day:
            day = f"{day[8:10]}.{day[5:7]}.{day[0:4]}"  # YYYY-MM-DD as documents write it
        return _("a representative, {document} ending in {last4}, power of attorney {number} "
                 "of {date}").format(document=document, last4=self.last4,
                                     number=self.poa_number, date=day)


def period_text(order: PickupOrder) -> str:
    return f"{order.first:%d.%m.%Y} — {order.last:%d.%m.%Y}"


def _place(salon: SalonSettings) -> str:
    return _("{salon}, counter {counter}").format(salon=salon.id, counter=salon.counter)


def _subscriber_rows(order: PickupOrder) -> tuple[tuple[str, str], ...]:
    return ((_("Number"), mask_msisdn(order.msisdn)),
            (_("Full name"), order.name or "—"))


def cover_sheet(order: PickupOrder, salon: SalonSettings, clerk: Session, when: datetime,
                detalization_id: str) -> Slip:
    """The page on top of the printed detalization."""
    from printing.slip import Slip, SlipRow, SlipSection

    ordered = formatting.local_datetime(order.ordered_at, salon.timezone, with_zone=True)
    printed = formatting.local_datetime(when, salon.timezone, with_zone=True)
    return Slip(
        salon=salon.name,
        salon_detail=_place(salon),
        title=_("Pick-up order {order}").format(order=order.order_id),
        subtitle=_("Paper detalization ordered online for pick-up at this salon"),
        sections=(
            SlipSection(_("Subscriber"), tuple(SlipRow(label, value, strong=True)
                                               for label, value in _subscriber_rows(order))),
            SlipSection(_("The order"), (
                SlipRow(_("Order number"), order.order_id, strong=True),
                SlipRow(_("Period"), period_text(order)),
                SlipRow(_("Ordered"), ordered),
                SlipRow(_("Detalization"), detalization_id),
                SlipRow(_("Printed"), printed),
                SlipRow(_("Clerk"), clerk.full_name or clerk.login),
            )),
        ),
        notes=(_("Hand it over only after checking the identity document of the holder or of "
                 "a representative with a power of attorney (R10): salon pickup hand-over "
                 "{order}.").format(order=order.order_id),
               _("Secrecy of communications: keep it out of sight until it is handed over.")),
        signatures=(),
        footer=_("{salon}: pick-up order {order}.").format(salon=salon.name,
                                                           order=order.order_id),
        document_title=_("Pick-up order {order}").format(order=order.order_id),
        author=f"{salon.name} ({salon.id})",
        qr=False,  # the detalization under it carries its own; the cover is not verified
    )


def hand_over_receipt(order: PickupOrder, salon: SalonSettings, clerk: Session,
                      when: datetime, presented: Presented | None,
                      document_id: str) -> Slip:
    """The receipt the person who collects it signs."""
    from printing.slip import Slip, SlipRow, SlipSection

    at = formatting.local_datetime(when, salon.timezone, with_zone=True)
    who = presented.sentence() if presented is not None else _(
        "not checked: salon.ini [identity] require_for does not name pickup")
    clerk_name = f"{clerk.full_name} ({clerk.login})" if clerk.full_name else clerk.login
    return Slip(
        salon=salon.name,
        salon_detail=_place(salon),
        title=_("Receipt for a paper detalization"),
        subtitle=_("Pick-up order {order}, handed over {when}").format(
            order=order.order_id, when=at),
        sections=(
            SlipSection(_("Subscriber"), tuple(SlipRow(label, value)
                                               for label, value in _subscriber_rows(order))),
            SlipSection(_("Handed over"), (
                SlipRow(_("Order number"), order.order_id, strong=True),
                SlipRow(_("Detalization for the period"), period_text(order), strong=True),
                SlipRow(_("Presented by"), who),
            )),
            SlipSection(_("Done by"), (
                SlipRow(_("Clerk"), clerk_name),
                SlipRow(_("Salon"), _place(salon)),
                SlipRow(_("Date and time"), at),
            )),
        ),
        notes=(_("The detalization is secrecy of communications; it was handed over after "
                 "the identity document was checked (R10)."),),
        signatures=(_("Clerk's signature"), _("Received by (signature, full name)")),
        footer=_("Pick-up order {order} is closed at the operator as handed over.").format(
            order=order.order_id),
        document_title=_("Receipt for pick-up order {order}").format(order=order.order_id),
        author=f"{salon.name} ({salon.id})",
        document_id=document_id,
        verify_note=_("Receipt {id}; to check it: salon verify-document <file>").format(
            id=document_id),
    )
