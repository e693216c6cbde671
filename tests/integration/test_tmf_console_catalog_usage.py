"""The console's catalog and usage calls against the real sandbox over loopback, on TMF620 and
TMF635: the same domain objects as the old `/v1` contract gave, and every request the console
sends and every answer it reads held to the published v4 documents ($TMF_DOCS, default
../shared/tmf/v4)."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, date, datetime
from decimal import Decimal
from typing import Any

import httpx
import pytest

from app.operator_api.client import OperatorClient
from models.domain import (
    CatalogService,
    CatalogTariff,
    Money,
    PackageKind,
    PackageSizes,
    TariffClass,
    TrialPeriod,
    UnitPrices,
    UsageKind,
    UsageRecord,
)
from sandbox.server import RunningSandbox, start_in_background
from tests.support.pinned import RunningClock
from tests.support.tmf_docs import TmfDocs

TOKEN = "tmf-token"
MARIA = "+79161234567"
# October 2026 in Moscow (UTC+3), a month the pinned world has passed.
START, END = datetime(2026, 9, 30, 21, tzinfo=UTC), datetime(2026, 10, 31, 21, tzinfo=UTC)


@pytest.fixture(scope="module")
def sandbox(tmp_path_factory: pytest.TempPathFactory) -> Iterator[RunningSandbox]:
    running = start_in_background(tmp_path_factory.mktemp("tmf-console") / "world.db", 2026,
                                  TOKEN, real_time=RunningClock().seconds)
    yield running
    running.stop()


@pytest.fixture
def docs() -> TmfDocs:
    return TmfDocs.from_folder()


@pytest.fixture
def console(sandbox: RunningSandbox, docs: TmfDocs) -> Iterator[OperatorClient]:
    client = OperatorClient(sandbox.url, TOKEN, clock=RunningClock(), read_timeout=60,
                            deadline=120, transport=docs.transport())
    yield client
    client.close()


@pytest.fixture(scope="module")
def v1(sandbox: RunningSandbox) -> Iterator[httpx.Client]:
    with httpx.Client(base_url=sandbox.url, timeout=60,
                      headers={"Authorization": f"Bearer {TOKEN}"}) as client:
        yield client


# The old contract's answers read here by hand (not by the console's old wire models, which
# go once nothing else uses them).

def money(value: dict[str, str]) -> Money:
    return Money(Decimal(value["value"]), value["currency"])


def v1_tariff(t: dict[str, Any]) -> CatalogTariff:
    p, k = t["prices"], t["packages"]
    return CatalogTariff(t["code"], t["name"], TariffClass(t["class"]), money(t["one_off_fee"]),
                         money(t["monthly_fee"]), t["available"],
                         UnitPrices(money(p["minute"]), money(p["sms"]), money(p["mb"])),
                         PackageSizes(k["minutes"], k["sms"], k["mb"]))


def v1_service(s: dict[str, Any]) -> CatalogService:
    trial = s["trial"] and TrialPeriod(date.fromisoformat(s["trial"]["start"]),
                                       date.fromisoformat(s["trial"]["end"]))
    return CatalogService(s["code"], s["name"], money(s["one_off_fee"]),
                          money(s["monthly_fee"]), tuple(TariffClass(c) for c in
                                                         s["allowed_classes"]),
                          trial or None, s["available"])


def v1_usage(v1: httpx.Client, msisdn: str) -> list[UsageRecord]:
    """The records as /v1 gave them, with the TMF635 id of each (`U-` + the number's digits)."""
    records, cursor = [], None
    while True:
        params = {"from": "2026-09-30T21:00:00Z", "to": "2026-10-31T21:00:00Z",
                  "limit": 10_000, **({"cursor": cursor} if cursor else {})}
        page = v1.get(f"/v1/subscribers/{msisdn}/usage", params=params).json()
        records += [UsageRecord(
            "U-" + r["id"].removeprefix("+"), datetime.fromisoformat(r["started_at"]),
            UsageKind(r["type"]), r["direction"], r["counterpart"], r["duration_s"],
            r["volume_kb"], Decimal(r["amount"]["value"]),
            r["covered_by_package"] and PackageKind(r["covered_by_package"]))
            for r in page["items"]]
        if not page["next_cursor"]:
            return records
        cursor = page["next_cursor"]


def test_the_catalog_is_the_one_v1_gave(console: OperatorClient, docs: TmfDocs,
                                        v1: httpx.Client) -> None:
    tariffs, services = console.tariffs(), console.services()
    old = v1.get("/v1/catalog/tariffs").json()["items"]
    assert tariffs == [v1_tariff(t) for t in old]
    # and written as before, to the kopeck (`salon tariffs --json` prints the Decimal's text)
    assert [(str(t.one_off_fee.amount), str(t.monthly_fee.amount)) for t in tariffs] == [
        (t["one_off_fee"]["value"], t["monthly_fee"]["value"]) for t in old]
    assert services == [v1_service(s) for s in v1.get("/v1/catalog/services").json()["items"]]
    assert any(not t.available for t in tariffs) and any(s.trial for s in services)
    assert docs.deviations == [] and docs.checked == 4  # two lists, each with its prices


def test_a_month_of_usage_is_the_records_v1_gave(console: OperatorClient, docs: TmfDocs,
                                                 v1: httpx.Client) -> None:
    """Paged by offset (pages of 200), every record the same but for its id (TMF635's own)."""
    pages = list(console.usage_pages(MARIA, START, END, page_size=200))
    records = [r for page in pages for r in page]
    old = v1_usage(v1, MARIA)
    assert len(old) > 500 and len(pages) == -(-len(old) // 200)
    assert records == old
    assert [str(r.amount) for r in records] == [str(r.amount) for r in old]
    assert {r.kind.value for r in records} >= {"call", "sms", "data", "fee"}
    assert docs.deviations == [] and docs.checked == len(pages) + 1  # and the line lookup


def test_newest_first_is_the_same_records_reversed(console: OperatorClient,
                                                   docs: TmfDocs) -> None:
    oldest = [r for page in console.usage_pages(MARIA, START, END, page_size=300) for r in page]
    newest = list(console.usage_pages(MARIA, START, END, order="desc", page_size=300))
    assert [r for page in newest for r in page] == oldest[::-1]
    assert all(len(page) == 300 for page in newest[:-1])
    assert docs.deviations == []
