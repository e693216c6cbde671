"""The personal archive from the console's side, against the real sandbox over loopback (R8,
R9) on TMF667 `document`, every message held to the published document: upload under one key
however many retries, the card's list with expiry, fetch until it expires on the sandbox's
moved clock, then a sentence that says when it expired."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path

import httpx
import pytest

from app.clock import SystemClock
from app.errors import InputError, RuleRefused
from app.operator_api.archive import ArchiveApi
from app.operator_api.client import OperatorClient
from app.services.archive import ArchiveService
from models.archive import StoreArchiveNotes
from models.db import open_store
from sandbox.server import RunningSandbox
from tests.integration.test_sandbox_kit import MARIA, POPOVA, TOKEN, Api, start
from tests.support.fake_wiring import CLERK
from tests.support.identity import IDENTIFIED
from tests.support.print_fakes import ListJournal
from tests.support.tmf_checked import CheckedTransport
from tests.support.tmf_docs import TmfDocs


@pytest.fixture(scope="module")
def sandbox(tmp_path_factory: pytest.TempPathFactory) -> Iterator[RunningSandbox]:
    with start(tmp_path_factory.mktemp("archive-console")) as running:
        yield running


@pytest.fixture
def wire() -> Iterator[CheckedTransport]:
    checked = CheckedTransport(TmfDocs.from_folder())
    yield checked
    assert checked.docs.deviations == [], "\n".join(checked.docs.deviations)
    assert not [path for _method, path in checked.calls() if path.startswith("/v1/")]


@pytest.fixture
def client(sandbox: RunningSandbox, wire: CheckedTransport) -> Iterator[OperatorClient]:
    client = OperatorClient(sandbox.url, TOKEN, clock=SystemClock(), read_retries=1,
                            transport=wire)
    yield client
    client.close()


@pytest.fixture
def service(client: OperatorClient, tmp_path: Path) -> Iterator[tuple[ArchiveService,
                                                                    ListJournal]]:
    db = open_store(f"sqlite:///{tmp_path / 'salon.db'}")
    journal = ListJournal()
    yield ArchiveService(ArchiveApi(client), StoreArchiveNotes(), documents_dir=tmp_path,
                         journal=journal, clock=SystemClock(), identity=IDENTIFIED), journal
    db.close()


def test_upload_list_fetch_then_expiry(service, sandbox: RunningSandbox, wire: CheckedTransport,
                                       tmp_path: Path) -> None:
    archive, journal = service
    document = tmp_path / "Детализация октябрь.pdf"
    document.write_bytes(b"%PDF-1.7\n" + b"row\n" * 5000)
    doc = archive.upload(CLERK, "8 (916) 123-45-67", document)
    assert doc.name == document.name and doc.size == document.stat().st_size
    assert doc.expires_at - doc.uploaded_at == timedelta(days=3)
    listed = archive.documents(CLERK, MARIA)
    assert listed[0] == doc
    assert doc.id not in {d.id for d in archive.documents(CLERK, POPOVA)}
    fetched = archive.fetch(CLERK, doc.id, subscriber=MARIA)
    assert fetched.read_bytes() == document.read_bytes()
    assert fetched.parent == tmp_path / "archive" and document.name in fetched.name

    api = Api(sandbox)
    try:
        api.advance(3 * 86400 + 60)
    finally:
        api.close()
    with pytest.raises(RuleRefused) as expired:
        archive.fetch(CLERK, doc.id, subscriber=MARIA)
    assert expired.value.rule == "R9" and expired.value.exit_code == 3
    assert "kept document" in str(expired.value) and "3 days" in str(expired.value)
    assert archive.expires_text(doc) in str(expired.value)  # the date it expired
    assert doc.id not in {d.id for d in archive.documents(CLERK, MARIA)}
    documents = "/tmf-api/document/v4/document"
    assert {("POST", documents), ("GET", documents), ("GET", f"{documents}/{doc.id}")} <= \
        set(wire.calls())
    results = [(entry[2], entry[4].split()[0]) for entry in journal.of("archive")]
    assert results == [("done", "upload"), ("done", "fetch"), ("refused", "fetch")]
    assert all(entry[3] == MARIA for entry in journal.of("archive"))


def test_a_retried_upload_is_stored_once(client: OperatorClient, tmp_path: Path) -> None:
    api = ArchiveApi(client)
    first = api.upload(POPOVA, "a.pdf", "application/pdf", b"%PDF-1.7 once", key="k-" + "1" * 20)
    again = api.upload(POPOVA, "a.pdf", "application/pdf", b"%PDF-1.7 once", key="k-" + "1" * 20)
    assert again == first
    assert [d.id for d in api.documents(POPOVA)].count(first.id) == 1


def test_what_the_archive_does_not_keep(service, tmp_path: Path) -> None:
    archive, journal = service
    picture = tmp_path / "photo.png"
    picture.write_bytes(b"\x89PNG")
    with pytest.raises(InputError, match="keeps PDF, HTML, text, CSV and XLSX"):
        archive.upload(CLERK, MARIA, picture)
    with pytest.raises(InputError, match="no document doc_nothing"):
        archive.fetch(CLERK, "doc_nothing")
    assert [entry[2] for entry in journal.of("archive")] == ["refused", "refused"]


def test_offline(tmp_path: Path) -> None:
    from app.errors import OperatorUnavailable

    def refuse(request: httpx.Request) -> httpx.Response:
        raise httpx.ConnectError("refused", request=request)

    client = OperatorClient("http://127.0.0.1:9", "t", clock=SystemClock(), read_retries=0,
                            transport=httpx.MockTransport(refuse))
    archive = ArchiveService(ArchiveApi(client), documents_dir=tmp_path, clock=SystemClock(),
        identity=IDENTIFIED)
    with pytest.raises(OperatorUnavailable, match="cannot be reached"):
        archive.documents(CLERK, MARIA)
    client.close()
