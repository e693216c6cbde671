"""Training only: a paper detalization ordered for pick-up at a salon (R11), placed the way the
operator's web shop does — TMF622 `POST productOrder` with one item of the offering
`paper-detalization` (resources/operator-api.md) — so a clerk in training has a queue to work.
The console itself never places such orders for a real operator: the calls refuse with
`not_sandbox` there."""

from __future__ import annotations

import uuid
from datetime import UTC, date

import httpx
from pydantic import AwareDatetime

from app.errors import InputError, RuleRefused, SubscriberNotFound
from app.i18n import _
from app.operator_api.access_codes import AccessCodeCalls
from app.operator_api.plumbing import error_body
from app.operator_api.wire import Wire
from app.phone import format_msisdn
from models.access_codes import PlacedPaperOrder

PAPER_DETALIZATION = "paper-detalization"


class _Placed(Wire):
    id: str
    state: str
    orderDate: AwareDatetime


class TrainingOrderCalls(AccessCodeCalls):
    def sandbox_order_paper(self, msisdn: str, start: date, end: date,
                            salon: str) -> PlacedPaperOrder:
        self._require_sandbox()
        path = f"{self._api('productOrderingManagement')}/productOrder"
        line = f"L-{msisdn.removeprefix('+')}"
        body = {"channel": [{"id": "online"}], "productOrderItem": [{
            "id": "1", "action": "add", "productOffering": {"id": PAPER_DETALIZATION},
            "product": {
                "productCharacteristic": [
                    {"name": "periodStart", "valueType": "date", "value": start.isoformat()},
                    {"name": "periodEnd", "valueType": "date", "value": end.isoformat()}],
                "place": [{"id": salon, "role": "pickupSalon"}],
                "productRelationship": [{"relationshipType": "bundled",
                                         "product": {"id": line}}]}}]}
        headers = {"Idempotency-Key": f"paper-{uuid.uuid4().hex}"}  # one order, however sent
        response = self._with_retries(
            lambda: self._request("POST", path, json=body, headers=headers), write=True)
        self._raise_for_paper_refusal(response, msisdn, salon)
        placed = self._validate(response, _Placed, path)
        return PlacedPaperOrder(placed.id, msisdn, salon, start, end,
                                placed.orderDate.astimezone(UTC), placed.state)

    def _raise_for_paper_refusal(self, response: httpx.Response, msisdn: str,
                                 salon: str) -> None:
        code, _message = error_body(response)
        if response.status_code == 422 and code == "R7":
            raise RuleRefused(_("{number} belongs to another home region than the salon "
                                "{salon}: a detalization is picked up in the number's home "
                                "region (R7).").format(number=format_msisdn(msisdn),
                                                       salon=salon), rule="R7")
        if response.status_code == 422 and code == "unknown_salon":
            raise InputError(_("The training sandbox has no salon {salon}; its salons are "
                               "listed in the README's training sandbox section.")
                             .format(salon=salon))
        if response.status_code == 404 and code == "not_found":
            raise SubscriberNotFound(_("There is no subscriber with the number {number}.")
                                     .format(number=format_msisdn(msisdn)))
        self._raise_for_refusal(response, msisdn)
