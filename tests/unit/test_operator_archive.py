"""The personal archive's TMF667 calls against httpx.MockTransport: the answers the console
refuses whole (another line's document, bytes that are not what the document says, an expiry
before the upload), the size cap that must still let a 50 MB document's base64 through, and the
refusals as the console's sentences."""

from __future__ import annotations

import base64
import hashlib
import json
from datetime import UTC, datetime, timedelta
from typing import Any

import httpx
import pytest

from app.clock import FixedClock
from app.errors import (
    InputError,
    OperatorProtocolError,
    OperatorUnavailable,
    SubscriberNotFound,
)
from app.operator_api.archive import PAGE, ArchiveApi, DocumentExpired
from app.operator_api.bodies import AnswerLimits
from app.operator_api.client import OperatorClient

MSISDN = "+79161234567"
LINE = "L-79161234567"
NOW = datetime(2026, 11, 23, 10, 15, tzinfo=UTC)
DOCUMENTS = "/tmf-api/document/v4/document"


def archive_for(handler: Any, limits: AnswerLimits | None = None) -> ArchiveApi:
    def route(request: httpx.Request) -> httpx.Response:
        if request.url.path == "/tmf-api/productInventory/v4/product":
            return httpx.Response(200, json=[{"id": LINE}])
        return handler(request)

    client = OperatorClient("http://operator.test", "t", clock=FixedClock(NOW),
                            read_retries=1, transport=httpx.MockTransport(route),
                            sleep=lambda _s: None, **({"limits": limits} if limits else {}))
    return ArchiveApi(client)


def document(content: bytes | None = b"%PDF-1.7", *, doc_id: str = "doc_1", line: str = LINE,
             uploaded: datetime = NOW, days: int = 3, sha256: str | None = None,
             size: int | None = None) -> dict[str, Any]:
    data = content or b""
    attachment: dict[str, Any] = {
        "name": "nov.pdf", "mimeType": "application/pdf",
        "size": {"amount": len(data) if size is None else size, "units": "bytes"},
        "validFor": {"startDateTime": uploaded.isoformat(),
                     "endDateTime": (uploaded + timedelta(days=days)).isoformat()}}
    if content is not None:
        attachment["content"] = base64.b64encode(content).decode()
    return {"id": doc_id, "href": f"http://operator.test{DOCUMENTS}/{doc_id}",
            "@type": "Document", "name": "nov.pdf", "documentType": "detalization",
            "relatedParty": [{"id": line, "role": "owner", "@referredType": "Product"}],
            "characteristic": [{"name": "sha256", "valueType": "string",
                                "value": sha256 or hashlib.sha256(data).hexdigest()}],
            "binaryAttachment": [attachment]}


def tmf_error(status: int, code: str, message: str) -> httpx.Response:
    return httpx.Response(status, json={"code": code, "reason": code, "message": message,
                                        "status": str(status), "@type": "Error"})


