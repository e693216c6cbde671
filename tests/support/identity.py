"""R10 stand-ins for tests and benchmarks of use cases other than the identity check itself:
a gate that finds every visit identified (the subscriber's check was made), and one that finds
none. The check itself is tested on the real IdentityService (tests/unit/test_identity.py)."""

from __future__ import annotations

from models.domain import Session
from models.identity import Need, Visit


class Identified:
    """Every subscriber's identity was checked in this visit; the data is confirmed."""

    def __init__(self) -> None:
        self.required: list[tuple[str, str, tuple[Need, ...]]] = []  # (clerk, msisdn, needs)

    def require(self, clerk: Session, msisdn: str, *needs: Need) -> None:
        self.required.append((clerk.login, msisdn, needs))

    def withheld(self, clerk: Session, msisdn: str) -> tuple[Need, ...]:
        return ()

    def looked_up(self, clerk: Session, msisdn: str) -> None:
        pass

    def holder_verified(self, msisdn: str) -> bool:
        return True

    def needed(self, need: Need) -> bool:
        return False

    def visit_subscriber(self, clerk: Session) -> str | None:
        return None

    def visit_of(self, clerk: Session, msisdn: str) -> Visit | None:
        return None


IDENTIFIED = Identified()
