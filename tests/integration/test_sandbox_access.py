"""Access codes over real loopback HTTP (R1, R2, R3): the SMS, the hash-only database, verify
ok / wrong / locked, the 24-hour lock on the moved clock, replacement, refusals, and parallel
guessing; plus the sandbox clock."""

from __future__ import annotations

import hashlib
import hmac
import logging
import re
import threading
from collections import Counter
from collections.abc import Iterator
from datetime import datetime, timedelta
from typing import Any

import httpx
import pytest

from sandbox.server import RunningSandbox
from tests.integration.test_sandbox_kit import (
    KHABIBULLIN,
    MARIA,
    ORLOV,
    POPOVA,
    TOKEN,
    Api,
    database_bytes,
    expect_error,
    new_key,
    query,
    start,
)

DAY = 86400


@pytest.fixture(scope="module")
def sandbox(tmp_path_factory: pytest.TempPathFactory) -> Iterator[RunningSandbox]:
    with start(tmp_path_factory.mktemp("access")) as running:
        yield running


@pytest.fixture(scope="module")
def api(sandbox: RunningSandbox) -> Iterator[Api]:
    client = Api(sandbox)
    yield client
    client.close()


@pytest.fixture(scope="module")
def assistants(api: Api) -> Iterator[str]:
    """Fresh mass subscribers with the Assistant connected, one per test that needs one."""
    items = api.http.get("/sandbox/subscribers").json()["items"]
    return iter([i["msisdn"] for i in items if i["assistant_connected"]
                 and i["status"] == "active" and i["msisdn"] != MARIA])


def order_code(api: Api, msisdn: str, key: str | None = None) -> httpx.Response:
    return api.http.post(f"/v1/subscribers/{msisdn}/access-code",
                         headers={"Idempotency-Key": key or new_key("code")})


def sms(api: Api, msisdn: str) -> list[dict[str, Any]]:
    response = api.http.get(f"/sandbox/sms/{msisdn}")
    assert response.status_code == 200, response.text
    return list(response.json()["items"])


def code_from_sms(api: Api, msisdn: str) -> str:
    latest = sms(api, msisdn)[0]
    assert (latest["from"], latest["to"]) == ("6262", msisdn)
    found = re.findall(r"(?<!\d)\d{6}(?!\d)", latest["text"])
    assert len(found) == 1, latest["text"]
    return str(found[0])


def fresh_code(api: Api, msisdn: str) -> str:
    response = order_code(api, msisdn)
    assert response.status_code == 201, response.text
    return code_from_sms(api, msisdn)


def verify(api: Api, msisdn: str, code: str) -> dict[str, Any]:
    response = api.http.post(f"/v1/subscribers/{msisdn}/access-code/verify",
                             json={"code": code})
    assert response.status_code == 200, response.text
    return dict(response.json())


def wrong(code: str) -> str:
    return f"{(int(code) + 500_000) % 10**6:06d}"


def later(instant: str, seconds: int) -> str:
    moment = datetime.fromisoformat(instant) + timedelta(seconds=seconds)
    return moment.strftime("%Y-%m-%dT%H:%M:%SZ")


def test_the_code_goes_by_sms_and_only_its_keyed_hash_is_stored(
        api: Api, caplog: pytest.LogCaptureFixture) -> None:
    """R2: the answer never holds the code; the database never holds it in clear."""
    caplog.set_level(logging.DEBUG)
    baseline = database_bytes(api.sandbox)
    for _ in range(6):  # a random 6-digit string may sit in the demo world by chance (~5 %)
        key = new_key("sms")
        response = order_code(api, MARIA, key)
        assert response.status_code == 201, response.text
        code = code_from_sms(api, MARIA)
        if code.encode() not in baseline:
            break
    else:
        raise AssertionError("six codes in a row already in the database: not random")
    body = response.json()
    assert set(body) == {"state", "issued_at", "attempts_left", "locked_until", "now"}
    assert (body["state"], body["attempts_left"], body["locked_until"]) == ("active", 4, None)
    assert code not in response.text
    text = sms(api, MARIA)[0]["text"]
    assert text.startswith("Код доступа к Электронному Помощнику")
    # A retry with the same key is the stored answer: no second SMS, no new code.
    count = len(sms(api, MARIA))
    replay = order_code(api, MARIA, key)
    assert replay.status_code == 201 and replay.text == response.text
    assert len(sms(api, MARIA)) == count
    assert verify(api, MARIA, code) == {"result": "ok"}
    assert verify(api, MARIA, wrong(code)) == {"result": "wrong", "attempts_left": 3}
    assert verify(api, MARIA, code) == {"result": "ok"}

    (world_key,) = query(api.sandbox, "SELECT value FROM meta WHERE key = 'access_code_key'")[0]
    (stored,) = query(api.sandbox, "SELECT code_hash FROM access_codes WHERE msisdn = ?",
                      MARIA)[0]
    assert stored == hmac.new(bytes.fromhex(world_key), f"{MARIA}:{code}".encode(),
                              hashlib.sha256).hexdigest()
    everything = database_bytes(api.sandbox)
    assert stored.encode() in everything  # the scan does see what is stored...
    for form in (code.encode(), code.encode("utf-16-le"), code.encode("utf-16-be"),
                 text.encode()):
        assert form not in everything  # ...and the code is not there in any form
    assert all(code not in record.getMessage() for record in caplog.records)


