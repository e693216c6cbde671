"""The saved subscriber cards (the offline fallback of a lookup), in the local store."""

from __future__ import annotations

import json
from datetime import UTC

from models.card_codec import card_from_dict, card_to_dict
from models.domain import SubscriberCard
from models.tables import CachedCard


class StoreCardCache:
    """CardCache backed by the `cached_card` table."""

    def get(self, msisdn: str) -> SubscriberCard | None:
        row = CachedCard.get_or_none(CachedCard.msisdn == msisdn)
        return card_from_dict(json.loads(row.payload)) if row else None

    def put(self, card: SubscriberCard) -> None:
        payload = json.dumps(card_to_dict(card), ensure_ascii=False)
        fetched = card.fetched_at.astimezone(UTC).replace(tzinfo=None)
        (
            CachedCard.insert(msisdn=card.subscriber.msisdn, payload=payload, fetched_at=fetched)
            .on_conflict(
                conflict_target=[CachedCard.msisdn],
                update={CachedCard.payload: payload, CachedCard.fetched_at: fetched},
            )
            .execute()
        )

    def forget(self, msisdn: str) -> None:
        CachedCard.delete().where(CachedCard.msisdn == msisdn).execute()
