"""R10, the identity check (app/services/identity.py), on a fixed clock, with a fake operator
record and the real store (SQLite and PostgreSQL): the comparison, the visit's end, the
mismatch limit and the manager's unlock, and that only a keyed hash and the last 4 are kept."""

from __future__ import annotations

import hashlib
import hmac
from collections.abc import Iterator
from datetime import UTC, date, datetime, timedelta
from typing import Any

import pytest

from app.clock import FixedClock
from app.config import IdentitySettings
from app.errors import IdentityLocked, IdentityMismatch, IdentityRequired, InputError
from app.services.identity import MISMATCH_LIMIT, IdentityService, normalised
from models.domain import ClerkRole, Session
from models.identity import (
    ALL_NEEDS,
    DocumentType,
    HolderRecord,
    IdentityDocument,
    Need,
    PowerOfAttorney,
    Presenter,
)
from models.identity_store import StoreIdentity

NOW = datetime(2026, 11, 23, 10, 0, tzinfo=UTC)
MARIA, OLEG = "+79161234567", "+79261112233"
ANNA = Session("anna", "Анна Соколова", ClerkRole.CLERK, NOW)
BORIS = Session("boris", "Борис Орлов", ClerkRole.CLERK, NOW)
IGOR = Session("igor", "Игорь Белов", ClerkRole.MANAGER, NOW)
KEY = b"k" * 32
PASSPORT = DocumentType.PASSPORT_RF


class FakeRecords:
    def __init__(self) -> None:
        self.records = {
            MARIA: HolderRecord(True, (IdentityDocument("passportRF", "4510 730291"),)),
            OLEG: HolderRecord(False, (IdentityDocument("passportRF", "4603 654321"),)),
        }
        self.asked: list[str] = []

    def holder_record(self, msisdn: str) -> HolderRecord:
        self.asked.append(msisdn)
        return self.records[msisdn]


class Journal:
    def __init__(self) -> None:
        self.entries: list[dict[str, Any]] = []

    def record(self, clerk: str, action: str, result: str = "done", *, subscriber: str = "",
               detail: str = "", reason: str = "") -> None:
        self.entries.append({"clerk": clerk, "action": str(action), "result": str(result),
                             "subscriber": subscriber, "detail": detail, "reason": reason})


@pytest.fixture
def world(any_store: Any) -> Iterator[tuple[IdentityService, FixedClock, Journal]]:
    clock = FixedClock(NOW)
    journal = Journal()
    service = IdentityService(FakeRecords(), StoreIdentity("MSK-1", "2"), lambda: KEY, clock,
                              settings=IdentitySettings(), salon="MSK-1", counter="2",
                              timezone="Europe/Moscow", journal=journal)
    yield service, clock, journal


def test_numbers_are_compared_by_their_letters_and_digits() -> None:
    assert normalised("4510 123456") == normalised("4510-123-456") == "4510123456"
    assert normalised(" ab № 12 ") == "AB12"


def test_before_the_check_every_need_is_refused_and_the_card_parts_withheld(world) -> None:
    identity, _clock, _journal = world
    for need in ALL_NEEDS:
        with pytest.raises(IdentityRequired) as refused:
            identity.require(ANNA, MARIA, need)
        assert refused.value.rule == "R10" and refused.value.exit_code == 3
        assert refused.value.need == need.value
    assert identity.withheld(ANNA, MARIA) == (Need.SERVICES, Need.BALANCES, Need.CODE,
                                              Need.ADDRESS)


def test_the_holders_document_opens_the_visit_for_that_subscriber_and_clerk(world) -> None:
    identity, _clock, journal = world
    visit = identity.check(ANNA, MARIA, Presenter.HOLDER, PASSPORT, "4510-730291")
    assert visit.last4 == "0291"
    for need in ALL_NEEDS:
        identity.require(ANNA, MARIA, need)
    assert identity.withheld(ANNA, MARIA) == ()
    with pytest.raises(IdentityRequired):
        identity.require(BORIS, MARIA, Need.BALANCES)  # another clerk checks for themselves
    with pytest.raises(IdentityRequired):
        identity.require(ANNA, OLEG, Need.BALANCES)  # another subscriber
    [entry] = journal.entries
    assert entry == {"clerk": "anna", "action": "identity_check", "result": "done",
                     "subscriber": MARIA, "detail": "holder passportRF *0291", "reason": ""}


