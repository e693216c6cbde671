"""The manager's daily log as plain data: what the GUI previews and the renderers write.

Built by app/services/daily_log.py from the audit journal; read by printing/daily_log_*.py.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date, datetime
from functools import cached_property
from zoneinfo import ZoneInfo

from models.audit import AuditResult, JournalEntry

# (rows written so far, rows in all) — called now and then by a renderer for a progress bar.
Progress = Callable[[int, int], None]


@dataclass(frozen=True)
class Tally:
    """Counts of one clerk's, or one action's, entries by result."""

    key: str  # a clerk login ("" = the console itself) or an action code
    done: int = 0
    refused: int = 0
    failed: int = 0

    @property
    def total(self) -> int:
        return self.done + self.refused + self.failed


@dataclass(frozen=True)
class PickupTally:
    """R11: one clerk's pick-up work of the day — orders printed ahead, handed over,
    destroyed (done only: a refusal is in the day's refusals)."""

    clerk: str
    printed: int = 0
    handed_over: int = 0
    destroyed: int = 0


PICKUP_ACTIONS = ("pickup_print", "pickup_hand_over", "pickup_destroy")


@dataclass(frozen=True)
class DailyLog:
    salon_id: str
    salon_name: str
    day: date  # the salon's local calendar day
    timezone: str  # the salon's IANA zone; entries are shown in it
    generated_at: datetime  # UTC, aware
    entries: tuple[JournalEntry, ...]  # every entry of the day, in chain order
    # The journal's last hash for the day: the newest entry with at < the day's end. It may be
    # from an earlier day when this one is empty; None when the journal was empty then.
    last_seq: int | None
    last_hash: str | None
    document_id: str = ""  # LOG-…: the file's id, in its QR code / keywords with its hash

    @cached_property
    def by_clerk(self) -> tuple[Tally, ...]:
        return tally(self.entries, lambda entry: entry.clerk)

    @cached_property
    def identity_by_clerk(self) -> tuple[Tally, ...]:
        """R10: each clerk's identity checks of the day — done, and refused (a mismatch, or
        locked after too many)."""
        return tally((e for e in self.entries if e.action == "identity_check"),
                     lambda entry: entry.clerk)

    @cached_property
    def pickup_by_clerk(self) -> tuple[PickupTally, ...]:
        """R11: each clerk's orders for pick-up printed, handed over and destroyed."""
        counts: Counter[tuple[str, str]] = Counter(
            (e.clerk, e.action) for e in self.entries
            if e.action in PICKUP_ACTIONS and e.result == AuditResult.DONE)
        clerks = sorted({clerk for clerk, _action in counts})
        return tuple(PickupTally(c, *(counts[(c, a)] for a in PICKUP_ACTIONS)) for c in clerks)

    @cached_property
    def by_action(self) -> tuple[Tally, ...]:
        return tally(self.entries, lambda entry: entry.action)

    @cached_property
    def totals(self) -> Tally:
        return tally(self.entries, lambda entry: "")[0] if self.entries else Tally("")

    @cached_property
    def problems(self) -> tuple[JournalEntry, ...]:
        """The refusals and failures of the day, in chain order."""
        return tuple(e for e in self.entries if e.result != AuditResult.DONE)

    def local_time(self, moment: datetime) -> datetime:
        """A UTC instant on the salon's wall clock, without tzinfo (what spreadsheets want)."""
        return moment.astimezone(self._zone).replace(tzinfo=None)

    @cached_property
    def _zone(self) -> ZoneInfo:
        return ZoneInfo(self.timezone)


def tally(entries: Iterable[JournalEntry], key: Callable[[JournalEntry], str]) -> tuple[Tally, ...]:
    """Per-key counts by result, sorted by key."""
    counts: Counter[tuple[str, str]] = Counter((key(e), e.result) for e in entries)
    keys = sorted({k for k, _result in counts})
    return tuple(
        Tally(k, counts[(k, AuditResult.DONE)], counts[(k, AuditResult.REFUSED)],
              counts[(k, AuditResult.FAILED)])
        for k in keys
    )
