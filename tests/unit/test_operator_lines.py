"""The client's card and balance reads on TMF (app/operator_api/lines.py, line_ids.py) against
httpx.MockTransport: what is asked, how the answers become the domain's card, and every answer
refused whole (another number or line, garbled, out of range), the number's line found once —
also by two threads at once — and looked up again when the operator no longer knows it."""

from __future__ import annotations

import contextlib
import threading
from datetime import UTC, datetime
from decimal import Decimal
from typing import Any

import httpx
import pytest

from app.clock import FixedClock
from app.errors import OperatorProtocolError, OperatorUnavailable, SubscriberNotFound
from app.operator_api.client import OperatorClient
from models.domain import PackageKind, SubscriberStatus, TariffClass
from tests.support.domain_samples import sample_balances, sample_subscriber
from tests.support.tmf_samples import (
    BALANCE,
    CATALOG,
    INVENTORY,
    MSISDN,
    PARTY,
    X_SALON,
    CardOperator,
    buckets_json,
    line_json,
    main_balance_json,
    offering_class_json,
    tmf_error,
    with_bucket,
)

NOW = datetime(2026, 11, 23, 10, 15, tzinfo=UTC)
OTHER = "+79990000000"


def client_for(handler: Any, retries: int = 1) -> OperatorClient:
    return OperatorClient("http://operator.test", "secret-token", clock=FixedClock(NOW),
                          read_retries=retries, transport=httpx.MockTransport(handler),
                          sleep=lambda _s: None)


# -- the card -----------------------------------------------------------------------------------

def test_the_card_is_the_line_its_tariffs_class_and_its_etag() -> None:
    operator = CardOperator()
    subscriber = client_for(operator).subscriber(MSISDN)
    assert subscriber == sample_subscriber()
    lookup, line, tariffs = operator.requests
    assert lookup.url.path == f"{INVENTORY}/product"
    assert dict(lookup.url.params) == {"productSerialNumber": MSISDN, "fields": "id,status"}
    assert b"productSerialNumber=%2B79161234567" in lookup.url.query  # a raw + is a space
    assert line.url.path == f"{INVENTORY}/product/L-79161234567"
    assert tariffs.url.path == f"{CATALOG}/productOffering"
    assert dict(tariffs.url.params) == {"category.id": "tariff",
                                        "fields": "id,prodSpecCharValueUse", "limit": "1000"}
    assert all(r.headers["Authorization"] == "Bearer secret-token" for r in operator.requests)


def test_a_suspended_line_is_a_blocked_subscriber_and_a_class_comes_from_the_catalog() -> None:
    operator = CardOperator(line=line_json(status="suspended"),
                            offerings=[offering_class_json(tariff_class="vip")])
    subscriber = client_for(operator).subscriber(MSISDN)
    assert subscriber.status is SubscriberStatus.BLOCKED
    assert subscriber.tariff.tariff_class is TariffClass.VIP


def test_every_tariffs_class_is_asked_once_and_one_not_listed_alone() -> None:
    """The first card asks for every tariff's class; a card on another tariff then asks for
    nothing more, and one on a tariff the list did not hold asks for that tariff alone."""
    operator = CardOperator(offerings=[offering_class_json(),
                                       offering_class_json("tariff-PLAT", "vip")])
    client = client_for(operator)
    assert client.subscriber(MSISDN).tariff.tariff_class is TariffClass.MASS
    operator.line = line_json(productOffering={"id": "tariff-PLAT", "name": "Платиновый"})
    assert client.subscriber(MSISDN).tariff.tariff_class is TariffClass.VIP
    operator.line = line_json(productOffering={"id": "tariff-NEW", "name": "Новый"})
    operator.offering = offering_class_json("tariff-NEW", "corporate")
    assert client.subscriber(MSISDN).tariff.tariff_class is TariffClass.CORPORATE
    assert client.subscriber(MSISDN).tariff.code == "NEW"
    assert (operator.asked["offerings"], operator.asked["offering"]) == (1, 1)
    alone = next(r for r in operator.requests if r.url.path.endswith("/tariff-NEW"))
    assert dict(alone.url.params) == {"fields": "prodSpecCharValueUse"}


