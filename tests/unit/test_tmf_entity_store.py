"""The generic store of entities created through the TMF APIs: kept in the sandbox's database
beside the world (schema 4, added to older worlds on open), served with hrefs of the request's
base, never touching a subscriber."""

from __future__ import annotations

import sqlite3
from pathlib import Path

from sandbox.store import SCHEMA_VERSION, Store
from sandbox.tmf.entity_store import EntityStore, StoredSource
from sandbox.tmf.links import Links
from sandbox.tmf.query import parse_query
from tests.support.pinned import WORLD_AT

SEED = 2026
MARIA = "+79161234567"


def test_a_world_of_schema_3_gains_the_table_and_keeps_its_world(tmp_path: Path) -> None:
    path = tmp_path / "sandbox.sqlite3"
    store = Store.open(path, SEED, now=WORLD_AT)
    version = store.version(MARIA)
    store.close()
    with sqlite3.connect(path) as conn:  # as a sandbox before the TMF APIs left it
        conn.execute("DROP TABLE tmf_entities")
        conn.execute("UPDATE meta SET value = '3' WHERE key = 'schema_version'")
    conn.close()

    store = Store.open(path, SEED, now=WORLD_AT + 86400)
    try:
        assert store.get_meta("schema_version") == str(SCHEMA_VERSION)
        assert store.version(MARIA) == version and store.reference == WORLD_AT
        EntityStore(store).create("usageManagement", "usage", {"id": "u1", "@type": "Usage"},
                                  WORLD_AT)
        assert EntityStore(store).get("usageManagement", "usage", "u1") == {
            "id": "u1", "@type": "Usage"}
    finally:
        store.close()


def test_created_entities_live_beside_the_world(tmp_path: Path) -> None:
    store = Store.open(tmp_path / "sandbox.sqlite3", SEED, now=WORLD_AT)
    try:
        entities = EntityStore(store)
        version = store.version(MARIA)
        for n in range(3):
            entities.create("usageManagement", "usage",
                            {"id": f"u{n}", "@type": "Usage", "href": "ignored", "n": n},
                            WORLD_AT + n)
        entities.create("communicationManagement", "communicationMessage",
                        {"id": "m0", "@type": "CommunicationMessage"}, WORLD_AT)
        source = StoredSource(entities, "usageManagement", "usage")
        links = Links("http://127.0.0.1:9")
        chosen = source.select(parse_query([("n", "1,2")], default_limit=10, max_limit=10),
                               links, 0, 10)
        assert chosen.total == 2
        assert chosen.items[0] == {
            "id": "u1", "href": "http://127.0.0.1:9/tmf-api/usageManagement/v4/usage/u1",
            "@type": "Usage", "n": 1}
        changed = entities.update("usageManagement", "usage", "u2",
                                  lambda e: {**e, "n": 20}, WORLD_AT + 9)
        assert changed is not None and changed["n"] == 20
        assert entities.update("usageManagement", "usage", "nope", dict, WORLD_AT) is None
        assert entities.delete("usageManagement", "usage", "u0")
        assert not entities.delete("usageManagement", "usage", "u0")
        assert [e["id"] for e in entities.all("usageManagement", "usage")] == ["u1", "u2"]
        assert store.version(MARIA) == version
    finally:
        store.close()
