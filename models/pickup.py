"""R11, paper detalizations ordered online for pick-up at this salon, as plain data: an order as
the operator lists it, and the state the clerk sees. No I/O (the operator's calls are
app/operator_api/pickup.py, the use case app/services/pickup.py).

The operator's states are TMF622's (resources/operator-api.md): `acknowledged` = new,
`inProgress` = printed at the salon, `completed` = handed over, `cancelled` = destroyed. The
salon adds one of its own: an open order older than `[pickup] keep_days` is expired — listed
for destruction — whatever the operator says.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from enum import StrEnum


class OperatorState(StrEnum):
    """A pick-up order's TMF622 state, as the operator keeps it."""

    NEW = "acknowledged"
    PRINTED = "inProgress"
    HANDED_OVER = "completed"
    DESTROYED = "cancelled"

    @property
    def open(self) -> bool:
        return self in (OperatorState.NEW, OperatorState.PRINTED)


class PickupState(StrEnum):
    """What the clerk sees (the list's column, `salon pickup list --json`'s `state`)."""

    NEW = "new"
    PRINTED = "printed"
    HANDED_OVER = "handed_over"
    EXPIRED = "expired"  # open, and ordered more than keep_days ago: to be destroyed
    DESTROYED = "destroyed"


_SHOWN = {OperatorState.NEW: PickupState.NEW, OperatorState.PRINTED: PickupState.PRINTED,
          OperatorState.HANDED_OVER: PickupState.HANDED_OVER,
          OperatorState.DESTROYED: PickupState.DESTROYED}


@dataclass(frozen=True)
class PickupOrder:
    """One paper detalization ordered online for pick-up (TMF622 productOrder)."""

    order_id: str  # the operator's, e.g. PU-000007
    msisdn: str
    name: str  # the customer's name as the operator gives it ("" when it gives none)
    salon: str  # the pick-up salon's id ([salon] id)
    first: date  # the period, local dates of the number's home region, both inclusive
    last: date
    ordered_at: datetime  # UTC
    state: OperatorState
    home_region: str  # the number's home region (ISO 3166-2), from its line (R7)
    closed_at: datetime | None = None  # completionDate or cancellationDate, UTC

    def expires_at(self, keep_days: int) -> datetime:
        """When it goes to the destroy list: keep_days after it was ordered."""
        return self.ordered_at + timedelta(days=keep_days)

    def shown_state(self, now: datetime, keep_days: int) -> PickupState:
        if self.state.open and now >= self.expires_at(keep_days):
            return PickupState.EXPIRED
        return _SHOWN[self.state]