def test_the_assistant_is_shown_apart_from_the_services_and_ended_services_not_at_all() -> None:
    line = line_json()
    line["product"][0]["status"] = "terminated"  # GUARD ended
    operator = CardOperator(line=line)
    subscriber = client_for(operator).subscriber(MSISDN)
    assert subscriber.services == () and subscriber.assistant_connected
    line["product"] = line["product"][:1]
    assert not client_for(CardOperator(line=line)).subscriber(MSISDN).assistant_connected


def test_the_tariff_fee_is_the_lines_recurring_monthly_prices_in_kopecks() -> None:
    line = line_json(productPrice=[])
    assert client_for(CardOperator(line=line)).subscriber(MSISDN).tariff.monthly_fee.amount \
        == Decimal("0.00")  # a tariff without a monthly fee
    line = line_json()
    line["productPrice"][0]["price"]["taxIncludedAmount"]["value"] = 0.1
    fee = client_for(CardOperator(line=line)).subscriber(MSISDN).tariff.monthly_fee
    assert str(fee.amount) == "0.10"


def test_a_tariffs_class_is_asked_once() -> None:
    operator = CardOperator()
    client = client_for(operator)
    for _ in range(3):
        client.subscriber(MSISDN)
    assert operator.asked["offerings"] == 1 and operator.asked["lookup"] == 1
    assert operator.asked["line"] == 3  # the card itself is always live


def test_the_persons_name_is_read_from_tmf632_only_when_the_line_lacks_it() -> None:
    operator = CardOperator()
    client_for(operator).subscriber(MSISDN)
    assert operator.asked["individual"] == 0
    line = line_json()
    del line["relatedParty"][0]["name"]
    operator = CardOperator(line=line, individual={"id": "I-79161234567",
                                                   "familyName": "Иванова",
                                                   "givenName": "Мария"})
    assert client_for(operator).subscriber(MSISDN).name == "Иванова Мария"
    asked = next(r for r in operator.requests if r.url.path.startswith(PARTY))
    assert asked.url.path == f"{PARTY}/individual/I-79161234567"


def test_the_version_is_the_lines_strong_etag() -> None:
    assert client_for(CardOperator(etag='"41"')).subscriber(MSISDN).version == 41
    for etag in (None, 'W/"3"', "3", '"three"', '""', f'"{2**53 + 1}"', '"' + "9" * 40 + '"'):
        with pytest.raises(OperatorProtocolError, match="unexpected way"):
            client_for(CardOperator(etag=etag)).subscriber(MSISDN)


BROKEN_LINES = {
    "an unknown status": line_json(status="pendingActive"),
    "no tariff": {k: v for k, v in line_json().items() if k != "productOffering"},
    "no home region": line_json(productCharacteristic=[]),
    "a region without a zone": line_json(productCharacteristic=[
        {"name": "homeRegion", "value": {"code": "RU-MOW", "name": "Москва",
                                         "nameEn": "Moscow"}}]),
    "an unknown zone": line_json(productCharacteristic=[
        {"name": "homeRegion", "value": {"code": "RU-MOW", "name": "Москва",
                                         "nameEn": "Moscow", "timeZone": "Mars/Olympus"}}]),
    "no user": line_json(relatedParty=[]),
    "activation in 9999": line_json(startDate="9999-12-31T23:59:59Z"),
    "activation without a zone": line_json(startDate="2024-03-14T09:12:00"),
    "a fee of three decimals": line_json(productPrice=[
        {"priceType": "recurring", "recurringChargePeriod": "month",
         "price": {"taxIncludedAmount": {"unit": "RUB", "value": 1.005}}}]),
    "a fee in two currencies": line_json(productPrice=[
        {"priceType": "recurring", "price": {"taxIncludedAmount": {"unit": "RUB", "value": 1}}},
        {"priceType": "recurring", "price": {"taxIncludedAmount": {"unit": "EUR", "value": 1}}}]),
    "not JSON": httpx.Response(200, content=b"<html>gateway</html>"),
}


@pytest.mark.parametrize("case", BROKEN_LINES)
def test_a_broken_line_is_refused_whole(case: str) -> None:
    with pytest.raises(OperatorProtocolError, match="unexpected way"):
        client_for(CardOperator(line=BROKEN_LINES[case])).subscriber(MSISDN)


