"""What a fault probe sent the console, at the adapter boundary (httpx.MockTransport): values out
of any range the console can show, answers about another number, JSON nested a hundred
thousand deep, answers past their kind's size cap — and the operator's own clock on an
access-code answer.

A refused answer is refused whole: OperatorProtocolError, and nothing of it reaches the card
cache or the usage store. And the other way round: whatever the wire accepts, the card can show
(a property test over the edges of every range).
"""

from __future__ import annotations

import json
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo, available_timezones

import httpx
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from app.clock import FixedClock
from app.errors import OperatorProtocolError, OperatorUnavailable, OrderRefused
from app.operator_api.bodies import AnswerLimits
from app.operator_api.client import OperatorClient
from app.operator_api.wire_values import EARLIEST, LATEST
from app.services.connection import ConnectionState
from app.services.lookup import LookupService
from app.services.usage_sync import UsageSync
from app.ui.presenters.card import card_text_lines, present_card
from models.card_cache import StoreCardCache
from models.db import open_store
from models.detalization import Period
from models.domain import ClerkRole, Session, SubscriberCard
from models.orders import OrderAction, OrderRequest
from models.usage import UsageStore
from tests.support.identity import IDENTIFIED
from tests.support.tmf_samples import (
    CardOperator,
    buckets_json,
    line_json,
    with_bucket,
    with_region,
)
from tests.support.tmf_samples_catalog_usage import USAGE, operator, tmf_list
from tests.support.tmf_samples_catalog_usage import usage_json as tmf_usage_json

MSISDN = "+79161234567"
OTHER = "+79990000000"
NOW = datetime(2026, 11, 23, 10, 15, tzinfo=UTC)
CLERK = Session("anna", "Анна Соколова", ClerkRole.CLERK, NOW)
NESTED = b"[" * 100_000 + b"]" * 100_000


def client_for(handler: Any, limits: AnswerLimits | None = None) -> OperatorClient:
    return OperatorClient("http://operator.test", "secret-token", clock=FixedClock(NOW),
                          read_retries=1, transport=httpx.MockTransport(handler),
                          sleep=lambda _s: None, **({"limits": limits} if limits else {}))


def card_operator(line: Any, buckets: Any, etag: str = '"3"') -> OperatorClient:
    """The card's TMF answers (tests/support/tmf_samples.py), these two as given."""
    return client_for(CardOperator(line=line, buckets=buckets, etag=etag))


def literal(value: Any, **numbers: str) -> httpx.Response:
    """`value` as JSON, each string `"@name@"` replaced by the number literal `numbers[name]`
    (1E+999999, NaN, -Infinity: numbers a Python float cannot carry)."""
    text = json.dumps(value)
    for name, number in numbers.items():
        text = text.replace(f'"@{name}@"', number)
    return httpx.Response(200, content=text.encode(), headers={"Content-Type": "application/json"})


# Each of these once went into the card cache and broke every later display of the card
# (decimal.InvalidOperation, ZoneInfoNotFoundError, OverflowError), or showed someone else.
BAD_CARDS = {
    "package of 1E+999999": (line_json(), literal(with_bucket("minutes", remaining="@n@"),
                                                   n="1E+999999")),
    "package of NaN": (line_json(), literal(with_bucket("minutes", remaining="@n@"), n="NaN")),
    "package of -Infinity": (line_json(), literal(with_bucket("data", total="@n@"),
                                                   n="-Infinity")),
    "package of 1E-999999": (line_json(), with_bucket("data", remaining="1E-999999")),
    "negative package": (line_json(), with_bucket("data", remaining=-5)),
    "debt due in 9999": (line_json(),
                         with_bucket("promisedPaymentDebt", ends="9999-12-31T23:59:59Z")),
    "package expiring in 0001": (line_json(),
                                 with_bucket("minutes", ends="0001-01-01T00:00:00Z")),
    "an instant without a zone": (line_json(),
                                  with_bucket("minutes", ends="2026-11-30T21:00:00")),
    "money of 1E+999999": (line_json(), literal(with_bucket("main", remaining="@n@"),
                                                 n="1E+999999")),
    "money of Infinity": (line_json(), literal(with_bucket("bonus", remaining="@n@"),
                                                n="Infinity")),
    "an unknown zone": (with_region(timeZone="Mars/Olympus"), buckets_json()),
    "a path for a zone": (with_region(timeZone="../../../etc/passwd"), buckets_json()),
    "a card of another number": (line_json(OTHER), buckets_json()),
    "a balance of another number": (line_json(), buckets_json(OTHER)),
}


@pytest.fixture
def store(tmp_path: Path) -> Any:
    db = open_store(f"sqlite:///{tmp_path / 'salon.db'}")
    yield db
    db.close()


