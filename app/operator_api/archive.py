"""The operator's personal archive over HTTP (resources/operator-api.md, "The personal
archive"): upload under an Idempotency-Key, list a subscriber's unexpired documents, fetch one.

It rides on OperatorClient's plumbing — the same bounded, jittered retries (an upload is a
write: retried only under its own key, so a retry never stores it twice), the same token and
the same sentences for an unreachable or garbled operator — and adds the archive's own answers:
413/415/400 for a document the archive will not keep, 410 for one that has expired.
"""

from __future__ import annotations

import logging
from urllib.parse import quote

from app.errors import InputError, RuleRefused
from app.i18n import _
from app.operator_api.client import OperatorClient
from app.operator_api.plumbing import error_body
from app.operator_api.wire import Wire
from app.operator_api.wire_values import Count, Instant
from models.archive import ArchivedDocument, FetchedDocument

log = logging.getLogger(__name__)


class WireDocument(Wire):
    id: str
    name: str
    content_type: str
    size: Count
    sha256: str
    uploaded_at: Instant
    expires_at: Instant

    def domain(self) -> ArchivedDocument:
        return ArchivedDocument(self.id, self.name, self.content_type, self.size, self.sha256,
                                self.uploaded_at, self.expires_at)


class WireDocumentList(Wire):
    items: list[WireDocument]


class DocumentExpired(RuleRefused):
    """410: the archive kept the document its 3 days (R9) and has deleted it."""

    def __init__(self, message: str) -> None:
        super().__init__(message, rule="R9")


class ArchiveApi:
    def __init__(self, client: OperatorClient) -> None:
        self._client = client

    def upload(self, msisdn: str, name: str, content_type: str, content: bytes, *,
               key: str) -> ArchivedDocument:
        client = self._client
        headers = {"Content-Type": content_type, "X-Document-Name": quote(name, safe=""),
                   "Idempotency-Key": key}
        path = f"/v1/subscribers/{msisdn}/documents"
        response = client._with_retries(
            lambda: client._request("POST", path, content=content, headers=headers), write=True)
        if response.status_code in (400, 413, 415):
            code, message = error_body(response)
            log.warning("archive upload refused: %s %s %s", response.status_code, code, message)
            raise InputError(_("The operator's archive does not keep this document: {reason}")
                             .format(reason=message or code or response.status_code))
        client._raise_for_refusal(response, msisdn)
        wire = client._validate(response, WireDocument, path)
        return client._convert(wire.domain)

    def documents(self, msisdn: str) -> list[ArchivedDocument]:
        client = self._client
        path = f"/v1/subscribers/{msisdn}/documents"
        wire = client._get(path, WireDocumentList, msisdn=msisdn)
        return [client._convert(item.domain) for item in wire.items]

    def fetch(self, document_id: str) -> FetchedDocument:
        """The bytes; DocumentExpired (410) with the operator's words, InputError (404)."""
        client = self._client
        path = f"/v1/documents/{quote(document_id, safe='')}"
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
        name = _file_name(response.headers.get("content-disposition", "")) or document_id
        return FetchedDocument(name, response.headers.get("content-type", ""),
                               response.content)


def _file_name(disposition: str) -> str:
    """attachment; filename*=UTF-8''<percent-encoded> → the name (RFC 6266)."""
    from urllib.parse import unquote

    for part in disposition.split(";"):
        key, _sep, value = part.strip().partition("=")
        if key.lower() == "filename*" and value.lower().startswith("utf-8''"):
            name = unquote(value[7:])
            return name if "/" not in name and "\\" not in name else ""
    return ""
