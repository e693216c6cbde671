"""TMF635 usage over loopback: the world's records (the same as /v1 serves), a heavy month paged
by offset, filters, fields, created entities beside the world, TMF errors — every message held
to the published TMF635 v4 document ($TMF_DOCS, default ../shared/tmf/v4)."""

from __future__ import annotations

import base64
from collections.abc import Iterator
from decimal import Decimal
from typing import Any

import httpx
import pytest

from sandbox import ledger as ledger_module
from sandbox.server import RunningSandbox, start_in_background
from tests.support.pinned import RunningClock
from tests.support.tmf_docs import TmfDocs

TOKEN = "tmf-token"
MARIA, HEAVY = "+79161234567", "+79160000100"
LINE, HEAVY_LINE = "L-79161234567", "L-79160000100"
BASE = "/tmf-api/usageManagement/v4"
OCTOBER = {"usageDate.gte": "2026-10-01T00:00:00Z", "usageDate.lt": "2026-11-01T00:00:00Z"}
TYPES = {"call": "voice", "sms": "sms", "data": "data", "fee": "charge", "topup": "payment"}


@pytest.fixture(scope="module")
def sandbox(tmp_path_factory: pytest.TempPathFactory) -> Iterator[RunningSandbox]:
    """A world pinned to 23 November 2026 (then passing as real seconds do): October is past."""
    running = start_in_background(tmp_path_factory.mktemp("tmf635") / "sandbox.sqlite3", 2026,
                                  TOKEN, real_time=RunningClock().seconds)
    yield running
    running.stop()


@pytest.fixture(scope="module")
def docs() -> TmfDocs:
    return TmfDocs.from_folder()


@pytest.fixture(scope="module")
def api(sandbox: RunningSandbox, docs: TmfDocs) -> Iterator[httpx.Client]:
    with httpx.Client(base_url=f"{sandbox.url}{BASE}", timeout=60, event_hooks=docs.hooks(),
                      headers={"Authorization": f"Bearer {TOKEN}"}) as client:
        yield client


@pytest.fixture(scope="module")
def raw(sandbox: RunningSandbox) -> Iterator[httpx.Client]:
    """For requests off the document on purpose (a body that is not an object, a method or a
    path it has no operation for, a merge patch's null): not held to it."""
    with httpx.Client(base_url=f"{sandbox.url}{BASE}", timeout=60,
                      headers={"Authorization": f"Bearer {TOKEN}"}) as client:
        yield client


def ok(response: httpx.Response, status: int = 200) -> Any:
    assert response.status_code == status, response.text
    return response.json() if response.content else None


def tmf_error(response: httpx.Response, status: int, code: str) -> dict[str, Any]:
    assert response.status_code == status, response.text
    body: dict[str, Any] = response.json()
    assert body["code"] == code and body["status"] == str(status)
    assert body["@type"] == "Error" and body["reason"] and body["message"]
    return body


def characteristic(usage: dict[str, Any], name: str) -> Any:
    return next((c["value"] for c in usage["usageCharacteristic"] if c["name"] == name), None)


def test_a_lines_month_is_the_same_as_the_v1_records(sandbox: RunningSandbox,
                                                     api: httpx.Client) -> None:
    answer = api.get("/usage", params={"ratedProductUsage.productRef.id": LINE, **OCTOBER,
                                       "limit": 10_000})
    usage = ok(answer)
    v1 = httpx.get(f"{sandbox.url}/v1/subscribers/{MARIA}/usage", timeout=60,
                   params={"from": OCTOBER["usageDate.gte"], "to": OCTOBER["usageDate.lt"],
                           "limit": 10_000},
                   headers={"Authorization": f"Bearer {TOKEN}"}).json()["items"]
    assert int(answer.headers["X-Total-Count"]) == len(usage) == len(v1) > 500
    assert answer.headers["X-Result-Count"] == str(len(usage))
    for tmf, record in zip(usage, v1, strict=True):
        assert tmf["id"] == "U-" + record["id"].removeprefix("+")
        assert tmf["href"] == f"{sandbox.url}{BASE}/usage/{tmf['id']}"
        assert tmf["@type"] == "Usage" and tmf["usageDate"] == record["started_at"]
        assert tmf["usageType"] == TYPES[record["type"]]
        assert tmf["usageSpecification"]["id"] == tmf["usageType"]
        rated = tmf["ratedProductUsage"][0]
        assert rated["productRef"]["id"] == LINE
        assert Decimal(str(rated["taxIncludedRatingAmount"]["value"])) == Decimal(
            record["amount"]["value"]) and rated["taxIncludedRatingAmount"]["unit"] == "RUB"
        assert characteristic(tmf, "counterpart") == record["counterpart"]
        assert characteristic(tmf, "direction") == record["direction"]
        assert characteristic(tmf, "duration") == record["duration_s"]
        assert characteristic(tmf, "volume") == record["volume_kb"]
        assert characteristic(tmf, "coveredBy") == record["covered_by_package"]
        assert (rated["usageRatingTag"] == "included usage") == bool(
            record["covered_by_package"])


