"""R10, the identity check, as plain data: what needs it, the documents a person presents, the
operator's record of the holder, and a recorded visit. No I/O (the store is
models/identity_store.py, the rule app/services/identity.py).

A document's number appears here only in `IdentityDocument`, which the operator's answer is
read into and compared in memory; it is never stored, logged or printed. A visit keeps a keyed
hash of the number and its last 4 characters only.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from enum import StrEnum


class Need(StrEnum):
    """What R10 guards (salon.ini `[identity] require_for` names these). The card's parts
    (balances, services, code, the mailing address) are withheld from a lookup until the
    check; the others are use cases refused without it."""

    BALANCES = "balances"  # the card's balances, packages, promised-payment debt
    SERVICES = "services"  # the card's connected services and the monthly cost they make
    USAGE = "usage"  # itemized usage records (what a detalization is made of)
    ARCHIVE = "archive"  # the subscriber's personal archive at the operator
    ADDRESS = "address"  # the subscriber's e-mail address the operator holds
    CODE = "code"  # the access code's state, its issue and its check
    CHANGES = "changes"  # tariff, service and Assistant changes
    DETALIZATION = "detalization"  # making an itemized report
    DELIVERY = "delivery"  # e-mailing a subscriber's document, the monthly subscription
    PICKUP = "pickup"  # handing over a paper detalization ordered online (R11)


ALL_NEEDS = tuple(Need)
# The parts of the card a lookup withholds until the check, in the card's order.
CARD_NEEDS = (Need.SERVICES, Need.BALANCES, Need.CODE, Need.ADDRESS)


class DocumentType(StrEnum):
    """Identity documents a salon accepts, by their TMF632 `identificationType` (the
    operator's words; resources/operator-api.md lists them)."""

    PASSPORT_RF = "passportRF"  # паспорт гражданина РФ
    INTERNATIONAL_PASSPORT_RF = "internationalPassportRF"  # заграничный паспорт гражданина РФ
    FOREIGN_PASSPORT = "foreignPassport"  # паспорт иностранного гражданина
    RESIDENCE_PERMIT = "residencePermit"  # вид на жительство
    TEMPORARY_RESIDENCE_PERMIT = "temporaryResidencePermit"  # разрешение на временное проживание
    MILITARY_ID = "militaryId"  # удостоверение личности военнослужащего


# The CLI's names (`salon identify --document passport-rf`), one per type.
DOCUMENT_OPTIONS = {
    "passport-rf": DocumentType.PASSPORT_RF,
    "international-passport-rf": DocumentType.INTERNATIONAL_PASSPORT_RF,
    "foreign-passport": DocumentType.FOREIGN_PASSPORT,
    "residence-permit": DocumentType.RESIDENCE_PERMIT,
    "temporary-residence-permit": DocumentType.TEMPORARY_RESIDENCE_PERMIT,
    "military-id": DocumentType.MILITARY_ID,
}


class Presenter(StrEnum):
    """Who presents the document: the holder of the contract, or their representative with a
    power of attorney."""

    HOLDER = "holder"
    REPRESENTATIVE = "representative"


@dataclass(frozen=True, repr=False)
class IdentityDocument:
    """One document of the operator's record. `number` is the number as the operator writes
    it; repr never shows it (a log line or a traceback naming the object shows nothing)."""

    kind: str  # the operator's identificationType; a kind the console does not know stays
    number: str

    def __repr__(self) -> str:
        return f"IdentityDocument(kind={self.kind!r}, number=<hidden>)"


@dataclass(frozen=True)
class HolderRecord:
    """The operator's record of the person using the line (TMF632 `individual`)."""

    verified: bool  # False: the operator marks the data unconfirmed (303-FZ; `initialized`)
    documents: tuple[IdentityDocument, ...]


@dataclass(frozen=True)
class PowerOfAttorney:
    number: str  # as written on it (not an identity document: recorded in the journal)
    issued: date


@dataclass(frozen=True)
class Visit:
    """A recorded identity check at one counter: it holds for one subscriber, for the clerk
    who made it, until `ends_at` or an earlier end (another subscriber, lock, sign-out)."""

    salon: str
    counter: str
    msisdn: str
    clerk: str
    presenter: Presenter
    document: DocumentType
    number_hash: str  # HMAC-SHA256 of the normalised number, under the identity key
    last4: str
    started_at: datetime
    ends_at: datetime
    poa_number: str = ""
    poa_date: date | None = None
    verified: bool = True  # False: the operator has not confirmed the data (303-FZ)
