"""The personal archive's answers (R8, R9) as TMF667 `Document`s, as pydantic models (the shared
TMF parts are tmf_wire.py's; the value ranges wire_values.py's).

A document of the archive names its owner line among `relatedParty`, keeps its bytes in the one
`binaryAttachment` (`mimeType`, `size {amount, units: "bytes"}`, `validFor` — from the upload
to the expiry, R9 —, and `content`, base64, only when one document is fetched) and its SHA-256
as a `characteristic` named `sha256`.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
from typing import Any, Literal

from pydantic import Field

from app.operator_api.tmf_wire import TmfList, TmfWire
from app.operator_api.wire_values import Count, Instant
from models.archive import ArchivedDocument, FetchedDocument

SHA256 = "sha256"


class TmfPartyRef(TmfWire):
    id: str = Field(min_length=1, max_length=200)


class TmfSize(TmfWire):
    amount: Count
    units: Literal["bytes"]


class TmfPeriod(TmfWire):
    startDateTime: Instant
    endDateTime: Instant


class TmfCharacteristic(TmfWire):
    name: str
    value: Any = None


class TmfAttachment(TmfWire):
    name: str | None = Field(None, max_length=400)
    mimeType: str = Field(min_length=1, max_length=200)
    size: TmfSize
    validFor: TmfPeriod
    content: str | None = None


class TmfDocument(TmfWire):
    id: str = Field(min_length=1, max_length=200)
    name: str = Field(min_length=1, max_length=400)
    relatedParty: list[TmfPartyRef] = Field(min_length=1)
    characteristic: list[TmfCharacteristic] = Field(min_length=1)
    binaryAttachment: list[TmfAttachment] = Field(min_length=1, max_length=1)

    @property
    def attachment(self) -> TmfAttachment:
        return self.binaryAttachment[0]

    def owned_by(self, line_id: str) -> bool:
        return any(party.id == line_id for party in self.relatedParty)

    def sha256(self) -> str:
        """The `sha256` characteristic, as 64 lowercase hex digits."""
        found = [c.value for c in self.characteristic if c.name == SHA256]
        digest = found[0].lower() if len(found) == 1 and isinstance(found[0], str) else ""
        if len(digest) != 64 or any(ch not in "0123456789abcdef" for ch in digest):
            raise ValueError("a document's sha256 characteristic: 64 hex digits")
        return digest

    def domain(self) -> ArchivedDocument:
        valid = self.attachment.validFor
        if valid.endDateTime <= valid.startDateTime:
            raise ValueError("a document expires after it was archived")
        return ArchivedDocument(self.id, self.name, self.attachment.mimeType,
                                self.attachment.size.amount, self.sha256(),
                                valid.startDateTime, valid.endDateTime)

    def fetched(self) -> FetchedDocument:
        """The bytes, checked against the size and the SHA-256 the archive keeps with them."""
        attachment = self.attachment
        if attachment.content is None:
            raise ValueError("a fetched document carries binaryAttachment[0].content")
        try:
            content = base64.b64decode(attachment.content, validate=True)
        except (binascii.Error, ValueError):
            raise ValueError("binaryAttachment[0].content is not base64") from None
        if len(content) != attachment.size.amount:
            raise ValueError("the content's length is not the attachment's size")
        if hashlib.sha256(content).hexdigest() != self.sha256():
            raise ValueError("the content's SHA-256 is not the document's sha256")
        name = attachment.name or self.name
        if "/" in name or "\\" in name:  # a file name, never a path
            name = self.id
        return FetchedDocument(name, attachment.mimeType, content)


class TmfDocuments(TmfList[list[TmfDocument]]):
    """`GET /document?relatedParty.id=…`: a JSON array (without the contents)."""
