"""TMF654 prepay balance over loopback: every line's buckets are exactly its /v1 balance (the
same ledger, the same instant), before and after the clock moves and an order charges a fee;
filters and fields on world buckets; created buckets and balance actions kept beside the world,
never applied and never naming a world line — every message held to the published TMF654 v4
document ($TMF_DOCS, default ../shared/tmf/v4).

The sandbox's clock stands still here (its real time is pinned), so a /v1 balance and the
buckets asked for one after the other are of the same instant."""

from __future__ import annotations

import json
import uuid
from collections.abc import Iterator
from decimal import Decimal
from typing import Any

import httpx
import pytest

from sandbox.server import RunningSandbox, start_in_background
from tests.support.pinned import PINNED
from tests.support.tmf_docs import TmfDocs

TOKEN = "tmf-token"
MARIA, SMIRNOV, KHABIBULLIN = "+79161234567", "+79119876543", "+79171234567"
LINE = "L-79161234567"
BASE = "/tmf-api/prepayBalanceManagement/v4"
UNITS = {"min": "min", "sms": "SMS", "MB": "MB"}
USAGE_TYPES = {"minutes": "voice", "sms": "sms", "data": "data"}


@pytest.fixture(scope="module")
def sandbox(tmp_path_factory: pytest.TempPathFactory) -> Iterator[RunningSandbox]:
    frozen = PINNED.timestamp()
    running = start_in_background(tmp_path_factory.mktemp("tmf654") / "sandbox.sqlite3", 2026,
                                  TOKEN, real_time=lambda: frozen)
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
    """For requests the published document has no operation for (PATCH of a bucket)."""
    with httpx.Client(base_url=f"{sandbox.url}{BASE}", timeout=60,
                      headers={"Authorization": f"Bearer {TOKEN}"}) as client:
        yield client


@pytest.fixture(scope="module")
def v1(sandbox: RunningSandbox) -> Iterator[httpx.Client]:
    with httpx.Client(base_url=sandbox.url, timeout=60,
                      headers={"Authorization": f"Bearer {TOKEN}"}) as client:
        yield client


def ok(response: httpx.Response, status: int = 200) -> Any:
    assert response.status_code == status, response.text
    # Amounts as the console reads them: the JSON number's text as a Decimal, never a float.
    return json.loads(response.text, parse_float=Decimal) if response.content else None


def tmf_error(response: httpx.Response, status: int, code: str) -> dict[str, Any]:
    assert response.status_code == status, response.text
    body: dict[str, Any] = response.json()
    assert body["code"] == code and body["status"] == str(status) and body["@type"] == "Error"
    return body


def as_tmf(balance: dict[str, Any]) -> list[dict[str, Any]]:
    """What the mapping says the /v1 balance's buckets are on TMF654 (name, usageType, amounts,
    units, expiry), in the /v1 order."""
    expected = []
    for bucket in balance["buckets"]:
        kind = bucket["kind"]
        if kind in ("main", "bonus", "promised_payment_debt"):
            name = "promisedPaymentDebt" if kind == "promised_payment_debt" else kind
            item: dict[str, Any] = {
                "name": name, "usageType": "monetary", "@type": "Bucket",
                "remainingValue": {"amount": Decimal(bucket["amount"]["value"]),
                                   "units": "RUB"}}
            if "due_at" in bucket:
                item["validFor"] = {"endDateTime": bucket["due_at"]}
        else:
            units = UNITS[bucket["unit"]]
            item = {"name": bucket["package"], "usageType": USAGE_TYPES[bucket["package"]],
                    "@type": "SalonPackageBucket",
                    "remainingValue": {"amount": int(bucket["remaining"]), "units": units},
                    "totalValue": {"amount": int(bucket["total"]), "units": units},
                    "validFor": {"endDateTime": bucket["expires_at"]}}
        expected.append(item)
    return expected


def the_same(tmf: list[dict[str, Any]], balance: dict[str, Any], sandbox: RunningSandbox) -> None:
    line = "L-" + balance["msisdn"].removeprefix("+")
    expected = as_tmf(balance)
    assert [{k: b[k] for k in e} for b, e in zip(tmf, expected, strict=True)] == expected
    for bucket in tmf:
        assert bucket["id"] == f"B-{line[2:]}-{bucket['name']}"
        assert bucket["href"] == f"{sandbox.url}{BASE}/bucket/{bucket['id']}"
        assert bucket["status"] == "active" and bucket["confirmationDate"] == balance["as_of"]
        assert [p["id"] for p in bucket["product"]] == [line]


def buckets_and_balance(api: httpx.Client, v1: httpx.Client,
                        msisdn: str) -> tuple[list[dict[str, Any]], dict[str, Any]]:
    line = "L-" + msisdn.removeprefix("+")
    answer = api.get("/bucket", params={"product.id": line})
    tmf = ok(answer)
    assert answer.headers["X-Total-Count"] == answer.headers["X-Result-Count"] == str(len(tmf))
    return tmf, ok(v1.get(f"/v1/subscribers/{msisdn}/balance"))


