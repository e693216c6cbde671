"""The operator API's JSON as pydantic models, and their conversion to domain objects.

Validation happens here, at the edge: whatever the API sends that the contract does not allow
becomes OperatorProtocolError in the client, never a half-built card on screen. Numbers, zones
and instants are held to the ranges the console can show (app/operator_api/wire_values.py).
The access-code and training-sandbox answers are in wire_codes.py.
"""

from __future__ import annotations

from decimal import Decimal

from pydantic import BaseModel, ConfigDict, Field, model_validator

from app.operator_api.wire_values import Day
from models.domain import (
    DemoDocument,
    DemoRepresentative,
    DemoSubscriber,
    Money,
    SubscriberStatus,
    TariffClass,
)


class Wire(BaseModel):
    model_config = ConfigDict(extra="ignore", frozen=True, defer_build=True)


class WireMoney(Wire):
    value: Decimal = Field(max_digits=14, decimal_places=2, allow_inf_nan=False)
    currency: str = Field(pattern=r"^[A-Z]{3}$")

    def domain(self) -> Money:
        return Money(self.value, self.currency)


class WireServiceRef(Wire):
    code: str
    name: str


class WireTrial(Wire):
    start: Day
    end: Day

    @model_validator(mode="after")
    def _ordered(self) -> WireTrial:
        if self.end < self.start:
            raise ValueError("a trial ends on or after its start")
        return self


class WireDemoRepresentative(Wire):
    name: str
    document_type: str
    document_number: str


class WireDemoSubscriber(Wire):
    msisdn: str
    name: str
    tariff_code: str
    tariff_class: TariffClass
    home_region: str
    status: SubscriberStatus
    assistant_connected: bool
    promised_payment_debt: bool
    heavy: bool
    document_type: str | None = None
    document_number: str | None = None
    unverified: bool = False
    representative: WireDemoRepresentative | None = None
    email: str | None = None

    def domain(self) -> DemoSubscriber:
        document = None
        if self.document_type is not None and self.document_number is not None:
            document = DemoDocument(self.document_type, self.document_number)
        chosen = self.representative
        return DemoSubscriber(
            self.msisdn, self.name, self.tariff_code, self.tariff_class, self.home_region,
            self.status, self.assistant_connected, self.promised_payment_debt, self.heavy,
            document=document, unverified=self.unverified,
            representative=None if chosen is None else DemoRepresentative(
                chosen.name, DemoDocument(chosen.document_type, chosen.document_number)),
            email=self.email)


class WireDemoList(Wire):
    items: list[WireDemoSubscriber]
