"""The training sandbox's demo accounts (`[operator] url = embedded`; listed in README.md):
seeded by ClerkService, shown by the sign-in form's hint at launch (so kept light)."""

from __future__ import annotations

from dataclasses import dataclass

from models.roles import ClerkRole


@dataclass(frozen=True)
class TrainingAccount:
    login: str
    full_name: str
    role: ClerkRole
    password: str


# Seeded only for the training sandbox; a real store never gets any.
TRAINING_ACCOUNTS = (
    TrainingAccount("clerk", "Анна Соколова", ClerkRole.CLERK, "clerk-demo"),
    TrainingAccount("manager", "Игорь Белов", ClerkRole.MANAGER, "manager-demo"),
)
