"""R11, paper detalizations ordered online for pick-up at this salon — a part of OperatorClient
(app/operator_api/client.py), on TMF622 `productOrder` of the offering `paper-detalization`
(resources/operator-api.md, "TMF622 pick-up orders"):

- the salon's queue: `GET /productOrder?productOrderItem.productOffering.id=paper-detalization
  &productOrderItem.product.place.id={salon}&state=acknowledged,inProgress`, paged as every
  TMF list (app/operator_api/tmf_lists.py); its destroy list adds `orderDate.lt={UTC}`;
- one order: `GET /productOrder/{id}`;
- the salon's state report: `PATCH /productOrder/{id}` `{"state": …, "productOrderItem":
  [{"id": "1", "action": "add"}]}` (the published ProductOrder_Update requires the items; the
  order's own are sent unchanged) under an `Idempotency-Key` the caller keeps for one clerk's
  action, so a retry after a timeout is the same report. 409 `R11` (another counter did it
  first, or the order's state does not allow it) is final: RuleRefused naming R11 and the
  order's state now.

An order names its line, not its number: the numbers and their home regions come from TMF637
in one list request per batch of lines (`GET /product?id=L-…,L-…&fields=…`). An order whose
line the operator does not return is left out (logged): the console shows no order it cannot
name.
"""

from __future__ import annotations

import logging
from datetime import datetime
from urllib.parse import quote

import httpx

from app.errors import InputError, OperatorProtocolError, PickupConflict
from app.i18n import _
from app.operator_api.line_ids import utc_text
from app.operator_api.plumbing import error_body, json_or_none
from app.operator_api.tmf_lists import TmfLists
from app.operator_api.wire_pickup import (
    LINE_HOMES,
    PAPER_DETALIZATION,
    PICKUP_ORDERS,
    TmfLineHome,
    TmfPickupOrder,
)
from models.domain import Region
from models.pickup import OperatorState, PickupOrder

log = logging.getLogger(__name__)
OPEN_STATES = f"{OperatorState.NEW.value},{OperatorState.PRINTED.value}"
LINES_AT_ONCE = 100  # line ids in one TMF637 list request (the URL stays well under 8 KB)
REPORTED = (OperatorState.PRINTED, OperatorState.HANDED_OVER, OperatorState.DESTROYED)


class _StateConflict(Exception):
    """409 R11: the order's state does not allow the report. Final, never retried."""

    def __init__(self, response: httpx.Response) -> None:
        super().__init__("R11")
        self.response = response


class _KeyConflict(Exception):
    """409 idempotency_conflict: the key was used for another request. Not retried."""


