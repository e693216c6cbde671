"""The sandbox's OpenAPI document says exactly what it serves.

A real sandbox on loopback is driven through every endpoint — successes and every error path a
client can provoke: bad input, no token, unknown numbers, refusals, stale versions, key reuse,
injected faults and outages (503), an expired document — and every answer is checked against
the document the sandbox serves at /openapi.json (openapi-core, tests/support/
openapi_check.py): an undocumented status or a body of another shape fails the test. The other
way round, every status the document promises is provoked here, but for the few named in
NOT_PROVOKED with the reason.
"""

from __future__ import annotations

import base64
import socket
import uuid
from collections.abc import Iterator
from typing import Any

import httpx
import pytest

from sandbox.server import RunningSandbox, start_in_background
from sandbox.tmf import apis
from tests.support.openapi_check import ContractCheck

TOKEN = "conformance-token"
MARIA = "+79161234567"  # SMART, GUARD + Assistant
ORLOV = "+79261112233"  # corporate: R1
KHABIBULLIN = "+79171234567"  # blocked
POPOVA = "+79121234567"  # no Assistant
UNKNOWN = "+79990000000"  # well-formed, not served
PDF = b"%PDF-1.4\n%conformance\n"

# Statuses the document rightly promises that a test cannot provoke on purpose.
NOT_PROVOKED = {
    # Any endpoint answers 500 `internal` when the sandbox itself fails (a bug).
    *((method, template, 500) for method, template in (
        ("GET", "/health"), ("GET", "/v1/subscribers/{msisdn}"),
        ("GET", "/v1/subscribers/{msisdn}/balance"), ("GET", "/v1/catalog/tariffs"),
        ("GET", "/v1/catalog/services"), ("GET", "/v1/subscribers/{msisdn}/usage"),
        ("GET", "/v1/orders/preview"), ("POST", "/v1/orders"),
        ("GET", "/v1/orders/by-key/{key}"), ("GET", "/v1/orders/{order_id}"),
        ("GET", "/v1/orders"), ("GET", "/v1/subscribers/{msisdn}/access-code"),
        ("POST", "/v1/subscribers/{msisdn}/access-code"),
        ("POST", "/v1/subscribers/{msisdn}/access-code/verify"),
        ("POST", "/v1/subscribers/{msisdn}/documents"),
        ("GET", "/v1/subscribers/{msisdn}/documents"), ("GET", "/v1/documents/{document_id}"),
        ("GET", "/sandbox/subscribers"), ("GET", "/sandbox/faults"),
        ("PUT", "/sandbox/faults"), ("DELETE", "/sandbox/faults"),
        ("POST", "/sandbox/faults/outage"), ("GET", "/sandbox/clock"),
        ("POST", "/sandbox/clock"), ("GET", "/sandbox/sms/{msisdn}"),
        ("POST", "/sandbox/oauth/token"))),
    *((method, f"/tmf-api/{api.name}/v4/{resource.name}{suffix}", 500)
      for api, resources in apis.ALL for resource in resources
      for method, suffix in (("GET", ""), ("POST", ""), ("GET", "/{id}"), ("PATCH", "/{id}"),
                             ("DELETE", "/{id}"))),
    # The TMF routes of their own (TMF667, the x-salon extension): 500 likewise.
    *((method, f"/tmf-api/{path}", 500) for method, path in (
        ("GET", "document/v4/document"), ("POST", "document/v4/document"),
        ("GET", "document/v4/document/{id}"), ("GET", "x-salon/v1/mainBalance"),
        ("GET", "x-salon/v1/accessCode/{lineId}"), ("POST", "x-salon/v1/accessCode/{lineId}"),
        ("POST", "x-salon/v1/accessCode/{lineId}/check"))),
    # 409 request_in_progress: a second request with a key while the first is being processed
    # (tests/integration/test_sandbox_orders.py races for it; not reproducible on demand).
    ("POST", "/v1/orders", 409), ("POST", "/v1/subscribers/{msisdn}/access-code", 409),
    ("POST", "/v1/subscribers/{msisdn}/documents", 409), ("GET", "/v1/orders/by-key/{key}", 409),
}


@pytest.fixture(scope="module")
def sandbox(tmp_path_factory: pytest.TempPathFactory) -> Iterator[RunningSandbox]:
    running = start_in_background(tmp_path_factory.mktemp("conformance") / "world.sqlite3",
                                  2026, TOKEN)
    yield running
    running.stop()


@pytest.fixture(scope="module")
def contract(sandbox: RunningSandbox) -> ContractCheck:
    return ContractCheck(httpx.get(f"{sandbox.url}/openapi.json").json())


