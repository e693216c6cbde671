"""The operator's personal archive (R8, R9) as TMF667 `document` (README, the integrator's guide):
upload under an Idempotency-Key, list a subscriber's unexpired documents, fetch one.

- `POST /document` (Idempotency-Key) `{name, documentType: "detalization", relatedParty:
  [{id: <line>, role: "owner", "@referredType": "Product"}], binaryAttachment: [{name,
  mimeType, size {amount, units: "bytes"}, content: <base64>}]}` → 201, never with the bytes;
- `GET /document?relatedParty.id={line}` → the unexpired ones (without content);
- `GET /document/{id}` → with `binaryAttachment[0].content`; 410 `R9` once expired.

It rides on OperatorClient's plumbing — the same bounded, jittered retries (an upload is a
write: retried only under its own key, so a retry never stores it twice), the same token and
the same sentences for an unreachable or garbled operator — and adds the archive's own answers:
422 `R8` / `payload_too_large` (and 400) for a document the archive will not keep, 410 `R9` for
one that has expired. A document's expiry is its attachment's `validFor.endDateTime`, its
SHA-256 the `sha256` characteristic, which a fetch checks the bytes against.
"""

from __future__ import annotations

import base64
import hashlib
import logging
from typing import Any
from urllib.parse import quote

import httpx

from app.errors import InputError, OperatorProtocolError, RuleRefused, SubscriberNotFound
from app.i18n import _
from app.operator_api.client import OperatorClient
from app.operator_api.plumbing import error_body
from app.operator_api.wire_archive import TmfDocument, TmfDocuments
from app.phone import format_msisdn
from models.archive import ArchivedDocument, FetchedDocument

log = logging.getLogger(__name__)
DOCUMENT_TYPE = "detalization"  # what the personal archive keeps (R8)
PAGE = 100  # documents per list page (a subscriber has a few days' uploads)
MAX_DOCUMENTS = 1000  # more unexpired documents than this is an operator gone wrong


class DocumentExpired(RuleRefused):
    """410: the archive kept the document its 3 days (R9) and has deleted it."""

    def __init__(self, message: str) -> None:
        super().__init__(message, rule="R9")


class ArchiveApi:
    def __init__(self, client: OperatorClient) -> None:
        self._client = client

    def _path(self, tail: str = "") -> str:
        return f"{self._client._api('document')}/document{tail}"

    def upload(self, msisdn: str, name: str, content_type: str, content: bytes, *,
               key: str) -> ArchivedDocument:
        client = self._client
        line = client.line_id(msisdn)
        body = upload_body(line, name, content_type, content)
        path = self._path()
        response = client._with_retries(
            lambda: client._request("POST", path, json=body,
                                    headers={"Idempotency-Key": key}), write=True)
        if response.status_code in (400, 413, 415, 422):
            code, message = error_body(response)
            log.warning("archive upload refused: %s %s %s", response.status_code, code, message)
            raise InputError(_("The operator's archive does not keep this document: {reason}")
                             .format(reason=message or code or response.status_code))
        self._raise_for_line(response, msisdn)
        if response.status_code not in (200, 201):  # 201; a replay may say 200
            raise client._garbled()
        try:
            wire = client._validate(response, TmfDocument, path)
            document = self._owned(wire, line, path)
            if (document.size, document.sha256) != (len(content),
                                                    hashlib.sha256(content).hexdigest()):
                log.warning("%s: the archive says it keeps other bytes than were sent", path)
                raise client._garbled()
        except OperatorProtocolError as garbled:
            garbled.maybe_delivered = True  # stored, whatever it answered
            raise
        return document

    def documents(self, msisdn: str) -> list[ArchivedDocument]:
        """The subscriber's unexpired documents, newest first."""
        client = self._client
        line = client.line_id(msisdn)
        path = self._path()
        found: list[ArchivedDocument] = []
        while True:
            response = self._page(path, line, len(found))
            self._raise_for_line(response, msisdn)
            page = client._validate(response, TmfDocuments, path).root
            found += [self._owned(wire, line, path) for wire in page]
            if len(page) < PAGE:
                break
            if len(found) >= MAX_DOCUMENTS:
                log.warning("%s: more than %d documents for one line", path, MAX_DOCUMENTS)
                raise client._garbled()
        return sorted(found, key=lambda doc: doc.uploaded_at, reverse=True)

    def _page(self, path: str, line: str, offset: int) -> httpx.Response:
        client = self._client
        params = {"relatedParty.id": line, "offset": offset, "limit": PAGE}
        return client._with_retries(lambda: client._request("GET", path, params=params))

    def fetch(self, document_id: str) -> FetchedDocument:
        """The bytes; DocumentExpired (410) with the operator's words, InputError (404)."""
        client = self._client
        path = self._path(f"/{quote(document_id, safe='')}")
        response = client._with_retries(
            lambda: client._request("GET", path, limit=client._limits.document))
        if response.status_code == 410:
            raise DocumentExpired(_("The operator's archive keeps a document 3 days (R9); "
                                    "document {id} has expired and was deleted.")
                                  .format(id=document_id))
        if response.status_code == 404:
            raise InputError(_("The operator's archive has no document {id}.").format(
                id=document_id))
        client._raise_for_refusal(response, None)
        wire = client._validate(response, TmfDocument, "/document/{id}")
        if wire.id != document_id:
            log.warning("%s: the answer is another document", path)
            raise client._garbled()
        fetched: FetchedDocument = client._convert(wire.fetched)
        return fetched

    def _owned(self, wire: TmfDocument, line: str, path: str) -> ArchivedDocument:
        """A document of this line, as the console's; one of another line is refused whole
        (it would put someone else's document on this subscriber's card)."""
        if not wire.owned_by(line):
            log.warning("%s: a document of another line than the one asked", path)
            raise OperatorProtocolError(_(
                "The operator's system answered about another number than the one asked for; "
                "nothing of that answer is shown or kept. The details are in the log."))
        document: ArchivedDocument = self._client._convert(wire.domain)
        return document

    def _raise_for_line(self, response: httpx.Response, msisdn: str) -> None:
        """404 on a call naming a line: the number has no line (any more)."""
        if response.status_code == 404:
            self._client.forget_line(msisdn)
            raise SubscriberNotFound(_("There is no subscriber with the number {number}.")
                                     .format(number=format_msisdn(msisdn)))
        self._client._raise_for_refusal(response, msisdn)


def upload_body(line: str, name: str, content_type: str, content: bytes) -> dict[str, Any]:
    """A TMF667 Document_Create of one file for the line's archive."""
    return {
        "name": name,
        "documentType": DOCUMENT_TYPE,
        "relatedParty": [{"id": line, "role": "owner", "@referredType": "Product"}],
        "binaryAttachment": [{
            "name": name,
            "mimeType": content_type,
            "size": {"amount": len(content), "units": "bytes"},
            "content": base64.b64encode(content).decode("ascii"),
        }],
    }
