"""What app/main.py hands the CLI, for command tests that bring their own services."""

from __future__ import annotations

from datetime import UTC, datetime
from types import SimpleNamespace
from typing import Any

from models.domain import ClerkRole, Session

MANAGER = Session("manager", "Игорь Белов", ClerkRole.MANAGER,
                  datetime(2026, 11, 23, 6, 0, tzinfo=UTC))
CLERK = Session("clerk", "Анна Соколова", ClerkRole.CLERK,
                datetime(2026, 11, 23, 6, 0, tzinfo=UTC))


class FakeWiring:
    """Services given by the test; signed in as `session` (the manager unless told)."""

    def __init__(self, session: Session | None = MANAGER, **services: Any) -> None:
        self._services = SimpleNamespace(**{"audit": None, "daily_log": None, **services})
        self._session = session

    def services(self) -> SimpleNamespace:
        return self._services

    def session(self) -> Session:
        from app.services.clerks import require_clerk

        require_clerk(self._session)
        assert self._session is not None
        return self._session