@pytest.fixture(scope="module")
def api(sandbox: RunningSandbox, contract: ContractCheck) -> Iterator[httpx.Client]:
    with httpx.Client(base_url=sandbox.url, timeout=30, event_hooks={"response": [contract]},
                      headers={"Authorization": f"Bearer {TOKEN}"}) as client:
        yield client


def key() -> str:
    return f"conf-{uuid.uuid4().hex}"


def status(response: httpx.Response, expected: int) -> dict[str, Any]:
    assert response.status_code == expected, response.text
    return response.json() if "json" in response.headers.get("content-type", "") else {}


def test_reads(api: httpx.Client) -> None:
    status(api.get("/health"), 200)
    status(api.get(f"/v1/subscribers/{MARIA}"), 200)
    status(api.get("/v1/subscribers/79161234567"), 400)
    status(api.get(f"/v1/subscribers/{UNKNOWN}"), 404)
    status(api.get(f"/v1/subscribers/{MARIA}", headers={"Authorization": "Bearer no"}), 401)
    status(api.get(f"/v1/subscribers/{MARIA}/balance"), 200)
    status(api.get(f"/v1/subscribers/{MARIA}/balance", params={"at": "yesterday"}), 400)
    status(api.get(f"/v1/subscribers/{UNKNOWN}/balance"), 404)
    status(api.get(f"/v1/subscribers/{MARIA}/balance", headers={"Authorization": ""}), 401)
    status(api.get("/v1/catalog/tariffs"), 200)
    status(api.get("/v1/catalog/tariffs", headers={"Authorization": ""}), 401)
    status(api.get("/v1/catalog/services"), 200)
    status(api.get("/v1/catalog/services", headers={"Authorization": ""}), 401)
    now = api.get("/sandbox/clock").json()["now"]
    usage = f"/v1/subscribers/{MARIA}/usage"
    page = status(api.get(usage, params={"from": "2026-01-01T00:00:00Z", "to": now,
                                         "limit": 50}), 200)
    status(api.get(usage, params={"from": "2026-01-01T00:00:00Z", "to": now, "limit": 50,
                                  "cursor": page["next_cursor"]}), 200)
    status(api.get(usage, params={"from": now, "to": now}), 400)
    status(api.get(usage, params={"from": "2026-01-01T00:00:00Z", "to": now, "limit": 0}), 400)
    status(api.get(f"/v1/subscribers/{UNKNOWN}/usage", params={"from": now, "to": now}), 404)
    status(api.get(usage, headers={"Authorization": ""}), 401)


def test_orders(api: httpx.Client) -> None:
    preview = "/v1/orders/preview"
    status(api.get(preview, params={"msisdn": MARIA, "action": "add_service",
                                    "service_code": "BEEP"}), 200)
    status(api.get(preview, params={"msisdn": MARIA, "action": "fly"}), 400)
    status(api.get(preview, params={"msisdn": UNKNOWN, "action": "connect_assistant"}), 404)
    status(api.get(preview, headers={"Authorization": ""}), 401)

    version = api.get(f"/v1/subscribers/{MARIA}").json()["version"]
    body = {"msisdn": MARIA, "action": "add_service", "service_code": "BEEP", "clerk": "anna",
            "salon": "MSK-1", "counter": "1"}
    placed_key = key()
    write = {"Idempotency-Key": placed_key, "If-Match": f'"{version}"'}
    placed = status(api.post("/v1/orders", json=body, headers=write), 201)
    status(api.post("/v1/orders", json=body, headers=write), 201)  # the stored answer again
    status(api.post("/v1/orders", json={**body, "service_code": "GUARD"}, headers=write), 422)
    status(api.post("/v1/orders", json=body, headers={"If-Match": f'"{version}"'}), 400)
    status(api.post("/v1/orders", json=body, headers={"Idempotency-Key": key()}), 428)
    status(api.post("/v1/orders", json=body,
                    headers={"Idempotency-Key": key(), "If-Match": f'"{version}"'}), 412)
    fresh = {"Idempotency-Key": key(), "If-Match": f'"{version + 1}"'}
    refusal = status(api.post("/v1/orders", json={**body, "service_code": "GUARD"},
                              headers=fresh), 422)
    assert refusal["error"]["rule"] == "already_connected"
    status(api.post("/v1/orders", json={**body, "action": "fly"},
                    headers={"Idempotency-Key": key(), "If-Match": '"1"'}), 422)
    status(api.post("/v1/orders", json={**body, "msisdn": UNKNOWN},
                    headers={"Idempotency-Key": key(), "If-Match": '"1"'}), 404)
    status(api.post("/v1/orders", json=body, headers={"Authorization": ""}), 401)

    status(api.get(f"/v1/orders/by-key/{placed_key}"), 200)
    status(api.get(f"/v1/orders/by-key/{key()}"), 404)
    status(api.get("/v1/orders/by-key/short"), 400)
    status(api.get(f"/v1/orders/by-key/{placed_key}", headers={"Authorization": ""}), 401)
    status(api.get(f"/v1/orders/{placed['order_id']}"), 200)
    status(api.get("/v1/orders/ORD-999999"), 404)
    status(api.get("/v1/orders/ORD-1", headers={"Authorization": ""}), 401)
    status(api.get("/v1/orders", params={"msisdn": MARIA}), 200)
    status(api.get("/v1/orders", params={"msisdn": "12345"}), 400)
    status(api.get("/v1/orders", params={"msisdn": UNKNOWN}), 404)
    status(api.get("/v1/orders", headers={"Authorization": ""}), 401)


