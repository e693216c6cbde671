"""One TMF resource described once: which API it belongs to, what a create must carry, where its
world-derived entities come from. `sandbox.tmf.routes` serves every resource the same way."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from fastapi import Request, Response

from sandbox.deps import Context
from sandbox.tmf.entity_store import StoredSource
from sandbox.tmf.sources import Source

Json = dict[str, Any]


@dataclass(frozen=True)
class Api:
    name: str  # the path segment of the document's basePath: usageManagement
    code: str  # TMF635
    title: str  # Usage Management


@dataclass(frozen=True, eq=False)
class CreateDoc:
    """What a resource's own create (`Resource.create`) adds to the sandbox's OpenAPI document:
    the statuses it can answer besides the generic ones, the headers of its 201 besides
    Location, and the request headers it reads (OpenAPI parameter objects)."""

    description: str = ""  # what a create does (default: kept beside the world)
    answers: dict[int | str, dict[str, Any]] = field(default_factory=dict)
    created_headers: dict[str, Any] = field(default_factory=dict)
    parameters: tuple[dict[str, Any], ...] = ()


@dataclass(frozen=True)
class Resource:
    api: Api
    name: str  # the path segment: usage
    type_name: str  # the entity's @type: Usage
    # Mandatory attributes of a create (the published `<Type>_Create` definition's `required`).
    required: tuple[str, ...] = ()
    # The world's own entities of this resource (read-only), after the created ones.
    world: Callable[[Context], Source] | None = None
    world_doc: str = ""  # what the world contributes, in the sandbox's OpenAPI document
    # Refuses a create that the sandbox cannot keep (raise ApiError: 422 with a rule as code);
    # `refusal_doc` says which, in the sandbox's OpenAPI document.
    check_create: Callable[[Context, Json], None] | None = None
    refusal_doc: str = ""
    # Fills what the server sets on a created entity (the sandbox clock's seconds given).
    complete: Callable[[Json, int], Json] | None = None
    # What `ETag` carries on `GET /{resource}/{id}`, when world entities are `etags.Versioned`.
    etag_doc: str = ""
    # A create the resource answers itself (an order applied to the world, a priced cart):
    # given the request, the context and the body (its mandatory attributes checked), the
    # answer; or None to keep the body in the generic store like any other create.
    create: Callable[[Request, Context, Json], Response | None] | None = None
    create_doc: CreateDoc = field(default_factory=CreateDoc)
    # A PATCH the resource answers itself (a pick-up order's state): given the request, the
    # context, the id and the body (id and href checked), the answer; or None for the generic
    # merge patch of a created entity. `patch_doc` as `create_doc` (its `created_headers` are
    # the 200's).
    patch: Callable[[Request, Context, str, Json], Response | None] | None = None
    patch_doc: CreateDoc = field(default_factory=CreateDoc)

    def stored(self, ctx: Context) -> StoredSource:
        return StoredSource(ctx.entities, self.api.name, self.name)

    def sources(self, ctx: Context) -> list[Source]:
        """Created entities first (in creation order), then the world's."""
        stored: list[Source] = [self.stored(ctx)]
        return stored if self.world is None else [*stored, self.world(ctx)]

    def world_source(self, ctx: Context) -> Source | None:
        return None if self.world is None else self.world(ctx)
