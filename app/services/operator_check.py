"""`salon operator check`: each API the console needs (app/operator_api/apis.py), whether it
answers where salon.ini says it lives, its version, and — when it does not answer — what is
missing, in a sentence an integrator can act on (the setting to change, the command to run).

The verdict's exit code follows DESIGN §7: 0 all answer; 5 the operator (a host, the token
endpoint) cannot be reached or fails; 2 a setting is wrong (credentials refused, an API not at
its base URL, another version); 1 an answer that is not TMF's.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Protocol

import httpx

from app.config import OperatorSettings
from app.errors import InputError, OperatorUnavailable, SalonError
from app.i18n import _
from app.operator_api.check import ApiFinding, TokenFinding

# Outcomes by what the integrator does about them (and the exit code they lead to).
UNREACHABLE = {"unreachable", "tls", "timeout", "broken", "server_error"}
SETTINGS = {"unauthorized", "forbidden", "not_found", "refused", "wrong_version", "no_token"}


class CheckApi(Protocol):
    def probe_token(self) -> TokenFinding | None: ...

    def probe_apis(self, no_token: str | None = None) -> list[ApiFinding]: ...


@dataclass(frozen=True)
class ApiLine:
    finding: ApiFinding
    need: str  # what the console uses it for, in the salon's language
    problem: str | None  # what is missing, or None when it answers


@dataclass(frozen=True)
class CheckReport:
    operator_url: str
    auth: str  # token / oauth2
    token: TokenFinding | None
    token_problem: str | None
    apis: list[ApiLine]

    @property
    def failing(self) -> list[ApiLine]:
        return [line for line in self.apis if line.problem is not None]

    @property
    def exit_code(self) -> int:
        outcomes = {line.finding.outcome for line in self.failing}
        if self.token is not None and self.token.outcome == "unreachable":
            return OperatorUnavailable.exit_code
        if outcomes & UNREACHABLE:
            return OperatorUnavailable.exit_code
        if outcomes & SETTINGS or (self.token is not None and self.token.outcome != "ok"):
            return InputError.exit_code
        return 1 if outcomes - {"skipped"} else 0

    def verdict(self) -> str:
        if not self.failing and self.token_problem is None:
            return _("All {count} APIs the console needs answer.").format(count=len(self.apis))
        return _("{failing} of {count} APIs the console needs do not answer; "
                 "see above what is missing.").format(failing=len(self.failing),
                                                       count=len(self.apis))

    def failure(self) -> SalonError:
        """The check's verdict as the error its exit code belongs to."""
        code = self.exit_code
        if code == OperatorUnavailable.exit_code:
            return OperatorUnavailable(self.verdict())
        if code == InputError.exit_code:
            return InputError(self.verdict())
        return SalonError(self.verdict())

    def as_json(self) -> dict[str, Any]:
        token = None
        if self.token is not None:
            token = {"token_url": self.token.token_url, "answers": self.token.outcome == "ok",
                     "outcome": self.token.outcome, "expires_in": self.token.lifetime,
                     "problem": self.token_problem}
        return {
            "operator": self.operator_url,
            "auth": self.auth,
            "token_endpoint": token,
            "apis": [{
                "name": line.finding.api.name,
                "standard": line.finding.api.standard,
                "need": line.need,
                "base_url": line.finding.base_url,
                "resource": line.finding.resource,
                "answers": line.finding.answers,
                "outcome": line.finding.outcome,
                "http_status": line.finding.status,
                "version": line.finding.version,
                "expected_version": line.finding.expected_version,
                "server_version": line.finding.server_version,
                "problem": line.problem,
            } for line in self.apis],
            "ok": self.exit_code == 0,
        }


