"""Use case: the clerk types a number and sees the subscriber's card.

Live from the operator API when it answers; otherwise the last saved card, marked with its
age, so the counter keeps working through a network outage (DESIGN §5). Every call names the
signed-in clerk who makes it (the journal records who looked at whom).

The card and the balances are independent requests to the operator: both are asked at once
(the balances on a helper thread), so a live card takes the slower of the two, not their sum.
"""

from __future__ import annotations

import logging
from concurrent.futures import ThreadPoolExecutor
from dataclasses import replace
from typing import Protocol

from app.clock import Clock
from app.errors import BadPhoneNumber, OperatorUnavailable, SalonError, SubscriberNotFound
from app.formatting import mask_email
from app.i18n import _
from app.phone import parse_msisdn
from app.services.clerks import require_clerk
from app.services.connection import ConnectionState
from app.services.identity import IdentityGate
from app.services.journaling import Journal, journaled
from app.services.recipients import ContactReads
from models.audit_codes import AuditAction
from models.domain import Balances, Session, Subscriber, SubscriberCard
from models.identity import Need

log = logging.getLogger(__name__)


class SubscriberReads(Protocol):
    """The part of the operator API a lookup needs."""

    def subscriber(self, msisdn: str) -> Subscriber: ...

    def balances(self, msisdn: str) -> Balances: ...


class CardCache(Protocol):
    def get(self, msisdn: str) -> SubscriberCard | None: ...

    def put(self, card: SubscriberCard) -> None: ...

    def forget(self, msisdn: str) -> None: ...


class LookupService:
    def __init__(
        self,
        api: SubscriberReads,
        cache: CardCache,
        connection: ConnectionState,
        clock: Clock,
        journal: Journal | None = None,
        *,
        identity: IdentityGate,
        contacts: ContactReads | None = None,
    ) -> None:
        """`identity`: R10 — the card's parts that wait for this visit's identity check are
        left out of what a lookup returns (app/services/identity.py). `contacts`: the
        operator's e-mail addresses of a subscriber, shown masked as the card's mailing
        address once R10 lets it (None: the card has none)."""
        self._identity = identity
        self._contacts = contacts
        self._api = api
        self._cache = cache
        self._connection = connection
        self._clock = clock
        self._journal = journal

    def lookup(self, phone_text: str, clerk: Session) -> SubscriberCard:
        """The card for a number as typed, looked up by `clerk`; raises NotSignedIn,
        BadPhoneNumber, SubscriberNotFound, OperatorUnavailable (only when there is no saved
        card to fall back on). Every attempt by a signed-in clerk goes into the journal."""
        require_clerk(clerk)
        with journaled(self._journal, clerk.login, AuditAction.LOOKUP,
                       reason_for=_journal_reason) as outcome:
            outcome.subscriber = parse_msisdn(phone_text)
            # R10: the mailing address is asked for only when the card may show it.
            mailing = (self._contacts is not None and Need.ADDRESS not in
                       self._identity.withheld(clerk, outcome.subscriber))
            card = self._lookup(outcome.subscriber, mailing)
            outcome.detail = card.source  # "api", or "cache" when served offline
        return self._withheld(card, clerk)

    def _withheld(self, card: SubscriberCard, clerk: Session) -> SubscriberCard:
        """R10: another subscriber's visit at this counter ends with this lookup; what waits
        for the identity check is left out of the card the clerk gets (the saved card keeps
        it, for this subscriber's next visit offline)."""
        msisdn = card.subscriber.msisdn
        self._identity.looked_up(clerk, msisdn)
        waiting = {need.value for need in self._identity.withheld(clerk, msisdn)}
        if not waiting:
            return card
        subscriber = card.subscriber
        if "services" in waiting:
            subscriber = replace(subscriber, services=())
        if "code" in waiting:
            subscriber = replace(subscriber, assistant_connected=False)
        return replace(card, subscriber=subscriber,
                       mailing=None if "address" in waiting else card.mailing,
                       balances=None if "balances" in waiting else card.balances,
                       withheld=tuple(sorted(waiting)))

    def _lookup(self, msisdn: str, mailing: bool = False) -> SubscriberCard:
        try:
            subscriber, balances, verified, addresses = self._read_card(msisdn, mailing)
        except SubscriberNotFound:
            self._connection.mark_online()
            self._cache.forget(msisdn)
            raise
        except OperatorUnavailable as error:
            self._connection.mark_offline(str(error))
            cached = self._cache.get(msisdn)
            if cached is None:
                raise OperatorUnavailable(
                    _("{reason} There is no saved card for this number yet; "
                      "try again when the connection is back.").format(reason=error)
                ) from error
            return replace(cached, source="cache")
        self._connection.mark_online()
        card = SubscriberCard(subscriber, balances, fetched_at=self._clock.now(), source="api")
        self._cache.put(card)  # never the addresses: a saved card has no mailing address
        return replace(card, verified=verified, mailing=addresses)

    def _read_card(self, msisdn: str, mailing: bool
                   ) -> tuple[Subscriber, Balances, bool | None, tuple[str, ...] | None]:
        """The subscriber, their balances and whether the operator confirmed their data
        (303-FZ), asked for at once. When the card and the balances both fail, the card's
        error is the one raised (as when they were asked one after the other); either way
        this returns only once every request has ended (each within its deadline)."""
        with ThreadPoolExecutor(max_workers=3, thread_name_prefix="lookup-balances") as pool:
            balances = pool.submit(self._api.balances, msisdn)
            verified = pool.submit(self._verified, msisdn)
            addresses = pool.submit(self._mailing, msisdn) if mailing else None
            subscriber = self._api.subscriber(msisdn)
        return (subscriber, balances.result(), verified.result(),
                addresses.result() if addresses is not None else None)

    def _mailing(self, msisdn: str) -> tuple[str, ...] | None:
        """The operator's addresses, masked; None when they cannot be read now (the card
        still shows, without them)."""
        assert self._contacts is not None
        try:
            return tuple(mask_email(address) for address in self._contacts.email_addresses(msisdn))
        except SalonError as error:
            log.warning("the subscriber's e-mail addresses could not be read: %s", error)
            return None

    def _verified(self, msisdn: str) -> bool | None:
        """303-FZ state; None when it cannot be read now (the card still shows, withheld)."""
        try:
            return self._identity.holder_verified(msisdn)
        except SalonError as error:
            log.warning("the subscriber's identity state could not be read: %s", error)
            return None

    def check_connection(self) -> None:
        """Ask the operator whether it answers (GET /health), so the window's dot says so
        before the first lookup. Never raises: the dot is the answer."""
        health = getattr(self._api, "health", None)  # an operator port without it: unknown
        if health is None:
            return
        try:
            health()
        except OperatorUnavailable as error:
            self._connection.mark_offline(str(error))
        except SalonError as error:  # it answered, in a way it should not: reachable
            log.warning("health check: %s", error)
            self._connection.mark_online()
        else:
            self._connection.mark_online()

    def saved_card(self, phone_text: str, clerk: Session) -> SubscriberCard | None:
        """The saved card without asking the API (what is shown instantly while it loads)."""
        require_clerk(clerk)
        cached = self._cache.get(parse_msisdn(phone_text))
        return replace(cached, source="cache") if cached else None


def _journal_reason(error: BaseException) -> str:
    # What the clerk typed stays out of the journal: the phone field may receive anything.
    if isinstance(error, BadPhoneNumber):
        return "malformed number"
    return str(error) if isinstance(error, SalonError) else type(error).__name__
