"""`salon operator check`'s calls: does each API the console needs answer where salon.ini says it
lives, in the version the console speaks, to the console's credentials? A part of
OperatorClient (app/operator_api/client.py); app/services/operator_check.py turns the findings
into an integrator's sentences.

Each API gets one cheap authorised read of a resource the console uses (`?limit=1&fields=id`),
one attempt, within the call's deadline, the answer read with the usual cap. Reads that name a
line (usage of one day, the x-salon main balance) take the first line productInventory lists.
Nothing is written. With OAuth2 the token endpoint is asked first, once, for a new token.
"""

from __future__ import annotations

import logging
import re
import ssl
from dataclasses import dataclass, replace
from datetime import timedelta
from typing import Any

import httpx

from app.operator_api.apis import APIS, Api
from app.operator_api.auth import ClientCredentials, TokenEndpointUnreachable, TokenRefused
from app.operator_api.bodies import AnswerTooLarge, UnreadableJson, parse_json, read_capped
from app.operator_api.deadline import deadline_scope
from app.operator_api.line_ids import utc_text
from app.operator_api.plumbing import OperatorPlumbing, error_body

log = logging.getLogger(__name__)

# What each API is asked: (resource, extra query) — `{line}`: a line id from productInventory.
_PROBES: dict[str, tuple[str, dict[str, str]]] = {
    "productInventory": ("product", {}),
    "party": ("individual", {}),
    "customerManagement": ("customer", {}),
    "prepayBalanceManagement": ("bucket", {"product.id": "{line}"}),
    "productCatalogManagement": ("productOffering", {}),
    "usageManagement": ("usage", {"ratedProductUsage.productRef.id": "{line}"}),
    "shoppingCart": ("shoppingCart", {}),
    "productOrderingManagement": ("productOrder", {}),
    "document": ("document", {}),
    "communicationManagement": ("communicationMessage", {}),
    "x-salon": ("mainBalance", {"product.id": "{line}"}),
}
# The major version the console speaks, by API (TMF's v4; the console's own extension v1).
EXPECTED_VERSION = {api.name: ("1" if api.standard == "x-salon" else "4") for api in APIS}
_VERSION_IN_PATH = re.compile(r"/v(\d+)(?:\.\d+)*(?=/|$)")
# Headers where a server may say its API's version (none is standard in TMF v4).
VERSION_HEADERS = ("X-API-Version", "API-Version", "X-Version")


@dataclass(frozen=True)
class ApiFinding:
    """What one API did. `outcome`: ok, unreachable, tls, timeout, broken, unauthorized,
    forbidden, not_found, refused (another 4xx), server_error (5xx), not_tmf (an answer not in
    the API's shape), wrong_version, no_token (the token endpoint gave none), skipped (needs a
    line, and productInventory gave none)."""

    api: Api
    base_url: str  # absolute
    resource: str
    outcome: str
    status: int | None = None  # the HTTP status, when there was an answer
    version: str | None = None  # the major version in the base URL's path (`4`), if any
    server_version: str | None = None  # what the server said in a version header, if it did
    detail: str = ""  # technical, English: the exception's kind, the server's error message

    @property
    def answers(self) -> bool:
        return self.outcome == "ok"

    @property
    def expected_version(self) -> str:
        return EXPECTED_VERSION[self.api.name]


@dataclass(frozen=True)
class TokenFinding:
    """The OAuth2 token endpoint: `outcome` ok, refused (the client credentials), or
    unreachable; `lifetime` the seconds the token given lives."""

    token_url: str
    outcome: str
    lifetime: float | None = None
    reason: str = ""


