"""The operator's catalog (`sandbox.catalog`) as TMF620 entities, derived on every request.

- `productOffering`: one per tariff (`tariff-{CODE}`) and per service (`service-{CODE}`):
  `lifecycleStatus` `Launched` (available) or `Retired` (archived), `category [{id: tariff |
  service}]`, `productSpecification` (`spec-tariff` / `spec-service`), `prodSpecCharValueUse[]`
  — `tariffClass` (a tariff's class; the classes a service is for) and, for a tariff, its
  package `packageMinutes` / `packageSms` / `packageMb` —, `productOfferingTerm [{name: trial,
  validFor}]` for a service in trial operation (R5), and refs to its prices.
- `productOfferingPrice` (`pop-{offering}-{kind}`): `oneTime` (the list price of switching to the
  tariff / connecting the service), `recurring` (monthly), `usage` per `min` / `SMS` / `MB`
  (a tariff's prices beyond its package), and a tariff's fee shares (R4: the tariff the
  subscriber is on says what share of the list price a switch away from it / a connection on it
  costs) as `oneTime` prices named `switchFeeShare` / `connectionFeeShare` with a `percentage`.
- `paper-detalization` (R11): a paper detalization ordered online for pick-up at a salon, free
  (R8), in a category of its own, `document`, so the lists of tariffs and services are as
  before; its specification `spec-document` names the order's characteristics (`periodStart`,
  `periodEnd`).
- `productSpecification`, `category`, `catalog`: what the offerings refer to.

The trial is R5's calendar days (`catalog.trial_dates`, counted from the day the world was
drawn): `startDateTime` is the first day's 00:00:00Z, `endDateTime` the last day's 23:59:59Z, so
the UTC date of each is the day. `lastUpdate` of every world entity is the instant the world
was drawn (the catalog is the code's, fixed since).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import date
from typing import Any

from sandbox.catalog import SERVICES, TARIFF_CLASSES, TARIFFS, Service, Tariff, trial_dates
from sandbox.tmf import ids
from sandbox.tmf.links import Links
from sandbox.wire import utc_iso

Json = dict[str, Any]
CATALOG_API = "productCatalogManagement"
LAUNCHED, RETIRED, ACTIVE = "Launched", "Retired", "Active"
TARIFF_CATEGORY, SERVICE_CATEGORY, DOCUMENT_CATEGORY = "tariff", "service", "document"
TARIFF_SPEC, SERVICE_SPEC, DOCUMENT_SPEC = "spec-tariff", "spec-service", "spec-document"
PAPER_NAME = "Бумажная детализация"
PAPER_DESCRIPTION = ("Детализация за период на бумаге: заказывается через интернет и выдаётся "
                     "в выбранном салоне домашнего региона (R11); бесплатно (R8)")
CATALOG_ID = "mobile"
# A tariff's package allowances: characteristic name, Tariff attribute, unit.
PACKAGES = (("packageMinutes", "package_minutes", "min"), ("packageSms", "package_sms", "SMS"),
            ("packageMb", "package_mb", "MB"))
# A tariff's prices beyond its package: price kind, Tariff attribute, unit, name.
USAGE_PRICES = (("usage-min", "minute_kop", "min", "Исходящая минута сверх пакета"),
                ("usage-sms", "sms_kop", "SMS", "Исходящее SMS сверх пакета"),
                ("usage-mb", "mb_kop", "MB", "Мегабайт сверх пакета"))
SWITCH_SHARE, CONNECTION_SHARE = "switchFeeShare", "connectionFeeShare"


def money(kop: int) -> Json:
    """TMF's Money: {"unit": "RUB", "value": 450.0} (kopecks / 100 prints as the exact
    decimal)."""
    return {"unit": "RUB", "value": kop / 100}


def offering_ref(offering_id: str, name: str, links: Links) -> Json:
    return {"id": offering_id, "href": links.href(CATALOG_API, "productOffering", offering_id),
            "name": name, "@referredType": "ProductOffering"}


def price_ref(price_id: str, name: str, links: Links) -> Json:
    return {"id": price_id, "href": links.href(CATALOG_API, "productOfferingPrice", price_id),
            "name": name, "@referredType": "ProductOfferingPrice"}


@dataclass(frozen=True)
class WorldCatalog:
    """The catalog of a world drawn at `reference` (a UTC midnight: R5's trial counts from
    it), each entity with hrefs under `links`."""

    reference: int
    links: Links

    @property
    def last_update(self) -> str:
        return utc_iso(self.reference)

    # -- offerings ----------------------------------------------------------------------------

    def offerings(self) -> Iterator[Json]:
        for tariff in TARIFFS:
            yield self.tariff_offering(tariff)
        for service in SERVICES:
            yield self.service_offering(service)
        yield self.paper_offering()

    def tariff_offering(self, tariff: Tariff) -> Json:
        offering_id = ids.tariff_offering_id(tariff.code)
        uses = [self._class_use(TARIFF_SPEC, (tariff.tariff_class,))]
        for name, attribute, unit in PACKAGES:
            uses.append(self._value_use(TARIFF_SPEC, name, "number",
                                        [{"valueType": "number", "unitOfMeasure": unit,
                                          "value": getattr(tariff, attribute),
                                          "isDefault": True}]))
        return self._offering(offering_id, tariff.name, tariff.description, tariff.available,
                              TARIFF_CATEGORY, TARIFF_SPEC, uses,
                              self.tariff_prices(tariff), None)

    def service_offering(self, service: Service) -> Json:
        offering_id = ids.service_offering_id(service.code)
        return self._offering(offering_id, service.name, service.description, service.available,
                              SERVICE_CATEGORY, SERVICE_SPEC,
                              [self._class_use(SERVICE_SPEC, service.allowed_classes)],
                              self.service_prices(service),
                              trial_dates(service, self.reference))

    def paper_offering(self) -> Json:
        return self._offering(ids.PAPER_DETALIZATION, PAPER_NAME, PAPER_DESCRIPTION, True,
                              DOCUMENT_CATEGORY, DOCUMENT_SPEC, [], self.paper_prices(), None)

    def _offering(self, offering_id: str, name: str, description: str, available: bool,
                  category: str, spec: str, uses: list[Json], prices: list[Json],
                  trial: tuple[date, date] | None) -> Json:
        body: Json = {
            "id": offering_id,
            "href": self.links.href(CATALOG_API, "productOffering", offering_id),
            "@type": "ProductOffering",
            "name": name,
            "description": description,
            "isBundle": False,
            "lastUpdate": self.last_update,
            "lifecycleStatus": LAUNCHED if available else RETIRED,
            "category": [self._category_ref(category)],
            "productSpecification": self._spec_ref(spec),
            "prodSpecCharValueUse": uses,
        }
        if trial is not None:
            body["productOfferingTerm"] = [{
                "name": "trial",
                "description": "Тестовая эксплуатация (R5): первый и последний день "
                               "включительно, даты по UTC",
                "validFor": {"startDateTime": f"{trial[0].isoformat()}T00:00:00Z",
                             "endDateTime": f"{trial[1].isoformat()}T23:59:59Z"}}]
        body["productOfferingPrice"] = [price_ref(p["id"], p["name"], self.links)
                                        for p in prices]
        return body

    def _class_use(self, spec: str, classes: tuple[str, ...]) -> Json:
        values = [{"valueType": "string", "value": c} for c in classes]
        return {**self._value_use(spec, "tariffClass", "string", values),
                "minCardinality": 1, "maxCardinality": len(classes)}

    def _value_use(self, spec: str, name: str, value_type: str, values: list[Json]) -> Json:
        return {"name": name, "valueType": value_type, "productSpecCharacteristicValue": values,
                "productSpecification": self._spec_ref(spec)}

    # -- prices -------------------------------------------------------------------------------

    def prices(self) -> Iterator[Json]:
        for tariff in TARIFFS:
            yield from self.tariff_prices(tariff)
        for service in SERVICES:
            yield from self.service_prices(service)
        yield from self.paper_prices()

    def tariff_prices(self, tariff: Tariff) -> list[Json]:
        offering_id = ids.tariff_offering_id(tariff.code)
        status = LAUNCHED if tariff.available else RETIRED
        made = [
            self._price(offering_id, "oneTime", f"Переход на тариф «{tariff.name}»", status,
                        {"priceType": "oneTime", "price": money(tariff.one_off_kop)},
                        "Цена по прейскуранту; сколько платит абонент, задаёт его текущий "
                        "тариф (switchFeeShare, R4)"),
            self.recurring_price(offering_id, tariff.name, tariff.monthly_kop, status),
        ]
        for kind, attribute, unit, name in USAGE_PRICES:
            made.append(self._price(offering_id, kind, name, status,
                                    {"priceType": "usage",
                                     "unitOfMeasure": {"amount": 1, "units": unit},
                                     "price": money(getattr(tariff, attribute))}))
        made.append(self._price(
            offering_id, SWITCH_SHARE, SWITCH_SHARE, status,
            {"priceType": "oneTime", "percentage": tariff.switch_fee_percent},
            "R4: доля цены перехода на другой тариф (его oneTime), которую платит абонент "
            "этого тарифа, в процентах; округляется вниз до копеек"))
        made.append(self._price(
            offering_id, CONNECTION_SHARE, CONNECTION_SHARE, status,
            {"priceType": "oneTime", "percentage": tariff.connection_fee_percent},
            "R4: доля цены подключения услуги (её oneTime), которую платит абонент этого "
            "тарифа, в процентах; округляется вниз до копеек"))
        return made

    def service_prices(self, service: Service) -> list[Json]:
        offering_id = ids.service_offering_id(service.code)
        status = LAUNCHED if service.available else RETIRED
        return [
            self._price(offering_id, "oneTime", f"Подключение услуги «{service.name}»", status,
                        {"priceType": "oneTime", "price": money(service.one_off_kop)},
                        "Цена по прейскуранту; сколько платит абонент, задаёт его тариф "
                        "(connectionFeeShare, R4)"),
            self.recurring_price(offering_id, service.name, service.monthly_kop, status),
        ]

    def paper_prices(self) -> list[Json]:
        return [self._price(ids.PAPER_DETALIZATION, "oneTime", PAPER_NAME, LAUNCHED,
                            {"priceType": "oneTime", "price": money(0)},
                            "Бесплатно, за любой период (R8)")]

    def recurring_price(self, offering_id: str, name: str, monthly_kop: int,
                        status: str = LAUNCHED) -> Json:
        return self._price(offering_id, "recurring", f"Абонентская плата «{name}»", status,
                           {"priceType": "recurring", "recurringChargePeriodType": "month",
                            "recurringChargePeriodLength": 1, "price": money(monthly_kop)},
                           "Списывается 1-го числа каждого месяца")

    def _price(self, offering_id: str, kind: str, name: str, status: str, priced: Json,
               description: str = "") -> Json:
        price_id = ids.price_id(offering_id, kind)
        body: Json = {
            "id": price_id,
            "href": self.links.href(CATALOG_API, "productOfferingPrice", price_id),
            "@type": "ProductOfferingPrice",
            "name": name,
        }
        if description:
            body["description"] = description
        return {**body, "isBundle": False, "lastUpdate": self.last_update,
                "lifecycleStatus": status, **priced}

    # -- specifications, categories, the catalog ----------------------------------------------

    def specifications(self) -> Iterator[Json]:
        classes = [{"valueType": "string", "value": c} for c in TARIFF_CLASSES]
        tariff_class = {"name": "tariffClass", "valueType": "string", "configurable": False,
                        "description": "mass | corporate | vip",
                        "productSpecCharacteristicValue": classes}
        packages = [{"name": name, "valueType": "number", "configurable": False,
                     "description": f"Пакет на календарный месяц, {unit}; 0 — без пакета",
                     "productSpecCharacteristicValue": [{"valueType": "number",
                                                         "unitOfMeasure": unit}]}
                    for name, _attribute, unit in PACKAGES]
        yield self._specification(TARIFF_SPEC, "Тарифный план",
                                  "Тариф мобильной связи: класс, пакеты и цены",
                                  [tariff_class, *packages])
        yield self._specification(SERVICE_SPEC, "Услуга",
                                  "Услуга, подключаемая к номеру на тарифах указанных классов",
                                  [{**tariff_class, "description": "Классы тарифов, на которых "
                                                                   "услуга доступна"}])
        period = [{"name": name, "valueType": "date", "configurable": True,
                   "description": description}
                  for name, description in (("periodStart", "Первый день периода, ГГГГ-ММ-ДД"),
                                            ("periodEnd", "Последний день периода, "
                                                          "ГГГГ-ММ-ДД"))]
        yield self._specification(DOCUMENT_SPEC, "Документ",
                                  "Документ, выдаваемый абоненту в салоне", period)

    def _specification(self, spec_id: str, name: str, description: str,
                       characteristics: list[Json]) -> Json:
        return {"id": spec_id,
                "href": self.links.href(CATALOG_API, "productSpecification", spec_id),
                "@type": "ProductSpecification", "name": name, "description": description,
                "isBundle": False, "lastUpdate": self.last_update, "lifecycleStatus": ACTIVE,
                "productSpecCharacteristic": characteristics}

    def categories(self) -> Iterator[Json]:
        members = {
            TARIFF_CATEGORY: [(ids.tariff_offering_id(t.code), t.name) for t in TARIFFS],
            SERVICE_CATEGORY: [(ids.service_offering_id(s.code), s.name) for s in SERVICES],
            DOCUMENT_CATEGORY: [(ids.PAPER_DETALIZATION, PAPER_NAME)]}
        for category_id, offerings in members.items():
            yield {"id": category_id,
                   "href": self.links.href(CATALOG_API, "category", category_id),
                   "@type": "Category", "name": _CATEGORY_NAMES[category_id],
                   "isRoot": True, "lastUpdate": self.last_update, "lifecycleStatus": ACTIVE,
                   "productOffering": [offering_ref(offering_id, name, self.links)
                                       for offering_id, name in offerings]}

    def catalogs(self) -> Iterator[Json]:
        yield {"id": CATALOG_ID, "href": self.links.href(CATALOG_API, "catalog", CATALOG_ID),
               "@type": "Catalog", "name": "Мобильная связь", "catalogType": "ProductCatalog",
               "description": "Тарифы, услуги и документы оператора",
               "lastUpdate": self.last_update, "lifecycleStatus": ACTIVE,
               "category": [self._category_ref(c) for c in (TARIFF_CATEGORY, SERVICE_CATEGORY,
                                                            DOCUMENT_CATEGORY)]}

    def _category_ref(self, category_id: str) -> Json:
        return {"id": category_id, "href": self.links.href(CATALOG_API, "category", category_id),
                "name": _CATEGORY_NAMES[category_id], "@referredType": "Category"}

    def _spec_ref(self, spec_id: str) -> Json:
        return {"id": spec_id,
                "href": self.links.href(CATALOG_API, "productSpecification", spec_id),
                "name": _SPEC_NAMES[spec_id], "@referredType": "ProductSpecification"}


_CATEGORY_NAMES = {TARIFF_CATEGORY: "Тарифы", SERVICE_CATEGORY: "Услуги",
                   DOCUMENT_CATEGORY: "Документы"}
_SPEC_NAMES = {TARIFF_SPEC: "Тарифный план", SERVICE_SPEC: "Услуга", DOCUMENT_SPEC: "Документ"}

# Each world resource of the catalog API, as the entities a WorldCatalog makes.
MAKERS: dict[str, Callable[[WorldCatalog], Iterator[Json]]] = {
    "productOffering": WorldCatalog.offerings,
    "productOfferingPrice": WorldCatalog.prices,
    "productSpecification": WorldCatalog.specifications,
    "category": WorldCatalog.categories,
    "catalog": WorldCatalog.catalogs,
}
