"""The order commands through every real part: `salon tariffs|services`, `salon tariff`,
`salon service add|remove`, `salon assistant connect`, `salon outbox` — the sandbox over
loopback HTTP, the SQLite store, the journal, the slip on disk. Exit codes and the JSON shapes
the README documents; the operator going away between the preview and the order.

Most run in-process (`cli.run` with the real services, as app/main.py wires them); a few run
the `salon` command itself."""

from __future__ import annotations

import io
import json
import subprocess
from collections.abc import Iterator
from datetime import date, timedelta
from decimal import Decimal
from pathlib import Path
from typing import Any

import httpx
import pytest

from app import cli
from app.clock import SystemClock
from app.config import load_settings
from app.main import build_services, console_clock, real_parts
from app.services.credentials import KEYRING_SERVICE, OPERATOR_TOKEN
from app.services.registry import Services
from models.domain import Session
from sandbox.server import RunningSandbox, start_in_background
from tests.conftest import write_ini
from tests.integration.test_clerk_cli import on_a_terminal
from tests.integration.test_lookup_end_to_end import salon
from tests.support.tmf_items import add_item, line, order_body

MARIA, ORLOV, VIP = "+79161234567", "+79261112233", "+79031234500"
POPOVA, KUBAN = "+79121234567", "+79181234567"
TOKEN = "orders-cli-token"
ORDERS = "/tmf-api/productOrderingManagement/v4/productOrder"
CART = "/tmf-api/shoppingCart/v4/shoppingCart"
INVENTORY = "/tmf-api/productInventory/v4/product"


class Wiring:
    def __init__(self, services: Services, session: Session) -> None:
        self._services, self._session = services, session

    def services(self) -> Services:
        return self._services

    def session(self) -> Session:
        return self._session


@pytest.fixture(scope="module")
def sandbox(tmp_path_factory: pytest.TempPathFactory) -> Iterator[RunningSandbox]:
    with start_in_background(tmp_path_factory.mktemp("orders-cli") / "world.db", 2026,
                             TOKEN) as running:
        yield running


@pytest.fixture
def console(sandbox: RunningSandbox, tmp_path: Path, memory_keyring: Any) -> Iterator[Wiring]:
    memory_keyring.set_password(KEYRING_SERVICE, OPERATOR_TOKEN, TOKEN)
    settings = load_settings(write_ini(tmp_path, operator={"url": sandbox.url,
                                                           "read_retries": "1"}))
    services = build_services(settings, console_clock(settings), real_parts(settings),
                              start_pump=False)
    try:
        services.clerks.add_first_manager("boss", "Игорь Белов", "boss-pass-1")
        yield Wiring(services, services.clerks.sign_in("boss", "boss-pass-1"))
    finally:
        services.close()


def run(wiring: Wiring, *argv: str) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr("sys.stderr", err)
        patch.setattr("sys.stdin", io.StringIO(""))  # no terminal: nobody to ask
        code = cli.run(cli.build_parser().parse_args(list(argv)), wiring, out)  # type: ignore[arg-type]
    return code, out.getvalue(), err.getvalue()


def api(sandbox: RunningSandbox) -> httpx.Client:
    return httpx.Client(base_url=sandbox.url, headers={"Authorization": f"Bearer {TOKEN}"})


