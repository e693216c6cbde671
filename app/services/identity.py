"""Use case R10: who stands at the counter. The clerk records the identity check of the holder,
or of a representative with a power of attorney, once per visit; every use case that needs it
(salon.ini `[identity] require_for`) calls `require` here, inside the service layer, so the
window and the `salon` command cannot differ.

- The holder's document (type and number) is compared with the operator's record (TMF632
  `individualIdentification`, app/operator_api/identity.py), normalised to its letters and
  digits. A representative's document is not the operator's to compare: it is recorded with the
  power of attorney's number and date.
- The typed number is a `str` that lives only in `check`: the store keeps an HMAC-SHA256 of it
  under a key in the keyring (app/services/audit_keys.py `identity_key`) and its last 4
  characters; the journal the last 4 only.
- A visit holds at one counter for one subscriber and the clerk who checked: until another
  subscriber is looked up there, the screen locks, the clerk signs out, the clerk ends it, or
  `[identity] visit_minutes` pass (by the console's clock).
- More than MISMATCH_LIMIT mismatches for one subscriber within an hour: further checks are
  refused (IdentityLocked) until a manager signs in at the counter where they happened.
- A subscriber whose data the operator has not confirmed (303-FZ, TMF632 `initialized`) is
  shown as unverified; the check is the only thing offered: every need is refused.
"""

from __future__ import annotations

import hashlib
import hmac
import logging
import re
from collections.abc import Callable
from datetime import datetime, timedelta
from typing import Protocol
from zoneinfo import ZoneInfo

from app.clock import Clock
from app.config import IdentitySettings
from app.errors import IdentityLocked, IdentityMismatch, IdentityRequired, InputError
from app.i18n import _
from app.phone import format_msisdn
from app.services.clerks import require_clerk
from app.services.journaling import Journal
from models.audit_codes import AuditAction, AuditResult
from models.domain import ClerkRole, Session
from models.identity import (
    CARD_NEEDS,
    DocumentType,
    HolderRecord,
    Need,
    PowerOfAttorney,
    Presenter,
    Visit,
)

log = logging.getLogger(__name__)

MISMATCH_LIMIT = 5  # mismatches for one subscriber within MISMATCH_WINDOW; then locked
MISMATCH_WINDOW = timedelta(hours=1)
_NOT_LETTER_OR_DIGIT = re.compile(r"[^0-9A-Za-zА-Яа-яЁё]")
_POA_NUMBER = re.compile(r"[0-9A-Za-zА-Яа-яЁё№ ./\-]{1,64}")


class HolderReads(Protocol):
    """The part of the operator API the check needs (app/operator_api/identity.py)."""

    def holder_record(self, msisdn: str) -> HolderRecord: ...


class IdentityGate(Protocol):
    """What the other use cases need of R10 (IdentityService; a test's stand-in)."""

    def require(self, clerk: Session, msisdn: str, *needs: Need) -> None: ...

    def withheld(self, clerk: Session, msisdn: str) -> tuple[Need, ...]: ...

    def looked_up(self, clerk: Session, msisdn: str) -> None: ...

    def holder_verified(self, msisdn: str) -> bool: ...

    def needed(self, need: Need) -> bool: ...

    def visit_subscriber(self, clerk: Session) -> str | None: ...

    def visit_of(self, clerk: Session, msisdn: str) -> Visit | None: ...


class IdentityStore(Protocol):
    """This counter's visit and the store's mismatches (models/identity_store.py)."""

    def visit(self) -> Visit | None: ...

    def start(self, visit: Visit) -> None: ...

    def end(self) -> bool: ...

    def add_mismatch(self, msisdn: str, clerk: str, at: datetime) -> None: ...

    def mismatches_since(self, msisdn: str, since: datetime) -> int: ...

    def clear_mismatches(self) -> int: ...


def normalised(number: str) -> str:
    """A document number as compared and hashed: its letters and digits (0-9 only), upper
    case — "4510 123456", "4510-123456" and "4510123456" are one number."""
    return _NOT_LETTER_OR_DIGIT.sub("", number).upper().replace("Ё", "Е")


