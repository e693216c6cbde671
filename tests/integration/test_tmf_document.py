"""TMF667 document over loopback: the personal archive (R8, R9) — one archive with /v1's: a
document archived here is /v1's and the other way round; content base64 only when one document
is fetched; the archive's limits as TMF Errors; expiry after 3 days of the sandbox clock as 410
`R9`, the bytes gone and never kept in a stored answer — every message held to the published
TMF667 v4 document ($TMF_DOCS, default ../shared/tmf/v4)."""

from __future__ import annotations

import base64
import hashlib
import uuid
from collections.abc import Iterator
from datetime import datetime, timedelta
from typing import Any

import httpx
import pytest

from sandbox import documents
from sandbox.server import RunningSandbox, start_in_background
from sandbox.tmf import document_api
from tests.support.pinned import PINNED
from tests.support.tmf_docs import TmfDocs

TOKEN = "tmf-token"
MARIA, POPOVA = "+79161234567", "+79121234567"
LINE = "L-79161234567"
BASE = "/tmf-api/document/v4"
PDF = b"%PDF-1.4\n% a detalization\n" + bytes(range(256))


@pytest.fixture(scope="module")
def sandbox(tmp_path_factory: pytest.TempPathFactory) -> Iterator[RunningSandbox]:
    frozen = PINNED.timestamp()
    running = start_in_background(tmp_path_factory.mktemp("tmf667") / "sandbox.sqlite3", 2026,
                                  TOKEN, real_time=lambda: frozen)
    yield running
    running.stop()


@pytest.fixture(scope="module")
def docs() -> TmfDocs:
    return TmfDocs.from_folder()


@pytest.fixture(scope="module")
def api(sandbox: RunningSandbox, docs: TmfDocs) -> Iterator[httpx.Client]:
    with httpx.Client(base_url=f"{sandbox.url}{BASE}", timeout=60, event_hooks=docs.hooks(),
                      headers={"Authorization": f"Bearer {TOKEN}"}) as client:
        yield client


@pytest.fixture(scope="module")
def raw(sandbox: RunningSandbox) -> Iterator[httpx.Client]:
    """Off the published document on purpose (bodies that are not documents) and /v1."""
    with httpx.Client(base_url=sandbox.url, timeout=60,
                      headers={"Authorization": f"Bearer {TOKEN}"}) as client:
        yield client


def ok(response: httpx.Response, status: int = 200) -> Any:
    assert response.status_code == status, response.text
    return response.json()


def tmf_error(response: httpx.Response, status: int, code: str) -> dict[str, Any]:
    assert response.status_code == status, response.text
    body: dict[str, Any] = response.json()
    assert body["code"] == code and body["status"] == str(status) and body["@type"] == "Error"
    return body


def key() -> str:
    return f"tmf667-{uuid.uuid4().hex}"


def document(content: bytes = PDF, mime: str = "application/pdf", name: str = "nov.pdf",
             owner: str = LINE, **extra: Any) -> dict[str, Any]:
    return {"name": name, "documentType": "detalization",
            "relatedParty": [{"id": owner, "role": "owner", "@referredType": "Product"}],
            "binaryAttachment": [{"name": name, "mimeType": mime,
                                  "size": {"amount": len(content), "units": "bytes"},
                                  "content": base64.b64encode(content).decode()}], **extra}


def instant(text: str) -> datetime:
    return datetime.fromisoformat(text)


