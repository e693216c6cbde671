"""The catalog (TMF620) and usage (TMF635) parts of the operator client against
httpx.MockTransport: what they ask for, how the TMF entities become the domain's, paging by
offset and X-Total-Count, newest first without a sort parameter, and every answer refused
whole that the console cannot use."""

from __future__ import annotations

import json
from datetime import UTC, date, datetime
from decimal import Decimal
from typing import Any

import httpx
import pytest

from app.clock import FixedClock
from app.errors import OperatorProtocolError, OperatorUnavailable, SubscriberNotFound
from app.operator_api.client import OperatorClient
from models.domain import PackageKind, PackageSizes, TariffClass, UsageKind
from tests.support.tmf_samples_catalog_usage import (
    CATALOG,
    LINE,
    MSISDN,
    USAGE,
    characteristic,
    money,
    offering,
    operator,
    prices_of,
    tmf_list,
    usage_json,
)

NOW = datetime(2026, 11, 23, 10, 15, tzinfo=UTC)
START, END = datetime(2026, 11, 1, tzinfo=UTC), datetime(2026, 12, 1, tzinfo=UTC)
Json = dict[str, Any]


def client_for(handler: Any) -> OperatorClient:
    return OperatorClient("http://operator.test", "secret-token", clock=FixedClock(NOW),
                          read_retries=1, transport=httpx.MockTransport(handler),
                          sleep=lambda _s: None)


def catalog_operator(offerings: list[Json], prices: list[Json],
                     seen: list[httpx.Request] | None = None, *, page_cap: int = 10_000,
                     filtering: bool = True) -> OperatorClient:
    """A catalog that filters by category.id (unless `filtering` is False) and gives at most
    `page_cap` entities a page, whatever the limit asked."""
    def listed(items: list[Json]) -> Any:
        def answer(request: httpx.Request) -> httpx.Response:
            wanted = request.url.params.get("category.id")
            chosen = [i for i in items if not filtering or wanted is None
                      or any(c["id"] == wanted for c in i.get("category", []))]
            return tmf_list(chosen, request, cap=page_cap)
        return answer

    return client_for(operator({f"{CATALOG}/productOffering": listed(offerings),
                                f"{CATALOG}/productOfferingPrice": listed(prices)}, seen))


SMART = offering("SMART", "Смарт", "tariff")
SMART["prodSpecCharValueUse"][1]["productSpecCharacteristicValue"][0]["value"] = 500.0
CLASSIC = offering("CLASSIC", "Классический", "tariff", status="Retired", packages=None,
                   prices=["oneTime", "recurring"])
GUARD = offering("GUARD", "Антивирус", "service", classes=("mass", "corporate", "vip"))
ASSISTANT = offering("ASSISTANT", "Электронный Помощник", "service",
                     trial=("2026-11-11T00:00:00Z", "2026-12-11T23:59:59Z"))
PRICES = [*prices_of("tariff-SMART", 100.0, 450.0), *prices_of("tariff-CLASSIC", 0, 0.1),
          *prices_of("service-GUARD", 99.99, 99.0), *prices_of("service-ASSISTANT", 0, 0)]
OFFERINGS = [SMART, CLASSIC, GUARD, ASSISTANT]


# -- the catalog ------------------------------------------------------------------------------

