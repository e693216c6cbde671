"""Wire models of access codes, the document archive and the sandbox-only controls."""

from __future__ import annotations

from typing import Literal

from pydantic import Field

from sandbox.schemas import Model, UtcInstant


class AccessCode(Model):
    state: Literal["none", "active", "locked"]
    issued_at: UtcInstant | None = Field(description="When the current code was ordered")
    attempts_left: int = Field(ge=0, le=4, description="Entries left before access locks: 4 "
                                                       "with a fresh count, 0 while locked")
    locked_until: UtcInstant | None
    now: UtcInstant = Field(description="The operator's clock at this answer: the time left "
                                        "of a lock is locked_until − now (the sandbox's clock "
                                        "may run ahead of the client's)")


class VerifyRequest(Model):
    code: str = Field(pattern=r"^\d{6}$", description="The 6 digits the subscriber entered")


class VerifyOk(Model):
    result: Literal["ok"]


class VerifyWrong(Model):
    result: Literal["wrong"]
    attempts_left: int = Field(ge=1, le=3, description="3, 2, 1; the next wrong entry after 1 "
                                                       "locks")


class VerifyLocked(Model):
    result: Literal["locked"]
    locked_until: UtcInstant


class VerifyNoCode(Model):
    result: Literal["no_code"]


class Document(Model):
    id: str = Field(examples=["doc_5f0c2a9e41b7d3c8a6e19f20"])
    name: str
    content_type: str
    size: int = Field(description="Bytes")
    sha256: str = Field(description="Hex digest of the bytes")
    uploaded_at: UtcInstant
    expires_at: UtcInstant = Field(description="uploaded_at + 3 days of the sandbox clock (R9)")


class DocumentList(Model):
    items: list[Document] = Field(description="Unexpired documents, newest first")


class FaultConfig(Model):
    latency_ms: int = Field(0, ge=0, le=60_000, description="Added before every faulted request")
    error_rate: float = Field(0.0, ge=0, le=1, description="503 unavailable, nothing applied")
    drop_before_rate: float = Field(0.0, ge=0, le=1,
                                    description="Connection broken, nothing applied")
    drop_after_rate: float = Field(0.0, ge=0, le=1, description="Applied and committed, then "
                                                                "the connection is broken")
    paths: list[str] = Field(["/v1", "/tmf-api"], min_length=1, description="Path prefixes faulted")
    seed: int = Field(0, description="Seeds the fault RNG: a sequential run is reproducible")


class FaultState(FaultConfig):
    outage_seconds_left: float


class Outage(Model):
    seconds: float = Field(gt=0, le=3600)


class ClockState(Model):
    now: UtcInstant
    offset_seconds: int = Field(description="Sandbox now − real now")
    world_drawn_on: str = Field(
        description="The UTC day the demo world was drawn (YYYY-MM-DD): histories end there, "
                    "and the Assistant's trial operation counts from it (R5)",
        examples=["2026-11-22"])


class ClockAdvance(Model):
    advance_seconds: int = Field(gt=0, le=366 * 86400,
                                 description="Forward only, at most a year per call")


class Sms(Model):
    id: int
    from_: str = Field(alias="from", examples=["6262"])
    to: str
    text: str
    sent_at: UtcInstant


class SmsList(Model):
    items: list[Sms] = Field(description="Newest first")
