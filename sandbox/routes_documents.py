"""The personal document archive (R8, R9): upload, list, fetch; 3 days of the sandbox clock."""

from __future__ import annotations

import hashlib
from typing import Annotated, Any
from urllib.parse import quote

from fastapi import APIRouter, Depends, Header, Request, Response
from starlette.concurrency import run_in_threadpool

from sandbox import documents, schemas
from sandbox import schemas_sandbox as wire
from sandbox.answers import BAD_INPUT, IN_PROGRESS, NOT_FOUND, OPERATOR
from sandbox.deps import (
    Context,
    Ctx,
    IdempotencyKey,
    Subscriber,
    require_token,
    send,
)
from sandbox.documents import BadDocument
from sandbox.errors import ApiError, bad_request
from sandbox.idempotency import Answer, Write, fingerprint

router = APIRouter(prefix="/v1", dependencies=[Depends(require_token)], responses=OPERATOR,
                   tags=["documents"])
# OpenAPI 3.1: raw bytes of a media type are described by the media type alone, no schema
# (a string schema would claim text).
_BINARY: dict[str, Any] = {}


def _purge(ctx: Context) -> None:
    documents.purge_expired(ctx.store, ctx.clock.now())


@router.post(
    "/subscribers/{msisdn}/documents", status_code=201, response_class=Response,
    responses={201: {"model": wire.Document, "description": "Stored for 3 days"},
               413: {"model": schemas.Error, "description": "payload_too_large (over 50 MB)"},
               415: {"model": schemas.Error, "description": "unsupported_media_type"},
               422: {"model": schemas.Error, "description": "idempotency_key_reused: the key "
                                                            "was used for another document"},
               **BAD_INPUT, **NOT_FOUND, **IN_PROGRESS},
    openapi_extra={"requestBody": {"required": True, "description": "The document's bytes",
                                   "content": {t: _BINARY for t in documents.CONTENT_TYPES}}})
async def upload_document(
    ctx: Ctx, state: Subscriber, key: IdempotencyKey, request: Request,
    name: Annotated[str | None, Header(alias="X-Document-Name",
                                       description="File name, percent-encoded UTF-8")] = None,
    content_type: Annotated[str | None, Header(alias="Content-Type")] = None,
) -> Response:
    try:
        doc_name = documents.document_name(name)
    except BadDocument as error:
        raise bad_request(str(error)) from None
    try:
        media_type = documents.content_type(content_type)
    except BadDocument as error:
        raise ApiError(415, "unsupported_media_type", str(error)) from None
    content = await _read_body(request)
    path = f"/v1/subscribers/{state.msisdn}/documents"
    fp = fingerprint("POST", path, {"name": doc_name, "content_type": media_type,
                                    "sha256": hashlib.sha256(content).hexdigest()})

    def store(w: Write) -> Answer:
        doc = documents.insert(w.conn, state.msisdn, doc_name, media_type, content,
                               ctx.clock.now())
        return Answer(201, doc.body())

    await run_in_threadpool(_purge, ctx)
    return send(await run_in_threadpool(ctx.idempotency.run, key, fp, store))


async def _read_body(request: Request) -> bytes:
    too_large = ApiError(413, "payload_too_large", f"A document may be at most "
                                                   f"{documents.MAX_BYTES // 2**20} MB.")
    declared = request.headers.get("content-length", "")
    if declared.isdigit() and int(declared) > documents.MAX_BYTES:
        raise too_large
    chunks, size = [], 0
    async for chunk in request.stream():
        size += len(chunk)
        if size > documents.MAX_BYTES:
            raise too_large
        chunks.append(chunk)
    if not size:
        raise bad_request("The document is empty.")
    return b"".join(chunks)


@router.get("/subscribers/{msisdn}/documents", response_model=wire.DocumentList,
            responses={**BAD_INPUT, **NOT_FOUND})
def list_documents(ctx: Ctx, state: Subscriber) -> dict[str, Any]:
    _purge(ctx)
    return {"items": [d.body() for d in documents.unexpired(ctx.store, state.msisdn,
                                                             ctx.clock.now())]}


@router.get("/documents/{document_id}", response_class=Response,
            responses={200: {"content": {t: _BINARY for t in documents.CONTENT_TYPES},
                             "description": "The bytes, as uploaded"},
                       404: {"model": schemas.Error, "description": "document_not_found"},
                       410: {"model": schemas.Error, "description": "document_expired: kept 3 "
                                                                    "days, then deleted"}})
def get_document(ctx: Ctx, document_id: str) -> Response:
    _purge(ctx)
    doc = documents.find(ctx.store, document_id)
    if doc is None:
        raise ApiError(404, "document_not_found", f"No document {document_id}.")
    content = None if doc.expires_at <= ctx.clock.now() else \
        documents.content(ctx.store, document_id)
    if content is None:
        raise ApiError(410, "document_expired", "The archive keeps a document 3 days; this one "
                                                "has expired and was deleted.")
    return Response(content, media_type=doc.content_type, headers={
        "Content-Disposition": f"attachment; filename*=UTF-8''{quote(doc.name)}",
        "ETag": f'"{doc.sha256}"'})
