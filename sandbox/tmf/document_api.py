"""TMF667 Document at /tmf-api/document/v4/: the personal archive (R8, R9) of sandbox/documents.py,
the same documents /v1 uploads and lists — one archive, two faces.

A document of the archive as a TMF667 `Document`:

    {"id": "doc_…", "href": ".../document/doc_…", "@type": "Document",
     "name": "detalization-2026-11.pdf", "documentType": "detalization",
     "creationDate": "<uploaded>", "lastUpdate": "<uploaded>", "lifecycleState": "active",
     "relatedParty": [{"id": "L-79161234567", "href": ".../product/L-79161234567",
                       "role": "owner", "@referredType": "Product"}],
     "characteristic": [{"name": "sha256", "valueType": "string", "value": "<hex>"}],
     "binaryAttachment": [{"name": ..., "mimeType": "application/pdf",
                           "size": {"amount": 5120, "units": "bytes"},
                           "validFor": {"startDateTime": "<uploaded>",
                                        "endDateTime": "<uploaded + 3 days>"},
                           "content": "<base64: only GET /document/{id}>"}]}

- `GET /document` (`relatedParty.id=L-…`, any TMF filter, `fields`, `offset`, `limit`): the
  unexpired documents, newest first, without their content;
- `POST /document` (Idempotency-Key): one attachment, its bytes base64 in
  `binaryAttachment[0].content`; the archive's limits as /v1 (a type it does not keep → 422
  `R8`, over 50 MB → 422 `payload_too_large`); the answer never carries the content, so no
  stored answer keeps the bytes past their expiry;
- `GET /document/{id}`: with the content; expired → 410 `R9` (the bytes are deleted; the
  metadata stays, so it is not a 404).
Not served: PUT, PATCH, DELETE (405): a document leaves the archive at its expiry only, the
same for the console's /v1 and this face.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import json
from dataclasses import dataclass
from types import GenericAlias
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Path, Query, Request, Response
from starlette.concurrency import run_in_threadpool

from sandbox import documents
from sandbox.deps import Context, Ctx, IdempotencyKey, send
from sandbox.documents import BadDocument, Document
from sandbox.errors import ApiError, bad_request, dumps
from sandbox.idempotency import Answer, Write, fingerprint
from sandbox.store import Store
from sandbox.tmf import answers, idempotent, ids
from sandbox.tmf.auth import require_tmf_token
from sandbox.tmf.extension_api import line_of
from sandbox.tmf.fields import project
from sandbox.tmf.links import Links
from sandbox.tmf.models import TmfError, entity_model
from sandbox.tmf.query import EQ
from sandbox.tmf.query import Query as ListQuery
from sandbox.tmf.resource import Api, Resource
from sandbox.tmf.routes import list_query
from sandbox.tmf.sources import Selection, select_from
from sandbox.tmf.world_usage import PRODUCT_API
from sandbox.wire import utc_iso

Json = dict[str, Any]
DOCUMENT_API = "document"
API = Api(DOCUMENT_API, "TMF667", "Document")
# Described like the generic resources (for its entity model), served by the routes below.
DOCUMENT = Resource(API, "document", "Document")
DOCUMENT_TYPE = "detalization"  # R8: what the personal archive keeps
OWNER = ("relatedParty", "id")
# The JSON around the largest document's base64 (4 characters per 3 bytes) may be this large.
MAX_BODY = (documents.MAX_BYTES + 2) // 3 * 4 + 256 * 1024

router = APIRouter(prefix=f"/tmf-api/{DOCUMENT_API}/v4",
                   dependencies=[Depends(require_tmf_token)], responses=answers.COMMON,
                   tags=["TMF667 Document"])


def _error(status: int, description: str) -> answers.Answers:
    return {status: {"model": TmfError, "description": description}}


def document_json(doc: Document, links: Links, content: bytes | None = None) -> Json:
    uploaded, line = utc_iso(doc.uploaded_at), ids.line_id(doc.msisdn)
    attachment: Json = {
        "name": doc.name, "mimeType": doc.content_type,
        "size": {"amount": doc.size, "units": "bytes"},
        "validFor": {"startDateTime": uploaded, "endDateTime": utc_iso(doc.expires_at)},
    }
    if content is not None:
        attachment["content"] = base64.b64encode(content).decode("ascii")
    return {
        "id": doc.id, "href": links.href(DOCUMENT_API, "document", doc.id), "@type": "Document",
        "name": doc.name, "documentType": DOCUMENT_TYPE,
        "creationDate": uploaded, "lastUpdate": uploaded, "lifecycleState": "active",
        "relatedParty": [{"id": line, "href": links.href(PRODUCT_API, "product", line),
                          "role": "owner", "@referredType": "Product"}],
        "characteristic": [{"name": "sha256", "valueType": "string", "value": doc.sha256}],
        "binaryAttachment": [attachment],
    }


@dataclass(frozen=True)
class Archive:
    """The archive's unexpired documents as a list source (a few days' uploads: small)."""

    store: Store
    now: int

    def select(self, query: ListQuery, links: Links, offset: int, limit: int) -> Selection:
        found = documents.all_unexpired(self.store, self.now)
        for f in query.filters:
            if f.path == OWNER and f.op == EQ:
                wanted = {ids.msisdn_of_line(v) for v in f.values}
                found = [d for d in found if d.msisdn in wanted]
        return select_from((document_json(d, links) for d in found), query.filters, offset,
                           limit)


@dataclass(frozen=True)
class Upload:
    msisdn: str
    name: str
    media_type: str
    content: bytes


def parse_upload(ctx: Context, raw: bytes) -> Upload:
    """The archive's checks of a TMF667 create: the shape (400), the owner line (404), then
    what the archive keeps — the type (422 R8) and the size (422 payload_too_large)."""
    try:
        body = json.loads(raw)
    except ValueError:
        raise bad_request("The body is not JSON.") from None
    if not isinstance(body, dict):
        raise bad_request("A Document is a JSON object.")
    attachments = body.get("binaryAttachment")
    if not isinstance(attachments, list) or len(attachments) != 1 or \
            not isinstance(attachments[0], dict):
        raise bad_request("The archive keeps one file per document: binaryAttachment must be "
                          "a list of exactly one attachment.")
    attachment: Json = attachments[0]
    content = _content(attachment.get("content"))
    name = body.get("name", attachment.get("name"))
    if not isinstance(name, str):
        raise bad_request("A Document needs its file name: name (or binaryAttachment[0].name).")
    mime = attachment.get("mimeType")
    if not isinstance(mime, str):
        raise bad_request("binaryAttachment[0].mimeType is required (e.g. application/pdf).")
    _check_size(attachment.get("size"), len(content))
    document_type = body.get("documentType", DOCUMENT_TYPE)
    try:
        name = documents.plain_name(name, "name")
    except BadDocument as error:
        raise bad_request(str(error)) from None
    state = line_of(ctx, _owner(body.get("relatedParty")))
    if document_type != DOCUMENT_TYPE:
        raise ApiError(422, "R8", f"The personal archive keeps detalizations (documentType "
                                  f"{DOCUMENT_TYPE!r}), not {document_type!r}.",
                       reason="Not kept by the archive")
    try:
        media_type = documents.content_type(mime)
    except BadDocument as error:
        raise ApiError(422, "R8", str(error), reason="Not kept by the archive") from None
    if len(content) > documents.MAX_BYTES:
        raise _too_large()
    return Upload(state.msisdn, name, media_type, content)


def _content(text: Any) -> bytes:
    if not isinstance(text, str):
        raise bad_request("binaryAttachment[0].content must be the file's bytes, base64.")
    try:
        content = base64.b64decode(text, validate=True)
    except (binascii.Error, ValueError):
        raise bad_request("binaryAttachment[0].content is not valid base64.") from None
    if not content:
        raise bad_request("The document is empty.")
    return content


def _check_size(size: Any, actual: int) -> None:
    if size is None:
        return
    if not isinstance(size, dict) or size.get("units") != "bytes" or \
            size.get("amount") != actual or isinstance(size.get("amount"), bool):
        raise bad_request(f"binaryAttachment[0].size, when given, must be {{\"amount\": "
                          f"{actual}, \"units\": \"bytes\"}}: the content's length.")


def _owner(parties: Any) -> str:
    """The one line id among relatedParty's ids."""
    lines = {p["id"] for p in parties if isinstance(p, dict) and isinstance(p.get("id"), str)
             and ids.msisdn_of_line(p["id"]) is not None} if isinstance(parties, list) else set()
    if len(lines) != 1:
        raise bad_request("A Document names its owner: relatedParty with exactly one line, "
                          "[{\"id\": \"L-79161234567\", \"role\": \"owner\", "
                          "\"@referredType\": \"Product\"}].")
    return lines.pop()


