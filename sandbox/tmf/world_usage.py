"""The world's usage records as TMF635 `Usage` entities: a read-only source over the generator.

Each record becomes (per the mapping in the README's integrator's guide):

    {"id": "U-79161234567-20261123-0042", "href": ".../usage/U-...", "@type": "Usage",
     "usageDate": "2026-11-23T07:15:02Z", "usageType": "voice", "status": "rated",
     "usageSpecification": {"id": "voice", "href": ..., "name": "Voice call", ...},
     "usageCharacteristic": [{"name": "direction", "valueType": "string", "value": "out"},
                             {"name": "counterpart", ...}, {"name": "duration", ...},
                             {"name": "coveredBy", ...}],
     "ratedProductUsage": [{"productRef": {"id": "L-79161234567", ...},
                            "taxIncludedRatingAmount": {"unit": "RUB", "value": 0.0},
                            "usageRatingTag": "included usage"}]}

Order: line by line in the world's order, each line's records oldest first. The filters the
console pages by are applied before any record is made — `ratedProductUsage.productRef.id`
(the line), `usageDate.gt/gte/lt/lte` (the window) and `id` — so a page of a heavy month costs
the days it shows plus the window's two edge days (`sandbox.usage_window`). Any other filter is
checked record by record over that window, which is refused (400) when the window holds more
than `MAX_SCAN` records (the whole world has millions): narrow it by line or by date.
"""

from __future__ import annotations

import math
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from sandbox.errors import bad_request
from sandbox.ledger import Ledger
from sandbox.localtime import day_start
from sandbox.store import Store
from sandbox.tmf import ids
from sandbox.tmf.links import Links
from sandbox.tmf.query import EQ, Filter, Query, as_instant
from sandbox.tmf.sources import Selection, select_from
from sandbox.tmf.world_lines import PRODUCT_API  # a record's productRef is its line there
from sandbox.usage import CALL, DATA, FEE, SMS, TOPUP, DayRecords
from sandbox.usage_window import Window, count, records, scan, window
from sandbox.wire import utc_iso

Json = dict[str, Any]
USAGE_API = "usageManagement"
LINE = ("ratedProductUsage", "productRef", "id")
USAGE_DATE = ("usageDate",)
ID = ("id",)
FAR_PAST, FAR_FUTURE = -(1 << 62), 1 << 62
MAX_SCAN = 500_000  # records a filter may be checked against one by one (a heavy line's months)

# The generator's record types as TMF usage types (and the ids of their specifications).
USAGE_TYPES = {CALL: "voice", SMS: "sms", DATA: "data", FEE: "charge", TOPUP: "payment"}
SPEC_NAMES = {"voice": "Voice call", "sms": "SMS", "data": "Mobile data",
              "charge": "Charge", "payment": "Payment"}


def usage_json(msisdn: str, day: DayRecords, index: int, links: Links) -> Json:
    ts, kind, direction, counterpart, duration, volume, amount, covered = day.records[index]
    usage_type = USAGE_TYPES[kind]
    entity_id = ids.usage_id(msisdn, day.label, index)
    line = ids.line_id(msisdn)
    characteristics: list[Json] = []
    if direction is not None:
        characteristics.append({"name": "direction", "valueType": "string", "value": direction})
    characteristics.append({"name": "counterpart", "valueType": "string", "value": counterpart})
    if duration is not None:
        characteristics.append({"name": "duration", "valueType": "integer", "value": duration})
    if volume is not None:
        characteristics.append({"name": "volume", "valueType": "integer", "value": volume})
    if covered is not None:
        characteristics.append({"name": "coveredBy", "valueType": "string", "value": covered})
    return {
        "id": entity_id,
        "href": links.href(USAGE_API, "usage", entity_id),
        "@type": "Usage",
        "usageDate": utc_iso(ts),
        "usageType": usage_type,
        "status": "rated",
        "usageSpecification": {
            "id": usage_type, "href": links.href(USAGE_API, "usageSpecification", usage_type),
            "name": SPEC_NAMES[usage_type], "@referredType": "UsageSpecification"},
        "usageCharacteristic": characteristics,
        "ratedProductUsage": [{
            "productRef": {"id": line, "href": links.href(PRODUCT_API, "product", line),
                           "@referredType": "Product"},
            "taxIncludedRatingAmount": {"unit": "RUB", "value": amount / 100},
            "usageRatingTag": "included usage" if covered is not None else "usage",
        }],
    }


@dataclass(frozen=True)
class _Plan:
    lines: list[str]  # msisdns, in the world's order
    start: int  # the window every record must be in
    end: int
    keys: list[ids.UsageKey] | None  # when ids were asked for: just those
    residual: tuple[Filter, ...]  # what only a made record can answer