def test_a_50_mb_document_is_read_whole() -> None:
    """Its base64 in TMF667's JSON is 66.7 MiB: past a 64 MiB cap, within the document's."""
    content = bytes(range(256)) * (50 * 2**20 // 256)
    body = json.dumps(document(content)).encode()
    assert len(body) > 64 * 2**20
    fetched = archive_for(lambda _r: httpx.Response(200, content=body)).fetch("doc_1")
    assert fetched.content == content and fetched.name == "nov.pdf"


def test_an_answer_past_the_document_cap_is_not_read() -> None:
    body = json.dumps(document(b"x" * 3000)).encode()
    archive = archive_for(lambda _r: httpx.Response(200, content=body),
                          AnswerLimits(document=2000))
    with pytest.raises(OperatorProtocolError, match="far larger than expected"):
        archive.fetch("doc_1")


@pytest.mark.parametrize("answer", [
    document(b"%PDF", sha256="0" * 64),  # the bytes are not the document's
    document(b"%PDF", size=5),  # nor its size
    {**document(None)},  # no content at all
    document(b"%PDF", doc_id="doc_2"),  # another document
    {**document(b"%PDF"), "characteristic": []},  # no sha256
])
def test_a_fetched_document_that_is_not_what_it_says_is_refused(answer: dict[str, Any]) -> None:
    archive = archive_for(lambda _r: httpx.Response(200, json=answer))
    with pytest.raises(OperatorProtocolError, match="unexpected way"):
        archive.fetch("doc_1")


def test_another_lines_document_is_refused_whole() -> None:
    mine, theirs = document(None), document(None, doc_id="doc_2", line="L-79990000000")
    archive = archive_for(lambda _r: httpx.Response(200, json=[mine, theirs]))
    with pytest.raises(OperatorProtocolError, match="another number"):
        archive.documents(MSISDN)
    stored = archive_for(lambda _r: httpx.Response(201, json=theirs))
    with pytest.raises(OperatorProtocolError, match="another number") as caught:
        stored.upload(MSISDN, "nov.pdf", "application/pdf", b"%PDF", key="k" * 32)
    assert caught.value.maybe_delivered  # it was stored, for whichever line


def test_an_upload_answered_for_other_bytes_is_refused() -> None:
    """The archive's size and SHA-256 of what it stored are the bytes sent, or it kept
    something else."""
    for stored in (document(b"%PDF-other"), document(b"%PDF", size=7)):
        del stored["binaryAttachment"][0]["content"]
        archive = archive_for(lambda _r, s=stored: httpx.Response(201, json=s))
        with pytest.raises(OperatorProtocolError, match="unexpected way") as caught:
            archive.upload(MSISDN, "nov.pdf", "application/pdf", b"%PDF", key="k" * 32)
        assert caught.value.maybe_delivered


def test_an_expiry_before_the_upload_is_refused() -> None:
    archive = archive_for(lambda _r: httpx.Response(200, json=[document(None, days=-1)]))
    with pytest.raises(OperatorProtocolError):
        archive.documents(MSISDN)


def test_the_list_is_paged_and_newest_first() -> None:
    asked: list[httpx.QueryParams] = []

    def handler(request: httpx.Request) -> httpx.Response:
        asked.append(request.url.params)
        offset = int(request.url.params["offset"])
        count = PAGE if offset == 0 else 3
        return httpx.Response(200, json=[
            document(None, doc_id=f"doc_{offset + i}",
                     uploaded=NOW - timedelta(minutes=offset + i)) for i in range(count)][::-1])

    listed = archive_for(handler).documents(MSISDN)
    assert len(listed) == PAGE + 3 and listed[0].id == "doc_0"
    assert listed == sorted(listed, key=lambda d: d.uploaded_at, reverse=True)
    assert [(p["relatedParty.id"], p["offset"]) for p in asked] == [(LINE, "0"),
                                                                     (LINE, str(PAGE))]


def test_refusals_and_expiry() -> None:
    archive = archive_for(lambda _r: tmf_error(422, "R8", "The archive keeps PDF, …; not "
                                                          "image/png."))
    with pytest.raises(InputError, match="does not keep this document: The archive keeps"):
        archive.upload(MSISDN, "a.png", "image/png", b"x", key="k" * 32)
    too_large = archive_for(lambda _r: tmf_error(422, "payload_too_large",
                                                 "A document may be at most 50 MB."))
    with pytest.raises(InputError, match="at most 50 MB"):
        too_large.upload(MSISDN, "a.pdf", "application/pdf", b"x", key="k" * 32)
    gone = archive_for(lambda _r: tmf_error(410, "R9", "expired"))
    with pytest.raises(DocumentExpired) as expired:
        gone.fetch("doc_1")
    assert expired.value.rule == "R9" and "3 days (R9)" in str(expired.value)
    with pytest.raises(InputError, match="no document doc_1"):
        archive_for(lambda _r: tmf_error(404, "not_found", "no")).fetch("doc_1")
    with pytest.raises(SubscriberNotFound):
        archive_for(lambda _r: tmf_error(404, "not_found", "no line")).documents(MSISDN)
    with pytest.raises(OperatorUnavailable, match="access token"):
        archive_for(lambda _r: tmf_error(401, "unauthorized", "no")).fetch("doc_1")


def test_the_upload_is_a_document_create_under_its_key() -> None:
    seen: list[httpx.Request] = []
    stored = document(b"%PDF-1.7")
    del stored["binaryAttachment"][0]["content"]  # never in the create's answer

    def handler(request: httpx.Request) -> httpx.Response:
        seen.append(request)
        if len(seen) == 1:
            raise httpx.ReadError("broken after the request", request=request)
        return httpx.Response(201, json=stored)

    doc = archive_for(handler).upload(MSISDN, "nov.pdf", "application/pdf", b"%PDF-1.7",
                                      key="archive-" + "1" * 32)
    assert doc.expires_at == NOW + timedelta(days=3) and doc.size == 8
    assert [r.headers["Idempotency-Key"] for r in seen] == ["archive-" + "1" * 32] * 2
    assert seen[0].content == seen[1].content
    body = json.loads(seen[0].content)
    assert body["binaryAttachment"][0]["content"] == base64.b64encode(b"%PDF-1.7").decode()
    assert (seen[0].method, seen[0].url.path) == ("POST", DOCUMENTS)
