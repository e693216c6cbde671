"""The operator's catalog: tariffs and services with their prices, classes, availability and
trial dates (TMF620 productOffering + productOfferingPrice) — a part of OperatorClient
(app/operator_api/client.py). How the TMF entities become the domain's is
app/operator_api/wire_catalog.py."""

from __future__ import annotations

from app.operator_api.tmf_lists import TmfLists
from app.operator_api.wire_catalog import (
    OFFERINGS,
    PRICE_ENTITIES,
    SERVICE_CATEGORY,
    TARIFF_CATEGORY,
    PriceEntity,
    TmfOffering,
    catalog_service,
    catalog_tariff,
    in_catalog,
    prices_by_id,
)
from models.domain import CatalogService, CatalogTariff


class CatalogCalls(TmfLists):
    def tariffs(self) -> list[CatalogTariff]:
        """The tariffs, on sale and archived, in the operator's order."""
        offerings, prices = self._offerings(TARIFF_CATEGORY)
        return self._convert(lambda: [catalog_tariff(o, prices) for o in offerings])

    def services(self) -> list[CatalogService]:
        """The services, on sale and archived (the Assistant among them), in the operator's
        order."""
        offerings, prices = self._offerings(SERVICE_CATEGORY)
        return self._convert(lambda: [catalog_service(o, prices) for o in offerings])

    def _offerings(self, category: str) -> tuple[list[TmfOffering], dict[str, PriceEntity]]:
        """The category's offerings (`GET /productOffering?category.id=…`; kept to those of the
        category also when an operator ignores the filter) and the one price list they refer
        to (`GET /productOfferingPrice`), by id."""
        base = self._api("productCatalogManagement")
        offerings = [o for o in self._get_all(f"{base}/productOffering", OFFERINGS,
                                              params={"category.id": category})
                     if in_catalog(o, category)]
        if not offerings:
            return [], {}
        entities = self._get_all(f"{base}/productOfferingPrice", PRICE_ENTITIES)
        return offerings, self._convert(lambda: prices_by_id(entities))
