"""TMF681 communicationMessage over loopback: the SMS the phones received (an access code among
them) newest first, created messages beside them, the phones' read-only — every message held
to the published TMF681 v4 document ($TMF_DOCS, default ../shared/tmf/v4)."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from typing import Any

import httpx
import pytest

from sandbox.server import RunningSandbox, start_in_background
from tests.support.pinned import RunningClock
from tests.support.tmf_docs import TmfDocs

TOKEN = "tmf-token"
MARIA, POPOVA = "+79161234567", "+79121234567"
BASE = "/tmf-api/communicationManagement/v4"


@pytest.fixture(scope="module")
def sandbox(tmp_path_factory: pytest.TempPathFactory) -> Iterator[RunningSandbox]:
    running = start_in_background(tmp_path_factory.mktemp("tmf681") / "sandbox.sqlite3", 2026,
                                  TOKEN, real_time=RunningClock().seconds)
    yield running
    running.stop()


@pytest.fixture(scope="module")
def docs() -> TmfDocs:
    return TmfDocs.from_folder()


@pytest.fixture(scope="module")
def api(sandbox: RunningSandbox, docs: TmfDocs) -> Iterator[httpx.Client]:
    with httpx.Client(base_url=f"{sandbox.url}{BASE}", timeout=30, event_hooks=docs.hooks(),
                      headers={"Authorization": f"Bearer {TOKEN}"}) as client:
        yield client


def v1(sandbox: RunningSandbox, method: str, path: str) -> Any:
    answer = httpx.request(method, f"{sandbox.url}{path}", timeout=30,
                           headers={"Authorization": f"Bearer {TOKEN}",
                                    "Idempotency-Key": f"tmf681-{uuid.uuid4().hex}"})
    assert answer.status_code < 300, answer.text
    return answer.json()


def ok(response: httpx.Response, status: int = 200) -> Any:
    assert response.status_code == status, response.text
    return response.json() if response.content else None


def test_a_phones_sms_are_communication_messages_newest_first(sandbox: RunningSandbox,
                                                              api: httpx.Client) -> None:
    assert ok(api.get("/communicationMessage", params={"receiver.phoneNumber": MARIA})) == []
    for _ in range(2):
        v1(sandbox, "POST", f"/v1/subscribers/{MARIA}/access-code")
    phone = v1(sandbox, "GET", f"/sandbox/sms/{MARIA}")["items"]
    answer = api.get("/communicationMessage", params={"receiver.phoneNumber": MARIA})
    messages = ok(answer)
    assert answer.headers["X-Total-Count"] == "2"
    assert [m["content"] for m in messages] == [sms["text"] for sms in phone]
    newest = messages[0]
    assert newest == {
        "id": f"SMS-{phone[0]['id']}",
        "href": f"{sandbox.url}{BASE}/communicationMessage/SMS-{phone[0]['id']}",
        "@type": "CommunicationMessage", "messageType": "SMS", "content": phone[0]["text"],
        "sender": {"phoneNumber": phone[0]["from"], "name": phone[0]["from"]},
        "receiver": [{"phoneNumber": MARIA, "id": "L-79161234567"}],
        "sendTime": phone[0]["sent_at"], "sendTimeComplete": phone[0]["sent_at"],
        "state": "completed"}
    assert ok(api.get(f"/communicationMessage/{newest['id']}")) == newest
    assert ok(api.get(f"/communicationMessage/{newest['id']}",
                      params={"fields": "content,sendTime"})) == {
        k: newest[k] for k in ("id", "href", "@type", "content", "sendTime")}
    assert ok(api.get("/communicationMessage", params={"receiver.phoneNumber": POPOVA})) == []
    refused = api.patch(f"/communicationMessage/{newest['id']}", json={"content": "x"})
    assert refused.status_code == 405 and refused.json()["code"] == "read_only"
    assert api.delete(f"/communicationMessage/{newest['id']}").status_code == 405
    assert api.get("/communicationMessage/SMS-999999").status_code == 404


def test_created_messages_are_kept_never_delivered(sandbox: RunningSandbox,
                                                  api: httpx.Client) -> None:
    sent = {"content": "Hello $name", "messageType": "SMS",
            "receiver": [{"phoneNumber": POPOVA}], "sender": {"name": "Salon"}}
    answer = api.post("/communicationMessage", json=sent)
    made = ok(answer, 201)
    assert answer.headers["Location"] == made["href"]
    assert {k: made[k] for k in sent} == sent and made["@type"] == "CommunicationMessage"
    assert v1(sandbox, "GET", f"/sandbox/sms/{POPOVA}")["items"] == []  # no phone got it
    assert ok(api.get("/communicationMessage", params={"receiver.phoneNumber": POPOVA})) == [
        made]
    listing = ok(api.get("/communicationMessage", params={"messageType": "SMS"}))
    assert listing[0] == made and len(listing) >= 3
    assert ok(api.get("/communicationMessage", params={"content": "Hello $name"})) == [made]
    changed = ok(api.patch(f"/communicationMessage/{made['id']}", json={"state": "cancelled"}))
    assert changed == {**made, "state": "cancelled"}
    assert api.delete(f"/communicationMessage/{made['id']}").status_code == 204
    assert api.get(f"/communicationMessage/{made['id']}").status_code == 404


def test_a_message_without_its_mandatory_attributes_is_refused(sandbox: RunningSandbox) -> None:
    with httpx.Client(base_url=f"{sandbox.url}{BASE}", timeout=30,
                      headers={"Authorization": f"Bearer {TOKEN}"}) as raw:  # off the document
        answer = raw.post("/communicationMessage", json={"content": "x", "messageType": "SMS"})
    assert answer.status_code == 400, answer.text
    assert answer.json()["code"] == "bad_request" and "receiver, sender" in answer.json()[
        "message"]


def test_every_message_was_as_the_published_document_says(docs: TmfDocs) -> None:
    """Last in the module: what the others sent and received."""
    assert docs.checked > 12
    assert docs.deviations == [], "\n".join(docs.deviations)
