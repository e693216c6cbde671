"""The operator's catalog: tariffs and services with their prices, classes, availability and
trial dates — a part of OperatorClient (app/operator_api/client.py)."""

from __future__ import annotations

from app.operator_api.plumbing import OperatorPlumbing
from app.operator_api.wire import WireServiceList, WireTariffList
from models.domain import CatalogService, CatalogTariff


class CatalogCalls(OperatorPlumbing):
    def tariffs(self) -> list[CatalogTariff]:
        return [t.domain() for t in self._get("/v1/catalog/tariffs", WireTariffList).items]

    def services(self) -> list[CatalogService]:
        return [s.domain() for s in self._get("/v1/catalog/services", WireServiceList).items]