def test_access_codes(api: httpx.Client) -> None:
    path = f"/v1/subscribers/{MARIA}/access-code"
    status(api.get(path), 200)
    status(api.get("/v1/subscribers/+7/access-code"), 400)
    status(api.get(f"/v1/subscribers/{UNKNOWN}/access-code"), 404)
    status(api.get(path, headers={"Authorization": ""}), 401)
    issued_key = key()
    status(api.post(path, headers={"Idempotency-Key": issued_key}), 201)
    status(api.post(f"/v1/subscribers/{POPOVA}/access-code",
                    headers={"Idempotency-Key": issued_key}), 422)  # the key reused
    refusal = status(api.post(f"/v1/subscribers/{ORLOV}/access-code",
                              headers={"Idempotency-Key": key()}), 422)
    assert refusal["error"]["rule"] == "R1"
    status(api.post(path), 400)
    status(api.post(f"/v1/subscribers/{UNKNOWN}/access-code",
                    headers={"Idempotency-Key": key()}), 404)
    status(api.post(path, headers={"Authorization": ""}), 401)
    verify = f"{path}/verify"
    for _attempt in range(5):  # wrong (3, 2, 1), then locked, then locked again
        status(api.post(verify, json={"code": "000000"}), 200)
    status(api.post(f"/v1/subscribers/{POPOVA}/access-code/verify", json={"code": "000000"}),
           422)
    status(api.post(verify, json={"code": "12"}), 422)
    status(api.post(verify, json={}), 422)
    status(api.post("/v1/subscribers/7916/access-code/verify", json={"code": "000000"}), 400)
    status(api.post(f"/v1/subscribers/{UNKNOWN}/access-code/verify",
                    json={"code": "000000"}), 404)
    status(api.post(verify, json={"code": "000000"}, headers={"Authorization": ""}), 401)
    status(api.get(f"/sandbox/sms/{MARIA}"), 200)
    status(api.get(f"/sandbox/sms/{UNKNOWN}"), 404)
    status(api.get("/sandbox/sms/nope"), 400)
    status(api.get(f"/sandbox/sms/{MARIA}", headers={"Authorization": ""}), 401)


def declared_too_large(api: httpx.Client, path: str, headers: dict[str, str],
                       contract: ContractCheck) -> httpx.Response:
    """An upload that declares 51 MB and sends none of it (httpx will not say a length it does
    not send): over a plain socket, the answer handed to the contract check like any other."""
    url = api.base_url.join(path)
    lines = [f"POST {url.raw_path.decode()} HTTP/1.1", f"Host: {url.netloc.decode()}",
             f"Authorization: Bearer {TOKEN}", f"Content-Length: {51 * 2**20}",
             *(f"{name}: {value}" for name, value in headers.items())]
    with socket.create_connection((url.host, url.port), timeout=10) as sock:
        sock.sendall(("\r\n".join(lines) + "\r\n\r\n").encode())
        data = b""
        while b"\r\n\r\n" not in data:
            data += sock.recv(65536)
        head, _sep, body = data.partition(b"\r\n\r\n")
        status_line, *header_lines = head.decode("latin-1").split("\r\n")
        answer_headers = [tuple(line.split(": ", 1)) for line in header_lines]
        length = int(dict((k.lower(), v) for k, v in answer_headers)["content-length"])
        while len(body) < length:
            body += sock.recv(65536)
    request = httpx.Request("POST", url, headers=headers)
    response = httpx.Response(int(status_line.split()[1]), headers=answer_headers,
                              content=body, request=request)
    contract(response)
    return response


