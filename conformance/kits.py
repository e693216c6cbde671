"""The kits `make conformance` runs, and what each needs to know about the sandbox.

To add a kit: one `Kit(...)` line with its TMF number, its folder under $TMF_KITS and the
apiName of its base path; `payloads` only when the kit's own (in its shipped config.json) do
not suit the sandbox.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import httpx

from conformance.target import Target

Payloads = dict[str, Any]


@dataclass(frozen=True)
class Kit:
    code: str  # TMF635
    folder: str  # CTK-TMF635-Usage
    api: str  # usageManagement: the URL is {sandbox}/tmf-api/{api}/v4/
    # The kit's launcher first GETs its URL without the configured headers (TMF635's index.js
    # does): the token then travels in the URL, as Basic credentials (sandbox/tmf/auth.py).
    credentials_in_url: bool = False
    # The POST bodies, from the kit's own; None keeps them as shipped.
    payloads: Callable[[Payloads], Payloads] | None = None
    # Makes the world hold what the kit should also see (so world-derived entities, not only
    # the kit's own, pass its checks).
    prepare: Callable[[Target], None] | None = None


def _an_sms_on_a_phone(target: Target) -> None:
    """An access code ordered for a demo subscriber: an SMS on the phone, which TMF681 lists
    beside the messages the kit creates."""
    answer = httpx.post(f"{target.url}/v1/subscribers/+79161234567/access-code",
                        headers={"Authorization": f"Bearer {target.token}",
                                 "Idempotency-Key": f"conformance-{uuid.uuid4().hex}"},
                        timeout=30)
    answer.raise_for_status()


def _an_applied_order(target: Target) -> None:
    """A change applied to a demo line through TMF622 itself: the kit's list then holds the
    world's orders beside the ones it creates."""
    headers = {"Authorization": f"Bearer {target.token}"}
    line = httpx.get(f"{target.url}/v1/subscribers/+79121234567", headers=headers, timeout=30)
    line.raise_for_status()
    order = {"externalId": f"conformance-{uuid.uuid4().hex}",
             "productOrderItem": [{"id": "1", "action": "add",
                                   "productOffering": {"id": "service-WHO_CALLED"},
                                   "product": {"productRelationship": [{
                                       "relationshipType": "bundled",
                                       "product": {"id": "L-79121234567"}}]}}],
             "channel": [{"id": "CTK", "name": "1"}],
             "relatedParty": [{"id": "conformance", "role": "clerk",
                               "@referredType": "Individual"}]}
    answer = httpx.post(f"{target.url}/tmf-api/productOrderingManagement/v4/productOrder",
                        json=order, timeout=30,
                        headers={**headers, "Idempotency-Key": f"conformance-{uuid.uuid4().hex}",
                                 "If-Match": line.headers["ETag"]})
    answer.raise_for_status()


KITS: tuple[Kit, ...] = (
    Kit("TMF635", "CTK-TMF635-Usage", "usageManagement", credentials_in_url=True),
    Kit("TMF681", "CTK-TMF681-Communication", "communicationManagement",
        prepare=_an_sms_on_a_phone),
    Kit("TMF620", "CTK-TMF620-ProductCatalog", "productCatalogManagement"),
    Kit("TMF637", "CTK-TMF637-ProductInventory", "productInventory"),
    # The world's buckets (every line's balances) are listed beside the kit's own.
    Kit("TMF654", "CTK-TMF654-PrepayBalance", "prepayBalanceManagement"),
    Kit("TMF622", "CTK-TMF622-ProductOrdering", "productOrderingManagement",
        prepare=_an_applied_order),
)


def chosen(codes: list[str] | None) -> list[Kit]:
    if not codes:
        return list(KITS)
    known = {kit.code: kit for kit in KITS}
    unknown = [c for c in codes if c not in known]
    if unknown:
        raise ValueError(f"unknown kit(s) {', '.join(unknown)}; known: {', '.join(known)}")
    return [known[c] for c in codes]
