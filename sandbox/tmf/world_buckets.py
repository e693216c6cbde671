"""The world's balances as TMF654 `Bucket` entities: a read-only source over the ledger.

Each line has, as of the sandbox clock's now — exactly what `GET /v1/subscribers/{msisdn}/balance`
answers, from the same ledger calls:

    main                 monetary  remainingValue {amount: 123.45, units: RUB}
    bonus                monetary  remainingValue {amount: 50.0, units: RUB}
    promisedPaymentDebt  monetary  the amount owed; validFor.endDateTime = the earliest due
                                   (only while a promised payment is owed)
    minutes / sms / data voice / sms / data, `@type: SalonPackageBucket` (a subtype of Bucket
                                   with `totalValue`): remainingValue and totalValue in
                                   min / SMS / MB, validFor.endDateTime = the month's end in
                                   the home region (only the packages the tariff has)

    {"id": "B-79161234567-main", "href": ".../bucket/B-79161234567-main", "@type": "Bucket",
     "name": "main", "usageType": "monetary", "status": "active", "isShared": false,
     "product": [{"id": "L-79161234567", "href": ".../product/L-79161234567", ...}],
     "remainingValue": {"amount": 123.45, "units": "RUB"}, "remainingValueName": "123.45 RUB",
     "confirmationDate": "2026-11-23T10:15:00Z"}

`confirmationDate` (which TM Forum's TMF654 kit requires of every bucket) is the instant the
amounts are as of: the sandbox clock's now.

Listing every line's buckets would compute every line's balance; so the source first lists each
line's bucket *slots* — which buckets it has now (cheap: the tariff's packages, an owed promised
payment) with the attributes that do not depend on amounts — filters those, and computes the
amounts only of the buckets it answers with (or of all candidates when a filter names an
amount). `product.id` and `id` filters narrow the lines before any slot is made.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from sandbox.entities import SubscriberState
from sandbox.ledger import Ledger, Package
from sandbox.tmf import ids
from sandbox.tmf.links import Links
from sandbox.tmf.matching import matches
from sandbox.tmf.query import EQ, Filter, Query
from sandbox.tmf.sources import Selection
from sandbox.tmf.world_usage import PRODUCT_API
from sandbox.wire import CURRENCY, decimal_str, utc_iso

Json = dict[str, Any]
BALANCE_API = "prepayBalanceManagement"
BUCKET = "bucket"
MAIN, BONUS, DEBT = "main", "bonus", "promisedPaymentDebt"
PACKAGE_TYPE = "SalonPackageBucket"
# The ledger's package kinds: the bucket's name, its usageType and the units of its quantities.
PACKAGES = {"minutes": ("voice", "min"), "sms": ("sms", "SMS"), "data": ("data", "MB")}
_DESCRIPTIONS = {
    MAIN: "Main balance: top-ups less charges",
    BONUS: "Bonus balance",
    DEBT: "Promised payment owed: repaid by the next top-up, due at validFor.endDateTime",
    "minutes": "Minutes package of the month (home region's calendar month)",
    "sms": "SMS package of the month (home region's calendar month)",
    "data": "Data package of the month (home region's calendar month)",
}
# What a slot knows before any amount is computed; a filter on anything else needs amounts.
STATIC = frozenset({"id", "href", "@type", "@baseType", "name", "description", "usageType",
                    "status", "isShared", "product"})
_ID = re.compile(r"^B-([1-9]\d{7,14})-(main|bonus|promisedPaymentDebt|minutes|sms|data)$")
LINE = ("product", "id")
ID = ("id",)


def bucket_id(msisdn: str, name: str) -> str:
    return f"B-{msisdn.removeprefix('+')}-{name}"


def bucket_key(entity_id: str) -> tuple[str, str] | None:
    """(msisdn, bucket name) of a world bucket's id, or None."""
    found = _ID.match(entity_id)
    return None if found is None else (f"+{found[1]}", found[2])


def kop_amount(kop: int) -> float:
    """Kopecks as the JSON number of roubles (12345 → 123.45: the shortest text of the
    nearest double is the decimal itself)."""
    return kop / 100


