"""The client's access-code and sandbox calls against httpx.MockTransport: the x-salon
extension's paths by the TMF637 line id, the shapes, the Idempotency-Key of an issue and its
retries, the check's at-most-once retry policy, typed refusals from TMF Errors, the training
phone as TMF681 messages, and R2 — the code only ever in the check's JSON body: never in a
URL, a log line, an error message or an exception's cause."""

from __future__ import annotations

import json
import logging
from datetime import UTC, datetime

import httpx
import pytest

from app.clock import FixedClock
from app.errors import (
    InputError,
    OperatorProtocolError,
    OperatorUnavailable,
    RuleRefused,
    SubscriberNotFound,
)
from app.operator_api.client import OperatorClient
from models.access_codes import CodeStatus, VerifyOutcome

MSISDN = "+79161234567"
LINE = "L-79161234567"
CODES = f"/tmf-api/x-salon/v1/accessCode/{LINE}"
MESSAGES = "/tmf-api/communicationManagement/v4/communicationMessage"
CODE = "480913"
STATE = {"state": "active", "issued_at": "2026-11-23T10:15:00Z", "attempts_left": 4,
         "locked_until": None}


# The console's clock: used only when an answer does not say what time the operator has.
NOW = datetime(2026, 11, 23, 10, 15, tzinfo=UTC)


def client_for(handler, retries: int = 3, *, sandbox: bool = True) -> OperatorClient:
    """`handler` answers the calls under test; the line's lookup (TMF637) is answered here,
    and, when `sandbox`, the sandbox's clock (asked once before the phone is read)."""
    def route(request: httpx.Request) -> httpx.Response:
        if request.url.path == "/tmf-api/productInventory/v4/product":
            assert request.url.params["productSerialNumber"] == MSISDN
            return httpx.Response(200, json=[{"id": LINE}])
        if sandbox and (request.method, request.url.path) == ("GET", "/sandbox/clock"):
            return httpx.Response(200, json={"now": "2026-11-24T10:15:00Z",
                                             "offset_seconds": 86400})
        return handler(request)

    return OperatorClient("http://operator.test", "secret-token", clock=FixedClock(NOW),
                          read_retries=retries,
                          transport=httpx.MockTransport(route), sleep=lambda _s: None)


def tmf_error(status: int, code: str, message: str = "refused") -> httpx.Response:
    return httpx.Response(status, json={"code": code, "reason": code, "message": message,
                                        "status": str(status), "@type": "Error"})


def message(number: str, text: str, sent: str = "2026-11-23T10:15:00Z",
            entity_id: str = "SMS-7") -> dict[str, object]:
    return {"id": entity_id, "@type": "CommunicationMessage", "messageType": "SMS",
            "content": text, "sender": {"phoneNumber": "6262", "name": "6262"},
            "receiver": [{"phoneNumber": number, "id": LINE}], "sendTime": sent,
            "state": "completed"}


def everything_said(caplog: pytest.LogCaptureFixture, error: BaseException | None) -> str:
    """All the log records and the error with its whole cause chain, as text."""
    parts = [record.getMessage() for record in caplog.records]
    while error is not None:
        parts += [str(error), repr(error)]
        error = error.__cause__ or error.__context__
    return "\n".join(parts)


def test_state_issue_and_verify_shapes() -> None:
    seen: list[httpx.Request] = []

    def handler(request: httpx.Request) -> httpx.Response:
        seen.append(request)
        if request.url.path.endswith("/check"):
            return httpx.Response(200, json={"result": "wrong", "attempts_left": 2})
        if request.method == "POST":
            return httpx.Response(201, json=STATE)
        return httpx.Response(200, json={**STATE, "state": "locked", "attempts_left": 0,
                                         "locked_until": "2026-11-24T10:15:00Z"})

    client = client_for(handler)
    state = client.code_state(MSISDN)
    assert state.status is CodeStatus.LOCKED and state.attempts_left == 0
    assert state.locked_until == datetime(2026, 11, 24, 10, 15, tzinfo=UTC)
    issued = client.issue_code(MSISDN, "code-key-0123456789abcdef")
    assert issued.status is CodeStatus.ACTIVE and issued.attempts_left == 4
    assert issued.issued_at == datetime(2026, 11, 23, 10, 15, tzinfo=UTC)
    result = client.verify_code(MSISDN, CODE)
    assert result.outcome is VerifyOutcome.WRONG and result.attempts_left == 2
    get, post, verify = seen  # the line was looked up once, before the first
    assert (get.method, get.url.path) == ("GET", CODES)
    assert (post.method, post.url.path) == ("POST", CODES)
    assert (verify.method, verify.url.path) == ("POST", f"{CODES}/check")
    assert post.headers["Idempotency-Key"] == "code-key-0123456789abcdef"
    assert post.content == b""  # an issue has no body
    assert json.loads(verify.content) == {"code": CODE}
    assert CODE not in str(verify.url) and CODE not in str(verify.headers)


