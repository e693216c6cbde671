"""TMF620 over loopback: the world's tariffs and services as product offerings with their prices,
the same catalog /v1 serves (one source: sandbox/catalog.py) — classes, packages, availability,
the trial (R5) and the fee shares that make /v1's preview fees (R4) — refs that resolve, and
created entities beside the catalog; every message held to the published TMF620 v4 document
($TMF_DOCS, default ../shared/tmf/v4)."""

from __future__ import annotations

import json
from collections.abc import Iterator
from decimal import ROUND_FLOOR, Decimal
from typing import Any

import httpx
import pytest

from sandbox.server import RunningSandbox, start_in_background
from tests.support.pinned import RunningClock
from tests.support.tmf_docs import TmfDocs

TOKEN = "tmf-token"
BASE = "/tmf-api/productCatalogManagement/v4"
MARIA, TKACHENKO, HEAVY = "+79161234567", "+79181234567", "+79160000100"  # SMART, ONLINE, S_PLUS
Json = dict[str, Any]
TARIFFS = ("BASIC", "SMART", "SMART_PLUS", "ONLINE", "CLASSIC", "BIZ_START", "BIZ_MAX", "PREMIUM",
           "PLATINUM")


@pytest.fixture(scope="module")
def sandbox(tmp_path_factory: pytest.TempPathFactory) -> Iterator[RunningSandbox]:
    running = start_in_background(tmp_path_factory.mktemp("tmf620") / "sandbox.sqlite3", 2026,
                                  TOKEN, real_time=RunningClock().seconds)
    yield running
    running.stop()


@pytest.fixture(scope="module")
def docs() -> TmfDocs:
    return TmfDocs.from_folder()


@pytest.fixture(scope="module")
def api(sandbox: RunningSandbox, docs: TmfDocs) -> Iterator[httpx.Client]:
    with httpx.Client(base_url=f"{sandbox.url}{BASE}", timeout=30, event_hooks=docs.hooks(),
                      headers={"Authorization": f"Bearer {TOKEN}"}) as client:
        yield client


def v1(sandbox: RunningSandbox, path: str, **params: str) -> Any:
    answer = httpx.get(f"{sandbox.url}{path}", params=params, timeout=30,
                       headers={"Authorization": f"Bearer {TOKEN}"})
    assert answer.status_code == 200, answer.text
    return answer.json()


def ok(response: httpx.Response, status: int = 200) -> Any:
    """The body, numbers read as Decimal from their text (as the console reads money)."""
    assert response.status_code == status, response.text
    return json.loads(response.text, parse_float=Decimal) if response.content else None


def rub(v1_money: Json) -> Decimal:
    assert v1_money["currency"] == "RUB"
    return Decimal(v1_money["value"])


def money(tmf_money: Json) -> Decimal:
    assert tmf_money["unit"] == "RUB"
    return Decimal(tmf_money["value"])


def uses(offering: Json) -> dict[str, list[Any]]:
    return {use["name"]: [v["value"] for v in use["productSpecCharacteristicValue"]]
            for use in offering["prodSpecCharValueUse"]}


def prices_of(api: httpx.Client, offering: Json) -> dict[str, Json]:
    """The offering's prices by kind (the part of the id after the offering's)."""
    found = {}
    for ref in offering["productOfferingPrice"]:
        price = ok(api.get(ref["href"]))
        assert price["id"] == ref["id"] and price["name"] == ref["name"]
        found[ref["id"].removeprefix(f"pop-{offering['id']}-")] = price
    return found


