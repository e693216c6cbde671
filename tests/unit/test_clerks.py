"""ClerkService on a moved clock: the lockout, unknown logins, disabled accounts and the rules
C1–C4, with the in-memory store and a cheap argon2 (the real table: test_clerk_store.py)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from app.clock import FixedClock
from app.errors import (
    ClerkLocked,
    InputError,
    NotSignedIn,
    RuleRefused,
    WeakPassword,
    WrongPassword,
)
from app.i18n import set_language
from app.services.clerks import TRAINING_ACCOUNTS, ClerkService
from models.domain import ClerkRole, Session
from tests.support.clerks import FAST_HASHER, T0, MemoryClerkStore

ANNA = ("anna", "Анна Соколова", ClerkRole.CLERK, "anna-pass-1")
OLEG = ("oleg", "Олег Смирнов", ClerkRole.MANAGER, "oleg-pass-1")


class Clock(FixedClock):
    def __init__(self, now: datetime = T0) -> None:
        super().__init__(now)


@pytest.fixture
def clock() -> Clock:
    return Clock()


@pytest.fixture
def store() -> MemoryClerkStore:
    return MemoryClerkStore()


@pytest.fixture
def service(store: MemoryClerkStore, clock: Clock) -> ClerkService:
    service = ClerkService(store, clock, hasher=FAST_HASHER)
    service.add_first_manager("oleg", "Олег Смирнов", "oleg-pass-1")
    boss = service.sign_in("oleg", "oleg-pass-1")
    service.add(boss, "anna", "Анна Соколова", ClerkRole.CLERK, "anna-pass-1")
    return service


def manager(service: ClerkService) -> Session:
    return service.sign_in("oleg", "oleg-pass-1")


def wrong(service: ClerkService, login: str = "anna") -> WrongPassword | ClerkLocked:
    with pytest.raises((WrongPassword, ClerkLocked)) as caught:
        service.sign_in(login, "not-the-password")
    return caught.value


# -- signing in and the lockout -------------------------------------------------------------
def test_the_right_password_gives_a_session(service: ClerkService, clock: Clock) -> None:
    session = service.sign_in("  Anna ", "anna-pass-1")  # logins are case-insensitive
    assert session == Session("anna", "Анна Соколова", ClerkRole.CLERK, clock.now())
    assert not session.is_manager


def test_five_wrong_passwords_lock_the_account_for_15_minutes(
    service: ClerkService, store: MemoryClerkStore, clock: Clock
) -> None:
    answers = [wrong(service) for _ in range(5)]
    assert [a.attempts_left for a in answers[:4]] == [4, 3, 2, 1]  # type: ignore[union-attr]
    assert all(isinstance(a, WrongPassword) and a.exit_code == 2 for a in answers[:4])
    locked = answers[4]
    assert isinstance(locked, ClerkLocked) and locked.exit_code == 4
    assert locked.until == T0 + timedelta(minutes=15)
    assert "12:15 (UTC+3)" in str(locked)  # 09:15 UTC on the salon's (Moscow) clock
    assert store.get("anna").clerk.locked_until == T0 + timedelta(minutes=15)

    clock.advance(timedelta(minutes=14, seconds=59))
    with pytest.raises(ClerkLocked):  # even the right password, while it lasts
        service.sign_in("anna", "anna-pass-1")
    clock.advance(timedelta(seconds=1))  # 15:00 after the lock
    assert service.sign_in("anna", "anna-pass-1").login == "anna"
    assert store.get("anna").clerk.locked_until is None


def test_tries_during_a_lock_do_not_extend_it(service: ClerkService, clock: Clock) -> None:
    for _ in range(5):
        wrong(service)
    clock.advance(timedelta(minutes=10))
    assert isinstance(wrong(service), ClerkLocked)
    clock.advance(timedelta(minutes=5))
    assert service.sign_in("anna", "anna-pass-1")


def test_a_success_resets_the_count(service: ClerkService, store: MemoryClerkStore) -> None:
    for _ in range(4):
        wrong(service)
    service.sign_in("anna", "anna-pass-1")
    assert store.get("anna").clerk.failed_attempts == 0
    again = wrong(service)
    assert isinstance(again, WrongPassword) and again.attempts_left == 4


def test_after_a_lock_ends_the_count_starts_afresh(service: ClerkService, clock: Clock) -> None:
    for _ in range(5):
        wrong(service)
    clock.advance(timedelta(minutes=15))
    first = wrong(service)
    assert isinstance(first, WrongPassword) and first.attempts_left == 4


def test_an_unknown_login_answers_like_a_wrong_password_and_locks_nothing(
    service: ClerkService, store: MemoryClerkStore
) -> None:
    real = wrong(service, "anna")
    unknown = wrong(service, "anya")
    assert type(unknown) is type(real) and str(unknown) == str(real)
    answers = [wrong(service, "anya") for _ in range(10)]
    assert all(isinstance(answer, WrongPassword) for answer in answers)
    assert [a.attempts_left for a in answers[:3]] == [3, 2, 1]  # type: ignore[union-attr]
    assert store.get("anya") is None and store.count() == 2
    assert isinstance(wrong(service, "Анна"), WrongPassword)  # not even a possible login


def test_a_disabled_clerk_cannot_sign_in(service: ClerkService) -> None:
    service.disable(manager(service), "anna")
    with pytest.raises(RuleRefused) as refused:
        service.sign_in("anna", "anna-pass-1")
    assert refused.value.rule == "C4" and refused.value.exit_code == 3
    assert "C4" in str(refused.value)
    assert isinstance(wrong(service), WrongPassword)  # no hint without the password


def test_a_new_password_from_a_manager_unlocks(service: ClerkService) -> None:
    for _ in range(5):
        wrong(service)
    service.change_password(manager(service), "anna", "anna-pass-2")
    assert service.sign_in("anna", "anna-pass-2").login == "anna"
    with pytest.raises(WrongPassword):
        service.sign_in("anna", "anna-pass-1")


# -- managing accounts ----------------------------------------------------------------------
def test_a_clerk_cannot_manage_others(service: ClerkService) -> None:
    anna = service.sign_in("anna", "anna-pass-1")
    attempts = [
        lambda: service.add(anna, "ivan", "Иван Петров", ClerkRole.CLERK, "ivan-pass-1"),
        lambda: service.list(anna),
        lambda: service.disable(anna, "oleg"),
        lambda: service.change_password(anna, "oleg", "oleg-pass-2"),
    ]
    for attempt in attempts:
        with pytest.raises(RuleRefused) as refused:
            attempt()
        assert refused.value.rule == "C1" and "C1" in str(refused.value)
    assert service.sign_in("oleg", "oleg-pass-1")  # nothing changed
    assert len(service.list(manager(service))) == 2


def test_a_clerk_changes_their_own_password_with_the_old_one(service: ClerkService) -> None:
    anna = service.sign_in("anna", "anna-pass-1")
    with pytest.raises(InputError):
        service.change_password(anna, "anna", "anna-pass-2")  # no old password
    with pytest.raises(WrongPassword) as wrong_old:
        service.change_password(anna, "anna", "anna-pass-2", old_password="guess-1234")
    assert wrong_old.value.attempts_left == 4  # counts towards the lockout
    service.change_password(anna, "anna", "anna-pass-2", old_password="anna-pass-1")
    assert service.sign_in("anna", "anna-pass-2")


def test_the_last_active_manager_cannot_be_disabled(service: ClerkService) -> None:
    oleg = manager(service)
    with pytest.raises(RuleRefused) as refused:
        service.disable(oleg, "oleg")
    assert refused.value.rule == "C2"
    service.add(oleg, "vera", "Вера Орлова", ClerkRole.MANAGER, "vera-pass-1")
    assert not service.disable(oleg, "oleg").active  # another manager is left
    vera = service.sign_in("vera", "vera-pass-1")
    with pytest.raises(RuleRefused, match="C2"):
        service.disable(vera, "vera")
    assert service.disable(vera, "anna").active is False


def test_the_first_manager_is_created_only_once(store: MemoryClerkStore, clock: Clock) -> None:
    service = ClerkService(store, clock, hasher=FAST_HASHER)
    assert not service.has_clerks()
    first = service.add_first_manager("Boss", "Игорь  Белов ", "boss-pass-1")
    assert (first.login, first.full_name, first.role) == ("boss", "Игорь Белов", ClerkRole.MANAGER)
    assert service.has_clerks()
    with pytest.raises(RuleRefused) as refused:
        service.add_first_manager("boss2", "Второй", "boss-pass-2")
    assert refused.value.rule == "C3"
    assert store.count() == 1


def test_what_is_not_a_login_or_a_password(service: ClerkService) -> None:
    oleg = manager(service)
    for login in ("a", "1anna", "anna petrova", "анна", "a" * 33, ""):
        with pytest.raises(InputError, match="cannot be a login"):
            service.add(oleg, login, "Имя", ClerkRole.CLERK, "good-pass-1")
    with pytest.raises(InputError, match="taken"):
        service.add(oleg, "ANNA", "Другая Анна", ClerkRole.CLERK, "good-pass-1")
    with pytest.raises(WeakPassword, match="at least 8"):
        service.add(oleg, "ivan", "Иван Петров", ClerkRole.CLERK, "short")
    with pytest.raises(WeakPassword, match="same as the login"):
        service.add(oleg, "ivanpetrov", "Иван Петров", ClerkRole.CLERK, "IvanPetrov")
    with pytest.raises(InputError, match="full name"):
        service.add(oleg, "ivan", "   ", ClerkRole.CLERK, "good-pass-1")
    assert [clerk.login for clerk in service.list(oleg)] == ["anna", "oleg"]


def test_passwords_are_kept_as_argon2_hashes(service: ClerkService, store) -> None:
    account = store.get("anna")
    assert account.password_hash.startswith("$argon2id$")
    assert "anna-pass-1" not in account.password_hash
    assert "anna-pass-1" not in repr(account)


def test_nothing_is_managed_without_a_session(service: ClerkService) -> None:
    with pytest.raises(NotSignedIn):
        service.list(None)  # type: ignore[arg-type]


def test_training_accounts_are_created_once_and_sign_in(store, clock) -> None:
    service = ClerkService(store, clock, hasher=FAST_HASHER)
    assert service.ensure_training_accounts() == [a.login for a in TRAINING_ACCOUNTS]
    assert service.ensure_training_accounts() == []
    roles = {service.sign_in(a.login, a.password).role for a in TRAINING_ACCOUNTS}
    assert roles == {ClerkRole.CLERK, ClerkRole.MANAGER}


def test_the_attempts_left_read_well_in_russian(service: ClerkService) -> None:
    set_language("ru")
    texts = [str(wrong(service)) for _ in range(4)]
    assert "осталось 4 попытки" in texts[0]
    assert "осталась 1 попытка" in texts[3]
    assert "заблокирована до 12:15 (UTC+3)" in str(wrong(service))


# -- the lockout as a state machine (DESIGN §8: property tests) ------------------------------
Step = tuple[bool, int]  # (the right password?, seconds before this try)


@settings(max_examples=60, deadline=None)
@given(st.lists(st.tuples(st.booleans(), st.integers(0, 20 * 60)), max_size=30))
def test_the_lockout_follows_its_model(steps: list[Step]) -> None:
    """Against a reference model: five wrong in a row lock for exactly 15 minutes, a lock
    refuses even the right password, a success resets, tries during a lock do not count."""
    clock = Clock()
    service = ClerkService(MemoryClerkStore(), clock, hasher=FAST_HASHER)
    service.add_first_manager("anna", "Анна", "anna-pass-1")
    failures, locked_until = 0, None
    for right, pause in steps:
        clock.advance(timedelta(seconds=pause))
        now = clock.now()
        if locked_until is not None and now < locked_until:
            expected = "locked"
        elif right:
            expected, failures = "ok", 0
        else:
            failures += 1
            if failures == 5:
                expected, failures, locked_until = "locked", 0, now + timedelta(minutes=15)
            else:
                expected = f"wrong {5 - failures}"
        try:
            service.sign_in("anna", "anna-pass-1" if right else "wrong-pass-1")
            got = "ok"
        except WrongPassword as error:
            got = f"wrong {error.attempts_left}"
        except ClerkLocked as error:
            got = "locked"
            assert error.until == locked_until
        assert got == expected


def test_session_times_are_utc(service: ClerkService, clock: Clock) -> None:
    clock.set(datetime(2026, 11, 23, 21, 30, tzinfo=UTC))
    assert service.sign_in("anna", "anna-pass-1").signed_in_at.tzinfo is UTC
