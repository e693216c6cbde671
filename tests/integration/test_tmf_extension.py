"""The x-salon extension over loopback (`/tmf-api/x-salon/v1/`): the main balance at an instant
is the /v1 balance's `at` exactly; access codes addressed by line id keep R1–R3 exactly, their
SMS arriving as TMF681 communicationMessages, and share one count with /v1 — every answer held
to the sandbox's own OpenAPI document (TM Forum publishes none for an extension), the TMF681
reads to the published v4 document."""

from __future__ import annotations

import json
import re
import uuid
from collections.abc import Iterator
from decimal import Decimal
from typing import Any

import httpx
import pytest

from sandbox.server import RunningSandbox, start_in_background
from tests.support.openapi_check import ContractCheck
from tests.support.pinned import PINNED
from tests.support.tmf_docs import TmfDocs

TOKEN = "tmf-token"
MARIA, ORLOV, KHABIBULLIN, POPOVA = "+79161234567", "+79261112233", "+79171234567", \
    "+79121234567"
LINE = "L-79161234567"
X = "/tmf-api/x-salon/v1"
MESSAGES = "/tmf-api/communicationManagement/v4/communicationMessage"


def line(msisdn: str) -> str:
    return "L-" + msisdn.removeprefix("+")


@pytest.fixture(scope="module")
def sandbox(tmp_path_factory: pytest.TempPathFactory) -> Iterator[RunningSandbox]:
    """Real time pinned: the clock moves only when the test moves it (or a write stamps it)."""
    frozen = PINNED.timestamp()
    running = start_in_background(tmp_path_factory.mktemp("x-salon") / "sandbox.sqlite3", 2026,
                                  TOKEN, real_time=lambda: frozen)
    yield running
    running.stop()


@pytest.fixture(scope="module")
def contract(sandbox: RunningSandbox) -> ContractCheck:
    return ContractCheck(httpx.get(f"{sandbox.url}/openapi.json").json())


@pytest.fixture(scope="module")
def docs() -> TmfDocs:
    return TmfDocs.from_folder()


@pytest.fixture(scope="module")
def seen() -> list[str]:
    """Every extension answer's text (R2: a code is in none of them)."""
    return []


@pytest.fixture(scope="module")
def api(sandbox: RunningSandbox, contract: ContractCheck, docs: TmfDocs,
        seen: list[str]) -> Iterator[httpx.Client]:
    def remember(response: httpx.Response) -> None:
        response.read()
        if response.request.url.path.startswith(X):
            seen.append(response.text)

    with httpx.Client(base_url=sandbox.url, timeout=60,
                      event_hooks={"request": [docs.check_request],
                                   "response": [contract, docs.check_response, remember]},
                      headers={"Authorization": f"Bearer {TOKEN}"}) as client:
        yield client


def ok(response: httpx.Response, status: int = 200) -> Any:
    assert response.status_code == status, response.text
    return json.loads(response.text, parse_float=Decimal)


def tmf_error(response: httpx.Response, status: int, code: str) -> dict[str, Any]:
    assert response.status_code == status, response.text
    body: dict[str, Any] = response.json()
    assert body["code"] == code and body["status"] == str(status) and body["@type"] == "Error"
    return body


def key() -> str:
    return f"x-salon-{uuid.uuid4().hex}"


def main_at(api: httpx.Client, msisdn: str, at: str | None = None) -> Decimal:
    params = {} if at is None else {"at": at}
    balance = ok(api.get(f"/v1/subscribers/{msisdn}/balance", params=params))
    return Decimal(balance["buckets"][0]["amount"]["value"])


