"""A fake operator for access codes (R1–R3) and the training sandbox's phones and clock, for the
GUI tests: the contract's rules in memory over the same FakeOperator the lookup reads, on the
tests' clock plus a world offset that `advance_clock` moves. The real AccessCodeService,
TrainingWorld and LeafletService run over it."""

from __future__ import annotations

import itertools
import threading
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from app.errors import OperatorUnavailable, RuleRefused
from app.order_rules import refusal_sentence
from models.access_codes import (
    LOCK_HOURS,
    MAX_ENTRIES,
    CodeState,
    CodeStatus,
    SandboxTime,
    SmsMessage,
    VerifyOutcome,
    VerifyResult,
)
from models.domain import SubscriberStatus, TariffClass
from tests.gui.fakes import Clock, FakeOperator

CODES = ("271828", "314159", "161803", "141421")  # issued in this order
OFFLINE = "Нет связи с системой оператора."


@dataclass
class _Row:
    code: str | None = None
    issued_at: datetime | None = None
    failures: int = 0
    locked_until: datetime | None = None


@dataclass
class FakeCodeOperator:
    operator: FakeOperator
    clock: Clock
    offset: timedelta = timedelta(0)
    rows: dict[str, _Row] = field(default_factory=dict)
    phones: dict[str, list[SmsMessage]] = field(default_factory=dict)
    verifies: int = 0  # entries that reached the operator
    gate: threading.Event | None = None  # holds a verify back while a test looks
    _codes: itertools.cycle = field(default_factory=lambda: itertools.cycle(CODES))
    _ids: itertools.count = field(default_factory=lambda: itertools.count(1))
    _lock: threading.Lock = field(default_factory=threading.Lock)

    def now(self) -> datetime:
        return self.clock.now() + self.offset

    def _online(self) -> None:
        if self.operator.offline:
            raise OperatorUnavailable(OFFLINE)

    def _eligible(self, msisdn: str) -> None:
        subscriber = self.operator.data[msisdn][0]
        if subscriber.status is SubscriberStatus.BLOCKED:
            raise RuleRefused(refusal_sentence("subscriber_blocked"), "subscriber_blocked")
        if subscriber.tariff.tariff_class is not TariffClass.MASS:
            raise RuleRefused(refusal_sentence("R1"), "R1")
        if not subscriber.assistant_connected:
            raise RuleRefused(refusal_sentence("assistant_not_connected"),
                              "assistant_not_connected")

    def _current(self, msisdn: str) -> _Row:
        row = self.rows.setdefault(msisdn, _Row())
        if row.locked_until is not None and row.locked_until <= self.now():
            row.failures, row.locked_until = 0, None  # the lock ended: a fresh count
        return row

    def code_state(self, msisdn: str) -> CodeState:
        self._online()
        with self._lock:
            row = self._current(msisdn)
            locked = row.locked_until is not None
            status = CodeStatus.LOCKED if locked else (
                CodeStatus.ACTIVE if row.code else CodeStatus.NONE)
            return CodeState(msisdn, status, row.issued_at,
                             0 if locked else MAX_ENTRIES - row.failures, row.locked_until,
                             self.now())

    def issue_code(self, msisdn: str, key: str) -> CodeState:
        self._online()
        self._eligible(msisdn)
        with self._lock:
            row = self._current(msisdn)
            row.code, row.issued_at = next(self._codes), self.now()
            text = (f"Код доступа к Электронному Помощнику: {row.code}. Никому не сообщайте "
                    "его, сотрудники оператора его не спрашивают.")
            self.phones.setdefault(msisdn, []).insert(
                0, SmsMessage(f"SMS-{next(self._ids)}", "6262", msisdn, text, self.now()))
        return self.code_state(msisdn)

    def verify_code(self, msisdn: str, code: str) -> VerifyResult:
        if self.gate is not None and not self.gate.wait(timeout=10):
            raise OperatorUnavailable("test gate was never opened")
        self._online()
        self._eligible(msisdn)
        with self._lock:
            self.verifies += 1
            row = self._current(msisdn)
            if row.locked_until is not None:
                return VerifyResult(VerifyOutcome.LOCKED, locked_until=row.locked_until)
            if row.code is None:
                return VerifyResult(VerifyOutcome.NO_CODE)
            if code == row.code:
                row.failures = 0
                return VerifyResult(VerifyOutcome.OK)
            row.failures += 1
            if row.failures >= MAX_ENTRIES:
                row.locked_until = self.now() + timedelta(hours=LOCK_HOURS)
                return VerifyResult(VerifyOutcome.LOCKED, locked_until=row.locked_until)
            return VerifyResult(VerifyOutcome.WRONG, attempts_left=MAX_ENTRIES - row.failures)

    # -- the sandbox's phones and clock ------------------------------------------------------
    def sandbox_sms(self, msisdn: str) -> list[SmsMessage]:
        return list(self.phones.get(msisdn, []))

    def sandbox_clock(self) -> SandboxTime:
        return SandboxTime(self.now(), int(self.offset.total_seconds()))

    def advance_clock(self, seconds: int) -> SandboxTime:
        self.offset += timedelta(seconds=seconds)
        return self.sandbox_clock()

    def last_code(self, msisdn: str) -> str:
        code = self.rows[msisdn].code
        assert code is not None
        return code