def _too_large() -> ApiError:
    return ApiError(422, "payload_too_large",
                    f"A document may be at most {documents.MAX_BYTES // 2**20} MB.",
                    reason="Too large for the archive")


async def _read_body(request: Request) -> bytes:
    """The body, refused as soon as it is longer than the largest document could make it."""
    declared = request.headers.get("content-length", "")
    if declared.isdigit() and int(declared) > MAX_BODY:
        raise _too_large()
    chunks, size = [], 0
    async for chunk in request.stream():
        size += len(chunk)
        if size > MAX_BODY:
            raise _too_large()
        chunks.append(chunk)
    return b"".join(chunks)


def _purge(ctx: Context) -> None:
    documents.purge_expired(ctx.store, ctx.clock.now())


def _fields(text: str | None) -> tuple[str, ...] | None:
    return None if text is None else tuple(f.strip() for f in text.split(",") if f.strip())


def _json(body: Any, status: int = 200, headers: dict[str, str] | None = None) -> Response:
    return Response(dumps(body), status, headers, media_type="application/json")


_MODEL = entity_model(DOCUMENT)
FieldsParam = Annotated[str | None, Query(description="Comma-separated attributes to answer "
                                                      "with (id, href and @type always come)")]
_CREATE_SCHEMA: Json = {
    "title": "TmfDocument_Create", "type": "object", "additionalProperties": True,
    "description": "A document for the personal archive (TMF667 Document_Create); other "
                   "attributes are not kept (the answer shows what was).",
    "required": ["relatedParty", "binaryAttachment"],
    "properties": {
        "name": {"type": "string", "maxLength": documents.MAX_NAME,
                 "description": "The file name (else binaryAttachment[0].name)"},
        "documentType": {"type": "string", "enum": [DOCUMENT_TYPE]},
        "relatedParty": {"type": "array", "minItems": 1, "items": {"type": "object"},
                         "description": "Exactly one line: {id: L-…, role: owner, "
                                        "@referredType: Product}"},
        "binaryAttachment": {
            "type": "array", "minItems": 1, "maxItems": 1,
            "items": {"type": "object", "required": ["content", "mimeType"], "properties": {
                "name": {"type": "string"},
                "mimeType": {"type": "string",
                             "description": f"One of {', '.join(documents.CONTENT_TYPES)} "
                                            "(parameters such as ; charset=utf-8 allowed)"},
                "content": {"type": "string", "contentEncoding": "base64",
                            "description": "The bytes, base64; at most 50 MB of them"},
                "size": {"type": "object", "description": "{amount: <bytes>, units: bytes}, "
                                                          "if given: the content's length"},
            }}},
    },
}