def test_documents(api: httpx.Client, contract: ContractCheck) -> None:
    path = f"/v1/subscribers/{MARIA}/documents"
    pdf = {"Content-Type": "application/pdf", "X-Document-Name": "report.pdf"}
    stored = status(api.post(path, content=PDF, headers={**pdf, "Idempotency-Key": key()}), 201)
    reused = key()
    status(api.post(path, content=PDF, headers={**pdf, "Idempotency-Key": reused}), 201)
    status(api.post(path, content=PDF + b"x", headers={**pdf, "Idempotency-Key": reused}), 422)
    status(api.post(path, content=b"", headers={**pdf, "Idempotency-Key": key()}), 400)
    status(api.post(path, content=PDF, headers={**pdf, "Content-Type": "image/png",
                                                "Idempotency-Key": key()}), 415)
    status(declared_too_large(api, path, {**pdf, "Idempotency-Key": key()}, contract), 413)
    status(api.post(f"/v1/subscribers/{UNKNOWN}/documents", content=PDF,
                    headers={**pdf, "Idempotency-Key": key()}), 404)
    status(api.post(path, content=PDF, headers={"Authorization": ""}), 401)
    status(api.get(path), 200)
    status(api.get("/v1/subscribers/x/documents"), 400)
    status(api.get(f"/v1/subscribers/{UNKNOWN}/documents"), 404)
    status(api.get(path, headers={"Authorization": ""}), 401)
    document = f"/v1/documents/{stored['id']}"
    status(api.get(document), 200)
    status(api.get("/v1/documents/doc_nothing"), 404)
    status(api.get(document, headers={"Authorization": ""}), 401)
    status(api.post("/sandbox/clock", json={"advance_seconds": 3 * 86400 + 60}), 200)
    status(api.get(document), 410)


def test_sandbox_controls_and_injected_faults(api: httpx.Client) -> None:
    status(api.get("/sandbox/subscribers"), 200)
    status(api.get("/sandbox/subscribers", headers={"Authorization": ""}), 401)
    status(api.get("/sandbox/clock"), 200)
    status(api.get("/sandbox/clock", headers={"Authorization": ""}), 401)
    status(api.post("/sandbox/clock", json={"advance_seconds": 1}), 200)
    status(api.post("/sandbox/clock", json={"advance_seconds": -5}), 422)
    status(api.post("/sandbox/clock", json={}, headers={"Authorization": ""}), 401)
    status(api.get("/sandbox/faults"), 200)
    status(api.get("/sandbox/faults", headers={"Authorization": ""}), 401)
    status(api.put("/sandbox/faults", json={"paths": ["v1"]}), 422)
    status(api.put("/sandbox/faults", json={"error_rate": 2}), 422)
    status(api.put("/sandbox/faults", json={}, headers={"Authorization": ""}), 401)
    status(api.delete("/sandbox/faults", headers={"Authorization": ""}), 401)
    status(api.post("/sandbox/faults/outage", json={"seconds": 0}), 422)
    status(api.post("/sandbox/faults/outage", json={"seconds": 1},
                    headers={"Authorization": ""}), 401)

    # An injected fault: every /v1 and /health request answers 503 `unavailable`.
    status(api.put("/sandbox/faults", json={"error_rate": 1.0, "paths": ["/v1", "/health"]}),
           200)
    version = api.get(f"/v1/subscribers/{MARIA}").status_code
    assert version == 503
    now = "2026-01-02T00:00:00Z"
    for method, path, kwargs in [
        ("GET", "/health", {}),
        ("GET", f"/v1/subscribers/{MARIA}/balance", {}),
        ("GET", "/v1/catalog/tariffs", {}), ("GET", "/v1/catalog/services", {}),
        ("GET", f"/v1/subscribers/{MARIA}/usage", {"params": {"from": now, "to": now}}),
        ("GET", "/v1/orders/preview", {}), ("POST", "/v1/orders", {"json": {}}),
        ("GET", f"/v1/orders/by-key/{key()}", {}), ("GET", "/v1/orders/ORD-000001", {}),
        ("GET", "/v1/orders", {}), ("GET", f"/v1/subscribers/{MARIA}/access-code", {}),
        ("POST", f"/v1/subscribers/{MARIA}/access-code", {}),
        ("POST", f"/v1/subscribers/{MARIA}/access-code/verify", {"json": {}}),
        ("POST", f"/v1/subscribers/{MARIA}/documents", {"content": PDF}),
        ("GET", f"/v1/subscribers/{MARIA}/documents", {}),
        ("GET", "/v1/documents/doc_x", {}),
    ]:
        answer = api.request(method, path, **kwargs)
        assert answer.status_code == 503 and answer.headers["retry-after"], (path, answer.text)
    status(api.delete("/sandbox/faults"), 200)
    status(api.post("/sandbox/faults/outage", json={"seconds": 30}), 200)
    status(api.get("/health"), 503)  # an outage: every request outside /sandbox
    status(api.delete("/sandbox/faults"), 200)
    status(api.get("/health"), 200)