def test_the_catalog_as_json(console: Wiring) -> None:
    code, out, _err = run(console, "tariffs", "--json")
    assert code == 0
    tariffs = {t["code"]: t for t in json.loads(out)}
    assert tariffs["SMART_PLUS"] == {"code": "SMART_PLUS", "name": "Смарт Плюс",
                                     "class": "mass", "currency": "RUB",
                                     "one_off_fee": "100.00", "monthly_fee": "750.00",
                                     "available": True}
    assert tariffs["CLASSIC"]["available"] is False
    assert {t["class"] for t in tariffs.values()} == {"mass", "corporate", "vip"}
    code, out, _err = run(console, "services", "--json")
    services = {s["code"]: s for s in json.loads(out)}
    assistant = services["ASSISTANT"]
    assert assistant["allowed_classes"] == ["mass"] and assistant["one_off_fee"] == "0.00"
    # R5: the trial began 11 days before the world was drawn (today) and runs 30 days.
    start, end = (date.fromisoformat(assistant["trial"][k]) for k in ("start", "end"))
    today = SystemClock().now().date()  # the world is drawn at the UTC day it is created
    assert end - start == timedelta(days=30) and start < today < end
    assert "R5" in assistant["trial"]["notice"]
    assert services["FAVOURITE"]["one_off_fee"] == "25.00"
    assert services["GUARD"]["trial"] is None
    assert all(Decimal(s["monthly_fee"]).as_tuple().exponent == -2 for s in services.values())
    code, out, _err = run(console, "services")
    assert code == 0 and "ASSISTANT" in out and "R5" in out


def test_a_tariff_change_with_yes_is_done_with_its_slip(console: Wiring,
                                                        sandbox: RunningSandbox) -> None:
    code, out, err = run(console, "tariff", "+7 918 123-45-67", "smart", "--yes", "--json")
    assert code == 0, err
    report = json.loads(out)
    assert set(report) == {"status", "message", "request", "preview", "item", "result",
                           "slip_path", "queued", "changes", "delivery"}
    assert report["status"] == "done" and report["queued"] is False
    assert report["delivery"] == {"method": "file", "message": None}  # the slip stays a file
    assert report["request"] == {"msisdn": KUBAN, "action": "change_tariff", "code": "SMART"}
    assert report["preview"]["allowed"] and report["preview"]["currency"] == "RUB"
    assert report["item"]["state"] == "done" and report["item"]["attempts"] == 1
    order_id = report["result"]["order_id"]
    assert report["item"]["result"]["order_id"] == order_id
    slip = Path(report["slip_path"])
    assert slip.is_file() and slip.parent.name == "slips"
    text = subprocess.run(["pdftotext", str(slip), "-"], capture_output=True, text=True,
                          check=True).stdout
    assert order_id in text and "Смарт" in text and "+7 918 123-45-67" in text
    with api(sandbox) as http:
        listed = http.get(ORDERS, params={"productOrderItem.product.id": line(KUBAN)}).json()
    assert [o["id"] for o in listed].count(order_id) == 1
    mine = next(o for o in listed if o["id"] == order_id)
    assert mine["relatedParty"] == [{"id": "boss", "role": "clerk",
                                     "@referredType": "Individual"}]
    assert mine["externalId"] == report["item"]["key"]
    journal = [(e.action, e.result) for e in console.services().audit.latest(5)]
    assert ("tariff_change", "done") in journal and ("document_save", "done") in journal
    assert ("print", "done") not in journal  # saved, never printed


def test_text_output_shows_the_preview_then_the_result(console: Wiring) -> None:
    code, out, err = run(console, "service", "add", "8 912 123-45-67", "favourite", "--yes")
    assert code == 0, err
    assert "One-off fee: 25.00" in out.replace("\u00a0", " ")
    assert "Monthly cost:" in out and "Main balance:" in out
    assert "Done: the operator applied the change" in out and "Confirmation slip:" in out


def test_without_yes_and_without_a_terminal_nothing_happens(console: Wiring) -> None:
    code, out, err = run(console, "service", "add", POPOVA, "BEEP")
    assert code == 2 and "--yes" in err
    assert "One-off fee" in out  # the preview was shown
    assert console.services().orders.recent() == []


def test_r1_is_refused_before_the_operator_is_asked(console: Wiring) -> None:
    for number in (ORLOV, VIP):
        code, out, err = run(console, "assistant", "connect", number, "--json")
        assert code == 3 and "(R1)" in err
        report = json.loads(out)
        assert report["status"] == "refused" and report["preview"] is None
    code, _out, err = run(console, "service", "add", ORLOV, "assistant", "--yes")
    assert code == 3 and "R1" in err
    assert console.services().orders.recent() == []