@dataclass(frozen=True)
class WorldUsage:
    ledger: Ledger
    store: Store

    def select(self, query: Query, links: Links, offset: int, limit: int) -> Selection:
        plan = self._plan(query)
        if plan.keys is not None:
            made = (self._made(key, plan, links) for key in plan.keys)
            return select_from((e for e in made if e is not None), plan.residual, offset, limit)
        windows = list(self._windows(plan))
        if plan.residual:
            self._refuse_a_long_scan(windows, plan.residual)
            every = (usage_json(w.state.msisdn, day, index, links)
                     for w in windows for day, index in scan(self.ledger, w))
            return select_from(every, plan.residual, offset, limit)
        items: list[Json] = []
        total = 0
        for w in windows:
            size = count(self.ledger, w)
            if offset < size and len(items) < limit:
                items.extend(usage_json(w.state.msisdn, day, index, links) for day, index in
                             records(self.ledger, w, offset, limit - len(items)))
            offset = max(0, offset - size)
            total += size
        return Selection(items, total)

    def get(self, entity_id: str, links: Links) -> Json | None:
        key = ids.usage_key(entity_id)
        if key is None:
            return None
        return self._made(key, _Plan([key.msisdn], FAR_PAST, FAR_FUTURE, [key], ()), links)

    # -- planning -------------------------------------------------------------------------

    def _plan(self, query: Query) -> _Plan:
        lines = self.store.msisdns()
        start, end = FAR_PAST, FAR_FUTURE
        keys: list[ids.UsageKey] | None = None
        pushed: list[Filter] = []
        for f in query.filters:
            if f.path == LINE and f.op == EQ:
                wanted = {ids.msisdn_of_line(v) for v in f.values}
                lines = [m for m in lines if m in wanted]
            elif f.path == USAGE_DATE and f.op != EQ and _instants(f) is not None:
                lower, upper = _bounds(f)
                start, end = max(start, lower), min(end, upper)
            elif f.path == ID and f.op == EQ:
                asked = {k for v in f.values if (k := ids.usage_key(v)) is not None}
                keys = [k for k in (keys if keys is not None else asked) if k in asked]
            else:
                continue
            pushed.append(f)
        if keys is not None:
            order = {m: i for i, m in enumerate(lines)}
            keys = sorted((k for k in keys if k.msisdn in order),
                          key=lambda k: (order[k.msisdn], k.day, k.index))
        return _Plan(lines, start, end, keys, query.without(*pushed))

    def _refuse_a_long_scan(self, windows: list[Window], residual: tuple[Filter, ...]) -> None:
        scanned = sum(count(self.ledger, w) for w in windows)
        if scanned > MAX_SCAN:
            names = ", ".join(sorted({f.name for f in residual}))
            raise bad_request(
                f"The filter on {names} is checked record by record, and this query would "
                f"check {scanned} of the world's usage records (at most {MAX_SCAN}): narrow "
                "it with ratedProductUsage.productRef.id and usageDate.gte / usageDate.lt.")

    def _windows(self, plan: _Plan) -> Iterator[Window]:
        for msisdn in plan.lines:
            state = self.ledger.state(msisdn)
            w = None if state is None else window(self.ledger, state, plan.start, plan.end)
            if w is not None:
                yield w

    def _made(self, key: ids.UsageKey, plan: _Plan, links: Links) -> Json | None:
        """The record the key names, if the clock has passed it and it is in the window."""
        state = self.ledger.state(key.msisdn)
        if state is None:
            return None
        w = window(self.ledger, state, plan.start, plan.end)
        if w is None or not w.first <= key.day <= w.last:
            return None
        if day_start(self.ledger.timezone(state), key.day) > self.ledger.clock.now():
            return None
        day = self.ledger.day_records(state, key.day)
        if key.index >= len(day.records) or not w.start <= day.times[key.index] < w.end:
            return None
        return usage_json(state.msisdn, day, key.index, links)


def _instants(f: Filter) -> list[float] | None:
    moments = [as_instant(v) for v in f.values]
    if any(m is None for m in moments):
        return None
    return [m.timestamp() for m in moments if m is not None]


def _bounds(f: Filter) -> tuple[int, int]:
    """[start, end) in whole seconds that the order filter allows (records start on whole
    seconds); several values mean any of them, so the widest bound."""
    seconds = _instants(f) or []
    if f.op == "gte":
        return min(math.ceil(s) for s in seconds), FAR_FUTURE
    if f.op == "gt":
        return min(math.floor(s) + 1 for s in seconds), FAR_FUTURE
    if f.op == "lt":
        return FAR_PAST, max(math.ceil(s) for s in seconds)
    return FAR_PAST, max(math.floor(s) + 1 for s in seconds)
