"""R10: the operator's record of the holder's identity — a part of OperatorClient
(app/operator_api/client.py).

- the line's user: TMF637 `GET /product/{line id}?fields=id,productSerialNumber,relatedParty`
  (`relatedParty` role `user`);
- their record: TMF632 `GET /individual/{id}?fields=id,status,individualIdentification`:
  `status` (IndividualStateType: `validated` = the data is confirmed; `initialized` = not yet,
  303-FZ — the console shows the subscriber as unverified), `individualIdentification[]`
  (`identificationType`, `identificationId`).

The answer carries document numbers: it is validated as secret (the log names where it is
wrong, never a value), and the numbers stay in the returned object, in memory, for the
comparison only (app/services/identity.py).
"""

from __future__ import annotations

from pydantic import Field

from app.operator_api.line_parties import LineParties
from app.operator_api.tmf_wire import TmfWire
from app.operator_api.wire_lines import USER_ROLE
from models.identity import HolderRecord, IdentityDocument

# TMF632 IndividualStateType `initialized`: the operator has not confirmed the person's data
# yet (303-FZ). `validated` is confirmed; a record without a status (the attribute is optional)
# is taken as the operator's record as it stands.
UNVERIFIED_STATE = "initialized"


class TmfIdentification(TmfWire):
    """TMF632 `IndividualIdentification`: the console reads the type and the number."""

    kind: str = Field(alias="identificationType", min_length=1, max_length=64)
    number: str = Field(alias="identificationId", min_length=1, max_length=64)


class TmfIdentityRecord(TmfWire):
    """TMF632 `Individual`, read for its state and documents."""

    id: str = Field(min_length=1, max_length=200)
    status: str | None = Field(None, max_length=40)
    identifications: list[TmfIdentification] = Field(
        default_factory=list, alias="individualIdentification", max_length=20)

    def domain(self) -> HolderRecord:
        return HolderRecord(
            verified=self.status != UNVERIFIED_STATE,
            documents=tuple(IdentityDocument(item.kind, item.number)
                            for item in self.identifications))


class IdentityCalls(LineParties):
    def holder_record(self, msisdn: str) -> HolderRecord:
        """The operator's record of the person using the line with this number (E.164):
        their state and identity documents. SubscriberNotFound when there is no live line;
        OperatorProtocolError when an answer is about another line or person, or not TMF's."""
        user = self._line_party(msisdn, USER_ROLE)
        answer, person_path = self._party_record(
            msisdn, "party", "individual", user.id, "id,status,individualIdentification")
        person = self._validate(answer, TmfIdentityRecord, person_path, secret=True)
        self._same_number(user.id, person.id, person_path)
        record: HolderRecord = person.domain()
        return record
