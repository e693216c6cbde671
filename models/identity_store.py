"""R10's rows in the local store (migration 10): the identity check of the visit at each counter
(one row per counter: a counter serves one subscriber at a time), and each mismatch, which
counts towards a subscriber's lock. Counters sharing one PostgreSQL store share the mismatches,
so a subscriber's lock holds at every counter of the store.

Never a document number here: the visit keeps a keyed hash and the last 4 characters.
"""

from __future__ import annotations

from datetime import date, datetime

from peewee import (
    AutoField,
    BooleanField,
    CharField,
    CompositeKey,
    DateField,
    DateTimeField,
    Field,
)

from models.identity import DocumentType, Presenter, Visit
from models.stored_time import from_stored, to_stored
from models.tables import BaseModel


class IdentityVisit(BaseModel):
    salon = CharField(max_length=64)
    counter = CharField(max_length=16)
    msisdn = CharField(max_length=16)
    clerk = CharField(max_length=64)
    presenter = CharField(max_length=16)
    document = CharField(max_length=40)
    number_hash = CharField(max_length=64)
    last4 = CharField(max_length=4)
    poa_number = CharField(max_length=64, default="")
    poa_date = DateField(null=True)
    verified = BooleanField(default=True)
    started_at = DateTimeField()
    ends_at = DateTimeField()

    class Meta:
        table_name = "identity_visit"
        primary_key = CompositeKey("salon", "counter")


class IdentityMismatchRow(BaseModel):
    id = AutoField()
    msisdn = CharField(max_length=16)
    salon = CharField(max_length=64)
    counter = CharField(max_length=16)
    clerk = CharField(max_length=64)
    at = DateTimeField()
    cleared = BooleanField(default=False)

    class Meta:
        table_name = "identity_mismatch"


class StoreIdentity:
    """The IdentityStore of app/services/identity.py, for one counter."""

    def __init__(self, salon: str, counter: str) -> None:
        self._salon, self._counter = salon, counter

    def visit(self) -> Visit | None:
        row = IdentityVisit.get_or_none((IdentityVisit.salon == self._salon)
                                        & (IdentityVisit.counter == self._counter))
        if row is None:
            return None
        return Visit(
            salon=row.salon, counter=row.counter, msisdn=row.msisdn, clerk=row.clerk,
            presenter=Presenter(row.presenter), document=DocumentType(row.document),
            number_hash=row.number_hash, last4=row.last4,
            started_at=from_stored(row.started_at), ends_at=from_stored(row.ends_at),
            poa_number=row.poa_number, poa_date=_date(row.poa_date),
            verified=bool(row.verified))

    def start(self, visit: Visit) -> None:
        """This counter's visit is now `visit` (any earlier one ends)."""
        values: dict[Field, object] = {
            IdentityVisit.msisdn: visit.msisdn, IdentityVisit.clerk: visit.clerk,
            IdentityVisit.presenter: visit.presenter.value,
            IdentityVisit.document: visit.document.value,
            IdentityVisit.number_hash: visit.number_hash, IdentityVisit.last4: visit.last4,
            IdentityVisit.poa_number: visit.poa_number, IdentityVisit.poa_date: visit.poa_date,
            IdentityVisit.verified: visit.verified,
            IdentityVisit.started_at: to_stored(visit.started_at),
            IdentityVisit.ends_at: to_stored(visit.ends_at),
        }
        IdentityVisit.insert(salon=self._salon, counter=self._counter,
                             **{field.name: value for field, value in values.items()}
                             ).on_conflict(
            conflict_target=[IdentityVisit.salon, IdentityVisit.counter],
            update=values).execute()

    def end(self) -> bool:
        """End this counter's visit; True when there was one."""
        removed: int = IdentityVisit.delete().where(
            (IdentityVisit.salon == self._salon)
            & (IdentityVisit.counter == self._counter)).execute()
        return removed > 0

    def add_mismatch(self, msisdn: str, clerk: str, at: datetime) -> None:
        IdentityMismatchRow.create(msisdn=msisdn, salon=self._salon, counter=self._counter,
                                   clerk=clerk, at=to_stored(at))

    def mismatches_since(self, msisdn: str, since: datetime) -> int:
        """The subscriber's mismatches after `since` not cleared by a manager, at any counter
        of the store."""
        count: int = IdentityMismatchRow.select().where(
            (IdentityMismatchRow.msisdn == msisdn)
            & (IdentityMismatchRow.at > to_stored(since))
            & (IdentityMismatchRow.cleared == False)  # noqa: E712 - peewee builds SQL from ==
        ).count()
        return count

    def clear_mismatches(self) -> int:
        """A manager signed in at this counter: the mismatches made here no longer lock."""
        cleared: int = IdentityMismatchRow.update(cleared=True).where(
            (IdentityMismatchRow.salon == self._salon)
            & (IdentityMismatchRow.counter == self._counter)
            & (IdentityMismatchRow.cleared == False)).execute()  # noqa: E712
        return cleared


def _date(value: date | str | None) -> date | None:
    if value is None or isinstance(value, date):
        return value
    return date.fromisoformat(value)
