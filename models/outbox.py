"""The outbox in the local store: every order is a row before it is sent (DESIGN §5).

Every state change is ONE UPDATE guarded by the state it expects (compare-and-set), and a
claim (queued → sending) also bumps `attempts`, which the sender then names when it records
the outcome. So two senders — the pumps of two counters on one PostgreSQL, or a pump and a
clerk's own submit — never send one row at the same time, and a sender whose lease ran out
(and whose row another sender took over) cannot overwrite the newer outcome. A claim also
checks, in the same statement, that no older row of the same subscriber is pending: a
subscriber's orders go out in the order they were made.

Times are naive UTC in the table (like every table here) and come back timezone-aware.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any, overload

from peewee import (
    SQL,
    AutoField,
    BooleanField,
    CharField,
    DateTimeField,
    IntegerField,
    TextField,
    fn,
)

from models.order_codec import (
    preview_from_dict,
    preview_to_dict,
    result_from_dict,
    result_to_dict,
)
from models.orders import (
    NewOrder,
    OrderAction,
    OrderRequest,
    OrderResult,
    OutboxExtras,
    OutboxItem,
    OutboxState,
)
from models.tables import BaseModel

QUEUED, SENDING = OutboxState.QUEUED.value, OutboxState.SENDING.value
DONE, REJECTED = OutboxState.DONE.value, OutboxState.REJECTED.value
CANCELLED = OutboxState.CANCELLED.value
PENDING = (QUEUED, SENDING)


class OutboxRow(BaseModel):
    """One order on its way to the operator (schema: migrations step 4)."""

    id = AutoField()
    key = CharField(max_length=128, unique=True)
    msisdn = CharField(max_length=16)
    action = CharField(max_length=32)
    code = CharField(max_length=64, null=True)
    if_match = IntegerField()
    clerk = CharField(max_length=64)
    clerk_name = CharField(max_length=200, default="")
    salon = CharField(max_length=64)
    counter = CharField(max_length=16)
    created_at = DateTimeField()
    updated_at = DateTimeField()
    state = CharField(max_length=16)
    attempts = IntegerField(default=0)
    maybe_delivered = BooleanField(default=False)
    cancel_requested = BooleanField(default=False)
    last_error = TextField(default="")
    result = TextField(null=True)  # models.order_codec JSON of the OrderResult
    refusal_rule = CharField(max_length=64, null=True)
    preview = TextField(null=True)  # the OrderPreview the clerk confirmed
    context = TextField(null=True)  # what the card said (names, time zone), for the slip
    next_attempt_at = DateTimeField(null=True)
    last_attempt_at = DateTimeField(null=True)
    lease_until = DateTimeField(null=True)
    owner = CharField(max_length=200, default="")  # who is sending it (host:pid:start)
    slip_path = TextField(null=True)

    class Meta:
        table_name = "outbox"


@overload
def _to_db(moment: datetime) -> datetime: ...


@overload
def _to_db(moment: None) -> None: ...


def _to_db(moment: datetime | None) -> datetime | None:
    return None if moment is None else moment.astimezone(UTC).replace(tzinfo=None)


@overload
def _from_db(moment: datetime) -> datetime: ...


@overload
def _from_db(moment: None) -> None: ...


def _from_db(moment: datetime | None) -> datetime | None:
    return None if moment is None else moment.replace(tzinfo=UTC)


def _item(row: OutboxRow) -> OutboxItem:
    return OutboxItem(
        id=int(row.id),
        key=row.key,
        request=OrderRequest(row.msisdn, OrderAction(row.action), row.code),
        if_match=int(row.if_match),
        clerk=row.clerk,
        created_at=_from_db(row.created_at),
        updated_at=_from_db(row.updated_at),
        state=OutboxState(row.state),
        attempts=int(row.attempts),
        maybe_delivered=bool(row.maybe_delivered),
        last_error=row.last_error or "",
        result=result_from_dict(json.loads(row.result)) if row.result else None,
        refusal_rule=row.refusal_rule,
        preview=preview_from_dict(json.loads(row.preview)) if row.preview else None,
        cancel_requested=bool(row.cancel_requested),
        next_attempt_at=_from_db(row.next_attempt_at),
        slip_path=row.slip_path,
    )


class StoreOutbox:
    """The OutboxStore of app/services/outbox_delivery.py, backed by the `outbox` table."""

    def add(self, order: NewOrder) -> OutboxItem:
        """Write the row (state queued) and return it; committed before anything is sent."""
        when = _to_db(order.created_at)
        row_id = OutboxRow.insert(
            key=order.key, msisdn=order.request.msisdn, action=order.request.action.value,
            code=order.request.code, if_match=order.if_match, clerk=order.clerk,
            clerk_name=order.clerk_name, salon=order.salon, counter=order.counter,
            created_at=when, updated_at=when, state=QUEUED,
            preview=json.dumps(preview_to_dict(order.preview), ensure_ascii=False),
            context=json.dumps(order.context, ensure_ascii=False),
            next_attempt_at=_to_db(order.next_attempt_at),
        ).execute()
        return _item(OutboxRow.get_by_id(int(row_id)))

    def get(self, item_id: int) -> OutboxItem | None:
        row = OutboxRow.get_or_none(OutboxRow.id == item_id)
        return _item(row) if row else None

    def extras(self, item_id: int) -> OutboxExtras:
        row = OutboxRow.get_by_id(item_id)
        return OutboxExtras(row.clerk_name, row.salon, row.counter,
                            json.loads(row.context) if row.context else {})

    # -- claiming and settling (compare-and-set) ------------------------------------------

    def claim(self, item_id: int, now: datetime, lease_until: datetime,
              owner: str) -> OutboxItem | None:
        """queued → sending, if no older row of the subscriber is pending; None if another
        sender has it, it is no longer queued, or it must wait its turn."""
        earlier = OutboxRow.alias("earlier")
        blocking = earlier.select(SQL("1")).where(
            (earlier.msisdn == OutboxRow.msisdn) & (earlier.id < OutboxRow.id)
            & earlier.state.in_(PENDING))
        changed = OutboxRow.update(
            state=SENDING, attempts=OutboxRow.attempts + 1, updated_at=_to_db(now),
            last_attempt_at=_to_db(now), lease_until=_to_db(lease_until), owner=owner,
        ).where((OutboxRow.id == item_id) & (OutboxRow.state == QUEUED)
                & ~fn.EXISTS(blocking)).execute()
        return self.get(item_id) if changed else None

    def _settle(self, item: OutboxItem, now: datetime, **changes: Any) -> OutboxItem | None:
        """sending → whatever `changes` say, only by the sender that claimed this attempt."""
        changed = OutboxRow.update(updated_at=_to_db(now), lease_until=None, owner="",
                                   **changes).where(
            (OutboxRow.id == item.id) & (OutboxRow.state == SENDING)
            & (OutboxRow.attempts == item.attempts)).execute()
        return self.get(item.id) if changed else None

    def finish_done(self, item: OutboxItem, result: OrderResult,
                    now: datetime) -> OutboxItem | None:
        return self._settle(item, now, state=DONE, last_error="", next_attempt_at=None,
                            result=json.dumps(result_to_dict(result), ensure_ascii=False))

    def finish_rejected(self, item: OutboxItem, rule: str, message: str,
                        now: datetime) -> OutboxItem | None:
        return self._settle(item, now, state=REJECTED, refusal_rule=rule, last_error=message,
                            next_attempt_at=None)

    def finish_cancelled(self, item: OutboxItem, now: datetime) -> OutboxItem | None:
        """A cancel-requested item the operator never received."""
        return self._settle(item, now, state=CANCELLED, next_attempt_at=None)

    def release(self, item: OutboxItem, now: datetime, error: str, maybe_delivered: bool,
                next_attempt_at: datetime) -> OutboxItem | None:
        """sending → queued after a failed attempt; maybe_delivered only ever turns on."""
        return self._settle(item, now, state=QUEUED, last_error=error,
                            maybe_delivered=item.maybe_delivered or maybe_delivered,
                            next_attempt_at=_to_db(next_attempt_at))

    def rekey(self, item: OutboxItem, key: str, if_match: int,
              now: datetime) -> OutboxItem | None:
        """Still sending, under a new key and If-Match: the old key's answer was a stored
        412 (nothing applied), so the new key starts undelivered."""
        changed = OutboxRow.update(key=key, if_match=if_match, maybe_delivered=False,
                                   updated_at=_to_db(now)).where(
            (OutboxRow.id == item.id) & (OutboxRow.state == SENDING)
            & (OutboxRow.attempts == item.attempts)).execute()
        return self.get(item.id) if changed else None

    def set_slip(self, item_id: int, path: str) -> None:
        OutboxRow.update(slip_path=path).where(OutboxRow.id == item_id).execute()

    # -- the clerk's decisions --------------------------------------------------------------

    def make_due(self, item_id: int, when: datetime) -> OutboxItem | None:
        """A queued row goes out at `when` (the clerk chose to queue it)."""
        changed = OutboxRow.update(next_attempt_at=_to_db(when)).where(
            (OutboxRow.id == item_id) & (OutboxRow.state == QUEUED)).execute()
        return self.get(item_id) if changed else None

    def cancel(self, item_id: int, now: datetime) -> OutboxItem | None:
        """queued → cancelled, only if no attempt may have reached the operator."""
        changed = OutboxRow.update(state=CANCELLED, cancel_requested=True,
                                   updated_at=_to_db(now), next_attempt_at=None).where(
            (OutboxRow.id == item_id) & (OutboxRow.state == QUEUED)
            & ~OutboxRow.maybe_delivered).execute()
        return self.get(item_id) if changed else None

    def request_cancel(self, item_id: int, now: datetime,
                       due: datetime) -> OutboxItem | None:
        """Mark a pending row for settling by its key (the pump asks the operator at `due`)."""
        changed = OutboxRow.update(cancel_requested=True, updated_at=_to_db(now)).where(
            (OutboxRow.id == item_id) & OutboxRow.state.in_(PENDING)).execute()
        if changed:
            OutboxRow.update(next_attempt_at=_to_db(due)).where(
                (OutboxRow.id == item_id) & (OutboxRow.state == QUEUED)).execute()
        return self.get(item_id) if changed else None

    # -- what the pump and the screens read -------------------------------------------------

    def recover(self, now: datetime, owner_gone: Callable[[str], bool]) -> int:
        """Rows left `sending` by a crashed sender go back to queued, maybe delivered: those
        whose lease ran out, and those whose owner is known to be gone (a dead process on
        this machine). Returns how many."""
        stuck = OutboxRow.select(OutboxRow.id, OutboxRow.attempts, OutboxRow.owner,
                                 OutboxRow.lease_until).where(OutboxRow.state == SENDING)
        moved = 0
        for row in stuck:
            expired = row.lease_until is None or row.lease_until < _to_db(now)
            if not expired and not owner_gone(row.owner):
                continue
            moved += OutboxRow.update(
                state=QUEUED, maybe_delivered=True, updated_at=_to_db(now), lease_until=None,
                owner="", next_attempt_at=_to_db(now),
            ).where((OutboxRow.id == row.id) & (OutboxRow.state == SENDING)
                    & (OutboxRow.attempts == row.attempts)).execute()
        return moved

    def due_heads(self, now: datetime) -> list[OutboxItem]:
        """Per subscriber, the oldest pending row, when it is queued and due: what a pump
        pass may send."""
        heads = (OutboxRow.select(fn.MIN(OutboxRow.id))
                 .where(OutboxRow.state.in_(PENDING)).group_by(OutboxRow.msisdn))
        rows = (OutboxRow.select().where(
            OutboxRow.id.in_(heads) & (OutboxRow.state == QUEUED)
            & (OutboxRow.next_attempt_at.is_null() | (OutboxRow.next_attempt_at <= _to_db(now))))
            .order_by(OutboxRow.id))
        return [_item(row) for row in rows]

    def earlier_pending(self, item: OutboxItem) -> list[OutboxItem]:
        rows = OutboxRow.select().where(
            (OutboxRow.msisdn == item.request.msisdn) & (OutboxRow.id < item.id)
            & OutboxRow.state.in_(PENDING)).order_by(OutboxRow.id)
        return [_item(row) for row in rows]

    def applied_versions(self, msisdn: str) -> dict[int, int]:
        """For the subscriber's done rows: the version each was applied on → the version it
        left (each applied order moves the version by one)."""
        rows = OutboxRow.select(OutboxRow.if_match, OutboxRow.result).where(
            (OutboxRow.msisdn == msisdn) & (OutboxRow.state == DONE))
        return {int(row.if_match): int(json.loads(row.result)["subscriber_version"])
                for row in rows if row.result}

    def next_due(self) -> datetime | None:
        """When the earliest queued row is due (the pump sleeps until then at most)."""
        value = OutboxRow.select(fn.MIN(OutboxRow.next_attempt_at)).where(
            OutboxRow.state == QUEUED).scalar()
        return _from_db(value) if isinstance(value, datetime) else (
            _from_db(datetime.fromisoformat(value)) if value else None)

    def pending(self, msisdn: str | None = None) -> list[OutboxItem]:
        query = OutboxRow.select().where(OutboxRow.state.in_(PENDING))
        if msisdn is not None:
            query = query.where(OutboxRow.msisdn == msisdn)
        return [_item(row) for row in query.order_by(OutboxRow.id)]

    def recent(self, limit: int = 50) -> list[OutboxItem]:
        rows = OutboxRow.select().order_by(OutboxRow.id.desc()).limit(limit)
        return [_item(row) for row in rows]