def test_tariffs_are_offerings_joined_to_one_price_list() -> None:
    """And a package written as 500.0 is 500 (TMF's characteristic value is any JSON)."""
    seen: list[httpx.Request] = []
    tariffs = catalog_operator(OFFERINGS, PRICES, seen).tariffs()
    assert [r.url.path for r in seen] == [f"{CATALOG}/productOffering",
                                          f"{CATALOG}/productOfferingPrice"]
    assert seen[0].url.params["category.id"] == "tariff"
    assert "category.id" not in seen[1].url.params  # one list, joined by id
    assert seen[0].headers["Authorization"] == "Bearer secret-token"
    smart, classic = tariffs
    assert (smart.code, smart.name, smart.tariff_class) == ("SMART", "Смарт", TariffClass.MASS)
    assert smart.one_off_fee.amount == Decimal("100.00") and smart.one_off_fee.currency == "RUB"
    assert smart.monthly_fee.amount == Decimal("450.00") and smart.available
    assert smart.prices is not None and smart.prices.minute.amount == Decimal("2.5")
    assert smart.prices.sms.amount == Decimal("1.5") and smart.prices.mb.amount == Decimal("0.3")
    assert smart.packages == PackageSizes(500, 500, 15360)
    assert classic.code == "CLASSIC" and not classic.available
    assert str(classic.monthly_fee.amount) == "0.10"  # from the JSON text, not a float
    assert str(smart.monthly_fee.amount) == "450.00"  # 450.0 on the wire: to the kopeck
    assert classic.prices is None and classic.packages is None  # none published


def test_services_carry_their_classes_and_trial_days() -> None:
    exclusive_end = offering("FAVOURITE", "Любимый номер", "service",
                             trial=("2026-11-11T00:00:00Z", "2026-12-12T00:00:00Z"))
    services = catalog_operator([*OFFERINGS, exclusive_end],
                                [*PRICES, *prices_of("service-FAVOURITE", 30, 60)]).services()
    guard, assistant, favourite = services
    assert guard.code == "GUARD" and guard.trial is None and guard.available
    assert guard.allowed_classes == (TariffClass.MASS, TariffClass.CORPORATE, TariffClass.VIP)
    assert guard.one_off_fee.amount == Decimal("99.99")
    assert assistant.allowed_classes == (TariffClass.MASS,)
    assert assistant.trial is not None
    assert (assistant.trial.start, assistant.trial.end) == (date(2026, 11, 11),
                                                            date(2026, 12, 11))
    # An end at the next midnight is the same last day (the trial ends as that day begins).
    assert favourite.trial == assistant.trial


def test_drafts_and_other_categories_are_not_in_the_catalog() -> None:
    """An offering in study is not the operator's to sell yet; an operator that ignores the
    category filter still gives the console only the category asked for."""
    draft = offering("NEW", "Новый", "tariff", status="In study", prices=[])
    stray = {**offering("X", "Посторонний", "tariff", prices=[]), "category": []}
    client = catalog_operator([*OFFERINGS, draft, stray], PRICES, filtering=False)
    assert [t.code for t in client.tariffs()] == ["SMART", "CLASSIC"]
    assert [s.code for s in client.services()] == ["GUARD", "ASSISTANT"]


def test_lists_are_paged_while_the_count_says_there_are_more() -> None:
    seen: list[httpx.Request] = []
    client = catalog_operator(OFFERINGS, PRICES, seen, page_cap=3)
    assert [t.code for t in client.tariffs()] == ["SMART", "CLASSIC"]
    offsets = [int(r.url.params["offset"]) for r in seen
               if r.url.path.endswith("productOfferingPrice")]
    assert offsets == list(range(0, len(PRICES), 3))


def test_characteristics_the_console_does_not_read_are_not_checked() -> None:
    smart = json.loads(json.dumps(SMART))
    smart["prodSpecCharValueUse"].append({"name": "roaming", "productSpecCharacteristicValue": [
        {"valueType": "object", "value": {"zones": [1, 2]}}, {"value": True}]})
    assert catalog_operator([smart], PRICES).tariffs()[0].code == "SMART"


def test_prices_no_offering_refers_to_are_not_checked() -> None:
    """A test kit's price with no amount, or another system's, is none of the console's."""
    kit = {"id": "3f1c", "name": "Recurring Charge for Business Firewall", "isBundle": False,
           "priceType": "recurring", "price": {"value": "lots"}}
    assert len(catalog_operator(OFFERINGS, [kit, *PRICES]).tariffs()) == 2


