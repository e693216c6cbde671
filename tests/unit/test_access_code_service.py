"""AccessCodeService with a fake operator at the adapter boundary: the card's rules in the
operator's order (blocked, R1, not connected, offline), a malformed entry neither sent nor
counted, every way a verify ends in the journal (never the code), live only (offline: refused,
never queued), the operator's clock for a lock's countdown; plus the CLI's durations and the
presenters' Russian."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime, timedelta
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from app.clock import FixedClock
from app.errors import InputError, NotSignedIn, OperatorUnavailable, RuleRefused
from app.i18n import set_language
from app.services.access_codes import AccessCodeService, checked_entry
from app.services.connection import ConnectionState
from app.services.training_world import parse_duration
from app.ui.presenters.access_codes import attempts_text, locked_text, verify_message
from models.access_codes import CodeState, CodeStatus, VerifyOutcome, VerifyResult
from models.domain import (
    Balances,
    ClerkRole,
    Money,
    Region,
    Session,
    Subscriber,
    SubscriberCard,
    SubscriberStatus,
    TariffClass,
    TariffRef,
)
from tests.support.identity import IDENTIFIED

NOW = datetime(2026, 11, 23, 10, 15, tzinfo=UTC)
MSISDN = "+79161234567"
CODE = "480913"
SAME_SENTENCE = ("An access code is exactly 6 digits. This entry was not sent to the operator "
                 "and does not count as an attempt.")
CLERK = Session("anna", "Анна Соколова", ClerkRole.CLERK, NOW)
MOSCOW = Region("RU-MOW", "Москва", "Moscow", "Europe/Moscow")


def card(tariff_class: TariffClass = TariffClass.MASS, *, assistant: bool = True,
         blocked: bool = False, source: str = "api") -> SubscriberCard:
    rub = Money(Decimal("0.00"))
    subscriber = Subscriber(
        MSISDN, "Иванова Мария Петровна",
        SubscriberStatus.BLOCKED if blocked else SubscriberStatus.ACTIVE, MOSCOW,
        TariffRef("SMART", "Смарт", tariff_class, rub), (), assistant, 3)
    return SubscriberCard(subscriber, Balances(rub, rub, rub, None), NOW, source)  # type: ignore[arg-type]


class FakeApi:
    def __init__(self) -> None:
        self.calls: list[tuple[str, ...]] = []
        self.answer = VerifyResult(VerifyOutcome.OK)
        self.failure: Exception | None = None

    def _call(self, *call: str) -> None:
        self.calls.append(call)
        if self.failure is not None:
            raise self.failure

    def code_state(self, msisdn: str) -> CodeState:
        self._call("state", msisdn)
        return CodeState(msisdn, CodeStatus.ACTIVE, NOW, 4, None, NOW)

    def issue_code(self, msisdn: str, key: str) -> CodeState:
        self._call("issue", msisdn, key)
        return CodeState(msisdn, CodeStatus.ACTIVE, NOW, 4, None, NOW)

    def verify_code(self, msisdn: str, code: str) -> VerifyResult:
        self._call("verify", msisdn, code)
        return self.answer


class ListJournal:
    def __init__(self) -> None:
        self.entries: list[dict[str, str]] = []

    def record(self, clerk: str, action: str, result: str = "done", *, subscriber: str = "",
               detail: str = "", reason: str = "") -> None:
        self.entries.append({"clerk": clerk, "action": str(action), "result": str(result),
                             "subscriber": subscriber, "detail": detail, "reason": reason})


@pytest.fixture
def api() -> FakeApi:
    return FakeApi()


@pytest.fixture
def journal() -> ListJournal:
    return ListJournal()


@pytest.fixture
def service(api: FakeApi, journal: ListJournal) -> AccessCodeService:
    return AccessCodeService(api, journal=journal, connection=ConnectionState(FixedClock(NOW)),
        identity=IDENTIFIED)


@pytest.mark.parametrize(("the_card", "rule"), [
    (card(blocked=True, tariff_class=TariffClass.VIP, assistant=False), "subscriber_blocked"),
    (card(TariffClass.CORPORATE), "R1"),
    (card(TariffClass.VIP), "R1"),
    (card(assistant=False), "assistant_not_connected"),
    (card(source="cache"), "offline"),
])
def test_the_cards_rules_refuse_first_in_the_operators_order(
        service: AccessCodeService, api: FakeApi, journal: ListJournal, the_card, rule) -> None:
    availability = service.availability(the_card)
    assert (availability.available, availability.rule) == (False, rule)
    assert availability.reason
    expected = OperatorUnavailable if rule == "offline" else RuleRefused
    with pytest.raises(expected) as issued:
        service.issue(CLERK, MSISDN, the_card)
    with pytest.raises(expected):
        service.verify(CLERK, MSISDN, CODE, the_card)
    assert api.calls == []  # nothing was asked of the operator
    if rule != "offline":
        assert issued.value.rule == rule  # type: ignore[attr-defined]
    result = "failed" if rule == "offline" else "refused"
    assert [(e["action"], e["result"]) for e in journal.entries] == [
        ("code_issue", result), ("code_verify", result)]
    assert CODE not in repr(journal.entries)


def test_a_mass_card_with_the_assistant_may_have_a_code(service: AccessCodeService) -> None:
    assert service.availability(card()).available


@given(st.text(max_size=12).filter(lambda t: not (len(t.strip()) == 6
                                                  and t.strip().isascii()
                                                  and t.strip().isdigit())))
def test_a_malformed_entry_is_neither_sent_nor_counted(text: str) -> None:
    set_language("en")
    api, journal = FakeApi(), ListJournal()
    service = AccessCodeService(api, journal=journal, identity=IDENTIFIED)
    with pytest.raises(InputError) as caught:
        service.verify(CLERK, MSISDN, text, card())
    assert api.calls == []
    assert "not sent" in str(caught.value) and "does not count" in str(caught.value)
    assert journal.entries[0]["result"] == "refused"
    assert journal.entries[0]["reason"] == "malformed entry: not sent, not counted"
    assert str(caught.value) == SAME_SENTENCE  # whatever was typed, it is not repeated


def test_six_digits_with_spaces_around_are_an_entry() -> None:
    assert checked_entry(" 012345\n") == "012345"
    for bad in ("12345", "1234567", "12 345", "١٢٣٤٥٦", "12345a", "-12345"):
        with pytest.raises(InputError):
            checked_entry(bad)


@pytest.mark.parametrize(("answer", "result", "reason", "detail"), [
    (VerifyResult(VerifyOutcome.OK), "done", "", "correct"),
    (VerifyResult(VerifyOutcome.WRONG, attempts_left=2), "refused", "wrong, 2 attempts left",
     ""),
    (VerifyResult(VerifyOutcome.WRONG, attempts_left=1), "refused", "wrong, 1 attempt left",
     ""),
    (VerifyResult(VerifyOutcome.LOCKED, locked_until=NOW + timedelta(hours=24)), "refused",
     "locked until 2026-11-24T10:15:00Z", ""),
    (VerifyResult(VerifyOutcome.NO_CODE), "refused", "no code issued", ""),
])
def test_every_answer_is_journaled_without_the_code(
        service: AccessCodeService, api: FakeApi, journal: ListJournal, answer, result, reason,
        detail) -> None:
    api.answer = answer
    assert service.verify(CLERK, MSISDN, f" {CODE} ", card()) == answer
    assert api.calls == [("verify", MSISDN, CODE)]  # the code: this argument, nothing else
    assert journal.entries == [{"clerk": "anna", "action": "code_verify", "result": result,
                                "subscriber": MSISDN, "detail": detail, "reason": reason}]


def test_offline_nothing_is_sent_or_queued_and_the_sentence_says_so(
        service: AccessCodeService, api: FakeApi, journal: ListJournal) -> None:
    set_language("en")
    api.failure = OperatorUnavailable("The operator's system cannot be reached.")
    with pytest.raises(OperatorUnavailable) as issued:
        service.issue(CLERK, MSISDN, card())
    assert "nothing was sent and nothing was queued" in str(issued.value)
    assert not issued.value.queued
    with pytest.raises(OperatorUnavailable) as checked:
        service.verify(CLERK, MSISDN, CODE, card())
    assert "not sent, not counted and not queued" in str(checked.value)
    with pytest.raises(OperatorUnavailable) as state:
        service.state(CLERK, MSISDN)
    assert "only while the operator answers" in str(state.value)
    assert [(e["action"], e["result"]) for e in journal.entries] == [
        ("code_issue", "failed"), ("code_verify", "failed")]
    assert CODE not in repr(journal.entries)


def test_an_entry_that_may_have_been_counted_says_so(
        service: AccessCodeService, api: FakeApi) -> None:
    api.failure = OperatorUnavailable("The connection was broken.", maybe_delivered=True)
    with pytest.raises(OperatorUnavailable) as checked:
        service.verify(CLERK, MSISDN, CODE, card())
    assert checked.value.maybe_delivered
    assert "may have reached the operator and been counted" in str(checked.value)
    with pytest.raises(OperatorUnavailable) as issued:
        service.issue(CLERK, MSISDN, card())
    assert "SMS from 6262" in str(issued.value) and issued.value.maybe_delivered


def test_an_issue_has_a_fresh_key_each_time_and_names_a_kept_lock(
        service: AccessCodeService, api: FakeApi, journal: ListJournal) -> None:
    service.issue(CLERK, MSISDN, card())
    service.issue(CLERK, MSISDN)
    keys = [call[2] for call in api.calls]
    assert len(set(keys)) == 2 and all(16 <= len(k) <= 128 for k in keys)
    assert [e["detail"] for e in journal.entries] == ["sms sent", "sms sent"]
    locked = CodeState(MSISDN, CodeStatus.LOCKED, NOW, 0, NOW + timedelta(hours=3), NOW)
    api.issue_code = lambda msisdn, key: locked  # type: ignore[method-assign]
    assert service.issue(CLERK, MSISDN).locked
    assert journal.entries[-1]["detail"] == "sms sent; still locked until 2026-11-23T13:15:00Z"


def test_the_countdown_counts_from_the_operators_clock(api: FakeApi) -> None:
    """The state keeps the operator's time at its answer (the adapter reads it from the
    answer: tests/unit/test_operator_client_codes.py), never replaced by the console's."""
    ahead = NOW + timedelta(hours=5)  # the training world's clock was moved forward
    api.code_state = lambda msisdn: CodeState(  # type: ignore[method-assign]
        msisdn, CodeStatus.LOCKED, NOW, 0, ahead + timedelta(seconds=40), ahead)
    state = AccessCodeService(api, identity=IDENTIFIED).state(CLERK, MSISDN)
    assert state.as_of == ahead
    assert locked_text(state.locked_until, state.as_of, "Europe/Moscow").endswith(
        "less than a minute of the lock left")