def test_tmf_apis(api: httpx.Client) -> None:
    """Every TMF operation and status (sandbox/tmf/answers.py), on each kind of resource: with
    world entities that are read-only, with a create refusal (usage), with mandatory attributes
    (communicationMessage)."""
    api.post(f"/v1/subscribers/{MARIA}/access-code", headers={"Idempotency-Key": key()})
    sms = api.get(f"/sandbox/sms/{MARIA}").json()["items"][0]["id"]
    usage = "/tmf-api/usageManagement/v4/usage"
    catalog = "/tmf-api/productCatalogManagement/v4"
    product = "/tmf-api/productInventory/v4/product"
    first = api.get(usage, params={"ratedProductUsage.productRef.id": "L-79161234567",
                                   "limit": 1}).json()
    resources = [
        (usage, {"usageSpecification": {"id": "voice"}}, f"{usage}/{first[0]['id']}"),
        ("/tmf-api/usageManagement/v4/usageSpecification", {"name": "Roaming"},
         "/tmf-api/usageManagement/v4/usageSpecification/voice"),
        ("/tmf-api/communicationManagement/v4/communicationMessage",
         {"content": "x", "messageType": "SMS", "receiver": [{"phoneNumber": POPOVA}],
          "sender": {"name": "Salon"}},
         f"/tmf-api/communicationManagement/v4/communicationMessage/SMS-{sms}"),
        *((f"{catalog}/{name}", {"name": "x"}, f"{catalog}/{name}/{world}")
          for name, world in (("productOffering", "tariff-SMART"),
                              ("productOfferingPrice", "pop-tariff-SMART-oneTime"),
                              ("productSpecification", "spec-tariff"), ("category", "tariff"),
                              ("catalog", "mobile"))),
        (product, {"status": "created"}, f"{product}/L-79161234567"),
        ("/tmf-api/party/v4/individual", {"givenName": "Анна", "familyName": "Котова"},
         "/tmf-api/party/v4/individual/I-79161234567"),
        ("/tmf-api/customerManagement/v4/customer",
         {"name": "x", "engagedParty": {"id": "I-1", "@referredType": "Individual"}},
         "/tmf-api/customerManagement/v4/customer/C-79161234567"),
    ]
    no_token = {"Authorization": ""}
    for collection, body, world in resources:
        status(api.get(collection, params={"ratedProductUsage.productRef.id": "L-79161234567",
                                           "limit": 2}), 200)
        status(api.get(collection, params={"offset": "-1"}), 400)
        status(api.get(collection, headers=no_token), 401)
        made = status(api.post(collection, json=body), 201)
        status(api.post(collection, json=[body]), 400)
        status(api.post(collection, json={}, headers=no_token), 401)
        item = f"{collection}/{made['id']}"
        status(api.get(item, params={"fields": "id"}), 200)
        status(api.get(world), 200)
        status(api.get(f"{collection}/nothing-here"), 404)
        status(api.get(item, headers=no_token), 401)
        status(api.patch(item, json={"description": "changed"}), 200)
        status(api.patch(item, json={"id": "mine"}), 400)
        status(api.patch(f"{collection}/nothing-here", json={}), 404)
        status(api.patch(world, json={"description": "changed"}), 405)
        status(api.patch(item, json={}, headers=no_token), 401)
        status(api.delete(item), 204)
        status(api.delete(item), 404)
        status(api.delete(world), 405)
        status(api.delete(item, headers=no_token), 401)
    claim = {"ratedProductUsage": [{"productRef": {"id": "L-79161234567"}}]}
    status(api.post(usage, json=claim), 422)
    status(api.post(product, json={"productSerialNumber": MARIA, "status": "created"}), 422)

    status(api.put("/sandbox/faults", json={"error_rate": 1.0, "paths": ["/tmf-api"]}), 200)
    for collection, body, world in resources:
        for method, path, kwargs in (("GET", collection, {}), ("POST", collection,
                                                                {"json": body}),
                                     ("GET", world, {}), ("PATCH", world, {"json": {}}),
                                     ("DELETE", world, {})):
            answer = api.request(method, path, **kwargs)
            assert answer.status_code == 503 and answer.json()["@type"] == "Error", answer.text
    status(api.delete("/sandbox/faults"), 200)