def broken(change: Any) -> tuple[list[Json], list[Json]]:
    offerings, prices = json.loads(json.dumps(OFFERINGS)), json.loads(json.dumps(PRICES))
    change(offerings, prices)
    return offerings, prices


def price(prices: list[Json], price_id: str) -> Json:
    return next(p for p in prices if p["id"] == price_id)


BROKEN_CATALOGS = {
    "a price that is not in the list": lambda o, p: p.remove(
        price(p, "pop-tariff-SMART-recurring")),
    "two list prices": lambda o, p: o[0]["productOfferingPrice"].append(
        {"id": "pop-tariff-CLASSIC-oneTime"}),
    "money to a tenth of a kopeck": lambda o, p: price(p, "pop-tariff-SMART-oneTime").update(
        price=money("100.001")),
    "money of 1E+999999": lambda o, p: price(p, "pop-tariff-SMART-recurring").update(
        price=money("1E+999999")),
    "an unknown class": lambda o, p: o[0]["prodSpecCharValueUse"][0][
        "productSpecCharacteristicValue"][0].update(value="platinum"),
    "two classes of a tariff": lambda o, p: o[0]["prodSpecCharValueUse"][0][
        "productSpecCharacteristicValue"].append({"value": "vip"}),
    "a fee share of 150 %": lambda o, p: price(p, "pop-tariff-SMART-switchFeeShare").update(
        percentage=150),
    "a usage price per 10 minutes": lambda o, p: price(p, "pop-tariff-SMART-usage-min").update(
        unitOfMeasure={"amount": 10, "units": "min"}),
    "usage prices for minutes only": lambda o, p: o[0]["productOfferingPrice"].remove(
        {"id": "pop-tariff-SMART-usage-sms", "name": "usage-sms"}),
    "a negative package": lambda o, p: o[0]["prodSpecCharValueUse"][1][
        "productSpecCharacteristicValue"][0].update(value=-1),
    "a package of 1.5": lambda o, p: o[0]["prodSpecCharValueUse"][1][
        "productSpecCharacteristicValue"][0].update(value=1.5),
    "a package of 10^30": lambda o, p: o[0]["prodSpecCharValueUse"][1][
        "productSpecCharacteristicValue"][0].update(value=1e30),
    "a package of true": lambda o, p: o[0]["prodSpecCharValueUse"][1][
        "productSpecCharacteristicValue"][0].update(value=True),
    "a referred price that is garbled": lambda o, p: price(
        p, "pop-tariff-SMART-usage-mb").update(price={"value": "lots"}),
    "a quarterly fee": lambda o, p: price(p, "pop-tariff-SMART-recurring").update(
        recurringChargePeriodType="quarter"),
    "an id the console cannot name back": lambda o, p: o[0].update(id="SMART"),
}


@pytest.mark.parametrize("case", BROKEN_CATALOGS)
def test_a_catalog_the_console_cannot_use_is_refused_whole(case: str) -> None:
    offerings, prices = broken(BROKEN_CATALOGS[case])
    with pytest.raises(OperatorProtocolError, match="unexpected way"):
        catalog_operator(offerings, prices).tariffs()


BROKEN_TRIALS = {
    "ends before it starts": ("2026-12-11T00:00:00Z", "2026-11-11T23:59:59Z"),
    "in 9999": ("2026-11-11T00:00:00Z", "9999-12-31T23:59:59Z"),
    "without a zone": ("2026-11-11T00:00:00", "2026-12-11T23:59:59"),
}


@pytest.mark.parametrize("case", BROKEN_TRIALS)
def test_a_trial_the_console_cannot_show_is_refused(case: str) -> None:
    assistant = offering("ASSISTANT", "Электронный Помощник", "service",
                         trial=BROKEN_TRIALS[case])
    with pytest.raises(OperatorProtocolError):
        catalog_operator([GUARD, assistant], PRICES).services()


