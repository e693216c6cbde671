"""The checker that holds TMF messages to TM Forum's published documents: it needs them (and
says where it looked), and it names a deviation by message, place and rule."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import httpx
import pytest

from tests.support.tmf_docs import TmfDocs, docs_folder

USAGE_URL = "http://127.0.0.1:9/tmf-api/usageManagement/v4/usage"


def answer(method: str, url: str, status: int, body: Any,
           headers: dict[str, str] | None = None, sent: Any = None) -> httpx.Response:
    request = httpx.Request(method, url, json=sent)
    return httpx.Response(status, json=body, headers=headers, request=request)


def test_without_the_documents_the_tests_fail_saying_where_they_looked(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("TMF_DOCS", str(tmp_path / "nowhere"))
    with pytest.raises(pytest.fail.Exception, match="nowhere"):
        docs_folder()


def test_a_conforming_exchange_has_no_deviation() -> None:
    docs = TmfDocs.from_folder()
    usage = {"id": "u1", "href": f"{USAGE_URL}/u1", "usageDate": "2026-11-23T10:15:00Z",
             "usageSpecification": {"id": "voice"}}
    request = httpx.Request("POST", USAGE_URL, json={"usageSpecification": {"id": "voice"}})
    docs.check_request(request)
    docs.check_response(answer("GET", USAGE_URL, 200, [usage],
                               {"X-Total-Count": "1", "X-Result-Count": "1"}))
    docs.check_response(answer("GET", f"{USAGE_URL}/x", 404, {
        "code": "not_found", "reason": "Not Found", "status": "404", "@type": "Error"}))
    docs.check_response(answer("POST", USAGE_URL, 422, {"code": "world_line", "reason": "r"}))
    assert docs.deviations == [] and docs.checked == 3


@pytest.mark.parametrize(("response", "named"), [
    (answer("GET", f"{USAGE_URL}/u1", 200, {"id": "u1", "usageDate": "yesterday"}),
     "usageDate: 'yesterday' is not a 'date-time'"),
    (answer("GET", f"{USAGE_URL}/u1", 200, {"id": 7}), "/id: 7 is not of type 'string'"),
    (answer("GET", USAGE_URL, 200, [], {"X-Result-Count": "0"}), "header X-Total-Count"),
    (answer("GET", f"{USAGE_URL}/u1", 404, {"error": {"code": "x"}}),
     "'code' is a required property"),
    (answer("POST", USAGE_URL, 202, {}), "lists no 202"),
    (answer("PUT", f"{USAGE_URL}/u1", 200, {}), "has no such operation"),
    (answer("POST", USAGE_URL, 201, {"id": "u1"}, sent={"ratedProductUsage": {}}),
     "request body: at /ratedProductUsage: {} is not of type 'array'"),
])
def test_a_deviation_is_named(response: httpx.Response, named: str) -> None:
    docs = TmfDocs.from_folder()
    docs.check_request(response.request)
    docs.check_response(response)
    assert any(named in d for d in docs.deviations), json.dumps(docs.deviations, indent=1)


def test_the_checking_transport_holds_the_consoles_queries_and_answers() -> None:
    """What the console's OperatorClient is given in the loopback tests: a declared query
    parameter of the wrong type is named, and the answer is checked too."""
    docs = TmfDocs.from_folder()
    inner = httpx.MockTransport(lambda r: httpx.Response(200, json=[{"id": 7}],
                                                         headers={"X-Total-Count": "1",
                                                                  "X-Result-Count": "1"}))
    with httpx.Client(transport=docs.transport(inner)) as client:
        client.get(USAGE_URL, params={"limit": "many", "usageDate.gte": "2026-10-01T00:00:00Z"})
    assert any("limit='many'" in d for d in docs.deviations), docs.deviations
    assert any("7 is not of type 'string'" in d for d in docs.deviations), docs.deviations
    assert not any("usageDate" in d for d in docs.deviations)  # a TMF630 filter, not declared
