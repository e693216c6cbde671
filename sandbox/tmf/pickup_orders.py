"""R11 on TMF622: a paper detalization ordered online for pick-up at a salon is a
`productOrder` with one item of the offering `paper-detalization` (sandbox/pickup.py keeps the
records). As the operator shows it:

    {"id": "PU-000007", "href": ".../productOrder/PU-000007", "@type": "ProductOrder",
     "category": "paperDetalization", "description": "Бумажная детализация …",
     "channel": [{"id": "online", "name": "Интернет"}],
     "relatedParty": [{"id": "C-79161234567", "role": "customer", "@referredType": "Customer",
                       "name": "…", "href": …}],
     "state": "acknowledged", "orderDate": "2026-11-20T09:14:00Z",
     "productOrderItem": [{"id": "1", "action": "add", "quantity": 1, "state": "acknowledged",
        "productOffering": {"id": "paper-detalization", "name": "Бумажная детализация", …},
        "product": {
          "productCharacteristic": [{"name": "periodStart", "valueType": "date",
                                     "value": "2026-10-01"},
                                    {"name": "periodEnd", "valueType": "date",
                                     "value": "2026-10-31"}],
          "place": [{"id": "MSK-TVERSKAYA-12", "name": "Салон «Тверская, 12»",
                     "role": "pickupSalon", "@referredType": "GeographicSite"}],
          "productRelationship": [{"relationshipType": "bundled",
                                   "product": {"id": "L-79161234567", …}}]}}]}

`completionDate` once handed over (`completed`), `cancellationDate` and `cancellationReason`
once destroyed (`cancelled`). A salon's queue:
`?productOrderItem.productOffering.id=paper-detalization&productOrderItem.product.place.id=
MSK-TVERSKAYA-12&state=acknowledged,inProgress` — the salon, the state, the id and a line
(`productOrderItem.product.id=L-…`) are looked up in the database before orders are made.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from sandbox import pickup
from sandbox.pickup import PickupOrder
from sandbox.salons import SALONS_BY_ID
from sandbox.store import Store
from sandbox.tmf import ids
from sandbox.tmf.links import Links
from sandbox.tmf.query import EQ, Filter, Query
from sandbox.tmf.sources import Selection, select_from
from sandbox.tmf.world_catalog import PAPER_NAME, offering_ref
from sandbox.tmf.world_people import customer_ref
from sandbox.wire import utc_iso

Json = dict[str, Any]
ORDERING_API = "productOrderingManagement"
INVENTORY_API = "productInventory"
ITEMS = "productOrderItem"
CATEGORY = "paperDetalization"
PICKUP_ROLE = "pickupSalon"
PERIOD_START, PERIOD_END = "periodStart", "periodEnd"
CANCELLATION_REASON = "Не получен в срок: уничтожен в салоне"
_CHANNEL_NAMES = {pickup.ONLINE: "Интернет"}
_OFFERING = (ITEMS, "productOffering", "id")
_PLACE = (ITEMS, "product", "place", "id")
_PRODUCT = (ITEMS, "product", "id")


def pickup_json(order: PickupOrder, name: str, links: Links) -> Json:
    salon = SALONS_BY_ID.get(order.salon)
    place: Json = {"id": order.salon, "role": PICKUP_ROLE, "@referredType": "GeographicSite"}
    if salon is not None:
        place["name"] = salon.name
    line = ids.line_id(order.msisdn)
    item: Json = {
        "id": "1", "action": "add", "quantity": 1, "state": order.state,
        "productOffering": offering_ref(ids.PAPER_DETALIZATION, PAPER_NAME, links),
        "product": {
            "productCharacteristic": [
                {"name": PERIOD_START, "valueType": "date",
                 "value": order.period_start.isoformat()},
                {"name": PERIOD_END, "valueType": "date", "value": order.period_end.isoformat()}],
            "place": [place],
            "productRelationship": [{"relationshipType": "bundled", "product": {
                "id": line, "href": links.href(INVENTORY_API, "product", line),
                "@referredType": "Product"}}]}}
    body: Json = {
        "id": order.order_id,
        "href": links.href(ORDERING_API, "productOrder", order.order_id),
        "@type": "ProductOrder",
        "category": CATEGORY,
        "description": f"{PAPER_NAME} за {order.period_start:%d.%m.%Y}–"
                       f"{order.period_end:%d.%m.%Y}, получение в салоне",
        "channel": [{"id": order.channel, "name": _CHANNEL_NAMES.get(order.channel,
                                                                     order.channel)}],
        "relatedParty": [customer_ref(order.msisdn, name, links, role="customer")],
        "state": order.state,
        "orderDate": utc_iso(order.ordered_at),
    }
    if order.external_id is not None:
        body["externalId"] = order.external_id
    if order.completed_at is not None:
        body["completionDate"] = utc_iso(order.completed_at)
    if order.cancelled_at is not None:
        body["cancellationDate"] = utc_iso(order.cancelled_at)
        body["cancellationReason"] = CANCELLATION_REASON
    return {**body, ITEMS: [item]}


@dataclass(frozen=True)
class PickupOrders:
    """Every pick-up order, oldest first (after the applied orders): the filters on the salon,
    the state, the id and the line go to the database."""

    store: Store

    def select(self, query: Query, links: Links, offset: int, limit: int) -> Selection:
        where: list[str] = []
        args: list[object] = []
        pushed: list[Filter] = []
        for f in query.filters:
            if f.op != EQ:
                continue
            column = {("id",): "order_id", ("state",): "state", _PLACE: "salon"}.get(f.path)
            if column is not None:
                where.append(f"{column} IN ({', '.join('?' * len(f.values))})")
                args += f.values
                pushed.append(f)
            elif f.path == _OFFERING and ids.PAPER_DETALIZATION not in f.values:
                return Selection([], 0)
            elif f.path == _OFFERING:
                pushed.append(f)
            elif f.path == _PRODUCT:
                lines = [m for v in f.values if (m := ids.msisdn_of_line(v)) is not None]
                where.append(f"msisdn IN ({', '.join('?' * len(lines)) or 'NULL'})")
                args += lines
                pushed.append(f)
        made = self._made(where, args, links)
        return select_from(made, query.without(*pushed), offset, limit)

    def get(self, entity_id: str, links: Links) -> Json | None:
        return next(self._made(["order_id = ?"], [entity_id], links), None)

    def _made(self, where: list[str], args: list[object], links: Links) -> Iterator[Json]:
        conn = self.store.conn()
        orders = pickup.select(conn, where, args)
        names = dict(self.store.subscriber_names({o.msisdn for o in orders}))
        for order in orders:
            yield pickup_json(order, names.get(order.msisdn, ""), links)
