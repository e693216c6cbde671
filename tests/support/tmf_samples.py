"""A subscriber's card as the operator's TMF APIs answer it (resources/operator-api.md): the
line (TMF637), its tariff's class (TMF620), the person (TMF632), the buckets (TMF654) and the
main balance at an instant (x-salon) — and `CardOperator`, an httpx.MockTransport handler that
serves them by path, counting what was asked.

The same subscriber as tests/support/domain_samples.py builds as domain objects.
"""

from __future__ import annotations

import copy
import threading
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import httpx

Json = dict[str, Any]
MSISDN = "+79161234567"
ROOT = "http://operator.test"
INVENTORY = "/tmf-api/productInventory/v4"
CATALOG = "/tmf-api/productCatalogManagement/v4"
PARTY = "/tmf-api/party/v4"
BALANCE = "/tmf-api/prepayBalanceManagement/v4"
X_SALON = "/tmf-api/x-salon/v1"


def line_id(msisdn: str = MSISDN) -> str:
    return f"L-{msisdn.removeprefix('+')}"


def ref(api: str, resource: str, entity: str, name: str | None = None,
        referred: str | None = None) -> Json:
    out: Json = {"id": entity, "href": f"{ROOT}{api}/{resource}/{entity}"}
    if name is not None:
        out["name"] = name
    if referred is not None:
        out["@referredType"] = referred
    return out


def monthly_price(name: str, value: float) -> Json:
    return {"name": f"Абонентская плата «{name}»", "priceType": "recurring",
            "recurringChargePeriod": "month",
            "price": {"taxIncludedAmount": {"unit": "RUB", "value": value}}}


def service_json(msisdn: str, code: str, name: str, monthly: float) -> Json:
    digits = msisdn.removeprefix("+")
    return {"id": f"S-{digits}-{code}", "href": f"{ROOT}{INVENTORY}/product/S-{digits}-{code}",
            "@type": "Product", "name": name, "status": "active",
            "startDate": "2026-01-02T09:00:00Z", "isBundle": False,
            "productOffering": ref(CATALOG, "productOffering", f"service-{code}", name,
                                   "ProductOffering"),
            "productPrice": [monthly_price(name, monthly)],
            "productRelationship": [{"relationshipType": "bundled",
                                     "product": ref(INVENTORY, "product", line_id(msisdn))}]}


def line_json(msisdn: str = MSISDN, **overrides: Any) -> Json:
    """TMF637 `GET /product/{id}` of the showcase subscriber's line (ETag "3")."""
    digits = msisdn.removeprefix("+")
    line: Json = {
        "id": line_id(msisdn), "href": f"{ROOT}{INVENTORY}/product/{line_id(msisdn)}",
        "@type": "Product", "name": "Смарт", "productSerialNumber": msisdn,
        "status": "active", "startDate": "2024-03-14T09:12:00Z",
        "isBundle": False, "isCustomerVisible": True,
        "productOffering": ref(CATALOG, "productOffering", "tariff-SMART", "Смарт",
                               "ProductOffering"),
        "productPrice": [monthly_price("Смарт", 450.0)],
        "product": [service_json(msisdn, "GUARD", "Антивирус", 99.0),
                    service_json(msisdn, "ASSISTANT", "Электронный Помощник", 0.0)],
        "billingAccount": {"id": f"BA-{digits}", "ratingType": "prepaid",
                           "@referredType": "BillingAccount"},
        "relatedParty": [
            {**ref(PARTY, "individual", f"I-{digits}", "Иванова Мария Петровна", "Individual"),
             "role": "user"},
            {**ref("/tmf-api/customerManagement/v4", "customer", f"C-{digits}",
                   "Иванова Мария Петровна", "Customer"), "role": "customer"}],
        "productCharacteristic": [{"name": "homeRegion", "valueType": "object",
                                   "value": {"code": "RU-MOW", "name": "Москва",
                                             "nameEn": "Moscow",
                                             "timeZone": "Europe/Moscow"}}],
    }
    line.update(overrides)
    return line


def with_region(**changes: Any) -> Json:
    line = line_json()
    value = line["productCharacteristic"][0]["value"]
    line["productCharacteristic"][0]["value"] = {**value, **changes}
    return line


def offering_class_json(offering: str = "tariff-SMART", tariff_class: str = "mass") -> Json:
    """TMF620 `GET /productOffering/{id}?fields=prodSpecCharValueUse` of a tariff."""
    return {"id": offering, "href": f"{ROOT}{CATALOG}/productOffering/{offering}",
            "@type": "ProductOffering",
            "prodSpecCharValueUse": [
                {"name": "tariffClass", "valueType": "string",
                 "productSpecCharacteristicValue": [{"valueType": "string",
                                                     "value": tariff_class}]},
                {"name": "packageMinutes", "valueType": "number",
                 "productSpecCharacteristicValue": [{"valueType": "number", "value": 500,
                                                     "unitOfMeasure": "min"}]}]}


def individual_json(msisdn: str = MSISDN) -> Json:
    digits = msisdn.removeprefix("+")
    return {"id": f"I-{digits}", "href": f"{ROOT}{PARTY}/individual/I-{digits}",
            "@type": "Individual", "fullName": "Иванова Мария Петровна",
            "familyName": "Иванова", "givenName": "Мария", "middleName": "Петровна"}


