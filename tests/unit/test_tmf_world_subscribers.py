"""The world's lines, people and customers as TMF sources: a filter the subscribers table answers
(a number, an id, a status) is applied in SQLite, so a lookup by number makes one line, not the
world's 260; other filters are checked on made lines and agree; names split into their parts."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from sandbox.clock import Clock
from sandbox.deps import Context
from sandbox.entities import SubscriberState
from sandbox.store import Store
from sandbox.tmf import inventory_api, party_api
from sandbox.tmf.links import Links
from sandbox.tmf.query import parse_query
from sandbox.tmf.sources import Source
from sandbox.tmf.world_people import split_name
from tests.support.pinned import PINNED, WORLD_AT

LINKS = Links("http://127.0.0.1:9")
MARIA = "+79161234567"


@pytest.fixture
def ctx(tmp_path: Path) -> Iterator[Context]:
    store = Store.open(tmp_path / "sandbox.sqlite3", 2026, now=WORLD_AT)
    try:
        yield Context.build(store, Clock(store, real_time=PINNED.timestamp), "token")
    finally:
        store.close()


class Made:
    """Counts the subscriber states the ledger is asked for: one per line made."""

    def __init__(self, ctx: Context, monkeypatch: pytest.MonkeyPatch) -> None:
        self.asked: list[str] = []
        state = ctx.ledger.state

        def counting(msisdn: str) -> SubscriberState | None:
            self.asked.append(msisdn)
            return state(msisdn)

        monkeypatch.setattr(ctx.ledger, "state", counting)


def select(source: Source, *filters: tuple[str, str], offset: int = 0,
           limit: int = 1000) -> tuple[list[dict[str, Any]], int]:
    query = parse_query(list(filters), default_limit=limit, max_limit=10_000)
    chosen = source.select(query, LINKS, offset, limit)
    return chosen.items, chosen.total


def test_a_lookup_by_number_makes_one_line(ctx: Context,
                                           monkeypatch: pytest.MonkeyPatch) -> None:
    made = Made(ctx, monkeypatch)
    lines = inventory_api.PRODUCT.world_source(ctx)
    assert lines is not None
    items, total = select(lines, ("productSerialNumber", MARIA))
    assert total == 1 and items[0]["id"] == "L-79161234567"
    assert made.asked == [MARIA]
    made.asked.clear()
    items, total = select(lines, ("productSerialNumber", "+79990000000"))
    assert (items, total, made.asked) == ([], 0, [])
    items, total = select(lines, ("id", "L-79161234567,L-79121234567"),
                          ("productSerialNumber", MARIA))
    assert [i["id"] for i in items] == ["L-79161234567"] and made.asked == [MARIA]


def test_a_page_makes_only_the_lines_it_shows(ctx: Context,
                                             monkeypatch: pytest.MonkeyPatch) -> None:
    made = Made(ctx, monkeypatch)
    lines = inventory_api.PRODUCT.world_source(ctx)
    assert lines is not None
    items, total = select(lines, offset=250, limit=100)
    assert total == len(ctx.store.msisdns()) == 260
    assert [i["productSerialNumber"] for i in items] == ctx.store.msisdns()[250:]
    assert len(made.asked) == 10
    made.asked.clear()
    items, total = select(lines, ("status", "suspended"), limit=3)
    blocked = [m for m, _name, status in ctx.store.subscriber_rows() if status == "blocked"]
    assert total == len(blocked) > 3 and len(made.asked) == 3
    assert [i["productSerialNumber"] for i in items] == blocked[:3]


def test_other_filters_are_checked_on_made_lines(ctx: Context) -> None:
    lines = inventory_api.PRODUCT.world_source(ctx)
    assert lines is not None
    everything, _total = select(lines)
    smart = [line for line in everything if line["productOffering"]["id"] == "tariff-SMART"]
    items, count = select(lines, ("productOffering.id", "tariff-SMART"), offset=1, limit=2)
    assert count == len(smart) > 3 and items == smart[1:3]
    items, count = select(lines, ("productCharacteristic.value.code", "RU-BA"),
                          ("status", "active"))
    assert items and count == len(items) and all(
        line["productCharacteristic"][0]["value"]["timeZone"] == "Asia/Yekaterinburg"
        and line["status"] == "active" for line in items)
    assert select(lines, ("status", "terminated")) == ([], 0)


def test_people_come_from_the_subscribers_table(ctx: Context,
                                                monkeypatch: pytest.MonkeyPatch) -> None:
    made = Made(ctx, monkeypatch)
    people = party_api.INDIVIDUAL.world_source(ctx)
    assert people is not None
    items, total = select(people, ("id", "I-79161234567"))
    assert total == 1 and items[0]["familyName"] == "Иванова"
    items, total = select(people, ("familyName", "Иванова"))
    assert items and all(i["fullName"].startswith("Иванова ") for i in items)
    assert made.asked == []  # a person needs no subscriber state


@pytest.mark.parametrize(("full", "family", "given", "middle"), [
    ("Иванова Мария Петровна", "Иванова", "Мария", "Петровна"),
    ("Хабибуллин Рустам Ильдарович", "Хабибуллин", "Рустам", "Ильдарович"),
    ("  Оглы  Ахмед  Гусейн оглы ", "Оглы", "Ахмед", "Гусейн оглы"),
    ("Смит Джон", "Смит", "Джон", None),
    ("Мадонна", "Мадонна", "", None),
])
def test_a_russian_full_name_splits_into_its_parts(full: str, family: str, given: str,
                                                   middle: str | None) -> None:
    name = split_name(full)
    assert (name.family, name.given, name.middle) == (family, given, middle)
    assert name.full == " ".join(full.split())
