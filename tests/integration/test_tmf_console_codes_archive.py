"""The console's personal archive (TMF667 `document`), access codes (the x-salon extension) and
training phone (TMF681 `communicationMessage`) against the real sandbox over loopback, every
request the client SENDS and every answer it reads held to TM Forum's published v4 documents
($TMF_DOCS, default ../shared/tmf/v4): the upload's Document_Create with the file's bytes base64,
the list by `relatedParty.id`, the fetch checked against the document's size and SHA-256, expiry
as 410 R9, the archive's refusals with the console's sentences — and no call left on /v1."""

from __future__ import annotations

import base64
import hashlib
import json
import re
import uuid
from collections.abc import Iterator
from datetime import timedelta

import pytest

from app.clock import SystemClock
from app.errors import InputError, RuleRefused, SubscriberNotFound
from app.operator_api.archive import ArchiveApi, DocumentExpired
from app.operator_api.client import OperatorClient
from models.access_codes import CodeStatus, VerifyOutcome
from sandbox.server import RunningSandbox
from tests.integration.test_sandbox_kit import MARIA, POPOVA, TOKEN, VORONTSOVA, start
from tests.support.tmf_checked import CheckedTransport
from tests.support.tmf_docs import TmfDocs

PDF = b"%PDF-1.7\n" + bytes(range(256)) * 40
DOCUMENTS = "/tmf-api/document/v4/document"
CODES = "/tmf-api/x-salon/v1/accessCode/"
MESSAGES = "/tmf-api/communicationManagement/v4/communicationMessage"


@pytest.fixture(scope="module")
def sandbox(tmp_path_factory: pytest.TempPathFactory) -> Iterator[RunningSandbox]:
    with start(tmp_path_factory.mktemp("tmf-console-archive")) as running:
        yield running


@pytest.fixture(scope="module")
def docs() -> TmfDocs:
    return TmfDocs.from_folder()


@pytest.fixture(scope="module")
def wire(docs: TmfDocs) -> CheckedTransport:
    return CheckedTransport(docs)


@pytest.fixture(scope="module")
def client(sandbox: RunningSandbox, wire: CheckedTransport) -> Iterator[OperatorClient]:
    client = OperatorClient(sandbox.url, TOKEN, clock=SystemClock(), read_retries=1,
                            transport=wire)
    yield client
    client.close()


def key() -> str:
    return f"archive-{uuid.uuid4().hex}"


def sent_since(wire: CheckedTransport, index: int) -> list[tuple[str, str]]:
    return wire.calls()[index:]


def test_upload_list_fetch_as_tmf667(client: OperatorClient, wire: CheckedTransport) -> None:
    archive = ArchiveApi(client)
    before = len(wire.sent)
    doc = archive.upload(MARIA, "Детализация ноябрь.pdf", "application/pdf", PDF, key=key())
    upload = wire.sent[-1]
    assert (upload.method, upload.url.path) == ("POST", DOCUMENTS)
    assert upload.headers["Idempotency-Key"].startswith("archive-")
    body = json.loads(upload.content)
    [owner] = body["relatedParty"]
    assert owner["id"] == "L-79161234567" and owner["@referredType"] == "Product"
    [attachment] = body["binaryAttachment"]
    assert base64.b64decode(attachment["content"]) == PDF
    assert attachment["size"] == {"amount": len(PDF), "units": "bytes"}
    assert (attachment["mimeType"], body["documentType"]) == ("application/pdf", "detalization")
    assert doc.sha256 == hashlib.sha256(PDF).hexdigest() and doc.size == len(PDF)
    assert doc.expires_at - doc.uploaded_at == timedelta(days=3)

    listed = archive.documents(MARIA)
    assert listed[0] == doc
    assert doc.id not in {d.id for d in archive.documents(POPOVA)}
    fetched = archive.fetch(doc.id)
    assert (fetched.name, fetched.content_type, fetched.content) == (
        "Детализация ноябрь.pdf", "application/pdf", PDF)
    calls = sent_since(wire, before)
    assert ("GET", DOCUMENTS) in calls and ("GET", f"{DOCUMENTS}/{doc.id}") in calls
    listing = next(r for r in wire.sent[before:] if r.url.path == DOCUMENTS
                   and r.method == "GET")
    assert listing.url.params["relatedParty.id"] == "L-79161234567"