def test_the_main_balance_at_an_instant_is_the_v1_balance_at_it(
        sandbox: RunningSandbox, api: httpx.Client) -> None:
    now = ok(api.get("/sandbox/clock"))["now"]
    card = ok(api.get(f"/v1/subscribers/{MARIA}"))
    for at, echoed in ((None, now), ("2026-11-01T00:00:00Z", "2026-11-01T00:00:00Z"),
                       ("2026-11-01T03:00:00.25+03:00", "2026-11-01T00:00:01Z"),
                       (card["activated_at"], card["activated_at"]),
                       ("2024-01-01T00:00:00Z", "2024-01-01T00:00:00Z")):  # before activation
        params = {"product.id": LINE, **({} if at is None else {"at": at})}
        answer = ok(api.get(f"{X}/mainBalance", params=params))
        assert answer == {
            "atDateTime": echoed,
            "remainingValue": {"unit": "RUB", "value": main_at(api, MARIA, at)},
            "product": {"id": LINE, "href": f"{sandbox.url}/tmf-api/productInventory/v4/"
                                            f"product/{LINE}", "@referredType": "Product"}}
    opening = ok(api.get(f"{X}/mainBalance", params={"product.id": LINE,
                                                      "at": "2026-11-01T00:00:00Z"}))
    closing = ok(api.get(f"{X}/mainBalance", params={"product.id": LINE,
                                                      "at": "2026-11-15T00:00:00Z"}))
    assert opening["remainingValue"]["value"] != closing["remainingValue"]["value"]
    tmf_error(api.get(f"{X}/mainBalance", params={"product.id": LINE,
                                                   "at": "2099-01-01T00:00:00Z"}), 400,
              "bad_request")
    tmf_error(api.get(f"{X}/mainBalance", params={"product.id": LINE, "at": "yesterday"}), 400,
              "bad_request")
    tmf_error(api.get(f"{X}/mainBalance", params={"product.id": LINE,
                                                   "at": "2026-11-01T00:00:00"}), 400,
              "bad_request")  # no zone
    tmf_error(api.get(f"{X}/mainBalance"), 400, "bad_request")
    for unknown in ("L-79990000000", "79161234567", "B-79161234567-main"):
        tmf_error(api.get(f"{X}/mainBalance", params={"product.id": unknown}), 404,
                  "not_found")
    tmf_error(api.get(f"{X}/mainBalance", params={"product.id": LINE},
                      headers={"Authorization": ""}), 401, "unauthorized")


def sms_codes(api: httpx.Client, msisdn: str) -> list[str]:
    """The codes the phone received, newest first, read as TMF681 messages."""
    messages = ok(api.get(MESSAGES, params={"receiver.phoneNumber": msisdn}))
    assert all(m["sender"]["phoneNumber"] == "6262" for m in messages)
    return [re.findall(r"\d{6}", m["content"])[0] for m in messages]


def check(api: httpx.Client, msisdn: str, code: str) -> dict[str, Any]:
    return ok(api.post(f"{X}/accessCode/{line(msisdn)}/check", json={"code": code}))