class PickupCalls(TmfLists):
    def pickup_queue(self, salon: str) -> list[PickupOrder]:
        """The salon's open pick-up orders (new and printed), oldest id first."""
        return self._pickup_list({"productOrderItem.product.place.id": salon,
                                  "state": OPEN_STATES})

    def pickup_expired(self, salon: str, ordered_before: datetime) -> list[PickupOrder]:
        """The salon's open pick-up orders ordered before `ordered_before` (the destroy list:
        not collected within the salon's keep_days)."""
        return self._pickup_list({"productOrderItem.product.place.id": salon,
                                  "state": OPEN_STATES, "orderDate.lt": utc_text(ordered_before)})

    def pickup_order(self, order_id: str, *, listed: PickupOrder | None = None) -> PickupOrder:
        """One pick-up order by its id; InputError when the operator has none by that id (or
        it is not a pick-up order). `listed`: the order as a list the caller holds named it
        (a batch going down the queue) — its number and home region are kept (an order's
        line is the one it was placed for) instead of being asked for again."""
        path = f"{self._orders_path()}/{quote(order_id, safe='')}"
        response = self._with_retries(lambda: self._request("GET", path))
        if response.status_code == 404:
            raise _no_order(order_id)
        self._raise_for_refusal(response, None)
        wire = self._validate(response, TmfPickupOrder, path)
        if not wire.is_pickup():
            raise _no_order(order_id)
        if listed is not None and listed.order_id == order_id == wire.id:
            return self._order(wire, listed.msisdn, listed.home_region)
        orders = self._named([wire])
        if not orders:
            raise _no_order(order_id)
        return orders[0]

    def report_pickup_state(self, order_id: str, state: OperatorState, key: str, *,
                            read: PickupOrder | None = None) -> PickupOrder:
        """Tell the operator the salon printed (inProgress), handed over (completed) or
        destroyed (cancelled) the order, under `key` (Idempotency-Key; the same key for a
        retry of the same report). RuleRefused R11 when the order's state does not allow it
        (another counter was first); InputError for an unknown order; OperatorUnavailable
        (maybe_delivered says whether it may have arrived). `read`: the order as the caller
        has just read it (`pickup_order`) — the answer then keeps its number and home region
        (an order's line is the one it was placed for) instead of asking for them again."""
        if state not in REPORTED:
            raise ValueError(f"a salon reports {REPORTED}, not {state}")
        path = f"{self._orders_path()}/{quote(order_id, safe='')}"
        body = {"state": state.value, "productOrderItem": [{"id": "1", "action": "add"}]}
        headers = {"Idempotency-Key": key}

        def send() -> httpx.Response:
            response = self._request("PATCH", path, json=body, headers=headers)
            if response.status_code == 409:
                code = error_body(response)[0]
                if code == "R11":
                    raise _StateConflict(response)
                if code == "idempotency_conflict":
                    raise _KeyConflict()
            return response

        try:
            response = self._with_retries(send, write=True)
        except _StateConflict as conflict:
            raise _refused(order_id, state, conflict.response) from None
        except _KeyConflict:
            log.error("pick-up %s: the operator holds another request under key %s", order_id,
                      key)
            raise OperatorProtocolError(_(
                "The operator's system holds another request under this report's key; "
                "nothing was changed. The details are in the log.")) from None
        if response.status_code == 404:
            raise _no_order(order_id)
        self._raise_for_refusal(response, None)
        wire = self._validate(response, TmfPickupOrder, path)
        if read is not None and read.order_id == order_id == wire.id:
            return self._order(wire, read.msisdn, read.home_region)
        orders = self._named([wire])
        if not orders or orders[0].order_id != order_id:
            log.warning("%s: the answer is about another order", path)
            raise self._garbled()
        return orders[0]

    # -- parts ------------------------------------------------------------------------------------

    def _orders_path(self) -> str:
        return f"{self._api('productOrderingManagement')}/productOrder"

    def _pickup_list(self, params: dict[str, str]) -> list[PickupOrder]:
        found = self._get_all(self._orders_path(), PICKUP_ORDERS, params={
            "productOrderItem.productOffering.id": PAPER_DETALIZATION, **params})
        salon = params["productOrderItem.product.place.id"]
        mine = [order for order in found if order.is_pickup()
                and self._convert(order.salon) == salon and order.state.open]
        if len(mine) != len(found):
            log.warning("the operator listed %d orders that are not this salon's open pick-up "
                        "orders; left out", len(found) - len(mine))
        return self._named(mine)

    def _named(self, orders: list[TmfPickupOrder]) -> list[PickupOrder]:
        """The orders with their numbers and home regions (TMF637), those whose line the
        operator does not return left out."""
        homes = self._line_homes(sorted({self._convert(o.line_id) for o in orders}))
        named = []
        for order in orders:
            line = self._convert(order.line_id)
            home = homes.get(line)
            if home is None:
                log.warning("pick-up order %s: the operator does not list its line %s; left "
                            "out", order.id, line)
                continue
            named.append(self._order(order, home[0], home[1].code))
        return named

    def _order(self, order: TmfPickupOrder, msisdn: str, home_region: str) -> PickupOrder:
        first, last = self._convert(order.period)
        return PickupOrder(order.id, msisdn, order.customer_name(), self._convert(order.salon),
                           first, last, order.order_date, order.state, home_region,
                           order.closed_at())

    def _line_homes(self, lines: list[str]) -> dict[str, tuple[str, Region]]:
        """line id → (its number, its home region), a batch of lines per request."""
        homes: dict[str, tuple[str, Region]] = {}
        path = f"{self._api('productInventory')}/product"
        for at in range(0, len(lines), LINES_AT_ONCE):
            batch = lines[at:at + LINES_AT_ONCE]
            found: list[TmfLineHome] = self._get_all(path, LINE_HOMES, params={
                "id": ",".join(batch), "fields": "id,productSerialNumber,productCharacteristic"})
            for line in found:
                if line.id in batch:
                    homes[line.id] = (line.serial_number, self._convert(line.region))
        return homes


def _no_order(order_id: str) -> InputError:
    return InputError(_("There is no pick-up order {order} at the operator.").format(
        order=order_id))


def _refused(order_id: str, wanted: OperatorState, response: httpx.Response) -> PickupConflict:
    body = json_or_none(response)
    current = body.get("currentState") if isinstance(body, dict) else None
    now = OperatorState(current) if current in set(OperatorState) else None
    log.info("pick-up %s: %s refused, the order is %s", order_id, wanted.value, current)
    sentence = {
        OperatorState.HANDED_OVER: _("R11: pick-up order {order} has already been handed over "
                                     "(at this or another counter); nothing was changed."),
        OperatorState.DESTROYED: _("R11: pick-up order {order} has already been destroyed; "
                                   "nothing was changed."),
        OperatorState.PRINTED: _("R11: pick-up order {order} is printed; nothing was "
                                 "changed."),
        OperatorState.NEW: _("R11: pick-up order {order} is new; nothing was changed."),
    }.get(now) if now is not None else None
    return PickupConflict((sentence or _("R11: the operator does not allow this for pick-up "
                                         "order {order} in its state now; nothing was changed."))
                          .format(order=order_id), None if now is None else now.value)