def bucket(msisdn: str, name: str, usage_type: str, amount: Any, units: str, *,
           total: Any = None, ends: str | None = None) -> Json:
    digits = msisdn.removeprefix("+")
    entity: Json = {"id": f"B-{digits}-{name}",
                    "href": f"{ROOT}{BALANCE}/bucket/B-{digits}-{name}",
                    "@type": "SalonPackageBucket" if total is not None else "Bucket",
                    "name": name, "usageType": usage_type, "status": "active",
                    "isShared": False,
                    "product": [ref(INVENTORY, "product", line_id(msisdn), None, "Product")],
                    "remainingValue": {"amount": amount, "units": units},
                    "confirmationDate": "2026-11-23T10:15:00Z"}
    if total is not None:
        entity["@baseType"] = "Bucket"
        entity["totalValue"] = {"amount": total, "units": units}
    if ends is not None:
        entity["validFor"] = {"endDateTime": ends}
    return entity


def buckets_json(msisdn: str = MSISDN, *, debt: bool = True) -> list[Json]:
    """TMF654 `GET /bucket?product.id={line}`: main 123.45, bonus 50, minutes 250 of 500,
    data 10240 of 20480 MB (and 100 owed, due 26 Nov 21:00 UTC)."""
    end = "2026-11-30T21:00:00Z"
    found = [bucket(msisdn, "main", "monetary", 123.45, "RUB"),
             bucket(msisdn, "bonus", "monetary", 50.0, "RUB"),
             bucket(msisdn, "minutes", "voice", 250, "min", total=500, ends=end),
             bucket(msisdn, "data", "data", 10240, "MB", total=20480, ends=end)]
    if debt:
        found.insert(2, bucket(msisdn, "promisedPaymentDebt", "monetary", 100.0, "RUB",
                               ends="2026-11-26T21:00:00Z"))
    return found


def with_bucket(name: str, **changes: Any) -> list[Json]:
    """The buckets with one changed: `remaining=`/`total=` set the amounts, `ends=` the
    expiry, anything else the entity's own attributes."""
    found = buckets_json()
    entity = next(b for b in found if b["name"] == name)
    if "remaining" in changes:
        entity["remainingValue"]["amount"] = changes.pop("remaining")
    if "total" in changes:
        entity["totalValue"]["amount"] = changes.pop("total")
    if "ends" in changes:
        entity["validFor"] = {"endDateTime": changes.pop("ends")}
    entity.update(changes)
    return found


def main_balance_json(msisdn: str = MSISDN, at: str = "2026-11-01T00:00:00Z",
                      value: float = 2347.0) -> Json:
    return {"atDateTime": at, "remainingValue": {"unit": "RUB", "value": value},
            "product": ref(INVENTORY, "product", line_id(msisdn), None, "Product")}


Answer = Json | list[Json] | httpx.Response | Callable[[httpx.Request], httpx.Response]


@dataclass
class CardOperator:
    """An httpx.MockTransport handler serving one subscriber's card by path. Each answer may be
    replaced (a JSON value, a whole httpx.Response, or a function of the request); `asked`
    counts requests by kind (lookup, line, offerings, offering, individual, buckets,
    main_balance)."""

    msisdn: str = MSISDN
    line: Answer = field(default_factory=line_json)
    buckets: Answer = field(default_factory=buckets_json)
    offerings: Answer = field(default_factory=lambda: [offering_class_json()])  # the tariffs
    offering: Answer = field(default_factory=offering_class_json)  # one tariff, asked alone
    individual: Answer = field(default_factory=individual_json)
    main_balance: Answer = field(default_factory=main_balance_json)
    lookup: Answer | None = None  # default: the line's id, for the number asked
    etag: str | None = '"3"'
    asked: Counter[str] = field(default_factory=Counter)
    requests: list[httpx.Request] = field(default_factory=list)
    _lock: threading.Lock = field(default_factory=threading.Lock)

    def __call__(self, request: httpx.Request) -> httpx.Response:
        path = request.url.path
        with self._lock:
            self.requests.append(request)
        if path == f"{INVENTORY}/product":
            kind, answer = "lookup", self.lookup if self.lookup is not None else [
                {"id": line_id(self.msisdn), "status": "active"}]
        elif path.startswith(f"{INVENTORY}/product/"):
            kind, answer = "line", self.line
        elif path == f"{CATALOG}/productOffering":
            kind, answer = "offerings", self.offerings
        elif path.startswith(f"{CATALOG}/productOffering/"):
            kind, answer = "offering", self.offering
        elif path.startswith(f"{PARTY}/individual/"):
            kind, answer = "individual", self.individual
        elif path == f"{BALANCE}/bucket":
            kind, answer = "buckets", self.buckets
        elif path == f"{X_SALON}/mainBalance":
            kind, answer = "main_balance", self.main_balance
        else:
            return httpx.Response(404, json={"code": "not_found", "reason": "Not Found",
                                             "message": f"no {path}", "status": "404",
                                             "@type": "Error"})
        with self._lock:
            self.asked[kind] += 1
        if callable(answer):
            return answer(request)
        if isinstance(answer, httpx.Response):
            return answer
        headers = {"ETag": self.etag} if kind == "line" and self.etag is not None else {}
        return httpx.Response(200, json=copy.deepcopy(answer), headers=headers)


def tmf_error(status: int, code: str, message: str = "refused") -> httpx.Response:
    return httpx.Response(status, json={"code": code, "reason": code, "message": message,
                                        "status": str(status), "@type": "Error"})
