"""Who stands behind a line: the one party of a role the line names (TMF637 `GET /product/
{line id}?fields=id,productSerialNumber,relatedParty`), then that party's own record — the
user's identity documents (TMF632, app/operator_api/identity.py), the customer's contact
media (TMF629, app/operator_api/contacts.py). Both answers are checked to be about the line
and the party asked for."""

from __future__ import annotations

from urllib.parse import quote

import httpx
from pydantic import Field

from app.operator_api.line_ids import LineIds
from app.operator_api.tmf_wire import TmfWire
from app.operator_api.wire_lines import TmfParty, one_party


class TmfLineParties(TmfWire):
    id: str = Field(min_length=1, max_length=200)
    serial_number: str = Field(alias="productSerialNumber")
    parties: list[TmfParty] = Field(default_factory=list, alias="relatedParty")

    def party(self, role: str) -> TmfParty:
        return one_party(self.parties, role)


class LineParties(LineIds):
    def _line_party(self, msisdn: str, role: str) -> TmfParty:
        """The one party of `role` on the live line with this number (E.164)."""
        line, response = self._line_answer(
            msisdn, lambda line: self._request(
                "GET", self._line_path("productInventory", "product", line),
                params={"fields": "id,productSerialNumber,relatedParty"}))
        path = self._line_path("productInventory", "product", line)
        wire = self._validate(response, TmfLineParties, path)
        self._same_number(msisdn, wire.serial_number, path)
        self._same_number(line, wire.id, path)
        party: TmfParty = self._convert(lambda: wire.party(role))
        return party

    def _party_record(self, msisdn: str, api: str, resource: str, party_id: str,
                      fields: str) -> tuple[httpx.Response, str]:
        """The party's own record (`fields` of it) and its path; SubscriberNotFound on 404."""
        path = f"{self._api(api)}/{resource}/{quote(party_id, safe='')}"
        answer = self._with_retries(lambda: self._request("GET", path,
                                                          params={"fields": fields}))
        if answer.status_code == 404:
            raise self._not_found(msisdn)
        self._raise_for_refusal(answer, msisdn)
        return answer, path
