"""`salon operator check`'s findings and sentences against httpx.MockTransport: each way an API
can fail to answer becomes the outcome and the setting an integrator acts on, and the exit
code DESIGN §7 gives it. The real sandbox: tests/integration/test_operator_settings.py."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import httpx
import pytest

from app.clock import FixedClock
from app.config import load_settings
from app.operator_api.client import OperatorClient
from app.services.operator_check import OperatorCheck
from tests.conftest import write_ini

ROOT = "https://bss.operator.test"
NOW = datetime(2026, 11, 23, 10, 15, tzinfo=UTC)


def report_for(tmp_path: Path, answer: httpx.Response | Exception,
               **apis: str):  # type: ignore[no-untyped-def]
    asked: list[httpx.Request] = []

    def handler(request: httpx.Request) -> httpx.Response:
        asked.append(request)
        if "/party/" in request.url.path:
            if isinstance(answer, Exception):
                raise answer
            return answer
        if request.url.path.endswith("/mainBalance"):
            return httpx.Response(200, json={"atDateTime": "2026-11-23T10:15:00Z"})
        return httpx.Response(200, json=[{"id": "L-79161234567"}])

    client = OperatorClient(ROOT, "tok", clock=FixedClock(NOW), apis=apis,
                            transport=httpx.MockTransport(handler))
    settings = load_settings(write_ini(tmp_path, operator={"url": ROOT}))
    report = OperatorCheck(client, settings.operator, ROOT).run()
    party_line = next(line for line in report.apis if line.finding.api.name == "party")
    return report, party_line, asked


def test_every_api_answering_is_exit_0_and_asks_each_once_cheaply(tmp_path: Path) -> None:
    report, party, asked = report_for(tmp_path, httpx.Response(200, json=[]))
    assert report.exit_code == 0 and party.problem is None
    assert len(asked) == 11
    usage = next(r for r in asked if r.url.path.endswith("/usage"))
    assert dict(usage.url.params) == {
        "ratedProductUsage.productRef.id": "L-79161234567",
        "usageDate.gte": "2026-11-22T10:15:00Z", "usageDate.lt": "2026-11-23T10:15:00Z",
        "limit": "1", "fields": "id"}
    assert all(r.method == "GET" for r in asked)


@pytest.mark.parametrize(("party", "outcome", "exit_code", "said"), [
    (httpx.Response(403, json={"code": "forbidden", "message": "no"}), "forbidden", 2,
     "HTTP 403: the credentials are valid but may not use this API"),
    (httpx.Response(401, json={"code": "unauthorized"}), "unauthorized", 2,
     "`salon credentials set`"),
    (httpx.Response(405), "not_found", 2, "set [operator] api.party = <its base URL>"),
    (httpx.Response(400, json={"code": "bad_request", "message": "limit: unknown"}),
     "refused", 2, "(limit: unknown): it may be another version"),
    (httpx.Response(503, json={"code": "unavailable"}), "server_error", 5,
     "HTTP 503: the API failed or is unavailable"),
    (httpx.Response(200, json={"not": "a list"}), "not_tmf", 1,
     "It answered, but not as TMF632 says (not a JSON array of objects)"),
    (httpx.Response(200, json=[], headers={"X-API-Version": "5.0.0"}), "wrong_version", 2,
     "serves version 5.0.0: set [operator] api.party to its v4 base URL"),
    (httpx.ConnectError("[SSL: CERTIFICATE_VERIFY_FAILED] certificate verify failed"), "tls",
     5, "install that CA certificate in the system's store or point SSL_CERT_FILE at it"),
    (httpx.ConnectError("[Errno -2] Name or service not known"), "unreachable", 5,
     "party.operator.test cannot be reached ([Errno -2] Name or service not known): check "
     "the host in [operator] url or [operator] api.party"),
    (httpx.ReadTimeout("timed out"), "timeout", 5, "did not answer within [operator] deadline "
                                                   "(30 s)"),
    (httpx.RemoteProtocolError("peer closed"), "broken", 5, "broke (peer closed)"),
])
def test_each_failure_names_what_to_do(tmp_path: Path, party: httpx.Response | Exception,
                                       outcome: str, exit_code: int, said: str) -> None:
    report, line, _asked = report_for(tmp_path, party,
                                      party="https://party.operator.test/tmf-api/party/v4")
    assert line.finding.outcome == outcome
    assert line.problem is not None and said in line.problem, line.problem
    assert report.exit_code == exit_code
    assert type(report.failure()).exit_code == exit_code
    assert [a["name"] for a in report.as_json()["apis"] if not a["answers"]] == ["party"]


def test_a_base_of_another_version_is_named_even_when_it_is_not_there(tmp_path: Path) -> None:
    _report, line, _asked = report_for(tmp_path, httpx.Response(404),
                                       party="/tmf-api/party/v5")
    assert (line.finding.outcome, line.finding.version) == ("wrong_version", "5")
    assert line.problem == (f"The console speaks version 4 of this API, and {ROOT}/tmf-api/"
                            "party/v5 serves version 5: set [operator] api.party to its v4 base "
                            "URL.")


def test_the_sentences_are_in_russian_when_the_salon_is(tmp_path: Path) -> None:
    from app.i18n import set_language

    set_language("ru")
    report, line, _asked = report_for(tmp_path, httpx.Response(404))
    assert line.problem is not None and line.problem.startswith("HTTP 404: API нет по адресу")
    assert line.need == "человек, пользующийся линией"
    assert report.verdict() == ("Из 11 API, нужных консоли, не отвечают: 1; чего не хватает — "
                                "см. выше.")
