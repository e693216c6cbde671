"""TMF632 individuals and TMF629 customers over loopback: the person using each line of the world
(the name /v1 serves, split into its parts), the customer holding it, created ones beside them;
every message held to the published TMF632 and TMF629 v4 documents ($TMF_DOCS, default
../shared/tmf/v4). TM Forum has no v4 kit for either (629's is the older R18 one), so these
documents are the check."""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import UTC, datetime
from typing import Any

import httpx
import pytest

from sandbox.identities import Identity, identity_of
from sandbox.server import RunningSandbox, start_in_background
from tests.support.pinned import RunningClock
from tests.support.tmf_docs import TmfDocs

TOKEN = "tmf-token"
PARTY, CUSTOMERS = "/tmf-api/party/v4", "/tmf-api/customerManagement/v4"
MARIA, KHABIBULLIN = "+79161234567", "+79171234567"


@pytest.fixture(scope="module")
def sandbox(tmp_path_factory: pytest.TempPathFactory) -> Iterator[RunningSandbox]:
    running = start_in_background(tmp_path_factory.mktemp("tmf632") / "sandbox.sqlite3", 2026,
                                  TOKEN, real_time=RunningClock().seconds)
    yield running
    running.stop()


@pytest.fixture(scope="module")
def docs() -> TmfDocs:
    return TmfDocs.from_folder()


@pytest.fixture(scope="module")
def api(sandbox: RunningSandbox, docs: TmfDocs) -> Iterator[httpx.Client]:
    with httpx.Client(base_url=sandbox.url, timeout=30, event_hooks=docs.hooks(),
                      headers={"Authorization": f"Bearer {TOKEN}"}) as client:
        yield client


def utc_day(sandbox: RunningSandbox) -> str:
    return datetime.fromtimestamp(sandbox.store.reference, UTC).date().isoformat()


def ok(response: httpx.Response, status: int = 200) -> Any:
    assert response.status_code == status, response.text
    return response.json() if response.content else None


def record(sandbox: RunningSandbox, msisdn: str) -> Identity:
    """The world's made-up record of the number, as the sandbox draws it."""
    regions = sandbox.store.region_codes()
    return identity_of(2026, msisdn, regions[msisdn])


def test_the_person_using_a_line(sandbox: RunningSandbox, api: httpx.Client) -> None:
    document = record(sandbox, MARIA).document
    issued = f"{document.issued_on.isoformat()}T00:00:00Z"
    assert ok(api.get(f"{PARTY}/individual/I-79161234567")) == {
        "id": "I-79161234567", "href": f"{sandbox.url}{PARTY}/individual/I-79161234567",
        "@type": "Individual", "fullName": "Иванова Мария Петровна",
        "formattedName": "Иванова Мария Петровна", "familyName": "Иванова",
        "givenName": "Мария", "middleName": "Петровна",
        "individualIdentification": [{
            "identificationType": "passportRF", "identificationId": document.number,
            "issuingAuthority": "ГУ МВД России по г. Москве", "issuingDate": issued,
            "validFor": {"startDateTime": issued}}],
        "status": "validated"}
    tatar = ok(api.get(f"{PARTY}/individual/I-79171234567",
                       params={"fields": "familyName,givenName,middleName"}))
    assert (tatar["familyName"], tatar["givenName"], tatar["middleName"]) == (
        "Хабибуллин", "Рустам", "Ильдарович")


def test_every_person_has_a_document_of_the_real_format(sandbox: RunningSandbox,
                                                        api: httpx.Client) -> None:
    """Issue 14: made up, as the real ones look: an RF passport "SSYY NNNNNN" (the series the
    region's OKATO code and the year), a foreign passport "FA 1234567", a residence permit
    "82 1234567"; the same on every request (drawn from the seed)."""
    people = ok(api.get(f"{PARTY}/individual", params={"limit": 1000}))
    formats = {"passportRF": r"[0-9]{4} [0-9]{6}", "foreignPassport": r"FA [0-9]{7}",
               "residencePermit": r"82 [0-9]{7}"}
    kinds = set()
    for person in people:
        (document,) = person["individualIdentification"]
        kinds.add(document["identificationType"])
        assert re.fullmatch(formats[document["identificationType"]],
                            document["identificationId"]), document
        assert document["issuingDate"] < f"{utc_day(sandbox)}T00:00:00Z"
        assert document["validFor"].get("endDateTime", "9999") > document["issuingDate"]
        msisdn = "+" + person["id"].removeprefix("I-")
        assert document["identificationId"] == record(sandbox, msisdn).document.number
    assert kinds == set(formats)
    assert people == ok(api.get(f"{PARTY}/individual", params={"limit": 1000}))
    moscow = [d["identificationId"] for p in people if (d := p["individualIdentification"][0])[
        "issuingAuthority"].endswith("Москве") and d["identificationType"] == "passportRF"]
    assert moscow and all(number.startswith("45") for number in moscow)


