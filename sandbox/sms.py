"""The SMS outbox (sandbox only): what each subscriber's phone has received.

It stands for the phones, not for the operator's system, so it lives in this process's memory
only: an access code in clear (R2) never reaches the sandbox database or a log. It is empty
after a restart (order a new code then). Training mode shows it to a new clerk; tests read the
codes from it. The last `KEEP` messages per number are kept.
"""

from __future__ import annotations

import itertools
import threading
from collections import defaultdict, deque
from dataclasses import dataclass
from typing import Any

from sandbox.wire import utc_iso

KEEP = 100


@dataclass(frozen=True)
class Sms:
    id: int
    sender: str
    to: str
    text: str
    sent_at: int

    def body(self) -> dict[str, Any]:
        return {"id": self.id, "from": self.sender, "to": self.to, "text": self.text,
                "sent_at": utc_iso(self.sent_at)}


class SmsOutbox:
    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._ids = itertools.count(1)
        self._phones: dict[str, deque[Sms]] = defaultdict(lambda: deque(maxlen=KEEP))

    def send(self, sender: str, to: str, text: str, at: int) -> Sms:
        with self._lock:
            sms = Sms(next(self._ids), sender, to, text, at)
            self._phones[to].appendleft(sms)
            return sms

    def received(self, msisdn: str) -> list[Sms]:
        """Newest first."""
        with self._lock:
            return list(self._phones.get(msisdn, ()))
