"""The console's card and balances over TMF against the real sandbox on loopback: for every
subscriber of the world, the card (TMF637 line, TMF620 tariff class) and the balances (TMF654)
the client makes are exactly what the older /v1 contract says of the same instant; the main
balance at an instant (x-salon) is /v1's `?at=`; and every request the client sends and every
answer it gets is held to TM Forum's published v4 documents (query attributes included).

The sandbox's clock stands still (its real time is pinned), so both contracts describe one
instant."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime, timedelta
from decimal import Decimal
from typing import Any

import httpx
import pytest

from app.errors import SubscriberNotFound
from app.operator_api.client import OperatorClient
from models.domain import (
    Balances,
    Money,
    PackageKind,
    PackageRemainder,
    Region,
    ServiceRef,
    Subscriber,
    SubscriberStatus,
    TariffClass,
    TariffRef,
)
from sandbox.server import RunningSandbox, start_in_background
from tests.support.pinned import PINNED, pinned_clock
from tests.support.tmf_docs import TmfDocs

TOKEN = "lines-token"


@pytest.fixture(scope="module")
def sandbox(tmp_path_factory: pytest.TempPathFactory) -> Iterator[RunningSandbox]:
    frozen = PINNED.timestamp()
    running = start_in_background(tmp_path_factory.mktemp("lines") / "sandbox.sqlite3", 2026,
                                  TOKEN, real_time=lambda: frozen)
    yield running
    running.stop()


@pytest.fixture(scope="module")
def docs() -> TmfDocs:
    return TmfDocs.from_folder()


@pytest.fixture(scope="module")
def client(sandbox: RunningSandbox, docs: TmfDocs) -> Iterator[OperatorClient]:
    operator = OperatorClient(sandbox.url, TOKEN, clock=pinned_clock(), read_timeout=60,
                              transport=docs.transport())
    yield operator
    operator.close()


@pytest.fixture(scope="module")
def v1(sandbox: RunningSandbox) -> Iterator[httpx.Client]:
    with httpx.Client(base_url=sandbox.url, timeout=60,
                      headers={"Authorization": f"Bearer {TOKEN}"}) as raw:
        yield raw


def numbers(v1: httpx.Client) -> list[str]:
    return [row["msisdn"] for row in v1.get("/sandbox/subscribers").json()["items"]]


# -- what /v1 says, as the domain holds it (independent of the console's old wire models) -------

def rub(money: dict[str, str]) -> Money:
    return Money(Decimal(money["value"]), money["currency"])


def instant(text: str | None) -> datetime | None:
    return None if text is None else datetime.fromisoformat(text.replace("Z", "+00:00"))


def v1_card(v1: httpx.Client, msisdn: str) -> Subscriber:
    answer = v1.get(f"/v1/subscribers/{msisdn}")
    assert answer.status_code == 200, answer.text
    card: dict[str, Any] = answer.json()
    region, tariff = card["home_region"], card["tariff"]
    assert answer.headers["ETag"] == f'"{card["version"]}"'
    return Subscriber(
        msisdn=card["msisdn"], name=card["name"], status=SubscriberStatus(card["status"]),
        region=Region(region["code"], region["name"], region["name_en"], region["timezone"]),
        tariff=TariffRef(tariff["code"], tariff["name"], TariffClass(tariff["class"]),
                         rub(tariff["monthly_fee"])),
        services=tuple(ServiceRef(s["code"], s["name"]) for s in card["services"]),
        assistant_connected=card["assistant"]["connected"], version=card["version"],
        activated_at=instant(card.get("activated_at")))


def v1_balances(v1: httpx.Client, msisdn: str) -> Balances:
    buckets = v1.get(f"/v1/subscribers/{msisdn}/balance").json()["buckets"]
    by_kind = {b["kind"]: b for b in buckets if b["kind"] != "package"}
    main = rub(by_kind["main"]["amount"])
    debt = by_kind.get("promised_payment_debt")
    packages = tuple(PackageRemainder(PackageKind(b["package"]), Decimal(b["remaining"]),
                                      Decimal(b["total"]), b["unit"], instant(b["expires_at"]))
                     for b in buckets if b["kind"] == "package")
    return Balances(main, rub(by_kind["bonus"]["amount"]),
                    rub(debt["amount"]) if debt else Money(Decimal("0.00"), main.currency),
                    instant(debt["due_at"]) if debt else None, packages)


# -- the tests ----------------------------------------------------------------------------------

def test_every_subscribers_card_and_balances_are_what_v1_says(client: OperatorClient,
                                                              v1: httpx.Client) -> None:
    everyone = numbers(v1)
    assert len(everyone) >= 200
    seen = {"blocked": 0, "vip": 0, "corporate": 0, "debt": 0, "assistant": 0}
    for msisdn in everyone:
        card = client.subscriber(msisdn)
        assert card == v1_card(v1, msisdn), msisdn
        balances = client.balances(msisdn)
        assert balances == v1_balances(v1, msisdn), msisdn
        seen["blocked"] += card.status is SubscriberStatus.BLOCKED
        seen["vip"] += card.tariff.tariff_class is TariffClass.VIP
        seen["corporate"] += card.tariff.tariff_class is TariffClass.CORPORATE
        seen["debt"] += balances.promised_payment_due is not None
        seen["assistant"] += card.assistant_connected
    assert all(seen.values()), seen  # every kind of card was compared


def test_the_main_balance_at_an_instant_is_v1s(client: OperatorClient, v1: httpx.Client) -> None:
    for msisdn in numbers(v1)[:20]:
        for days in (0, 1, 9, 40):
            at = PINNED - timedelta(days=days, seconds=17)
            expected = v1.get(f"/v1/subscribers/{msisdn}/balance",
                              params={"at": at.isoformat().replace("+00:00", "Z")}).json()
            main = next(b for b in expected["buckets"] if b["kind"] == "main")
            assert client.balances_at(msisdn, at).main == rub(main["amount"]), (msisdn, days)


def test_a_number_the_operator_does_not_serve(client: OperatorClient, v1: httpx.Client) -> None:
    known = set(numbers(v1))
    unknown = next(f"+7999{n:07d}" for n in range(10**7) if f"+7999{n:07d}" not in known)
    with pytest.raises(SubscriberNotFound):
        client.subscriber(unknown)
    with pytest.raises(SubscriberNotFound):
        client.balances(unknown)


def test_every_message_was_as_the_published_documents_say(docs: TmfDocs) -> None:
    """Last in the module: the requests the client sent above and the answers it got."""
    assert docs.checked > 400
    assert docs.deviations == []
