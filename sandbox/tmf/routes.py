"""Every TMF resource served the same way, at `/tmf-api/{api}/v4/{resource}`:

- `GET  /{resource}` — list: `fields`, `offset`, `limit` (default 100, at most 10,000), attribute
  filters (`sandbox.tmf.query`); 200 with `X-Total-Count` and `X-Result-Count`;
- `POST /{resource}` — create: 201 with the entity and `Location`; the entity is kept in the
  generic store (never the world); 400 when a mandatory attribute is missing;
- `GET  /{resource}/{id}` — one entity (`fields` too), 404 with TMF's Error if none;
- `PATCH /{resource}/{id}` — JSON Merge Patch of a created entity (200);
- `DELETE /{resource}/{id}` — 204;
a world entity (generated usage, a phone's SMS) answers PATCH and DELETE with 405 `read_only`.
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from types import GenericAlias
from typing import Annotated, Any

from fastapi import APIRouter, Body, Depends, Path, Query, Request, Response

from sandbox.deps import Context, Ctx
from sandbox.errors import ApiError, bad_request, dumps
from sandbox.tmf import answers
from sandbox.tmf.auth import require_tmf_token
from sandbox.tmf.entity_store import with_href
from sandbox.tmf.errors import not_found, read_only
from sandbox.tmf.etags import etag_headers
from sandbox.tmf.fields import project
from sandbox.tmf.links import Links
from sandbox.tmf.merge_patch import merge_patch
from sandbox.tmf.models import create_schema, entity_model
from sandbox.tmf.query import BadQuery, parse_query
from sandbox.tmf.query import Query as ListQuery
from sandbox.tmf.resource import Api, Resource
from sandbox.tmf.sources import find, page

Json = dict[str, Any]
DEFAULT_LIMIT = 100
MAX_LIMIT = 10_000

FieldsParam = Annotated[str | None, Query(
    description="Comma-separated attributes to answer with (id, href and @type always come); "
                "a dotted name keeps part of a nested attribute")]
OffsetParam = Annotated[int | None, Query(ge=0, description="Index of the first entity, from 0")]
LimitParam = Annotated[int | None, Query(
    ge=0, le=MAX_LIMIT, description=f"At most this many (default {DEFAULT_LIMIT})")]
EntityId = Annotated[str, Path(alias="id", description="The entity's id")]

LIST_DOC = (
    "Attribute filters, any number, all must hold: `attr=value` (equality; several values "
    "separated by commas: any of them), `a.b.c=value` into nested objects and arrays (any "
    "element), and `attr.gt`, `attr.gte`, `attr.lt`, `attr.lte` on instants or numbers. "
    "Entities created through this API come first (in creation order), then the world's. ")


def api_router(api: Api, resources: Sequence[Resource]) -> APIRouter:
    router = APIRouter(prefix=f"/tmf-api/{api.name}/v4",
                       dependencies=[Depends(require_tmf_token)], responses=answers.COMMON,
                       tags=[f"{api.code} {api.title}"])
    for resource in resources:
        _add_routes(router, resource)
    return router


def _add_routes(router: APIRouter, resource: Resource) -> None:
    type_name, model = resource.type_name, entity_model(resource)
    collection, item = f"/{resource.name}", f"/{resource.name}/{{id}}"
    read_only_answers = answers.READ_ONLY if resource.world is not None else {}

    @router.get(collection, operation_id=f"list{type_name}", response_class=Response,
                summary=f"List or find {type_name} objects",
                description=LIST_DOC + resource.world_doc,
                responses={200: {"model": GenericAlias(list, (model,)),
                                 "headers": answers.COUNT_HEADERS,
                                 "description": "The page"}, **answers.BAD_QUERY})
    def list_entities(request: Request, ctx: Ctx, fields: FieldsParam = None,
                      offset: OffsetParam = None, limit: LimitParam = None) -> Response:
        query = list_query(request)
        chosen = page(resource.sources(ctx), query, Links.of(request))
        items = [project(entity, query.fields) for entity in chosen.items]
        return _json(items, 200, {"X-Total-Count": str(chosen.total),
                                  "X-Result-Count": str(len(items))})

    own = resource.create_doc

    @router.post(collection, operation_id=f"create{type_name}", status_code=201,
                 response_class=Response, summary=f"Create a {type_name}",
                 description=own.description or "Kept beside the world, never part of it.",
                 openapi_extra={"requestBody": {"content": {"application/json": {
                     "schema": create_schema(resource)}}},
                     **({"parameters": list(own.parameters)} if own.parameters else {})},
                 responses={201: {"model": model,
                                  "headers": {**answers.LOCATION, **own.created_headers},
                                  "description": "Created"}, **answers.BAD_BODY,
                            **(answers.refusal(resource.refusal_doc)
                               if resource.refusal_doc else {}), **own.answers})
    def create_entity(request: Request, ctx: Ctx,
                      body: Annotated[Json, Body(description="The entity")]) -> Response:
        missing = [name for name in resource.required if name not in body]
        if missing:
            raise bad_request(f"A {type_name} needs {', '.join(missing)}.")
        if resource.check_create is not None:
            resource.check_create(ctx, body)
        if resource.create is not None:
            answer = resource.create(request, ctx, body)
            if answer is not None:
                return answer
        now = ctx.clock.now()
        entity = {**{k: v for k, v in body.items() if k not in ("id", "href")},
                  "id": str(uuid.uuid4()), "@type": body.get("@type") or type_name}
        if resource.complete is not None:
            entity = resource.complete(entity, now)
        ctx.entities.create(resource.api.name, resource.name, entity, now)
        href = Links.of(request).href(resource.api.name, resource.name, entity["id"])
        return _json(with_href(entity, href), 201, {"Location": href})

    @router.get(item, operation_id=f"retrieve{type_name}", response_class=Response,
                summary=f"Retrieve a {type_name} by id",
                responses={200: {"model": model, "description": "The entity",
                                 **answers.etag(resource.etag_doc)}, **answers.NOT_FOUND})
    def get_entity(request: Request, ctx: Ctx, entity_id: EntityId,
                   fields: FieldsParam = None) -> Response:
        found = find(resource.sources(ctx), entity_id, Links.of(request))
        if found is None:
            raise not_found(type_name, entity_id)
        return _json(project(found, _fields(fields)), 200, etag_headers(found))

    patched = resource.patch_doc

    @router.patch(item, operation_id=f"patch{type_name}", response_class=Response,
                  summary=f"Change a created {type_name} (JSON Merge Patch)",
                  description=patched.description or "A created entity changes; the world's "
                                                     "are read-only.",
                  openapi_extra={"parameters": list(patched.parameters)}
                  if patched.parameters else None,
                  responses={200: {"model": model, "description": "The changed entity",
                                   **({"headers": patched.created_headers}
                                      if patched.created_headers else {})},
                             **answers.BAD_BODY, **answers.NOT_FOUND, **read_only_answers,
                             **patched.answers})
    def patch_entity(request: Request, ctx: Ctx, entity_id: EntityId,
                     body: Annotated[Json, Body(description="JSON Merge Patch")]) -> Response:
        links = Links.of(request)
        href = links.href(resource.api.name, resource.name, entity_id)
        for name, value in (("id", entity_id), ("href", href)):
            if name in body and body[name] != value:
                raise bad_request(f"The {name} of a {type_name} is the server's to set.")
        if body.get("@type", "") is None:
            raise bad_request(f"A {type_name} keeps its @type.")
        if resource.patch is not None:
            own_answer = resource.patch(request, ctx, entity_id, body)
            if own_answer is not None:
                return own_answer
        patch = {k: v for k, v in body.items() if k not in ("id", "href")}
        changed = ctx.entities.update(resource.api.name, resource.name, entity_id,
                                      lambda stored: merge_patch(stored, patch),
                                      ctx.clock.now())
        if changed is None:
            raise _missing(ctx, resource, entity_id, links)
        return _json(with_href(changed, href), 200)

    @router.delete(item, operation_id=f"delete{type_name}", status_code=204,
                   response_class=Response, summary=f"Delete a created {type_name}",
                   responses={204: {"description": "Deleted"}, **answers.NOT_FOUND,
                              **read_only_answers})
    def delete_entity(request: Request, ctx: Ctx, entity_id: EntityId) -> Response:
        if not ctx.entities.delete(resource.api.name, resource.name, entity_id):
            raise _missing(ctx, resource, entity_id, Links.of(request))
        return Response(status_code=204)


def list_query(request: Request) -> ListQuery:
    try:
        return parse_query(request.query_params.multi_items(), default_limit=DEFAULT_LIMIT,
                           max_limit=MAX_LIMIT)
    except BadQuery as exc:
        raise bad_request(str(exc)) from None


def _fields(text: str | None) -> tuple[str, ...] | None:
    return None if text is None else tuple(f.strip() for f in text.split(",") if f.strip())


def _missing(ctx: Context, resource: Resource, entity_id: str, links: Links) -> ApiError:
    """Not a created entity: 405 when the world has it (read-only), else 404."""
    world = resource.world_source(ctx)
    if world is not None and world.get(entity_id, links) is not None:
        return read_only(resource.type_name, entity_id)
    return not_found(resource.type_name, entity_id)


def _json(body: Any, status: int, headers: dict[str, str] | None = None) -> Response:
    return Response(dumps(body), status, headers, media_type="application/json")