def test_nothing_without_a_signed_in_clerk(service: AccessCodeService) -> None:
    with pytest.raises(NotSignedIn):
        service.verify(None, MSISDN, CODE)  # type: ignore[arg-type]


@pytest.mark.parametrize(("text", "seconds"), [
    ("90s", 90), ("15m", 900), ("24h", 86400), ("1d", 86400), ("1h30m", 5400), ("45", 45),
    (" 2D ", 172800),
])
def test_durations(text: str, seconds: int) -> None:
    assert parse_duration(text) == seconds


@pytest.mark.parametrize("text", ["", "0s", "-1h", "1w", "h", "367d", "1.5h", "24 hours"])
def test_bad_durations(text: str) -> None:
    with pytest.raises(InputError):
        parse_duration(text)


def test_the_russian_the_clerk_reads() -> None:
    set_language("ru")
    try:
        assert [attempts_text(n) for n in (1, 2, 4)] == [
            "осталась 1 попытка", "осталось 2 попытки", "осталось 4 попытки"]
        until = datetime(2026, 11, 24, 10, 5, tzinfo=UTC)
        assert locked_text(until, until - timedelta(hours=23, minutes=59), "Europe/Moscow") == (
            "Заблокировано до 24.11.2026, 13:05 (UTC+3) — осталось 23 ч 59 мин")
        assert locked_text(until, until - timedelta(minutes=4, seconds=1), "Asia/Yekaterinburg") \
            == "Заблокировано до 24.11.2026, 15:05 (UTC+5) — осталось 5 мин"
        assert locked_text(until, until - timedelta(seconds=20), "Europe/Moscow").endswith(
            "осталось меньше минуты")
        wrong = verify_message(VerifyResult(VerifyOutcome.WRONG, attempts_left=3), NOW,
                               "Europe/Moscow")
        assert wrong.text == "Неверный код: до блокировки доступа на сутки осталось 3 попытки."
        locked = verify_message(VerifyResult(VerifyOutcome.LOCKED, locked_until=until),
                                until - timedelta(hours=24), "Europe/Moscow")
        assert "более 3 раз" in locked.text and "осталось 24 ч 0 мин" in locked.text
    finally:
        set_language("en")


def test_a_state_is_never_a_code() -> None:
    state = CodeState(MSISDN, CodeStatus.ACTIVE, NOW, 4, None, NOW)
    assert {f for f in vars(state)} == {"msisdn", "status", "issued_at", "attempts_left",
                                        "locked_until", "as_of"}
    assert replace(state, attempts_left=3).attempts_left == 3