def test_tmf_balance_archive_and_extension(api: httpx.Client) -> None:
    """TMF654 (world buckets read-only; balance actions without a world of their own), TMF667
    (the archive) and the x-salon extension: every status each documents."""
    balance = "/tmf-api/prepayBalanceManagement/v4"
    world = f"{balance}/bucket/B-79161234567-main"
    no_token = {"Authorization": ""}
    made_items = []
    bodies: list[tuple[str, dict[str, Any]]] = [
        ("bucket", {"usageType": "monetary"}),
        *((r, {"amount": {"amount": 5, "units": "EUR"}}) for r in (
            "topupBalance", "adjustBalance", "reserveBalance", "transferBalance"))]
    for resource, body in bodies:
        collection = f"{balance}/{resource}"
        status(api.get(collection, params={"product.id": "L-79161234567"}), 200)
        status(api.get(collection, params={"limit": "x"}), 400)
        status(api.get(collection, headers=no_token), 401)
        made = status(api.post(collection, json=body), 201)
        status(api.post(collection, json={}), 400)
        status(api.post(collection, json={**body, "product": {"id": "L-79161234567"}}), 422)
        status(api.post(collection, json=body, headers=no_token), 401)
        item = f"{collection}/{made['id']}"
        made_items.append(item)
        status(api.get(item), 200)
        status(api.get(f"{collection}/nothing-here"), 404)
        status(api.get(item, headers=no_token), 401)
        status(api.patch(item, json={"description": "changed"}), 200)
        status(api.patch(item, json={"href": "elsewhere"}), 400)
        status(api.patch(f"{collection}/nothing-here", json={}), 404)
        status(api.patch(item, json={}, headers=no_token), 401)
        status(api.delete(f"{collection}/nothing-here"), 404)
        status(api.delete(item, headers=no_token), 401)
    status(api.get(world), 200)
    status(api.patch(world, json={"description": "changed"}), 405)
    status(api.delete(world), 405)

    archive = "/tmf-api/document/v4/document"
    upload = {"name": "nov.pdf", "relatedParty": [{"id": "L-79161234567",
                                                   "@referredType": "Product"}],
              "binaryAttachment": [{"mimeType": "application/pdf",
                                    "content": base64.b64encode(PDF).decode()}]}
    written = key()
    stored = status(api.post(archive, json=upload, headers={"Idempotency-Key": written}), 201)
    status(api.post(archive, json={**upload, "name": "other.pdf"},
                    headers={"Idempotency-Key": written}), 409)
    status(api.post(archive, json=upload), 400)
    status(api.post(archive, json={**upload, "relatedParty": [{"id": "L-79990000000"}]},
                    headers={"Idempotency-Key": key()}), 404)
    status(api.post(archive, json={**upload, "documentType": "contract"},
                    headers={"Idempotency-Key": key()}), 422)
    status(api.post(archive, json=upload, headers=no_token), 401)
    status(api.get(archive, params={"relatedParty.id": "L-79161234567"}), 200)
    status(api.get(archive, params={"offset": "-1"}), 400)
    status(api.get(archive, headers=no_token), 401)
    status(api.get(f"{archive}/{stored['id']}"), 200)
    status(api.get(f"{archive}/doc_nothing"), 404)
    status(api.get(f"{archive}/{stored['id']}", headers=no_token), 401)

    x = "/tmf-api/x-salon/v1"
    status(api.get(f"{x}/mainBalance", params={"product.id": "L-79161234567"}), 200)
    status(api.get(f"{x}/mainBalance", params={"product.id": "L-79161234567", "at": "x"}), 400)
    status(api.get(f"{x}/mainBalance", params={"product.id": "L-79990000000"}), 404)
    status(api.get(f"{x}/mainBalance", headers=no_token), 401)
    code = f"{x}/accessCode/L-79161234567"
    status(api.get(code), 200)
    status(api.get(f"{x}/accessCode/L-79990000000"), 404)
    status(api.get(code, headers=no_token), 401)
    ordered = key()
    status(api.post(code, headers={"Idempotency-Key": ordered}), 201)
    status(api.post(f"{x}/accessCode/L-79121234567", headers={"Idempotency-Key": ordered}), 409)
    status(api.post(code), 400)
    status(api.post(f"{x}/accessCode/L-79990000000", headers={"Idempotency-Key": key()}), 404)
    status(api.post(f"{x}/accessCode/L-79261112233", headers={"Idempotency-Key": key()}), 422)
    status(api.post(code, headers=no_token), 401)
    status(api.post(f"{code}/check", json={"code": "000000"}), 200)
    status(api.post(f"{code}/check", json={"code": "0"}), 400)
    status(api.post(f"{x}/accessCode/L-79990000000/check", json={"code": "000000"}), 404)
    status(api.post(f"{x}/accessCode/L-79121234567/check", json={"code": "000000"}), 422)
    status(api.post(f"{code}/check", json={}, headers=no_token), 401)

    status(api.post("/sandbox/clock", json={"advance_seconds": 3 * 86400 + 60}), 200)
    status(api.get(f"{archive}/{stored['id']}"), 410)

    status(api.put("/sandbox/faults", json={"error_rate": 1.0, "paths": ["/tmf-api"]}), 200)
    calls: list[tuple[str, str, Any]] = []
    for item in made_items:
        collection = item.rsplit("/", 1)[0]
        calls += [("GET", collection, None), ("POST", collection, {}), ("GET", item, None),
                  ("PATCH", item, {}), ("DELETE", item, None)]
    calls += [
        ("GET", archive, None), ("POST", archive, upload),
        ("GET", f"{archive}/{stored['id']}", None),
        ("GET", f"{x}/mainBalance", None), ("GET", code, None), ("POST", code, None),
        ("POST", f"{code}/check", {}),
    ]
    for method, path, json_body in calls:
        answer = api.request(method, path, json=json_body)
        assert answer.status_code == 503 and answer.json()["@type"] == "Error", answer.text
    status(api.delete("/sandbox/faults"), 200)
    for item in made_items:
        status(api.delete(item), 204)