@pytest.mark.parametrize("case", [*BAD_CARDS, "a version of 10^30"])
def test_a_card_out_of_range_is_refused_and_nothing_is_cached(store: Any, case: str) -> None:
    line, buckets = BAD_CARDS.get(case, (line_json(), buckets_json()))
    etag = f'"{10**30}"' if case == "a version of 10^30" else '"3"'
    with pytest.raises(OperatorProtocolError):
        card_operator(line, buckets, etag).subscriber(MSISDN)
        card_operator(line, buckets, etag).balances(MSISDN)
    cache = StoreCardCache()
    lookup = LookupService(card_operator(line, buckets, etag), cache,
                           ConnectionState(FixedClock(NOW)), FixedClock(NOW), identity=IDENTIFIED)
    with pytest.raises(OperatorUnavailable, match="no saved card"):
        lookup.lookup(MSISDN, CLERK)
    assert cache.get(MSISDN) is None


@pytest.mark.parametrize("case", ["package of 1E+999999", "an unknown zone",
                                  "a card of another number"])
def test_a_refused_answer_leaves_the_saved_card_as_it_was(store: Any, case: str) -> None:
    cache = StoreCardCache()
    good = LookupService(card_operator(line_json(), buckets_json()), cache,
                         ConnectionState(FixedClock(NOW)), FixedClock(NOW), identity=IDENTIFIED)
    saved = good.lookup(MSISDN, CLERK)
    later = NOW + timedelta(hours=1)
    bad = LookupService(card_operator(*BAD_CARDS[case]), cache,
                        ConnectionState(FixedClock(later)), FixedClock(later), identity=IDENTIFIED)
    shown = bad.lookup(MSISDN, CLERK)
    assert shown.source == "cache" and shown.fetched_at == saved.fetched_at
    assert shown.subscriber == saved.subscriber and shown.balances == saved.balances
    present_card(shown, later, "Europe/Moscow")  # and it still shows


def test_a_usage_page_out_of_range_is_refused_whole(store: Any) -> None:
    """The detalization's usage store gets none of a refused page (the days stay incomplete,
    so they are fetched again next time)."""
    records = [tmf_usage_json(i) for i in range(6)]
    records[4]["usageCharacteristic"][2]["value"] = 10**30  # a duration of 10^30 s
    # An operator that gives three records a page, whatever the console asks for.
    usage = UsageStore()
    sync = UsageSync(client_for(operator({USAGE: lambda r: tmf_list(records, r, cap=3)})),
                     usage, retention_days=3)
    period = Period(date(2026, 11, 1), date(2026, 11, 1))
    with pytest.raises(OperatorProtocolError):
        sync.sync(MSISDN, period, ZoneInfo("Europe/Moscow"), end=int(NOW.timestamp()),
                  now=int(NOW.timestamp()))
    ids = {row[0] for row in usage.rows(MSISDN, 0, int(NOW.timestamp()))}
    assert not ids & {record["id"] for record in records[3:]}
    assert usage.complete_days(MSISDN, period.first, period.last, 0) == set()


def order_answers(answer: Any) -> Any:
    """An operator that finds the number's line (TMF637) and answers the order with
    `answer`."""
    def handler(request: httpx.Request) -> httpx.Response:
        if request.method == "GET" and request.url.path.endswith("/product"):
            return httpx.Response(200, json=[{"id": "L-79161234567"}])
        return answer(request)  # type: ignore[no-any-return]
    return handler


def test_an_order_or_an_sms_of_another_number_is_refused() -> None:
    rub = {"unit": "RUB", "value": 0.0}
    order = {"id": "ORD-1", "state": "completed", "completionDate": "2026-11-23T10:15:00Z",
             "orderTotalPrice": [{"priceType": "oneTime", "price": {"taxIncludedAmount": rub}},
                                 {"priceType": "recurring",
                                  "price": {"taxIncludedAmount": rub}}],
             "productOrderItem": [{"id": "1", "action": "add", "product": {
                 "id": "S-1", "productRelationship": [{"relationshipType": "bundled",
                                                       "product": {"id": "L-79990000000"}}]},
                 "productOffering": {"id": "service-GUARD"}}],
             "lineVersionBefore": 3, "lineVersionAfter": 4}
    placing = client_for(order_answers(lambda r: httpx.Response(201, json=order)))
    with pytest.raises(OperatorProtocolError, match="another number") as refused:
        placing.place_order(OrderRequest(MSISDN, OrderAction.ADD_SERVICE, "GUARD"),
                            key="k" * 32, if_match=3, clerk="anna", salon="S", counter="1")
    assert refused.value.maybe_delivered  # it was applied, to whichever number
    sms = [{"id": "SMS-1", "content": "Код: 123456", "sendTime": "2026-11-23T10:15:00Z",
            "sender": {"phoneNumber": "6262"}, "receiver": [{"phoneNumber": OTHER}]}]
    phone = client_for(lambda r: httpx.Response(200, json=(
        {"now": "2026-11-23T10:15:00Z", "offset_seconds": 0}
        if r.url.path == "/sandbox/clock" else sms)))
    with pytest.raises(OperatorProtocolError, match="another number") as shown:
        phone.sandbox_sms(MSISDN)
    assert "123456" not in str(shown.value)


