"""The operator's lines: the card (the subscriber, their tariff and services), the balances now
and at an instant — a part of OperatorClient (app/operator_api/client.py).

- the card: TMF637 `GET /product/{line id}` (its `ETag` is the subscriber's version, sent
  back as If-Match by a change), the tariff's class from TMF620
  `GET /productOffering/{tariff}?fields=prodSpecCharValueUse` (kept per tariff for the
  client's life: a tariff's class does not change under a console), the person's name from the
  line's `relatedParty` (role `user`), or TMF632 `GET /individual/{id}` when that reference has
  no name;
- the balances: TMF654 `GET /bucket?product.id={line id}`;
- the main balance at an instant: the x-salon extension's
  `GET mainBalance?product.id={line id}&at={UTC}`.

Each is refused whole when it is about another number or line than the one asked. The card
and the balances are independent requests: a lookup asks for both at once
(app/services/lookup.py), and on a number's first lookup they share one line-id request.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from datetime import datetime
from urllib.parse import quote

import httpx

from app.operator_api.bodies import UnreadableJson, parse_json
from app.operator_api.line_ids import LineIds, utc_text
from app.operator_api.wire_lines import (
    TmfBuckets,
    TmfIndividual,
    TmfLine,
    TmfMainBalance,
    TmfOfferingClass,
    TmfOfferingClasses,
    version_of,
)
from models.domain import Balances, Subscriber, TariffClass

log = logging.getLogger(__name__)
TARIFFS_AT_ONCE = 1000  # the most tariffs one list of their classes may hold


@dataclass
class _KnownTariffs:
    classes: dict[str, TariffClass] = field(default_factory=dict)  # offering id → class
    listed: bool = False  # every tariff's class was asked for once


class LineCalls(LineIds):
    def subscriber(self, msisdn: str) -> Subscriber:
        """The subscriber's card; SubscriberNotFound when the operator has no live line with
        this number."""
        line, response = self._line_answer(
            msisdn, lambda line: self._request(
                "GET", self._line_path("productInventory", "product", line)))
        path = self._line_path("productInventory", "product", line)
        wire = self._validate(response, TmfLine, path)
        self._same_number(msisdn, wire.serial_number, path)
        self._same_line(line, wire.id, path)
        version = self._convert(lambda: version_of(response.headers.get("ETag")))
        tariff_class = self._tariff_class(wire.offering.id)
        person = self._person_name(wire)
        subscriber: Subscriber = self._convert(
            lambda: wire.domain(version=version, tariff_class=tariff_class, person=person))
        return subscriber

    def balances(self, msisdn: str) -> Balances:
        """Main, bonus, the promised payment owed (and when it is due), the month's packages.
        A kept line id the operator answers no bucket for is looked up again once (TMF lists
        answer an unknown filter value with an empty list, not a 404)."""
        path = f"{self._api('prepayBalanceManagement')}/bucket"
        line, response = self._line_answer(
            msisdn, lambda line: self._request("GET", path, params={"product.id": line}),
            gone=lambda answer: answer.status_code == 404 or _empty_list(answer))
        wire = self._validate(response, TmfBuckets, path)
        for bucket in wire.root:
            if line not in {product.id for product in bucket.products}:
                self._same_line(line, ", ".join(p.id for p in bucket.products) or "none",
                                path)
        balances: Balances = self._convert(wire.domain)
        return balances

    def balances_at(self, msisdn: str, at: datetime) -> Balances:
        """The main balance as of instant `at` (not in the future): a detalization's opening
        and closing balance (the contract's balance identity). Only `main` is the operator's;
        the rest of the Balances is zero and empty (nothing else is known at an instant)."""
        path = f"{self._api('x-salon')}/mainBalance"
        line, response = self._line_answer(
            msisdn, lambda line: self._request(
                "GET", path, params={"product.id": line, "at": utc_text(at)}))
        wire = self._validate(response, TmfMainBalance, path)
        self._same_line(line, wire.product.id, path)
        balances: Balances = self._convert(wire.domain)
        return balances

    # -- parts of the card ----------------------------------------------------------------------

    def _tariff_class(self, offering: str) -> TariffClass:
        """The class of tariff `offering`. The first time one is needed, every tariff's class is
        asked at once (TMF620 `GET /productOffering?category.id=tariff&fields=…`: a first
        lookup of a number on another tariff then costs no request more); a tariff that list
        did not hold is asked alone."""
        known = self._known_tariffs()
        if offering not in known.classes and not known.listed:
            self._list_tariff_classes(known)
        found = known.classes.get(offering)
        if found is None:
            path = f"{self._api('productCatalogManagement')}/productOffering/" \
                   f"{quote(offering, safe='')}"
            wire = self._get(path, TmfOfferingClass, params={"fields": "prodSpecCharValueUse"})
            self._same_line(offering, wire.id, path)
            found = self._convert(wire.tariff_class)
            known.classes[offering] = found
        return found

    def _list_tariff_classes(self, known: _KnownTariffs) -> None:
        path = f"{self._api('productCatalogManagement')}/productOffering"
        tariffs = self._get(path, TmfOfferingClasses, params={
            "category.id": "tariff", "fields": "id,prodSpecCharValueUse",
            "limit": TARIFFS_AT_ONCE})
        for tariff in tariffs.root:
            try:
                known.classes[tariff.id] = tariff.tariff_class()
            except ValueError as error:  # that tariff's card asks for it alone, and refuses it
                log.warning("%s: %s", path, error)
        known.listed = True

    def _known_tariffs(self) -> _KnownTariffs:
        """The tariffs' classes known to this client, for its life (a tariff's class does not
        change under a console); dict.setdefault is atomic, so threads share one."""
        known: _KnownTariffs = vars(self).setdefault("_known_tariff_classes", _KnownTariffs())
        return known

    def _person_name(self, line: TmfLine) -> str:
        """The name of the person using the line: the line's reference to them carries it
        (the sandbox's does); else TMF632 `GET /individual/{id}`."""
        user = self._convert(line.user)
        if user.name:
            return str(user.name)
        path = f"{self._api('party')}/individual/{quote(user.id, safe='')}"
        person = self._get(path, TmfIndividual,
                           params={"fields": "fullName,familyName,givenName,middleName"})
        return str(self._convert(person.name))

    def _same_line(self, asked: str, answered: str, path: str) -> None:
        """An answer about another line (or offering) than the one asked is refused whole,
        as one about another number is."""
        self._same_number(asked, answered, path)


def _empty_list(response: httpx.Response) -> bool:
    if response.status_code != 200:
        return False
    try:
        return parse_json(response.content) == []
    except UnreadableJson:
        return False
