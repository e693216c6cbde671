"""A subscriber's line as the operator names it: the console knows a number (E.164), the
operator's APIs name its line by an id of their own (TMF637 `product.id`; opaque to the
console). Every call about a subscriber starts here; an id once found is kept for the life of
the client (a number's line does not change while it is the subscriber's), so a second
lookup of a number asks for nothing more than the first asked after it.

A number can move to another line all the same (the operator re-provisions it): a call that
finds its kept id unknown to the operator forgets it, looks the number up once more and asks
again (`_line_answer`).
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import UTC, datetime
from functools import partial
from urllib.parse import quote

import httpx
from pydantic import Field

from app.errors import SubscriberNotFound
from app.i18n import _
from app.operator_api.plumbing import OperatorPlumbing
from app.operator_api.tmf_wire import TmfList, TmfWire
from app.phone import format_msisdn

log = logging.getLogger(__name__)

# TMF637 ProductStatusType values of a line that is the subscriber's now (suspended: blocked).
# A BSS may keep a number's earlier lines (terminated, cancelled…) beside the live one.
LIVE_STATUSES = frozenset({"active", "suspended"})


class _LineRef(TmfWire):
    id: str = Field(min_length=1, max_length=200)
    status: str | None = None


class _LineRefs(TmfList[list[_LineRef]]):
    """`GET /product?productSerialNumber=…&fields=id,status`."""


class LineIds(OperatorPlumbing):
    def line_id(self, msisdn: str) -> str:
        """The id of the line with this number (E.164): TMF637
        `GET /product?productSerialNumber={msisdn}&fields=id,status`, the one line of the
        number that is active or suspended. SubscriberNotFound when the operator has none;
        OperatorProtocolError when it answers with two. Threads that need one number's id at
        once share one request (app/operator_api/kept_lines.py)."""
        return self._line_ids.find(msisdn, lambda: self._look_up_line(msisdn))

    def forget_line(self, msisdn: str, stale: str | None = None) -> None:
        """Drop a kept id (the operator answered 404 for it: the number moved to another
        line); the next call looks it up again. `stale`: forget only this id (another thread
        may have found the new one meanwhile)."""
        self._line_ids.forget(msisdn, stale)

    def _look_up_line(self, msisdn: str) -> str:
        path = f"{self._api('productInventory')}/product"
        found = self._get(path, _LineRefs,
                          params={"productSerialNumber": msisdn, "fields": "id,status"},
                          msisdn=msisdn).root
        # A line that does not say its status is taken for live: `fields` may have cut it.
        live = [line for line in found if line.status is None or line.status in LIVE_STATUSES]
        if not live:
            if found:
                log.info("%s: the number's lines are all ended (%s)", path,
                         ", ".join(sorted({str(line.status) for line in found})))
            raise self._not_found(msisdn)
        if len(live) > 1:
            log.warning("%s: %d live lines have one number", path, len(live))
            raise self._garbled()
        return live[0].id

    def _line_path(self, api: str, resource: str, line: str) -> str:
        """`{api base}/{resource}/{line id}`, the id escaped whole (it is opaque: a `/` in it
        is part of the id, not a path)."""
        return f"{self._api(api)}/{resource}/{quote(line, safe='')}"

    def _line_answer(
        self, msisdn: str, ask: Callable[[str], httpx.Response], *,
        gone: Callable[[httpx.Response], bool] = lambda response: response.status_code == 404,
    ) -> tuple[str, httpx.Response]:
        """The line id of `msisdn` and the operator's answer to `ask(line id)` (retried as any
        read), refusals raised. When the id was kept from before and the answer says the
        operator no longer knows it (`gone`; a 404 unless told otherwise), the id is
        forgotten, the number looked up once more and `ask` sent again. A 404 for an id just
        looked up: the line went away meanwhile (SubscriberNotFound)."""
        for last in (False, True):
            kept = self._line_ids.get(msisdn)
            line = kept if kept is not None else self.line_id(msisdn)
            response = self._with_retries(partial(ask, line))
            if kept is not None and not last and gone(response):
                log.info("the operator no longer knows line %s of %s: looking the number up "
                         "again", line, format_msisdn(msisdn))
                self.forget_line(msisdn, line)
                continue
            if response.status_code == 404:
                raise self._not_found(msisdn)
            self._raise_for_refusal(response, msisdn)
            return line, response
        raise AssertionError("unreachable: the second pass always returns or raises")

    @staticmethod
    def _not_found(msisdn: str) -> SubscriberNotFound:
        return SubscriberNotFound(_("There is no subscriber with the number {number}.")
                                  .format(number=format_msisdn(msisdn)))


def utc_text(moment: datetime) -> str:
    """An instant as the operator's APIs write it: UTC, ISO 8601, with `Z`."""
    if moment.tzinfo is None:
        raise ValueError("usage periods must be timezone-aware")
    return moment.astimezone(UTC).isoformat().replace("+00:00", "Z")
