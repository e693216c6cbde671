"""The daily log as CSV for Excel as Russian offices set it up.

UTF-8 with a byte-order mark (without it Excel reads Cyrillic as cp1251 mojibake), `;` between
fields (Russian Excel uses `,` as the decimal separator, so its list separator — and the CSV
delimiter it expects — is `;`), CRLF line ends, dates as dd.mm.yyyy hh:mm:ss (read as dates).

Layout, one table after another, separated by an empty line:
  1. the heading: title; then `label;value` rows — salon, date, time zone, generated, entries,
     done, refused, failed, last hash (and its entry number);
  2. the entries: a header row, then one row per entry in chain order;
  3. totals by clerk; 4. totals by operation; 5. refusals and failures (rows as in 2);
  6. the file's id and how to check it, `SHA-256;<hash>`, `SALON-DOC:<id>:<hash>` (the hash
     covers every byte of the file: printing/digest.py).
Every text cell is escaped (printing.text) and defused against formulas.
"""

from __future__ import annotations

import csv
from collections.abc import Sequence
from pathlib import Path

from models.audit import JournalEntry
from models.daily_log import DailyLog, PickupTally, Progress, Tally
from models.documents import PAYLOAD_PREFIX
from printing.daily_log import (
    PROGRESS_EVERY,
    Labels,
    action_label,
    clerk_label,
    date_text,
    generated_text,
    offset_text,
    pickup_columns,
)
from printing.digest import HashedText
from printing.text import spreadsheet_text as cell

DELIMITER = ";"
TIME_FORMAT = "%d.%m.%Y %H:%M:%S"


def write(log: DailyLog, path: Path, words: Labels, progress: Progress | None) -> str:
    with HashedText(path, "csv", bom=True) as handle:
        out = csv.writer(handle, delimiter=DELIMITER, lineterminator="\r\n")
        out.writerows(heading(log, words))
        out.writerow([])
        out.writerow(entry_header(words))
        total = len(log.entries)
        for done, entry in enumerate(log.entries, 1):
            out.writerow(entry_row(log, words, entry))
            if progress is not None and done % PROGRESS_EVERY == 0:
                progress(done, total)
        out.writerow([])
        out.writerows(tally_table(words, words.by_clerk, log.by_clerk, clerks=True))
        out.writerow([])
        out.writerows(tally_table(words, words.by_action, log.by_action, clerks=False))
        out.writerow([])
        if log.identity_by_clerk:
            out.writerows(tally_table(words, words.identity_by_clerk, log.identity_by_clerk,
                                      clerks=True))
            out.writerow([])
        if log.pickup_by_clerk:
            out.writerows(pickup_table(words, log.pickup_by_clerk))
            out.writerow([])
        out.writerow([cell(words.problems)])
        out.writerow(entry_header(words))
        out.writerows(entry_row(log, words, entry) for entry in log.problems)
        out.writerow([])
        out.writerow([cell(words.document.format(id=log.document_id)), cell(words.verify)])
        handle.write(f"SHA-256{DELIMITER}")
        handle.write_hash()
        handle.write(f"\r\n{PAYLOAD_PREFIX}:{log.document_id}:")
        handle.write_hash()
        handle.write("\r\n")
    if progress is not None:
        progress(total, total)
    return handle.sha256


def heading(log: DailyLog, words: Labels) -> list[list[str | int]]:
    totals = log.totals
    last = log.last_hash or words.last_hash_none
    return [
        [cell(words.title.format(day=date_text(log)))],
        [cell(words.salon), cell(f"{log.salon_name} ({log.salon_id})")],
        [cell(words.day), date_text(log)],
        [cell(words.timezone), cell(offset_text(log))],
        [cell(words.generated), generated_text(log)],
        [cell(words.entries_count), totals.total],
        [cell(words.done), totals.done],
        [cell(words.refused), totals.refused],
        [cell(words.failed), totals.failed],
        [cell(words.last_hash), last, "" if log.last_seq is None else log.last_seq],
    ]


def entry_header(words: Labels) -> list[str]:
    return [cell(title) for title in (
        words.seq, words.time, words.time_utc, words.clerk, words.salon, words.counter,
        words.subscriber, words.action, words.action_code, words.result, words.detail,
        words.reason, words.hash,
    )]


def entry_row(log: DailyLog, words: Labels, entry: JournalEntry) -> list[str | int]:
    return [
        entry.seq,
        log.local_time(entry.at).strftime(TIME_FORMAT),
        entry.at.strftime("%Y-%m-%dT%H:%M:%SZ"),
        cell(clerk_label(words, entry.clerk)),
        cell(entry.salon),
        cell(entry.counter),
        cell(entry.subscriber),
        cell(action_label(words, entry.action)),
        cell(entry.action),
        cell(words.results.get(entry.result, entry.result)),
        cell(entry.detail),
        cell(entry.reason),
        entry.hash,
    ]


def tally_table(
    words: Labels, title: str, rows: Sequence[Tally], *, clerks: bool
) -> list[list[str | int]]:
    first = words.clerk if clerks else words.action
    table: list[list[str | int]] = [
        [cell(title)],
        [cell(first), cell(words.total), cell(words.done), cell(words.refused),
         cell(words.failed)],
    ]
    for row in rows:
        name = clerk_label(words, row.key) if clerks else action_label(words, row.key)
        table.append([cell(name), row.total, row.done, row.refused, row.failed])
    return table


def pickup_table(words: Labels, rows: Sequence[PickupTally]) -> list[list[str | int]]:
    """R11: each clerk's orders for pick-up printed, handed over, destroyed."""
    table: list[list[str | int]] = [[cell(words.pickup_by_clerk)],
                                    [cell(words.clerk), *map(cell, pickup_columns(words))]]
    for row in rows:
        table.append([cell(clerk_label(words, row.clerk)), row.printed, row.handed_over,
                      row.destroyed])
    return table
