"""The operator's usage records of a period, a page at a time — a part of OperatorClient
(app/operator_api/client.py), on TMF635:

    GET /usage?ratedProductUsage.productRef.id={line}&usageDate.gte={start}&usageDate.lt={end}
        &offset={n}&limit={k}

oldest first (the integrator's guide: records of one line in `usageDate` order), `X-Total-Count`
saying how many the period holds. Pages are read with the usage page's size cap and validated in
one pass each (app/operator_api/wire_usage.py); a page is yielded as soon as it is read, so a
heavy month streams into the store page by page.

Newest first (`order="desc"`): TMF635 v4 defines no sort parameter and the sandbox has none, so
the period is read from its end by offset — its count first (a page of one), then windows of
`page_size` from the last backwards, each read oldest first and yielded reversed. The count is
taken once: records that appear later (a period reaching into today) are after it and not
shown, so the pages still neither overlap nor leave gaps.
"""

from __future__ import annotations

import logging
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from datetime import datetime
from typing import Any, Literal

from app.operator_api.line_ids import LineIds, utc_text
from app.operator_api.tmf_lists import TmfLists
from app.operator_api.wire_usage import USAGE_PAGE, AnotherLine, usage_records
from models.domain import UsageRecord

log = logging.getLogger(__name__)
MAX_PAGE = 10_000  # the most records one page may hold (the sandbox's most; 8 MB of TMF635)
FIELDS = "usageDate,usageType,usageCharacteristic,ratedProductUsage"
# The most records one period may hold: a heavy year is 1.5 million. An operator that gives no
# count and full pages for ever is stopped here, not followed to the end of the disk.
MAX_RECORDS = 20_000_000


class UsageCalls(LineIds, TmfLists):
    def usage_pages(
        self,
        msisdn: str,
        start: datetime,
        end: datetime,
        *,
        order: Literal["asc", "desc"] = "asc",
        page_size: int = 5000,
    ) -> Iterator[list[UsageRecord]]:
        """The usage records of [start, end), a page at a time, oldest first (or newest
        first); pages neither overlap nor leave gaps."""
        if not 1 <= page_size <= MAX_PAGE:
            raise ValueError(f"page_size must be 1..{MAX_PAGE}")
        if order == "desc":
            return self._newest_first(msisdn, start, end, page_size)
        return self._oldest_first(msisdn, start, end, page_size)

    def _oldest_first(self, msisdn: str, start: datetime, end: datetime,
                      page_size: int) -> Iterator[list[UsageRecord]]:
        """While the caller stores a page, the next one is already being asked for and read
        (one page ahead, on a thread of its own: the transfer overlaps the local work, and
        at most two pages are held)."""
        with ThreadPoolExecutor(max_workers=1, thread_name_prefix="usage-page") as ahead:
            offset = 0
            coming = ahead.submit(self._usage_page, msisdn, start, end, 0, page_size, None)
            while True:
                records, total = coming.result()
                offset += len(records)
                if offset > MAX_RECORDS:
                    log.warning("usage: more than %d records in one period", MAX_RECORDS)
                    raise self._garbled()
                done = len(records) < page_size if total is None else offset >= total
                if not done and not records:
                    log.warning("usage: X-Total-Count %s, but an empty page at %d", total,
                                offset)
                    raise self._garbled()
                if not done:
                    coming = ahead.submit(self._usage_page, msisdn, start, end, offset,
                                          page_size, records[-1].started_at)
                yield records
                if done:
                    return

    def _newest_first(self, msisdn: str, start: datetime, end: datetime,
                      page_size: int) -> Iterator[list[UsageRecord]]:
        _first, total = self._usage_page(msisdn, start, end, 0, 1, None)
        if total is None:  # no count to read backwards by: the whole period, then reversed
            pages = list(self._oldest_first(msisdn, start, end, page_size))
            for page in reversed(pages):
                yield page[::-1]
            return
        if total > MAX_RECORDS:
            log.warning("usage: X-Total-Count %d, more than %d", total, MAX_RECORDS)
            raise self._garbled()
        upper = total
        while upper > 0:
            lower = max(0, upper - page_size)
            window: list[UsageRecord] = []
            while lower + len(window) < upper:  # an operator may give fewer than asked
                records, _total = self._usage_page(
                    msisdn, start, end, lower + len(window), upper - lower - len(window),
                    window[-1].started_at if window else None)
                if not records:
                    log.warning("usage: X-Total-Count %s, but an empty page at %d", total,
                                lower + len(window))
                    raise self._garbled()
                window.extend(records)
            yield window[::-1]
            upper = lower
        if total == 0:
            yield []

    def _usage_page(self, msisdn: str, start: datetime, end: datetime, offset: int,
                    limit: int, after: datetime | None,
                    ) -> tuple[list[UsageRecord], int | None]:
        """One page: the records from `offset` (at most `limit`) and the period's count.
        `after`: the last record before this page (records come oldest first)."""
        line = self.line_id(msisdn)
        path = f"{self._api('usageManagement')}/usage"
        params: dict[str, Any] = {
            "ratedProductUsage.productRef.id": line,
            "usageDate.gte": utc_text(start), "usageDate.lt": utc_text(end),
            "offset": offset, "limit": limit,
            # Only what the console reads: a third less to make, send and parse.
            "fields": FIELDS,
        }
        page, total = self._get_page(path, USAGE_PAGE, params=params, msisdn=msisdn,
                                     limit=self._limits.usage_page)
        if len(page) > limit:
            log.warning("%s: %d records in a page of at most %d", path, len(page), limit)
            raise self._garbled()
        try:
            return usage_records(page, line, start, end, after), total
        except AnotherLine as other:
            log.warning("%s: %s", path, other)
            self._same_number(line, "", path)  # refused whole: "another number"
            raise
        except ValueError as error:
            log.warning("%s: answer does not match the contract: %s", path, error)
            raise self._garbled() from error