def test_refusals_name_the_rule(console: Wiring) -> None:
    code, out, err = run(console, "tariff", MARIA, "SMART", "--yes", "--json")
    assert code == 3 and "same_tariff" in err  # the operator's preview refuses it
    assert json.loads(out)["preview"]["refusal"]["rule"] == "same_tariff"
    code, _out, err = run(console, "tariff", MARIA, "CLASSIC", "--yes")
    assert code == 3 and "not_available" in err  # archived: known from the catalog
    code, _out, err = run(console, "service", "remove", POPOVA, "CONFERENCE", "--yes")
    assert code == 3 and "not_connected" in err
    code, _out, err = run(console, "service", "add", "+79171234567", "GUARD", "--yes")
    assert code == 3 and "subscriber_blocked" in err


@pytest.mark.parametrize("argv", [["tariff", "8 495 123-45-67", "SMART"],
                                  ["tariff", MARIA, "NO_SUCH_TARIFF", "--yes"],
                                  ["service", "add", MARIA, "NOPE", "--yes"],
                                  ["service", "add", MARIA, "FAV;DROP", "--yes"],
                                  ["tariff", "+79990000001", "SMART", "--yes"]])
def test_bad_input_exits_2_and_changes_nothing(console: Wiring, argv: list[str]) -> None:
    code, _out, err = run(console, *argv)
    assert code == 2 and err.strip()
    assert console.services().orders.recent() == []


def _fail_writes(console: Wiring, sandbox: RunningSandbox, mode: str) -> None:
    """Let the preview through, then break the next order: the operator answers 503 to every
    try (nothing applied), or every answer to the write is lost after it was applied."""
    client = console.services().orders._delivery._api  # type: ignore[attr-defined]
    place = client.place_order

    def broken(*args: Any, **kwargs: Any) -> Any:
        client.place_order = place  # this order only
        with api(sandbox) as http:
            if mode == "down":
                http.put("/sandbox/faults", json={"error_rate": 1, "paths": [ORDERS]})
            else:
                http.put("/sandbox/faults", json={"drop_after_rate": 1, "paths": [ORDERS]})
        try:
            return place(*args, **kwargs)
        finally:
            with api(sandbox) as http:
                http.delete("/sandbox/faults")

    client.place_order = broken


def test_unreachable_without_a_decision_cancels_what_never_left(console: Wiring,
                                                                sandbox: RunningSandbox) -> None:
    _fail_writes(console, sandbox, "down")
    code, out, err = run(console, "service", "add", MARIA, "BEEP", "--yes", "--json")
    assert code == 5 and "cancelled" in err and "nothing reached the operator" in err
    report = json.loads(out)
    assert report["status"] == "unreachable" and report["queued"] is False
    assert report["item"]["state"] == "cancelled"


def test_unreachable_queued_on_request_then_sent(console: Wiring,
                                                 sandbox: RunningSandbox) -> None:
    _fail_writes(console, sandbox, "down")
    code, out, err = run(console, "service", "add", MARIA, "WHO_CALLED", "--yes", "--json",
                         "--queue-if-offline")
    assert code == 5 and "queued" in err and "salon outbox send" in err
    item = json.loads(out)["item"]
    assert item["state"] == "queued" and not item["maybe_delivered"]
    code, out, _err = run(console, "outbox", "--json")
    assert code == 0 and [i["id"] for i in json.loads(out) if i["pending"]] == [item["id"]]
    code, out, _err = run(console, "outbox", "send", "--json")
    sent = json.loads(out)
    assert code == 0 and sent["pending"] == []
    assert [(i["id"], i["state"]) for i in sent["finished"]] == [(item["id"], "done")]
    assert sent["finished"][0]["slip_path"]
    code, out, _err = run(console, "outbox")
    assert code == 0 and f"#{item['id']}" in out and "done" in out


