"""Reading TM Forum lists: `GET /{resource}?offset=…&limit=…` answers a JSON array, with
`X-Total-Count` (how many match in all) — the count that says whether there is more to ask for.

A page is validated by a TypeAdapter (a list of models or of TypedDicts: a usage page of 10,000
records is read in one pass), with the same failures as every other call: a garbled answer
is OperatorProtocolError, a refusal goes through `_raise_for_refusal`, a too-long answer is
refused by its kind's size cap.
"""

from __future__ import annotations

import logging
from typing import Any, TypeVar

from pydantic import TypeAdapter, ValidationError

from app.operator_api.bodies import float_exact, parse_exact
from app.operator_api.plumbing import OperatorPlumbing

log = logging.getLogger(__name__)
T = TypeVar("T")
# A catalog is a few dozen entities: one page of this many is the whole of it on most systems
# (the sandbox's default is 100, its most 10,000), and paging covers a server that gives less.
LIST_PAGE = 500


class TmfLists(OperatorPlumbing):
    def _get_page(self, path: str, adapter: TypeAdapter[list[T]], *, params: dict[str, Any],
                  msisdn: str | None = None, limit: int | None = None,
                  ) -> tuple[list[T], int | None]:
        """One page of a list and the count of all that match (None when the operator does not
        say). `limit`: the most bytes read of the answer (JSON answers' cap by default)."""
        response = self._with_retries(
            lambda: self._request("GET", path, params=params, limit=limit))
        self._raise_for_refusal(response, msisdn)
        try:
            content = response.content
            # The fast reading where it gives the same Decimals (bodies.float_exact).
            page = (adapter.validate_json(content) if float_exact(content)
                    else adapter.validate_python(parse_exact(content)))
        except RecursionError:
            log.warning("%s: answer nested too deep to read", path)
            raise self._garbled() from None
        except ValidationError as error:
            log.warning("%s: answer does not match the contract: %s", path, error)
            raise self._garbled() from error
        except ValueError:
            log.warning("%s: answer is not JSON", path)
            raise self._garbled() from None
        total = response.headers.get("X-Total-Count")
        if total is None:
            return page, None
        if not (total.isascii() and total.isdigit()) or int(total) > 10**12:
            log.warning("%s: X-Total-Count %r is not a count", path, total[:40])
            raise self._garbled()
        return page, int(total)

    def _get_all(self, path: str, adapter: TypeAdapter[list[T]], *,
                 params: dict[str, Any] | None = None, page_size: int = LIST_PAGE) -> list[T]:
        """Every entity of a list, a page at a time while the count says there are more (or,
        when the operator gives no count, until a page comes back short)."""
        found: list[T] = []
        while True:
            page, total = self._get_page(path, adapter, params={
                **(params or {}), "offset": len(found), "limit": page_size})
            if len(page) > page_size:
                log.warning("%s: %d entities in a page of at most %d", path, len(page),
                            page_size)
                raise self._garbled()
            found.extend(page)
            if total is None:
                if len(page) < page_size:
                    return found
            elif len(found) >= total:
                return found
            if not page:  # the count promises more than the operator gives
                log.warning("%s: X-Total-Count %s, but an empty page at %d", path, total,
                            len(found))
                raise self._garbled()