def test_every_lines_buckets_are_its_v1_balance(sandbox: RunningSandbox, api: httpx.Client,
                                                v1: httpx.Client) -> None:
    numbers = [s["msisdn"] for s in ok(v1.get("/sandbox/subscribers"))["items"]]
    assert len(numbers) > 200
    count = 0
    kinds: set[str] = set()
    for msisdn in numbers:
        tmf, balance = buckets_and_balance(api, v1, msisdn)
        the_same(tmf, balance, sandbox)
        count += len(tmf)
        kinds.update(b["name"] for b in tmf)
    assert kinds == {"main", "bonus", "promisedPaymentDebt", "minutes", "sms", "data"}
    everything = api.get("/bucket", params={"limit": 0})
    assert everything.headers["X-Total-Count"] == str(count)
    first = ok(api.get("/bucket", params={"limit": 7}))
    assert [b["id"] for b in first[:2]] == [f"B-{MARIA[1:]}-main", f"B-{MARIA[1:]}-bonus"]
    for bucket in first:
        assert ok(api.get(f"/bucket/{bucket['id']}")) == bucket


def test_buckets_follow_the_clock_and_an_order(sandbox: RunningSandbox, api: httpx.Client,
                                               v1: httpx.Client) -> None:
    before, _ = buckets_and_balance(api, v1, MARIA)
    card = ok(v1.get(f"/v1/subscribers/{MARIA}"))
    order = {"msisdn": MARIA, "action": "add_service", "service_code": "ANTI_AON",
             "clerk": "anna", "salon": "MSK-1", "counter": "1"}
    ok(v1.post("/v1/orders", json=order,
               headers={"Idempotency-Key": f"tmf654-{uuid.uuid4().hex}",
                        "If-Match": f'"{card["version"]}"'}), 201)
    after, balance = buckets_and_balance(api, v1, MARIA)
    the_same(after, balance, sandbox)
    assert after[0]["remainingValue"]["amount"] < before[0]["remainingValue"]["amount"]
    ok(v1.post("/sandbox/clock", json={"advance_seconds": 9 * 86400}))  # into December
    for msisdn in (MARIA, SMIRNOV, KHABIBULLIN):
        tmf, balance = buckets_and_balance(api, v1, msisdn)
        the_same(tmf, balance, sandbox)
    package = ok(api.get(f"/bucket/B-{MARIA[1:]}-minutes"))
    assert package["validFor"]["endDateTime"] == "2026-12-31T21:00:00Z"  # Moscow's month end


def test_filters_fields_and_one_bucket(api: httpx.Client) -> None:
    mine = {"product.id": LINE}
    monetary = ok(api.get("/bucket", params={**mine, "usageType": "monetary"}))
    assert [b["name"] for b in monetary] == ["main", "bonus"]
    packages = ok(api.get("/bucket", params={**mine, "@type": "SalonPackageBucket"}))
    assert [b["name"] for b in packages] == ["minutes", "sms", "data"]
    assert ok(api.get("/bucket", params={**mine, "name": "sms,data"})) == packages[1:]
    # A filter on an amount: every line's amounts are computed, then filtered.
    rich = ok(api.get("/bucket", params={"usageType": "monetary", "name": "main",
                                         "remainingValue.amount.gte": "1000", "limit": 500}))
    assert rich and all(b["remainingValue"]["amount"] >= 1000 for b in rich)
    assert ok(api.get("/bucket", params={**mine, "remainingValue.amount.gt": "1000000"})) == []
    main = monetary[0]
    assert ok(api.get("/bucket", params={"id": main["id"]})) == [main]
    assert ok(api.get(f"/bucket/{main['id']}", params={"fields": "remainingValue"})) == {
        "id": main["id"], "href": main["href"], "@type": "Bucket",
        "remainingValue": main["remainingValue"]}
    both = ok(api.get("/bucket", params={"product.id": f"{LINE},L-79119876543",
                                         "name": "promisedPaymentDebt"}))
    assert [b["id"] for b in both] == ["B-79119876543-promisedPaymentDebt"]
    for missing in ("B-79161234567-nothing", "B-79990000000-main",
                    f"B-{KHABIBULLIN[1:]}-minutes",  # BASIC has no packages
                    "B-79161234567-promisedPaymentDebt", "7c3981c5-5f8c-4800-a1b3-19cfcd3a44da"):
        tmf_error(api.get(f"/bucket/{missing}"), 404, "not_found")
    assert ok(api.get("/bucket", params={"product.id": "L-79990000000"})) == []


