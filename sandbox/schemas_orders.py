"""Wire models of orders (TMF622-like) and their previews (resources/operator-api.md)."""

from __future__ import annotations

from typing import Any, Literal

from pydantic import Field

from sandbox.schemas import ErrorBody, Model, Money, Trial, UtcInstant

Action = Literal["change_tariff", "add_service", "remove_service", "connect_assistant"]
Rule = Literal["R1", "subscriber_blocked", "insufficient_balance", "not_available",
               "already_connected", "not_connected", "same_tariff"]


class OrderRequest(Model):
    msisdn: str = Field(pattern=r"^\+[1-9]\d{7,14}$", examples=["+79161234567"])
    action: Action
    tariff_code: str | None = Field(None, max_length=64,
                                    description="change_tariff only (required there)")
    service_code: str | None = Field(None, max_length=64,
                                     description="add_service and remove_service only "
                                                 "(required there)")
    clerk: str = Field(min_length=1, max_length=64, description="The clerk's login")
    salon: str = Field(min_length=1, max_length=64, description="The salon's id")
    counter: str = Field(min_length=1, max_length=16, examples=["1"])


class Refusal(Model):
    rule: Rule
    message: str


class ServiceName(Model):
    code: str
    name: str


class Preview(Model):
    allowed: bool
    refusal: Refusal | None = Field(description="The first rule that refuses, if any")
    fee: Money = Field(description="The one-off fee, by the subscriber's tariff plan (R4)")
    monthly_cost_before: Money = Field(description="Tariff + connected services, per month")
    monthly_cost_after: Money
    balance_before: Money = Field(description="The main balance now")
    balance_after: Money = Field(description="balance_before − fee (as if applied, even when "
                                             "not allowed)")
    trial: Trial | None = Field(description="R5: the service is in trial operation")
    dropped_services: list[ServiceName] = Field(
        description="Services a tariff change would disconnect (not allowed in the new class)")
    subscriber_version: int = Field(description="Send it as If-Match with the order")


class Order(Model):
    order_id: str = Field(examples=["ORD-000001"])
    state: Literal["completed"]
    msisdn: str
    action: Action
    tariff_code: str | None = Field(description="change_tariff: the new tariff; else null")
    service_code: str | None = Field(description="The service added, removed or connected "
                                                 "(ASSISTANT); else null")
    fee: Money
    monthly_cost_after: Money
    balance_after: Money = Field(description="The main balance just after the order")
    completed_at: UtcInstant
    subscriber_version: int = Field(description="The new version (ETag) of the subscriber")
    dropped_services: list[ServiceName]
    clerk: str
    salon: str
    counter: str


class OrderList(Model):
    items: list[Order] = Field(description="Newest first")


class RefusalErrorBody(ErrorBody):
    code: Literal["rule_refused"]
    rule: Rule | Literal["assistant_not_connected"] = Field(
        description="The rule that refuses: the client names it to the clerk")


class RefusalError(Model):
    error: RefusalErrorBody


class VersionErrorBody(ErrorBody):
    code: Literal["version_mismatch"]
    current_version: int = Field(description="The subscriber's version now")


class VersionError(Model):
    error: VersionErrorBody


class StoredAnswer(Model):
    key: str = Field(description="The Idempotency-Key asked about")
    status: int = Field(description="The HTTP status the write was answered with",
                        examples=[201])
    body: dict[str, Any] = Field(description="The answer's body exactly as stored: an Order "
                                             "for 201, else the error object")
