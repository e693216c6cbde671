"""The running sandbox the kits are pointed at."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Target:
    url: str  # http://127.0.0.1:PORT
    token: str