def test_a_refused_token_says_what_to_do() -> None:
    body = {"code": "unauthorized", "reason": "Unauthorized", "message": "bad token",
            "status": "401", "@type": "Error"}
    with pytest.raises(OperatorUnavailable, match="credentials set"):
        client_for(lambda r: httpx.Response(401, json=body)).tariffs()


# -- usage ------------------------------------------------------------------------------------

def usage_operator(records: list[Json], seen: list[httpx.Request] | None = None, *,
                   count: bool = True, page_cap: int = 10_000) -> OperatorClient:
    def answer(request: httpx.Request) -> httpx.Response:
        return tmf_list(records, request, count=count, cap=page_cap)

    return client_for(operator({USAGE: answer}, seen))


def pages(client: OperatorClient, **options: Any) -> list[list[str]]:
    return [[r.id[-4:] for r in page] for page in client.usage_pages(MSISDN, START, END,
                                                                     **options)]


def test_usage_is_paged_by_offset_until_the_count_is_reached() -> None:
    seen: list[httpx.Request] = []
    got = pages(usage_operator([usage_json(i) for i in range(5)], seen), page_size=3)
    assert got == [["0001", "0002", "0003"], ["0004", "0005"]]
    asked = [dict(r.url.params) for r in seen if r.url.path == USAGE]
    assert asked == [{"ratedProductUsage.productRef.id": LINE,
                      "usageDate.gte": "2026-11-01T00:00:00Z",
                      "usageDate.lt": "2026-12-01T00:00:00Z", "offset": str(offset),
                      "limit": "3",
                      "fields": "usageDate,usageType,usageCharacteristic,ratedProductUsage"}
                     for offset in (0, 3)]


def test_a_record_becomes_the_domain_record_as_before() -> None:
    record = next(iter(usage_operator([usage_json(7)]).usage_pages(MSISDN, START, END)))[0]
    assert record.id == "U-79161234567-20261101-0008"
    assert record.started_at == datetime(2026, 11, 1, 8, 0, 7, tzinfo=UTC)
    assert (record.kind, record.direction, record.counterpart) == (UsageKind.CALL, "out",
                                                                   "+79035550101")
    assert (record.duration_s, record.volume_kb, record.covered_by_package) == (67, None, None)
    assert record.amount == Decimal("1.50") and str(record.amount) == "1.50"


def test_every_kind_of_record() -> None:
    data = characteristic(characteristic(usage_json(1, usageType="data"), "duration", None),
                          "direction", None)
    data = characteristic(characteristic(data, "volume", 2048), "coveredBy", "data")
    data["usageCharacteristic"][-2]["value"] = 2048
    data["ratedProductUsage"][0]["taxIncludedRatingAmount"] = money(0.0)
    sms = characteristic(characteristic(usage_json(2, usageType="sms"), "duration", None),
                         "direction", "in")
    charge = characteristic(usage_json(3, usageType="charge"), "duration", None)
    charge = characteristic(characteristic(charge, "direction", None), "counterpart",
                            "Тариф «Смарт»")
    charge["ratedProductUsage"][0]["taxIncludedRatingAmount"] = money(450)
    payment = characteristic(characteristic(usage_json(4, usageType="payment"), "duration",
                                            None), "direction", None)
    payment = characteristic(payment, "counterpart", "promised_payment")
    rated = payment["ratedProductUsage"][0]  # the published sample's spelling
    rated["taxIncludedAmount"] = rated.pop("taxIncludedRatingAmount")
    got = next(iter(usage_operator([data, sms, charge, payment]).usage_pages(MSISDN, START,
                                                                             END)))
    assert [r.kind for r in got] == [UsageKind.DATA, UsageKind.SMS, UsageKind.FEE,
                                     UsageKind.TOPUP]
    assert (got[0].volume_kb, got[0].covered_by_package, got[0].amount) == (
        2048, PackageKind.DATA, Decimal("0.00"))
    assert (got[1].direction, got[1].duration_s) == ("in", None)
    assert (got[2].counterpart, got[2].amount) == ("Тариф «Смарт»", Decimal("450.00"))
    assert (got[3].counterpart, got[3].amount) == ("promised_payment", Decimal("1.50"))