@router.get("/document", operation_id="listDocument", response_class=Response,
            summary="The archive's unexpired documents, newest first (without content)",
            description="`relatedParty.id=L-…` gives one line's; any TMF attribute filter, "
                        "`fields`, `offset`, `limit` as on every TMF list.",
            responses={200: {"model": GenericAlias(list, (_MODEL,)),
                             "headers": answers.COUNT_HEADERS, "description": "The page"},
                       **answers.BAD_QUERY})
def list_documents(request: Request, ctx: Ctx, fields: FieldsParam = None) -> Response:
    query = list_query(request)
    _purge(ctx)
    chosen = Archive(ctx.store, ctx.clock.now()).select(query, Links.of(request), query.offset,
                                                        query.limit)
    items = [project(entity, query.fields) for entity in chosen.items]
    return _json(items, 200, {"X-Total-Count": str(chosen.total),
                              "X-Result-Count": str(len(items))})


@router.post("/document", operation_id="createDocument", status_code=201,
             response_class=Response, summary="Archive a document for 3 days (R8, R9)",
             openapi_extra={"requestBody": {"required": True, "content": {
                 "application/json": {"schema": _CREATE_SCHEMA}}}},
             responses={201: {"model": _MODEL, "headers": answers.LOCATION,
                              "description": "Archived until binaryAttachment[0].validFor."
                                             "endDateTime (without the content)"},
                        **_error(400, "bad_request: no or a malformed Idempotency-Key; the "
                                      "body is not a document of one base64 attachment with "
                                      "a plain file name, one owner line and its size"),
                        **_error(404, "not_found: the owner line is not in the operator's "
                                      "world"),
                        **_error(409, "idempotency_conflict: the key was used for another "
                                      "request; request_in_progress: a request with it is "
                                      "being processed (retry with the same key)"),
                        **answers.refusal("R8: a documentType or mimeType the archive does not "
                                          "keep; payload_too_large: over 50 MB")})
