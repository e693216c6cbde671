"""TMF632 individuals and TMF629 customers over loopback: the person using each line of the world
(the name /v1 serves, split into its parts), the customer holding it, created ones beside them;
every message held to the published TMF632 and TMF629 v4 documents ($TMF_DOCS, default
../shared/tmf/v4). TM Forum has no v4 kit for either (629's is the older R18 one), so these
documents are the check."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import httpx
import pytest

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


def ok(response: httpx.Response, status: int = 200) -> Any:
    assert response.status_code == status, response.text
    return response.json() if response.content else None


def test_the_person_using_a_line(sandbox: RunningSandbox, api: httpx.Client) -> None:
    assert ok(api.get(f"{PARTY}/individual/I-79161234567")) == {
        "id": "I-79161234567", "href": f"{sandbox.url}{PARTY}/individual/I-79161234567",
        "@type": "Individual", "fullName": "Иванова Мария Петровна",
        "formattedName": "Иванова Мария Петровна", "familyName": "Иванова",
        "givenName": "Мария", "middleName": "Петровна", "status": "validated"}
    tatar = ok(api.get(f"{PARTY}/individual/I-79171234567",
                       params={"fields": "familyName,givenName,middleName"}))
    assert (tatar["familyName"], tatar["givenName"], tatar["middleName"]) == (
        "Хабибуллин", "Рустам", "Ильдарович")
    assert "individualIdentification" not in ok(api.get(f"{PARTY}/individual/I-79161234567"))


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