def test_every_tariff_is_an_offering_with_the_catalogs_prices(sandbox: RunningSandbox,
                                                              api: httpx.Client) -> None:
    tariffs = v1(sandbox, "/v1/catalog/tariffs")["items"]
    answer = api.get("/productOffering", params={"category.id": "tariff"})
    offerings = ok(answer)
    assert answer.headers["X-Total-Count"] == str(len(tariffs)) == "9"
    assert [o["id"] for o in offerings] == [f"tariff-{t['code']}" for t in tariffs]
    for tariff, offering in zip(tariffs, offerings, strict=True):
        assert offering["name"] == tariff["name"]
        assert offering["description"] == tariff["description"]
        assert offering["lifecycleStatus"] == ("Launched" if tariff["available"] else "Retired")
        assert [c["id"] for c in offering["category"]] == ["tariff"]
        assert offering["productSpecification"]["id"] == "spec-tariff"
        assert "productOfferingTerm" not in offering
        assert uses(offering) == {"tariffClass": [tariff["class"]],
                                  "packageMinutes": [tariff["packages"]["minutes"]],
                                  "packageSms": [tariff["packages"]["sms"]],
                                  "packageMb": [tariff["packages"]["mb"]]}
        prices = prices_of(api, offering)
        assert set(prices) == {"oneTime", "recurring", "usage-min", "usage-sms", "usage-mb",
                               "switchFeeShare", "connectionFeeShare"}
        assert prices["oneTime"]["priceType"] == "oneTime"
        assert money(prices["oneTime"]["price"]) == rub(tariff["one_off_fee"])
        recurring = prices["recurring"]
        assert (recurring["priceType"], recurring["recurringChargePeriodType"],
                recurring["recurringChargePeriodLength"]) == ("recurring", "month", 1)
        assert money(recurring["price"]) == rub(tariff["monthly_fee"])
        for kind, unit, v1_name in (("usage-min", "min", "minute"), ("usage-sms", "SMS", "sms"),
                                    ("usage-mb", "MB", "mb")):
            assert prices[kind]["priceType"] == "usage"
            assert prices[kind]["unitOfMeasure"] == {"amount": 1, "units": unit}
            assert money(prices[kind]["price"]) == rub(tariff["prices"][v1_name])
        for kind, rule in (("switchFeeShare", "tariff_switch_percent"),
                           ("connectionFeeShare", "service_connection_percent")):
            assert prices[kind]["name"] == kind and prices[kind]["priceType"] == "oneTime"
            assert prices[kind]["percentage"] == tariff["fee_rules"][rule]
            assert "price" not in prices[kind]
        assert {p["lifecycleStatus"] for p in prices.values()} == {offering["lifecycleStatus"]}


def test_every_service_is_an_offering_with_its_classes_trial_and_prices(
        sandbox: RunningSandbox, api: httpx.Client) -> None:
    services = v1(sandbox, "/v1/catalog/services")["items"]
    offerings = ok(api.get("/productOffering", params={"category.id": "service"}))
    assert [o["id"] for o in offerings] == [f"service-{s['code']}" for s in services]
    trials = 0
    for service, offering in zip(services, offerings, strict=True):
        assert offering["name"] == service["name"]
        assert offering["lifecycleStatus"] == ("Launched" if service["available"]
                                               else "Retired")
        assert offering["productSpecification"]["id"] == "spec-service"
        assert uses(offering) == {"tariffClass": service["allowed_classes"]}
        if service["trial"] is None:
            assert "productOfferingTerm" not in offering
        else:  # R5: the same calendar days, read as the UTC dates of the two instants
            trials += 1
            (term,) = offering["productOfferingTerm"]
            assert term["name"] == "trial"
            assert term["validFor"] == {
                "startDateTime": f"{service['trial']['start']}T00:00:00Z",
                "endDateTime": f"{service['trial']['end']}T23:59:59Z"}
        prices = prices_of(api, offering)
        assert set(prices) == {"oneTime", "recurring"}
        assert money(prices["oneTime"]["price"]) == rub(service["one_off_fee"])
        assert money(prices["recurring"]["price"]) == rub(service["monthly_fee"])
    assert trials == 1  # the Assistant


def test_the_fee_shares_make_the_fees_v1_previews(sandbox: RunningSandbox,
                                                  api: httpx.Client) -> None:
    """R4 from the catalog alone: the list price times the share of the subscriber's tariff,
    rounded down to the kopeck, is the fee the operator quotes."""
    def share(tariff: str, kind: str) -> Decimal:
        return Decimal(ok(api.get(f"/productOfferingPrice/pop-tariff-{tariff}-{kind}"))[
            "percentage"])

    def list_price(offering: str) -> Decimal:
        return money(ok(api.get(f"/productOfferingPrice/pop-{offering}-oneTime"))["price"])

    def fee(price: Decimal, percent: Decimal) -> Decimal:
        return (price * percent / 100).quantize(Decimal("0.01"), rounding=ROUND_FLOOR)

    for msisdn, tariff, target in ((MARIA, "SMART", "SMART_PLUS"),
                                   (TKACHENKO, "ONLINE", "SMART_PLUS"),
                                   (MARIA, "SMART", "PLATINUM")):
        quoted = v1(sandbox, "/v1/orders/preview", msisdn=msisdn, action="change_tariff",
                    tariff_code=target)
        assert rub(quoted["fee"]) == fee(list_price(f"tariff-{target}"),
                                         share(tariff, "switchFeeShare"))
    for msisdn, tariff in ((MARIA, "SMART"), (HEAVY, "SMART_PLUS")):
        quoted = v1(sandbox, "/v1/orders/preview", msisdn=msisdn, action="add_service",
                    service_code="ANTI_AON")
        assert rub(quoted["fee"]) == fee(list_price("service-ANTI_AON"),
                                         share(tariff, "connectionFeeShare")) > 0
    assert share("ONLINE", "switchFeeShare") == 50
    assert share("SMART_PLUS", "connectionFeeShare") == 50


