"""The operator's lines: the card (the subscriber, their tariff and services), the balances now
and at an instant — a part of OperatorClient (app/operator_api/client.py)."""

from __future__ import annotations

from datetime import datetime

from app.operator_api.line_ids import LineIds, utc_text
from app.operator_api.wire import WireBalance, WireSubscriber
from models.domain import Balances, Subscriber


class LineCalls(LineIds):
    def subscriber(self, msisdn: str) -> Subscriber:
        path = f"/v1/subscribers/{msisdn}"
        wire = self._get(path, WireSubscriber, msisdn=msisdn)
        self._same_number(msisdn, wire.msisdn, path)
        return wire.domain()

    def balances(self, msisdn: str) -> Balances:
        path = f"/v1/subscribers/{msisdn}/balance"
        wire = self._get(path, WireBalance, msisdn=msisdn)
        self._same_number(msisdn, wire.msisdn, path)
        return self._convert(wire.domain)

    def balances_at(self, msisdn: str, at: datetime) -> Balances:
        """The balances as of instant `at` (not in the future): a detalization's opening and
        closing main balance (the contract's balance identity)."""
        path = f"/v1/subscribers/{msisdn}/balance"
        wire = self._get(path, WireBalance, params={"at": utc_text(at)}, msisdn=msisdn)
        self._same_number(msisdn, wire.msisdn, path)
        return self._convert(wire.domain)

