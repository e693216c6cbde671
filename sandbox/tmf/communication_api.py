"""TMF681 Communication at /tmf-api/communicationManagement/v4/: `communicationMessage` — the SMS
the phones received (sandbox/sms.py keeps them beside the world: access codes arrive there),
read-only and newest first, after the messages clients created (kept, never delivered)."""

from __future__ import annotations

from typing import Any

from sandbox.deps import Context
from sandbox.sms import Sms
from sandbox.tmf import ids
from sandbox.tmf.links import Links
from sandbox.tmf.resource import Api, Resource
from sandbox.tmf.sources import IterableSource, Source
from sandbox.wire import utc_iso

Json = dict[str, Any]
COMMUNICATION_API = "communicationManagement"
API = Api(COMMUNICATION_API, "TMF681", "Communication")


def message_json(sms: Sms, links: Links) -> Json:
    entity_id = ids.sms_id(sms.id)
    sent = utc_iso(sms.sent_at)
    return {
        "id": entity_id,
        "href": links.href(COMMUNICATION_API, "communicationMessage", entity_id),
        "@type": "CommunicationMessage",
        "messageType": "SMS",
        "content": sms.text,
        "sender": {"phoneNumber": sms.sender, "name": sms.sender},
        "receiver": [{"phoneNumber": sms.to, "id": ids.line_id(sms.to)}],
        "sendTime": sent,
        "sendTimeComplete": sent,
        "state": "completed",
    }


def _phones(ctx: Context) -> Source:
    def lookup(entity_id: str, links: Links) -> Json | None:
        number = ids.sms_number(entity_id)
        sms = None if number is None else ctx.sms.by_id(number)
        return None if sms is None else message_json(sms, links)

    return IterableSource(
        lambda links: (message_json(sms, links) for sms in ctx.sms.everything()), lookup)


COMMUNICATION_MESSAGE = Resource(
    API, "communicationMessage", "CommunicationMessage",
    required=("content", "receiver", "sender", "messageType"),
    world=_phones,
    world_doc="The world's messages: the SMS the subscribers' phones received (access codes "
              "among them), newest first, read-only; `receiver.phoneNumber=+7…` gives one "
              "phone's.")
RESOURCES = (COMMUNICATION_MESSAGE,)