@dataclass
class _Line:
    """One line's amounts as of `now`, each computed once, when first needed."""

    ledger: Ledger
    state: SubscriberState
    now: int
    _main: int | None = None
    _packages: dict[str, Package] | None = None

    def main(self) -> int:
        if self._main is None:
            self._main = self.ledger.main_at(self.state, self.now)
        return self._main

    def package(self, kind: str) -> Package | None:
        if self._packages is None:
            self._packages = {p.kind: p for p in self.ledger.packages_at(self.state, self.now)}
        return self._packages.get(kind)

    def slots(self) -> list[str]:
        """The names of the buckets the line has now, in the /v1 balance's order."""
        names = [MAIN, BONUS]
        if self.ledger.debt_at(self.state, self.now) is not None:
            names.append(DEBT)
        tariff = self.ledger.package_tariff(self.state, self.now)
        sizes = {"minutes": tariff.package_minutes, "sms": tariff.package_sms,
                 "data": tariff.package_mb}
        names.extend(kind for kind in PACKAGES if sizes[kind])
        return names


def static_json(msisdn: str, name: str, links: Links) -> Json:
    entity_id = bucket_id(msisdn, name)
    line = ids.line_id(msisdn)
    entity: Json = {"id": entity_id, "href": links.href(BALANCE_API, BUCKET, entity_id)}
    if name in PACKAGES:
        entity.update({"@type": PACKAGE_TYPE, "@baseType": "Bucket"})
    else:
        entity["@type"] = "Bucket"
    entity.update({
        "name": name,
        "description": _DESCRIPTIONS[name],
        "usageType": PACKAGES[name][0] if name in PACKAGES else "monetary",
        "status": "active",
        "isShared": False,
        "product": [{"id": line, "href": links.href(PRODUCT_API, "product", line),
                     "@referredType": "Product"}],
    })
    return entity


def bucket_json(line: _Line, name: str, links: Links) -> Json | None:
    """The whole bucket; None when the line has no such bucket now (a package that ran out
    of the tariff cannot: packages_at answers every package of the tariff, even at 0)."""
    entity = static_json(line.state.msisdn, name, links)
    debt: tuple[int, int] | None = None
    if name in (MAIN, BONUS, DEBT):
        if name == MAIN:
            kop = line.main()
        elif name == BONUS:
            kop = line.state.bonus_kop
        else:
            debt = line.ledger.debt_at(line.state, line.now)
            if debt is None:
                return None
            kop = debt[0]
        entity["remainingValue"] = {"amount": kop_amount(kop), "units": CURRENCY}
        entity["remainingValueName"] = f"{decimal_str(kop)} {CURRENCY}"
        if name == DEBT and debt is not None:
            entity["validFor"] = {"endDateTime": utc_iso(debt[1])}
    else:
        package = line.package(name)
        if package is None:
            return None
        units = PACKAGES[name][1]
        entity["remainingValue"] = {"amount": package.remaining, "units": units}
        entity["remainingValueName"] = f"{package.remaining} {units}"
        entity["totalValue"] = {"amount": package.total, "units": units}
        entity["validFor"] = {"endDateTime": utc_iso(package.expires_at)}
    entity["confirmationDate"] = utc_iso(line.now)
    return entity


@dataclass(frozen=True)
class WorldBuckets:
    ledger: Ledger

    def select(self, query: Query, links: Links, offset: int, limit: int) -> Selection:
        now = self.ledger.clock.now()
        cheap = tuple(f for f in query.filters if f.path[0] in STATIC)
        costly = tuple(f for f in query.filters if f.path[0] not in STATIC)
        items: list[Json] = []
        total = 0
        for line in self._lines(query.filters, now):
            for name in line.slots():
                if not matches(static_json(line.state.msisdn, name, links), cheap):
                    continue
                entity = None
                if costly:
                    entity = bucket_json(line, name, links)
                    if entity is None or not matches(entity, costly):
                        continue
                if offset <= total < offset + limit:
                    entity = entity or bucket_json(line, name, links)
                    if entity is not None:
                        items.append(entity)
                total += 1
        return Selection(items, total)

    def get(self, entity_id: str, links: Links) -> Json | None:
        key = bucket_key(entity_id)
        state = None if key is None else self.ledger.state(key[0])
        if key is None or state is None:
            return None
        line = _Line(self.ledger, state, self.ledger.clock.now())
        return bucket_json(line, key[1], links) if key[1] in line.slots() else None

    def _lines(self, filters: tuple[Filter, ...], now: int) -> Iterator[_Line]:
        """The lines the `product.id` and `id` filters allow, in the world's order."""
        lines = self.ledger.store.msisdns()
        for f in filters:
            if f.op != EQ or f.path not in (LINE, ID):
                continue
            if f.path == LINE:
                wanted = {ids.msisdn_of_line(v) for v in f.values}
            else:
                wanted = {key[0] for v in f.values if (key := bucket_key(v)) is not None}
            lines = [m for m in lines if m in wanted]
        for msisdn in lines:
            state = self.ledger.state(msisdn)
            if state is not None:
                yield _Line(self.ledger, state, now)
