"""Training from the command line, issue 14: `salon sandbox list` shows each demo subscriber's
made-up identity document, representative and e-mail (to practise the identity check), and
`salon sandbox order-paper` orders a paper detalization for pick-up at a salon as the web shop
would — salon.ini's salon by default, refused for a number of another home region (R7, exit 3)
and for a bad period (exit 2). The order is the training world's: a sandbox started on the
same data folder lists it in the salon's queue."""

from __future__ import annotations

import json
import subprocess
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any

import httpx

from sandbox.server import start_in_background
from tests.integration.test_lookup_end_to_end import SALON

TOKEN = "pickup-cli-token"
BASE = "/tmf-api/productOrderingManagement/v4/productOrder"


def salon(env: dict[str, str], *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([SALON, *args], env=env, capture_output=True, text=True, timeout=120)


def answer(done: subprocess.CompletedProcess[str], code: int = 0) -> Any:
    assert done.returncode == code, done.stdout + done.stderr
    return json.loads(done.stdout)


def world_today(env: dict[str, str]) -> date:
    """The training world's today (UTC), from its own clock."""
    now = answer(salon(env, "sandbox", "clock", "--json"))["now"]
    return datetime.fromisoformat(now).date()


def test_the_demo_list_shows_the_documents_to_practise_on(salon_env: dict[str, str]) -> None:
    rows = {row["msisdn"]: row for row in answer(salon(salon_env, "sandbox", "list", "--json"))}
    smirnov = rows["+79119876543"]
    assert smirnov["document_type"] == "passportRF"
    assert len(smirnov["document_number"]) == 11 and smirnov["document_number"][4] == " "
    assert smirnov["representative"]["name"] and smirnov["representative"][
        "document_number"] != smirnov["document_number"]
    assert rows["+79161234567"]["email"].endswith(".example")
    assert any(row["unverified"] for row in rows.values())
    assert all(row["document_number"] for row in rows.values())
    text = salon(salon_env, "sandbox", "list")
    assert text.returncode == 0, text.stderr
    line = next(x for x in text.stdout.splitlines() if x.startswith("+79119876543"))
    assert smirnov["document_number"] in line
    assert smirnov["representative"]["document_number"] in line
    unverified = next(m for m, row in rows.items() if row["unverified"])
    assert "unverified" in next(x for x in text.stdout.splitlines() if x.startswith(unverified))


def test_order_paper_places_one_for_the_salons_queue(salon_env: dict[str, str],
                                                     tmp_path: Path) -> None:
    today = world_today(salon_env)
    start, end = (today - timedelta(days=30)).isoformat(), (today - timedelta(days=1)).isoformat()
    placed = answer(salon(salon_env, "sandbox", "order-paper", "+7 916 123-45-67", "--from",
                          start, "--to", end, "--json"))
    assert placed["salon"] == "MSK-TVERSKAYA-12"  # salon.ini's
    assert (placed["period_start"], placed["period_end"]) == (start, end)
    assert placed["state"] == "acknowledged" and placed["order_id"].startswith("PU-")
    other = answer(salon(salon_env, "sandbox", "order-paper", "+7 911 987-65-43", "--from",
                         start, "--to", end, "--salon", "SPB-NEVSKY-28", "--json"))
    assert other["salon"] == "SPB-NEVSKY-28" and other["order_id"] != placed["order_id"]
    text = salon(salon_env, "sandbox", "order-paper", "+7 916 123-45-67", "--from", start,
                 "--to", end)
    assert text.returncode == 0 and "MSK-TVERSKAYA-12" in text.stdout, text.stderr

    running = start_in_background(tmp_path / "data" / "sandbox.db", 2026, TOKEN)
    try:
        queue = httpx.get(f"{running.url}{BASE}", headers={"Authorization": f"Bearer {TOKEN}"},
                          params={"productOrderItem.productOffering.id": "paper-detalization",
                                  "productOrderItem.product.place.id": "MSK-TVERSKAYA-12",
                                  "state": "acknowledged", "limit": 1000}).json()
    finally:
        running.stop()
    assert placed["order_id"] in [order["id"] for order in queue]


def test_order_paper_refuses_another_region_and_a_bad_period(salon_env: dict[str, str]) -> None:
    today = world_today(salon_env)
    start, end = (today - timedelta(days=30)).isoformat(), (today - timedelta(days=1)).isoformat()
    komi = answer(salon(salon_env, "sandbox", "order-paper", "+7 912 123-45-67", "--from", start,
                        "--to", end, "--json"), 3)["error"]
    assert komi["rule"] == "R7" and "+7 912 123-45-67" in komi["message"]
    for period in ((end, start), (start, (today + timedelta(days=2)).isoformat()),
                   ("2026-13-01", end), (start, "yesterday")):
        refused = salon(salon_env, "sandbox", "order-paper", "+7 916 123-45-67", "--from",
                        period[0], "--to", period[1], "--json")
        assert answer(refused, 2)["error"]["exit_code"] == 2
    unknown = salon(salon_env, "sandbox", "order-paper", "+7 916 123-45-67", "--from", start,
                    "--to", end, "--salon", "NOWHERE-1", "--json")
    assert "NOWHERE-1" in answer(unknown, 2)["error"]["message"]
