"""The operator API's access-code calls (R1, R2, R3) and the training sandbox's phone and clock:
a part of OperatorClient (app/operator_api/client.py), on the shared plumbing (the HTTP client,
the deadline, the retries and the errors: app/operator_api/plumbing.py).

Access codes are the x-salon extension (TM Forum has no API for them; README, the
integrator's guide): `GET accessCode/{lineId}` (the state), `POST accessCode/{lineId}` (a new
code by SMS, under an Idempotency-Key), `POST accessCode/{lineId}/check` `{"code"}` (one
entry), the line id TMF637's (app/operator_api/line_ids.py). Refusals are TMF `Error`s with
the rule as `code`. The training phone's SMS are TMF681 `communicationMessage`s; the clock is
the sandbox's own control (`/sandbox/clock`, no TMF API).

R2 here: a code exists only as `verify_code`'s argument and the JSON body it sends — never in
a URL (httpx logs URLs), a log line, an error message or a validation report. A check has no
Idempotency-Key and every entry that arrives counts (R3), so it is never repeated once it may
have reached the operator.
"""

from __future__ import annotations

import logging
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime
from urllib.parse import quote

import httpx

from app.errors import InputError, OperatorProtocolError, RuleRefused, SubscriberNotFound
from app.i18n import _
from app.operator_api.bodies import error_fields, text_field
from app.operator_api.line_ids import LineIds
from app.operator_api.wire_codes import (
    TmfMessages,
    WireClock,
    WireCodeState,
    WireVerify,
)
from app.operator_api.wire_values import EARLIEST, LATEST
from app.order_rules import refusal_sentence
from app.phone import format_msisdn
from models.access_codes import CodeState, SandboxTime, SmsMessage, VerifyResult

log = logging.getLogger(__name__)
# The phone shows the newest SMS; the older contract's outbox kept the last 100 too.
PHONE_MESSAGES = 100