def test_maybe_delivered_is_not_cancelled_but_stays_queued(console: Wiring,
                                                           sandbox: RunningSandbox) -> None:
    _fail_writes(console, sandbox, "drop")
    code, out, err = run(console, "service", "add", MARIA, "MOBILE_TV", "--yes", "--json")
    assert code == 5 and "may have reached the operator" in err
    item = json.loads(out)["item"]
    assert item["state"] == "queued" and item["maybe_delivered"] and item["cancel_requested"]
    code, _out, err = run(console, "outbox", "cancel", str(item["id"]))
    assert code == 3 and "maybe_delivered" in err
    with api(sandbox) as http:  # it was applied: the outbox will learn it by its key
        found = http.get(ORDERS, params={"externalId": item["key"]}).json()
    assert [o["state"] for o in found] == ["completed"]


def test_no_preview_offline(console: Wiring, sandbox: RunningSandbox) -> None:
    with api(sandbox) as http:
        http.put("/sandbox/faults", json={"error_rate": 1, "paths": [CART]})
    try:
        code, _out, err = run(console, "service", "add", MARIA, "ANTI_AON", "--yes")
    finally:
        with api(sandbox) as http:
            http.delete("/sandbox/faults")
    assert code == 5 and "nothing was sent or queued" in err
    assert console.services().orders.recent() == []


def test_an_order_for_a_number_others_changed_is_stale(console: Wiring,
                                                       sandbox: RunningSandbox) -> None:
    orders = console.services().orders
    preview = orders.preview

    def and_another_salon_changes_it(clerk: Session, request: Any) -> Any:
        seen = preview(clerk, request)
        with api(sandbox) as http:  # meanwhile, at another salon
            version = http.get(f"{INVENTORY}/{line(MARIA)}").headers["ETag"]
            http.post(ORDERS, json=order_body(add_item(MARIA, "ROAMING_PLUS")),
                      headers={"Idempotency-Key": f"other-salon-{version.strip(chr(34)):0>8}",
                               "If-Match": version}).raise_for_status()
        return seen

    orders.preview = and_another_salon_changes_it  # type: ignore[method-assign]
    code, out, err = run(console, "service", "add", MARIA, "ANTI_AON", "--yes")
    assert code == 3 and "version_mismatch" in err
    assert "What changed since the preview:" in out
    assert "  connected: «Роуминг без границ»" in out


def test_the_salon_command_end_to_end(salon_env: dict[str, str]) -> None:
    env = {**salon_env, "SALON_CLERK": "clerk", "SALON_PASSWORD": "clerk-demo"}
    done = salon(env, "assistant", "connect", "+7 912 123-45-67", "--yes", "--json")
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout)["result"]["fee"] == "0.00"
    refused = salon(env, "assistant", "connect", "+7 926 111-22-33", "--yes")
    assert refused.returncode == 3 and "R1" in refused.stderr
    unconfirmed = salon(env, "tariff", "+7 916 123-45-67", "SMART_PLUS")
    assert unconfirmed.returncode == 2 and "--yes" in unconfirmed.stderr
    listing = salon(env, "outbox", "--json")
    assert listing.returncode == 0
    assert [i["state"] for i in json.loads(listing.stdout)] == ["done"]
    assert "Traceback" not in done.stderr + refused.stderr + unconfirmed.stderr


def test_on_a_terminal_the_clerk_is_asked_and_no_means_no(salon_env: dict[str, str]) -> None:
    env = {**salon_env, "SALON_CLERK": "clerk", "SALON_PASSWORD": "clerk-demo"}
    code, shown = on_a_terminal(env, ["tariff", "+7 916 123-45-67", "SMART_PLUS"],
                                [(b"Confirm the change? [y/N]", b"n")])
    text = shown.decode()
    assert code == 1 and "Nothing was changed." in text
    assert "One-off fee: 100.00" in text.replace("\u00a0", " ")  # the preview came first
    listing = salon(env, "outbox", "--json")
    assert json.loads(listing.stdout) == []
