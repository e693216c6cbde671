"""The phones' SMS box lives with the world, in a file of its own beside it (R2: an SMS carries
a code in clear, and the world's database never does)."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from sandbox import sms as phones
from sandbox.sms import SmsOutbox, phones_path

T0 = 1_795_420_800  # 2026-11-23T08:00:00Z
MARIA = "+79161234567"


def test_the_phones_file_is_beside_the_world_and_only_its_owner_reads_it(tmp_path: Path) -> None:
    path = phones_path(tmp_path / "sandbox.db")
    assert path == tmp_path / "sandbox-phones.db"
    assert phones_path(tmp_path / "world.sqlite3") == tmp_path / "world-phones.sqlite3"
    SmsOutbox(path)
    assert path.stat().st_mode & 0o777 == 0o600


def test_what_a_phone_received_outlives_the_process_that_sent_it(tmp_path: Path) -> None:
    path = phones_path(tmp_path / "sandbox.db")
    first = SmsOutbox(path).send("6262", MARIA, "Код доступа: 123456", T0)
    SmsOutbox(path).send("6262", "+79261112233", "Код доступа: 654321", T0 + 5)
    later = SmsOutbox(path)  # another process, or the sandbox started again
    assert later.received(MARIA) == [first]
    second = later.send("6262", MARIA, "Код доступа: 111111", T0 + 60)
    assert SmsOutbox(path).received(MARIA) == [second, first]  # newest first
    assert second.id > first.id
    assert SmsOutbox(path).received("+79031234500") == []


def test_each_phone_keeps_its_last_messages(tmp_path: Path,
                                            monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(phones, "KEEP", 3)
    box = SmsOutbox(phones_path(tmp_path / "sandbox.db"))
    reader = sqlite3.connect(box.path)  # another process keeps the file open: the WAL stays
    reader.execute("SELECT COUNT(*) FROM sms").fetchone()
    sent = [box.send("6262", MARIA, f"Код доступа: {n:06d}", T0 + n) for n in range(5)]
    other = box.send("6262", "+79261112233", "Код доступа: 999999", T0)
    assert box.received(MARIA) == sent[:-4:-1]
    assert box.received("+79261112233") == [other]
    raw = b"".join(p.read_bytes() for p in tmp_path.glob("sandbox-phones.db*"))
    assert b"000004" in raw  # the scan sees what is kept...
    assert b"000000" not in raw and b"000001" not in raw  # ...and not what was dropped
    reader.close()
