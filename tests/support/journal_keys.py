"""The audit journal's key for tests: a KeyStore in memory (the console's lives in the keyring,
app/services/audit_keys.py), and a seal whose anchor lies in the test's folder."""

from __future__ import annotations

from pathlib import Path

from models.audit_seal import JournalSeal


class MemoryJournalKeys:
    def __init__(self) -> None:
        self.keys: dict[str, bytes] = {}

    def get(self, scope: str) -> bytes | None:
        return self.keys.get(scope)

    def put(self, scope: str, key: bytes) -> None:
        self.keys[scope] = key

    def where(self, scope: str) -> str:
        return f"the test's memory ({scope})"


def memory_seal(folder: Path, scope: str = "sqlite:///test-store") -> JournalSeal:
    return JournalSeal(scope, MemoryJournalKeys(), folder)
