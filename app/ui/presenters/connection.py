"""The online/offline indicator in the header, from a ConnectionSnapshot."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from app.i18n import _
from app.services.connection import ConnectionSnapshot

IndicatorState = Literal["online", "offline", "unknown"]


@dataclass(frozen=True)
class ConnectionView:
    state: IndicatorState
    text: str
    detail: str  # the last failure, for the status bar; empty when online


def present_connection(snapshot: ConnectionSnapshot | None) -> ConnectionView:
    """`None` means the services are still being built (the embedded sandbox is starting)."""
    if snapshot is None:
        return ConnectionView("unknown", _("Connecting…"), "")
    if snapshot.online is None:
        return ConnectionView("unknown", _("Not checked yet"), "")
    if snapshot.online:
        return ConnectionView("online", _("Online"), "")
    return ConnectionView("offline", _("Offline"), snapshot.reason or "")
