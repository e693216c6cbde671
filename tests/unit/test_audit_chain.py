"""The journal's hash chain on plain data: every kind of tampering is named at its first entry."""

from __future__ import annotations

import json
from dataclasses import fields, replace
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from models.audit import (
    GENESIS,
    ChainProblem,
    JournalEntry,
    canonical,
    compute_hash,
    verify_chain,
)

T0 = datetime(2026, 11, 23, 7, 0, tzinfo=UTC)


def chain(count: int) -> list[JournalEntry]:
    """A valid chain, built the way models.audit.append builds each entry."""
    entries: list[JournalEntry] = []
    prev = GENESIS
    for seq in range(1, count + 1):
        draft = JournalEntry(seq, T0 + timedelta(seconds=seq), "ivanova", "MSK-1", "2",
                             "+79161234567", "lookup", "done", "", f"reason {seq}", prev, "")
        entry = replace(draft, hash=compute_hash(draft))
        entries.append(entry)
        prev = entry.hash
    return entries


def check(entries: list[JournalEntry], expect_hash: str | None = None) -> ChainProblem | None:
    by_hash = {e.hash: e for e in entries}
    return verify_chain(iter(entries), by_hash.get, expect_hash).problem


def renumbered(entry: JournalEntry, seq: int) -> JournalEntry:
    """What an SQL `UPDATE ... SET seq = ...` does: the number changes, the stored hash not."""
    return replace(entry, seq=seq)


def rehashed(entry: JournalEntry, **changes: object) -> JournalEntry:
    changed = replace(entry, **changes)  # type: ignore[arg-type]
    return replace(changed, hash=compute_hash(changed))


def test_an_untouched_chain_is_intact_and_reports_its_end() -> None:
    entries = chain(8)
    report = verify_chain(iter(entries), {e.hash: e for e in entries}.get)
    assert report.intact
    assert (report.entries, report.last_seq, report.last_hash) == (8, 8, entries[-1].hash)
    assert entries[0].prev_hash == GENESIS == "0" * 64


def test_an_empty_journal_is_intact() -> None:
    report = verify_chain(iter([]), lambda _h: None)
    assert report.intact and report.entries == 0 and report.last_hash is None


@pytest.mark.parametrize("name", [f.name for f in fields(JournalEntry) if f.name != "hash"])
def test_the_hash_covers_every_field(name: str) -> None:
    entry = chain(1)[0]
    value = getattr(entry, name)
    other = (value + 1 if isinstance(value, int)
             else value + timedelta(microseconds=1) if isinstance(value, datetime)
             else value + "x")
    assert compute_hash(replace(entry, **{name: other})) != entry.hash


def test_the_canonical_form_is_sorted_ascii_json_that_escapes_line_breaks() -> None:
    entry = replace(chain(1)[0], reason='тариф\n{"seq": 2}\r\x1b[2K\u202e', clerk="петрова")
    data = canonical(entry)
    assert data.isascii() and b"\n" not in data and b"\r" not in data
    body = json.loads(data)
    assert list(body) == sorted(body)
    assert body["reason"] == entry.reason and body["clerk"] == "петрова"
    assert body["at"] == "2026-11-23T07:00:01.000000Z"
    # The same instant in another zone is the same entry.
    yekaterinburg = entry.at.astimezone(ZoneInfo("Asia/Yekaterinburg"))
    assert canonical(replace(entry, at=yekaterinburg)) == data


def test_field_boundaries_cannot_be_shifted() -> None:
    """Moving text from one field to its neighbour changes the hash (no plain concatenation)."""
    entry = replace(chain(1)[0], detail="ab", reason="c")
    assert compute_hash(entry) != compute_hash(replace(entry, detail="a", reason="bc"))


def test_an_edited_entry_is_named() -> None:
    entries = chain(8)
    entries[4] = replace(entries[4], reason="nothing happened")
    assert check(entries) == ChainProblem("edited", 5)


def test_an_edited_and_rehashed_entry_is_named_by_the_next_link() -> None:
    entries = chain(8)
    entries[4] = rehashed(entries[4], result="refused")
    assert check(entries) == ChainProblem("edited", 5)


def test_a_deleted_entry_is_named() -> None:
    entries = chain(8)
    del entries[4]
    assert check(entries) == ChainProblem("missing", 5, 6)


def test_a_deleted_first_entry_is_named() -> None:
    assert check(chain(8)[1:]) == ChainProblem("missing", 1, 2)


def test_a_deletion_hidden_by_renumbering_is_still_a_deletion() -> None:
    entries = chain(8)
    del entries[4]
    entries[4:] = [renumbered(e, e.seq - 1) for e in entries[4:]]
    assert check(entries) == ChainProblem("missing", 5)


def test_swapped_entries_are_out_of_order() -> None:
    entries = chain(8)
    entries[4], entries[5] = renumbered(entries[5], 5), renumbered(entries[4], 6)
    assert check(entries) == ChainProblem("out_of_order", 5, 6)


def test_an_entry_moved_far_is_out_of_order() -> None:
    entries = chain(12)
    moved = entries.pop(9)  # entry 10 moved to place 3, everything between shifted down
    entries.insert(2, moved)
    entries = [renumbered(e, n) for n, e in enumerate(entries, 1)]
    assert check(entries) == ChainProblem("out_of_order", 3, 10)


def test_an_inserted_entry_is_named() -> None:
    """The forger shifts 5.. up by one and slips a well-formed entry in at 5."""
    entries = chain(8)
    forged = rehashed(replace(entries[4], reason="forged"), seq=5, prev_hash=entries[3].hash)
    shifted = [renumbered(e, e.seq + 1) for e in entries[4:]]
    assert check([*entries[:4], forged, *shifted]) == ChainProblem("inserted", 5)


def test_an_entry_inserted_at_the_start_is_named() -> None:
    entries = chain(4)
    forged = rehashed(replace(entries[0], clerk="nobody"), seq=1, prev_hash=GENESIS)
    shifted = [renumbered(e, e.seq + 1) for e in entries]
    assert check([forged, *shifted]) == ChainProblem("inserted", 1)


def test_an_entry_numbered_below_one_is_inserted() -> None:
    entries = chain(3)
    forged = rehashed(entries[0], seq=0)
    assert check([forged, *entries]) == ChainProblem("inserted", 0)


def test_a_cut_end_is_found_only_with_the_expected_hash() -> None:
    entries = chain(8)
    anchor = entries[6].hash  # e.g. the last hash printed on yesterday's daily log
    assert check(entries[:6]) is None  # the chain alone cannot tell
    assert check(entries[:6], expect_hash=anchor) == ChainProblem("cut", None)
    assert check(entries, expect_hash=anchor) is None
