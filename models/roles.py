"""A clerk's role: a module of its own, so that what the window's sign-in form needs at launch
(the training accounts' roles) does not load every domain object (models/domain.py)."""

from __future__ import annotations

from enum import StrEnum


class ClerkRole(StrEnum):
    """Who may do what: a manager also manages clerk accounts and exports the day's log."""

    CLERK = "clerk"
    MANAGER = "manager"
