"""Delivery goes only to the subscriber (app/services/recipients.py, R10): which addresses a
subscriber's document may go to and how each is written down — the masking (unit), the rule
over a stand-in gate (the operator's address in any letter case; one the identified holder
gave; never a representative's new one; nothing else), and the journal's words for it. The
same rule end to end: tests/integration/test_email_recipients_cli.py."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime

import pytest
from hypothesis import given
from hypothesis import strategies as st

from app.errors import AddressRefused, IdentityRequired
from app.formatting import mask_addresses, mask_email
from app.journal_text import describe_detail
from app.services.recipients import AddressKind, Recipients
from models.domain import Session
from models.identity import DocumentType, Need, Presenter, Visit
from tests.support.fake_wiring import CLERK

MARIA = "+79161234567"
HELD = "Polar.4567@Mail.Example"
NOW = datetime(2026, 11, 23, 9, 0, tzinfo=UTC)


@pytest.mark.parametrize(("address", "masked"), [
    ("ivanova@mail.ru", "i***@mail.ru"),
    ("I@example.ru", "I***@example.ru"),
    ("мария@почта.рф", "м***@почта.рф"),
    ("a.b+c@sub.example", "a***@sub.example"),
    ("no-at-sign", "***"),
    ("", "***"),
])
def test_an_address_is_masked_to_its_first_letter_and_domain(address: str, masked: str) -> None:
    assert mask_email(address) == masked


def test_addresses_inside_a_relays_answer_are_masked() -> None:
    answer = "550 5.1.1 <ivan.petrov@mail.ru>: Recipient address rejected (also to: b@x.example)"
    masked = mask_addresses(answer)
    assert masked == ("550 5.1.1 <i***@mail.ru>: Recipient address rejected (also to: "
                      "b***@x.example)")
    assert mask_addresses("no address here") == "no address here"


@given(st.emails())
def test_a_masked_address_never_holds_the_local_part_beyond_its_first_letter(
        address: str) -> None:
    local, _at, domain = address.rpartition("@")
    masked = mask_email(address)
    assert masked == f"{local[0]}***@{domain}"
    assert mask_addresses(f"to <{address}>") == f"to <{masked}>"


@dataclass
class Gate:
    """A stand-in for IdentityService: one visit (or none), delivery required or not."""

    visit: Visit | None = None
    required: bool = True
    asked: list[tuple[str, tuple[Need, ...]]] = field(default_factory=list)

    def require(self, clerk: Session, msisdn: str, *needs: Need) -> None:
        self.asked.append((msisdn, needs))
        if self.required and (self.visit is None or self.visit.msisdn != msisdn):
            raise IdentityRequired("R10", need=needs[0].value)

    def needed(self, need: Need) -> bool:
        return self.required

    def visit_subscriber(self, clerk: Session) -> str | None:
        return self.visit.msisdn if self.visit is not None else None

    def visit_of(self, clerk: Session, msisdn: str) -> Visit | None:
        return self.visit if self.visit is not None and self.visit.msisdn == msisdn else None

    def withheld(self, clerk: Session, msisdn: str) -> tuple[Need, ...]:
        return ()

    def looked_up(self, clerk: Session, msisdn: str) -> None:
        pass

    def holder_verified(self, msisdn: str) -> bool:
        return True


class Contacts:
    def __init__(self, *held: str) -> None:
        self.held = held
        self.asked = 0

    def email_addresses(self, msisdn: str) -> tuple[str, ...]:
        self.asked += 1
        return self.held if msisdn == MARIA else ()


def visit(presenter: Presenter) -> Visit:
    return Visit(salon="MSK", counter="2", msisdn=MARIA, clerk=CLERK.login,
                 presenter=presenter, document=DocumentType.PASSPORT_RF, number_hash="h",
                 last4="0291", started_at=NOW, ends_at=NOW)


def test_the_operators_address_in_any_letter_case() -> None:
    recipients = Recipients(Contacts(HELD), Gate(visit(Presenter.REPRESENTATIVE)))
    chosen = recipients.allowed(CLERK, MARIA, "polar.4567@mail.example")
    assert chosen.kind is AddressKind.OPERATOR
    assert chosen.journal_text == "p***@mail.example (operator)"


def test_another_address_is_refused_unless_the_identified_holder_gave_it() -> None:
    holder = Recipients(Contacts(HELD), Gate(visit(Presenter.HOLDER)))
    with pytest.raises(AddressRefused, match="R10") as refused:
        holder.allowed(CLERK, MARIA, "stranger@elsewhere.example")
    assert refused.value.rule == "R10" and refused.value.exit_code == 3
    assert "stranger@" not in str(refused.value) and "s***@elsewhere.example" in str(
        refused.value)
    given_here = holder.allowed(CLERK, MARIA, "new@mail.example", given=True)
    assert (given_here.kind, given_here.journal_text) == (
        AddressKind.COUNTER, "n***@mail.example (counter)")


def test_a_representative_cannot_give_a_new_address() -> None:
    recipients = Recipients(Contacts(HELD), Gate(visit(Presenter.REPRESENTATIVE)))
    with pytest.raises(AddressRefused, match="representative"):
        recipients.allowed(CLERK, MARIA, "new@mail.example", given=True)


def test_without_the_check_nothing_is_asked_of_the_operator() -> None:
    contacts = Contacts(HELD)
    recipients = Recipients(contacts, Gate())
    with pytest.raises(IdentityRequired):
        recipients.allowed(CLERK, MARIA, HELD)
    with pytest.raises(IdentityRequired):
        recipients.held(CLERK, MARIA)
    with pytest.raises(IdentityRequired, match="--phone"):
        recipients.subscriber_of_visit(CLERK)
    assert contacts.asked == 0


def test_no_operator_to_ask_leaves_only_the_holders_own_address() -> None:
    recipients = Recipients(None, Gate(visit(Presenter.HOLDER)))
    assert recipients.held(CLERK, MARIA) == ()
    with pytest.raises(AddressRefused):
        recipients.allowed(CLERK, MARIA, HELD)
    assert recipients.allowed(CLERK, MARIA, HELD, given=True).kind is AddressKind.COUNTER


def test_a_salon_that_leaves_delivery_out_of_r10_does_not_check_the_address() -> None:
    contacts = Contacts(HELD)
    recipients = Recipients(contacts, Gate(required=False))
    assert recipients.allowed(CLERK, MARIA, "any@mail.example").kind is AddressKind.UNCHECKED
    assert contacts.asked == 0


@pytest.mark.parametrize(("detail", "text"), [
    ("note.pdf → i***@mail.ru (operator)", "note.pdf to i***@mail.ru (the address the operator "
                                           "holds)"),
    ("note.pdf → i***@mail.ru (counter)", "note.pdf to i***@mail.ru (given by the holder at "
                                          "the counter)"),
    ("note.pdf → i***@mail.ru", "note.pdf to i***@mail.ru"),
    ("subscription #4: monthly detalization (pdf) → i***@mail.ru (counter), from 2026-11",
     "monthly detalization No. 4 (PDF) to i***@mail.ru (given by the holder at the counter), "
     "from 2026-11"),
    ("subscription #4: monthly detalization (pdf) → i***@mail.ru, from 2026-11",
     "monthly detalization No. 4 (PDF) to i***@mail.ru, from 2026-11"),  # before issue 14
])
def test_the_journals_words_for_an_email(detail: str, text: str) -> None:
    assert describe_detail("email", detail) == text
