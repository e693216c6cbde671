"""`make conformance`'s check of the clerk's day (conformance/exchanges.py): each exchange goes
to the document of its API, a deviation in a request or an answer is found and fails the run,
the sandbox's controls are counted apart, and calls off the TMF contract are a row of their
own that fails once ALLOW_V1 is turned off."""

from __future__ import annotations

from typing import Any

import httpx
import pytest

from conformance.documents import TmfDocs, load_documents
from conformance.exchanges import OFF_CONTRACT_ROW, SANDBOX_ROW, validate
from conformance.own_document import OwnDocument
from conformance.recording import Exchange
from tests.support.tmf_docs import docs_folder

ROOT = "http://127.0.0.1:9"
USAGE = f"{ROOT}/tmf-api/usageManagement/v4/usage"
ORDER = f"{ROOT}/tmf-api/productOrderingManagement/v4/productOrder"
CODE = f"{ROOT}/tmf-api/x-salon/v1/accessCode/L-79161234567"


@pytest.fixture(scope="module")
def tmf() -> TmfDocs:
    return TmfDocs(load_documents(docs_folder()))


@pytest.fixture(scope="module")
def own() -> OwnDocument:
    return OwnDocument()


def exchange(method: str, url: str, status: int, body: Any, *, sent: Any = None,
             headers: dict[str, str] | None = None) -> Exchange:
    request = httpx.Request(method, url, json=sent,
                            headers={"Authorization": "Bearer t", "Accept": "application/json"})
    return Exchange(request, httpx.Response(status, json=body, headers=headers,
                                            request=request))


def usage_list(status: int = 200) -> Exchange:
    usage = {"id": "u1", "href": f"{USAGE}/u1", "usageDate": "2026-11-23T10:15:00Z"}
    return exchange("GET", USAGE, status, [usage], headers={"X-Total-Count": "1",
                                                            "X-Result-Count": "1"})


def test_a_conforming_day_has_no_deviation(tmf: TmfDocs, own: OwnDocument) -> None:
    found = validate([usage_list(), exchange("GET", f"{ROOT}/sandbox/clock", 200, {})],
                     tmf, own)
    assert not found.failed and found.deviations == []
    row = found.rows["TMF635 usageManagement"]
    assert (row.requests, row.responses) == (1, 1)
    assert found.rows[SANDBOX_ROW].requests == 1
    assert "requests validated" in found.table() and "TMF635 usageManagement" in found.table()


@pytest.mark.parametrize(("deviating", "named"), [
    (exchange("GET", f"{USAGE}/u1", 200, {"id": 7}), "/id: 7 is not of type 'string'"),
    (exchange("POST", ORDER, 201, {"id": "o1"}, sent={"productOrderItem": "all of it"}),
     "request body"),
    (exchange("PUT", f"{USAGE}/u1", 200, {}), "has no such operation"),
    (exchange("GET", f"{ROOT}/tmf-api/troubleTicket/v4/troubleTicket", 200, []),
     "no published v4 document"),
    (exchange("GET", CODE, 200, {"state": "sideways"}), "x-salon"),
])
def test_a_deviating_request_or_answer_fails_the_run(tmf: TmfDocs, own: OwnDocument,
                                                     deviating: Exchange, named: str) -> None:
    found = validate([usage_list(), deviating], tmf, own)
    assert found.failed
    where = " ".join(f"{row.api}: {d}" for row in found.rows.values() for d in row.deviations)
    assert named in where, where


def test_calls_off_the_tmf_contract_fail_once_allow_v1_is_off(tmf: TmfDocs,
                                                              own: OwnDocument) -> None:
    old = [exchange("GET", f"{ROOT}/v1/subscribers/+79161234567", 200, {}),
           exchange("GET", f"{ROOT}/health", 200, {})]
    allowed = validate(old, tmf, own, allow_v1=True)
    assert allowed.rows[OFF_CONTRACT_ROW].requests == 2 and not allowed.failed
    strict = validate(old, tmf, own, allow_v1=False)
    assert strict.failed and len(strict.rows[OFF_CONTRACT_ROW].deviations) == 2
