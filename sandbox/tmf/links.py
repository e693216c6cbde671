"""Absolute `href`s, made from each request's own base URL (the host and port the client used),
so an entity's href is always one the client can follow."""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import quote

from fastapi import Request


@dataclass(frozen=True)
class Links:
    root: str  # scheme://host:port, no trailing slash

    @classmethod
    def of(cls, request: Request) -> Links:
        return cls(str(request.base_url).rstrip("/"))

    def api(self, api_name: str) -> str:
        """The API's base URL, ending in '/': http://127.0.0.1:8765/tmf-api/usageManagement/v4/"""
        return f"{self.root}/tmf-api/{api_name}/v4/"

    def href(self, api_name: str, resource: str, entity_id: str) -> str:
        return f"{self.api(api_name)}{resource}/{quote(entity_id, safe='')}"
