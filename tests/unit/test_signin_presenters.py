"""The sign-in and lock screens' logic without a window: texts, checks, refusals, idle time."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from app.errors import ClerkLocked, InputError, OperatorUnavailable, WeakPassword, WrongPassword
from app.i18n import set_language
from app.ui.presenters.idle import IdleWatch
from app.ui.presenters.signin import (
    check_first_manager,
    check_sign_in,
    clerk_badge,
    present_lock,
    present_refusal,
    present_sign_in,
)
from models.domain import ClerkRole, Session
from tests.support.pinned import Monotonic

NOW = datetime(2026, 11, 23, 9, 0, tzinfo=UTC)
ANNA = Session("anna", "Анна Соколова", ClerkRole.CLERK, NOW)


def test_idle_time_counts_from_the_last_input() -> None:
    clock = Monotonic()
    watch = IdleWatch(10, clock)
    clock.advance(timedelta(minutes=9, seconds=59))
    assert not watch.due()
    watch.touch()
    clock.advance(timedelta(minutes=9))
    assert not watch.due()
    clock.advance(timedelta(minutes=1))
    assert watch.due() and watch.idle_for() == timedelta(minutes=10)


def test_zero_minutes_never_lock() -> None:
    clock = Monotonic()
    watch = IdleWatch(0, clock)
    clock.advance(timedelta(days=3))
    assert not watch.due()


def test_the_screens_say_who_and_where() -> None:
    set_language("ru")
    assert clerk_badge(ANNA) == "Анна Соколова · специалист"
    assert clerk_badge(None) == ""
    sign_in = present_sign_in("Салон «Тверская, 12»", "2", training=True)
    assert sign_in.mode == "sign_in" and sign_in.login == "" and sign_in.other == ""
    assert "clerk / clerk-demo" in sign_in.hint and "manager / manager-demo" in sign_in.hint
    assert present_sign_in("Салон", "1", training=False).hint == ""
    lock = present_lock(ANNA, training=False)
    assert lock.mode == "locked" and lock.login == "anna"
    assert lock.title == "Консоль заблокирована" and lock.button == "Разблокировать"
    assert "Работает Анна Соколова (специалист)" in lock.text
    assert lock.other == "Другой сотрудник"


def test_what_is_checked_before_anything_is_sent() -> None:
    assert check_sign_in("anna", "secret") is None
    assert check_sign_in("  ", "secret").field == "login"  # type: ignore[union-attr]
    assert check_sign_in("anna", "").field == "password"  # type: ignore[union-attr]
    assert check_first_manager("boss", "Игорь Белов", "pass-word-1", "pass-word-1") is None
    for args, field in ((("", "И", "p", "p"), "login"), (("b", " ", "p", "p"), "name"),
                        (("b", "И", "", ""), "password"), (("b", "И", "p1", "p2"), "password")):
        refusal = check_first_manager(*args)
        assert refusal is not None and refusal.field == field, args


def test_refusals_go_back_to_the_right_field() -> None:
    wrong = present_refusal(WrongPassword("Wrong login or password. 3 attempts left…", 3))
    assert (wrong.field, wrong.message.kind) == ("password", "input")
    assert "3 attempts left" in wrong.message.text
    locked = present_refusal(ClerkLocked("Locked until 12:15 (UTC+3).", NOW))
    assert (locked.field, locked.message.kind) == ("login", "failure")  # another clerk's turn
    assert present_refusal(WeakPassword("Too short.")).field == "password"
    assert present_refusal(InputError("The login is taken.")).field == "login"
    offline = present_refusal(OperatorUnavailable("No connection."))
    assert offline.message.kind == "offline"
    bug = present_refusal(RuntimeError("boom"))
    assert bug.message.kind == "failure" and "boom" not in bug.message.text