def test_without_a_count_a_short_page_is_the_last() -> None:
    got = pages(usage_operator([usage_json(i) for i in range(5)], count=False), page_size=2)
    assert got == [["0001", "0002"], ["0003", "0004"], ["0005"]]


def test_an_operator_that_gives_fewer_than_asked_is_read_to_the_end() -> None:
    got = pages(usage_operator([usage_json(i) for i in range(5)], page_cap=2), page_size=4)
    assert [r for page in got for r in page] == [f"{i:04d}" for i in range(1, 6)]


def test_an_empty_period_is_one_empty_page() -> None:
    assert pages(usage_operator([])) == [[]]
    assert pages(usage_operator([]), order="desc") == [[]]


@pytest.mark.parametrize("options", [{}, {"count": False}, {"page_cap": 2}])
def test_newest_first_reads_the_period_from_its_end(options: dict[str, Any]) -> None:
    """TMF635 has no sort parameter: the period is read backwards by offset, each window
    oldest first and yielded reversed — complete, no page overlapping another."""
    records = [usage_json(i) for i in range(7)]
    got = pages(usage_operator(records, **options), order="desc", page_size=3)
    assert [r for page in got for r in page] == [f"{i:04d}" for i in range(7, 0, -1)]
    if not options:
        assert got == [["0007", "0006", "0005"], ["0004", "0003", "0002"], ["0001"]]


def test_an_unknown_number_asks_for_no_usage() -> None:
    seen: list[httpx.Request] = []
    with pytest.raises(SubscriberNotFound):
        list(usage_operator([usage_json(0)], seen).usage_pages("+79990000000", START, END))
    assert all(r.url.path != USAGE for r in seen)


def test_a_record_of_another_line_refuses_the_page_whole() -> None:
    records = [usage_json(0), usage_json(1, line="L-79990000000")]
    with pytest.raises(OperatorProtocolError, match="another number"):
        list(usage_operator(records).usage_pages(MSISDN, START, END))


def with_change(change: Any) -> Json:
    record = json.loads(json.dumps(usage_json(1)))
    change(record)
    return record


BROKEN_RECORDS = {
    "a duration of 10^30": lambda r: r["usageCharacteristic"][2].update(value=10**30),
    "a duration of true": lambda r: r["usageCharacteristic"][2].update(value=True),
    "a duration of 1.5": lambda r: r["usageCharacteristic"][2].update(value=1.5),
    "a negative volume": lambda r: r["usageCharacteristic"].append(
        {"name": "volume", "value": -1}),
    "a direction sideways": lambda r: r["usageCharacteristic"][0].update(value="up"),
    "no counterpart": lambda r: r["usageCharacteristic"].pop(1),
    "a counterpart of a megabyte": lambda r: r["usageCharacteristic"][1].update(
        value="x" * 2**20),
    "covered by a bonus": lambda r: r["usageCharacteristic"].append(
        {"name": "coveredBy", "value": "bonus"}),
    "an unknown usage type": lambda r: r.update(usageType="roaming"),
    "an id longer than the store keeps": lambda r: r.update(id="U-" + "9" * 60),
    "an instant in 9999": lambda r: r.update(usageDate="9999-12-31T23:59:59Z"),
    "an instant without a zone": lambda r: r.update(usageDate="2026-11-01T08:00:00"),
    "money of Infinity": lambda r: r["ratedProductUsage"][0].update(
        taxIncludedRatingAmount=money("Infinity")),
    "money to a tenth of a kopeck": lambda r: r["ratedProductUsage"][0].update(
        taxIncludedRatingAmount=money("1.501")),
    "no amount": lambda r: r["ratedProductUsage"][0].pop("taxIncludedRatingAmount"),
    "no rated usage": lambda r: r.update(ratedProductUsage=[]),
    "two rated usages": lambda r: r["ratedProductUsage"].append(r["ratedProductUsage"][0]),
    "outside the period": lambda r: r.update(usageDate="2026-10-31T23:59:59Z"),
    "at the period's end": lambda r: r.update(usageDate="2026-12-01T00:00:00Z"),
}