class OperatorCheck:
    def __init__(self, api: CheckApi, operator: OperatorSettings, operator_url: str) -> None:
        """`operator_url`: the root the client was built on (the embedded sandbox's address
        in training)."""
        self._api = api
        self._operator = operator
        self._url = operator_url

    def run(self) -> CheckReport:
        token = self._api.probe_token()
        token_problem = None if token is None else self._token_problem(token)
        failed = token is not None and token.outcome != "ok"
        findings = self._api.probe_apis(no_token=token.reason if failed and token else None)
        auth = "embedded" if self._operator.embedded else self._operator.auth
        return CheckReport(self._url, auth, token, token_problem,
                           [ApiLine(f, _need(f.api.name), self._problem(f)) for f in findings])

    def _token_problem(self, token: TokenFinding) -> str | None:
        if token.outcome == "ok":
            return None
        if token.outcome == "refused":
            return _(
                "The token endpoint {url} refused the client credentials ({reason}): check "
                "[operator] client_id (now {client_id}) and set the client secret again with "
                "`salon credentials set --client-secret`."
            ).format(url=token.token_url, reason=token.reason,
                     client_id=self._operator.client_id)
        return _(
            "The token endpoint {url} gave no token ({reason}): check [operator] token_url, "
            "the network and any proxy between this machine and it."
        ).format(url=token.token_url, reason=token.reason)

    def _problem(self, finding: ApiFinding) -> str | None:
        name, outcome = finding.api.name, finding.outcome
        host = httpx.URL(finding.base_url).host or finding.base_url
        setting = f"[operator] api.{name}"
        if outcome == "ok":
            return None
        if outcome == "unreachable":
            return _("{host} cannot be reached ({detail}): check the host in [operator] url "
                     "or {setting}, the network and any proxy.").format(
                host=host, detail=finding.detail, setting=setting)
        if outcome == "tls":
            return _("The TLS connection to {host} failed ({detail}): if the operator's "
                     "certificate is signed by its own authority, install that CA certificate "
                     "in the system's store or point SSL_CERT_FILE at it.").format(
                host=host, detail=finding.detail)
        if outcome == "timeout":
            return _("{host} did not answer within [operator] deadline ({seconds:g} s): "
                     "check the network and firewalls.").format(
                host=host, seconds=self._operator.deadline)
        if outcome == "broken":
            return _("The connection to {host} broke ({detail}): check a proxy or load "
                     "balancer in between.").format(host=host, detail=finding.detail)
        if outcome == "server_error":
            return _("HTTP {status}: the API failed or is unavailable at {base}; try again "
                     "later, or ask the operator.").format(status=finding.status,
                                                           base=finding.base_url)
        if outcome == "unauthorized":
            if self._operator.auth == "oauth2" and not self._operator.embedded:
                return _("HTTP 401: the API refused the access token from [operator] "
                         "token_url: ask the operator to let the client {client_id} use it "
                         "(and whether it needs [operator] scope).").format(
                    client_id=self._operator.client_id)
            return _("HTTP 401: the API refused the console's token: set the right one with "
                     "`salon credentials set`.")
        if outcome == "forbidden":
            return _("HTTP 403: the credentials are valid but may not use this API: ask the "
                     "operator to grant it to the console.")
        if outcome == "not_found":
            return _("HTTP {status}: the API is not at {base}: set {setting} = <its base URL> "
                     "in salon.ini.").format(status=finding.status, base=finding.base_url,
                                             setting=setting)
        if outcome == "refused":
            return _("HTTP {status}: the API refused the check's read of {resource} "
                     "({detail}): it may be another version; see the README's integrator's "
                     "guide.").format(status=finding.status, resource=finding.resource,
                                      detail=finding.detail or "-")
        if outcome == "wrong_version":
            return _("The console speaks version {expected} of this API, and {base} serves "
                     "version {found}: set {setting} to its v{expected} base URL.").format(
                expected=finding.expected_version, base=finding.base_url,
                found=finding.server_version or finding.version, setting=setting)
        if outcome == "not_tmf":
            return _("It answered, but not as {standard} says ({detail}): {base} may point at "
                     "something else; set {setting}.").format(
                standard=finding.api.standard, detail=finding.detail, base=finding.base_url,
                setting=setting)
        if outcome == "no_token":
            return _("Not checked: the console has no access token (see the token endpoint "
                     "above).")
        return _("Not checked: it needs a line from productInventory, which gave none.")


def _need(name: str) -> str:
    """What the console uses an API for, in the salon's language (apis.py has the English)."""
    needs = {
        "productInventory": _("the subscriber's line, tariff and services"),
        "party": _("the person using the line"),
        "customerManagement": _("the customer holding the line"),
        "prepayBalanceManagement": _("balances and packages"),
        "productCatalogManagement": _("tariffs, services and their prices"),
        "usageManagement": _("usage records for detalizations"),
        "shoppingCart": _("the fee preview of a change"),
        "productOrderingManagement": _("tariff, service and Assistant changes"),
        "document": _("the personal archive"),
        "communicationManagement": _("the training phone's SMS"),
        "x-salon": _("access codes and the main balance at an instant"),
    }
    return needs.get(name, name)
