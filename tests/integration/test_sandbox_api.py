"""The real sandbox server on a loopback port, spoken to over HTTP as the console will."""

from __future__ import annotations

import gzip
import json
from collections.abc import Iterator
from datetime import date, timedelta
from decimal import Decimal
from pathlib import Path
from typing import Any

import httpx
import pytest

from sandbox.openapi import OPENAPI_PATH
from sandbox.server import RunningSandbox, start_in_background
from tests.support.pinned import RunningClock

TOKEN = "test-token"
MARIA = "+79161234567"
HEAVY = "+79160000100"
OCTOBER = {"from": "2026-10-01T00:00:00Z", "to": "2026-11-01T00:00:00Z"}


@pytest.fixture(scope="module")
def sandbox(tmp_path_factory: pytest.TempPathFactory) -> Iterator[RunningSandbox]:
    """A world on a clock pinned to 23 November 2026 (then passing as real seconds do), so
    October and the dates below are always past and inside its history."""
    running = start_in_background(tmp_path_factory.mktemp("sandbox") / "sandbox.sqlite3",
                                  2026, TOKEN, real_time=RunningClock().seconds)
    yield running
    running.stop()


@pytest.fixture(scope="module")
def client(sandbox: RunningSandbox) -> Iterator[httpx.Client]:
    with httpx.Client(base_url=sandbox.url, timeout=30,
                      headers={"Authorization": f"Bearer {TOKEN}"}) as c:
        yield c


def assert_error(response: httpx.Response, status: int, code: str) -> str:
    assert response.status_code == status, response.text
    body = response.json()
    assert set(body) == {"error"} and set(body["error"]) == {"code", "message"}
    assert body["error"]["code"] == code
    assert body["error"]["message"]
    return str(body["error"]["message"])


def test_health_needs_no_token(sandbox: RunningSandbox) -> None:
    body = httpx.get(f"{sandbox.url}/health").json()
    assert body["status"] == "ok" and body["seed"] == 2026 and body["now"].endswith("Z")


@pytest.mark.parametrize("headers", [{}, {"Authorization": "Bearer wrong"},
                                     {"Authorization": f"Basic {TOKEN}"},
                                     {"Authorization": TOKEN}])
@pytest.mark.parametrize("path", [f"/v1/subscribers/{MARIA}", "/v1/catalog/tariffs",
                                  "/sandbox/subscribers"])
def test_401_without_the_right_token(sandbox: RunningSandbox, headers: dict[str, str],
                                     path: str) -> None:
    response = httpx.get(sandbox.url + path, headers=headers)
    assert_error(response, 401, "unauthorized")
    assert response.headers["www-authenticate"] == "Bearer"


def test_404_for_an_unknown_number(client: httpx.Client) -> None:
    for path in ("/v1/subscribers/+79990000000", "/v1/subscribers/+79990000000/balance"):
        assert_error(client.get(path), 404, "subscriber_not_found")
    assert_error(client.get("/v1/nothing-here"), 404, "not_found")


def test_subscriber_has_the_contract_shape(client: httpx.Client) -> None:
    response = client.get(f"/v1/subscribers/{MARIA}")
    assert response.status_code == 200
    body = response.json()
    assert set(body) == {"msisdn", "name", "status", "activated_at", "home_region", "tariff",
                         "services", "assistant", "version"}
    assert body["activated_at"].endswith("Z")  # UTC, as every instant on the wire
    assert body["msisdn"] == MARIA and body["name"] == "Иванова Мария Петровна"
    assert body["status"] == "active"
    assert body["home_region"] == {"code": "RU-MOW", "name": "Москва", "name_en": "Moscow",
                                   "timezone": "Europe/Moscow"}
    assert set(body["tariff"]) == {"code", "name", "class", "monthly_fee"}
    assert body["tariff"]["class"] == "mass"
    assert set(body["tariff"]["monthly_fee"]) == {"value", "currency"}
    assert body["assistant"] == {"connected": True}
    assert body["services"] and all(set(s) == {"code", "name", "connected_at"}
                                    for s in body["services"])
    assert "ASSISTANT" not in {s["code"] for s in body["services"]}
    assert isinstance(body["version"], int)
    assert response.headers["etag"] == f'"{body["version"]}"'


