"""The identity check of a visit (R10), as the clerk records it — written once, run by the
window's F2 dialog (on its BackgroundRunner) and by `salon identify`: who presents which
document (the holder, or a representative with a power of attorney's number and date), then
the check itself with the number typed in a masked field or at a hidden prompt. The number is
a parameter of one call and is kept nowhere here; the service keeps a keyed hash and the last
4 characters (app/services/identity.py)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Protocol

from app.errors import InputError
from app.i18n import _
from models.domain import Session
from models.identity import DocumentType, PowerOfAttorney, Presenter, Visit


class IdentitySteps(Protocol):
    """What the flow asks of the identity service (app/services/identity.py satisfies it)."""

    def check(self, clerk: Session, msisdn: str, presenter: Presenter, document: DocumentType,
              number: str, poa: PowerOfAttorney | None = None) -> Visit: ...

    def end(self, clerk: Session, msisdn: str | None = None, *, why: str = "clerk") -> bool: ...


@dataclass(frozen=True)
class Presented:
    """Who presents which document, besides its number."""

    presenter: Presenter
    document: DocumentType
    poa: PowerOfAttorney | None


def presented(document: DocumentType | None, *, representative: bool,
              poa_number: str | None = None, poa_date: str | None = None) -> Presented:
    """The clerk's answers, checked before anything is recorded: a document chosen, and for a
    representative the power of attorney's number and date (YYYY-MM-DD, or DD.MM.YYYY as the
    screen writes dates). A holder's check has no power of attorney."""
    if document is None:
        raise InputError(_("Choose the document presented."))
    if not representative:
        return Presented(Presenter.HOLDER, document, None)
    number, written = (poa_number or "").strip(), (poa_date or "").strip()
    if not number or not written:
        raise InputError(_("A representative's check needs the power of attorney's number "
                           "and date; nothing was recorded."))
    return Presented(Presenter.REPRESENTATIVE, document,
                     PowerOfAttorney(number, poa_issued_on(written)))


def poa_issued_on(text: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError:
        pass
    try:  # as the screen writes dates: 01.10.2026
        day, month, year = (int(part) for part in text.split("."))
        return date(year, month, day)
    except ValueError:
        raise InputError(_("The power of attorney's date is written DD.MM.YYYY (or "
                           "YYYY-MM-DD); nothing was recorded.")) from None


class IdentityFlow:
    def __init__(self, identity: IdentitySteps, clerk: Session) -> None:
        self._identity, self._clerk = identity, clerk

    def check(self, msisdn: str, who: Presented, number: str) -> Visit:
        """Compared with the operator's record of the holder (a representative's is recorded
        with the power of attorney); a mismatch is refused and journaled by the service."""
        return self._identity.check(self._clerk, msisdn, who.presenter, who.document, number,
                                    who.poa)

    def end(self, msisdn: str) -> bool:
        """The subscriber left: the check no longer holds at this counter."""
        return self._identity.end(self._clerk, msisdn)
