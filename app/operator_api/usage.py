"""The operator's usage records of a period, a page at a time — a part of OperatorClient
(app/operator_api/client.py)."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime
from typing import Any, Literal

from app.operator_api.line_ids import LineIds, utc_text
from app.operator_api.wire import WireUsagePage
from models.domain import UsageRecord


class UsageCalls(LineIds):
    def usage_pages(
        self,
        msisdn: str,
        start: datetime,
        end: datetime,
        *,
        order: Literal["asc", "desc"] = "asc",
        page_size: int = 5000,
    ) -> Iterator[list[UsageRecord]]:
        """The usage records of [start, end), a page at a time, following the cursor."""
        params: dict[str, Any] = {
            "from": utc_text(start), "to": utc_text(end), "order": order, "limit": page_size,
        }
        while True:
            page = self._get(f"/v1/subscribers/{msisdn}/usage", WireUsagePage,
                             params=params, msisdn=msisdn, limit=self._limits.usage_page)
            yield [record.domain() for record in page.items]
            if not page.next_cursor:
                return
            params = {**params, "cursor": page.next_cursor}