def test_a_document_archived_here_is_the_archives(sandbox: RunningSandbox, api: httpx.Client,
                                                   raw: httpx.Client) -> None:
    written = key()
    answer = api.post("/document", json=document(), headers={"Idempotency-Key": written})
    made = ok(answer, 201)
    assert answer.headers["Location"] == made["href"] == f"{sandbox.url}{BASE}/document/" \
        f"{made['id']}"
    attachment = made["binaryAttachment"][0]
    assert "content" not in attachment  # the answer (kept for retries) never holds the bytes
    assert attachment["mimeType"] == "application/pdf" and attachment["size"] == {
        "amount": len(PDF), "units": "bytes"}
    start, end = (instant(attachment["validFor"][k]) for k in ("startDateTime", "endDateTime"))
    assert end - start == timedelta(days=3)  # R9
    assert made["relatedParty"][0]["id"] == LINE and made["documentType"] == "detalization"
    assert made["creationDate"] == attachment["validFor"]["startDateTime"]
    assert made["characteristic"] == [{"name": "sha256", "valueType": "string",
                                       "value": hashlib.sha256(PDF).hexdigest()}]

    # One archive: /v1 lists and serves the same document.
    listed = ok(raw.get(f"/v1/subscribers/{MARIA}/documents"))["items"]
    assert [(d["id"], d["name"], d["sha256"], d["expires_at"]) for d in listed] == [
        (made["id"], "nov.pdf", hashlib.sha256(PDF).hexdigest(),
         attachment["validFor"]["endDateTime"])]
    assert raw.get(f"/v1/documents/{made['id']}").content == PDF

    fetched = ok(api.get(f"/document/{made['id']}"))
    assert base64.b64decode(fetched["binaryAttachment"][0]["content"]) == PDF
    assert {k: v for k, v in fetched.items() if k != "binaryAttachment"} == {
        k: v for k, v in made.items() if k != "binaryAttachment"}
    assert ok(api.get(f"/document/{made['id']}", params={"fields": "name,documentType"})) == {
        "id": made["id"], "href": made["href"], "@type": "Document", "name": "nov.pdf",
        "documentType": "detalization"}
    assert ok(api.get("/document", params={"relatedParty.id": LINE})) == [made]
    assert ok(api.get("/document", params={"relatedParty.id": "L-79121234567"})) == []

    replay = api.post("/document", json=document(), headers={"Idempotency-Key": written})
    assert ok(replay, 201) == made and replay.headers["Idempotent-Replayed"] == "true"
    assert replay.headers["Location"] == made["href"]
    tmf_error(api.post("/document", json=document(PDF + b"!"),
                       headers={"Idempotency-Key": written}), 409, "idempotency_conflict")
    assert len(ok(api.get("/document", params={"relatedParty.id": LINE}))) == 1


def test_a_v1_upload_is_a_tmf_document(api: httpx.Client, raw: httpx.Client) -> None:
    csv = "Дата;Сумма\n2026-11-01;10,00\n".encode()
    uploaded = ok(raw.post(f"/v1/subscribers/{POPOVA}/documents", content=csv, headers={
        "Content-Type": "text/csv; charset=utf-8", "X-Document-Name": "%D0%BD%D0%BE%D1%8F%D0%B1"
        "%D1%80%D1%8C.csv", "Idempotency-Key": key()}), 201)
    listed = ok(api.get("/document", params={"relatedParty.id": "L-79121234567"}))
    assert [d["id"] for d in listed] == [uploaded["id"]]
    assert listed[0]["name"] == "ноябрь.csv"
    assert listed[0]["binaryAttachment"][0]["mimeType"] == "text/csv; charset=utf-8"
    fetched = ok(api.get(f"/document/{uploaded['id']}"))
    assert base64.b64decode(fetched["binaryAttachment"][0]["content"]) == csv
    everyone = api.get("/document", params={"limit": 1})
    assert everyone.headers["X-Total-Count"] == "2" and everyone.headers["X-Result-Count"] == "1"
    assert [d["id"] for d in ok(everyone)] == [uploaded["id"]]  # newest first
    by_type = ok(api.get("/document", params={"binaryAttachment.mimeType":
                                              "text/csv; charset=utf-8"}))
    assert [d["id"] for d in by_type] == [uploaded["id"]]