@pytest.mark.parametrize(("answer", "outcome", "left", "until"), [
    ({"result": "ok"}, VerifyOutcome.OK, None, None),
    ({"result": "locked", "locked_until": "2026-11-24T10:15:00Z"}, VerifyOutcome.LOCKED, None,
     datetime(2026, 11, 24, 10, 15, tzinfo=UTC)),
    ({"result": "no_code"}, VerifyOutcome.NO_CODE, None, None),
])
def test_each_verify_answer(answer, outcome, left, until) -> None:
    client = client_for(lambda _r: httpx.Response(200, json=answer))
    result = client.verify_code(MSISDN, CODE)
    assert (result.outcome, result.attempts_left, result.locked_until) == (outcome, left, until)


@pytest.mark.parametrize("answer", [
    {"result": "wrong"},  # how many are left?
    {"result": "locked"},  # until when?
    {"result": "maybe"},
    {"state": "locked", "issued_at": None, "attempts_left": 0, "locked_until": None},
])
def test_answers_outside_the_contract_are_refused(answer) -> None:
    client = client_for(lambda _r: httpx.Response(200, json=answer))
    with pytest.raises(OperatorProtocolError):
        if "state" in answer:
            client.code_state(MSISDN)
        else:
            client.verify_code(MSISDN, CODE)


def test_an_issue_is_retried_under_the_same_key() -> None:
    keys: list[str] = []

    def handler(request: httpx.Request) -> httpx.Response:
        keys.append(request.headers["Idempotency-Key"])
        if len(keys) == 1:
            return tmf_error(503, "unavailable", "x")
        if len(keys) == 2:
            raise httpx.ReadError("the connection broke after the request", request=request)
        return httpx.Response(201, json=STATE)

    client_for(handler).issue_code(MSISDN, "code-key-0123456789abcdef")
    assert keys == ["code-key-0123456789abcdef"] * 3


def test_an_issue_that_may_have_arrived_says_so() -> None:
    def handler(request: httpx.Request) -> httpx.Response:
        raise httpx.ReadError("broken", request=request)

    with pytest.raises(OperatorUnavailable) as caught:
        client_for(handler, retries=1).issue_code(MSISDN, "code-key-0123456789abcdef")
    assert caught.value.maybe_delivered


def test_a_verify_is_repeated_only_while_it_surely_never_arrived(
        caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.DEBUG)
    attempts: list[bytes] = []

    def handler(request: httpx.Request) -> httpx.Response:
        attempts.append(request.content)
        if len(attempts) == 1:
            raise httpx.ConnectError("refused", request=request)  # never left
        if len(attempts) == 2:
            return tmf_error(503, "unavailable", "applied nothing")
        return httpx.Response(200, json={"result": "ok"})

    assert client_for(handler).verify_code(MSISDN, CODE).outcome is VerifyOutcome.OK
    assert len(attempts) == 3
    assert CODE not in everything_said(caplog, None)