def test_tmf_orders_and_carts(api: httpx.Client) -> None:
    """TMF622 productOrder (an order applied to a line, and the kit's kind kept beside the
    world) and TMF663 shoppingCart (the priced preview): every status each documents."""
    orders, carts = ("/tmf-api/productOrderingManagement/v4/productOrder",
                     "/tmf-api/shoppingCart/v4/shoppingCart")
    no_token = {"Authorization": ""}
    line = f"L-{POPOVA.removeprefix('+')}"

    def item(code: str) -> dict[str, Any]:
        return {"id": "1", "action": "add", "productOffering": {"id": f"service-{code}"},
                "product": {"productRelationship": [{"relationshipType": "bundled",
                                                     "product": {"id": line}}]}}

    def change(code: str) -> dict[str, Any]:
        return {"productOrderItem": [item(code)], "channel": [{"id": "MSK-1", "name": "1"}],
                "relatedParty": [{"id": "anna", "role": "clerk", "@referredType": "Individual"}]}

    version = api.get(f"/v1/subscribers/{POPOVA}").json()["version"]
    placed_key = key()
    write = {"Idempotency-Key": placed_key, "If-Match": f'"{version}"'}
    placed = status(api.post(orders, json=change("BEEP"), headers=write), 201)
    status(api.post(orders, json=change("BEEP"), headers=write), 201)  # the stored answer
    status(api.post(orders, json=change("GUARD"), headers=write), 409)  # the key reused
    status(api.post(orders, json=change("GUARD"),
                    headers={"Idempotency-Key": key(), "If-Match": f'"{version}"'}), 412)
    status(api.post(orders, json=change("BEEP"),
                    headers={"Idempotency-Key": key(), "If-Match": f'"{version + 1}"'}), 422)
    status(api.post(orders, json=change("GUARD"), headers={"Idempotency-Key": key()}), 428)
    status(api.post(orders, json={**change("GUARD"), "productOrderItem": [
        {**item("GUARD"), "product": {"productRelationship": [
            {"relationshipType": "bundled", "product": {"id": "L-79990000000"}}]}}]},
        headers={"Idempotency-Key": key(), "If-Match": '"1"'}), 404)
    kit = {"productOrderItem": [{"id": "1", "action": "add"}],
           "relatedParty": [{"id": "x", "@referredType": "Individual"}]}
    world = f"{orders}/{placed['id']}"
    for collection, body, world_item in ((orders, kit, world),
                                         (carts, {"cartItem": [item("GUARD")]}, None)):
        status(api.get(collection, params={"state": "completed", "limit": 2}), 200)
        status(api.get(collection, params={"limit": "-1"}), 400)
        status(api.get(collection, headers=no_token), 401)
        made = status(api.post(collection, json=body), 201)
        status(api.post(collection, json=[body]), 400)
        status(api.post(collection, json={}, headers=no_token), 401)
        entity = f"{collection}/{made['id']}"
        status(api.get(entity, params={"fields": "id"}), 200)
        status(api.get(f"{collection}/nothing-here"), 404)
        status(api.get(entity, headers=no_token), 401)
        status(api.patch(entity, json={"description": "changed"}), 200)
        status(api.patch(entity, json={"href": "elsewhere"}), 400)
        status(api.patch(f"{collection}/nothing-here", json={}), 404)
        status(api.patch(entity, json={}, headers=no_token), 401)
        status(api.delete(entity), 204)
        status(api.delete(entity), 404)
        status(api.delete(entity, headers=no_token), 401)
        if world_item is not None:
            status(api.get(world_item), 200)
            status(api.patch(world_item, json={"description": "changed"}), 405)
            status(api.delete(world_item), 405)
    status(api.post(carts, json={"cartItem": [{**item("GUARD"), "product": {
        "productRelationship": [{"relationshipType": "bundled",
                                 "product": {"id": "L-79990000000"}}]}}]}), 404)
    status(api.post(carts, json={"cartItem": [item("BEEP")]}), 422)  # already connected

    # R11: a paper detalization for pick-up at a salon, and the salon's state reports.
    def paper(msisdn: str, salon: str = "MSK-TVERSKAYA-12") -> dict[str, Any]:
        return {"productOrderItem": [{
            "id": "1", "action": "add", "productOffering": {"id": "paper-detalization"},
            "product": {"productCharacteristic": [{"name": "periodStart", "value": "2026-10-01"},
                                                  {"name": "periodEnd", "value": "2026-10-31"}],
                        "place": [{"id": salon, "role": "pickupSalon"}],
                        "productRelationship": [{"relationshipType": "bundled", "product": {
                            "id": f"L-{msisdn.removeprefix('+')}"}}]}}]}

    pickup = status(api.post(orders, json=paper(MARIA), headers={"Idempotency-Key": key()}),
                    201)
    status(api.post(orders, json=paper(POPOVA), headers={"Idempotency-Key": key()}), 422)  # R7
    status(api.post(orders, json=paper(MARIA, "NOWHERE-1"), headers={"Idempotency-Key": key()}),
           422)
    status(api.post(orders, json=paper(UNKNOWN), headers={"Idempotency-Key": key()}), 404)
    status(api.post(orders, json=paper(MARIA)), 400)  # no Idempotency-Key
    status(api.get(orders, params={"productOrderItem.productOffering.id": "paper-detalization",
                                   "productOrderItem.product.place.id": "MSK-TVERSKAYA-12",
                                   "state": "acknowledged,inProgress"}), 200)
    picked = f"{orders}/{pickup['id']}"
    handing = {"Idempotency-Key": key()}
    status(api.patch(picked, json={"state": "completed"}, headers=handing), 200)
    status(api.patch(picked, json={"state": "completed"}, headers=handing), 200)  # replayed
    status(api.patch(picked, json={"state": "inProgress"}, headers={"Idempotency-Key": key()}),
           409)  # R11: handed over already
    status(api.patch(picked, json={"state": "completed"}, headers=handing | {
        "Idempotency-Key": handing["Idempotency-Key"]}), 200)
    status(api.patch(picked, json={"state": "cancelled"}, headers=handing), 409)  # key reused
    status(api.patch(picked, json={"state": "shipped"}, headers={"Idempotency-Key": key()}), 400)
    status(api.patch(picked, json={"state": "completed"}), 400)  # no Idempotency-Key

    status(api.put("/sandbox/faults", json={"error_rate": 1.0, "paths": ["/tmf-api"]}), 200)
    for method, path, kwargs in (("GET", orders, {}), ("POST", orders, {"json": kit}),
                                 ("GET", world, {}), ("PATCH", world, {"json": {}}),
                                 ("DELETE", world, {}), ("GET", carts, {}),
                                 ("POST", carts, {"json": {}}), ("GET", f"{carts}/x", {}),
                                 ("PATCH", f"{carts}/x", {"json": {}}),
                                 ("DELETE", f"{carts}/x", {})):
        answer = api.request(method, path, **kwargs)
        assert answer.status_code == 503 and answer.json()["@type"] == "Error", answer.text
    status(api.delete("/sandbox/faults"), 200)