def test_a_retried_upload_is_stored_once(client: OperatorClient) -> None:
    archive = ArchiveApi(client)
    once = key()
    first = archive.upload(POPOVA, "a.txt", "text/plain; charset=utf-8", b"once", key=once)
    assert archive.upload(POPOVA, "a.txt", "text/plain; charset=utf-8", b"once",
                          key=once) == first
    assert [d.id for d in archive.documents(POPOVA)].count(first.id) == 1


def test_what_the_archive_does_not_keep(client: OperatorClient) -> None:
    """422 R8 (a type it does not keep) and payload_too_large (over 50 MB of content) with
    the console's sentence; an unknown document; a number with no line."""
    archive = ArchiveApi(client)
    with pytest.raises(InputError, match="does not keep this document") as picture:
        archive.upload(MARIA, "photo.png", "image/png", b"\x89PNG", key=key())
    assert "image/png" in str(picture.value)
    with pytest.raises(InputError, match="does not keep this document: A document may be "
                                         "at most 50 MB"):
        archive.upload(MARIA, "huge.pdf", "application/pdf", b"%" * (50 * 2**20 + 1),
                       key=key())
    with pytest.raises(InputError, match="no document doc_nothing"):
        archive.fetch("doc_nothing")
    with pytest.raises(SubscriberNotFound):
        archive.documents("+79990000001")


def test_codes_by_line_and_the_phone_as_tmf681(client: OperatorClient,
                                               wire: CheckedTransport) -> None:
    before = len(wire.sent)
    issued = client.issue_code(MARIA, f"code-{uuid.uuid4().hex}")
    assert issued.status is CodeStatus.ACTIVE
    [newest, *_older] = client.sandbox_sms(MARIA)
    (code,) = re.findall(r"(?<!\d)\d{6}(?!\d)", newest.text)
    assert (newest.sender, newest.to) == ("6262", MARIA)
    wrong = f"{(int(code) + 1) % 10**6:06d}"
    assert client.verify_code(MARIA, wrong).outcome is VerifyOutcome.WRONG
    assert client.code_state(MARIA).attempts_left == 3
    assert client.verify_code(MARIA, code).outcome is VerifyOutcome.OK
    with pytest.raises(InputError, match="not counted"):
        client.verify_code(MARIA, "12345")
    with pytest.raises(RuleRefused) as vip:
        client.issue_code(VORONTSOVA, f"code-{uuid.uuid4().hex}")
    assert vip.value.rule == "R1" and "corporate and VIP" in str(vip.value)
    calls = sent_since(wire, before)
    assert ("POST", f"{CODES}L-79161234567") in calls
    assert ("POST", f"{CODES}L-79161234567/check") in calls
    assert ("GET", f"{CODES}L-79161234567") in calls
    assert ("GET", MESSAGES) in calls
    for request in wire.sent[before:]:  # R2: the code only in a check's body
        assert code not in str(request.url) and code not in str(request.headers)
        if request.url.path.endswith("/check"):
            assert json.loads(request.content) in ({"code": code}, {"code": wrong},
                                                   {"code": "12345"})
        else:
            assert code.encode() not in request.content


def test_after_three_days_a_document_is_gone_r9(client: OperatorClient) -> None:
    archive = ArchiveApi(client)
    doc = archive.upload(MARIA, "gone.csv", "text/csv; charset=utf-8", b"a;b\n1;2\n", key=key())
    assert archive.fetch(doc.id).content == b"a;b\n1;2\n"
    client.advance_clock(3 * 86400 + 60)
    with pytest.raises(DocumentExpired) as expired:
        archive.fetch(doc.id)
    assert expired.value.rule == "R9" and "3 days" in str(expired.value)
    assert doc.id not in {d.id for d in archive.documents(MARIA)}


def test_nothing_went_to_v1_and_every_message_was_as_published(
        wire: CheckedTransport, docs: TmfDocs) -> None:
    """Last in the module: what the others sent and received."""
    paths = [path for _method, path in wire.calls()]
    assert not [p for p in paths if p.startswith("/v1/")]
    assert docs.deviations == [], "\n".join(docs.deviations)
    documented = [p for p in paths if p.startswith(("/tmf-api/document/",
                                                    "/tmf-api/communicationManagement/"))]
    assert docs.checked >= len(documented) > 10
