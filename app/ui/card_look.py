"""What makes a card on screen "a new look at it" for the parts that ask the network about it
(the operations, the access code): another subscriber, another version, another fetch, live
or saved, or what R10 still withholds (the same fetched card after the identity check is a new
look: what waited for the check is now offered)."""

from __future__ import annotations

from models.domain import SubscriberCard

CardLook = tuple[str, int, object, str, tuple[str, ...]]


def card_look(card: SubscriberCard) -> CardLook:
    subscriber = card.subscriber
    return (subscriber.msisdn, subscriber.version, card.fetched_at, card.source, card.withheld)