def test_oauth_token_endpoint(api: httpx.Client) -> None:
    """POST /sandbox/oauth/token (RFC 6749 §4.4): a token by HTTP Basic or the form body; the
    RFC's error answers; the token then opens /v1 and /tmf-api."""
    form = {"grant_type": "client_credentials"}
    basic = {"Authorization": "Basic " + base64.b64encode(
        f"salon-console:{TOKEN}".encode()).decode()}
    given = status(api.post("/sandbox/oauth/token", data={**form, "scope": "tmf"},
                            headers=basic), 200)
    assert given["token_type"] == "Bearer" and given["scope"] == "tmf"
    status(api.post("/sandbox/oauth/token", data={**form, "client_id": "salon-console",
                                                  "client_secret": TOKEN}), 200)
    status(api.post("/sandbox/oauth/token", data=form, headers=basic | {
        "Authorization": "Basic " + base64.b64encode(b"salon-console:wrong").decode()}), 401)
    status(api.post("/sandbox/oauth/token", data=form), 401)
    status(api.post("/sandbox/oauth/token", data={"grant_type": "password"}, headers=basic),
           400)
    status(api.post("/sandbox/oauth/token", json=form, headers=basic), 400)
    bearer = {"Authorization": f"Bearer {given['access_token']}"}
    status(api.get(f"/v1/subscribers/{MARIA}", headers=bearer), 200)
    status(api.get("/tmf-api/productInventory/v4/product", params={"limit": 1},
                   headers=bearer), 200)


def test_every_answer_was_documented_and_every_documented_status_served(
        contract: ContractCheck) -> None:
    """Last in the module: what the others saw."""
    assert contract.checked > 120
    assert contract.problems == [], "\n".join(contract.problems)
    never = contract.documented() - contract.seen - NOT_PROVOKED
    assert sorted(never) == []