@pytest.mark.parametrize("offering", [
    offering_class_json(tariff_class="gold"), {"id": "tariff-SMART"},
    {**offering_class_json(), "id": "tariff-OTHER"}])
def test_a_tariff_without_a_class_the_console_knows_is_refused(offering: Any) -> None:
    """Listed with the others (that answer is read for the tariffs it can), then asked alone."""
    operator = CardOperator(offerings=[offering], offering=offering)
    with pytest.raises(OperatorProtocolError):
        client_for(operator).subscriber(MSISDN)
    assert operator.asked["offering"] == 1


def test_a_card_of_another_number_or_line_is_refused_whole() -> None:
    for line in (line_json(OTHER), line_json(id="L-79990000000")):
        with pytest.raises(OperatorProtocolError, match="another number"):
            client_for(CardOperator(line=line)).subscriber(MSISDN)


# -- the number's line --------------------------------------------------------------------------

def test_a_number_without_a_live_line_is_not_a_subscriber() -> None:
    for lines in ([], [{"id": "L-old", "status": "terminated"}]):
        operator = CardOperator(lookup=lines)
        with pytest.raises(SubscriberNotFound, match=r"\+7 916 123-45-67"):
            client_for(operator).subscriber(MSISDN)
        assert operator.asked["line"] == 0


def test_the_live_line_is_picked_among_ended_ones_and_two_live_are_refused() -> None:
    operator = CardOperator(lookup=[{"id": "L-old", "status": "terminated"},
                                    {"id": "L-79161234567", "status": "active"}])
    assert client_for(operator).subscriber(MSISDN).version == 3
    assert operator.requests[1].url.path.endswith("/product/L-79161234567")
    two = CardOperator(lookup=[{"id": "L-1"}, {"id": "L-2", "status": "suspended"}])
    with pytest.raises(OperatorProtocolError, match="unexpected way"):
        client_for(two).subscriber(MSISDN)


def test_the_line_id_is_asked_once_for_the_card_and_the_balances() -> None:
    operator = CardOperator()
    client = client_for(operator)
    client.subscriber(MSISDN)
    client.balances(MSISDN)
    client.balances_at(MSISDN, datetime(2026, 11, 1, tzinfo=UTC))
    assert operator.asked["lookup"] == 1