def test_only_a_keyed_hash_and_the_last_4_are_kept(world, store_url: str) -> None:
    identity, _clock, journal = world
    identity.check(ANNA, MARIA, Presenter.HOLDER, PASSPORT, "4510 730291")
    from models.identity_store import IdentityVisit

    rows = list(IdentityVisit.select().dicts())
    assert len(rows) == 1
    assert rows[0]["number_hash"] == hmac.new(KEY, b"passportRF:4510730291",
                                              hashlib.sha256).hexdigest()
    assert rows[0]["number_hash"] != hashlib.sha256(b"passportRF:4510730291").hexdigest()
    assert rows[0]["last4"] == "0291"
    stored = " ".join(str(value) for value in rows[0].values())
    assert "730291" not in stored and "4510" not in stored
    assert "730291" not in repr(journal.entries)


def test_a_visit_ends_after_its_minutes(world) -> None:
    identity, clock, _journal = world
    identity.check(ANNA, MARIA, Presenter.HOLDER, PASSPORT, "4510730291")
    clock.advance(timedelta(minutes=15) - timedelta(seconds=1))
    identity.require(ANNA, MARIA, Need.DETALIZATION)
    clock.advance(timedelta(seconds=1))
    with pytest.raises(IdentityRequired):
        identity.require(ANNA, MARIA, Need.DETALIZATION)


def test_another_subscriber_the_lock_and_sign_out_end_the_visit(world) -> None:
    identity, _clock, journal = world
    for end in (lambda: identity.looked_up(ANNA, OLEG),
                lambda: identity.session_event(ANNA, "lock"),
                lambda: identity.session_event(ANNA, "sign_out"),
                lambda: identity.end(ANNA, MARIA)):
        identity.check(ANNA, MARIA, Presenter.HOLDER, PASSPORT, "4510730291")
        identity.looked_up(ANNA, MARIA)  # the same subscriber again: the visit goes on
        identity.require(ANNA, MARIA, Need.CHANGES)
        end()
        with pytest.raises(IdentityRequired):
            identity.require(ANNA, MARIA, Need.CHANGES)
    ends = [e["detail"] for e in journal.entries if e["action"] == "identity_end"]
    assert ends == ["another subscriber", "lock", "sign_out", "clerk"]


def test_a_mismatch_is_refused_and_journaled_without_the_number(world) -> None:
    identity, _clock, journal = world
    with pytest.raises(IdentityMismatch) as refused:
        identity.check(ANNA, MARIA, Presenter.HOLDER, PASSPORT, "4510 999999")
    assert refused.value.rule == "R10" and "999999" not in str(refused.value)
    with pytest.raises(IdentityMismatch):  # the right number of another type of document
        identity.check(ANNA, MARIA, Presenter.HOLDER, DocumentType.FOREIGN_PASSPORT,
                       "4510 730291")
    with pytest.raises(IdentityRequired):
        identity.require(ANNA, MARIA, Need.BALANCES)
    assert [(e["result"], e["reason"], e["detail"]) for e in journal.entries] == [
        ("refused", "mismatch", "holder passportRF *9999"),
        ("refused", "mismatch", "holder foreignPassport *0291")]


def test_more_than_five_mismatches_an_hour_lock_until_a_manager_signs_in_here(world) -> None:
    identity, clock, journal = world
    for _ in range(MISMATCH_LIMIT):
        with pytest.raises(IdentityMismatch):
            identity.check(ANNA, MARIA, Presenter.HOLDER, PASSPORT, "0000 000000")
        clock.advance(timedelta(minutes=5))
    asked = len(identity._api.asked)  # type: ignore[attr-defined]
    with pytest.raises(IdentityLocked) as locked:  # even the right document
        identity.check(ANNA, MARIA, Presenter.HOLDER, PASSPORT, "4510 730291")
    assert locked.value.rule == "R10" and "manager" in str(locked.value)
    assert len(identity._api.asked) == asked  # type: ignore[attr-defined]  # not compared
    assert journal.entries[-1]["reason"] == "locked"
    identity.check(ANNA, OLEG, Presenter.HOLDER, PASSPORT, "4603 654321")  # others are not
    identity.session_event(BORIS, "sign_in")  # a clerk does not lift it
    with pytest.raises(IdentityLocked):
        identity.check(ANNA, MARIA, Presenter.HOLDER, PASSPORT, "4510 730291")
    identity.session_event(IGOR, "sign_in")
    identity.check(ANNA, MARIA, Presenter.HOLDER, PASSPORT, "4510 730291")


def test_mismatches_older_than_an_hour_no_longer_count(world) -> None:
    identity, clock, _journal = world
    for _ in range(MISMATCH_LIMIT):
        with pytest.raises(IdentityMismatch):
            identity.check(ANNA, MARIA, Presenter.HOLDER, PASSPORT, "0000 000000")
    clock.advance(timedelta(hours=1))
    identity.check(ANNA, MARIA, Presenter.HOLDER, PASSPORT, "4510 730291")