class AccessCodeCalls(LineIds):
    _is_sandbox = False  # the operator answered /sandbox/clock (see _require_sandbox)

    # -- access codes of the Electronic Assistant (R1, R2, R3) ------------------------------

    def _code_path(self, msisdn: str, tail: str = "") -> str:
        line = quote(self.line_id(msisdn), safe="")
        return f"{self._api('x-salon')}/accessCode/{line}{tail}"

    def code_state(self, msisdn: str) -> CodeState:
        """The code's state (none / active / locked, attempts left, locked until); never the
        code. Its `as_of` is the operator's clock at the answer (see `_operator_time`)."""
        path = self._code_path(msisdn)
        response = self._with_retries(lambda: self._request("GET", path))
        if response.status_code != 200:
            self._raise_code_refusal(response, msisdn)
        wire = self._validate(response, WireCodeState, path)
        as_of = self._operator_time(wire, response)
        return self._convert(lambda: wire.domain(msisdn, as_of))

    def issue_code(self, msisdn: str, key: str) -> CodeState:
        """Order a new code: the operator sends it by SMS to the subscriber's phone only (R2)
        and answers with the state. Retried under `key`: a retry sends no second SMS. Raises
        RuleRefused (R1, subscriber_blocked, assistant_not_connected), SubscriberNotFound,
        OperatorUnavailable."""
        path = self._code_path(msisdn)
        response = self._with_retries(
            lambda: self._request("POST", path, headers={"Idempotency-Key": key}), write=True)
        if response.status_code != 201:
            self._raise_code_refusal(response, msisdn)
        wire = self._validate(response, WireCodeState, path)
        as_of = self._operator_time(wire, response)
        return self._convert(lambda: wire.domain(msisdn, as_of))

    def _operator_time(self, wire: WireCodeState, response: httpx.Response) -> datetime:
        """The operator's own "now" at this answer, which a lock's countdown counts from: the
        body's `now` (the sandbox's world clock, which training moves ahead), else the answer's
        `Date` header (any HTTP server's clock), else — an answer that tells neither — the
        console's clock. Never the console's clock mixed with the operator's "locked until"
        when the operator said what time it is."""
        return wire.now or _date_header(response) or self._clock.now()

    def verify_code(self, msisdn: str, code: str) -> VerifyResult:
        """One entry of the code the subscriber typed (R3). Every entry that reaches the
        operator counts, and there is no Idempotency-Key: it is retried only while no attempt
        can have arrived (a refused connection, a 503 that applied nothing). After one that
        may have, OperatorUnavailable with `maybe_delivered` — the caller re-reads the state
        instead of trying again. The code goes in the JSON body only: never in the URL, a
        log line or an error message. (Finding the line's id first is a read of its own,
        retried as reads are: it counts nothing.)"""
        path = self._code_path(msisdn, "/check")
        response = self._with_retries(
            lambda: self._request("POST", path, json={"code": code}), at_most_once=True)
        if response.status_code != 200:
            self._raise_code_refusal(response, msisdn)
        wire = self._validate(response, WireVerify, path)
        return self._convert(wire.domain)

    def _raise_code_refusal(self, response: httpx.Response, msisdn: str) -> None:
        """An access-code call's 4xx as the console's error. Only the error's code is logged:
        whatever an operator echoes of a request body stays out of the log (R2). A refusal
        by a rule is TMF's `Error` with the rule as `code` (the older contract's
        `rule_refused` with a `rule` is read too)."""
        code, message, rule = _error_code(response)
        status = response.status_code
        log.warning("%s %s → %s %s", response.request.method, response.request.url.path,
                    status, code)
        if status in (401, 403):
            raise self._token_refused()
        if status == 404 and code in ("not_found", "subscriber_not_found"):
            self.forget_line(msisdn)  # the id may be stale: the next call looks it up again
            raise SubscriberNotFound(
                _("There is no subscriber with the number {number}.")
                .format(number=format_msisdn(msisdn)))
        if status in (400, 422) and code == "bad_request":
            raise InputError(_("The operator did not accept the entry as an access code "
                               "(exactly 6 digits); it was not counted."))
        if status == 422 and code:
            rule = str(rule or code) if code == "rule_refused" else code
            raise RuleRefused(refusal_sentence(rule, message), rule=rule)
        raise OperatorProtocolError(_(
            "The operator's system refused the request (HTTP {status})."
        ).format(status=status))

    # -- the training sandbox: the subscriber's phone and the world's clock -------------------

    def sandbox_sms(self, msisdn: str) -> list[SmsMessage]:
        """What the subscriber's phone received, newest first (sandbox only): TMF681
        `GET communicationMessage?receiver.phoneNumber={msisdn}`. The texts carry codes: they
        are shown as the subscriber's phone in training and never logged. A real operator
        may serve TMF681 too — its subscribers' real messages: they are asked for only once
        the operator has shown it is a training sandbox (`/sandbox/clock` answers)."""
        self._require_sandbox()
        path = f"{self._api('communicationManagement')}/communicationMessage"
        params = {"receiver.phoneNumber": msisdn, "limit": PHONE_MESSAGES}
        response = self._with_retries(lambda: self._request("GET", path, params=params))
        self._raise_for_refusal(response, msisdn)
        wire = self._validate(response, TmfMessages, path, secret=True)
        for item in wire.root:  # another phone's messages (its codes) are never shown here
            numbers = [receiver.phoneNumber for receiver in item.receiver]
            self._same_number(msisdn, msisdn if msisdn in numbers else numbers[0], path)
        messages = [item.domain(msisdn) for item in wire.root]
        # Newest first whatever order the operator lists them in (the sandbox puts messages
        # created through the API before the phones' own).
        return sorted(messages, key=lambda message: message.sent_at, reverse=True)

    def _require_sandbox(self) -> None:
        """RuleRefused `not_sandbox` unless the operator is a training sandbox (asked once
        per client: a sandbox stays one)."""
        if self._is_sandbox:
            return
        self.sandbox_clock()
        self._is_sandbox = True

    def sandbox_clock(self) -> SandboxTime:
        response = self._with_retries(lambda: self._request("GET", "/sandbox/clock"))
        self._raise_unless_sandbox(response, None)
        return self._convert(self._validate(response, WireClock, "/sandbox/clock").domain)

    def advance_clock(self, seconds: int) -> SandboxTime:
        """Move the sandbox clock forward by exactly `seconds` (never back). Not idempotent,
        so, like a verify, never repeated once it may have arrived."""
        response = self._with_retries(
            lambda: self._request("POST", "/sandbox/clock", json={"advance_seconds": seconds}),
            at_most_once=True)
        self._raise_unless_sandbox(response, None)
        return self._convert(self._validate(response, WireClock, "/sandbox/clock").domain)

    def _raise_unless_sandbox(self, response: httpx.Response, msisdn: str | None) -> None:
        """A real operator has no /sandbox: its 404 not_found means "not a training sandbox"."""
        if response.status_code == 404 and _error_code(response)[0] in ("not_found", None):
            raise RuleRefused(_("The configured operator API is not a training sandbox: "
                                "there is no subscriber's phone or world clock to show."),
                              rule="not_sandbox")
        self._raise_for_refusal(response, msisdn)


def _date_header(response: httpx.Response) -> datetime | None:
    """The answer's `Date` (RFC 9110, whole seconds), when it is a sane instant."""
    try:
        moment = parsedate_to_datetime(response.headers.get("date", ""))
    except (TypeError, ValueError, IndexError, OverflowError):
        return None
    if moment.tzinfo is None or not EARLIEST <= moment < LATEST:
        return None
    return moment.astimezone(UTC)


def _error_code(response: httpx.Response) -> tuple[str | None, str | None, str | None]:
    """The error object's code, message and rule (None where absent, not text, or
    unreadable)."""
    error = error_fields(response)
    return text_field(error, "code"), text_field(error, "message"), text_field(error, "rule")