def test_what_the_archive_does_not_keep(api: httpx.Client, raw: httpx.Client,
                                        monkeypatch: pytest.MonkeyPatch) -> None:
    total = api.get("/document", params={"limit": 0}).headers["X-Total-Count"]

    def post(body: Any, client: httpx.Client = api, **headers: str) -> httpx.Response:
        path = "/document" if client is api else f"{BASE}/document"
        return client.post(path, json=body, headers={"Idempotency-Key": key(), **headers})

    tmf_error(post(document(mime="image/png")), 422, "R8")
    tmf_error(post({**document(), "documentType": "contract"}), 422, "R8")
    monkeypatch.setattr(documents, "MAX_BYTES", len(PDF) - 1)
    tmf_error(post(document()), 422, "payload_too_large")
    monkeypatch.setattr(document_api, "MAX_BODY", 1000)
    tmf_error(post(document()), 422, "payload_too_large")
    monkeypatch.undo()
    unknown = tmf_error(post(document(owner="L-79990000000")), 404, "not_found")
    assert "L-79990000000" in unknown["message"]
    two = document()
    two["binaryAttachment"] = two["binaryAttachment"] * 2
    both_owners = document()
    both_owners["relatedParty"].append({"id": "L-79121234567", "@referredType": "Product"})
    no_owner = document()
    no_owner["relatedParty"] = [{"id": "I-79161234567", "@referredType": "Individual"}]
    wrong_size = document()
    wrong_size["binaryAttachment"][0]["size"]["amount"] = 1
    not_base64 = document()
    not_base64["binaryAttachment"][0]["content"] = "%%%"
    for bad in (two, both_owners, no_owner, wrong_size, not_base64, document(b""),
                document(name="../etc/passwd"), document(name="")):
        tmf_error(post(bad), 400, "bad_request")
    tmf_error(api.post("/document", json=document()), 400, "bad_request")  # no key
    for not_a_document in (["a list"], {"name": "x"}, "text"):
        tmf_error(post(not_a_document, raw), 400, "bad_request")
    tmf_error(raw.post(f"{BASE}/document", content=b"{not json",
                       headers={"Idempotency-Key": key(), "Content-Type": "application/json"}),
              400, "bad_request")
    tmf_error(api.post("/document", json=document(), headers={"Authorization": ""}), 401,
              "unauthorized")
    assert api.get("/document", params={"limit": 0}).headers["X-Total-Count"] == total

    made = ok(post(document(b"<html></html>", "text/html", "page.html")), 201)
    # R9: a document leaves the archive at its expiry only, whatever the path.
    tmf_error(api.delete(f"/document/{made['id']}"), 405, "method_not_allowed")
    tmf_error(api.patch(f"/document/{made['id']}", json={"name": "x"}), 405,
              "method_not_allowed")
    assert ok(api.get(f"/document/{made['id']}"))["name"] == "page.html"


def test_after_three_days_a_document_is_gone_r9(sandbox: RunningSandbox, api: httpx.Client,
                                                raw: httpx.Client) -> None:
    content = b"%PDF-1.4\n" + uuid.uuid4().hex.encode()
    made = ok(api.post("/document", json=document(content, name="gone.pdf"),
                       headers={"Idempotency-Key": key()}), 201)
    ok(api.get(f"/document/{made['id']}"))
    ok(raw.post("/sandbox/clock", json={"advance_seconds": 3 * 86400 - 1}))
    ok(api.get(f"/document/{made['id']}"))  # a second before its end
    ok(raw.post("/sandbox/clock", json={"advance_seconds": 1}))
    gone = tmf_error(api.get(f"/document/{made['id']}"), 410, "R9")
    assert "3 days" in gone["message"]
    assert made["id"] not in [d["id"] for d in ok(api.get("/document"))]
    assert raw.get(f"/v1/documents/{made['id']}").status_code == 410
    tmf_error(api.get("/document/doc_nothing"), 404, "not_found")
    assert documents.content(sandbox.store, made["id"]) is None
    encoded = base64.b64encode(content).decode()
    stored = sandbox.store.conn().execute("SELECT body FROM idempotent_answers").fetchall()
    assert stored and not any(encoded in body for (body,) in stored)


def test_every_message_was_as_the_published_document_says(docs: TmfDocs) -> None:
    """Last in the module: what the others sent and received."""
    assert docs.deviations == [], "\n".join(docs.deviations)
    assert docs.checked > 30
