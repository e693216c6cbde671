"""The manager's daily log: a day of 10,000 journal entries exports in seconds, not minutes.

Fills a temporary SQLite store with 10,000 entries of one salon day (through AuditJournal.record,
inside one outer transaction so the set-up does not pay 10,000 fsyncs), then times each export
end to end through DailyLogService.export (query, render, atomic write) against 10 s. Also
times one journal append in its own transaction (synchronous=FULL: what a clerk's action
waits for) and a full chain verification.
"""

from __future__ import annotations

import random
import resource
import statistics
import tempfile
import time
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

from app.clock import FixedClock
from app.config import SalonSettings
from app.services.audit import AuditJournal
from app.services.audit_keys import FileJournalKeys
from app.services.daily_log import DailyLogService
from benchmarks.report import ratio_line
from models.audit import AuditAction
from models.audit_seal import JournalSeal, store_scope
from models.db import database, open_store
from tests.support.pinned import SequenceClock

ENTRIES = 10_000
DAY = date(2026, 11, 23)
DAY_START = datetime(2026, 11, 22, 21, 0, tzinfo=UTC)  # 00:00 in Moscow
SALON = SalonSettings("MSK-TVERSKAYA-12", "Салон «Тверская, 12»", "RU-MOW", "Europe/Moscow",
                      "1", "ru")
REASONS = ["R1: тариф «Корпоративный» не допускает код доступа",
           "Оператор недоступен (таймаут 10 с)", "Недостаточно средств на счёте"]


def fill(journal_clock: list[datetime], seal: JournalSeal) -> None:
    moments = iter(journal_clock)
    journal = AuditJournal(SALON.id, SALON.counter, clock=SequenceClock(moments), seal=seal)
    pick = random.Random(2026)
    clerks = ["ivanova", "petrov", "smirnova.a", "kuznetsova", ""]
    actions = list(AuditAction)
    with database.atomic("IMMEDIATE"):
        for _ in range(ENTRIES):
            result = pick.choices(["done", "refused", "failed"], [90, 7, 3])[0]
            journal.record(
                pick.choice(clerks), pick.choice(actions), result,
                subscriber=pick.choice(["", "+79161234567", "+79261112233", "+79031234500"]),
                detail=pick.choice(["", "SMART → PREMIUM", "PDF 01.11.2026–22.11.2026"]),
                reason="" if result == "done" else pick.choice(REASONS),
            )


def run() -> list[str]:
    lines = []
    step = timedelta(days=1) / (ENTRIES + 1)
    with tempfile.TemporaryDirectory() as folder:
        url = f"sqlite:///{folder}/salon.db"
        db = open_store(url)
        seal = JournalSeal(store_scope(url), FileJournalKeys(Path(folder)), Path(folder))
        try:
            fill([DAY_START + step * n for n in range(1, ENTRIES + 1)], seal)
            # Everything after the fill happens in the day's last minute (it is in the log too).
            journal = AuditJournal(SALON.id, SALON.counter,
                                   clock=FixedClock(DAY_START + timedelta(hours=23, minutes=59)),
                                   seal=seal)
            service = DailyLogService(journal, SALON,
                                      clock=FixedClock(datetime(2026, 11, 23, 20, 0, tzinfo=UTC)))
            append_ms = []
            for _ in range(50):
                start = time.perf_counter()
                journal.record("ivanova", AuditAction.LOOKUP, subscriber="+79161234567")
                append_ms.append((time.perf_counter() - start) * 1000)
            lines.append(ratio_line("journal append, own transaction (median)",
                                    statistics.median(append_ms), 20.0))
            start = time.perf_counter()
            report = journal.verify()
            lines.append(ratio_line(f"verify chain of {report.entries:,} entries",
                                    time.perf_counter() - start, 10.0, "s"))
            start = time.perf_counter()
            log = service.daily_log(DAY)
            lines.append(ratio_line(f"daily_log() view data, {len(log.entries):,} entries",
                                    time.perf_counter() - start, 2.0, "s"))
            for fmt in ("csv", "xlsx", "pdf"):
                target = Path(folder) / f"log.{fmt}"
                start = time.perf_counter()
                service.export(DAY, fmt, target)
                seconds = time.perf_counter() - start
                size = target.stat().st_size / 1e6
                lines.append(ratio_line(f"export {fmt.upper()} of {len(log.entries):,} entries "
                                        f"({size:.1f} MB)", seconds, 10.0, "s"))
        finally:
            db.close()
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    lines.append(ratio_line("peak memory of the whole run", peak_mb, 300.0, "MB"))
    return lines


if __name__ == "__main__":
    print("\n".join(run()))