def test_unverified_people_and_representatives(sandbox: RunningSandbox,
                                               api: httpx.Client) -> None:
    """303-FZ: some people's data is not confirmed (status initialized); some subscribers
    authorised a representative, an individual of its own with a document."""
    people = ok(api.get(f"{PARTY}/individual", params={"limit": 1000}))
    statuses = {p["status"] for p in people}
    assert statuses == {"validated", "initialized"}
    unverified = ok(api.get(f"{PARTY}/individual", params={"status": "initialized",
                                                          "limit": 1000}))
    assert 0 < len(unverified) < len(people) // 5
    assert all(record(sandbox, "+" + p["id"].removeprefix("I-")).unverified for p in unverified)
    smirnov = ok(api.get(f"{PARTY}/individual/I-79119876543"))
    (link,) = smirnov["relatedParty"]
    assert link["role"] == "authorisedRepresentative" and link["id"] == "I-79119876543-R"
    chosen = record(sandbox, "+79119876543").representative
    assert chosen is not None and link["name"] == chosen.name
    representative = ok(api.get(link["href"]))
    assert representative["fullName"] == chosen.name
    assert representative["individualIdentification"][0]["identificationId"] == (
        chosen.document.number)
    represented = [p for p in people if p.get("relatedParty")]
    assert 0 < len(represented) < len(people) // 4
    assert api.get(f"{PARTY}/individual/I-79161234567-R").status_code == 404  # none
    assert api.get(f"{PARTY}/individual/I-79990000000-R").status_code == 404


def test_the_email_the_operator_holds(api: httpx.Client) -> None:
    """TMF629 contactMedium: some customers have an e-mail address (made up, at .example)."""
    maria = ok(api.get(f"{CUSTOMERS}/customer/C-79161234567"))
    (medium,) = maria["contactMedium"]
    assert medium["mediumType"] == "email"
    assert medium["characteristic"]["emailAddress"].endswith(".example")
    customers = ok(api.get(f"{CUSTOMERS}/customer", params={"limit": 1000}))
    with_email = [c for c in customers if c.get("contactMedium")]
    assert 0 < len(with_email) < len(customers)
    assert "contactMedium" not in ok(api.get(f"{CUSTOMERS}/customer/C-79119876543"))


def test_every_person_has_the_name_v1_serves(api: httpx.Client) -> None:
    answer = api.get(f"{PARTY}/individual", params={"limit": 1000})
    people = ok(answer)
    demo = ok(api.get("/sandbox/subscribers"))["items"]
    assert answer.headers["X-Total-Count"] == str(len(demo)) == str(len(people))
    for person, subscriber in zip(people, demo, strict=True):
        assert person["id"] == "I-" + subscriber["msisdn"].removeprefix("+")
        assert person["fullName"] == subscriber["name"]
        assert " ".join((person["familyName"], person["givenName"], person["middleName"])) == (
            subscriber["name"])
    assert ok(api.get(f"{PARTY}/individual", params={"familyName": "Иванова",
                                                     "givenName": "Мария"}))[0][
        "id"] == "I-79161234567"
    assert ok(api.get(f"{PARTY}/individual", params={"id": "I-79171234567,I-79990000000"}))[
        0]["fullName"] == "Хабибуллин Рустам Ильдарович"


def test_the_customer_holding_a_line(sandbox: RunningSandbox, api: httpx.Client) -> None:
    customer = ok(api.get(f"{CUSTOMERS}/customer/C-79161234567"))
    customer.pop("contactMedium")
    assert customer == {
        "id": "C-79161234567", "href": f"{sandbox.url}{CUSTOMERS}/customer/C-79161234567",
        "@type": "Customer", "name": "Иванова Мария Петровна", "status": "Approved",
        "engagedParty": {"id": "I-79161234567",
                         "href": f"{sandbox.url}{PARTY}/individual/I-79161234567",
                         "name": "Иванова Мария Петровна", "@referredType": "Individual"}}
    assert ok(api.get(customer["engagedParty"]["href"]))["id"] == "I-79161234567"
    assert ok(api.get(f"{CUSTOMERS}/customer", params={"engagedParty.id": "I-79171234567"})
              ) == [ok(api.get(f"{CUSTOMERS}/customer/C-79171234567"))]


def test_created_people_live_beside_the_world(api: httpx.Client) -> None:
    made = ok(api.post(f"{PARTY}/individual", json={"givenName": "Анна",
                                                    "familyName": "Котова"}), 201)
    assert ok(api.get(f"{PARTY}/individual", params={"limit": 1}))[0] == made
    assert ok(api.post(f"{CUSTOMERS}/customer", json={
        "name": "Котова", "engagedParty": {"id": made["id"], "@referredType": "Individual"}}),
        201)["engagedParty"]["id"] == made["id"]
    assert api.patch(f"{PARTY}/individual/I-79161234567",
                     json={"givenName": "Анна"}).status_code == 405
    assert api.delete(f"{CUSTOMERS}/customer/C-79161234567").status_code == 405
    assert ok(api.get(f"{PARTY}/individual/I-79161234567"))["givenName"] == "Мария"
    for missing in (f"{PARTY}/individual/I-79990000000", f"{PARTY}/individual/C-79161234567",
                    f"{CUSTOMERS}/customer/C-79990000000"):
        assert api.get(missing).status_code == 404


def test_a_person_without_a_name_is_refused(sandbox: RunningSandbox) -> None:
    with httpx.Client(base_url=sandbox.url, timeout=30,
                      headers={"Authorization": f"Bearer {TOKEN}"}) as raw:  # off the document
        answer = raw.post(f"{PARTY}/individual", json={"givenName": "Анна"})
    assert answer.status_code == 400 and "familyName" in answer.json()["message"]


def test_every_message_was_as_the_published_document_says(docs: TmfDocs) -> None:
    """Last in the module: what the others sent and received."""
    assert docs.checked > 12
    assert docs.deviations == [], "\n".join(docs.deviations)
