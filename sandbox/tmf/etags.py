"""An entity served with an `ETag`: a world line (TMF637 product) carries the subscriber's
version, which a client sends back as `If-Match` on a change (as `GET /v1/subscribers/{msisdn}`
gives it today). The version is read with the state the entity is made from, so the header and
the body are of the same moment; it is never part of the body."""

from __future__ import annotations

from typing import Any

Json = dict[str, Any]


class Versioned(dict[str, Any]):
    """A JSON entity and the version its `ETag` carries."""

    def __init__(self, body: Json, version: int) -> None:
        super().__init__(body)
        self.version = version


def etag_headers(entity: Json) -> dict[str, str]:
    """`ETag: "7"` for a versioned entity, nothing for the others."""
    return {"ETag": f'"{entity.version}"'} if isinstance(entity, Versioned) else {}
