"""TMF620 catalog and TMF635 usage answers exactly as the integrator's guide
(resources/operator-api.md) shows them, for unit tests on httpx.MockTransport, and a router that
answers the console's calls by path (the number → line lookup of TMF637 included)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import httpx

MSISDN = "+79161234567"
LINE = "L-79161234567"
CATALOG = "/tmf-api/productCatalogManagement/v4"
USAGE = "/tmf-api/usageManagement/v4/usage"
PRODUCT = "/tmf-api/productInventory/v4/product"
Json = dict[str, Any]


def money(value: float | int | str) -> Json:
    return {"unit": "RUB", "value": value}


def usage_json(index: int, *, line: str = LINE, **changes: Any) -> Json:
    """An outgoing call of 60 + index seconds at 08:mm:ss on 1 November 2026, 1.50 ₽."""
    body: Json = {
        "id": f"U-79161234567-20261101-{index + 1:04d}",
        "href": f"http://operator.test{USAGE}/U-79161234567-20261101-{index + 1:04d}",
        "@type": "Usage",
        "usageDate": f"2026-11-01T08:{index // 60:02d}:{index % 60:02d}Z",
        "usageType": "voice",
        "status": "rated",
        "usageSpecification": {"id": "voice", "name": "Voice call"},
        "usageCharacteristic": [
            {"name": "direction", "valueType": "string", "value": "out"},
            {"name": "counterpart", "valueType": "string", "value": "+79035550101"},
            {"name": "duration", "valueType": "integer", "value": 60 + index},
        ],
        "ratedProductUsage": [{
            "productRef": {"id": line, "@referredType": "Product"},
            "taxIncludedRatingAmount": money(1.5),
            "usageRatingTag": "usage",
        }],
    }
    body.update(changes)
    return body


def characteristic(usage: Json, name: str, value: Any) -> Json:
    """`usage` with characteristic `name` set to `value` (added if absent; None removes it)."""
    kept = [c for c in usage["usageCharacteristic"] if c["name"] != name]
    if value is not None:
        kept.append({"name": name, "valueType": "string", "value": value})
    return {**usage, "usageCharacteristic": kept}


def offering(code: str, name: str, category: str, *, classes: tuple[str, ...] = ("mass",),
             status: str = "Launched", packages: tuple[int, int, int] | None = (500, 500, 15360),
             trial: tuple[str, str] | None = None, prices: list[str] | None = None) -> Json:
    offering_id = f"{category}-{code}"
    uses: list[Json] = [{"name": "tariffClass", "valueType": "string",
                         "productSpecCharacteristicValue": [{"valueType": "string", "value": c}
                                                            for c in classes]}]
    if category == "tariff" and packages is not None:
        for use, unit, amount in zip(("packageMinutes", "packageSms", "packageMb"),
                                     ("min", "SMS", "MB"), packages, strict=True):
            uses.append({"name": use, "valueType": "number", "productSpecCharacteristicValue": [
                {"valueType": "number", "value": amount, "unitOfMeasure": unit}]})
    kinds = prices if prices is not None else (
        ["oneTime", "recurring", "usage-min", "usage-sms", "usage-mb", "switchFeeShare",
         "connectionFeeShare"] if category == "tariff" else ["oneTime", "recurring"])
    body: Json = {
        "id": offering_id, "href": f"http://operator.test{CATALOG}/productOffering/{offering_id}",
        "@type": "ProductOffering", "name": name, "description": f"{name}: описание",
        "isBundle": False, "lifecycleStatus": status,
        "category": [{"id": category, "name": category}],
        "prodSpecCharValueUse": uses,
        "productOfferingPrice": [{"id": f"pop-{offering_id}-{k}", "name": k} for k in kinds],
    }
    if trial is not None:
        body["productOfferingTerm"] = [{"name": "trial", "validFor": {
            "startDateTime": trial[0], "endDateTime": trial[1]}}]
    return body


def prices_of(offering_id: str, one_off: float, monthly: float,
              unit_prices: tuple[float, float, float] = (2.5, 1.5, 0.3),
              shares: tuple[int, int] = (100, 50)) -> list[Json]:
    """The prices an offering of `offering()` refers to (a tariff's all seven)."""
    def price(kind: str, **priced: Any) -> Json:
        return {"id": f"pop-{offering_id}-{kind}", "@type": "ProductOfferingPrice",
                "name": kind, "isBundle": False, **priced}

    made = [price("oneTime", priceType="oneTime", price=money(one_off)),
            price("recurring", priceType="recurring", recurringChargePeriodType="month",
                  recurringChargePeriodLength=1, price=money(monthly))]
    if offering_id.startswith("tariff-"):
        for kind, unit, amount in zip(("usage-min", "usage-sms", "usage-mb"),
                                      ("min", "SMS", "MB"), unit_prices, strict=True):
            made.append(price(kind, priceType="usage", unitOfMeasure={"amount": 1, "units": unit},
                              price=money(amount)))
        made.append(price("switchFeeShare", priceType="oneTime", percentage=shares[0]))
        made.append(price("connectionFeeShare", priceType="oneTime", percentage=shares[1]))
    return made


def tmf_list(items: list[Json], request: httpx.Request, *, count: bool = True,
             cap: int = 10_000) -> httpx.Response:
    """A TMF list answer: the page `offset`/`limit` ask for (at most `cap` entities, as an
    operator may give fewer than asked), with X-Total-Count (unless `count` is False) and
    X-Result-Count."""
    offset = int(request.url.params.get("offset", 0))
    limit = min(int(request.url.params.get("limit", 100)), cap)
    page = items[offset:offset + limit]
    headers = {"X-Result-Count": str(len(page))}
    if count:
        headers["X-Total-Count"] = str(len(items))
    return httpx.Response(200, json=page, headers=headers)


def operator(routes: dict[str, Callable[[httpx.Request], httpx.Response]],
             seen: list[httpx.Request] | None = None) -> Callable[[httpx.Request],
                                                                  httpx.Response]:
    """A MockTransport handler answering by path; the line lookup of MSISDN built in."""
    def handler(request: httpx.Request) -> httpx.Response:
        if seen is not None:
            seen.append(request)
        if request.url.path == PRODUCT:
            found = request.url.params.get("productSerialNumber") == MSISDN
            return httpx.Response(200, json=[{"id": LINE}] if found else [])
        answer = routes.get(request.url.path)
        if answer is None:
            return httpx.Response(404, json={"code": "not_found", "reason": "Not found",
                                             "message": "no such path", "status": "404",
                                             "@type": "Error"})
        return answer(request)

    return handler
