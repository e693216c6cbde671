"""R10's operator read (app/operator_api/identity.py) against httpx.MockTransport, every request
and answer held to the published TMF637 / TMF632 documents: the line's user, their state
(303-FZ) and documents; answers about another line or person, or not TMF's, refused whole —
and a malformed record's numbers never reach the log."""

from __future__ import annotations

import logging
from datetime import UTC, datetime
from typing import Any

import httpx
import pytest

from app.clock import FixedClock
from app.errors import OperatorProtocolError, SubscriberNotFound
from app.operator_api.client import OperatorClient
from tests.support.tmf_docs import TmfDocs
from tests.support.tmf_samples import INVENTORY, MSISDN, PARTY, CardOperator, individual_json

NOW = datetime(2026, 11, 23, 10, 15, tzinfo=UTC)
CANARY = "4510 730291"


def person(status: str | None = "validated", **extra: Any) -> dict[str, Any]:
    """TMF632 Individual as published: `status` an IndividualStateType, a document in
    `individualIdentification[]`."""
    answer = {**individual_json(), "individualIdentification": [
        {"identificationType": "passportRF", "identificationId": CANARY,
         "issuingAuthority": "ГУ МВД России по г. Москве", "issuingDate": "2015-06-01T00:00:00Z",
         "validFor": {"startDateTime": "2015-06-01T00:00:00Z"}},
        {"identificationType": "militaryId", "identificationId": "АА 0012345"}], **extra}
    if status is not None:
        answer["status"] = status
    return answer


def client_for(operator: CardOperator) -> OperatorClient:
    return OperatorClient("http://operator.test", "secret-token", clock=FixedClock(NOW),
                          read_retries=1, sleep=lambda _s: None,
                          transport=TmfDocs.from_folder().transport(
                              httpx.MockTransport(operator)))


def test_the_record_is_the_line_users_state_and_documents() -> None:
    operator = CardOperator(individual=person())
    record = client_for(operator).holder_record(MSISDN)
    assert record.verified
    assert [(d.kind, d.number) for d in record.documents] == [
        ("passportRF", CANARY), ("militaryId", "АА 0012345")]
    assert CANARY not in repr(record)  # a log line naming it shows no number
    _lookup, line, individual = operator.requests
    assert line.url.path == f"{INVENTORY}/product/L-79161234567"
    assert dict(line.url.params) == {"fields": "id,productSerialNumber,relatedParty"}
    assert individual.url.path == f"{PARTY}/individual/I-79161234567"
    assert dict(individual.url.params) == {"fields": "id,status,individualIdentification"}


@pytest.mark.parametrize(("status", "verified"), [
    ("validated", True), ("initialized", False), (None, True)])
def test_initialized_is_an_unverified_subscriber(status: str | None, verified: bool) -> None:
    record = client_for(CardOperator(individual=person(status))).holder_record(MSISDN)
    assert record.verified is verified


def test_a_person_without_documents_has_none() -> None:
    answer = {**individual_json(), "status": "validated"}
    assert client_for(CardOperator(individual=answer)).holder_record(MSISDN).documents == ()


@pytest.mark.parametrize("answer", [
    person(id="I-79990000000"),  # another person than the line's user
    person(individualIdentification=[{"identificationType": "passportRF",
                                       "identificationId": ""}]),
    person(individualIdentification=[{"identificationId": CANARY}]),  # no type
    person(individualIdentification="passportRF " + CANARY),
])
def test_an_answer_that_is_not_the_record_is_refused_and_logs_no_number(
        answer: dict[str, Any], caplog: pytest.LogCaptureFixture) -> None:
    operator = CardOperator(individual=answer)
    client = OperatorClient("http://operator.test", "t", clock=FixedClock(NOW),
                            read_retries=1, sleep=lambda _s: None,
                            transport=httpx.MockTransport(operator))
    with caplog.at_level(logging.DEBUG), pytest.raises(OperatorProtocolError) as refused:
        client.holder_record(MSISDN)
    assert CANARY not in caplog.text and CANARY not in str(refused.value)
    assert refused.value.__cause__ is None or CANARY not in str(refused.value.__cause__)


def test_a_line_of_another_number_is_refused() -> None:
    from tests.support.tmf_samples import line_json

    operator = CardOperator(line=line_json(productSerialNumber="+79990000000"),
                            individual=person())
    with pytest.raises(OperatorProtocolError):
        client_for(operator).holder_record(MSISDN)


def test_no_such_person_is_no_such_subscriber() -> None:
    operator = CardOperator(individual=httpx.Response(404, json={
        "code": "not_found", "reason": "Not Found", "message": "no", "status": "404",
        "@type": "Error"}))
    with pytest.raises(SubscriberNotFound):
        client_for(operator).holder_record(MSISDN)
