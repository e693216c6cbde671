"""The world's lines as TMF637 `Product` entities, as of the sandbox clock's now (the same
state `GET /v1/subscribers/{msisdn}` shows):

    {"id": "L-79161234567", "href": ".../productInventory/v4/product/L-79161234567",
     "@type": "Product", "name": "Смарт", "productSerialNumber": "+79161234567",
     "status": "active",                       # suspended: the subscriber is blocked
     "startDate": "2024-03-05T09:12:00Z",     # activation
     "isBundle": false, "isCustomerVisible": true,
     "productOffering": {"id": "tariff-SMART", "href": ..., "name": "Смарт", ...},
     "productPrice": [{"name": "Абонентская плата «Смарт»", "priceType": "recurring",
                       "recurringChargePeriod": "month",
                       "price": {"taxIncludedAmount": {"unit": "RUB", "value": 450.0}},
                       "productOfferingPrice": {"id": "pop-tariff-SMART-recurring", ...}}],
     "product": [<each connected service, the Assistant included, as below>],
     "billingAccount": {"id": "BA-79161234567", "ratingType": "prepaid",
                        "@referredType": "BillingAccount"},
     "relatedParty": [{"id": "I-79161234567", "role": "user",
                       "@referredType": "Individual", ...},
                      {"id": "C-79161234567", "role": "customer",
                       "@referredType": "Customer", ...}],
     "productCharacteristic": [{"name": "homeRegion", "valueType": "object",
                                "value": {"code": "RU-MOW", "name": "Москва",
                                          "nameEn": "Moscow", "timeZone": "Europe/Moscow"}}]}

A connected service is a product of its own, `S-{msisdn digits}-{CODE}`, nested in its line's
`product[]` and served at its own href (the same JSON):

    {"id": "S-79161234567-GUARD", "href": ..., "@type": "Product", "name": "Антивирус",
     "status": "active", "startDate": <connected>, "isBundle": false,
     "productOffering": {"id": "service-GUARD", ...}, "productPrice": [<its monthly fee>],
     "productRelationship": [{"relationshipType": "bundled",
                              "product": {"id": "L-79161234567", ...}}]}

Both carry the subscriber's version as their `ETag` (etags.Versioned).
"""

from __future__ import annotations

from typing import Any

from sandbox.catalog import SERVICES_BY_CODE, TARIFFS_BY_CODE
from sandbox.entities import BLOCKED, SubscriberState
from sandbox.regions import REGIONS_BY_CODE
from sandbox.tmf import ids
from sandbox.tmf.etags import Versioned
from sandbox.tmf.world_catalog import WorldCatalog, offering_ref, price_ref
from sandbox.tmf.world_people import customer_ref, individual_ref
from sandbox.wire import utc_iso

Json = dict[str, Any]
PRODUCT_API = "productInventory"
ACTIVE, SUSPENDED = "active", "suspended"
# The product's status for each stored subscriber status.
STATUS_OF = {"active": ACTIVE, BLOCKED: SUSPENDED}
STORED_STATUS = {v: k for k, v in STATUS_OF.items()}


def line_json(state: SubscriberState, now: int, catalog: WorldCatalog) -> Versioned:
    links = catalog.links
    line = ids.line_id(state.msisdn)
    tariff = TARIFFS_BY_CODE[state.tariff_code_at(now)]
    offering = ids.tariff_offering_id(tariff.code)
    region = REGIONS_BY_CODE[state.region_code]
    body: Json = {
        "id": line,
        "href": links.href(PRODUCT_API, "product", line),
        "@type": "Product",
        "name": tariff.name,
        "productSerialNumber": state.msisdn,
        "status": STATUS_OF[state.status],
        "startDate": utc_iso(state.activated_at),
        "isBundle": False,
        "isCustomerVisible": True,
        "productOffering": offering_ref(offering, tariff.name, links),
        "productPrice": [_monthly(catalog, offering, tariff.name, tariff.monthly_kop)],
        "product": [service_json(state, code, now, catalog)
                    for code in _connected(state, now)],
        "billingAccount": {"id": ids.billing_account_id(state.msisdn), "ratingType": "prepaid",
                           "@referredType": "BillingAccount"},
        "relatedParty": [individual_ref(state.msisdn, state.name, links, "user"),
                         customer_ref(state.msisdn, state.name, links, "customer")],
        "productCharacteristic": [{
            "name": "homeRegion", "valueType": "object",
            "value": {"code": region.code, "name": region.name, "nameEn": region.name_en,
                      "timeZone": region.timezone}}],
    }
    return Versioned(body, state.version)


def service_json(state: SubscriberState, code: str, now: int,
                 catalog: WorldCatalog) -> Versioned:
    """The service `code` on the line, if it is connected now (KeyError otherwise)."""
    links = catalog.links
    period = next(p for p in state.services_at(now) if p.service_code == code)
    service = SERVICES_BY_CODE[code]
    offering = ids.service_offering_id(code)
    product = ids.service_product_id(state.msisdn, code)
    line = ids.line_id(state.msisdn)
    return Versioned({
        "id": product,
        "href": links.href(PRODUCT_API, "product", product),
        "@type": "Product",
        "name": service.name,
        "status": STATUS_OF[state.status],
        "startDate": utc_iso(period.connected_at),
        "isBundle": False,
        "productOffering": offering_ref(offering, service.name, links),
        "productPrice": [_monthly(catalog, offering, service.name, service.monthly_kop)],
        "productRelationship": [{
            "relationshipType": "bundled",
            "product": {"id": line, "href": links.href(PRODUCT_API, "product", line),
                        "@referredType": "Product"}}],
    }, state.version)


def connected(state: SubscriberState, now: int, code: str) -> bool:
    return code in _connected(state, now)


def _connected(state: SubscriberState, now: int) -> list[str]:
    """The codes of the services connected now, in the order they were connected."""
    return [p.service_code for p in state.services_at(now)]


def _monthly(catalog: WorldCatalog, offering: str, name: str, monthly_kop: int) -> Json:
    """The offering's recurring price as a ProductPrice (the catalog's own price, referred)."""
    price = catalog.recurring_price(offering, name, monthly_kop)
    return {"name": price["name"], "priceType": "recurring", "recurringChargePeriod": "month",
            "price": {"taxIncludedAmount": price["price"]},
            "productOfferingPrice": price_ref(price["id"], price["name"], catalog.links)}