@pytest.mark.parametrize("failure", [
    lambda request: (_ for _ in ()).throw(httpx.ReadError("broken", request=request)),
    lambda request: (_ for _ in ()).throw(httpx.ReadTimeout("slow", request=request)),
    lambda request: (_ for _ in ()).throw(httpx.RemoteProtocolError("cut", request=request)),
    lambda _request: httpx.Response(502, text="bad gateway"),
])
def test_a_verify_that_may_have_arrived_is_not_repeated(
        failure, caplog: pytest.LogCaptureFixture) -> None:
    """Every entry that reaches the operator counts (R3): a second try would be a second
    entry the subscriber never typed."""
    caplog.set_level(logging.DEBUG)
    attempts: list[httpx.Request] = []

    def handler(request: httpx.Request) -> httpx.Response:
        attempts.append(request)
        return failure(request)

    with pytest.raises(OperatorUnavailable) as caught:
        client_for(handler).verify_code(MSISDN, CODE)
    assert len(attempts) == 1
    assert caught.value.maybe_delivered
    assert CODE not in everything_said(caplog, caught.value)


def test_refusals_are_typed_and_never_echo_the_entry(caplog: pytest.LogCaptureFixture) -> None:
    """TMF Errors with the rule as `code` (resources/operator-api.md, x-salon): the console's
    sentence for each rule; a body not 6 digits (400) not counted; an unknown line."""
    caplog.set_level(logging.DEBUG)

    def refuse(status: int, code: str):  # type: ignore[no-untyped-def]
        return client_for(lambda _r: tmf_error(status, code, f"you sent {CODE}"))

    with pytest.raises(RuleRefused) as r1:
        refuse(422, "R1").verify_code(MSISDN, CODE)
    assert r1.value.rule == "R1" and "(R1)" in str(r1.value)
    assert "corporate and VIP" in str(r1.value)  # the console's own sentence
    with pytest.raises(RuleRefused) as not_connected:
        refuse(422, "assistant_not_connected").issue_code(MSISDN, "code-key-0123456789abcdef")
    assert not_connected.value.rule == "assistant_not_connected"
    with pytest.raises(RuleRefused) as blocked:
        refuse(422, "subscriber_blocked").code_state(MSISDN)
    assert blocked.value.rule == "subscriber_blocked" and "blocked" in str(blocked.value)
    with pytest.raises(InputError) as malformed:
        refuse(400, "bad_request").verify_code(MSISDN, CODE)
    assert "not counted" in str(malformed.value)
    with pytest.raises(SubscriberNotFound):
        refuse(404, "not_found").verify_code(MSISDN, CODE)
    with pytest.raises(OperatorUnavailable):  # the token
        refuse(401, "unauthorized").verify_code(MSISDN, CODE)
    with pytest.raises(OperatorProtocolError) as other:
        refuse(409, "conflict").verify_code(MSISDN, CODE)
    for error in (r1.value, not_connected.value, malformed.value, other.value):
        assert CODE not in everything_said(caplog, error)


def test_an_unknown_line_is_looked_up_again_next_time() -> None:
    """A 404 for a line id the client kept: the number may have moved to another line."""
    asked: list[str] = []
    answers = iter([tmf_error(404, "not_found"), httpx.Response(200, json=STATE)])

    def handler(request: httpx.Request) -> httpx.Response:
        asked.append(request.url.path)
        if request.url.path.endswith("/product"):
            return httpx.Response(200, json=[{"id": LINE}])
        return next(answers)

    client = OperatorClient("http://operator.test", "t", clock=FixedClock(NOW),
                            transport=httpx.MockTransport(handler), sleep=lambda _s: None)
    with pytest.raises(SubscriberNotFound):
        client.code_state(MSISDN)
    assert client.code_state(MSISDN).status is CodeStatus.ACTIVE
    assert [path.rsplit("/", 1)[-1] for path in asked] == ["product", LINE] * 2


def test_a_number_without_a_line_is_not_found() -> None:
    def handler(request: httpx.Request) -> httpx.Response:
        raise AssertionError("no access-code call without a line")

    client = OperatorClient("http://operator.test", "t", clock=FixedClock(NOW),
                            transport=httpx.MockTransport(lambda _r: httpx.Response(200, json=[])),
                            sleep=lambda _s: None)
    for call in (lambda: client.code_state(MSISDN), lambda: client.verify_code(MSISDN, CODE),
                 lambda: client.issue_code(MSISDN, "code-key-0123456789abcdef")):
        with pytest.raises(SubscriberNotFound):
            call()