def test_a_representative_is_recorded_with_the_power_of_attorney(world) -> None:
    identity, clock, journal = world
    poa = PowerOfAttorney("77 АБ 1234567", date(2026, 10, 1))
    visit = identity.check(ANNA, MARIA, Presenter.REPRESENTATIVE,
                           DocumentType.RESIDENCE_PERMIT, "82 0012345", poa)
    assert (visit.poa_number, visit.poa_date, visit.last4) == ("77 АБ 1234567",
                                                              date(2026, 10, 1), "2345")
    identity.require(ANNA, MARIA, Need.DETALIZATION)
    assert journal.entries[-1]["detail"] == \
        "representative residencePermit *2345 poa 77 АБ 1234567 2026-10-01"
    with pytest.raises(InputError):  # a power of attorney is the representative's
        identity.check(ANNA, MARIA, Presenter.REPRESENTATIVE, PASSPORT, "4510 730291")
    tomorrow = (clock.now() + timedelta(days=2)).date()
    with pytest.raises(InputError, match="has not come"):
        identity.check(ANNA, MARIA, Presenter.REPRESENTATIVE, PASSPORT, "4510 730291",
                       PowerOfAttorney("1", tomorrow))


@pytest.mark.parametrize("typed", ["", "12", "№ -- ", "1" * 21])
def test_a_malformed_number_records_nothing(world, typed: str) -> None:
    identity, _clock, journal = world
    with pytest.raises(InputError) as refused:
        identity.check(ANNA, MARIA, Presenter.HOLDER, PASSPORT, typed)
    assert typed not in str(refused.value) or not typed
    assert journal.entries == []
    assert identity._store.visit() is None  # type: ignore[attr-defined]


def test_an_unverified_subscriber_is_offered_the_check_only(world) -> None:
    identity, _clock, journal = world
    visit = identity.check(ANNA, OLEG, Presenter.HOLDER, PASSPORT, "4603 654321")
    assert not visit.verified and journal.entries[-1]["reason"] == "unverified"
    with pytest.raises(IdentityRequired, match="303-FZ"):
        identity.require(ANNA, OLEG, Need.CHANGES)
    assert identity.withheld(ANNA, OLEG) == (Need.SERVICES, Need.BALANCES, Need.CODE,
                                             Need.ADDRESS)


def test_require_for_relaxes_what_needs_the_check(any_store: Any) -> None:
    identity = IdentityService(FakeRecords(), StoreIdentity("MSK-1", "2"), lambda: KEY,
                               FixedClock(NOW), settings=IdentitySettings(
                                   require_for=frozenset({"detalization"})),
                               salon="MSK-1", counter="2", timezone="Europe/Moscow")
    identity.require(ANNA, MARIA, Need.BALANCES, Need.CHANGES)
    assert identity.withheld(ANNA, MARIA) == ()
    with pytest.raises(IdentityRequired):
        identity.require(ANNA, MARIA, Need.BALANCES, Need.DETALIZATION)


def test_the_visit_is_per_counter(any_store: Any) -> None:
    def at(counter: str) -> IdentityService:
        return IdentityService(FakeRecords(), StoreIdentity("MSK-1", counter), lambda: KEY,
                               FixedClock(NOW), settings=IdentitySettings(), salon="MSK-1",
                               counter=counter, timezone="Europe/Moscow")

    at("1").check(ANNA, MARIA, Presenter.HOLDER, PASSPORT, "4510 730291")
    at("1").require(ANNA, MARIA, Need.BALANCES)
    with pytest.raises(IdentityRequired):
        at("2").require(ANNA, MARIA, Need.BALANCES)


def test_the_identity_settings_are_read_and_checked(tmp_path) -> None:
    from pathlib import Path

    from app.config import load_settings
    from app.errors import ConfigError
    from tests.conftest import write_ini

    shipped = load_settings(Path(__file__).parents[2] / "salon.ini")
    assert IdentitySettings().require_for == shipped.identity.require_for
    assert shipped.identity.require_for == frozenset(need.value for need in ALL_NEEDS)
    assert shipped.identity.visit_minutes == 15
    chosen = load_settings(write_ini(tmp_path, identity={
        "require_for": " Detalization , changes", "visit_minutes": "30"}))
    assert chosen.identity == IdentitySettings(frozenset({"detalization", "changes"}), 30)
    assert load_settings(write_ini(tmp_path, identity={"require_for": "none"})
                         ).identity.require_for == frozenset()
    for key, value in (("require_for", "balances, passports"), ("require_for", ""),
                       ("visit_minutes", "0"), ("visit_minutes", "481")):
        with pytest.raises(ConfigError, match=f"\\[identity\\] {key}"):
            load_settings(write_ini(tmp_path, identity={key: value}))