# -- whatever the wire accepts, the card can show ---------------------------------------------

ZONES = sorted(available_timezones())
instants = st.datetimes(min_value=EARLIEST.replace(tzinfo=None),
                        max_value=(LATEST - timedelta(microseconds=1)).replace(tzinfo=None),
                        timezones=st.just(UTC))
quantities = st.decimals(min_value=0, max_value=10**12, places=6, allow_nan=False,
                         allow_infinity=False)
amounts = st.decimals(min_value=Decimal("-999999999999.99"),
                      max_value=Decimal("999999999999.99"), places=2)


@settings(max_examples=200, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(zone=st.sampled_from(ZONES), salon_zone=st.sampled_from(ZONES), due=instants,
       expires=instants, remaining=quantities, total=quantities, main=amounts,
       version=st.integers(0, 2**53))
def test_any_card_the_wire_accepts_can_be_shown(zone: str, salon_zone: str, due: datetime,
                                                expires: datetime, remaining: Decimal,
                                                total: Decimal, main: Decimal,
                                                version: int) -> None:
    line = with_region(timeZone=zone)
    buckets = with_bucket("minutes", remaining="@remaining@", total="@total@",
                          ends=expires.isoformat())
    for bucket in buckets:
        if bucket["name"] == "promisedPaymentDebt":
            bucket["validFor"] = {"endDateTime": due.isoformat()}
        if bucket["name"] == "main":
            bucket["remainingValue"]["amount"] = "@main@"
    answer = literal(buckets, remaining=str(remaining), total=str(total), main=f"{main:.2f}")
    client = card_operator(line, answer, f'"{version}"')
    card = SubscriberCard(client.subscriber(MSISDN), client.balances(MSISDN), NOW, "api")
    card_text_lines(present_card(card, NOW, salon_zone))


# -- bodies parsed defensively ------------------------------------------------------------------

def test_a_deeply_nested_body_is_an_unreadable_answer_not_a_recursion_error() -> None:
    error_body = b'{"error": ' + NESTED + b"}"
    refusing = client_for(lambda r: httpx.Response(400, content=error_body))
    with pytest.raises(OperatorProtocolError, match="refused the request: HTTP 400"):
        refusing.subscriber(MSISDN)
    with pytest.raises(OperatorProtocolError):
        client_for(with_line(lambda r: httpx.Response(400, content=error_body))).verify_code(
            MSISDN, "123456")
    order = OrderRequest(MSISDN, OrderAction.ADD_SERVICE, "GUARD")
    for status, expected in ((201, OperatorProtocolError), (422, OrderRefused),
                             (409, OperatorUnavailable)):
        placing = client_for(order_answers(
            lambda r, s=status: httpx.Response(s, content=error_body)))
        with pytest.raises(expected) as caught:  # a garbled success, refusal, conflict
            placing.place_order(order, key="k" * 32, if_match=3, clerk="anna", salon="S",
                                counter="1")
        if status == 201:
            assert caught.value.maybe_delivered  # type: ignore[attr-defined]
    answering = client_for(lambda r: httpx.Response(200, content=NESTED))  # a TMF list, deep
    with pytest.raises(OperatorProtocolError, match="unexpected way"):
        answering.tariffs()
    with pytest.raises(OperatorProtocolError, match="unexpected way"):
        list(client_for(operator({USAGE: lambda r: httpx.Response(200, content=NESTED)}))
             .usage_pages(MSISDN, NOW - timedelta(days=1), NOW))


def test_an_error_object_with_odd_field_types_is_read_as_having_none() -> None:
    """An operator that sends a list for a code or an object for a message gets no say in the
    console's sentences: the status alone decides."""
    body = {"error": {"code": ["rule_refused"], "message": {"x": 1}, "rule": 7}}
    client = client_for(order_answers(lambda r: httpx.Response(422, json=body)))
    with pytest.raises(OrderRefused) as refused:
        client.place_order(OrderRequest(MSISDN, OrderAction.ADD_SERVICE, "GUARD"),
                           key="k" * 32, if_match=3, clerk="anna", salon="S", counter="1")
    assert refused.value.rule == "http_422"


def test_each_kind_of_answer_has_its_own_size_cap() -> None:
    """A usage page may be far longer than a card: 5 MB of usage is read, 5 MB of card is not
    (the loopback tests serve what is past every cap: tests/integration/
    test_operator_hostile_server.py)."""
    records = [tmf_usage_json(0)] * 10_000
    page = json.dumps(records).encode()
    assert 4 * 2**20 < len(page) < 32 * 2**20
    usage = client_for(operator({USAGE: lambda r: tmf_list(records, r)}))
    start = datetime(2026, 11, 1, tzinfo=UTC)
    assert sum(len(p) for p in usage.usage_pages(MSISDN, start, start + timedelta(days=1),
                                                 page_size=10_000)) == 10_000
    padded = json.dumps(line_json()).encode()[:-1] + b', "pad": "' + b"x" * len(page) + b'"}'
    card = client_for(CardOperator(line=httpx.Response(200, content=padded)))
    with pytest.raises(OperatorProtocolError, match="far larger than expected"):
        card.subscriber(MSISDN)
    small = client_for(operator({USAGE: lambda r: httpx.Response(200, content=page)}),
                       limits=AnswerLimits(usage_page=2**20))
    with pytest.raises(OperatorProtocolError, match=r"\(1 MB at most\)"):
        list(small.usage_pages(MSISDN, start, start + timedelta(days=1), page_size=10_000))


# -- the operator's own clock on an access-code answer (R3's countdown) -------------------------

def code_answer(now: str | None, date_header: str | None) -> OperatorClient:
    body: dict[str, Any] = {"state": "locked", "issued_at": "2026-11-24T10:00:00Z",
                            "attempts_left": 0, "locked_until": "2026-11-25T10:00:00Z"}
    if now is not None:
        body["now"] = now
    headers = {"Date": date_header} if date_header else {}
    return client_for(with_line(lambda r: httpx.Response(200, json=body, headers=headers)))


def with_line(handler: Any) -> Any:
    """`handler` behind the number's line lookup (TMF637), which answers the line's id."""
    def route(request: httpx.Request) -> httpx.Response:
        if request.url.path == "/tmf-api/productInventory/v4/product":
            return httpx.Response(200, json=[{"id": "L-79161234567"}])
        return handler(request)

    return route


def test_a_code_state_is_dated_by_the_operators_clock_not_the_consoles() -> None:
    """The console's clock says NOW; the operator's world runs a day ahead (a `salon sandbox`
    whose clock was advanced): 40 s of the lock are left, not 24 h."""
    assert code_answer("2026-11-25T09:59:20Z", "Mon, 23 Nov 2026 10:15:00 GMT").code_state(
        MSISDN).as_of == datetime(2026, 11, 25, 9, 59, 20, tzinfo=UTC)  # the body first
    assert code_answer(None, "Wed, 25 Nov 2026 09:59:20 GMT").code_state(MSISDN).as_of == \
        datetime(2026, 11, 25, 9, 59, 20, tzinfo=UTC)  # else the answer's Date
    assert code_answer(None, None).code_state(MSISDN).as_of == NOW  # else the console's
    assert code_answer(None, "Fri, 31 Dec 9999 23:59:59 GMT").code_state(MSISDN).as_of == NOW
    with pytest.raises(OperatorProtocolError):
        code_answer("9999-12-31T23:59:59Z", None).code_state(MSISDN)


def test_money_is_read_from_the_digits_the_operator_wrote() -> None:
    """Amounts are Decimals made from the JSON number's own text, never through a float:
    a kopeck-exact amount of 14 digits stays exact, and an amount with a fraction finer than
    a kopeck is refused, not rounded to one that looks right (a float would make
    0.1000000000000000001 into 0.1)."""
    exact = card_operator(line_json(), literal(with_bucket("main", remaining="@n@"),
                                               n="123456789012.34")).balances(MSISDN)
    assert exact.main.amount == Decimal("123456789012.34")
    finer = card_operator(line_json(), literal(with_bucket("main", remaining="@n@"),
                                               n="0.1000000000000000001"))
    with pytest.raises(OperatorProtocolError):
        finer.balances(MSISDN)


@pytest.mark.parametrize(("text", "fast"), [
    (b'[0.1, 450.0, 123456789012.34, 42]', True),  # at most 15 digits: a float reads them
    (b'[0.1000000000000000001]', False),  # a float would make this 0.1
    (b'[12345678901234.56]', False),  # 16 digits
    (b'[1E-999999]', False), (b'[1.5e3]', False),  # exponents
    (b'{"id": "U-79160000100-0001", "at": "2026-11-01T08:00:00Z"}', True),
])
def test_the_fast_reading_is_kept_for_numbers_a_float_carries_exactly(
        text: bytes, fast: bool) -> None:
    from app.operator_api.bodies import float_exact

    assert float_exact(text) is fast