def test_two_threads_that_need_a_new_numbers_line_share_one_lookup() -> None:
    """Without the shared lookup both threads would reach the operator and meet at the
    barrier; with it the second waits for the first's answer, and the barrier times out."""
    meeting = threading.Barrier(2)

    def lookup(request: httpx.Request) -> httpx.Response:
        with contextlib.suppress(threading.BrokenBarrierError):
            meeting.wait(timeout=1.0)
        return httpx.Response(200, json=[{"id": "L-79161234567"}])

    operator = CardOperator(lookup=lookup)
    client = client_for(operator)
    results: dict[str, Any] = {}
    threads = [threading.Thread(target=lambda: results.__setitem__("card",
                                                                   client.subscriber(MSISDN))),
               threading.Thread(target=lambda: results.__setitem__("balances",
                                                                   client.balances(MSISDN)))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(10)
    assert operator.asked["lookup"] == 1
    assert results == {"card": sample_subscriber(), "balances": sample_balances()}


def test_a_failed_lookup_is_shared_and_not_kept() -> None:
    calls = []

    def lookup(request: httpx.Request) -> httpx.Response:
        calls.append(request)
        if len(calls) == 1:
            raise httpx.ConnectError("refused", request=request)
        return httpx.Response(200, json=[{"id": "L-79161234567"}])

    client = client_for(CardOperator(lookup=lookup), retries=0)
    with pytest.raises(OperatorUnavailable):
        client.subscriber(MSISDN)
    assert client.subscriber(MSISDN).version == 3  # asked again, not a kept failure


def moving_operator() -> tuple[CardOperator, dict[str, str]]:
    """An operator whose number can move to another line: `where["line"]` is its line now;
    the old line's id is unknown to it from then on (404, or no buckets)."""
    where = {"line": "L-79161234567"}

    def on_line(request: httpx.Request) -> bool:
        asked = request.url.params.get("product.id") or request.url.path.rsplit("/", 1)[-1]
        return asked == where["line"]

    def line(request: httpx.Request) -> httpx.Response:
        if not on_line(request):
            return tmf_error(404, "not_found")
        return httpx.Response(200, json=line_json(id=where["line"]),
                              headers={"ETag": '"9"' if where["line"] == "L-new" else '"3"'})

    def buckets(request: httpx.Request) -> httpx.Response:
        if not on_line(request):
            return httpx.Response(200, json=[])  # a TMF list: an unknown line has none
        found = buckets_json()
        for entity in found:
            entity["product"][0]["id"] = where["line"]
        return httpx.Response(200, json=found)

    def main_balance(request: httpx.Request) -> httpx.Response:
        if not on_line(request):
            return tmf_error(404, "not_found")
        answer = main_balance_json()
        answer["product"]["id"] = where["line"]
        return httpx.Response(200, json=answer)

    operator = CardOperator(lookup=lambda r: httpx.Response(200, json=[{"id": where["line"]}]),
                            line=line, buckets=buckets, main_balance=main_balance)
    return operator, where


@pytest.mark.parametrize("call", ["subscriber", "balances", "balances_at"])
def test_a_kept_line_the_operator_no_longer_knows_is_looked_up_once_more(call: str) -> None:
    """The number moved to line L-new: each read finds the new line and answers as if
    nothing happened, and keeps the new line."""
    operator, where = moving_operator()
    client = client_for(operator)
    assert client.line_id(MSISDN) == "L-79161234567"
    where["line"] = "L-new"
    if call == "subscriber":
        assert client.subscriber(MSISDN).version == 9
    elif call == "balances":
        assert client.balances(MSISDN) == sample_balances()
    else:
        assert str(client.balances_at(MSISDN, NOW).main.amount) == "2347.00"
    assert operator.asked["lookup"] == 2
    assert client.line_id(MSISDN) == "L-new"
    assert operator.asked["lookup"] == 2


@pytest.mark.parametrize("call", ["subscriber", "balances", "balances_at"])
def test_a_line_that_goes_away_is_looked_up_once_and_then_not_found(call: str) -> None:
    lines = {"n": 0}

    def lookup(request: httpx.Request) -> httpx.Response:
        lines["n"] += 1
        return httpx.Response(200, json=[{"id": "L-79161234567"}] if lines["n"] == 1 else [])

    operator = CardOperator(lookup=lookup, line=tmf_error(404, "not_found"), buckets=[],
                            main_balance=tmf_error(404, "not_found"))
    client = client_for(operator)
    client.line_id(MSISDN)  # kept from an earlier lookup
    ask = {"subscriber": lambda: client.subscriber(MSISDN),
           "balances": lambda: client.balances(MSISDN),
           "balances_at": lambda: client.balances_at(MSISDN, NOW)}[call]
    with pytest.raises(SubscriberNotFound):
        ask()
    assert operator.asked["lookup"] == 2


def test_a_404_for_a_line_just_found_is_not_found_without_asking_again() -> None:
    operator = CardOperator(line=tmf_error(404, "not_found"))
    with pytest.raises(SubscriberNotFound):
        client_for(operator).subscriber(MSISDN)
    assert operator.asked == {"lookup": 1, "line": 1}


def test_an_empty_bucket_list_for_a_line_just_found_is_a_broken_answer() -> None:
    operator = CardOperator(buckets=[])
    with pytest.raises(OperatorProtocolError, match="unexpected way"):
        client_for(operator).balances(MSISDN)
    assert operator.asked == {"lookup": 1, "buckets": 1}


def test_a_refused_token_and_a_failing_operator_read_as_before() -> None:
    with pytest.raises(OperatorUnavailable, match="credentials set"):
        client_for(CardOperator(line=tmf_error(401, "unauthorized"))).subscriber(MSISDN)
    with pytest.raises(OperatorUnavailable, match="internal error"):
        client_for(CardOperator(buckets=tmf_error(503, "unavailable"))).balances(MSISDN)


# -- the balances -------------------------------------------------------------------------------

def test_buckets_become_the_balances() -> None:
    operator = CardOperator()
    balances = client_for(operator).balances(MSISDN)
    assert balances == sample_balances()
    asked = operator.requests[-1]
    assert asked.url.path == f"{BALANCE}/bucket"
    assert dict(asked.url.params) == {"product.id": "L-79161234567"}


def test_no_debt_bucket_is_no_debt_and_packages_without_a_total_are_whole() -> None:
    assert client_for(CardOperator(buckets=buckets_json(debt=False))).balances(MSISDN) \
        == sample_balances(debt=False)
    found = buckets_json()
    del found[3]["totalValue"]  # minutes
    found[3]["@type"] = "Bucket"
    minutes = client_for(CardOperator(buckets=found)).balances(MSISDN).packages[0]
    assert minutes.kind is PackageKind.MINUTES and minutes.total == minutes.remaining == 250


def test_sms_packages_and_unknown_buckets() -> None:
    found = buckets_json()
    found.append({**found[-1], "id": "B-sms", "name": "sms", "usageType": "sms",
                  "remainingValue": {"amount": 7, "units": "SMS"},
                  "totalValue": {"amount": 100, "units": "SMS"}})
    found.append({**found[0], "id": "B-roaming", "name": "roamingMinutes"})
    packages = client_for(CardOperator(buckets=found)).balances(MSISDN).packages
    assert [(p.kind, p.remaining, p.unit) for p in packages][1] == (PackageKind.SMS, 7, "sms")
    assert len(packages) == 3  # the roaming bucket is not the card's


BROKEN_BUCKETS: dict[str, Any] = {
    "no main": [b for b in buckets_json() if b["name"] != "main"],
    "two bonus": [*buckets_json(), buckets_json()[1]],
    "main of three decimals": with_bucket("main", remaining=1.005),
    "main of 1E+999999": with_bucket("main", remaining="1E+999999"),
    "main as minutes": with_bucket("main", remainingValue={"amount": 1, "units": "min"}),
    "package of NaN": with_bucket("minutes", remaining="NaN"),
    "negative package": with_bucket("data", remaining=-5),
    "package of 10^13": with_bucket("data", total=10**13),
    "package expiring in 0001": with_bucket("minutes", ends="0001-01-01T00:00:00Z"),
    "an instant without a zone": with_bucket("minutes", ends="2026-11-30T21:00:00"),
    "a debt without its due": with_bucket("promisedPaymentDebt", validFor={}),
    "a debt due in 9999": with_bucket("promisedPaymentDebt", ends="9999-12-31T23:59:59Z"),
    "not a list": {"buckets": buckets_json()},
}


@pytest.mark.parametrize("case", BROKEN_BUCKETS)
def test_broken_buckets_are_refused_whole(case: str) -> None:
    with pytest.raises(OperatorProtocolError, match="unexpected way"):
        client_for(CardOperator(buckets=BROKEN_BUCKETS[case])).balances(MSISDN)


def test_a_bucket_of_another_line_is_refused_whole() -> None:
    found = buckets_json()
    found[1]["product"] = [{"id": "L-79990000000"}]
    with pytest.raises(OperatorProtocolError, match="another number"):
        client_for(CardOperator(buckets=found)).balances(MSISDN)
    found[1]["product"] = []
    with pytest.raises(OperatorProtocolError, match="another number"):
        client_for(CardOperator(buckets=found)).balances(MSISDN)


def test_the_main_balance_at_an_instant_is_the_extensions() -> None:
    operator = CardOperator()
    at = datetime(2026, 11, 1, 3, tzinfo=UTC)
    balances = client_for(operator).balances_at(MSISDN, at)
    assert str(balances.main.amount) == "2347.00"
    assert balances.bonus.amount == balances.promised_payment_debt.amount == 0
    assert balances.packages == () and balances.promised_payment_due is None
    asked = operator.requests[-1]
    assert asked.url.path == f"{X_SALON}/mainBalance"
    assert dict(asked.url.params) == {"product.id": "L-79161234567",
                                      "at": "2026-11-01T03:00:00Z"}


def test_a_main_balance_of_another_line_or_out_of_range_is_refused() -> None:
    other = main_balance_json()
    other["product"]["id"] = "L-79990000000"
    with pytest.raises(OperatorProtocolError, match="another number"):
        client_for(CardOperator(main_balance=other)).balances_at(MSISDN, NOW)
    for value in ("1E+999999", 1.234, "NaN"):
        broken = main_balance_json()
        broken["remainingValue"]["value"] = value
        with pytest.raises(OperatorProtocolError):
            client_for(CardOperator(main_balance=broken)).balances_at(MSISDN, NOW)