class CheckCalls(OperatorPlumbing):
    def oauth_client(self) -> ClientCredentials | None:
        return self._auth if isinstance(self._auth, ClientCredentials) else None

    def probe_token(self) -> TokenFinding | None:
        """The token endpoint asked for a new token (None with a fixed bearer token)."""
        auth = self.oauth_client()
        if auth is None:
            return None
        try:
            with deadline_scope(self._deadline):
                lifetime = auth.token_lifetime()
        except TokenRefused as refused:
            return TokenFinding(auth.token_url, "refused", reason=refused.reason)
        except TokenEndpointUnreachable as error:
            return TokenFinding(auth.token_url, "unreachable", reason=error.detail)
        return TokenFinding(auth.token_url, "ok", lifetime=lifetime)

    def probe_apis(self, no_token: str | None = None) -> list[ApiFinding]:
        """Each API of the table, in its order; productInventory first gives the line.
        `no_token`: why there is no access token (probe_token said): then nothing is asked
        and each API is "no_token"."""
        findings: list[ApiFinding] = []
        line: str | None = None
        for api in APIS:
            resource, extra = _PROBES[api.name]
            base = self.api_url(api.name)
            if no_token is not None:
                findings.append(ApiFinding(api, base, resource, "no_token", detail=no_token))
                continue
            needs_line = any(v == "{line}" for v in extra.values())
            if needs_line and line is None:
                findings.append(ApiFinding(api, base, resource, "skipped"))
                continue
            params = {key: (line if value == "{line}" else value) for key, value in extra.items()}
            if api.name == "usageManagement":  # one day of one line: cheap on any system
                now = self._clock.now()
                params.update({"usageDate.gte": utc_text(now - timedelta(days=1)),
                               "usageDate.lt": utc_text(now)})
            if api.name != "x-salon":
                params.update(limit="1", fields="id")
            finding, body = self._probe(api, base, resource, params)
            findings.append(finding)
            if api.name == "productInventory" and finding.answers:
                line = _first_id(body)
        return findings

    def api_url(self, name: str) -> str:
        """An API's base as an absolute URL (the root plus its path, or its own URL)."""
        base = self._api(name)
        if base.startswith(("http://", "https://")):
            return base
        return str(self._http.base_url).rstrip("/") + base

    def _probe(self, api: Api, base: str, resource: str,
               params: dict[str, Any]) -> tuple[ApiFinding, Any]:
        found = ApiFinding(api, base, resource, "ok", version=_path_version(base))
        try:
            with deadline_scope(self._deadline):
                response = read_capped(
                    self._http.send(self._http.build_request(
                        "GET", f"{self._api(api.name)}/{resource}", params=params),
                        stream=True),
                    self._limits.json)
        except TokenRefused as refused:
            return replace(found, outcome="no_token", detail=refused.reason), None
        except TokenEndpointUnreachable as error:
            return replace(found, outcome="no_token", detail=error.detail), None
        except AnswerTooLarge as error:
            return replace(found, outcome="not_tmf", detail=str(error)), None
        except httpx.TransportError as error:
            log.warning("operator check: %s at %s: %r", api.name, base, error)
            return replace(found, outcome=_transport_outcome(error),
                           detail=_transport_detail(error)), None
        server_version = next((response.headers[h] for h in VERSION_HEADERS
                               if h in response.headers), None)
        found = replace(found, status=response.status_code, server_version=server_version)
        if response.status_code >= 400:
            code, message = error_body(response)
            log.warning("operator check: %s at %s answered %s %s: %s", api.name, base,
                        response.status_code, code, message)
            outcome = _status_outcome(response.status_code)
            if outcome == "not_found" and found.version not in (None, found.expected_version):
                outcome = "wrong_version"  # not there, and the base names another version
            return replace(found, outcome=outcome, detail=_plain(message or code or "")), None
        try:
            body = parse_json(response.content)
        except UnreadableJson:
            body = None
        expected_list = api.name != "x-salon"
        if not (isinstance(body, list) and all(isinstance(x, dict) for x in body)
                if expected_list else isinstance(body, dict)):
            log.warning("operator check: %s at %s: the answer is not the API's shape",
                        api.name, base)
            return replace(found, outcome="not_tmf", detail="not a JSON "
                           + ("array of objects" if expected_list else "object")), None
        said = _major(server_version) if server_version else None
        expected = EXPECTED_VERSION[api.name]
        if (found.version and found.version != expected) or (said and said != expected):
            return replace(found, outcome="wrong_version"), body
        return found, body


def _first_id(body: Any) -> str | None:
    if isinstance(body, list) and body and isinstance(body[0], dict):
        value = body[0].get("id")
        if isinstance(value, str) and value and len(value) <= 200:
            return value
    return None


def _path_version(base: str) -> str | None:
    found = _VERSION_IN_PATH.findall(httpx.URL(base).path)
    return found[-1] if found else None


def _major(text: str) -> str | None:
    found = re.match(r"\s*v?(\d+)", text)
    return found.group(1) if found else None


def _status_outcome(status: int) -> str:
    if status == 401:
        return "unauthorized"
    if status == 403:
        return "forbidden"
    if status in (404, 405, 410):
        return "not_found"
    if status >= 500:
        return "server_error"
    return "refused"


def _transport_outcome(error: httpx.TransportError) -> str:
    if _tls_failure(error):
        return "tls"
    if isinstance(error, httpx.TimeoutException):
        return "timeout"
    if isinstance(error, httpx.ConnectError):
        return "unreachable"
    return "broken"


def _tls_failure(error: BaseException) -> bool:
    seen: BaseException | None = error
    while seen is not None:
        if isinstance(seen, ssl.SSLError) or "CERTIFICATE_VERIFY_FAILED" in str(seen) \
                or "SSL" in type(seen).__name__:
            return True
        seen = seen.__cause__ or seen.__context__
    return False


def _transport_detail(error: httpx.TransportError) -> str:
    """The failure in a few words, for the integrator: the OS's or TLS library's own."""
    return _plain(str(error) or type(error).__name__)


def _plain(text: str) -> str:
    """Text from the other side or the network stack, shortened to one plain line."""
    line = " ".join(text.split())
    return line if len(line) <= 200 else line[:199] + "…"
