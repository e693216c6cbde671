"""What the sandbox's own OpenAPI document says of the TMF answers: TMF's `Error`, each entity
(`id`, `href`, `@type` and whatever else the resource carries, per the published document of
its API) and each create body (its mandatory attributes). The bodies are built by hand, not by
these models; the models are the document, and a test holds every answer to it."""

from __future__ import annotations

from functools import cache
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, create_model

from sandbox.tmf.resource import Resource

_OPEN = ConfigDict(extra="allow", populate_by_name=True)


class TmfError(BaseModel):
    """TMF's Error: every answer under /tmf-api/ that is not a success."""

    model_config = ConfigDict(populate_by_name=True, extra="forbid")
    code: str = Field(description="What went wrong, for programs: not_found, bad_request, "
                                  "unauthorized, read_only, unavailable, internal, or the "
                                  "business rule that refused (e.g. world_line)")
    reason: str = Field(description="A short English phrase")
    message: str = Field(description="The sentence: what happened and what to do")
    status: str = Field(description="The HTTP status, as a string", examples=["404"])
    type_: str = Field(alias="@type", description="Always Error")


@cache
def entity_model(resource: Resource) -> type[BaseModel]:
    model: type[BaseModel] = create_model(
        f"Tmf{resource.type_name}", __config__=_OPEN,
        __doc__=f"{resource.api.code} {resource.type_name}, as the published v4 document "
                f"defines it (every attribute it has is allowed; these three always come).",
        id=(str, Field(description="Unique identifier")),
        href=(str, Field(description="Absolute URL of the entity, from the request's base")),
        type_=(str, Field(alias="@type", description=f"{resource.type_name} or a subtype")))
    return model


def create_schema(resource: Resource) -> dict[str, Any]:
    """The request body of a create: a JSON object with the mandatory attributes (the sandbox
    checks only that they are there; their shapes are the published document's)."""
    schema: dict[str, Any] = {
        "title": f"Tmf{resource.type_name}_Create", "type": "object",
        "description": f"A {resource.type_name} to create, as the published "
                       f"{resource.type_name}_Create defines it (id and href are the server's; "
                       f"@type defaults to {resource.type_name}).",
        "additionalProperties": True,
    }
    if resource.required:
        schema["required"] = list(resource.required)
        schema["properties"] = {name: {"description": "Mandatory on create"}
                                for name in resource.required}
    return schema
