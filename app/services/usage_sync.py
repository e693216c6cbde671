"""Usage records for a detalization: fetched into the local store page by page, only the days
that are missing, and purged after the retention period (R9).

A local day of the number's home region is the unit: a day stored complete within the
retention period is reused, any other day of the period is fetched again (today always: it is
still going on). Personal data stays out of the log: it names no number and no counterpart.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from typing import Literal, Protocol
from zoneinfo import ZoneInfo

from models.detalization import Period
from models.domain import UsageRecord
from models.usage import DaySpan, Purged, UsageStore

log = logging.getLogger(__name__)

# Records a page: the client holds two (one read ahead) and the embedded sandbox builds one, so
# this sets the fetch's memory. Measured on a heavy quarter (benchmarks/detalization_memory.py,
# in-process sandbox): 10,000 (the contract's largest) peaked ~55 MB higher than 2,500, in the
# same time (loopback answers in milliseconds; the page ahead hides the round trips).
PAGE_SIZE = 2_500
DAY = 86400

# (stage, done, total): "fetch" counts days of the period, "render" counts rows written.
OrderProgress = Callable[[Literal["fetch", "render"], int, int], None]


class UsageReads(Protocol):
    def usage_pages(self, msisdn: str, start: datetime, end: datetime, *,
                    order: Literal["asc", "desc"] = ..., page_size: int = ...
                    ) -> Iterator[list[UsageRecord]]: ...


@dataclass(frozen=True)
class SyncResult:
    days_reused: int
    days_fetched: int
    records_fetched: int


def day_spans(period: Period, zone: ZoneInfo) -> list[DaySpan]:
    """Every local day of the period with its UTC bounds (zoneinfo handles any DST shift)."""
    spans = []
    day = period.first
    while day <= period.last:
        start = datetime.combine(day, time(0), zone)
        end = datetime.combine(day + timedelta(days=1), time(0), zone)
        spans.append(DaySpan(day, int(start.timestamp()), int(end.timestamp())))
        day += timedelta(days=1)
    return spans


class UsageSync:
    def __init__(self, api: UsageReads, store: UsageStore, retention_days: int) -> None:
        self._api = api
        self._store = store
        self._retention = retention_days

    def sync(self, msisdn: str, period: Period, zone: ZoneInfo, end: int, now: int,
             progress: OrderProgress | None = None) -> SyncResult:
        """Make the store hold every record of the period up to `end` (UTC seconds)."""
        spans = [s for s in day_spans(period, zone) if s.start_at < end]
        fresh_since = now - self._retention * DAY
        reused = self._store.complete_days(msisdn, period.first, period.last, fresh_since)
        missing = [s for s in spans if s.day not in reused]
        done = len(spans) - len(missing)
        total = len(spans)
        if progress is not None:
            progress("fetch", done, total)
        fetched_records = 0
        for run in _runs(missing):
            run_end = min(run[-1].end_at, end)
            self._store.begin_fetch(msisdn, run, now)
            finished = 0
            for page in self._api.usage_pages(
                msisdn, _utc(run[0].start_at), _utc(run_end), order="asc", page_size=PAGE_SIZE,
            ):
                self._store.add(msisdn, page)
                fetched_records += len(page)
                if page and progress is not None:
                    last = int(page[-1].started_at.timestamp())
                    finished = sum(1 for s in run if s.end_at <= last)
                    progress("fetch", done + finished, total)
            self._store.mark_complete(msisdn, [s.day for s in run if s.end_at <= end], now)
            done += len(run)
            if progress is not None:
                progress("fetch", done, total)
        log.info("usage sync: %d days reused, %d fetched, %d records", len(spans) - len(missing),
                 len(missing), fetched_records)
        return SyncResult(len(spans) - len(missing), len(missing), fetched_records)

    def purge(self, now: int) -> Purged:
        """R9: forget what was fetched more than the retention period ago."""
        purged = self._store.purge(now - self._retention * DAY)
        if purged.days:
            log.info("R9 purge: %d usage records of %d days", purged.records, purged.days)
        return purged


def _runs(spans: list[DaySpan]) -> Iterator[list[DaySpan]]:
    """Consecutive days as one fetch each (one paged query instead of one per day)."""
    run: list[DaySpan] = []
    for span in spans:
        if run and span.day != run[-1].day + timedelta(days=1):
            yield run
            run = []
        run.append(span)
    if run:
        yield run


def _utc(seconds: int) -> datetime:
    return datetime.fromtimestamp(seconds, UTC)


def local_date(moment: datetime, zone: ZoneInfo) -> date:
    return moment.astimezone(zone).date()
