"""The e-mail addresses the operator holds (app/operator_api/contacts.py) against
httpx.MockTransport, every request and answer held to the published TMF637 / TMF629
documents: the line's customer, their `contactMedium[]` of `mediumType` email (the preferred
first, other media not read); answers about another line or customer, or not TMF's, refused
whole — and a malformed answer's addresses never reach the log."""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

import httpx
import pytest

from app.clock import FixedClock
from app.errors import OperatorProtocolError, SubscriberNotFound
from app.operator_api.client import OperatorClient
from tests.support.tmf_docs import TmfDocs
from tests.support.tmf_samples import INVENTORY, MSISDN, ROOT, CardOperator, tmf_error

NOW = datetime(2026, 11, 23, 10, 15, tzinfo=UTC)
CUSTOMERS = "/tmf-api/customerManagement/v4/customer"
CANARY = "canary.address.7731@mail.example"


def email(address: str, preferred: bool | None = None) -> dict[str, Any]:
    medium: dict[str, Any] = {"mediumType": "email",
                              "characteristic": {"contactType": "email",
                                                 "emailAddress": address}}
    if preferred is not None:
        medium["preferred"] = preferred
    return medium


def customer(*media: dict[str, Any], **extra: Any) -> dict[str, Any]:
    """TMF629 Customer as published (`name` and `engagedParty` required)."""
    answer: dict[str, Any] = {
        "id": "C-79161234567", "href": f"{ROOT}{CUSTOMERS}/C-79161234567",
        "@type": "Customer", "name": "Иванова Мария Петровна", "status": "Approved",
        "engagedParty": {"id": "I-79161234567", "name": "Иванова Мария Петровна",
                         "href": f"{ROOT}/tmf-api/party/v4/individual/I-79161234567",
                         "@referredType": "Individual"}}
    if media:
        answer["contactMedium"] = list(media)
    return {**answer, **extra}


def customer_deviations(docs: TmfDocs) -> list[str]:
    """What the TMF629 document finds wrong (the card's fake line is held to TMF637 in its own
    tests; over loopback, tests/integration/test_email_delivery.py holds every message)."""
    return [d for d in docs.deviations if "customerManagement" in d]


def selected(answer: dict[str, Any], request: httpx.Request) -> dict[str, Any]:
    """TMF630 attribute selection as a server does it: what `fields` names (and href, @type)
    — so a required attribute the console does not ask for would be missing, as it would be
    from a real operator, and the document check says so."""
    fields = request.url.params.get("fields")
    if fields is None:
        return answer
    kept = {*fields.split(","), "href", "@type"}
    return {key: value for key, value in answer.items() if key in kept}


@dataclass
class ContactOperator:
    """CardOperator's line, and the customer at TMF629."""

    answer: Any
    card: CardOperator

    def __call__(self, request: httpx.Request) -> httpx.Response:
        if request.url.path.startswith(f"{CUSTOMERS}/"):
            self.card.requests.append(request)
            if isinstance(self.answer, httpx.Response):
                return self.answer
            return httpx.Response(200, json=selected(self.answer, request))
        return self.card(request)


def client_for(answer: Any, docs: TmfDocs | None = None
               ) -> tuple[OperatorClient, CardOperator]:
    """`docs`: every message held to the published documents (a test's malformed answer
    goes without)."""
    card = CardOperator()
    inner = httpx.MockTransport(ContactOperator(answer, card))
    transport = docs.transport(inner) if docs is not None else inner
    return OperatorClient(ROOT, "secret-token", clock=FixedClock(NOW), read_retries=1,
                          sleep=lambda _s: None, transport=transport), card


def test_the_addresses_are_the_customers_email_media_the_preferred_first() -> None:
    docs = TmfDocs.from_folder()
    client, card = client_for(docs=docs, answer=customer(
        {"mediumType": "postalAddress", "characteristic": {"city": "Москва"}},
        email("work@firm.example", preferred=False), email("Polar.4567@Mail.Example", True),
        email("polar.4567@mail.example")))  # the same address twice: once
    assert client.email_addresses(MSISDN) == ("Polar.4567@Mail.Example", "work@firm.example")
    _lookup, line, person = card.requests
    assert line.url.path == f"{INVENTORY}/product/L-79161234567"
    assert dict(line.url.params) == {"fields": "id,productSerialNumber,relatedParty"}
    assert person.url.path == f"{CUSTOMERS}/C-79161234567"
    assert dict(person.url.params) == {"fields": "id,engagedParty,contactMedium"}
    assert customer_deviations(docs) == []
    assert docs.checked == 3  # the lookup, the line, the customer (TMF629)


def test_the_document_check_sees_a_wrong_customer() -> None:
    """The published TMF629 document is what the answers above are held to."""
    docs = TmfDocs.from_folder()
    client, _card = client_for(customer(email("a@mail.example"), contactMedium={}), docs)
    with pytest.raises(OperatorProtocolError):
        client.email_addresses(MSISDN)
    assert any("contactMedium" in deviation for deviation in docs.deviations)


def test_a_customer_without_an_email_has_none() -> None:
    docs = TmfDocs.from_folder()
    client, _card = client_for(customer(), docs)
    assert client.email_addresses(MSISDN) == ()
    client, _card = client_for(customer({"mediumType": "phone",
                                         "characteristic": {"phoneNumber": MSISDN}}), docs)
    assert client.email_addresses(MSISDN) == ()
    assert customer_deviations(docs) == []


@pytest.mark.parametrize("answer", [
    customer(email(CANARY), id="C-79990000000"),  # another customer than the line's
    customer(contactMedium=[{"mediumType": "email",
                             "characteristic": {"emailAddress": CANARY * 20}}]),
    customer(contactMedium="email " + CANARY),
])
def test_an_answer_that_is_not_the_customer_is_refused_and_logs_no_address(
        answer: dict[str, Any], caplog: pytest.LogCaptureFixture) -> None:
    client, _card = client_for(answer)
    with caplog.at_level(logging.DEBUG), pytest.raises(OperatorProtocolError) as refused:
        client.email_addresses(MSISDN)
    assert CANARY not in caplog.text and CANARY not in str(refused.value)


def test_no_such_customer_is_no_such_subscriber() -> None:
    client, _card = client_for(tmf_error(404, "not_found"), TmfDocs.from_folder())
    with pytest.raises(SubscriberNotFound):
        client.email_addresses(MSISDN)