@pytest.mark.parametrize("case", BROKEN_RECORDS)
def test_a_record_the_console_cannot_use_refuses_the_page(case: str) -> None:
    records = [usage_json(0), with_change(BROKEN_RECORDS[case]), usage_json(2)]
    with pytest.raises(OperatorProtocolError, match="unexpected way"):
        list(usage_operator(records).usage_pages(MSISDN, START, END))


def test_records_out_of_order_across_pages_are_refused() -> None:
    records = [usage_json(5), usage_json(6), usage_json(1)]
    with pytest.raises(OperatorProtocolError):
        list(usage_operator(records).usage_pages(MSISDN, START, END, page_size=2))


@pytest.mark.parametrize("headers", [{"X-Total-Count": "many"}, {"X-Total-Count": "-1"},
                                     {"X-Total-Count": "9" * 40}])
def test_a_count_that_is_no_count_is_refused(headers: dict[str, str]) -> None:
    def answer(request: httpx.Request) -> httpx.Response:
        return httpx.Response(200, json=[usage_json(0)], headers=headers)

    with pytest.raises(OperatorProtocolError):
        list(client_for(operator({USAGE: answer})).usage_pages(MSISDN, START, END))


def test_more_records_than_asked_for_or_fewer_than_promised_are_refused() -> None:
    def too_many(request: httpx.Request) -> httpx.Response:
        return httpx.Response(200, json=[usage_json(i) for i in range(3)])

    with pytest.raises(OperatorProtocolError):
        list(client_for(operator({USAGE: too_many})).usage_pages(MSISDN, START, END,
                                                                 page_size=2))

    def promises(request: httpx.Request) -> httpx.Response:
        offset = int(request.url.params["offset"])
        return httpx.Response(200, json=[usage_json(0)] if offset == 0 else [],
                              headers={"X-Total-Count": "5"})

    with pytest.raises(OperatorProtocolError):  # and it does not ask for ever
        list(client_for(operator({USAGE: promises})).usage_pages(MSISDN, START, END))


def test_a_page_size_outside_the_contract_is_a_programming_error() -> None:
    client = usage_operator([])
    for size in (0, 10_001):
        with pytest.raises(ValueError, match="page_size"):
            client.usage_pages(MSISDN, START, END, page_size=size)


def test_one_page_is_read_ahead_and_no_more() -> None:
    """While the caller stores a page the next is being read; a caller that stops (the store
    failed, the clerk cancelled) leaves no reading behind beyond that one page."""
    seen: list[httpx.Request] = []
    pages_read = usage_operator([usage_json(i) for i in range(9)], seen).usage_pages(
        MSISDN, START, END, page_size=3)
    first = next(pages_read)
    assert [r.id[-4:] for r in first] == ["0001", "0002", "0003"]
    pages_read.close()
    assert [r.url.params["offset"] for r in seen if r.url.path == USAGE] == ["0", "3"]


def test_a_refused_page_ahead_is_refused_when_it_is_reached() -> None:
    """The pages before it are the caller's to store; the refusal comes with the next page."""
    records = [usage_json(0), usage_json(1), usage_json(2, usageType="roaming")]
    pages_read = usage_operator(records).usage_pages(MSISDN, START, END, page_size=2)
    assert len(next(pages_read)) == 2
    with pytest.raises(OperatorProtocolError):
        next(pages_read)
