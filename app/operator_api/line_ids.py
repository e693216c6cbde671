"""A subscriber's line as the operator names it: the console knows a number (E.164), the
operator's APIs name its line by an id of their own (TMF637 `product.id`; opaque to the
console). Every call about a subscriber starts here; an id once found is kept for the life of
the client (a number's line does not change while it is the subscriber's), so a second
lookup of a number asks for nothing more than the first asked after it.
"""

from __future__ import annotations

import logging
from datetime import UTC, datetime

from app.errors import SubscriberNotFound
from app.i18n import _
from app.operator_api.plumbing import OperatorPlumbing
from app.operator_api.tmf_wire import TmfIds
from app.phone import format_msisdn

log = logging.getLogger(__name__)


class LineIds(OperatorPlumbing):
    def line_id(self, msisdn: str) -> str:
        """The id of the line with this number (E.164): TMF637
        `GET /product?productSerialNumber={msisdn}&fields=id`. SubscriberNotFound when the
        operator has none; OperatorProtocolError when it answers with two."""
        known = self._line_ids.get(msisdn)
        if known is not None:
            return known
        path = f"{self._api('productInventory')}/product"
        found = self._get(path, TmfIds, params={"productSerialNumber": msisdn, "fields": "id"},
                          msisdn=msisdn).root
        if not found:
            raise SubscriberNotFound(_("There is no subscriber with the number {number}.")
                                     .format(number=format_msisdn(msisdn)))
        if len(found) > 1:
            log.warning("%s: %d lines have one number", path, len(found))
            raise self._garbled()
        self._line_ids[msisdn] = found[0].id
        return found[0].id

    def forget_line(self, msisdn: str) -> None:
        """Drop a kept id (the operator answered 404 for it: the number moved to another
        line); the next call looks it up again."""
        self._line_ids.pop(msisdn, None)


def utc_text(moment: datetime) -> str:
    """An instant as the operator's APIs write it: UTC, ISO 8601, with `Z`."""
    if moment.tzinfo is None:
        raise ValueError("usage periods must be timezone-aware")
    return moment.astimezone(UTC).isoformat().replace("+00:00", "Z")