class IdentityService:
    def __init__(self, api: HolderReads, store: IdentityStore, key: Callable[[], bytes],
                 clock: Clock, *, settings: IdentitySettings, salon: str, counter: str,
                 timezone: str, journal: Journal | None = None) -> None:
        """`key`: the hashes' key, asked when a check is recorded (it comes from the keyring,
        which a lookup does not need to touch)."""
        self._api = api
        self._store = store
        self._key = key
        self._clock = clock
        self._required = frozenset(Need(need) for need in settings.require_for)
        self._visit_length = timedelta(minutes=settings.visit_minutes)
        self._salon, self._counter = salon, counter
        self._zone = ZoneInfo(timezone)
        self._journal = journal

    # -- what needs it -------------------------------------------------------------------------

    def needed(self, need: Need) -> bool:
        """Whether salon.ini's `[identity] require_for` names `need`."""
        return need in self._required

    def require(self, clerk: Session, msisdn: str, *needs: Need) -> None:
        """Pass when none of `needs` waits for R10, or this visit's check at this counter is
        of `msisdn`, by `clerk`, still running; else IdentityRequired naming R10 and the need.
        The one gate every use case passes (app/services/*), for window and CLI alike."""
        waiting = [need for need in needs if need in self._required]
        if not waiting:
            return
        require_clerk(clerk)
        visit = self.visit_of(clerk, msisdn)
        if visit is not None and not visit.verified:
            raise IdentityRequired(_(
                "R10: the operator has not confirmed this subscriber's data (303-FZ): only the "
                "identity check is offered until the subscriber confirms it."),
                need=waiting[0].value)
        if visit is None:
            raise identity_required(msisdn, waiting[0])

    def withheld(self, clerk: Session, msisdn: str) -> tuple[Need, ...]:
        """The card's parts that wait for the check now (in the card's order)."""
        waiting = tuple(need for need in CARD_NEEDS if need in self._required)
        visit = self.visit_of(clerk, msisdn)
        if not waiting or (visit is not None and visit.verified):
            return ()
        return waiting

    def visit_subscriber(self, clerk: Session) -> str | None:
        """The subscriber of this counter's running visit checked by `clerk`, if any."""
        visit = self._store.visit()
        if visit is None or visit.clerk != clerk.login or self._clock.now() >= visit.ends_at:
            return None
        return visit.msisdn

    def visit_of(self, clerk: Session, msisdn: str) -> Visit | None:
        """This counter's running visit, when it is `msisdn`'s and was checked by `clerk`."""
        visit = self._store.visit()
        if visit is None or visit.msisdn != msisdn or visit.clerk != clerk.login:
            return None
        if self._clock.now() >= visit.ends_at:
            return None
        return visit

    # -- the check ----------------------------------------------------------------------------

    def check(self, clerk: Session, msisdn: str, presenter: Presenter, document: DocumentType,
              number: str, poa: PowerOfAttorney | None = None) -> Visit:
        """Record the identity check of this visit: IdentityMismatch when the holder's document
        is not the operator's record, IdentityLocked after too many mismatches, InputError for
        a malformed number or power of attorney (nothing recorded). Journaled either way."""
        require_clerk(clerk)
        digits = normalised(number)
        if not 4 <= len(digits) <= 20:
            raise InputError(_("A document number has 4 to 20 letters and digits; "
                               "nothing was recorded."))
        last4 = digits[-4:]
        poa = self._checked_poa(presenter, poa)
        detail = _detail(presenter, document, last4, poa)
        now = self._clock.now()
        if self._store.mismatches_since(msisdn, now - MISMATCH_WINDOW) >= MISMATCH_LIMIT:
            self._record(clerk, msisdn, AuditResult.REFUSED, detail, "locked")
            raise IdentityLocked(_(
                "R10: too many documents for {number} did not match within an hour; checks "
                "are refused until a manager signs in at this counter.").format(
                    number=format_msisdn(msisdn)))
        record = self._api.holder_record(msisdn)
        if presenter is Presenter.HOLDER and not _matches(record, document, digits):
            self._store.add_mismatch(msisdn, clerk.login, now)
            self._record(clerk, msisdn, AuditResult.REFUSED, detail, "mismatch")
            raise IdentityMismatch(_(
                "R10: this document does not match the operator's record of the subscriber "
                "{number}. Nothing personal is shown; check the document again.").format(
                    number=format_msisdn(msisdn)))
        visit = Visit(
            salon=self._salon, counter=self._counter, msisdn=msisdn, clerk=clerk.login,
            presenter=presenter, document=document, number_hash=self._hash(document, digits),
            last4=last4, started_at=now, ends_at=now + self._visit_length,
            poa_number=poa.number if poa else "", poa_date=poa.issued if poa else None,
            verified=record.verified)
        self._store.start(visit)
        self._record(clerk, msisdn, AuditResult.DONE, detail,
                     "" if record.verified else "unverified")
        if not record.verified:
            log.info("identity checked for an unverified subscriber (303-FZ)")
        return visit

    def holder_verified(self, msisdn: str) -> bool:
        """Whether the operator has confirmed the subscriber's data (303-FZ)."""
        return self._api.holder_record(msisdn).verified

    # -- the visit's end ------------------------------------------------------------------------

    def end(self, clerk: Session, msisdn: str | None = None, *, why: str = "clerk") -> bool:
        """End this counter's visit (of `msisdn` only, when given); True when one ended.
        `why`: clerk, another subscriber, lock, sign-out — journaled."""
        visit = self._store.visit()
        if visit is None or (msisdn is not None and visit.msisdn != msisdn):
            return False
        ended = self._store.end()
        if ended and self._clock.now() < visit.ends_at:
            self._record(clerk, visit.msisdn, AuditResult.DONE, why, "",
                         AuditAction.IDENTITY_END)
        return ended

    def looked_up(self, clerk: Session, msisdn: str) -> None:
        """A lookup of `msisdn` at this counter: a visit of another subscriber ends."""
        visit = self._store.visit()
        if visit is not None and visit.msisdn != msisdn:
            self.end(clerk, why="another subscriber")

    def session_event(self, session: Session, event: str) -> None:
        """ClerkService tells of sign-ins, sign-outs and locks at this counter: a sign-out or
        the lock screen ends the visit; a manager's sign-in lifts the mismatch lock here."""
        if event in ("sign_out", "lock"):
            self.end(session, why=event)
        elif event == "sign_in" and session.role is ClerkRole.MANAGER:
            cleared = self._store.clear_mismatches()
            if cleared:
                log.info("a manager signed in: %d identity mismatches no longer lock", cleared)

    # -- parts ----------------------------------------------------------------------------------

    def _checked_poa(self, presenter: Presenter,
                     poa: PowerOfAttorney | None) -> PowerOfAttorney | None:
        if presenter is Presenter.HOLDER:
            if poa is not None:
                raise InputError(_("A power of attorney is given only for a representative "
                                   "(--representative); nothing was recorded."))
            return None
        if poa is None:
            raise InputError(_("A representative's check needs the power of attorney's "
                               "number and date; nothing was recorded."))
        number = " ".join(poa.number.split())
        if not _POA_NUMBER.fullmatch(number):
            raise InputError(_("The power of attorney's number has 1 to 64 letters, digits, "
                               "spaces and . / - №; nothing was recorded."))
        today = self._clock.now().astimezone(self._zone).date()
        if poa.issued > today:
            raise InputError(_("The power of attorney is dated {date}, which has not come "
                               "yet; nothing was recorded.").format(date=poa.issued.isoformat()))
        return PowerOfAttorney(number, poa.issued)

    def _hash(self, document: DocumentType, digits: str) -> str:
        message = f"{document.value}:{digits}".encode()
        return hmac.new(self._key(), message, hashlib.sha256).hexdigest()

    def _record(self, clerk: Session, msisdn: str, result: AuditResult, detail: str,
                reason: str, action: AuditAction = AuditAction.IDENTITY_CHECK) -> None:
        if self._journal is not None:
            self._journal.record(clerk.login, action, result, subscriber=msisdn, detail=detail,
                                 reason=reason)


def identity_required(msisdn: str, need: Need) -> IdentityRequired:
    """R10's refusal: `need` waits for this visit's identity check of `msisdn`."""
    return IdentityRequired(_(
        "R10: the subscriber's identity has not been checked in this visit. Check the "
        "identity document of the holder or of their representative first (F2, or "
        "salon identify {number} --document TYPE).").format(number=msisdn), need=need.value)


def _matches(record: HolderRecord, document: DocumentType, digits: str) -> bool:
    """The typed document is one of the operator's record, compared in memory: the same type
    and the same letters and digits (compare_digest: as long whatever matches)."""
    return any(held.kind == document.value
               and hmac.compare_digest(normalised(held.number).encode(), digits.encode())
               for held in record.documents)


def _detail(presenter: Presenter, document: DocumentType, last4: str,
            poa: PowerOfAttorney | None) -> str:
    """The journal's detail: "holder passportRF *3456", or "representative passportRF *3456
    poa 77АБ1234567 2026-10-01" — the last 4 characters of the number, never more."""
    detail = f"{presenter.value} {document.value} *{last4}"
    if poa is not None:
        detail += f" poa {poa.number} {poa.issued.isoformat()}"
    return detail
