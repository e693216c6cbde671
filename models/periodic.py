"""Periodic e-mail delivery in the local store (schema: migrations step 6): subscriptions, and
one row per (subscription, month) — the claim that makes a month's letter go out once.

A claim is one statement: INSERT … ON CONFLICT DO NOTHING for a month never tried, or an
UPDATE guarded by its state for a month whose sender's lease ran out or whose retry is due.
Finishing is a compare-and-set on (owner, attempts), so a sender whose lease was taken over
cannot overwrite the newer outcome. Several counters sharing one PostgreSQL get the same
guarantee from the same statements. Times are naive UTC in the table.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from peewee import (
    AutoField,
    BooleanField,
    CharField,
    DateTimeField,
    ForeignKeyField,
    IntegerField,
    IntegrityError,
    TextField,
)

from models.tables import BaseModel

SENDING, SENT, FAILED = "sending", "sent", "failed"


@dataclass(frozen=True)
class Subscription:
    id: int
    msisdn: str  # E.164; masked (+7 916 ***-**-67) once removed
    email: str  # "" once removed: the address is not kept after that
    format: str
    first_period: str  # YYYY-MM: the first month delivered
    created_by: str
    created_at: datetime
    active: bool


@dataclass(frozen=True)
class PeriodRun:
    id: int
    subscription_id: int
    period: str
    state: str
    attempts: int
    owner: str
    claimed_at: datetime
    lease_until: datetime | None
    next_attempt_at: datetime | None
    sent_at: datetime | None
    document_id: str | None
    message_id: str | None
    last_error: str


class SubscriptionRow(BaseModel):
    id = AutoField()
    msisdn = CharField(max_length=16)
    email = CharField(max_length=254)
    format = CharField(max_length=8)
    first_period = CharField(max_length=7)
    created_by = CharField(max_length=64)
    created_at = DateTimeField()
    active = BooleanField(default=True)
    removed_at = DateTimeField(null=True)
    removed_by = CharField(max_length=64, null=True)

    class Meta:
        table_name = "delivery_subscription"


class PeriodRow(BaseModel):
    id = AutoField()
    subscription = ForeignKeyField(SubscriptionRow, column_name="subscription_id")
    period = CharField(max_length=7)
    state = CharField(max_length=16)
    attempts = IntegerField(default=0)
    owner = CharField(max_length=200, default="")
    claimed_at = DateTimeField()
    lease_until = DateTimeField(null=True)
    next_attempt_at = DateTimeField(null=True)
    sent_at = DateTimeField(null=True)
    document_id = CharField(max_length=40, null=True)
    message_id = CharField(max_length=200, null=True)
    last_error = TextField(default="")

    class Meta:
        table_name = "periodic_delivery"


def _naive(moment: datetime | None) -> datetime | None:
    return None if moment is None else moment.astimezone(UTC).replace(tzinfo=None)


def _aware(moment: Any) -> datetime | None:
    return None if moment is None else _when(moment)


def _when(moment: Any) -> datetime:
    """A stored time, aware (SQLite hands back text, PostgreSQL a naive datetime)."""
    if isinstance(moment, str):
        moment = datetime.fromisoformat(moment)
    return moment.replace(tzinfo=UTC)


def _subscription(row: SubscriptionRow) -> Subscription:
    return Subscription(int(row.id), row.msisdn, row.email, row.format, row.first_period,
                        row.created_by, _when(row.created_at), bool(row.active))


def _run(row: PeriodRow) -> PeriodRun:
    # peewee adds `subscription_id` for the foreign key; its stubs cannot know it.
    subscription_id = int(row.subscription_id)  # type: ignore[attr-defined]
    return PeriodRun(int(row.id), subscription_id, row.period, row.state,
                     int(row.attempts), row.owner, _when(row.claimed_at),
                     _aware(row.lease_until), _aware(row.next_attempt_at), _aware(row.sent_at),
                     row.document_id, row.message_id, row.last_error or "")


class StorePeriodic:
    """The PeriodicStore of app/services/periodic.py."""

    # -- subscriptions -------------------------------------------------------------------

    def add(self, msisdn: str, email: str, fmt: str, first_period: str, clerk: str,
            when: datetime) -> Subscription | None:
        """The new subscription, or None when the number already has an active one."""
        try:
            with SubscriptionRow._meta.database.atomic():
                row_id = SubscriptionRow.insert(
                    msisdn=msisdn, email=email, format=fmt, first_period=first_period,
                    created_by=clerk, created_at=_naive(when), active=True).execute()
        except IntegrityError:
            return None
        return self.get(int(row_id))

    def get(self, subscription_id: int) -> Subscription | None:
        row = SubscriptionRow.get_or_none(SubscriptionRow.id == subscription_id)
        return None if row is None else _subscription(row)

    def active(self) -> list[Subscription]:
        rows = SubscriptionRow.select().where(SubscriptionRow.active == True).order_by(  # noqa: E712
            SubscriptionRow.id)
        return [_subscription(row) for row in rows]

    def active_for(self, msisdn: str) -> Subscription | None:
        row = SubscriptionRow.get_or_none((SubscriptionRow.msisdn == msisdn)
                                          & (SubscriptionRow.active == True))  # noqa: E712
        return None if row is None else _subscription(row)

    def remove(self, subscription_id: int, clerk: str, when: datetime,
               msisdn_masked: str) -> bool:
        """Deactivate it and forget the address and the full number (the months' history
        stays, with the number masked)."""
        return bool(SubscriptionRow.update(
            active=False, email="", msisdn=msisdn_masked, removed_at=_naive(when),
            removed_by=clerk).where(
            (SubscriptionRow.id == subscription_id)
            & (SubscriptionRow.active == True)).execute())  # noqa: E712

    # -- months ----------------------------------------------------------------------------

    def claim(self, subscription_id: int, period: str, owner: str, now: datetime,
              lease_until: datetime) -> PeriodRun | None:
        """Take (subscription, period) for sending, or None when it is sent, being sent by
        someone whose lease still runs, or failed and not due for a retry yet."""
        db = PeriodRow._meta.database
        param = db.param
        with db.atomic():
            inserted = db.execute_sql(
                "INSERT INTO periodic_delivery (subscription_id, period, state, attempts, owner,"
                " claimed_at, lease_until, last_error) VALUES"
                f" ({param}, {param}, {param}, 1, {param}, {param}, {param}, '')"
                " ON CONFLICT (subscription_id, period) DO NOTHING",
                (subscription_id, period, SENDING, owner, _naive(now), _naive(lease_until)),
            ).rowcount
            if not inserted:
                taken = PeriodRow.update(
                    state=SENDING, owner=owner, attempts=PeriodRow.attempts + 1,
                    claimed_at=_naive(now), lease_until=_naive(lease_until),
                    next_attempt_at=None,
                ).where(
                    (PeriodRow.subscription == subscription_id) & (PeriodRow.period == period)
                    & (((PeriodRow.state == SENDING) & (PeriodRow.lease_until < _naive(now)))
                       | ((PeriodRow.state == FAILED)
                          & (PeriodRow.next_attempt_at.is_null()
                             | (PeriodRow.next_attempt_at <= _naive(now)))))
                ).execute()
                if not taken:
                    return None
        row = PeriodRow.get((PeriodRow.subscription == subscription_id)
                            & (PeriodRow.period == period))
        return _run(row)

    def finish(self, run: PeriodRun, when: datetime, document_id: str, message_id: str) -> bool:
        """Record "sent" — only if this claim still holds (same owner and attempt)."""
        return bool(PeriodRow.update(
            state=SENT, sent_at=_naive(when), lease_until=None, document_id=document_id,
            message_id=message_id, last_error="",
        ).where(self._held(run)).execute())

    def fail(self, run: PeriodRun, error: str, next_attempt_at: datetime) -> bool:
        return bool(PeriodRow.update(
            state=FAILED, lease_until=None, next_attempt_at=_naive(next_attempt_at),
            last_error=error[:1000],
        ).where(self._held(run)).execute())

    def runs(self, subscription_id: int | None = None) -> list[PeriodRun]:
        query = PeriodRow.select().order_by(PeriodRow.subscription, PeriodRow.period)
        if subscription_id is not None:
            query = query.where(PeriodRow.subscription == subscription_id)
        return [_run(row) for row in query]

    @staticmethod
    def _held(run: PeriodRun) -> Any:
        return ((PeriodRow.id == run.id) & (PeriodRow.state == SENDING)
                & (PeriodRow.owner == run.owner) & (PeriodRow.attempts == run.attempts))