@pytest.mark.parametrize(("msisdn", "klass", "status"), [
    ("+79261112233", "corporate", "active"), ("+79031234500", "vip", "active"),
    ("+79171234567", "mass", "blocked"), ("+79121234567", "mass", "active"),
    ("+79181234567", "mass", "active")])
def test_showcase_subscribers(client: httpx.Client, msisdn: str, klass: str,
                              status: str) -> None:
    body = client.get(f"/v1/subscribers/{msisdn}").json()
    assert (body["tariff"]["class"], body["status"]) == (klass, status)
    if klass != "mass":
        assert body["assistant"] == {"connected": False}  # R1


def buckets(client: httpx.Client, msisdn: str, **params: str) -> dict[str, Any]:
    response = client.get(f"/v1/subscribers/{msisdn}/balance", params=params)
    assert response.status_code == 200, response.text
    return dict(response.json())


def test_balance_buckets(client: httpx.Client) -> None:
    body = buckets(client, MARIA)
    kinds = [b["kind"] for b in body["buckets"]]
    assert kinds.count("main") == 1 and kinds.count("bonus") == 1
    assert "promised_payment_debt" not in kinds
    packages = {b["package"]: b for b in body["buckets"] if b["kind"] == "package"}
    assert {p: b["unit"] for p, b in packages.items()} == {"minutes": "min", "sms": "sms",
                                                          "data": "MB"}
    for bucket in packages.values():
        assert 0 <= Decimal(bucket["remaining"]) <= Decimal(bucket["total"])
        assert bucket["expires_at"].endswith("Z")
    main = next(b for b in body["buckets"] if b["kind"] == "main")
    assert main["amount"]["currency"] == "RUB"
    Decimal(main["amount"]["value"])

    debtor = buckets(client, "+79119876543")["buckets"]
    debt = [b for b in debtor if b["kind"] == "promised_payment_debt"]
    assert len(debt) == 1 and Decimal(debt[0]["amount"]["value"]) > 0
    assert debt[0]["due_at"].endswith("Z")


def usage(client: httpx.Client, msisdn: str, **params: Any) -> dict[str, Any]:
    response = client.get(f"/v1/subscribers/{msisdn}/usage", params=params)
    assert response.status_code == 200, response.text
    return dict(response.json())


def all_pages(client: httpx.Client, msisdn: str, **params: Any) -> list[dict[str, Any]]:
    items: list[dict[str, Any]] = []
    cursor = None
    while True:
        page = usage(client, msisdn, **params, **({"cursor": cursor} if cursor else {}))
        assert len(page["items"]) <= params["limit"]
        items += page["items"]
        cursor = page["next_cursor"]
        if cursor is None:
            return items


def test_balance_identity_over_http(client: httpx.Client) -> None:
    t1, t2 = "2026-10-10T08:00:00Z", "2026-11-03T17:45:10Z"
    records = usage(client, "+79119876543", **{"from": t1, "to": t2, "limit": 10000})["items"]
    net = sum(Decimal(r["amount"]["value"]) * (1 if r["type"] == "topup" else -1)
              for r in records)

    def main(at: str) -> Decimal:
        body = buckets(client, "+79119876543", at=at)
        assert body["as_of"] == at
        return Decimal(next(b for b in body["buckets"] if b["kind"] == "main")
                       ["amount"]["value"])

    assert main(t2) == main(t1) + net


def test_usage_pages_are_complete_and_disjoint(client: httpx.Client) -> None:
    whole = usage(client, MARIA, **OCTOBER, limit=10000)
    assert whole["next_cursor"] is None
    items = whole["items"]
    assert len(items) > 100
    keys = [(r["started_at"], r["id"]) for r in items]
    assert keys == sorted(keys)
    assert all(OCTOBER["from"] <= r["started_at"] < OCTOBER["to"] for r in items)

    ascending = all_pages(client, MARIA, **OCTOBER, limit=50)
    assert ascending == items
    descending = all_pages(client, MARIA, **OCTOBER, order="desc", limit=50)
    assert descending == items[::-1]
    assert len({r["id"] for r in descending}) == len(items)