def test_access_codes_by_line_id_keep_r1_to_r3(sandbox: RunningSandbox, api: httpx.Client,
                                               seen: list[str]) -> None:
    path = f"{X}/accessCode/{LINE}"
    now = ok(api.get("/sandbox/clock"))["now"]
    assert ok(api.get(path)) == {"state": "none", "issued_at": None, "attempts_left": 4,
                                 "locked_until": None, "now": now}
    ordered = key()
    first = api.post(path, headers={"Idempotency-Key": ordered})
    state = ok(first, 201)
    assert state["state"] == "active" and state["attempts_left"] == 4
    again = api.post(path, headers={"Idempotency-Key": ordered})
    assert ok(again, 201) == state and again.headers["Idempotent-Replayed"] == "true"
    codes = sms_codes(api, MARIA)
    assert len(codes) == 1  # R2: one SMS, to the line's own phone; a retry sends none
    code = codes[0]
    wrong = f"{(int(code) + 1) % 10**6:06d}"
    # R3: 3, 2, 1 attempts left, then the 4th wrong entry locks for 24 hours.
    assert [check(api, MARIA, wrong) for _ in range(3)] == [
        {"result": "wrong", "attempts_left": n} for n in (3, 2, 1)]
    locked = check(api, MARIA, wrong)
    assert locked["result"] == "locked"
    assert check(api, MARIA, code) == locked  # even the right code, not counted
    during = ok(api.get(path))
    assert during["state"] == "locked" and during["attempts_left"] == 0
    assert during["locked_until"] == locked["locked_until"]
    tmf_error(api.post(f"{path}/check", json={"code": "12"}), 400, "bad_request")
    ok(api.post("/sandbox/clock", json={"advance_seconds": 24 * 3600}))
    assert ok(api.get(path))["attempts_left"] == 4  # a fresh count; the same code works
    assert check(api, MARIA, code) == {"result": "ok"}
    # One count with /v1: an entry there is an entry here.
    ok(api.post(f"/v1/subscribers/{MARIA}/access-code/verify", json={"code": wrong}))
    assert ok(api.get(path))["attempts_left"] == 3
    # A new code replaces the old one.
    ok(api.post(path, headers={"Idempotency-Key": key()}), 201)
    newest = sms_codes(api, MARIA)
    assert len(newest) == 2 and newest[1] == code
    assert check(api, MARIA, code)["result"] == "wrong"
    assert check(api, MARIA, newest[0]) == {"result": "ok"}
    assert not any(c in text for text in seen for c in newest)  # R2: never in an answer


def test_refusals_and_keys(api: httpx.Client) -> None:
    for msisdn, rule in ((KHABIBULLIN, "subscriber_blocked"), (ORLOV, "R1"),
                         (POPOVA, "assistant_not_connected")):
        path = f"{X}/accessCode/{line(msisdn)}"
        refused = key()
        body = tmf_error(api.post(path, headers={"Idempotency-Key": refused}), 422, rule)
        replay = api.post(path, headers={"Idempotency-Key": refused})
        assert replay.json() == body and replay.headers["Idempotent-Replayed"] == "true"
        tmf_error(api.post(f"{path}/check", json={"code": "000000"}), 422, rule)
        assert sms_codes(api, msisdn) == []
    used = key()
    ok(api.post(f"{X}/accessCode/{LINE}", headers={"Idempotency-Key": used}), 201)
    tmf_error(api.post(f"{X}/accessCode/L-79119876543", headers={"Idempotency-Key": used}), 409,
              "idempotency_conflict")
    v1_key = key()
    ok(api.post(f"/v1/subscribers/{MARIA}/access-code", headers={"Idempotency-Key": v1_key}),
       201)
    tmf_error(api.post(f"{X}/accessCode/{LINE}", headers={"Idempotency-Key": v1_key}), 409,
              "idempotency_conflict")  # a /v1 write's key is not replayed in TMF's shape
    tmf_error(api.post(f"{X}/accessCode/{LINE}"), 400, "bad_request")
    tmf_error(api.post(f"{X}/accessCode/{LINE}", headers={"Idempotency-Key": "short"}), 400,
              "bad_request")
    for unknown in ("L-79990000000", "79161234567"):
        tmf_error(api.get(f"{X}/accessCode/{unknown}"), 404, "not_found")
        tmf_error(api.post(f"{X}/accessCode/{unknown}", headers={"Idempotency-Key": key()}),
                  404, "not_found")
        tmf_error(api.post(f"{X}/accessCode/{unknown}/check", json={"code": "000000"}), 404,
                  "not_found")
    tmf_error(api.get(f"{X}/accessCode/{LINE}", headers={"Authorization": ""}), 401,
              "unauthorized")


def test_every_answer_was_documented(contract: ContractCheck, docs: TmfDocs) -> None:
    """Last in the module: what the others saw, against the sandbox's own document (the
    extension) and TM Forum's (the TMF681 reads)."""
    assert contract.problems == [], "\n".join(contract.problems)
    assert docs.deviations == [], "\n".join(docs.deviations)
    assert docs.checked >= 5 and contract.checked > 60
