"""Turning the sandbox's integers into the contract's JSON: money, instants, records, cursors.

The usage endpoint sends up to 10,000 records a page, so records become plain dicts here (no
pydantic on that path) and instants are formatted with a per-day prefix cache.
"""

from __future__ import annotations

import base64
import binascii
import json
from datetime import UTC, datetime
from functools import lru_cache
from typing import Any

from sandbox.ledger import Position
from sandbox.usage import DayRecords

CURRENCY = "RUB"


def decimal_str(kop: int) -> str:
    """Kopecks as a decimal string with two places: 12345 → "123.45", -50 → "-0.50"."""
    sign = "-" if kop < 0 else ""
    kop = abs(kop)
    return f"{sign}{kop // 100}.{kop % 100:02d}"


def money(kop: int) -> dict[str, str]:
    return {"value": decimal_str(kop), "currency": CURRENCY}


@lru_cache(maxsize=4096)
def _date_prefix(utc_day: int) -> str:
    return datetime.fromtimestamp(utc_day * 86400, UTC).strftime("%Y-%m-%dT")


def utc_iso(instant: int) -> str:
    """2026-11-23T10:15:00Z"""
    seconds = instant % 86400
    return (f"{_date_prefix(instant // 86400)}"
            f"{seconds // 3600:02d}:{seconds % 3600 // 60:02d}:{seconds % 60:02d}Z")


def record_dicts(msisdn: str, picked: list[tuple[DayRecords, int]]) -> list[dict[str, Any]]:
    items: list[dict[str, Any]] = []
    append = items.append
    for day, index in picked:
        ts, kind, direction, counterpart, duration, volume, amount, covered = day.records[index]
        append({
            "id": f"{msisdn}-{day.label}-{index + 1:04d}",
            "started_at": utc_iso(ts),
            "type": kind,
            "direction": direction,
            "counterpart": counterpart,
            "duration_s": duration,
            "volume_kb": volume,
            "amount": {"value": decimal_str(amount), "currency": CURRENCY},
            "covered_by_package": covered,
        })
    return items


# -- cursors: opaque to clients, bound to the query they continue ----------------------------

def encode_cursor(msisdn: str, descending: bool, start: int, end: int, pos: Position) -> str:
    raw = json.dumps([1, msisdn, int(descending), start, end, pos.day, pos.seq],
                     separators=(",", ":"))
    return base64.urlsafe_b64encode(raw.encode()).decode().rstrip("=")


class BadCursor(ValueError):
    pass


def decode_cursor(cursor: str, msisdn: str, descending: bool, start: int, end: int) -> Position:
    try:
        raw = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4))
        version, c_msisdn, c_desc, c_start, c_end, day, seq = json.loads(raw)
    except (binascii.Error, ValueError, TypeError) as exc:
        raise BadCursor("The cursor is not valid; start again without it.") from exc
    if not (version == 1 and isinstance(day, int) and isinstance(seq, int) and seq >= 0):
        raise BadCursor("The cursor is not valid; start again without it.")
    if (c_msisdn, c_desc, c_start, c_end) != (msisdn, int(descending), start, end):
        raise BadCursor("The cursor belongs to a different query: keep msisdn, from, to and "
                        "order the same while paging.")
    return Position(day, seq)