def test_wrong_entries_lock_for_24_hours_then_the_same_code_works(api: Api,
                                                                  assistants: Iterator[str]
                                                                  ) -> None:
    """R3: wrong answers carry attempts_left 3, 2, 1; the 4th wrong entry locks for 24 h of
    the sandbox clock; while locked even the right code is refused; then the same code works
    with a fresh count."""
    msisdn = next(assistants)
    code = fresh_code(api, msisdn)
    answers = [verify(api, msisdn, wrong(code)) for _ in range(3)]
    assert answers == [{"result": "wrong", "attempts_left": n} for n in (3, 2, 1)]
    state = api.http.get(f"/v1/subscribers/{msisdn}/access-code").json()
    assert (state["state"], state["attempts_left"]) == ("active", 1)
    locked = verify(api, msisdn, wrong(code))
    assert set(locked) == {"result", "locked_until"} and locked["result"] == "locked"
    assert locked["locked_until"] in {later(api.now(), DAY - s) for s in range(0, 3)}
    assert verify(api, msisdn, code) == locked  # the right code too; nothing extends it
    state = api.http.get(f"/v1/subscribers/{msisdn}/access-code").json()
    assert (state["state"], state["attempts_left"], state["locked_until"]) == (
        "locked", 0, locked["locked_until"])
    api.advance(DAY - 120)
    assert verify(api, msisdn, code) == locked
    api.advance(120)
    state = api.http.get(f"/v1/subscribers/{msisdn}/access-code").json()
    assert (state["state"], state["attempts_left"]) == ("active", 4)
    assert verify(api, msisdn, wrong(code)) == {"result": "wrong", "attempts_left": 3}
    assert verify(api, msisdn, code) == {"result": "ok"}


def test_a_new_code_replaces_the_old_one(api: Api, assistants: Iterator[str]) -> None:
    msisdn = next(assistants)
    old = fresh_code(api, msisdn)
    new = fresh_code(api, msisdn)
    while new == old:  # one in a million
        new = fresh_code(api, msisdn)
    assert [code_from_sms(api, msisdn)] == [new] and len(sms(api, msisdn)) >= 2
    assert verify(api, msisdn, old) == {"result": "wrong", "attempts_left": 3}
    assert verify(api, msisdn, new) == {"result": "ok"}


def test_ordering_during_a_lock_is_allowed_but_keeps_the_lock(api: Api,
                                                              assistants: Iterator[str]) -> None:
    msisdn = next(assistants)
    code = fresh_code(api, msisdn)
    for _ in range(4):
        verify(api, msisdn, wrong(code))
    response = order_code(api, msisdn)
    assert response.status_code == 201 and response.json()["state"] == "locked"
    newer = code_from_sms(api, msisdn)
    assert verify(api, msisdn, newer)["result"] == "locked"


@pytest.mark.parametrize(("msisdn", "rule"), [(ORLOV, "R1"), ("+79031234500", "R1"),
                                              (POPOVA, "assistant_not_connected"),
                                              (KHABIBULLIN, "subscriber_blocked")])
