"""Who presents which document (app/flows/identity.py): the window's F2 dialog and
`salon identify` read the clerk's answers through this one function."""

from __future__ import annotations

from datetime import date

import pytest

from app.errors import InputError
from app.flows.identity import poa_issued_on, presented
from models.identity import DocumentType, PowerOfAttorney, Presenter


def test_a_holder_presents_a_document_without_a_power_of_attorney() -> None:
    who = presented(DocumentType.PASSPORT_RF, representative=False, poa_number="ignored")
    assert (who.presenter, who.document, who.poa) == (Presenter.HOLDER,
                                                      DocumentType.PASSPORT_RF, None)


def test_a_representative_brings_the_power_of_attorneys_number_and_date() -> None:
    who = presented(DocumentType.FOREIGN_PASSPORT, representative=True,
                    poa_number=" 77 АБ 1234567 ", poa_date="01.10.2026")
    assert who.presenter is Presenter.REPRESENTATIVE
    assert who.poa == PowerOfAttorney("77 АБ 1234567", date(2026, 10, 1))


@pytest.mark.parametrize("number, written", [(None, "2026-10-01"), ("77", None), ("  ", "")])
def test_a_representative_without_a_power_of_attorney_is_refused(number: str | None,
                                                                  written: str | None) -> None:
    with pytest.raises(InputError, match="power of attorney's number and date"):
        presented(DocumentType.PASSPORT_RF, representative=True, poa_number=number,
                  poa_date=written)


def test_no_document_chosen_is_refused() -> None:
    with pytest.raises(InputError, match="Choose the document"):
        presented(None, representative=False)


@pytest.mark.parametrize("text, expected", [("2026-10-01", date(2026, 10, 1)),
                                            ("1.10.2026", date(2026, 10, 1)),
                                            ("29.02.2028", date(2028, 2, 29))])
def test_the_date_as_the_screen_or_iso_writes_it(text: str, expected: date) -> None:
    assert poa_issued_on(text) == expected


@pytest.mark.parametrize("text", ["31.02.2026", "2026/10/01", "завтра", "1.10", ""])
def test_a_date_that_is_not_one_is_refused(text: str) -> None:
    with pytest.raises(InputError, match=r"DD\.MM\.YYYY"):
        poa_issued_on(text)
