"""The clerks' session events before the identity check's service exists (app/main.py): a
clerk signs in at the window while the operator's side is still being built (issue 15)."""

from __future__ import annotations

from datetime import UTC, datetime

from app.main import HeldEvents
from models.domain import ClerkRole, Session

MANAGER = Session("igor", "Игорь Белов", ClerkRole.MANAGER, datetime(2026, 3, 2, 9, 0, tzinfo=UTC))


def test_events_before_the_listener_reach_it_in_order_then_pass_straight_through() -> None:
    held = HeldEvents()
    held(MANAGER, "sign_in")  # R10: a manager's sign-in lifts the mismatch lock
    held(MANAGER, "lock")
    seen: list[tuple[str, str]] = []
    held.forward_to(lambda session, event: seen.append((session.login, event)))
    assert seen == [("igor", "sign_in"), ("igor", "lock")]
    held(MANAGER, "sign_out")
    assert seen[-1] == ("igor", "sign_out")