def test_who_may_not_have_a_code(api: Api, msisdn: str, rule: str) -> None:
    expect_error(order_code(api, msisdn), 422, "rule_refused", rule=rule)
    expect_error(api.http.post(f"/v1/subscribers/{msisdn}/access-code/verify",
                               json={"code": "123456"}), 422, "rule_refused", rule=rule)
    assert sms(api, msisdn) == []
    assert api.http.get(f"/v1/subscribers/{msisdn}/access-code").json()["state"] == "none"


def test_no_code_bad_entries_and_unknown_numbers(api: Api, assistants: Iterator[str]) -> None:
    msisdn = next(assistants)
    assert verify(api, msisdn, "000000") == {"result": "no_code"}
    state = api.http.get(f"/v1/subscribers/{msisdn}/access-code").json()
    assert state.pop("now").endswith("Z")  # the sandbox clock at the answer
    assert state == {"state": "none", "issued_at": None, "attempts_left": 4,
                     "locked_until": None}
    for bad in ("12345", "1234567", "12a456", 123456):
        response = api.http.post(f"/v1/subscribers/{msisdn}/access-code/verify",
                                 json={"code": bad})
        expect_error(response, 422, "bad_request")
    expect_error(api.http.post(f"/v1/subscribers/{msisdn}/access-code"), 400, "bad_request")
    expect_error(order_code(api, "+79990000000"), 404, "subscriber_not_found")
    expect_error(api.http.get("/sandbox/sms/+79990000000"), 404, "subscriber_not_found")


def test_removing_the_assistant_removes_the_code(api: Api, assistants: Iterator[str]) -> None:
    msisdn = next(assistants)
    code = fresh_code(api, msisdn)
    response = api.order(msisdn, "remove_service", service_code="ASSISTANT")
    assert response.status_code == 201, response.text
    assert api.card(msisdn)["assistant"] == {"connected": False}
    state = api.http.get(f"/v1/subscribers/{msisdn}/access-code").json()
    assert (state["state"], state["issued_at"]) == ("none", None)
    expect_error(api.http.post(f"/v1/subscribers/{msisdn}/access-code/verify",
                               json={"code": code}), 422, "rule_refused",
                 rule="assistant_not_connected")
    assert api.order(msisdn, "connect_assistant").status_code == 201
    assert verify(api, msisdn, code) == {"result": "no_code"}  # the old code is gone for good


def test_fifty_parallel_wrong_guesses_get_exactly_three_wrong_answers(
        api: Api, assistants: Iterator[str]) -> None:
    """R3 under concurrency: failures count per subscriber, serialized in the database."""
    msisdn = next(assistants)
    code = fresh_code(api, msisdn)
    barrier = threading.Barrier(50)
    answers: list[dict[str, Any]] = []
    lock = threading.Lock()

    def guess(n: int) -> None:
        entry = f"{(int(code) + 1 + n) % 10**6:06d}"
        with httpx.Client(base_url=api.sandbox.url, timeout=60,
                          headers={"Authorization": f"Bearer {TOKEN}"}) as http:
            barrier.wait()
            response = http.post(f"/v1/subscribers/{msisdn}/access-code/verify",
                                 json={"code": entry})
        with lock:
            answers.append(response.json())

    threads = [threading.Thread(target=guess, args=(n,)) for n in range(50)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
    results = Counter(a["result"] for a in answers)
    assert results == {"wrong": 3, "locked": 47}
    assert sorted(a["attempts_left"] for a in answers if a["result"] == "wrong") == [1, 2, 3]
    assert len({a["locked_until"] for a in answers if a["result"] == "locked"}) == 1
    assert verify(api, msisdn, code)["result"] == "locked"


def test_the_clock_moves_forward_only(api: Api) -> None:
    before = api.http.get("/sandbox/clock").json()
    assert set(before) == {"now", "offset_seconds", "world_drawn_on"}
    assert before["now"].endswith("Z")
    moved = api.http.post("/sandbox/clock", json={"advance_seconds": 3600}).json()
    gap = datetime.fromisoformat(moved["now"]) - datetime.fromisoformat(before["now"])
    assert timedelta(hours=1) <= gap < timedelta(hours=1, seconds=5)
    assert moved["offset_seconds"] >= before["offset_seconds"] + 3600
    assert api.http.get("/health").json()["now"] >= moved["now"]
    for bad in (0, -60, 400 * DAY, "soon"):
        expect_error(api.http.post("/sandbox/clock", json={"advance_seconds": bad}), 422,
                     "bad_request")