def test_usage_record_shape(client: httpx.Client) -> None:
    items = usage(client, MARIA, **OCTOBER, limit=10000)["items"]
    assert {r["type"] for r in items} == {"call", "sms", "data", "fee", "topup"}
    for r in items:
        assert set(r) == {"id", "started_at", "type", "direction", "counterpart", "duration_s",
                          "volume_kb", "amount", "covered_by_package"}
        assert r["id"].startswith(MARIA + "-2026")
        assert Decimal(r["amount"]["value"]) >= 0
        if r["covered_by_package"] is not None:
            assert r["amount"]["value"] == "0.00"
    assert any(r["covered_by_package"] == "minutes" for r in items)


def test_heavy_month_in_large_gzip_pages(client: httpx.Client) -> None:
    raw = client.get(f"/v1/subscribers/{HEAVY}/usage",
                     params={**OCTOBER, "limit": 10000}, headers={"Accept-Encoding": "gzip"})
    assert raw.headers["content-encoding"] == "gzip"
    page = raw.json()
    assert len(page["items"]) == 10000 and page["next_cursor"]
    total = len(all_pages(client, HEAVY, **OCTOBER, limit=10000))
    assert total >= 100_000


def test_gzip_only_when_asked(sandbox: RunningSandbox) -> None:
    params: dict[str, Any] = {**OCTOBER, "limit": 500}
    url = f"{sandbox.url}/v1/subscribers/{MARIA}/usage"
    auth = {"Authorization": f"Bearer {TOKEN}"}
    with httpx.Client() as plain:
        response = plain.get(url, params=params, headers={**auth, "Accept-Encoding": "identity"})
        assert "content-encoding" not in response.headers
        with plain.stream("GET", url, params=params,
                          headers={**auth, "Accept-Encoding": "gzip"}) as compressed:
            assert compressed.headers["content-encoding"] == "gzip"
            raw = b"".join(compressed.iter_raw())
    assert len(raw) < len(response.content) / 3
    assert json.loads(gzip.decompress(raw)) == response.json()


@pytest.mark.parametrize(("params", "fragment"), [
    ({"from": "2026-11-01T00:00:00Z", "to": "2026-10-01T00:00:00Z"}, "before"),
    ({"from": "2026-13-01T00:00:00Z", "to": "2026-11-01T00:00:00Z"}, "ISO 8601"),
    ({"from": "2026-10-01T00:00:00", "to": "2026-11-01T00:00:00Z"}, "time zone"),
    ({"from": "yesterday", "to": "2026-11-01T00:00:00Z"}, "from"),
    ({"to": "2026-11-01T00:00:00Z"}, "from"),
    ({**OCTOBER, "limit": 0}, "limit"),
    ({**OCTOBER, "limit": 10001}, "limit"),
    ({**OCTOBER, "limit": "many"}, "limit"),
    ({**OCTOBER, "order": "sideways"}, "order"),
    ({**OCTOBER, "cursor": "not-a-cursor"}, "cursor"),
])
def test_bad_usage_parameters(client: httpx.Client, params: dict[str, Any],
                              fragment: str) -> None:
    message = assert_error(client.get(f"/v1/subscribers/{MARIA}/usage", params=params), 400,
                           "bad_request")
    assert fragment in message


def test_cursor_of_another_query_is_refused(client: httpx.Client) -> None:
    cursor = usage(client, MARIA, **OCTOBER, limit=10)["next_cursor"]
    assert cursor
    response = client.get(f"/v1/subscribers/{MARIA}/usage",
                          params={**OCTOBER, "limit": 10, "order": "desc", "cursor": cursor})
    assert "different query" in assert_error(response, 400, "bad_request")