async def create_document(request: Request, ctx: Ctx, key: IdempotencyKey) -> Response:
    raw = await _read_body(request)
    upload = await run_in_threadpool(parse_upload, ctx, raw)  # a big body: off the event loop
    links = Links.of(request)
    fp = fingerprint("POST", f"/tmf-api/{DOCUMENT_API}/v4/document", {
        "line": ids.line_id(upload.msisdn), "name": upload.name,
        "content_type": upload.media_type, "documentType": DOCUMENT_TYPE,
        "sha256": hashlib.sha256(upload.content).hexdigest()})

    def store(w: Write) -> Answer:
        doc = documents.insert(w.conn, upload.msisdn, upload.name, upload.media_type,
                               upload.content, ctx.clock.now())
        return Answer(201, document_json(doc, links))

    await run_in_threadpool(_purge, ctx)
    outcome = await run_in_threadpool(idempotent.run, ctx, key, fp, store)
    headers = {}
    if outcome.status == 201:
        headers["Location"] = links.href(DOCUMENT_API, "document",
                                         str(json.loads(outcome.text)["id"]))
    return send(outcome, headers)


@router.get("/document/{id}", operation_id="retrieveDocument", response_class=Response,
            summary="A document with its content (base64)",
            responses={200: {"model": _MODEL, "description": "The document, with "
                                                             "binaryAttachment[0].content"},
                       **_error(404, "not_found: no document with this id"),
                       **_error(410, "R9: the archive keeps a document 3 days; this one has "
                                     "expired and its bytes were deleted")})
def get_document(request: Request, ctx: Ctx,
                 document_id: Annotated[str, Path(alias="id", description="The document's id")],
                 fields: FieldsParam = None) -> Response:
    _purge(ctx)
    doc = documents.find(ctx.store, document_id)
    if doc is None:
        raise ApiError(404, "not_found", f"No Document with id {document_id!r}.")
    content = None if doc.expires_at <= ctx.clock.now() else \
        documents.content(ctx.store, document_id)
    if content is None:
        raise ApiError(410, "R9", "The archive keeps a document 3 days; this one has expired "
                                  "and was deleted.", reason="Expired")
    return _json(project(document_json(doc, Links.of(request), content), _fields(fields)))
