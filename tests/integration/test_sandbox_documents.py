"""The personal archive over real loopback HTTP (R8, R9): upload, list, fetch, idempotent
retries, limits, and expiry after 3 days of the sandbox clock with the bytes really deleted."""

from __future__ import annotations

import hashlib
import secrets
from collections.abc import Iterator
from datetime import datetime, timedelta
from urllib.parse import quote

import httpx
import pytest

from sandbox.server import RunningSandbox
from tests.integration.test_sandbox_kit import (
    MARIA,
    POPOVA,
    Api,
    database_bytes,
    expect_error,
    new_key,
    query,
    start,
)

PDF = "application/pdf"
NAME = "Детализация за ноябрь 2026.pdf"


@pytest.fixture(scope="module")
def sandbox(tmp_path_factory: pytest.TempPathFactory) -> Iterator[RunningSandbox]:
    with start(tmp_path_factory.mktemp("archive")) as running:
        yield running


@pytest.fixture(scope="module")
def api(sandbox: RunningSandbox) -> Iterator[Api]:
    client = Api(sandbox)
    yield client
    client.close()


def document(marker: bytes, size: int = 300_000) -> bytes:
    """A fake PDF whose bytes contain `marker` many times (and nothing the world has)."""
    filler = (b"%PDF-1.7\n" + marker + b"\n") * (size // (len(marker) + 10) + 1)
    return filler[:size]


def upload(api: Api, msisdn: str, content: bytes, name: str = NAME, content_type: str = PDF,
           key: str | None = None) -> httpx.Response:
    return api.http.post(f"/v1/subscribers/{msisdn}/documents", content=content, headers={
        "Content-Type": content_type, "X-Document-Name": quote(name),
        "Idempotency-Key": key or new_key("doc")})


def test_upload_list_fetch_and_retry(api: Api) -> None:
    content = document(secrets.token_hex(16).encode())
    key = new_key("doc")
    response = upload(api, MARIA, content, key=key)
    assert response.status_code == 201, response.text
    doc = response.json()
    assert set(doc) == {"id", "name", "content_type", "size", "sha256", "uploaded_at",
                        "expires_at"}
    assert (doc["name"], doc["content_type"], doc["size"]) == (NAME, PDF, len(content))
    assert doc["sha256"] == hashlib.sha256(content).hexdigest()
    uploaded = datetime.fromisoformat(doc["uploaded_at"])
    assert datetime.fromisoformat(doc["expires_at"]) - uploaded == timedelta(days=3)

    replay = upload(api, MARIA, content, key=key)
    assert (replay.status_code, replay.text) == (201, response.text)
    assert replay.headers["idempotent-replayed"] == "true"
    expect_error(upload(api, MARIA, content + b"!", key=key), 422, "idempotency_key_reused")
    assert query(api.sandbox, "SELECT COUNT(*) FROM documents WHERE id = ?", doc["id"]) == [(1,)]

    listed = api.http.get(f"/v1/subscribers/{MARIA}/documents").json()["items"]
    assert listed[0] == doc
    assert api.http.get(f"/v1/subscribers/{POPOVA}/documents").json() == {"items": []}
    fetched = api.http.get(f"/v1/documents/{doc['id']}")
    assert fetched.status_code == 200 and fetched.content == content
    assert fetched.headers["content-type"] == PDF
    assert fetched.headers["content-disposition"] == \
        f"attachment; filename*=UTF-8''{quote(NAME)}"
    expect_error(api.http.get("/v1/documents/doc_nothing"), 404, "document_not_found")


@pytest.mark.parametrize(("kwargs", "status", "code"), [
    ({"content_type": "image/png"}, 415, "unsupported_media_type"),
    ({"name": ""}, 400, "bad_request"),
    ({"name": "../../etc/passwd"}, 400, "bad_request"),
    ({"content": b""}, 400, "bad_request"),
])
def test_bad_uploads(api: Api, kwargs: dict[str, object], status: int, code: str) -> None:
    arguments: dict[str, object] = {"content": b"%PDF-1.7 tiny", **kwargs}
    expect_error(upload(api, MARIA, **arguments), status, code)  # type: ignore[arg-type]


def test_other_formats_and_the_size_limit(api: Api) -> None:
    xlsx = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    for name, content_type in (("report.xlsx", xlsx), ("report.csv", "text/csv; charset=utf-8"),
                               ("report.html", "text/html"), ("report.txt", "text/plain")):
        response = upload(api, POPOVA, b"data", name=name, content_type=content_type)
        assert response.status_code == 201, response.text
        assert response.json()["content_type"] == content_type
    too_big = upload(api, POPOVA, b"\0" * (50 * 2**20 + 1))
    expect_error(too_big, 413, "payload_too_large")
    response = api.http.post(f"/v1/subscribers/{POPOVA}/documents", content=b"x",
                             headers={"Content-Type": PDF, "X-Document-Name": "x.pdf"})
    expect_error(response, 400, "bad_request")  # no Idempotency-Key


def test_after_3_days_a_document_is_gone_from_the_database_file(api: Api) -> None:
    """R9: 410 after 3 days of the sandbox clock, and the bytes are not anywhere in the file."""
    marker = secrets.token_hex(24).encode()
    content = document(marker, size=2_000_000)  # overflow pages, not a single row
    doc = upload(api, POPOVA, content).json()
    assert marker in database_bytes(api.sandbox)  # the scan finds stored content...
    api.advance(3 * 86400 - 30)
    assert api.http.get(f"/v1/documents/{doc['id']}").content == content
    api.advance(60)
    expect_error(api.http.get(f"/v1/documents/{doc['id']}"), 410, "document_expired")
    assert doc["id"] not in {d["id"] for d in
                             api.http.get(f"/v1/subscribers/{POPOVA}/documents").json()["items"]}
    assert query(api.sandbox, "SELECT COUNT(*) FROM document_bytes WHERE document_id = ?",
                 doc["id"]) == [(0,)]
    assert marker not in database_bytes(api.sandbox)  # ...and not once it is deleted
