"""The typed-input fuzz run (issue 12, point 10), outside the suite: 10⁵ cases per field through
the same parsers the command line and the window use, in-process.

    .venv/bin/python -m benchmarks.fuzz_inputs [--cases N] [--seed S]    (or: make fuzz)

Prints per field: cases, accepted, refused (the console's InputError, a sentence), tracebacks
(any other exception: must be 0), and exits 1 if there was any, with the first few inputs that
raised. The cases: valid values mutated (a character inserted, replaced or dropped, a part
repeated), text from an alphabet of what broke before (superscript, Arabic-Indic, Devanagari
and full-width digits, line and paragraph separators, NUL, ESC, C1 controls, bidi overrides),
random code points from every plane, and numbers of thousands of digits. Seeded: a run can be
repeated exactly.
"""

from __future__ import annotations

import argparse
import random
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from app import inputs
from app.commands.log import parse_day as iso_day
from app.errors import InputError
from app.i18n import set_language
from app.phone import parse_msisdn
from app.services.daily_log import DailyLogService
from app.services.detalization import checked_target
from app.services.email import email_address
from app.services.training_world import parse_duration
from app.ui.presenters.daily_log import parse_day as screen_day
from app.ui.presenters.detalization import read_period

TRICKY = ("0123456789+-.():/ \t\u00a0\u202f\u2010\u2011\u2013\u2028\u2029\n\r\x00\x1b\x7f"
          "\x85\x9b\u202e\u200b\ufeff²³¹٠١٢٣٤٥٦٧٨٩०१२३०９８７ЖяZz_#\\'\"%@smhd")


@dataclass
class Field:
    name: str
    parse: Callable[[str], Any]
    samples: list[str]
    cases: int = 0
    accepted: int = 0
    refused: int = 0
    tracebacks: list[tuple[str, str]] = field(default_factory=list)

    def line(self) -> str:
        return (f"{self.name:<28} {self.cases:>8} {self.accepted:>9} {self.refused:>8} "
                f"{len(self.tracebacks):>10}")


def fields(folder: Path) -> list[Field]:
    def in_folder(parse: Callable[[Path], Any]) -> Callable[[str], Any]:
        return lambda text: parse(folder / text)

    def with_format(text: str) -> Any:
        fmt, _, name = text.partition("|")
        return checked_target(fmt, folder / name), DailyLogService._checked_target(
            fmt, folder / name)

    def period(text: str) -> Any:
        first, _, last = text.partition("|")
        return read_period(first, last)

    return [
        Field("phone", parse_msisdn, ["+7 916 123-45-67", "8 (916) 123-45-67", "9161234567",
                                      "+79261112233", "8-916-123-45-67"]),
        Field("duration", parse_duration, ["90s", "15m", "24h", "1d", "1h30m", "3600"]),
        Field("date YYYY-MM-DD (CLI)", iso_day, ["2026-11-23", "2025-01-31", "2024-02-29"]),
        Field("date DD.MM.YYYY (screen)", screen_day, ["23.11.2026", "1.1.2026",
                                                       "2026-11-23"]),
        Field("period (screen)", period, ["01.10.2026|31.10.2026", "1.1.2026|2026-01-31"]),
        Field("row id", lambda t: inputs.record_id(t, "#"), ["1", "42", "9223372036854775807"]),
        Field("count (-n)", lambda t: inputs.bounded_number(t, 1, 10_000, "-n"),
              ["1", "50", "10000"]),
        Field("archive document id", inputs.document_id, ["doc_5f0c2a9e41b7d3c8a6e19f20"]),
        Field("printer name", inputs.printer_name, ["Counter1", "Касса-2", "HP_LaserJet"]),
        Field("catalog code", inputs.catalog_code, ["SMART", "who_called", "BIZ_MAX"]),
        Field("e-mail address", email_address, ["ivanova@example.ru", "a.b+c@почта.рф"]),
        Field("output file (-o)", in_folder(inputs.output_target), ["report.pdf", "log.csv"]),
        Field("format and file name", with_format, ["pdf|report.pdf", "csv|log.csv",
                                                     "xlsx|day.xlsx"]),
    ]


def mutated(rng: random.Random, sample: str) -> str:
    text = list(sample)
    for _ in range(rng.randint(1, 4)):
        where = rng.randint(0, len(text))
        action = rng.random()
        if action < 0.4:
            text.insert(where, rng.choice(TRICKY))
        elif action < 0.7 and text:
            text[min(where, len(text) - 1)] = rng.choice(TRICKY)
        elif action < 0.85 and text:
            del text[min(where, len(text) - 1)]
        else:
            text[where:where] = text[: rng.randint(0, len(text))]
    return "".join(text)


def any_code_points(rng: random.Random) -> str:
    # Every plane, surrogates and unassigned code points included.
    return "".join(chr(rng.choice((rng.randint(0, 0x7F), rng.randint(0, 0xFFFF),
                                   rng.randint(0, 0x10FFFF))))
                   for _ in range(rng.randint(0, 40)))


def case(rng: random.Random, samples: list[str]) -> str:
    kind = rng.random()
    if kind < 0.45:
        return mutated(rng, rng.choice(samples))
    if kind < 0.75:
        return "".join(rng.choice(TRICKY) for _ in range(rng.randint(0, 40)))
    if kind < 0.99:
        return any_code_points(rng)
    return rng.choice(samples)[:3] + "9" * rng.randint(4000, 6000)


def fuzz(target: Field, cases: int, rng: random.Random) -> None:
    for _ in range(cases):
        text = case(rng, target.samples)
        target.cases += 1
        try:
            target.parse(text)
        except InputError:
            target.refused += 1
        except Exception as error:  # what a clerk would see as a traceback
            target.tracebacks.append((text, f"{type(error).__name__}: {error}"))
        else:
            target.accepted += 1


def main(argv: list[str] | None = None) -> int:
    options = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    options.add_argument("--cases", type=int, default=100_000, help="per field (10⁵)")
    options.add_argument("--seed", type=int, default=2026)
    args = options.parse_args(argv)
    set_language("ru")  # the clerk's language: every sentence is looked up in the catalog
    print(f"{'field':<28} {'cases':>8} {'accepted':>9} {'refused':>8} {'tracebacks':>10}")
    failed: list[tuple[str, str, str]] = []  # (field, text, error)
    started = time.monotonic()
    with tempfile.TemporaryDirectory() as folder:
        for target in fields(Path(folder)):
            fuzz(target, args.cases, random.Random(f"{args.seed}:{target.name}"))
            print(target.line(), flush=True)
            failed.extend((target.name, *t) for t in target.tracebacks)
    print(f"seed {args.seed}; {time.monotonic() - started:.0f} s")
    for name, text, error in failed[:10]:
        print(f"TRACEBACK {name}: {text[:60]!r} → {error[:200]}")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