def test_a_heavy_month_pages_by_offset_without_making_the_month(
        api: httpx.Client, raw: httpx.Client, monkeypatch: pytest.MonkeyPatch) -> None:
    month = {"ratedProductUsage.productRef.id": HEAVY_LINE, **OCTOBER}
    # The two big pages are not held to the document record by record (the small ones are).
    first = raw.get("/usage", params={**month, "limit": 10_000})
    total = int(first.headers["X-Total-Count"])
    assert total >= 100_000 and len(ok(first)) == 10_000
    second = ok(raw.get("/usage", params={**month, "offset": 10_000, "limit": 10_000}))
    made: list[object] = []
    original = ledger_module.generate_day

    def counted(*args: Any) -> Any:
        made.append(args[2])
        return original(*args)

    monkeypatch.setattr(ledger_module, "generate_day", counted)
    middle = api.get("/usage", params={**month, "offset": total // 2, "limit": 1000})
    assert len(ok(middle)) == 1000 and middle.headers["X-Total-Count"] == str(total)
    assert len(made) <= 4, f"a 1,000-record page of a {total}-record month made {len(made)} days"
    last = ok(api.get("/usage", params={**month, "offset": total - 5, "limit": 100}))
    assert len(last) == 5
    dates = [u["usageDate"] for u in (*ok(first), *second)]
    assert dates == sorted(dates) and dates[0] >= "2026-10-01" and last[-1]["usageDate"] < (
        "2026-11-01")
    assert len({u["id"] for u in (*ok(first), *second)}) == 20_000


def test_filters_fields_and_one_record(api: httpx.Client) -> None:
    day = {"ratedProductUsage.productRef.id": LINE, "usageDate.gte": "2026-10-14T00:00:00Z",
           "usageDate.lt": "2026-10-15T00:00:00Z"}
    all_of_day = ok(api.get("/usage", params=day))
    voice = ok(api.get("/usage", params={**day, "usageType": "voice"}))
    sms_or_data = ok(api.get("/usage", params={**day, "usageType": "sms,data"}))
    assert {u["usageType"] for u in voice} == {"voice"}
    assert len(voice) == sum(u["usageType"] == "voice" for u in all_of_day)
    assert len(sms_or_data) == sum(u["usageType"] in ("sms", "data") for u in all_of_day)
    outgoing = ok(api.get("/usage", params={**day, "usageCharacteristic.value": "out"}))
    assert outgoing and all(characteristic(u, "direction") == "out" for u in outgoing)

    record = all_of_day[3]
    at = record["usageDate"]
    for op, included in (("gte", True), ("gt", False), ("lte", True), ("lt", False)):
        ids = {u["id"] for u in ok(api.get("/usage", params={
            "ratedProductUsage.productRef.id": LINE, f"usageDate.{op}": at,
            **({"usageDate.gte": "2026-10-14T00:00:00Z"} if op.startswith("l") else
               {"usageDate.lt": "2026-10-15T00:00:00Z"})}))}
        assert (record["id"] in ids) is included, op

    assert ok(api.get(f"/usage/{record['id']}")) == record
    assert ok(api.get("/usage", params={"id": record["id"]})) == [record]
    assert ok(api.get(f"/usage/{record['id']}", params={"fields": "usageDate"})) == {
        "id": record["id"], "href": record["href"], "@type": "Usage", "usageDate": at}
    slim = ok(api.get("/usage", params={**day, "fields": "ratedProductUsage.productRef",
                                        "limit": 2}))
    assert slim[0]["ratedProductUsage"] == [{"productRef": record["ratedProductUsage"][0][
        "productRef"]}]
    for missing in ("U-79161234567-20261014-9999", "U-79161234567-20991014-0001",
                    "U-70000000000-20261014-0001", "anything"):
        tmf_error(api.get(f"/usage/{missing}"), 404, "not_found")


def test_created_usage_lives_beside_the_world(sandbox: RunningSandbox, api: httpx.Client,
                                              raw: httpx.Client) -> None:
    # The voice calls of every line in one past hour, and two created ones of that hour.
    hour = {"usageSpecification.id": "voice", "usageDate.gte": "2026-10-14T09:00:00Z",
            "usageDate.lt": "2026-10-14T10:00:00Z"}
    world_total = int(api.get("/usage", params={**hour, "limit": 0}).headers["X-Total-Count"])
    assert world_total > 0
    created = []
    for n in range(2):
        answer = api.post("/usage", json={"usageSpecification": {"id": "voice"},
                                          "usageDate": f"2026-10-14T09:0{n}:00Z",
                                          "description": f"created {n}", "usageType": "voice"})
        body = ok(answer, 201)
        assert answer.headers["Location"] == body["href"] == (
            f"{sandbox.url}{BASE}/usage/{body['id']}")
        assert body["@type"] == "Usage" and body["description"] == f"created {n}"
        created.append(body)
    listing = api.get("/usage", params={**hour, "limit": 3})
    assert int(listing.headers["X-Total-Count"]) == world_total + 2
    assert ok(listing)[:2] == created and ok(listing)[2]["id"].startswith("U-")
    assert ok(api.get("/usage", params={**hour, "offset": 1, "limit": 1})) == created[1:]
    assert ok(api.get("/usage", params={**hour, "offset": 2, "limit": 1})) == ok(listing)[2:]
    assert ok(api.get("/usage", params={**hour, "description": "created 1"})) == created[1:]

    # A merge patch's null removes (RFC 7386), though the document types description a string.
    patched = ok(raw.patch(f"/usage/{created[0]['id']}", json={"description": None,
                                                               "status": "rated"},
                           headers={"Content-Type": "application/merge-patch+json"}))
    assert "description" not in patched and patched["status"] == "rated"
    assert ok(api.get(f"/usage/{created[0]['id']}")) == patched
    tmf_error(api.patch(f"/usage/{created[0]['id']}", json={"id": "mine"}), 400,
              "bad_request")
    assert api.delete(f"/usage/{created[0]['id']}").status_code == 204
    tmf_error(api.get(f"/usage/{created[0]['id']}"), 404, "not_found")
    tmf_error(api.delete(f"/usage/{created[0]['id']}"), 404, "not_found")
    tmf_error(api.patch("/usage/nothing", json={}), 404, "not_found")


def test_the_worlds_usage_is_read_only_and_never_claimed(api: httpx.Client) -> None:
    world = ok(api.get("/usage", params={"ratedProductUsage.productRef.id": LINE,
                                         "limit": 1}))[0]
    refused = api.patch(f"/usage/{world['id']}", json={"description": "x"})
    tmf_error(refused, 405, "read_only")
    assert refused.headers["Allow"] == "GET"
    tmf_error(api.delete(f"/usage/{world['id']}"), 405, "read_only")
    assert ok(api.get(f"/usage/{world['id']}")) == world
    claim = {"usageSpecification": {"id": "voice"},
             "ratedProductUsage": [{"productRef": {"id": LINE}}]}
    tmf_error(api.post("/usage", json=claim), 422, "world_line")


def test_usage_specifications(sandbox: RunningSandbox, api: httpx.Client) -> None:
    specs = ok(api.get("/usageSpecification"))
    assert [s["id"] for s in specs] == ["voice", "sms", "data", "charge", "payment"]
    voice = ok(api.get("/usageSpecification/voice"))
    assert voice["name"] == "Voice call" and {c["name"] for c in voice["specCharacteristic"]} \
        >= {"direction", "counterpart", "duration", "coveredBy"}
    made = ok(api.post("/usageSpecification", json={"name": "Roaming"}), 201)
    assert ok(api.get("/usageSpecification", params={"name": "Roaming"})) == [made]
    tmf_error(api.delete("/usageSpecification/voice"), 405, "read_only")
    assert api.delete(f"/usageSpecification/{made['id']}").status_code == 204


def test_errors_are_tmfs_and_basic_carries_the_token_too(sandbox: RunningSandbox,
                                                         api: httpx.Client,
                                                         raw: httpx.Client) -> None:
    tmf_error(api.get("/usage", headers={"Authorization": ""}), 401, "unauthorized")
    tmf_error(api.get("/usage", headers={"Authorization": "Bearer wrong"}), 401,
              "unauthorized")
    basic = base64.b64encode(f"ctk:{TOKEN}".encode()).decode()
    assert api.get("/usageSpecification",
                   headers={"Authorization": f"Basic {basic}"}).status_code == 200
    wrong = base64.b64encode(b"ctk:nope").decode()
    tmf_error(api.get("/usage", headers={"Authorization": f"Basic {wrong}"}), 401,
              "unauthorized")
    with_userinfo = httpx.get(f"http://ctk:{TOKEN}@{sandbox.url.removeprefix('http://')}"
                              f"{BASE}/usageSpecification", timeout=30)
    assert with_userinfo.status_code == 200
    tmf_error(api.get("/usage", params={"limit": "many"}), 400, "bad_request")
    tmf_error(api.get("/usage", params={"usageDate.gte": "yesterday"}), 400, "bad_request")
    too_long = tmf_error(api.get("/usage", params={"usageType": "voice"}), 400, "bad_request")
    assert "narrow it" in too_long["message"]
    tmf_error(raw.post("/usage", json=["not", "an", "object"]), 400, "bad_request")
    tmf_error(raw.get("/nothing"), 404, "not_found")
    tmf_error(raw.put("/usage/x", json={}), 405, "method_not_allowed")


def test_every_message_was_as_the_published_document_says(docs: TmfDocs) -> None:
    """Last in the module: what the others sent and received."""
    assert docs.checked > 40
    assert docs.deviations == [], "\n".join(docs.deviations)