def test_created_buckets_and_actions_live_beside_the_world(sandbox: RunningSandbox,
                                                           api: httpx.Client,
                                                           v1: httpx.Client) -> None:
    balance = ok(v1.get(f"/v1/subscribers/{MARIA}/balance"))
    answer = api.post("/bucket", json={"usageType": "monetary"})  # TM Forum's kit's bodies
    bucket = ok(answer, 201)
    assert answer.headers["Location"] == bucket["href"] == f"{sandbox.url}{BASE}/bucket/" \
        f"{bucket['id']}"
    assert bucket["status"] == "active" and bucket["@type"] == "Bucket"
    assert bucket["confirmationDate"] == balance["as_of"]
    listing = ok(api.get("/bucket", params={"limit": 2}))
    assert listing[0] == bucket and listing[1]["id"] == f"B-{MARIA[1:]}-main"
    assert ok(api.get("/bucket", params={"id": bucket["id"]})) == [bucket]
    assert ok(api.get(f"/bucket/{bucket['id']}")) == bucket

    eur = {"amount": 50, "units": "EUR"}
    kit_bucket = {"id": "11", "href": "/prepayBalanceManagement/v4/bucket/11"}
    actions: dict[str, dict[str, Any]] = {
        "topupBalance": {"amount": eur, "bucket": kit_bucket},
        "adjustBalance": {"amount": eur, "usageType": "monetary", "bucket": kit_bucket,
                          "product": {"id": "d3ba9b4b-781a-42a7-9976-12fb826f6b99"}},
        "reserveBalance": {"amount": eur, "bucket": kit_bucket, "relatedParty": [
            {"id": "5", "name": "jerry wilson", "role": "customer",
             "@referredType": "Individual"}]},
        "transferBalance": {"amount": eur, "bucket": kit_bucket,
                            "receiverBucket": {"id": "12"}},
    }
    for resource, body in actions.items():
        made = ok(api.post(f"/{resource}", json=body), 201)
        assert {k: made[k] for k in body} == body
        assert made["status"] == "created" and made["requestedDate"] == balance["as_of"]
        assert ok(api.get(f"/{resource}", params={"status": "created"})) == [made]
        assert ok(api.get(f"/{resource}/{made['id']}", params={"fields": "status"})) == {
            "id": made["id"], "href": made["href"], "@type": made["@type"],
            "status": "created"}
        tmf_error(api.get(f"/{resource}/81801f99-bb0b-4f6a-ac5b-905f96e7f6d7"), 404,
                  "not_found")
        assert api.delete(f"/{resource}/{made['id']}").status_code == 204
    assert ok(v1.get(f"/v1/subscribers/{MARIA}/balance")) == balance  # nothing was applied
    assert api.delete(f"/bucket/{bucket['id']}").status_code == 204
    tmf_error(api.get(f"/bucket/{bucket['id']}"), 404, "not_found")


def test_nothing_created_names_a_world_line(api: httpx.Client, v1: httpx.Client) -> None:
    balance = ok(v1.get(f"/v1/subscribers/{MARIA}/balance"))
    rub = {"amount": 100, "units": "RUB"}
    for resource, body in (
        ("bucket", {"usageType": "monetary", "product": [{"id": LINE}]}),
        ("topupBalance", {"amount": rub, "bucket": {"id": f"B-{MARIA[1:]}-main"}}),
        ("topupBalance", {"amount": rub, "product": {"id": LINE}}),
        ("adjustBalance", {"amount": rub, "logicalResource": {"id": "1", "value": MARIA}}),
        ("reserveBalance", {"amount": rub, "logicalResource": {"id": "1",
                                                               "value": MARIA[1:]}}),
        ("transferBalance", {"amount": rub, "bucket": {"id": "mine"},
                             "receiverProduct": {"id": LINE}}),
    ):
        refused = tmf_error(api.post(f"/{resource}", json=body), 422, "world_line")
        assert "world" in refused["message"]
    # A number or line the world does not have is anybody's.
    made = ok(api.post("/topupBalance", json={"amount": rub,
                                              "product": {"id": "L-79990000000"}}), 201)
    assert api.delete(f"/topupBalance/{made['id']}").status_code == 204
    assert ok(v1.get(f"/v1/subscribers/{MARIA}/balance")) == balance


def test_world_buckets_are_read_only(api: httpx.Client, raw: httpx.Client) -> None:
    world = f"/bucket/B-{MARIA[1:]}-main"
    refused = raw.patch(world, json={"description": "x"})
    tmf_error(refused, 405, "read_only")
    assert refused.headers["Allow"] == "GET"
    tmf_error(api.delete(world), 405, "read_only")
    tmf_error(api.get("/bucket", params={"offset": "-1"}), 400, "bad_request")
    tmf_error(api.get("/bucket", headers={"Authorization": ""}), 401, "unauthorized")


def test_every_message_was_as_the_published_document_says(docs: TmfDocs) -> None:
    """Last in the module: what the others sent and received."""
    assert docs.deviations == [], "\n".join(docs.deviations)
    assert docs.checked > 300
    assert docs.deviations == [], "\n".join(docs.deviations)