def test_the_sandbox_phone_and_clock() -> None:
    seen: list[httpx.Request] = []

    def handler(request: httpx.Request) -> httpx.Response:
        seen.append(request)
        if request.url.path == MESSAGES:
            return httpx.Response(200, json=[  # not newest first: the client sorts
                message(MSISDN, "Старое.", "2026-11-22T09:00:00Z", "SMS-3"),
                message(MSISDN, f"Код: {CODE}.", "2026-11-23T10:15:00Z", "SMS-7")])
        return httpx.Response(200, json={"now": "2026-11-24T10:15:00Z",
                                         "offset_seconds": 86400})

    client = client_for(handler)
    sms, older = client.sandbox_sms(MSISDN)
    assert (sms.id, sms.sender, sms.to, sms.text) == ("SMS-7", "6262", MSISDN, f"Код: {CODE}.")
    assert sms.sent_at == datetime(2026, 11, 23, 10, 15, tzinfo=UTC) and older.id == "SMS-3"
    assert CODE not in repr(sms)  # the phone's text stays out of any repr
    asked = seen[0]
    assert (asked.method, asked.url.path) == ("GET", MESSAGES)
    assert asked.url.params["receiver.phoneNumber"] == MSISDN
    assert client.sandbox_clock().offset_seconds == 86400
    moved = client.advance_clock(3600)
    assert moved.now == datetime(2026, 11, 24, 10, 15, tzinfo=UTC)
    assert json.loads(seen[-1].content) == {"advance_seconds": 3600}


def test_the_phone_is_read_only_from_a_training_sandbox() -> None:
    """A real operator may serve TMF681 with its subscribers' real SMS: the console asks for
    them only once /sandbox/clock has answered (once per client)."""
    asked: list[str] = []

    def real_operator(request: httpx.Request) -> httpx.Response:
        asked.append(request.url.path)
        if request.url.path == "/sandbox/clock":
            return tmf_error(404, "not_found")
        return httpx.Response(200, json=[message(MSISDN, f"Код: {CODE}.")])

    with pytest.raises(RuleRefused) as refused:
        client_for(real_operator, sandbox=False).sandbox_sms(MSISDN)
    assert refused.value.rule == "not_sandbox" and MESSAGES not in asked

    clocks: list[str] = []

    def sandbox(request: httpx.Request) -> httpx.Response:
        if request.url.path == "/sandbox/clock":
            clocks.append(request.method)
            return httpx.Response(200, json={"now": "2026-11-24T10:15:00Z",
                                             "offset_seconds": 0})
        return httpx.Response(200, json=[message(MSISDN, "Привет")])

    client = client_for(sandbox, sandbox=False)
    client.sandbox_sms(MSISDN)
    client.sandbox_sms(MSISDN)
    assert clocks == ["GET"]


def test_a_garbled_phone_answer_is_logged_without_its_text(
        caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.DEBUG)
    answer = [{**message(MSISDN, f"Код: {CODE}."), "sendTime": "not a time"}]
    with pytest.raises(OperatorProtocolError) as caught:
        client_for(lambda _r: httpx.Response(200, json=answer)).sandbox_sms(MSISDN)
    assert caught.value.__cause__ is None
    assert CODE not in everything_said(caplog, caught.value)
    assert "0.sendTime" in caplog.text  # where it is wrong is still said


def test_a_real_operator_is_not_a_sandbox() -> None:
    client = client_for(lambda _r: tmf_error(404, "not_found"), sandbox=False)
    for call in (lambda: client.sandbox_sms(MSISDN), client.sandbox_clock,
                 lambda: client.advance_clock(60)):
        with pytest.raises(RuleRefused) as caught:
            call()
        assert caught.value.rule == "not_sandbox"


def test_moving_the_clock_is_not_repeated_once_it_may_have_arrived() -> None:
    attempts: list[httpx.Request] = []

    def handler(request: httpx.Request) -> httpx.Response:
        attempts.append(request)
        raise httpx.ReadError("broken", request=request)

    with pytest.raises(OperatorUnavailable):
        client_for(handler).advance_clock(86400)
    assert len(attempts) == 1