def test_filters_and_refs(api: httpx.Client) -> None:
    retired = ok(api.get("/productOffering", params={"lifecycleStatus": "Retired",
                                                     "fields": "name"}))
    assert [o["id"] for o in retired] == ["tariff-CLASSIC", "service-SMS_INFO"]
    assert set(retired[0]) == {"id", "href", "@type", "name"}
    usage = ok(api.get("/productOfferingPrice", params={"priceType": "usage",
                                                        "unitOfMeasure.units": "MB"}))
    assert [p["id"] for p in usage] == [f"pop-tariff-{code}-usage-mb" for code in TARIFFS]
    shares = ok(api.get("/productOfferingPrice", params={"name": "switchFeeShare",
                                                         "percentage.lt": "100"}))
    assert {p["id"] for p in shares} == {
        f"pop-tariff-{code}-switchFeeShare"
        for code in ("ONLINE", "CLASSIC", "PREMIUM", "PLATINUM")}
    offering = ok(api.get("/productOffering/tariff-SMART"))
    spec = ok(api.get(offering["productSpecification"]["href"]))
    assert spec["id"] == "spec-tariff" and spec["lifecycleStatus"] == "Active"
    assert [c["name"] for c in spec["productSpecCharacteristic"]] == [
        "tariffClass", "packageMinutes", "packageSms", "packageMb"]
    category = ok(api.get(offering["category"][0]["href"]))
    assert "tariff-SMART" in [o["id"] for o in category["productOffering"]]
    (catalog,) = ok(api.get("/catalog"))
    assert [c["id"] for c in catalog["category"]] == ["tariff", "service", "document"]
    for ref in catalog["category"]:
        assert ok(api.get(ref["href"]))["name"] == ref["name"]


def test_the_paper_detalization_has_a_category_of_its_own(api: httpx.Client) -> None:
    """R11: the offering pick-up orders name, free (R8), in the category `document`: the
    tariffs' and the services' lists do not show it."""
    paper = ok(api.get("/productOffering/paper-detalization"))
    assert [c["id"] for c in paper["category"]] == ["document"]
    assert paper["lifecycleStatus"] == "Launched"
    (price_ref,) = paper["productOfferingPrice"]
    price = ok(api.get(price_ref["href"]))
    assert (price["priceType"], price["price"]) == ("oneTime", {"unit": "RUB", "value": 0.0})
    spec = ok(api.get(paper["productSpecification"]["href"]))
    assert [c["name"] for c in spec["productSpecCharacteristic"]] == ["periodStart",
                                                                     "periodEnd"]
    assert [o["id"] for o in ok(api.get("/productOffering", params={
        "category.id": "document"}))] == ["paper-detalization"]
    for kind in ("tariff", "service"):
        listed = ok(api.get("/productOffering", params={"category.id": kind, "limit": 1000}))
        assert all(o["id"].startswith(f"{kind}-") for o in listed)


def test_created_entities_live_beside_the_catalog(sandbox: RunningSandbox,
                                                  api: httpx.Client) -> None:
    before = v1(sandbox, "/v1/catalog/tariffs")
    answer = api.post("/productOffering", json={"name": "Смарт", "lifecycleStatus": "Launched",
                                                "category": [{"id": "tariff"}]})
    made = ok(answer, 201)
    assert answer.headers["Location"] == made["href"]
    assert made["lastUpdate"].endswith("Z") and made["lifecycleStatus"] == "Launched"
    listed = ok(api.get("/productOffering", params={"category.id": "tariff"}))
    assert listed[0] == made and len(listed) == 10
    assert ok(api.post("/productSpecification", json={"name": "x"}), 201)[
        "lifecycleStatus"] == "In study"
    changed = ok(api.patch(f"/productOffering/{made['id']}", json={"name": "Смарт 2"}))
    assert changed["name"] == "Смарт 2"
    assert api.patch("/productOffering/tariff-SMART", json={"name": "x"}).status_code == 405
    assert api.delete("/productOfferingPrice/pop-tariff-SMART-recurring").status_code == 405
    assert api.delete(f"/productOffering/{made['id']}").status_code == 204
    assert v1(sandbox, "/v1/catalog/tariffs") == before
    assert ok(api.get("/productOffering/tariff-SMART"))["name"] == "Смарт"
    assert api.get("/productOffering/tariff-NOPE").status_code == 404


def test_every_message_was_as_the_published_document_says(docs: TmfDocs) -> None:
    """Last in the module: what the others sent and received."""
    assert docs.checked > 100
    assert docs.deviations == [], "\n".join(docs.deviations)