def test_other_bad_requests(client: httpx.Client) -> None:
    assert_error(client.get("/v1/subscribers/89161234567"), 400, "bad_request")
    assert_error(client.get("/v1/subscribers/+7916abc4567/balance"), 400, "bad_request")
    assert_error(client.get(f"/v1/subscribers/{MARIA}/balance",
                            params={"at": "2999-01-01T00:00:00Z"}), 400, "bad_request")
    assert_error(client.get(f"/v1/subscribers/{MARIA}/balance", params={"at": "soon"}), 400,
                 "bad_request")


def test_catalog(client: httpx.Client) -> None:
    tariffs = client.get("/v1/catalog/tariffs").json()["items"]
    assert {t["class"] for t in tariffs} == {"mass", "corporate", "vip"}
    for t in tariffs:
        assert set(t) == {"code", "name", "class", "one_off_fee", "monthly_fee", "available",
                          "description", "fee_rules", "prices", "packages"}
        assert set(t["fee_rules"]) == {"tariff_switch_percent", "service_connection_percent"}
        assert set(t["prices"]) == {"minute", "sms", "mb"}  # what usage costs (estimates)
        assert set(t["packages"]) == {"minutes", "sms", "mb"}
    services = {s["code"]: s for s in client.get("/v1/catalog/services").json()["items"]}
    assistant = services["ASSISTANT"]
    assert assistant["name"] == "Электронный Помощник"
    assert assistant["allowed_classes"] == ["mass"]
    # R5: the trial began 11 days before the world was drawn and runs 30 days.
    drawn = date.fromisoformat(client.get("/sandbox/clock").json()["world_drawn_on"])
    assert assistant["trial"] == {"start": str(drawn - timedelta(days=11)),
                                  "end": str(drawn + timedelta(days=19))}
    assert assistant["one_off_fee"] == assistant["monthly_fee"] == {"value": "0.00",
                                                                   "currency": "RUB"}
    assert any(s["trial"] is None for s in services.values())


def test_demo_subscriber_listing(client: httpx.Client) -> None:
    items = client.get("/sandbox/subscribers").json()["items"]
    assert len(items) >= 240
    by_number = {i["msisdn"]: i for i in items}
    assert [m for m, i in by_number.items() if i["heavy"]] == [HEAVY]
    assert by_number["+79119876543"]["promised_payment_debt"] is True
    assert by_number["+79171234567"]["status"] == "blocked"
    assert by_number[MARIA]["assistant_connected"] is True
    assert all(i["tariff_class"] == "mass" for i in items if i["assistant_connected"])
    assert set(items[0]) == {"msisdn", "name", "tariff_code", "tariff_class", "home_region",
                             "status", "assistant_connected", "promised_payment_debt", "heavy",
                             "document_type", "document_number", "unverified", "representative",
                             "email"}
    # Issue 14: the made-up records a trainee practises the identity check on.
    assert by_number["+79119876543"]["representative"]["document_type"] == "passportRF"
    assert by_number[MARIA]["email"].endswith(".example") and not by_number[MARIA]["unverified"]
    assert 0 < sum(i["unverified"] for i in items) < len(items) // 5
    assert all(i["document_number"] for i in items)


def test_openapi_is_served(sandbox: RunningSandbox) -> None:
    served = httpx.get(f"{sandbox.url}/openapi.json").json()
    assert served == json.loads(OPENAPI_PATH.read_text(encoding="utf-8"))


def test_restart_on_the_same_database_gives_the_same_data(tmp_path: Path) -> None:
    def snapshot() -> list[Any]:
        running = start_in_background(tmp_path / "sandbox.sqlite3", 2026, TOKEN,
                                      real_time=RunningClock().seconds)
        try:
            with httpx.Client(base_url=running.url,
                              headers={"Authorization": f"Bearer {TOKEN}"}) as c:
                return [c.get("/sandbox/subscribers").json(),
                        c.get("/v1/subscribers/+79181234567").json(),
                        c.get("/v1/subscribers/+79181234567/balance",
                              params={"at": "2026-11-20T10:00:00Z"}).json(),
                        c.get("/v1/subscribers/+79181234567/usage",
                              params={**OCTOBER, "limit": 300}).json()]
        finally:
            running.stop()

    first = snapshot()
    assert snapshot() == first
